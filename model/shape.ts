import { isSecretPath } from './environment';
import type { FieldRule, JsonFragment } from './fields';
import { EXPECTED, received } from './messages';
import { formatPath, Problem } from './problem';

/**
 * Shapes: what a document or a construct's props hold, field by field, each leaf a rule of
 * fields.ts. One function checks a value against a shape (`checkShape`) and one writes its JSON
 * Schema (`shapeJsonSchema`), so the spec file, the construct props and the editor schema share
 * every rule and every text.
 *
 * What a check reports, and in which order, is what the spec file's zod schema reported before
 * these shapes replaced it: a depth-first walk in field order; an object's unknown fields after its
 * known ones; a wrong type stops the walk below it; a union that fails says what it allows, unless
 * one option is wrong only in unknown fields or too few items, which are then reported.
 */

/** A step in a path: a field name or a list index. */
export type Segment = string | number;

/** A shape and the type of the values it accepts. */
export type Shape<T = unknown> =
  LeafShape<T> | AnythingShape<T> | ObjectShape<T> | ArrayShape<T> | RecordShape<T> | UnionShape<T> | OptionalShape<T>;

/** The type of the values a shape accepts: `Infer<typeof specShape>` is the checked document. */
export type Infer<S> = S extends ShapeBase<infer T> ? T : never;

abstract class ShapeBase<T> {
  /** The type of the values this shape accepts; for the type checker only, never set. */
  declare readonly accepts: T;
  /**
   * Where this field's problems are shown, in place of its key (`healthCheck.path` for the prop
   * `healthCheckPath`).
   * @default - its key
   */
  public readonly shownAt?: readonly Segment[];

  /** The same shape, with `undefined` (a field left out) accepted. */
  public optional(): OptionalShape<T | undefined> {
    return new OptionalShape<T | undefined>(this as unknown as Shape<T>);
  }

  /**
   * The same shape, left out allowed, and `value` what the model fills in then: the JSON Schema's
   * `default` and the docs' default column. Give the model's own constant, never a copy of it; the
   * resolver keeps filling in the field (a test holds the two equal).
   */
  public withDefault(value: Readonly<T>): OptionalShape<T | undefined> {
    return new OptionalShape<T | undefined>(this as unknown as Shape<T>, value);
  }

  /** The same shape, its problems shown at `segments` instead of at its key. */
  public shownAs(...segments: Segment[]): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this) as object) as this, this, { shownAt: segments });
  }
}

/** A value checked by one rule of fields.ts. */
export class LeafShape<T> extends ShapeBase<T> {
  public readonly kind = 'leaf';
  constructor(public readonly rule: FieldRule) {
    super();
  }
}

/** Any value: what is there is checked by a rule of the model that can name it (documented by `json`). */
export class AnythingShape<T> extends ShapeBase<T> {
  public readonly kind = 'anything';
  constructor(public readonly json: JsonFragment) {
    super();
  }
}

export interface ObjectOptions {
  /**
   * `true`: a field the shape does not name is reported (a spec file). `false`: it is left to the
   * type checker (construct props).
   * @default true
   */
  readonly strict?: boolean;
  /**
   * `true`: a required field left out is reported. `false`: only the fields given are checked
   * (construct props, whose unresolved tokens are left out before the check).
   * @default true
   */
  readonly requireFields?: boolean;
  /**
   * JSON Schema keywords said after the generated ones (`minProperties`).
   * @default - none
   */
  readonly json?: JsonFragment;
}

export type Fields = Readonly<Record<string, Shape<unknown>>>;

/** An object with the fields `fields`, each checked by its shape, in this order. */
export class ObjectShape<T> extends ShapeBase<T> {
  public readonly kind = 'object';
  constructor(
    public readonly fields: Fields,
    public readonly options: ObjectOptions = {},
  ) {
    super();
  }
  /** What the object allows: `an object with the fields a, b, c`. */
  public get expected(): string {
    return EXPECTED.object(Object.keys(this.fields));
  }
}

export interface ListOptions<T> {
  /** What the list allows, for a value that is not a list or has too few or too many items. */
  readonly expected: string;
  /** @default - no least number of items */
  readonly min?: number;
  /** @default - no most number of items */
  readonly max?: number;
  /**
   * A rule across the items, run only when nothing else in the list is wrong; it reports each
   * problem at an item with `problem(index, value, expected)`.
   * @default - none
   */
  readonly refine?: (items: readonly T[], problem: (index: number, value: unknown, expected: string) => void) => void;
  /**
   * JSON Schema keywords said after the generated ones (`uniqueItems`, `description`).
   * @default - none
   */
  readonly json?: JsonFragment;
}

/** A list, each item checked by `item`. */
export class ArrayShape<T> extends ShapeBase<T> {
  public readonly kind = 'array';
  constructor(
    public readonly item: Shape<unknown>,
    public readonly options: ListOptions<unknown>,
  ) {
    super();
  }
}

export interface MapOptions {
  /** What the map allows, for a value that is not one. */
  readonly expected: string;
  /**
   * The JSON Schema of its keys (`propertyNames`, after `type: string`); a key is checked by a rule
   * of the model that can name it, not by the shape.
   * @default - any string
   */
  readonly keys?: JsonFragment;
}

/** An object whose keys are names chosen by the writer, each value checked by `value`. */
export class RecordShape<T> extends ShapeBase<T> {
  public readonly kind = 'record';
  constructor(
    public readonly value: Shape<unknown>,
    public readonly options: MapOptions,
  ) {
    super();
  }
}

/** A value that one of `options` accepts. */
export class UnionShape<T> extends ShapeBase<T> {
  public readonly kind = 'union';
  constructor(
    public readonly options: readonly Shape<unknown>[],
    /** What the union allows, when no single option fits the value's type. */
    public readonly expected: string,
  ) {
    super();
  }
}

/** `inner`, or nothing. */
export class OptionalShape<T> extends ShapeBase<T> {
  public readonly kind = 'optional';
  constructor(
    public readonly inner: Shape<unknown>,
    /**
     * What the model fills in when the field is left out (`withDefault`).
     * @default - none, or none that is one value (the docs describe it)
     */
    public readonly defaultValue?: unknown,
  ) {
    super();
  }
}

type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends OptionalShape<unknown> ? K : never }[keyof F];
type Flat<T> = { [K in keyof T]: T[K] };
type ObjectOf<F extends Fields> = Flat<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/** A value the rule accepts; `T` is what the rule proves it is. */
export function leaf<T = unknown>(rule: FieldRule): LeafShape<T> {
  return new LeafShape<T>(rule);
}

/** Any value, left to a rule of the model that can name it; `json` says in the JSON Schema what it allows. */
export function anything<T = unknown>(json: JsonFragment): AnythingShape<T> {
  return new AnythingShape<T>(json);
}

/** An object with exactly these fields (a value that is not an object: `an object with the fields ...`). */
export function object<F extends Fields>(fields: F, options?: ObjectOptions): ObjectShape<ObjectOf<F>> {
  return new ObjectShape<ObjectOf<F>>(fields, options);
}

/**
 * A construct's props: only the props given are checked (a token is left out before the check),
 * and props the shape does not name are the type checker's.
 */
export function props<F extends Fields>(fields: F): ObjectShape<Partial<ObjectOf<F>>> {
  return new ObjectShape<Partial<ObjectOf<F>>>(fields, { strict: false, requireFields: false });
}

/** A list of `item`. */
export function array<S extends Shape<unknown>>(item: S, options: ListOptions<Infer<S>>): ArrayShape<Array<Infer<S>>> {
  return new ArrayShape<Array<Infer<S>>>(item, options as ListOptions<unknown>);
}

/** An object of names chosen by the writer, each value a `value`. */
export function record<S extends Shape<unknown>>(value: S, options: MapOptions): RecordShape<Record<string, Infer<S>>> {
  return new RecordShape<Record<string, Infer<S>>>(value, options);
}

/** A value that one of `options` accepts. */
export function union<S extends ReadonlyArray<Shape<unknown>>>(
  options: S,
  expected: string,
): UnionShape<Infer<S[number]>> {
  return new UnionShape<Infer<S[number]>>(options, expected);
}

export interface CheckOptions {
  /**
   * The message for a field that an object does not allow, at `[...path, key]`.
   * @default - one problem at the object itself: `received an object; expected an object with the fields ...`
   */
  readonly unknownField?: (path: readonly Segment[], key: string, allowed: readonly string[]) => string;
}

/**
 * Every problem of `value` against `shape`, in document order, never only the first; never
 * throws. Each reads `received <value>; expected <what is allowed>`, a secret's value not shown.
 */
export function checkShape(shape: Shape<unknown>, value: unknown, options: CheckOptions = {}): Problem[] {
  const problems: Problem[] = [];
  for (const issue of check(shape, value, [])) {
    if (issue.unknown === undefined) {
      problems.push({
        path: formatPath(issue.path),
        message: received(issue.value, issue.expected, isSecretPath(issue.path)),
      });
    } else if (options.unknownField === undefined) {
      problems.push({ path: formatPath(issue.path), message: received(issue.value, issue.expected) });
    } else {
      const { keys, allowed } = issue.unknown;
      for (const key of keys)
        problems.push({
          path: formatPath([...issue.path, key]),
          message: options.unknownField(issue.path, key, allowed),
        });
    }
  }
  return problems;
}

/** `true` if `value` has no problem against `shape`. */
export function fitsShape(shape: Shape<unknown>, value: unknown): boolean {
  return check(shape, value, []).length === 0;
}

interface Issue {
  readonly path: readonly Segment[];
  readonly value: unknown;
  readonly expected: string;
  /**
   * What the issue stops around it: `refused` (a rule refused the value, or a list has too many
   * items) stops a list's count of items, its rules across items, and a union from taking this
   * option; `type` (not an object, list or map, or no union option fits) the last two; `none`
   * (an unknown field, too few items) nothing.
   */
  readonly stops: 'none' | 'type' | 'refused';
  /** Fields the object does not allow (the object's own path). */
  readonly unknown?: { readonly keys: readonly string[]; readonly allowed: readonly string[] };
}

function check(shape: Shape<unknown>, value: unknown, path: readonly Segment[]): Issue[] {
  switch (shape.kind) {
    case 'leaf':
      return shape.rule.test(value) ? [] : [{ path, value, expected: shape.rule.expected, stops: 'refused' }];
    case 'anything':
      return [];
    case 'optional':
      return value === undefined ? [] : check(shape.inner, value, path);
    case 'object':
      return checkObject(shape, value, path);
    case 'array':
      return checkArray(shape, value, path);
    case 'record':
      return checkRecord(shape, value, path);
    case 'union':
      return checkUnion(shape, value, path);
  }
}

function checkObject(shape: ObjectShape<unknown>, value: unknown, path: readonly Segment[]): Issue[] {
  // A Map, Set, Date or Buffer (YAML's !!omap, !!set, !!timestamp, !!binary) holds no fields: read as one, its
  // entries would be dropped unseen and its inherited keys taken for fields.
  if (!isPlainObject(value)) return [{ path, value, expected: shape.expected, stops: 'type' }];
  const { strict = true, requireFields = true } = shape.options;
  const issues: Issue[] = [];
  for (const [key, field] of Object.entries(shape.fields)) {
    const given = key in value;
    if (!given && (field.kind === 'optional' || !requireFields)) continue;
    issues.push(...check(field, value[key], [...path, ...(field.shownAt ?? [key])]));
  }
  if (!strict) return issues;
  const unknown: string[] = [];
  for (const key in value) if (!Object.hasOwn(shape.fields, key)) unknown.push(key);
  if (unknown.length > 0) {
    const allowed = Object.keys(shape.fields);
    issues.push({ path, value, expected: shape.expected, stops: 'none', unknown: { keys: unknown, allowed } });
  }
  return issues;
}

function checkArray(shape: ArrayShape<unknown>, value: unknown, path: readonly Segment[]): Issue[] {
  const { expected, min, max, refine } = shape.options;
  if (!Array.isArray(value)) return [{ path, value, expected, stops: 'type' }];
  // Too many items: said once, without reading them (a list of a million is not walked).
  if (max !== undefined && value.length > max) return [{ path, value, expected, stops: 'refused' }];
  const issues = value.flatMap((item, i) => check(shape.item, item, [...path, i]));
  if (min !== undefined && value.length < min && !issues.some((issue) => issue.stops === 'refused'))
    issues.push({ path, value, expected, stops: 'none' });
  if (refine !== undefined && issues.every((issue) => issue.stops === 'none')) {
    refine(value, (index, item, itemExpected) =>
      issues.push({ path: [...path, index], value: item, expected: itemExpected, stops: 'none' }),
    );
  }
  return issues;
}

function checkRecord(shape: RecordShape<unknown>, value: unknown, path: readonly Segment[]): Issue[] {
  if (!isPlainObject(value)) return [{ path, value, expected: shape.options.expected, stops: 'type' }];
  const issues: Issue[] = [];
  // `__proto__` is the model's to refuse (document-text.ts), with the reason.
  for (const key of Object.keys(value))
    if (key !== '__proto__') issues.push(...check(shape.value, value[key], [...path, key]));
  return issues;
}

function checkUnion(shape: UnionShape<unknown>, value: unknown, path: readonly Segment[]): Issue[] {
  const results: Issue[][] = [];
  for (const option of shape.options) {
    const issues = check(option, value, path);
    if (issues.length === 0) return [];
    results.push(issues);
  }
  // The one option that only has unknown fields or too few items speaks for the union.
  const close = results.filter((issues) => issues.every((issue) => issue.stops === 'none'));
  if (close.length === 1) return close[0];
  return [{ path, value, expected: shape.expected, stops: 'type' }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object literal's kind of object, from any realm: not an instance of a class (a Date, a Map). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  // A `constructor` key of the writer's own is a field like any other.
  const made = value.constructor;
  if (typeof made !== 'function') return true;
  const prototype = made.prototype as unknown;
  return isObject(prototype) && Object.hasOwn(prototype, 'isPrototypeOf');
}

/**
 * The JSON Schema (draft 2020-12) of the values `shape` accepts: each leaf's rule's fragment with
 * its text as the description, objects closed to other fields, lists with their bounds, a field's
 * `withDefault` value as its `default`.
 * Throws if a leaf's rule has no fragment: such a schema would accept anything there.
 */
export function shapeJsonSchema(shape: Shape<unknown>): Record<string, unknown> {
  switch (shape.kind) {
    case 'leaf':
      if (Object.keys(shape.rule.json).length === 0)
        throw new Error(
          `the rule "${shape.rule.expected}" has no JSON Schema fragment: give it one in model/fields.ts`,
        );
      return { ...shape.rule.json, description: shape.rule.expected };
    case 'anything':
      return { ...shape.json };
    case 'optional':
      return shape.defaultValue === undefined
        ? shapeJsonSchema(shape.inner)
        : { ...shapeJsonSchema(shape.inner), default: shape.defaultValue };
    case 'object': {
      const fields = Object.entries(shape.fields);
      const required = fields.filter(([, field]) => field.kind !== 'optional').map(([key]) => key);
      return {
        type: 'object',
        properties: Object.fromEntries(fields.map(([key, field]) => [key, shapeJsonSchema(field)])),
        ...(required.length > 0 && shape.options.requireFields !== false ? { required } : {}),
        ...(shape.options.strict !== false ? { additionalProperties: false } : {}),
        ...shape.options.json,
      };
    }
    case 'array': {
      const { min, max, json } = shape.options;
      return {
        ...(min !== undefined ? { minItems: min } : {}),
        ...(max !== undefined ? { maxItems: max } : {}),
        type: 'array',
        items: shapeJsonSchema(shape.item),
        ...json,
      };
    }
    case 'record':
      return {
        type: 'object',
        propertyNames: { type: 'string', ...shape.options.keys },
        additionalProperties: shapeJsonSchema(shape.value),
      };
    case 'union':
      return { anyOf: shape.options.map(shapeJsonSchema) };
  }
}

/**
 * The fields of the object at `path` inside `shape` (a list item by its index, a map's value by
 * any key), or [] if no object is there.
 */
export function fieldsAt(shape: Shape<unknown>, path: readonly PropertyKey[]): string[] {
  let at: Shape<unknown> | undefined = shape;
  for (const segment of path) {
    if (at.kind === 'optional') at = at.inner;
    if (typeof segment === 'number' && at.kind === 'array') at = at.item;
    else if (typeof segment === 'string' && at.kind === 'record') at = at.value;
    else if (typeof segment === 'string' && at.kind === 'object' && Object.hasOwn(at.fields, segment))
      at = at.fields[segment];
    else return [];
  }
  if (at.kind === 'optional') at = at.inner;
  return at.kind === 'object' ? Object.keys(at.fields) : [];
}

/** A field of an object inside a shape (`shapeFields`). */
export interface ShapeField {
  /** Where it is, as the docs write it: `kubernetes.port`, `colors[].name`, `secretEnv.*.key` (any key of a map). */
  readonly path: string;
  /** Its shape, without the `optional()` around it. */
  readonly shape: Exclude<Shape<unknown>, OptionalShape<unknown>>;
  /** `true` if its object cannot do without it. */
  readonly required: boolean;
  /**
   * What the model fills in when it is left out (`withDefault`).
   * @default - none that is one value
   */
  readonly defaultValue?: unknown;
}

/**
 * Every field of every object inside `shape`, through lists, maps and unions, in the order of the
 * shape, each field before the fields inside it.
 */
export function shapeFields(shape: Shape<unknown>): ShapeField[] {
  const fields: ShapeField[] = [];
  const walk = (at: Shape<unknown>, path: string): void => {
    switch (at.kind) {
      case 'optional':
        return walk(at.inner, path);
      case 'array':
        return walk(at.item, `${path}[]`);
      case 'record':
        return walk(at.value, `${path}.*`);
      case 'union':
        return at.options.forEach((option) => walk(option, path));
      case 'object':
        for (const [key, field] of Object.entries(at.fields)) {
          const inner = field.kind === 'optional' ? field.inner : field;
          const fieldPath = path === '' ? key : `${path}.${key}`;
          fields.push({
            path: fieldPath,
            shape: inner as ShapeField['shape'],
            required: field.kind !== 'optional',
            ...(field.kind === 'optional' && field.defaultValue !== undefined
              ? { defaultValue: field.defaultValue }
              : {}),
          });
          walk(inner, fieldPath);
        }
        return;
      default:
        return;
    }
  };
  walk(shape, '');
  return fields;
}
