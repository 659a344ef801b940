import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Problem } from '../model/problem';
import { MAX_SPEC_BYTES, systemReason } from '../spec-file/load';
import { fileWriteError, replaceFileAtomically } from './files';
import { ReleasePause, ReleaseRecord } from './release';

/**
 * The release record: `.rainbow.yaml.release.json` beside the file the spec's path leads to, as
 * the spec's lock is. It holds what the release last deployed and wrote (two spec texts), so it is
 * read as the spec is: a regular file only (never through a link a pull request may have added),
 * at most twice a spec's size and some, or refused.
 */

const MAX_RECORD_BYTES = 2 * MAX_SPEC_BYTES + 64 * 1024;

/** Where the record of `specFile` lives. */
export function recordPath(specFile: string): string {
  const target = realpathSync(specFile);
  return join(dirname(target), `.${basename(target)}.release.json`);
}

const unreadable = (file: string, why: string): { problems: readonly Problem[] } => ({
  problems: [{ path: file, message: `the release record cannot be read: ${why}; remove it once you know what is deployed` }],
});

function isPause(value: unknown): value is ReleasePause {
  const p = value as Partial<ReleasePause> | null;
  return typeof p === 'object' && p !== null && typeof p.weight === 'number' && typeof p.reason === 'string' && typeof p.bakeAgain === 'boolean';
}

/** The record, undefined when there is none, or why it cannot be read. */
export function readRecord(specFile: string): ReleaseRecord | undefined | { problems: readonly Problem[] } {
  const file = recordPath(specFile);
  let fd: number | undefined;
  try {
    const stat = lstatSync(file);
    if (!stat.isFile()) return unreadable(file, 'it is not a regular file');
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return unreadable(file, 'it is not a regular file');
    const buffer = Buffer.alloc(MAX_RECORD_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length;) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
    }
    if (length > MAX_RECORD_BYTES) return unreadable(file, `it is larger than ${MAX_RECORD_BYTES} bytes`);
    const value = JSON.parse(buffer.subarray(0, length).toString('utf8')) as Partial<ReleaseRecord> & { version?: number };
    const texts = [value.color, value.startedAt, value.deployed, value.written];
    if (value.version !== 1 || texts.some((t) => typeof t !== 'string') || typeof value.before !== 'object' || value.before === null
      || Object.values(value.before).some((w) => typeof w !== 'number') || (value.rollback !== undefined && typeof value.rollback !== 'string')
      || (value.paused !== undefined && !isPause(value.paused))) {
      return unreadable(file, 'it is not a record this version of rainbow wrote');
    }
    return {
      color: value.color!, startedAt: value.startedAt!, before: value.before!, deployed: value.deployed!, written: value.written!,
      ...(value.rollback === undefined ? {} : { rollback: value.rollback }),
      ...(value.paused === undefined ? {} : { paused: { weight: value.paused.weight, reason: value.paused.reason, bakeAgain: value.paused.bakeAgain } }),
    };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    if (error instanceof SyntaxError) return unreadable(file, 'it is not JSON');
    return unreadable(file, systemReason(e));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes the record whole (engine/files.ts: a temporary file, flushed, renamed over it, so a crash
 * leaves the old record or the new one), or removes it. Errors are thrown as `<record>: <reason>`.
 */
export function writeRecord(specFile: string, record: ReleaseRecord | undefined): void {
  const file = recordPath(specFile);
  if (record === undefined) {
    try {
      rmSync(file, { force: true });
    } catch (error) {
      throw fileWriteError(file, error);
    }
    return;
  }
  replaceFileAtomically(file, Buffer.from(`${JSON.stringify({ version: 1, ...record }, null, 2)}\n`), { mode: 0o644 });
}
