import { colorStackName, RainbowSpec, routerStackName } from '../model/types';
import { cdktfFailure, pluginCache, runCdktf, secondsSince } from './deploy';
import { Io } from './io';
import { RunningProcess } from './process';

/**
 * `rainbow destroy`: every stack of an app torn down with `cdktf destroy`, the router first, then
 * the colors. The router goes first because it is what sends traffic to the colors: with it gone,
 * no request reaches a color that is half destroyed, and on AWS a target group cannot be deleted
 * while a listener rule forwards to it (the router's weighted rule does). The colors' stacks
 * reference nothing of each other's, so they go in one call, at once. Each call runs as a deploy
 * does (engine/deploy.ts `runCdktf`): in a process group of its own, stopped only when the engine
 * says so; the first failure stops the run.
 */

/** The texts of `rainbow destroy` that the engine prints. */
export const DESTROY_MESSAGES = {
  cdktfNotFound:
    'the cdktf CLI was not found on PATH; destroy runs it. Install it in the project (npm install --save-dev cdktf-cli@^0.21, then run npx rainbow destroy) or globally (npm install --global cdktf-cli@^0.21); nothing destroyed',
  started: (label: string, stacks: readonly string[], atOnce: number) =>
    `${label}: cdktf destroy ${stacks.join(' ')}${stacks.length > 1 ? ` (${atOnce} at a time)` : ''}`,
  done: (seconds: string) => `done in ${seconds} s`,
  failed: (label: string, stopped: boolean, seconds: string, why: string, notRun: readonly string[]) =>
    `${label} ${stopped ? 'stopped' : 'failed'} after ${seconds} s (${why}); ${notRun.length === 0 ? 'no later stack was left' : `${notRun.join(' ')} not destroyed`}`,
} as const;

/** One call of a destroy: its stacks go together. */
export interface DestroyStep {
  /** `router` or `colors`. */
  readonly title: string;
  readonly stacks: readonly string[];
}

/**
 * The order to destroy all of a spec's stacks in: the router, then every color's stack (retired
 * colors' too: their stacks are empty, and destroying them clears their state), in file order.
 */
export function destroyOrder(spec: RainbowSpec): DestroyStep[] {
  return [
    { title: 'router', stacks: [routerStackName(spec.app)] },
    { title: 'colors', stacks: spec.colors.map((c) => colorStackName(spec.app, c.name)) },
  ];
}

export interface DestroyOptions {
  /** The spec file, handed to cdktf's app as RAINBOW_SPEC. */
  readonly specFile: string;
  /** Color stacks destroyed at once (cdktf's --parallelism). */
  readonly parallelism: number;
  /** The environment of cdktf. */
  readonly env: NodeJS.ProcessEnv;
  /** How step labels and their outcome are drawn (ANSI styles on a terminal). */
  readonly style?: { readonly bold: (text: string) => string; readonly green: (text: string) => string };
  /** Aborting asks the cdktf call in flight to stop (SIGINT to its group) and runs no later call. */
  readonly stop?: AbortSignal;
  /** Starts cdktf: a test's stand-in may replace it. */
  readonly start?: (args: readonly string[], env: NodeJS.ProcessEnv) => RunningProcess;
}

export type DestroyResult =
  | { readonly outcome: 'destroyed'; readonly stacks: readonly string[] }
  | {
      readonly outcome: 'failed' | 'stopped';
      readonly failedStacks: readonly string[];
      readonly notRun: readonly string[];
    };

/**
 * Destroys the steps in order, each with `cdktf destroy <stacks...> --auto-approve`: the person
 * (or `--yes`) has approved the whole destroy before it starts, so cdktf does not ask again for
 * each stack. Stops at the first failure.
 */
export async function destroyStacks(
  io: Io,
  steps: readonly DestroyStep[],
  options: DestroyOptions,
): Promise<DestroyResult> {
  const bold = options.style?.bold ?? ((t: string) => t);
  const green = options.style?.green ?? ((t: string) => t);
  // Terraform initializes each stack before destroying it: the same shared plugin cache as deploys
  // (apply says which). The router goes alone first, so the colors' stacks, at once, only link
  // what it installed (hashicorp/terraform#31964).
  const cache = pluginCache(options.env);
  const stopped = () => options.stop?.aborted === true;
  for (const [i, step] of steps.entries()) {
    const notRun = steps.slice(i + 1).flatMap((s) => s.stacks);
    if (stopped()) return { outcome: 'stopped', failedStacks: [], notRun: [...step.stacks, ...notRun] };
    const label = `destroy ${i + 1}/${steps.length} (${step.title})`;
    const atOnce = Math.min(options.parallelism, step.stacks.length);
    io.out(DESTROY_MESSAGES.started(bold(label), step.stacks, atOnce));
    const args = [
      'destroy',
      ...step.stacks,
      '--auto-approve',
      ...(step.stacks.length > 1 ? ['--parallelism', String(atOnce)] : []),
    ];
    const started = process.hrtime.bigint();
    const run = await runCdktf(args, { ...options, env: { ...options.env, ...cache.env } });
    const seconds = secondsSince(started);
    const why = cdktfFailure(run, DESTROY_MESSAGES.cdktfNotFound);
    if (why !== undefined) {
      io.err(DESTROY_MESSAGES.failed(label, stopped(), seconds, why, notRun));
      return { outcome: stopped() ? 'stopped' : 'failed', failedStacks: step.stacks, notRun };
    }
    io.out(`${bold(label)} ${green(DESTROY_MESSAGES.done(seconds))}`);
  }
  return { outcome: 'destroyed', stacks: steps.flatMap((s) => s.stacks) };
}
