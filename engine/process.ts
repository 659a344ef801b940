import { spawn } from 'node:child_process';

/**
 * Child processes of the engine (command checks, `cdktf deploy`, git), each in a session and
 * process group of its own (`setsid`, Node's `detached`):
 * - a Ctrl-C or a closed terminal reaches `rainbow`, never the child: the engine decides what the
 *   child gets (a deploy in flight is asked to stop, a rollback's deploy is left to finish);
 * - a timeout or an abort kills the whole group, so a check's `sleep 60 &` or a hung `curl` under
 *   a killed script dies with it;
 * - the result comes when the child exits, not when its pipes close: a grandchild that keeps them
 *   open can no longer hold the engine.
 * A child in its own session still reads the terminal it was given (cdktf's approval prompt):
 * only a process whose controlling terminal it is gets stopped for reading it.
 */

export interface ProcessOptions {
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /**
   * `inherit`: the child writes to rainbow's own stdout and stderr and reads its stdin (cdktf).
   * `capture`: stdin is closed, and the last `tailBytes` of stdout and stderr are kept (checks, git).
   */
  readonly stdio: 'inherit' | 'capture';
  /** `capture` only: what the child reads on stdin (closed after it). @default - stdin is closed at once */
  readonly input?: Buffer;
  /** How much of the output `capture` keeps, from the end. @default 4096 */
  readonly tailBytes?: number;
  /** Kill the group when the child outlives this many milliseconds. @default - no limit */
  readonly timeoutMs?: number;
  /** Kill the group when this aborts. */
  readonly signal?: AbortSignal;
  /**
   * Kill what is left of the group once the child has exited (a check's background processes).
   * @default true
   */
  readonly killGroupOnExit?: boolean;
}

export interface ProcessResult {
  /** The exit code; null when a signal ended it or it never started. */
  readonly code: number | null;
  /** The signal that ended it, such as `SIGKILL`. */
  readonly signal: NodeJS.Signals | null;
  /** Why it could not start (`ENOENT`: not found, `EACCES`: not executable). */
  readonly error?: NodeJS.ErrnoException;
  /** Killed because it outlived `timeoutMs`. */
  readonly timedOut: boolean;
  /** Killed because `signal` aborted. */
  readonly aborted: boolean;
  /** The tail of stdout and stderr, interleaved as they came (`capture` only). */
  readonly output: Buffer;
}

export interface RunningProcess {
  /** Its pid, which is also its process group's id; undefined when it did not start. */
  readonly pid: number | undefined;
  /** Settles once the child has exited (or failed to start); never rejects. */
  readonly result: Promise<ProcessResult>;
  /** Sends `signal` to the child's whole process group, if it is still running. */
  signalGroup(signal: NodeJS.Signals): void;
}

/** How long output may still arrive after the child has exited, from a pipe's last buffers. */
const DRAIN_MS = 50;

/**
 * Sends a signal to a process group. A group that is gone already is fine, and so is one none of
 * whose processes may be signalled any more (EPERM: only a setuid program such as `sudo` or `ping`
 * is left in it): this runs in timers and event handlers, where a throw would end rainbow
 * in the middle of a release.
 */
export function signalProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}

/** Starts `program` with `args`, without a shell, in a process group of its own. */
export function startProcess(program: string, args: readonly string[], options: ProcessOptions): RunningProcess {
  const tailBytes = options.tailBytes ?? 4096;
  const child = spawn(program, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: options.stdio === 'inherit' ? 'inherit' : [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  // A child that exits without reading all of it makes the pipe fail (EPIPE): its exit says what happened.
  child.stdin?.on('error', () => {});
  child.stdin?.end(options.input);
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer) => {
    tail =
      tail.length + chunk.length <= tailBytes
        ? Buffer.concat([tail, chunk])
        : Buffer.concat([tail, chunk]).subarray(-tailBytes);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let timedOut = false;
  let aborted = false;
  let exited = false;
  const kill = () => {
    if (!exited) signalProcessGroup(child.pid, 'SIGKILL');
  };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          kill();
        }, options.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  if (options.signal?.aborted === true) queueMicrotask(onAbort);
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const result = new Promise<ProcessResult>((resolve) => {
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      exited = true;
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      let drained = false;
      const done = () => {
        if (drained) return;
        drained = true;
        // What the child left behind (a check's `sleep 60 &`) goes with it, and so do the pipes
        // it may still hold open.
        if (options.killGroupOnExit !== false && error === undefined) signalProcessGroup(child.pid, 'SIGKILL');
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({ code, signal, error, timedOut, aborted, output: tail });
      };
      if (child.stdout === null || error !== undefined || closed) done();
      else {
        child.once('close', done);
        setTimeout(done, DRAIN_MS);
      }
    };
    let closed = false;
    child.once('close', () => {
      closed = true;
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish(null, null, error));
    child.on('exit', (code, signal) => finish(code, signal));
  });
  return {
    pid: child.pid,
    result,
    signalGroup: (signal) => {
      if (!exited) signalProcessGroup(child.pid, signal);
    },
  };
}
