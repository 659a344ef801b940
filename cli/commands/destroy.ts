import { createInterface } from 'node:readline';
import { destroyOrder, DestroyResult, destroyStacks } from '../../engine/destroy';
import { endAfterDestroy, readRecord } from '../../engine/release-record';
import { onTerminationSignals, TerminationSignal } from '../../engine/signals';
import { lockSpec, readSpec } from '../../engine/spec-store';
import { liveColors, routerStackName } from '../../model/types';
import { CLI_MESSAGES } from '../messages';
import { EXIT, Io, reportProblems } from '../output';
import { paint, STYLE } from '../table';
import { defaultParallelism, missingPrerequisite } from './apply';

export interface DestroyCommandOptions {
  /** Destroy without asking (`--yes`, `-y`, `--auto-approve`). */
  readonly yes?: boolean;
  /** Destroy although the spec sends traffic to the app. */
  readonly force?: boolean;
  /** Color stacks destroyed at once. @default the CPU count */
  readonly parallelism?: number;
  /** ANSI colors in the progress lines. */
  readonly color?: boolean;
}

/** Asks a question and resolves to the line answered, or undefined when there was none (end of input, Ctrl-C). */
export type Ask = (question: string) => Promise<string | undefined>;

/** What `destroy` takes from the world: tests pass stand-ins. */
export interface DestroyDeps {
  /** The environment of cdktf. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * How to ask for the confirmation; null when there is no terminal to ask on.
   * @default - on the terminal when stdin is one (the question on stderr), else null
   */
  readonly ask?: Ask | null;
  /** Subscribes to SIGINT, SIGTERM and SIGHUP. @default the process's own */
  readonly onInterrupt?: (listener: (signal: TerminationSignal) => void) => () => void;
}

/** Asks `question` on `output` and reads one line of `input`. */
export function askLine(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  question: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const lines = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
    let answer: string | undefined;
    // Ctrl-C at the prompt is no answer: nothing is destroyed.
    lines.on('SIGINT', () => lines.close());
    lines.on('close', () => resolve(answer));
    lines.question(question, (line) => {
      answer = line;
      lines.close();
    });
  });
}

const terminalAsk = (): Ask | null =>
  process.stdin.isTTY === true ? (question) => askLine(process.stdin, process.stderr, question) : null;

/**
 * `rainbow destroy`: tears the whole app down, every stack (engine/destroy.ts: the router, then
 * the colors), after a confirmation that `yes` skips and that needs a terminal otherwise (exit 2
 * without one). A spec always sends its traffic to its live colors, so destroy refuses without
 * `force`: the flag says that taking an app that serves traffic down is meant. A release that has
 * not ended (its record is beside the spec) is named in that refusal too: its next run would go on
 * against stacks that no longer exist, so with `force` its record is removed once every stack is
 * destroyed, and so is what the last release kept of what it deployed (engine/release-record.ts).
 * Holds the spec's edit lock throughout, so that no edit or release runs meanwhile. Exit 0 once
 * every stack is destroyed, 1 on a refusal, a cancelled confirmation or a failed cdktf call.
 */
export async function destroyCommand(
  io: Io,
  specFile: string,
  options: DestroyCommandOptions,
  deps: DestroyDeps = {},
): Promise<number> {
  const lock = lockSpec(specFile, { purpose: 'rainbow destroy' });
  if ('problems' in lock) return reportProblems(io, lock.problems);
  try {
    return await destroyLocked(io, specFile, options, deps);
  } finally {
    lock.release();
  }
}

async function destroyLocked(
  io: Io,
  specFile: string,
  options: DestroyCommandOptions,
  deps: DestroyDeps,
): Promise<number> {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  const spec = loaded.spec;
  const taking = liveColors(spec)
    .filter((c) => c.weight > 0)
    .map((c) => `${c.name} ${c.weight}%`);
  // A record that cannot be read stops the next release by itself; a readable one would let it go on.
  const open = readRecord(specFile);
  const unfinished = open === undefined || 'problems' in open ? undefined : open;
  if ((unfinished !== undefined || taking.length > 0) && options.force !== true) {
    if (unfinished !== undefined)
      io.err(CLI_MESSAGES.destroyReleaseOpen(specFile, unfinished.color, unfinished.startedAt));
    if (taking.length > 0) io.err(CLI_MESSAGES.destroyTakesTraffic(specFile, taking));
    return EXIT.invalid;
  }
  const env = deps.env ?? process.env;
  const missing = missingPrerequisite(env, 'destroy');
  if (missing !== undefined) {
    io.err(`destroy: ${missing}`);
    return EXIT.invalid;
  }
  const ask = options.yes === true ? undefined : deps.ask === undefined ? terminalAsk() : deps.ask;
  if (ask === null) {
    io.err(CLI_MESSAGES.destroyNeedsTerminal);
    return EXIT.usage;
  }
  const steps = destroyOrder(spec);
  io.out(CLI_MESSAGES.destroyOrder(spec.app, steps));
  if (taking.length > 0) io.err(CLI_MESSAGES.destroyForced(taking, routerStackName(spec.app)));
  if (unfinished !== undefined) io.err(CLI_MESSAGES.destroyEndsRelease(unfinished.color));
  if (ask !== undefined) {
    const answer = await ask(CLI_MESSAGES.destroyQuestion(spec.app));
    if (answer?.trim() !== 'yes') {
      io.err(CLI_MESSAGES.destroyCancelled(answer?.trim() ?? ''));
      return EXIT.invalid;
    }
  }
  const color = options.color === true;
  const stop = new AbortController();
  let interrupted: string | undefined;
  const off = (deps.onInterrupt ?? onTerminationSignals)((signal) => {
    if (interrupted === undefined) io.err(CLI_MESSAGES.destroyInterrupted(signal));
    interrupted = signal;
    stop.abort();
  });
  let result: DestroyResult;
  try {
    result = await destroyStacks(io, steps, {
      specFile,
      parallelism: options.parallelism ?? defaultParallelism(),
      env,
      stop: stop.signal,
      style: { bold: (t) => paint(color, STYLE.bold, t), green: (t) => paint(color, STYLE.green, t) },
    });
  } finally {
    off();
  }
  if (result.outcome !== 'destroyed') {
    if (interrupted !== undefined) io.err(CLI_MESSAGES.destroyStopped(interrupted, result.notRun));
    return EXIT.invalid;
  }
  try {
    endAfterDestroy(specFile);
  } catch (error) {
    io.err(CLI_MESSAGES.destroyRecordNotEnded(error instanceof Error ? error.message : String(error)));
    return EXIT.invalid;
  }
  io.out(paint(color, STYLE.green, CLI_MESSAGES.destroyDone(result.stacks.length)));
  return EXIT.ok;
}
