import { closeSync, constants, fstatSync, openSync, readSync, Stats, statSync } from 'node:fs';
import { Document, isScalar, Lexer, LineCounter, parseDocument, visit } from 'yaml';
import { shortText } from '../model/messages';
import { locateProblems } from './locate';
import { Problem } from '../model/problem';
import { ValidationResult } from '../model/spec-rules';
import { validateSpec } from './validate';
import { FILE_MESSAGES } from './messages';
import { syntaxProblems } from './yaml-errors';

/**
 * Most a spec file may be: a hundred times a large real spec, and low enough that the YAML parser
 * (a few hundred bytes of memory per node) stays within ~100 MB on the worst input.
 */
export const MAX_SPEC_BYTES = 256 * 1024;

/**
 * Most list items and mapping keys a spec file may hold: fifty times a large real spec (the Gateway
 * API example holds 36). Counted by the YAML lexer before anything is parsed, so a document of
 * many small values is refused in milliseconds: within the byte limit, 24 000 keys of one flow
 * mapping took the parser seconds (its duplicate-key check compares every pair), and a list of
 * 130 000 items most of a second under a 128 MB heap.
 */
export const MAX_SPEC_VALUES = 10_000;

/**
 * Most collections a spec may open one inside another where the parser recurses without a line of
 * indentation each: flow collections (`[`, `{`) and items started on one line (`- - x`). A spec is a
 * few levels deep; the parser runs out of stack near a thousand, after most of a second.
 */
export const MAX_SPEC_DEPTH = 64;

/** The lexer's markers, which are not text of the source (a source holding them is refused before). */
const LEXER_MARKERS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * One pass of the YAML lexer over a YAML or JSON text, before anything is parsed: its list items
 * and mapping keys (stops past `maxEntries`), and the offset where it nests deeper than `maxDepth`.
 */
function scanTokens(text: string, maxEntries: number, maxDepth: number): { entries: number; tooDeepAt?: number } {
  let entries = 0;
  let flow = 0;
  let sameLine = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '-' || token === ',' || token === ':' || token === '?') entries += 1;
    if (entries > maxEntries) break;
    if (token === '[' || token === '{') flow += 1;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    // Inside a flow collection, `? key: value` is one entry of it, not a nested collection.
    else if ((token === '-' || token === '?') && flow === 0) sameLine += 1;
    else if (token === '\n' || token === '\r\n') sameLine = 0;
    if (flow + sameLine > maxDepth) return { entries, tooDeepAt: offset };
    if (!LEXER_MARKERS.has(token)) offset += token.length;
  }
  return { entries };
}

export interface ParsedDocument {
  readonly document?: unknown;
  readonly problems: Problem[];
}

/**
 * The YAML nodes of each document parseSpecText read, to place the problems found in it later;
 * kept aside so that a ParsedDocument stays plain data.
 */
const NODES = new WeakMap<ParsedDocument, { doc: Document; lineCounter: LineCounter; source: string }>();

/**
 * Parses the text of a spec file, YAML or JSON (JSON is read as YAML 1.2, of which it is a subset).
 * Syntax errors, duplicate keys, alias bombs, YAML 1.1 documents, line breaks of a lone CR and
 * numbers that do not mean what they say come back as problems at `<source>:<line>:<column>`.
 * A document that is not a mapping is described by its type and size, never echoed: the file
 * may be something else entirely (`/proc/self/environ`).
 */
export function parseSpecText(text: string, source: string): ParsedDocument {
  if (text.trim() === '') return { problems: [{ path: source, message: FILE_MESSAGES.emptyDocument }] };
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  // YAML 1.2 allows only printable characters in a file (c-printable); a control character is
  // also the sign of a file that is not a spec at all (`/proc/self/environ` is NUL-separated).
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.exec(text);
  if (control !== null) {
    const before = text.slice(0, control.index).split('\n');
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      problems: [
        {
          path: `${source}:${before.length}:${before[before.length - 1].length + 1}`,
          message: FILE_MESSAGES.rawControlCharacter(code),
        },
      ],
    };
  }
  const loneCr = /\r(?!\n)/.exec(text);
  if (loneCr !== null) {
    const line = text.slice(0, loneCr.index).split('\n').length;
    return { problems: [{ path: `${source}:${line}`, message: FILE_MESSAGES.loneCarriageReturn }] };
  }
  const scan = scanTokens(text, MAX_SPEC_VALUES, MAX_SPEC_DEPTH);
  if (scan.entries > MAX_SPEC_VALUES)
    return { problems: [{ path: source, message: FILE_MESSAGES.tooManyValues(MAX_SPEC_VALUES) }] };
  if (scan.tooDeepAt !== undefined) {
    const before = text.slice(0, scan.tooDeepAt).split('\n');
    return {
      problems: [
        { path: `${source}:${before.length}:${before[before.length - 1].length + 1}`, message: FILE_MESSAGES.tooDeep },
      ],
    };
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, strict: true, lineCounter });
  if (doc.errors.length > 0) return { problems: syntaxProblems(doc.errors, text, lineCounter, source) };
  if (doc.directives?.yaml.explicit === true && doc.directives.yaml.version !== '1.2') {
    return { problems: [{ path: at(0), message: FILE_MESSAGES.yamlVersion(doc.directives.yaml.version) }] };
  }
  if (doc.contents === null) return { problems: [{ path: source, message: FILE_MESSAGES.emptyDocument }] };
  if (isScalar(doc.contents))
    return { problems: [{ path: 'spec', message: FILE_MESSAGES.notAnObject(describeScalar(doc.contents.value)) }] };
  const nodeProblems = scalarProblems(doc, text, at);
  if (nodeProblems.length > 0) return { problems: nodeProblems };
  try {
    const parsed = { document: doc.toJS({ maxAliasCount: 100 }) as unknown, problems: [] };
    NODES.set(parsed, { doc, lineCounter, source });
    return parsed;
  } catch (e) {
    return { problems: [{ path: source, message: readable((e as Error).message) }] };
  }
}

/**
 * Aliases without an anchor before them or inside the node they name, and numbers whose value is a whole number their
 * text does not say exactly (`89.99999999999999999` is read as 90, `99999999999999999999` as 1e20):
 * a whole-number field would otherwise accept a value nobody wrote.
 */
function scalarProblems(doc: Document, text: string, at: (offset: number) => string): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Alias(_, node, path) {
      const target = node.resolve(doc);
      if (target === undefined)
        problems.push({ path: at(node.range?.[0] ?? 0), message: FILE_MESSAGES.unresolvedAlias(node.source) });
      // An alias inside the node it names makes the document recursive (`a: &x [*x]`): endless to
      // read, and no spec field can hold it.
      else if ((path as readonly unknown[]).includes(target))
        problems.push({ path: at(node.range?.[0] ?? 0), message: FILE_MESSAGES.recursiveAlias(node.source) });
    },
    Scalar(_, node) {
      if (
        typeof node.value !== 'number' ||
        !Number.isInteger(node.value) ||
        node.range === undefined ||
        node.range === null
      )
        return;
      const written = text.slice(node.range[0], node.range[1]);
      if (!writtenExactly(written, node.value))
        problems.push({ path: at(node.range[0]), message: FILE_MESSAGES.inexactNumber(written, node.value) });
    },
  });
  return problems;
}

/** Whether a number's source text (YAML 1.2 core: decimal, `0x`, `0o`) is exactly the whole number it was read as. */
function writtenExactly(written: string, value: number): boolean {
  const target = BigInt(value);
  const based = /^([-+]?)(0x[0-9a-fA-F]+|0o[0-7]+)$/.exec(written);
  if (based !== null) return (based[1] === '-' ? -BigInt(based[2]) : BigInt(based[2])) === target;
  const decimal = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(written);
  if (decimal === null) return false;
  const digits = `${decimal[2]}${decimal[3] ?? ''}`.replace(/^0+/, '');
  if (digits === '') return target === 0n;
  const exponent = Number(decimal[4] ?? '0') - (decimal[3] ?? '').length;
  if (Math.abs(exponent) > 400) return false;
  const mantissa = decimal[1] === '-' ? -BigInt(digits) : BigInt(digits);
  return exponent >= 0 ? mantissa * 10n ** BigInt(exponent) === target : mantissa === target * 10n ** BigInt(-exponent);
}

/** A top-level scalar by its type and size only. */
function describeScalar(value: unknown): string {
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

function describeStats(stats: Stats): string | undefined {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return undefined;
}

/**
 * Reads a file's text, or the problem that prevents it (missing, a directory, not a regular file,
 * too large, unreadable). Only a regular file is read, and at most MAX_SPEC_BYTES + 1 bytes of it,
 * whatever its size says: files under /proc say 0, a device says nothing, and a FIFO is never
 * opened for reading without O_NONBLOCK, so none of them can hang or exhaust memory.
 */
export function readSpecText(file: string): { text?: string; problems: readonly Problem[] } {
  const problem = (message: string) => ({ problems: [{ path: file, message }] });
  let fd: number | undefined;
  try {
    const kind = checkKind(statSync(file));
    if (kind !== undefined) return problem(kind);
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const opened = checkKind(fstatSync(fd));
    if (opened !== undefined) return problem(opened);
    const bytes = readAtMost(fd, MAX_SPEC_BYTES + 1);
    if (bytes.length > MAX_SPEC_BYTES) return problem(FILE_MESSAGES.fileReadTooLarge(MAX_SPEC_BYTES));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text, problems: [] };
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code === 'ENOENT') return problem(FILE_MESSAGES.fileNotFound);
    if (error.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return problem(FILE_MESSAGES.notUtf8);
    return problem(FILE_MESSAGES.fileUnreadable(systemReason(error)));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The problem with a file's type or size as stat says it, if any. */
function checkKind(stats: Stats): string | undefined {
  if (stats.isDirectory()) return FILE_MESSAGES.fileIsDirectory;
  if (!stats.isFile()) return FILE_MESSAGES.notRegularFile(describeStats(stats) ?? 'not a regular file');
  if (stats.size > MAX_SPEC_BYTES) return FILE_MESSAGES.fileTooLarge(stats.size, MAX_SPEC_BYTES);
  return undefined;
}

function readAtMost(fd: number, limit: number): Buffer {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  while (length < limit) {
    const read = readSync(fd, buffer, length, limit - length, null);
    if (read === 0) break;
    length += read;
  }
  return buffer.subarray(0, length);
}

/**
 * A system error in words, with its code: `no space left on device (ENOSPC)`. Node's messages
 * read `ENOSPC: no space left on device, write '/path'`; the path is said elsewhere.
 */
export function systemReason(error: NodeJS.ErrnoException): string {
  const words = /^[A-Z0-9_]+: (.*?)(?:, \w+(?: '.*')?)?$/.exec(error.message.split('\n')[0]);
  if (error.code === undefined || words === null) return shortText(error.message.split('\n')[0], 200);
  return `${words[1]} (${error.code})`;
}

/** Reads, parses and validates a spec file. Never throws for bad input: every problem is returned. */
export function loadSpec(file: string): ValidationResult {
  const read = readSpecText(file);
  if (read.text === undefined) return { problems: [...read.problems] };
  return validateSpecText(read.text, file);
}

/**
 * Parses and validates the text of a spec file; every problem is reported at its place in the
 * text, `<source>:<line>:<column>: <path>: <message>`.
 */
export function validateSpecText(text: string, source: string): ValidationResult {
  const parsed = parseSpecText(text, source);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const result = validateSpec(parsed.document);
  const nodes = NODES.get(parsed);
  if (result.spec !== undefined || nodes === undefined) return result;
  return { problems: locateProblems(result.problems, nodes.doc, nodes.lineCounter, nodes.source) };
}

/**
 * The parser's message on one line, in words a person can act on. The parser sometimes quotes
 * the input (a tag, a directive): the message is cut short and its control characters escaped.
 */
function readable(message: string): string {
  if (message.includes('Maximum call stack size exceeded')) return FILE_MESSAGES.tooDeep;
  return shortText(message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 200);
}
