import {
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  Stats,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { systemReason } from '../spec-file/load';

/**
 * A file that could not be written, said as `<path>: <reason>`: `out.svg: no space left on device (ENOSPC)`.
 * `reason` and `code` are there for callers that put the path or the reason in a sentence of their own.
 */
export class FileWriteError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileWriteError';
  }
}

/** The error of a failed file operation, said against `file` (the file the user named, not a temporary one). */
export function fileWriteError(file: string, error: unknown): FileWriteError {
  if (error instanceof FileWriteError)
    return error.file === file ? error : new FileWriteError(file, error.reason, error.code);
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno?.code === 'string' && typeof errno.message === 'string')
    return new FileWriteError(file, systemReason(errno), errno.code);
  return new FileWriteError(file, error instanceof Error ? error.message.split('\n')[0] : String(error));
}

/**
 * Writes every byte, or throws `<path>: <reason>`. One write(2) may write less than it was given
 * (a disk with a page left takes that page and no more); Node's writeSync returns the count and
 * leaves the rest to the caller, so a single call would report success for half a file.
 */
export function writeAll(fd: number, bytes: Uint8Array, path: string): void {
  let offset = 0;
  while (offset < bytes.length) {
    let written: number;
    try {
      written = writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      throw fileWriteError(path, error);
    }
    // write(2) returns 0 only when it cannot go on: retrying would spin for ever.
    if (written <= 0) throw new FileWriteError(path, `wrote ${offset} of ${bytes.length} bytes`);
    offset += written;
  }
}

export interface ReplaceOptions {
  /**
   * The file's permissions, exactly, whatever the umask.
   * @default - those of a new file: 0o666 less the umask
   */
  readonly mode?: number;
}

/** A temporary file's name beside `target`: hidden, and naming the process that writes it. */
function temporaryNameBeside(target: string, suffix = 'tmp'): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.${suffix}`,
  );
}

/**
 * Writes `bytes` to a new temporary file beside `target` (created exclusively, so never through a
 * link someone put there), flushed to disk, and returns its name. On any error nothing is left
 * behind and the error names `target`.
 */
export function writeTemporaryBeside(target: string, bytes: Uint8Array, options: ReplaceOptions = {}): string {
  const temporary = temporaryNameBeside(target);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, options.mode ?? 0o666);
    if (options.mode !== undefined) fchmodSync(fd, options.mode);
    writeAll(fd, bytes, target);
    fsyncSync(fd);
    const closing = fd;
    fd = undefined;
    closeSync(closing);
    return temporary;
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    rmSync(temporary, { force: true });
    throw fileWriteError(target, error);
  }
}

/**
 * Replaces `path` with `bytes` atomically: a reader, a crash or a full disk sees the old file or
 * the new one, never part of one. `path` itself is replaced: a symbolic link there becomes a file,
 * and what it pointed to is left alone. Throws `<path>: <reason>`, leaving no temporary file.
 */
export function replaceFileAtomically(path: string, bytes: Uint8Array, options: ReplaceOptions = {}): void {
  const temporary = writeTemporaryBeside(path, bytes, options);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw fileWriteError(path, error);
  }
}

export interface FileToWrite {
  readonly path: string;
  readonly bytes: Uint8Array;
  /**
   * Whether an existing regular file there is replaced (keeping its permissions); when false a
   * file there, of any kind, fails the whole write with EEXIST.
   */
  readonly replace: boolean;
}

/**
 * What a file is, in words, when it is not a regular one (as lstat sees it: a link is a link); undefined for a regular
 * file.
 */
export function notRegularFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * A small file rainbow keeps beside the spec (a lock, the release record), read as the spec is:
 * a regular file only (a link is not followed: one a pull request added, to `/dev/zero`, is not
 * read), opened without blocking, and at most `maxBytes` + 1 bytes of it whatever its size says.
 * Undefined when there is none; `notAFile` says what is there instead; `tooLarge` its size.
 */
export function readSmallRegularFile(
  path: string,
  maxBytes: number,
): { text: string } | { notAFile: string } | { tooLarge: number } | undefined {
  let fd: number | undefined;
  try {
    const kind = notRegularFile(lstatSync(path));
    if (kind !== undefined) return { notAFile: kind };
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
    const stats = fstatSync(fd);
    const opened = notRegularFile(stats);
    if (opened !== undefined) return { notAFile: opened };
    if (stats.size > maxBytes) return { tooLarge: stats.size };
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read)
      read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) return { tooLarge: length };
    return { text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Replaced by a link between lstat and open.
    if (code === 'ELOOP') return { notAFile: 'a symbolic link' };
    throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A refusal to replace what is not a regular file: never written through, never removed. */
const notReplaced = (kind: string) => `is ${kind}, not a regular file; only regular files are replaced`;

/**
 * Writes several files together, all or none: every file is first written whole to a temporary
 * file beside it (a full disk fails here, with nothing touched), then each is renamed into place.
 * A file it replaces is kept as a hard link until all are in place, so that when a rename fails
 * the files already replaced get their originals back and the new ones are removed. Only regular
 * files are replaced: a symbolic link, a directory or a device there fails the whole write.
 * Throws `<path>: <reason>` naming the file that failed.
 */
export function writeFilesTogether(files: readonly FileToWrite[]): void {
  const staged: Array<{ file: FileToWrite; temporary: string; existed: boolean }> = [];
  try {
    for (const file of files) {
      let stats: Stats | undefined;
      try {
        stats = lstatOrUndefined(file.path);
      } catch (error) {
        throw fileWriteError(file.path, error);
      }
      if (stats !== undefined && !file.replace)
        throw new FileWriteError(file.path, 'file already exists (EEXIST)', 'EEXIST');
      const kind = stats === undefined ? undefined : notRegularFile(stats);
      if (kind !== undefined) throw new FileWriteError(file.path, notReplaced(kind));
      const mode = stats === undefined ? undefined : stats.mode & 0o7777;
      staged.push({
        file,
        temporary: writeTemporaryBeside(file.path, file.bytes, { mode }),
        existed: stats !== undefined,
      });
    }
  } catch (error) {
    for (const { temporary } of staged) rmSync(temporary, { force: true });
    throw error;
  }

  const done: Array<{ path: string; backup?: string }> = [];
  let failure: FileWriteError | undefined;
  for (const { file, temporary, existed } of staged) {
    let backup: string | undefined;
    try {
      if (existed) {
        // Checked again: a link or a folder put there since the first look is left alone too.
        const kind = notRegularFile(lstatSync(file.path));
        if (kind !== undefined) throw new FileWriteError(file.path, notReplaced(kind));
        backup = temporaryNameBeside(file.path, 'orig');
        keepAside(file.path, backup);
        renameSync(temporary, file.path);
      } else {
        placeNew(temporary, file.path);
      }
      done.push({ path: file.path, backup });
    } catch (error) {
      failure = fileWriteError(file.path, error);
      if (backup !== undefined) rmSync(backup, { force: true });
      break;
    }
  }
  if (failure === undefined) {
    for (const { backup } of done) if (backup !== undefined) rmSync(backup, { force: true });
    return;
  }
  for (const { path, backup } of done.reverse()) {
    try {
      if (backup !== undefined) renameSync(backup, path);
      else rmSync(path, { force: true });
    } catch {
      // The backup stays beside the file, under its hidden name: the original is not lost.
    }
  }
  for (const { temporary } of staged) rmSync(temporary, { force: true });
  throw failure;
}

/** File systems without hard links (FAT, some network shares) say so with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** A second name for `path`'s file, or a copy of it where hard links are not supported. */
function keepAside(path: string, backup: string): void {
  try {
    linkSync(path, backup);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    copyFileSync(path, backup, constants.COPYFILE_EXCL);
  }
}

/**
 * Puts `temporary` at `path`, where nothing was: link(2) fails on a file that appeared since the check, where rename(2)
 * would replace it.
 */
function placeNew(temporary: string, path: string): void {
  try {
    linkSync(temporary, path);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    if (lstatOrUndefined(path) !== undefined) throw new FileWriteError(path, 'file already exists (EEXIST)', 'EEXIST');
    renameSync(temporary, path);
    return;
  }
  rmSync(temporary, { force: true });
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // The write's own error is the one to report.
  }
}
