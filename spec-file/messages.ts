import { shortText } from '../model/messages';

/**
 * The texts of reading and parsing a spec file: what is wrong with the file itself, before any
 * field rule runs. The texts of the fields' rules are the model's (model/messages.ts).
 */
export const FILE_MESSAGES = {
  fileNotFound:
    'no such file; pass the spec with --spec FILE or RAINBOW_SPEC (default ./rainbow.yaml), or write one with rainbow init',
  fileIsDirectory: 'is a directory, not a spec file',
  fileUnreadable: (reason: string) => `cannot be read: ${reason}`,
  fileTooLarge: (size: number, max: number) => `is ${size} bytes; expected a spec file of at most ${max} bytes`,
  notUtf8: 'is not UTF-8 text; expected a YAML or JSON file encoded as UTF-8',
  tooDeep: 'nested too deeply to read; expected a spec a few levels deep',
  tooManyValues: (max: number) =>
    `holds more than ${max} list items and keys; expected a spec file of at most ${max} (a large real one holds a few hundred)`,
  duplicateKey: 'this key appears twice in the same object; expected each field once (the second would silently win)',
  emptyDocument: 'the file is empty; expected a spec object with at least app, platform and colors',
  notAnObject: (what: string) =>
    `received ${what} at the top of the file; expected a spec object with at least app, platform and colors`,
  notRegularFile: (what: string) => `is ${what}, not a regular file; expected a spec file`,
  fileReadTooLarge: (max: number) => `holds more than ${max} bytes; expected a spec file of at most ${max} bytes`,
  rawControlCharacter: (code: string) =>
    `received the control character U+${code}; expected YAML or JSON text, which holds no control characters but tab and line breaks (inside double quotes, write one as an escape such as \\u001b)`,
  loneCarriageReturn:
    'has a line break that is a lone carriage return (CR, as old Mac OS wrote); expected line breaks LF or CRLF: convert the line endings of the file',
  yamlVersion: (version: string) =>
    `received the directive %YAML ${shortText(version, 10)}; expected YAML 1.2 (remove the directive): YAML 1.1 reads values differently, 1:30 as the number 90 and yes as true`,
  recursiveAlias: (alias: string) =>
    `received the alias *${shortText(alias, 40)} inside the node &${shortText(alias, 40)} names, which makes it hold itself; expected an alias to a node it is not part of`,
  unresolvedAlias: (alias: string) =>
    `received the alias *${shortText(alias, 40)}, but no anchor &${shortText(alias, 40)} comes before it; expected an alias to an anchor defined earlier in the file`,
  inexactNumber: (written: string, value: number) =>
    `received the number ${shortText(written, 30)}, which reads as ${value}: a number cannot hold it exactly; expected the number written exactly, such as ${value}`,
} as const;

/**
 * The YAML parser's errors in the words of a person writing the file (yaml-errors.ts picks one):
 * what is wrong on this line, and how to write it instead.
 */
export const SYNTAX_MESSAGES = {
  badIndent:
    'the indentation of this line does not match the lines above it: the keys of one object (and the "- " items of one list) start at the same column; indent it as far as the others, with spaces',
  indentedTooFar:
    'the indentation of this key does not match the lines above it: it is indented deeper than the key above, which already has a value, so it reads as more of that value; indent it as far as that key, or nest it under a key that ends with ":"',
  noColon:
    'this line has no "key: value": a key needs a colon and a space after it (weight: 100, not weight 100 or weight:100), or this line continues the one above by mistake',
  twoKeysOnALine:
    'this value holds another "key: value" on the same line: write a nested object on its own lines, indented under its key (kubernetes: on one line, host: x below it), or quote a value that contains ": "',
  tabIndent: 'this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces',
  quoteNotClosed: (quote: string) =>
    `a value opened with ${quote} is not closed: add the closing ${quote} on the line where the value ends`,
  flowNotClosed: (bracket: string) =>
    `a list or object opened with ${bracket === ']' ? '[' : '{'} above is not closed: end it with ${bracket}, or indent its continued lines further than its key`,
  missingComma: 'a comma is missing between two items inside [ ] or { }: separate the items with ", "',
  noSpaceAfterColon: 'inside [ ] or { }, a key needs a space after its colon: write {name: x}, not {name:x}',
  commentSpace: 'a comment needs a space before its #: write "value # comment"; quote a value that holds "#"',
  badEscape:
    'this double-quoted value holds a backslash escape YAML does not know: write \\\\ for a backslash, or put the value in single quotes',
  reservedStart: (char: string) =>
    `a value cannot start with ${char === '' ? 'this character' : `"${char === '`' ? '`' : char}"`} unquoted: put the value in quotes`,
  blockInFlow:
    'inside [ ] or { } a new line cannot start a "- " item or a "key: value" of its own: separate the items with commas, or write the list as "- " lines without the brackets',
  multipleDocuments:
    'the file holds a second document after a "---" line; expected one spec per file: remove the "---" and what follows, or merge the two',
  keyTooLong:
    'this key is longer than 1024 characters, or its colon is missing: a key and its ": " stay on one short line',
  anchorsAndTags:
    'an anchor (&name), alias (*name) or tag (!tag) is written where YAML does not allow it: at most one anchor and one tag before a value, none on an alias, and no ":" at the end of a name',
  badDirective:
    'a line starting with "%" is a YAML directive, and this one is unknown: remove it (a spec needs none), or quote the value',
  tag: 'a tag (a word after "!") that this YAML does not know, or that does not fit its value: remove the tag; a spec needs none',
  nonStringKey: 'a key that is a list or an object: keys are plain words',
  blockScalarHeader:
    'a "|" or ">" starts a block of text on the lines below it, and only a digit, "+" or "-" may follow it on its own line: move the text to the next lines, indented, or quote the value',
  unexpected:
    'this line holds text where YAML expects none: text after a closed quote or bracket, or a stray "]" or "}"; check the quotes and brackets of this line and the one above',
} as const;

/**
 * A field the schema does not know, with the closest known name and every allowed one; or, for a
 * field known at another level, where it belongs (at most three places, or the hint says nothing).
 */
export function unknownField(
  allowed: readonly string[],
  suggestion: string | undefined,
  elsewhere: readonly string[] = [],
): string {
  const places =
    elsewhere.length <= 1
      ? elsewhere.join('')
      : `${elsewhere.slice(0, -1).join(', ')} or ${elsewhere[elsewhere.length - 1]}`;
  const hint =
    suggestion !== undefined
      ? ` (did you mean "${suggestion}"?)`
      : elsewhere.length > 0 && elsewhere.length <= 3
        ? ` here (did you mean ${places}?)`
        : '';
  return `unknown field${hint}; allowed here: ${allowed.join(', ')}`;
}

/**
 * A check's PromQL query that does not parse (promql.ts): where in the query, 1-based, and what
 * was found there, in words. Tokens arrive quoted and escaped.
 */
export const PROMQL_MESSAGES = {
  syntaxError: (line: number, column: number, what: string) =>
    `PromQL syntax error at line ${line}, column ${column}: ${what}`,
  endOfQuery: 'unexpected end of the query',
  endAfter: (token: string, expected: string | undefined) =>
    `unexpected end of the query after ${token}${expected === undefined ? '' : `; expected ${expected}`}`,
  notClosed: (bracket: string, line: number, column: number) =>
    `unexpected end of the query: the ${bracket} at line ${line}, column ${column} is not closed`,
  unexpected: (token: string, after: string | undefined, expected: string | undefined) =>
    `unexpected ${token}${after === undefined ? '' : ` after ${after}`}${expected === undefined ? '' : `; expected ${expected}`}`,
  closesNothing: (token: string, opening: string) => `unexpected ${token}: no ${opening} before it is open`,
  closesWrong: (token: string, bracket: string, line: number, column: number, closing: string) =>
    `unexpected ${token}: the ${bracket} at line ${line}, column ${column} is still open; close it with "${closing}" first`,
  unknownFunction: (name: string) =>
    `unknown function ${name}; expected a PromQL function, such as rate, sum or histogram_quantile (https://prometheus.io/docs/prometheus/latest/querying/functions/)`,
  stringNotClosed: (quote: string) =>
    quote === '`'
      ? 'the string opened here with a backquote is not closed: end it with another backquote'
      : `the string opened here with ${quote} is not closed: end it with ${quote} on the same line`,
  unknownEscape: (escape: string) =>
    `unknown escape ${escape} in a string; expected \\\\ for a backslash (a regular expression's \\. is written \\\\.), \\" inside "..." and \\' inside '...', \\n, \\t, \\xHH or \\uHHHH; or quote the string with backquotes, which take no escapes`,
  otherSpace: (char: string, code: string) =>
    `unexpected ${char} (${code}), a space Prometheus does not read as one; expected a plain space, a tab or a line break`,
  /** What a place in the query needs, by what comes before it. */
  expected: {
    labelValue: 'a label value in quotes, such as "5.."',
    duration: 'a duration, such as 5m',
    time: 'a Unix time, start() or end()',
    labelNames: 'label names in parentheses, such as (le)',
    operand: 'a number, a metric or an expression in parentheses',
  },
  brackets: { '(': 'parenthesis "("', '[': 'bracket "["', '{': 'brace "{"' } as Record<string, string>,
} as const;
