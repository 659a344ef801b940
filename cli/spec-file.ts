import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readSpecText, parseSpecText } from '../spec/load';
import { Problem } from '../spec/problem';
import { RainbowSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';

export interface LoadedSpec {
  readonly text: string;
  readonly spec: RainbowSpec;
}

/** Reads and validates a spec file, keeping its text for editing. */
export function readSpec(file: string): LoadedSpec | { problems: readonly Problem[] } {
  const read = readSpecText(file);
  if (read.text === undefined) return { problems: read.problems };
  const parsed = parseSpecText(read.text, file);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const { spec, problems } = validateSpec(parsed.document);
  return spec === undefined ? { problems } : { text: read.text, spec };
}

/** JSON specs get JSON edits; YAML specs YAML ones. */
export function isJsonSpec(file: string, text: string): boolean {
  return file.endsWith('.json') || text.trimStart().startsWith('{');
}

export interface WriteHooks {
  /** Called once the new text is on disk beside the file, just before it replaces the file. */
  readonly beforeRename?: () => void;
}

/**
 * Replaces a file's text atomically: the new text goes to a temporary file in the same directory
 * (flushed to disk), which is renamed over the original, so a crash or Ctrl-C leaves the old file
 * or the new one, never half of one. Refuses, writing nothing, when the file no longer holds
 * `expected` (someone changed it since it was read). Keeps the file's permissions.
 */
export function writeSpecAtomically(file: string, expected: string, text: string, hooks: WriteHooks = {}): 'written' | 'changed-on-disk' {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temp, 'wx', statSync(file).mode & 0o777);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (readFileSync(file, 'utf8') !== expected) {
    unlinkSync(temp);
    return 'changed-on-disk';
  }
  hooks.beforeRename?.();
  renameSync(temp, file);
  return 'written';
}
