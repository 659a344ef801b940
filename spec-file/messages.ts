import { shortText } from '../model/messages';

/**
 * The texts of reading and parsing a spec file: what is wrong with the file itself, before any
 * field rule runs. The texts of the fields' rules are the model's (model/messages.ts).
 */
export const FILE_MESSAGES = {
  fileNotFound: 'no such file; pass the spec with --spec FILE or RAINBOW_SPEC (default ./rainbow.yaml), or write one with rainbow init',
  fileIsDirectory: 'is a directory, not a spec file',
  fileUnreadable: (reason: string) => `cannot be read: ${reason}`,
  fileTooLarge: (size: number, max: number) => `is ${size} bytes; expected a spec file of at most ${max} bytes`,
  notUtf8: 'is not UTF-8 text; expected a YAML or JSON file encoded as UTF-8',
  tooDeep: 'nested too deeply to read; expected a spec a few levels deep',
  tooManyValues: (max: number) => `holds more than ${max} list items and keys; expected a spec file of at most ${max} (a large real one holds a few hundred)`,
  duplicateKey: 'this key appears twice in the same object; expected each field once (the second would silently win)',
  emptyDocument: 'the file is empty; expected a spec object with at least app, platform and colors',
  notAnObject: (what: string) => `received ${what} at the top of the file; expected a spec object with at least app, platform and colors`,
  notRegularFile: (what: string) => `is ${what}, not a regular file; expected a spec file`,
  fileReadTooLarge: (max: number) => `holds more than ${max} bytes; expected a spec file of at most ${max} bytes`,
  rawControlCharacter: (code: string) =>
    `received the control character U+${code}; expected YAML or JSON text, which holds no control characters but tab and line breaks (inside double quotes, write one as an escape such as \\u001b)`,
  loneCarriageReturn: 'has a line break that is a lone carriage return (CR, as old Mac OS wrote); expected line breaks LF or CRLF: convert the line endings of the file',
  yamlVersion: (version: string) =>
    `received the directive %YAML ${shortText(version, 10)}; expected YAML 1.2 (remove the directive): YAML 1.1 reads values differently, 1:30 as the number 90 and yes as true`,
  recursiveAlias: (alias: string) => `received the alias *${shortText(alias, 40)} inside the node &${shortText(alias, 40)} names, which makes it hold itself; expected an alias to a node it is not part of`,
  unresolvedAlias: (alias: string) => `received the alias *${shortText(alias, 40)}, but no anchor &${shortText(alias, 40)} comes before it; expected an alias to an anchor defined earlier in the file`,
  inexactNumber: (written: string, value: number) =>
    `received the number ${shortText(written, 30)}, which reads as ${value}: a number cannot hold it exactly; expected the number written exactly, such as ${value}`,
} as const;

/** A field the schema does not know, with the closest known name and every allowed one. */
export function unknownField(allowed: readonly string[], suggestion: string | undefined): string {
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown field${hint}; allowed here: ${allowed.join(', ')}`;
}
