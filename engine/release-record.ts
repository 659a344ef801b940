import { realpathSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Problem } from '../model/problem';
import { MAX_SPEC_BYTES, systemReason } from '../spec-file/load';
import { fileWriteError, readSmallRegularFile, replaceFileAtomically } from './files';
import { LastRelease, ReleasePause, ReleaseRecord } from './release';
import type { RollbackStore } from './rollback';
import { readSpec, writeSpecAtomically } from './spec-store';

/**
 * The release record: `.rainbow.yaml.release.json` beside the file the spec's path leads to, as
 * the spec's lock is. It holds what the release last deployed and wrote (two spec texts), so it is
 * read as the spec is: a regular file only (never through a link a pull request may have added),
 * at most twice a spec's size and some, or refused.
 *
 * Once a release ends, the file keeps only `last`: what that release was and how it ended
 * (LastRelease), for `rainbow rollback` and `rainbow status`, and for a rollback git does not hold
 * yet, what is deployed. A file with `last` and no `color` is no unfinished release: readRecord
 * gives undefined for it.
 */

const MAX_RECORD_BYTES = 2 * MAX_SPEC_BYTES + 64 * 1024;

/** Where the record of `specFile` lives. */
export function recordPath(specFile: string): string {
  const target = realpathSync(specFile);
  return join(dirname(target), `.${basename(target)}.release.json`);
}

const unreadable = (file: string, why: string): { problems: readonly Problem[] } => ({
  problems: [
    { path: file, message: `the release record cannot be read: ${why}; remove it once you know what is deployed` },
  ],
});

function isPause(value: unknown): value is ReleasePause {
  const p = value as Partial<ReleasePause> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.weight === 'number' &&
    typeof p.reason === 'string' &&
    typeof p.bakeAgain === 'boolean'
  );
}

const OUTCOMES: ReadonlyArray<LastRelease['outcome']> = ['promoted', 'rolled-back', 'rolled-back-by-hand'];

function isLast(value: unknown): value is LastRelease {
  const l = value as Partial<LastRelease> | null;
  return (
    typeof l === 'object' &&
    l !== null &&
    typeof l.color === 'string' &&
    OUTCOMES.includes(l.outcome!) &&
    typeof l.startedAt === 'string' &&
    typeof l.endedAt === 'string' &&
    isWeights(l.before) &&
    (l.to === undefined || typeof l.to === 'string') &&
    (l.deployed === undefined || typeof l.deployed === 'string')
  );
}

const isWeights = (value: unknown): value is Record<string, number> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((w) => typeof w === 'number');

/** The record of an unfinished release, undefined when there is none, or why it cannot be read. */
export function readRecord(specFile: string): ReleaseRecord | undefined | { problems: readonly Problem[] } {
  const read = readRecordFile(specFile);
  return read === undefined || 'problems' in read ? read : read.record;
}

/** The last finished release, undefined when none is kept, or why the file cannot be read. */
export function readLastRelease(specFile: string): LastRelease | undefined | { problems: readonly Problem[] } {
  const read = readRecordFile(specFile);
  return read === undefined || 'problems' in read ? read : read.last;
}

interface RecordFile {
  readonly record?: ReleaseRecord;
  readonly last?: LastRelease;
}

function readRecordFile(specFile: string): RecordFile | undefined | { problems: readonly Problem[] } {
  const file = recordPath(specFile);
  try {
    const read = readSmallRegularFile(file, MAX_RECORD_BYTES);
    if (read === undefined) return undefined;
    if ('notAFile' in read) return unreadable(file, 'it is not a regular file');
    if ('tooLarge' in read) return unreadable(file, `it is larger than ${MAX_RECORD_BYTES} bytes`);
    const value = JSON.parse(read.text) as Partial<ReleaseRecord> & { version?: number; last?: unknown };
    if (value.last !== undefined && !isLast(value.last))
      return unreadable(file, 'it is not a record this version of rainbow wrote');
    const last = value.last === undefined ? {} : { last: copyLast(value.last) };
    if (value.version === 1 && value.color === undefined && value.last !== undefined) return last;
    const texts = [value.color, value.startedAt, value.deployed, value.written];
    if (
      value.version !== 1 ||
      texts.some((t) => typeof t !== 'string') ||
      typeof value.before !== 'object' ||
      value.before === null ||
      Object.values(value.before).some((w) => typeof w !== 'number') ||
      (value.rollback !== undefined && typeof value.rollback !== 'string') ||
      (value.paused !== undefined && !isPause(value.paused))
    ) {
      return unreadable(file, 'it is not a record this version of rainbow wrote');
    }
    if (
      (value.preRolloutPassed !== undefined && typeof value.preRolloutPassed !== 'boolean') ||
      (value.postPromotion !== undefined && typeof value.postPromotion !== 'boolean') ||
      (value.rollbackWritten !== undefined && typeof value.rollbackWritten !== 'boolean')
    )
      return unreadable(file, 'it is not a record this version of rainbow wrote');
    return {
      ...last,
      record: {
        color: value.color!,
        startedAt: value.startedAt!,
        before: value.before,
        deployed: value.deployed!,
        written: value.written!,
        ...(value.rollback === undefined ? {} : { rollback: value.rollback }),
        // Only with a rollback: without one there is nothing left unwritten.
        ...(value.rollback !== undefined && value.rollbackWritten === false ? { rollbackWritten: false as const } : {}),
        ...(value.paused === undefined
          ? {}
          : {
              paused: { weight: value.paused.weight, reason: value.paused.reason, bakeAgain: value.paused.bakeAgain },
            }),
        ...(value.preRolloutPassed === true ? { preRolloutPassed: true } : {}),
        ...(value.postPromotion === true ? { postPromotion: true } : {}),
      },
    };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (error instanceof SyntaxError) return unreadable(file, 'it is not JSON');
    return unreadable(file, systemReason(e));
  }
}

const copyLast = (l: LastRelease): LastRelease => ({
  color: l.color,
  outcome: l.outcome,
  startedAt: l.startedAt,
  endedAt: l.endedAt,
  before: { ...l.before },
  ...(l.to === undefined ? {} : { to: l.to }),
  ...(l.deployed === undefined ? {} : { deployed: l.deployed }),
});

/** The last finished release kept in the file now; none when the file is absent or unreadable (it is then replaced). */
function keptLast(specFile: string): LastRelease | undefined {
  const read = readRecordFile(specFile);
  return read === undefined || 'problems' in read ? undefined : read.last;
}

/**
 * Writes the record whole (engine/files.ts: a temporary file, flushed, renamed over it, so a crash
 * leaves the old record or the new one), or removes it, keeping the last finished release either
 * way. Errors are thrown as `<record>: <reason>`.
 */
export function writeRecord(specFile: string, record: ReleaseRecord | undefined): void {
  writeRecordFile(specFile, record, keptLast(specFile));
}

/**
 * Ends the release: its record removed and `last` kept as the last finished release, in one write
 * (a crash leaves the unfinished release or the finished one, never neither).
 */
export function writeLastRelease(specFile: string, last: LastRelease): void {
  writeRecordFile(specFile, undefined, last);
}

/**
 * After `rainbow destroy`: nothing is deployed, so no release may resume, nor start from what one
 * deployed. The record of an unfinished release is removed, and the last finished release is kept
 * without the text it deployed. A file that cannot be read is left as it is (a release refuses it).
 */
export function endAfterDestroy(specFile: string): void {
  const read = readRecordFile(specFile);
  if (read === undefined || 'problems' in read) return;
  if (read.record === undefined && read.last?.deployed === undefined) return;
  writeRecordFile(specFile, undefined, read.last === undefined ? undefined : { ...read.last, deployed: undefined });
}

function writeRecordFile(specFile: string, record: ReleaseRecord | undefined, last: LastRelease | undefined): void {
  const file = recordPath(specFile);
  if (record === undefined && last !== undefined) {
    replaceFileAtomically(file, Buffer.from(`${JSON.stringify({ version: 1, last }, null, 2)}\n`), { mode: 0o644 });
    return;
  }
  if (record === undefined) {
    try {
      rmSync(file, { force: true });
    } catch (error) {
      throw fileWriteError(file, error);
    }
    return;
  }
  replaceFileAtomically(
    file,
    Buffer.from(`${JSON.stringify({ version: 1, ...record, ...(last === undefined ? {} : { last }) }, null, 2)}\n`),
    { mode: 0o644 },
  );
}

/**
 * The spec file, its release record and the last finished release, as `rainbow release` and
 * `rainbow rollback` use them (ReleaseStore, RollbackStore).
 */
export function fileReleaseStore(specFile: string): RollbackStore {
  return {
    read: () => readSpec(specFile),
    write: (expected, text) => writeSpecAtomically(specFile, expected, text),
    readRecord: () => readRecord(specFile),
    writeRecord: (record) => writeRecord(specFile, record),
    readLastRelease: () => readLastRelease(specFile),
    writeLastRelease: (last) => writeLastRelease(specFile, last),
  };
}
