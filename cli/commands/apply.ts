import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { findOnPath } from '../../engine/cdktf-binary';
import { deployPhases, DeployResult } from '../../engine/deploy';
import type { DeployRequest } from '../../engine/release';
import { DESTROY_MESSAGES } from '../../engine/destroy';
import { ENGINE_MESSAGES } from '../../engine/messages';
import { onTerminationSignals, TerminationSignal } from '../../engine/signals';
import { CLI_MESSAGES } from '../messages';
import { MAX_PARALLELISM } from '../options';
import { EXIT, Io } from '../output';
import { paint, STYLE } from '../table';
import { CDKTF_APP } from './init-templates';
import { computePlan, PlanOptions } from './plan';

export interface ApplyOptions extends PlanOptions {
  readonly autoApprove?: boolean;
  /** Stacks of one call that cdktf deploys at once; 1 deploys them one after another. */
  readonly parallelism?: number;
}

/** `--parallelism` without a value: one stack per CPU. */
export function defaultParallelism(): number {
  return Math.min(MAX_PARALLELISM, availableParallelism());
}

/** What `apply` and each deploy of `release` take besides the plan's own options. */
export interface DeployControl {
  /** The environment of cdktf. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Aborting asks the cdktf call in flight to stop (SIGINT to its process group) and runs no
   * further call. Without it, only SIGINT, SIGTERM and SIGHUP to rainbow do that.
   */
  readonly stop?: AbortSignal;
  /**
   * Subscribes to SIGINT, SIGTERM and SIGHUP: the process's own by default; `release` passes one
   * that hears nothing, since it handles them itself.
   */
  readonly onInterrupt?: (listener: (signal: TerminationSignal) => void) => () => void;
}

/** What a deploy of a plan came to: `unsafe` and `invalid` deployed nothing. */
export type ApplyOutcome = 'deployed' | 'failed' | 'stopped' | 'unsafe' | 'invalid';

/**
 * `rainbow apply`: the plan's phases in order, each with `cdktf deploy <stacks...>` (from PATH,
 * in the current directory, whose cdktf.json app reads RAINBOW_SPEC), stopping at the first
 * failure, with progress and the time each call took. Stacks that hold a migration deploy one a
 * call, so that two migrations never run at once. Before the first call it checks that cdktf
 * can run at all (the CLI on PATH, a cdktf.json here), so that a missing piece is named, not a
 * spawn error halfway through. cdktf runs in a process group of its own: Ctrl-C, SIGTERM or a
 * closed terminal reach rainbow, which asks the deploy in flight to stop and runs no later phase.
 */
export async function applyCommand(
  io: Io,
  specFile: string,
  options: ApplyOptions,
  control: DeployControl = {},
): Promise<number> {
  return (await applyPlan(io, specFile, options, control)) === 'deployed' ? EXIT.ok : EXIT.invalid;
}

/** `apply`, with what it came to. */
export async function applyPlan(
  io: Io,
  specFile: string,
  options: ApplyOptions,
  control: DeployControl = {},
): Promise<ApplyOutcome> {
  const result = computePlan(io, specFile, options);
  if (typeof result === 'number') return 'invalid';
  if (!result.allowed) {
    io.err('apply: unsafe; nothing deployed. Fix the spec, or pass --force to override the rules named above');
    return 'unsafe';
  }
  const env = control.env ?? process.env;
  if (result.plan.phases.length > 0) {
    const missing = missingPrerequisite(env);
    if (missing !== undefined) {
      io.err(`apply: ${missing}`);
      return 'invalid';
    }
  }
  const color = options.color === true;
  const stop = new AbortController();
  let interrupted: string | undefined;
  const off = (control.onInterrupt ?? onTerminationSignals)((signal) => {
    if (interrupted === undefined) io.err(`apply: ${signal}: stopping the deploy in flight; no later phase runs`);
    interrupted = signal;
    stop.abort();
  });
  const abort = () => stop.abort();
  if (control.stop?.aborted === true) stop.abort();
  control.stop?.addEventListener('abort', abort, { once: true });
  let deployed: DeployResult;
  try {
    deployed = await deployPhases(io, result.plan.phases, result.spec, {
      specFile,
      autoApprove: options.autoApprove,
      parallelism: options.parallelism ?? defaultParallelism(),
      env,
      stop: stop.signal,
      style: { bold: (t) => paint(color, STYLE.bold, t), green: (t) => paint(color, STYLE.green, t) },
    });
  } finally {
    off();
    control.stop?.removeEventListener('abort', abort);
  }
  if (deployed.outcome !== 'deployed') {
    if (interrupted !== undefined)
      io.err(
        `apply: interrupted by ${interrupted}; ${deployed.notRun.length === 0 ? 'no later phase was left' : `${deployed.notRun.join(' ')} not deployed`}`,
      );
    return deployed.outcome;
  }
  const phases = deployed.phases;
  io.out(
    phases === 0
      ? 'apply: nothing to deploy'
      : paint(color, STYLE.green, `apply: ${phases} ${phases === 1 ? 'phase' : 'phases'} deployed`),
  );
  return 'deployed';
}

/**
 * The deploy of the engine's release and rollback: each request planned against what it says is
 * deployed and run as `apply` runs its phases, past only the rules it names; `yes` passes
 * `--auto-approve` to cdktf. A request without `stop` (a rollback's) is stopped by nothing.
 */
export function engineDeploy(
  io: Io,
  specFile: string,
  options: { readonly yes?: boolean; readonly color?: boolean },
  env: NodeJS.ProcessEnv,
): (request: DeployRequest) => Promise<ApplyOutcome> {
  return (request) =>
    applyPlan(
      io,
      specFile,
      {
        previous: { source: request.against.source, spec: request.against.spec },
        forceRules: request.forceRules,
        autoApprove: options.yes,
        color: options.color,
      },
      { env, stop: request.stop, onInterrupt: () => () => {} },
    );
}

/**
 * Why `cdktf deploy` (or `cdktf destroy`) cannot run here, or undefined: no cdktf.json in this
 * folder, no cdktf on PATH.
 */
export function missingPrerequisite(env: NodeJS.ProcessEnv, verb: 'deploy' | 'destroy' = 'deploy'): string | undefined {
  if (!existsSync('cdktf.json')) return CLI_MESSAGES.cdktfJsonMissing(process.cwd(), CDKTF_APP, verb);
  if (findOnPath('cdktf', env) === undefined)
    return verb === 'deploy' ? ENGINE_MESSAGES.cdktfNotFound : DESTROY_MESSAGES.cdktfNotFound;
  return undefined;
}
