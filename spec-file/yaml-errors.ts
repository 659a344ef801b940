import { LineCounter, YAMLError } from 'yaml';
import { Problem } from '../model/problem';
import { FILE_MESSAGES, SYNTAX_MESSAGES } from './messages';

/**
 * The YAML parser's errors said in words a person uses, at `<file>:<line>:<col>`. The parser
 * names its grammar ("Implicit keys need to be on a single line"); a person wrote a key indented
 * too far, or `weight:100` without its space. One mistake often makes several errors at one place:
 * only the first said of each line is kept.
 */
export function syntaxProblems(
  errors: readonly YAMLError[],
  text: string,
  lineCounter: LineCounter,
  source: string,
): Problem[] {
  const problems: Problem[] = [];
  const lines = new Set<number>();
  // The parser reports a key indented too far twice at one offset: as a nested mapping, then as a multi-line key.
  const multiline = new Set(errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  for (const error of errors) {
    if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(error.pos[0])) continue;
    const { offset, message } = explain(error, text);
    const { line, col } = lineCounter.linePos(offset);
    if (lines.has(line)) continue;
    lines.add(line);
    problems.push({ path: `${source}:${line}:${col}`, message });
  }
  return problems;
}

function explain(error: YAMLError, text: string): { offset: number; message: string } {
  const at = error.pos[0];
  const parser = error.message.split('\n')[0];
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return { offset: at, message: FILE_MESSAGES.duplicateKey };
    case 'BAD_INDENT':
      return {
        offset: at,
        message: /^Flow (sequence|mapping)/.test(parser)
          ? SYNTAX_MESSAGES.flowNotClosed(parser.includes('sequence') ? ']' : '}')
          : SYNTAX_MESSAGES.badIndent,
      };
    case 'MULTILINE_IMPLICIT_KEY':
      return multilineKey(error, text);
    case 'BLOCK_AS_IMPLICIT_KEY':
      return { offset: at, message: SYNTAX_MESSAGES.twoKeysOnALine };
    case 'TAB_AS_INDENT':
      return { offset: at, message: SYNTAX_MESSAGES.tabIndent };
    case 'MISSING_CHAR':
      return { offset: at, message: missingChar(parser) };
    case 'BAD_DQ_ESCAPE':
      return { offset: at, message: SYNTAX_MESSAGES.badEscape };
    case 'BAD_SCALAR_START':
      return { offset: at, message: SYNTAX_MESSAGES.reservedStart(text[at] ?? '') };
    case 'BLOCK_IN_FLOW':
      return { offset: at, message: SYNTAX_MESSAGES.blockInFlow };
    case 'MULTIPLE_DOCS':
      return { offset: at, message: SYNTAX_MESSAGES.multipleDocuments };
    case 'KEY_OVER_1024_CHARS':
      return { offset: at, message: SYNTAX_MESSAGES.keyTooLong };
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'ALIAS_PROPS':
    case 'BAD_PROP_ORDER':
    case 'BAD_ALIAS':
      return { offset: at, message: SYNTAX_MESSAGES.anchorsAndTags };
    case 'BAD_DIRECTIVE':
      return { offset: at, message: SYNTAX_MESSAGES.badDirective };
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_COLLECTION_TYPE':
      return { offset: at, message: SYNTAX_MESSAGES.tag };
    case 'NON_STRING_KEY':
      return { offset: at, message: SYNTAX_MESSAGES.nonStringKey };
    case 'RESOURCE_EXHAUSTION':
      return { offset: at, message: FILE_MESSAGES.tooDeep };
    case 'UNEXPECTED_TOKEN':
      return {
        offset: at,
        message: parser.startsWith('Block scalar header')
          ? SYNTAX_MESSAGES.blockScalarHeader
          : SYNTAX_MESSAGES.unexpected,
      };
    default:
      // IMPOSSIBLE: text where the grammar allows none, usually after a closed quote or bracket.
      return { offset: at, message: SYNTAX_MESSAGES.unexpected };
  }
}

/**
 * A key the parser read across two lines. Either the line before holds a complete `key: value`
 * and this one is indented deeper than its key (so it reads as more of that value), or the line
 * has no `: ` at all (`weight 100`, `weight:100`), and the next line reads as more of it.
 */
function multilineKey(error: YAMLError, text: string): { offset: number; message: string } {
  const [start, end] = error.pos;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  if (/\S/.test(before)) {
    // The key began as the value of the line's own key: the line after it is the one indented too far.
    const next = text.indexOf('\n', start);
    const nextStart = next < 0 || next >= end ? start : next + 1;
    const indent = /^[ ]*/.exec(text.slice(nextStart))![0].length;
    return { offset: nextStart + indent, message: SYNTAX_MESSAGES.indentedTooFar };
  }
  return { offset: start, message: SYNTAX_MESSAGES.noColon };
}

function missingChar(parser: string): string {
  if (parser.startsWith('Missing closing')) return SYNTAX_MESSAGES.quoteNotClosed(parser.includes('"') ? '"' : "'");
  if (parser.startsWith('Missing , or :') || parser.startsWith('Missing , between'))
    return SYNTAX_MESSAGES.missingComma;
  if (parser.startsWith('Missing space after :')) return SYNTAX_MESSAGES.noSpaceAfterColon;
  if (parser.startsWith('Implicit map keys need to be followed by map values')) return SYNTAX_MESSAGES.noColon;
  if (parser.startsWith('Comments must be separated')) return SYNTAX_MESSAGES.commentSpace;
  if (parser.startsWith('Sequence item without -')) return SYNTAX_MESSAGES.badIndent;
  return SYNTAX_MESSAGES.unexpected;
}
