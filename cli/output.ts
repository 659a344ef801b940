import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { FileWriteError, writeAll } from '../engine/files';
import { formatProblem, Problem } from '../model/problem';
import { systemReason } from '../spec-file/load';
import { isRainbowEntryPoint } from './entry-point';

/** Exit codes: a public contract. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Standard streams that can no longer be written: their reader went away, or writing failed. */
const closed = { stdout: false, stderr: false };
let outputFailed = false;

const FD = { stdout: 1, stderr: 2 } as const;

/**
 * Whether a standard stream is a file (or a device such as /dev/full), which Node writes with one
 * write(2) a chunk and no check of how much of it was written: a disk with a few KiB left cuts
 * `status --json > file` short, exit 0. Pipes, sockets and terminals keep Node's own stream
 * (asynchronous pipes, EPIPE as an error event). Decided once, on the first line.
 */
const isFile: Partial<Record<keyof typeof FD, boolean>> = {};
function writesToFile(name: keyof typeof FD): boolean {
  if (isFile[name] === undefined) {
    try {
      const stats = fstatSync(FD[name]);
      isFile[name] = !isatty(FD[name]) && !stats.isFIFO() && !stats.isSocket();
    } catch {
      isFile[name] = false;
    }
  }
  return isFile[name];
}

function writeLine(name: keyof typeof FD, line: string): void {
  if (closed[name]) return;
  if (!writesToFile(name)) {
    process[name].write(`${line}\n`);
    return;
  }
  try {
    writeAll(FD[name], Buffer.from(`${line}\n`), name);
  } catch (error) {
    streamFailed(
      name,
      error instanceof FileWriteError ? error.reason : systemReason(error as NodeJS.ErrnoException),
      (error as NodeJS.ErrnoException).code,
    );
  }
}

export const processIo: Io = {
  out: (line) => writeLine('stdout', line),
  err: (line) => writeLine('stderr', line),
};

/**
 * A stream that failed writes nothing more; a failed stdout is said on stderr, and the exit code becomes 1
 * (guardStandardStreams).
 */
function streamFailed(name: keyof typeof FD, reason: string, code: string | undefined): void {
  if (closed[name]) return;
  closed[name] = true;
  if (code === 'EPIPE') return;
  outputFailed = true;
  if (name === 'stdout') writeLine('stderr', `stdout: ${reason}`);
}

/**
 * Makes write errors on stdout and stderr quiet and final, never a stack trace. A reader that
 * went away (EPIPE: `rainbow plan | head -2`) is normal: the output stops and the command ends
 * with the exit code it would have had, as `git log | head` does. Any other write error (a full
 * disk, a read-only file system) says `stdout: <reason>` on stderr and makes the exit code 1.
 */
export function guardStandardStreams(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    process[name].on('error', (error: NodeJS.ErrnoException) => streamFailed(name, systemReason(error), error.code));
  }
  process.on('exit', () => {
    if (outputFailed) process.exitCode = EXIT.invalid;
  });
}

/**
 * Ends the `rainbow` process (or the cdktf app's) now, once its work is done, when stdout and stderr hold no output and
 * have not failed: rather than after the garbage collections V8 still has queued and the teardown of the
 * heap (about 60 ms of a 16-color synth, bench/README.md). Output still held (pipes are
 * asynchronous on some systems) or a failed stream (its error event sets the exit code and says
 * why) leave it to Node to exit when they are done, as without this.
 */
export function exitWhenFlushed(): void {
  // Only the rainbow binary or the cdktf app ends its process: not a program or test that loaded them.
  if (!isRainbowEntryPoint()) return;
  const flushed = (stream: NodeJS.WriteStream) => stream.writableLength === 0 && !stream.errored;
  if (flushed(process.stdout) && flushed(process.stderr)) process.exit();
}

/**
 * One line for an error nothing else caught: `<path>: <reason>` for a system error on a file
 * (`rainbow.yaml: no space left on device (ENOSPC)`), else `rainbow: <message>`. The stack only
 * with RAINBOW_DEBUG set.
 */
export function reportUnexpected(io: Io, error: unknown): number {
  const errno = error as NodeJS.ErrnoException;
  if (error instanceof FileWriteError) io.err(error.message);
  else if (error instanceof Error && typeof errno.code === 'string' && typeof errno.path === 'string')
    io.err(`${errno.path}: ${systemReason(errno)}`);
  else if (error instanceof Error && typeof errno.code === 'string' && errno.syscall !== undefined)
    io.err(`rainbow: ${systemReason(errno)}`);
  else io.err(`rainbow: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  if (process.env.RAINBOW_DEBUG !== undefined && error instanceof Error && error.stack !== undefined)
    io.err(error.stack);
  return EXIT.invalid;
}

/** Every problem on its own line, `<path>: <message>`. */
export function reportProblems(io: Io, problems: readonly Problem[]): number {
  for (const problem of problems) io.err(formatProblem(problem));
  return EXIT.invalid;
}
