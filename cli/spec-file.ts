import {
  closeSync, fchmodSync, fsyncSync, fstatSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
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

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The temporary files of a spec, `.rainbow.yaml.<pid>.<id>.tmp`. */
function temporaryName(target: string, pid: number): string {
  return `.${basename(target)}.${pid}.${Date.now().toString(36)}.tmp`;
}

/**
 * Removes the temporary files a killed edit of this spec left behind: those whose process is
 * gone. A live process's file is left alone (it may be about to rename it).
 */
function removeStaleTemporaries(target: string): void {
  const prefix = `.${basename(target)}.`;
  for (const name of readdirSync(dirname(target))) {
    const match = name.startsWith(prefix) ? /^(\d+)\.[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (match === null || Number(match[1]) === process.pid || processAlive(Number(match[1]))) continue;
    rmSync(join(dirname(target), name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file's text as the spec reader decodes it (UTF-8, without a byte-order mark). */
function decodedText(bytes: Buffer): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Replaces a file's text atomically: the new text goes to a temporary file in the same directory
 * (written whole and flushed to disk), which is renamed over the original, so a crash, a full
 * disk or Ctrl-C leaves the old file or the new one, never half of one. Refuses, writing nothing,
 * when the file no longer holds `expected` (someone changed it since it was read). A symbolic
 * link is followed: the file it points to is replaced. Keeps the file's permissions and its
 * byte-order mark, if it had one.
 */
export function writeSpecAtomically(file: string, expected: string, text: string, hooks: WriteHooks = {}): 'written' | 'changed-on-disk' {
  const target = realpathSync(file);
  removeStaleTemporaries(target);
  const original = readFileSync(target);
  const bytes = Buffer.concat([original.subarray(0, 3).equals(BOM) ? BOM : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  const temp = join(dirname(target), temporaryName(target, process.pid));
  const fd = openSync(temp, 'wx', 0o600);
  try {
    fchmodSync(fd, statSync(target).mode & 0o7777);
    writeFileSync(fd, bytes);
    fsyncSync(fd);
    if (fstatSync(fd).size !== bytes.length) throw new Error(`wrote ${fstatSync(fd).size} of ${bytes.length} bytes`);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  if (decodedText(readFileSync(target)) !== expected) {
    unlinkSync(temp);
    return 'changed-on-disk';
  }
  hooks.beforeRename?.();
  renameSync(temp, target);
  return 'written';
}
