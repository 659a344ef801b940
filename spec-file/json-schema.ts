import { z } from 'zod';
import { EXPECTED } from '../model/messages';
import { JSON_FRAGMENTS, specSchema } from './schema';

/** Where the package ships the JSON Schema, and where an example's `$schema` line points. */
export const JSON_SCHEMA_FILE = 'schema/rainbow.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a spec file, generated from the zod schema: each leaf's
 * predicate becomes the fragment declared beside it, every object refuses unknown fields.
 * Rules between fields (weights add up to 100, unique names, ...) are not in it: `rainbow validate`
 * checks them.
 */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(specSchema, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: JSON_FRAGMENTS,
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // A leaf without a fragment would accept anything: refuse to generate a schema that lax.
      if (zodSchema._zod.def.type === 'custom' && Object.keys(jsonSchema).length === 0) {
        throw new Error('a spec field is checked by a predicate without a JSON Schema fragment: give its leaf() one');
      }
    },
  });
  return {
    $schema: schema.$schema,
    title: 'cdktf-rainbow spec file (rainbow.yaml)',
    description: EXPECTED.specFile,
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}

/** The schema as the package ships it: two-space JSON and a final newline. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
