import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { MESSAGES } from './messages';
import { Problem } from './problem';
import { validateSpec, ValidationResult } from './validate';

/**
 * Most a spec file may be: a hundred times a large real spec, and low enough that the YAML parser
 * (a few hundred bytes of memory per node) stays within ~100 MB on the worst input.
 */
export const MAX_SPEC_BYTES = 256 * 1024;

export interface ParsedDocument {
  readonly document?: unknown;
  readonly problems: readonly Problem[];
}

/**
 * Parses the text of a spec file, YAML or JSON (JSON is read as YAML 1.2, of which it is a subset).
 * Syntax errors, duplicate keys and alias bombs come back as problems at `<source>:<line>:<column>`.
 */
export function parseSpecText(text: string, source: string): ParsedDocument {
  if (text.trim() === '') return { problems: [{ path: source, message: MESSAGES.emptyDocument }] };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, strict: true });
  const errors = doc.errors.map((e) => ({
    path: e.linePos === undefined ? source : `${source}:${e.linePos[0].line}:${e.linePos[0].col}`,
    message: e.code === 'DUPLICATE_KEY' ? MESSAGES.duplicateKey : readable(e.message),
  }));
  if (errors.length > 0) return { problems: errors };
  if (doc.contents === null) return { problems: [{ path: source, message: MESSAGES.emptyDocument }] };
  try {
    return { document: doc.toJS({ maxAliasCount: 100 }), problems: [] };
  } catch (e) {
    return { problems: [{ path: source, message: readable((e as Error).message) }] };
  }
}

/** Reads a file's text, or the problem that prevents it (missing, a directory, too large, unreadable). */
export function readSpecText(file: string): { text?: string; problems: readonly Problem[] } {
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) return { problems: [{ path: file, message: MESSAGES.fileIsDirectory }] };
    if (stats.size > MAX_SPEC_BYTES) return { problems: [{ path: file, message: MESSAGES.fileTooLarge(stats.size, MAX_SPEC_BYTES) }] };
    const bytes = readFileSync(file);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text, problems: [] };
  } catch (e) {
    const error = e as NodeJS.ErrnoException;
    if (error.code === 'ENOENT') return { problems: [{ path: file, message: MESSAGES.fileNotFound }] };
    if (error.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return { problems: [{ path: file, message: MESSAGES.notUtf8 }] };
    return { problems: [{ path: file, message: MESSAGES.fileUnreadable(error.code ?? error.message) }] };
  }
}

/** Reads, parses and validates a spec file. Never throws for bad input: every problem is returned. */
export function loadSpec(file: string): ValidationResult {
  const read = readSpecText(file);
  if (read.text === undefined) return { problems: read.problems };
  const parsed = parseSpecText(read.text, file);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  return validateSpec(parsed.document);
}

/** The parser's message on one line, in words a person can act on. */
function readable(message: string): string {
  if (message.includes('Maximum call stack size exceeded')) return MESSAGES.tooDeep;
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
