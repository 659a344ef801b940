import { EXPECTED } from '../model/messages';
import { shapeJsonSchema } from '../model/shape';
import { specShape } from './schema';

/** Where the package ships the JSON Schema, and where an example's `$schema` line points. */
export const JSON_SCHEMA_FILE = 'schema/rainbow.schema.json';

/**
 * The JSON Schema (draft 2020-12) of a spec file, generated from the shape that `rainbow validate`
 * checks (schema.ts): each leaf's rule becomes its fragment, every object refuses unknown fields.
 * Rules between fields (weights add up to 100, unique names, ...) are not in it: `rainbow validate`
 * checks them.
 */
export function specJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'cdktf-rainbow spec file (rainbow.yaml)',
    description: EXPECTED.specFile,
    ...shapeJsonSchema(specShape),
  };
}

/** The schema as the package ships it: two-space JSON and a final newline. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
