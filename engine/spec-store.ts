import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileWriteError, FileWriteError, readSmallRegularFile, writeAll } from './files';
import { shortText } from '../model/messages';
import { Problem } from '../model/problem';
import { RainbowSpec } from '../model/types';
import { readSpecText, systemReason, validateSpecText } from '../spec-file/load';
import { ENGINE_MESSAGES } from './messages';

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
 * byte-order mark, if it had one. Throws `<file>: <reason>` (engine/files FileWriteError).
 */
export function writeSpecAtomically(
  file: string,
  expected: string,
  text: string,
  hooks: WriteHooks = {},
): 'written' | 'changed-on-disk' {
  try {
    return replaceText(file, expected, text, hooks);
  } catch (error) {
    // A full disk or a read-only file system is reported against the spec the user named,
    // not the temporary file or a bare file descriptor.
    if (typeof (error as NodeJS.ErrnoException).code === 'string') throw fileWriteError(file, error);
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
    writeAll(fd, bytes, file);
    fsyncSync(fd);
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
/** Most a lock file may be: rainbow writes about a hundred bytes. */
const MAX_LOCK_BYTES = 4096;

export interface SpecLock {
  /** Removes the lock, if it is still this process's. */
  release(): void;
}

/** Who holds a spec's lock, as its lock file says. */
export interface LockHolder {
  readonly pid: number;
  /** The host it runs on (os.hostname()); absent in a lock of rainbow 0.2 or earlier. */
  readonly host?: string;
  /** When it took the lock, ISO 8601 UTC to the second. */
  readonly startedAt?: string;
  /** What holds it, such as `rainbow release green`. */
  readonly purpose?: string;
}

export interface LockOptions {
  /** How long to wait for another holder before refusing. @default LOCK_WAIT_MS */
  readonly waitMs?: number;
  /** What takes the lock, named to whoever finds it taken. @default 'rainbow edit' */
  readonly purpose?: string;
}

/** The lock of a spec: `.rainbow.yaml.lock` beside the file a symbolic link leads to. */
export function lockPath(file: string): string {
  const target = realpathSync(file);
  return join(dirname(target), `.${basename(target)}.lock`);
}

/** The lock as a person finds it: beside the spec as they named it, unless a link leads elsewhere. */
function shownLockPath(file: string, lock: string): string {
  try {
    if (realpathSync(dirname(file)) === dirname(lock)) return join(dirname(file), basename(lock));
  } catch {
    // the lock's own path says it
  }
  return lock;
}

/**
 * Takes the edit lock of a spec, so that two edits never read the same text and both write: the
 * second waits until the first has written. The lock is a file created whole (a temporary file
 * holding the holder's pid, host, start time and purpose, hard-linked into place, which fails if
 * it exists). A lock of this host whose process is gone (killed mid-edit) is stale and taken
 * over; a live holder, or one on another host (whose process cannot be checked from here), is
 * waited for up to `waitMs`, then refused with its holder named. Anything at the lock's path that
 * is not a small regular file is neither read nor removed: it is refused. A spec that does not
 * exist needs no lock: reading it reports the problem.
 */
export function lockSpec(
  file: string,
  options: number | LockOptions = {},
): SpecLock | { problems: readonly Problem[] } {
  const { waitMs = LOCK_WAIT_MS, purpose = 'rainbow edit' } =
    typeof options === 'number' ? { waitMs: options } : options;
  let lock: string;
  try {
    lock = lockPath(file);
  } catch {
    return { release: () => {} };
  }
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    purpose,
  };
  const failed = (error: unknown) => {
    const reason = error instanceof FileWriteError ? error.reason : systemReason(error as NodeJS.ErrnoException);
    return { problems: [{ path: file, message: ENGINE_MESSAGES.lockFailed(reason) }] };
  };
  const deadline = Date.now() + waitMs;
  for (;;) {
    let found: LockRead;
    try {
      if (createLock(lock, me)) return { release: () => releaseLock(lock) };
      found = readLock(lock);
    } catch (error) {
      return failed(error);
    }
    if ('notAFile' in found)
      return { problems: [{ path: file, message: lockNotAFile(shownLockPath(file, lock), found.notAFile) }] };
    const holder = found.holder;
    if (holder !== undefined && onThisHost(holder) && !processAlive(holder.pid)) {
      try {
        removeStaleLock(lock, holder.pid);
      } catch (error) {
        return failed(error);
      }
      continue;
    }
    if (Date.now() >= deadline) {
      // Empty all this time: its creator died between creating and writing it.
      if (holder === undefined) {
        try {
          removeStaleLock(lock, 0);
        } catch (error) {
          return failed(error);
        }
        continue;
      }
      return {
        problems: [
          { path: file, message: ENGINE_MESSAGES.locked(holder, shownLockPath(file, lock), !onThisHost(holder)) },
        ],
      };
    }
    sleep(LOCK_POLL_MS);
  }
}

/**
 * Who holds the edit lock of `file` now, for messages; undefined when nobody does, or when what
 * is there is not a lock rainbow wrote. Reads at most a few KiB of a regular file, never through a link.
 */
export function readLockHolder(file: string): LockHolder | undefined {
  try {
    const found = readLock(lockPath(file));
    return 'holder' in found ? found.holder : undefined;
  } catch {
    return undefined;
  }
}

/** A lock of an older rainbow names no host: it was written where its spec is, as far as one can tell. */
function onThisHost(holder: LockHolder): boolean {
  return holder.host === undefined || holder.host === hostname();
}

function lockNotAFile(lock: string, what: string): string {
  return `the edit lock ${lock} is ${what}, not a lock file rainbow writes; nothing written: remove it, then run the command again`;
}

/** The lock file's text: one JSON object on one line. */
function lockText(holder: LockHolder): string {
  return `${JSON.stringify({ pid: holder.pid, host: holder.host, startedAt: holder.startedAt, purpose: holder.purpose })}\n`;
}

/** Creates the lock naming this process; false when it exists. */
function createLock(lock: string, me: LockHolder): boolean {
  const temp = join(dirname(lock), temporaryName(lock.replace(/\.lock$/, ''), process.pid));
  const text = Buffer.from(lockText(me));
  writeNewFile(temp, text);
  try {
    linkSync(temp, lock);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // A file system without hard links: create it exclusively instead; a reader may then see
    // it empty for a moment, which readLock reads as "live".
    try {
      writeNewFile(lock, text);
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Creates `path` (failing with EEXIST if anything is there, a link included) holding `bytes`. */
function writeNewFile(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeAll(fd, bytes, path);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

type LockRead = { holder?: LockHolder } | { notAFile: string };

/**
 * What is at the lock's path: its holder; no holder when it is gone or not written yet; or what
 * it is when it is not a lock file at all. Only a regular file is opened (a link is not
 * followed), without blocking, and at most MAX_LOCK_BYTES + 1 bytes of it are read.
 */
function readLock(lock: string): LockRead {
  const read = readSmallRegularFile(lock, MAX_LOCK_BYTES);
  if (read === undefined) return {};
  if ('notAFile' in read) return { notAFile: read.notAFile };
  if ('tooLarge' in read) return { notAFile: `a file of ${read.tooLarge} bytes` };
  return { holder: parseLock(read.text) };
}

/**
 * The holder a lock's text names: the JSON this version writes, or the bare pid of rainbow 0.2.
 * Its strings come from a file anyone could have written: they are cut short and made visible
 * before they reach a message.
 */
function parseLock(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return validPid(Number(trimmed)) ? { pid: Number(trimmed) } : undefined;
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { pid, host, startedAt, purpose } = data as Record<string, unknown>;
  if (typeof pid !== 'number' || !validPid(pid)) return undefined;
  const shown = (value: unknown, max: number) =>
    typeof value === 'string' && value !== '' ? shortText(value, max) : undefined;
  return {
    pid,
    host: shown(host, 255),
    startedAt:
      typeof startedAt === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(startedAt) ? startedAt : undefined,
    purpose: shown(purpose, 100),
  };
}

function validPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0 && pid < 2 ** 31;
}

/** Whether the lock at `lock` names a live holder other than `dead` (another host's always counts as live). */
function heldByOtherLive(lock: string, dead: number): boolean {
  const found = readLock(lock);
  const holder = 'holder' in found ? found.holder : undefined;
  if (holder === undefined) return false;
  return !onThisHost(holder) || (holder.pid !== dead && processAlive(holder.pid));
}

/** Whether the lock names this very process. */
function heldByMe(lock: string): boolean {
  const found = readLock(lock);
  return (
    'holder' in found && found.holder !== undefined && found.holder.pid === process.pid && onThisHost(found.holder)
  );
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
  if (heldByOtherLive(aside, dead)) {
    try {
      linkSync(aside, lock);
    } catch {
      // Someone else holds the lock now; the moved one's holder will find it changed on disk.
    }
  }
  rmSync(aside, { force: true });
}

function releaseLock(lock: string): void {
  try {
    if (heldByMe(lock)) rmSync(lock, { force: true });
  } catch {
    // Unreadable now: it is not this process's to remove.
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
