/**
 * A change to a spec as data: what the transitions (transitions.ts, expiry.ts) decide. Applying it
 * to a file's text, keeping everything else byte for byte, is the file layer's job
 * (spec-file/edit-text.ts).
 */

export type Path = ReadonlyArray<string | number>;
export type Value = string | number | boolean | { readonly [key: string]: Value };

export type Edit =
  /** Sets a scalar, or adds the key to the map at `path[:-1]` when it is missing. */
  | { readonly kind: 'set'; readonly path: Path; readonly value: Value }
  /** Appends a map of scalars to the sequence at `path`. */
  | { readonly kind: 'append'; readonly path: Path; readonly value: Readonly<Record<string, Value>> }
  /** Removes the item at `path` from its sequence. */
  | { readonly kind: 'remove'; readonly path: Path };
