import { specJsonSchemaText } from '../../spec-file/json-schema';
import { EXIT, Io } from '../output';

/**
 * `rainbow schema`: the JSON Schema of the spec file, for editors (yaml-language-server reads it
 * from a `# yaml-language-server: $schema=...` line) and for checks in other tools. Loads no cdktf.
 */
export function schemaCommand(io: Io): number {
  io.out(specJsonSchemaText().replace(/\n$/, ''));
  return EXIT.ok;
}
