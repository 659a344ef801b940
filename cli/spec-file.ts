import {
  closeSync, fchmodSync, fsyncSync, fstatSync, linkSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readSpecText, systemReason, validateSpecText } from '../spec/load';
import { MESSAGES } from '../spec/messages';
import { Problem } from '../spec/problem';
import { RainbowSpec } from '../spec/types';

export interface LoadedSpec {
  readonly text: string;
  readonly spec: RainbowSpec;
}

/** Reads and validates a spec file, keeping its text for editing. */
export function readSpec(file: string): LoadedSpec | { problems: readonly Problem[] } {
  const read = readSpecText(file);
  if (read.text === undefined) return { problems: read.problems };
  const { spec, problems } = validateSpecText(read.text, file);
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
  try {
    return replaceText(file, expected, text, hooks);
  } catch (error) {
    // A full disk or a read-only file system is reported against the spec the user named,
    // not the temporary file or a bare file descriptor.
    if (typeof (error as NodeJS.ErrnoException).code === 'string') Object.assign(error as object, { path: file });
    throw error;
  }
}

function replaceText(file: string, expected: string, text: string, hooks: WriteHooks): 'written' | 'changed-on-disk' {
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

/** How long an edit waits for another one on the same spec before it gives up. */
export const LOCK_WAIT_MS = 10_000;
const LOCK_POLL_MS = 25;

export interface SpecLock {
  /** Removes the lock, if it is still this process's. */
  release(): void;
}

/** The lock of a spec: `.rainbow.yaml.lock` beside the file a symbolic link leads to. */
export function lockPath(file: string): string {
  const target = realpathSync(file);
  return join(dirname(target), `.${basename(target)}.lock`);
}

/**
 * Takes the edit lock of a spec, so that two edits never read the same text and both write: the
 * second waits until the first has written. The lock is a file created whole (a temporary file
 * holding the pid, hard-linked into place, which fails if it exists). A lock whose process is
 * gone (killed mid-edit) is stale and taken over; a live holder is waited for up to `waitMs`, then
 * the edit is refused. A spec that does not exist needs no lock: reading it reports the problem.
 */
export function lockSpec(file: string, waitMs = LOCK_WAIT_MS): SpecLock | { problems: readonly Problem[] } {
  let lock: string;
  try {
    lock = lockPath(file);
  } catch {
    return { release: () => {} };
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    let holder: number | undefined;
    try {
      if (createLock(lock)) return { release: () => releaseLock(lock) };
      holder = lockHolder(lock);
    } catch (error) {
      return { problems: [{ path: file, message: MESSAGES.lockFailed(systemReason(error as NodeJS.ErrnoException)) }] };
    }
    if (holder !== undefined && !processAlive(holder)) {
      removeStaleLock(lock, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      // Empty all this time: its creator died between creating and writing it.
      if (holder === undefined) {
        removeStaleLock(lock, 0);
        continue;
      }
      return { problems: [{ path: file, message: MESSAGES.locked(holder) }] };
    }
    sleep(LOCK_POLL_MS);
  }
}

/** Creates the lock holding this pid; false when it exists. */
function createLock(lock: string): boolean {
  const temp = join(dirname(lock), temporaryName(lock.replace(/\.lock$/, ''), process.pid));
  writeFileSync(temp, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
  try {
    linkSync(temp, lock);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // A file system without hard links: create it exclusively instead; a reader may then see
    // it empty for a moment, which lockHolder reads as "live".
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The pid in a lock; undefined when it is gone or not written yet. */
function lockHolder(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes a lock whose holder is dead. It is first renamed aside, so that when two processes
 * find the same stale lock and one has already replaced it by its own, the other puts that live
 * lock back instead of deleting it.
 */
function removeStaleLock(lock: string, dead: number): void {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    renameSync(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = lockHolder(aside);
  if (moved !== undefined && moved !== dead && processAlive(moved)) {
    try {
      linkSync(aside, lock);
    } catch {
      // Someone else holds the lock now; the moved one's holder will find it changed on disk.
    }
  }
  rmSync(aside, { force: true });
}

function releaseLock(lock: string): void {
  if (lockHolder(lock) === process.pid) rmSync(lock, { force: true });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
