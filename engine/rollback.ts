import { MESSAGES } from '../model/messages';
import { formatProblem, Problem } from '../model/problem';
import { baselineColor, releaseSettings } from '../model/release';
import { promoteColor } from '../model/transitions';
import { liveColors, RainbowSpec } from '../model/types';
import { formatPercent, isUnderCapacity, maxLoadFactorOf } from '../planning/capacity';
import { PLAN_MESSAGES } from '../planning/messages';
import { planChange } from '../planning/plan';
import { serviceCapacity } from '../planning/simulate';
import { validateDeployedSpecText } from './previous-spec';
import { cdktfCommand } from './cdktf-binary';
import { Io } from './io';
import { Notifier, NOTIFY_TIMINGS, releaseEvent } from './notify';
import {
  DeployOutcome,
  DeployRequest,
  LastRelease,
  ReleaseDeps,
  ReleaseStore,
  runOnRollbackHooks,
  SpecText,
  transitioned,
} from './release';
import { RELEASE_TEXT, ROLLBACK_TEXT } from './release-messages';

/**
 * `rainbow rollback [--to <color>] [--yes] [--commit]`: all traffic back on one warm color in one
 * deploy of the router. By default the color that had the most traffic when the latest release
 * started (the unfinished release's record, else the last finished one). It moves past
 * maxStepPercent (a rollback moves at once) and past no other rule, and refuses, changing nothing,
 * a color that is retired, not deployed as it is, or too small for all the traffic (under-capacity).
 * Once deployed, it runs `progression.hooks.onRollback` and sends the `rolled-back` event to
 * `progression.notify`, as a release does after its own rollback.
 */

export interface RollbackStore extends ReleaseStore {
  /** The last finished release kept beside the spec, if any. */
  readLastRelease(): LastRelease | undefined | { readonly problems: readonly Problem[] };
  writeLastRelease(last: LastRelease): void;
}

export interface RollbackDeps extends Pick<
  ReleaseDeps,
  | 'lock'
  | 'previous'
  | 'commit'
  | 'prerequisite'
  | 'onInterrupt'
  | 'date'
  | 'runCheck'
  | 'env'
  | 'cwd'
  | 'notifyTimings'
> {
  readonly store: RollbackStore;
  /** Deploys the router; a rollback's deploy gets no stop signal: nothing interrupts it. */
  readonly deploy: (request: DeployRequest) => Promise<DeployOutcome>;
}

export interface RollbackOptions {
  /**
   * The color that gets all the traffic.
   * @default - the color with the most traffic when the latest release started
   */
  readonly to?: string;
  /** `git commit` the spec after the deploy. */
  readonly commit?: boolean;
}

/**
 * `rolled-back`: deployed; `done`: all traffic was on the color already, deployed; `refused`:
 * nothing changed; `stopped`: the file changed under the rollback, nothing written;
 * `rollback-failed`: written, but the deploy failed (the output says what is deployed).
 */
export type RollbackOutcome = 'rolled-back' | 'done' | 'refused' | 'stopped' | 'rollback-failed';

const weightsText = (spec: RainbowSpec) =>
  liveColors(spec)
    .map((c) => `${c.name} ${c.weight}%`)
    .join(', ');

/** The color with the most traffic in `before`, the first on a tie. */
export function rollbackTarget(before: Readonly<Record<string, number>>): string | undefined {
  let best: [string, number] | undefined;
  for (const [name, weight] of Object.entries(before))
    if (best === undefined || weight > best[1]) best = [name, weight];
  return best?.[0];
}

function refuse(io: Io, problems: readonly Problem[]): 'refused' {
  for (const problem of problems) io.err(formatProblem(problem));
  return 'refused';
}

export async function runRollback(
  io: Io,
  specFile: string,
  options: RollbackOptions,
  deps: RollbackDeps,
): Promise<RollbackOutcome> {
  const missing = deps.prerequisite();
  if (missing !== undefined) {
    io.err(`rollback: ${missing}`);
    return 'refused';
  }
  const lock = deps.lock();
  if ('problems' in lock) return refuse(io, lock.problems);
  let shielded: string | undefined;
  const stop = deps.onInterrupt((signal) => {
    shielded = signal;
    io.err(`rollback: ${signal}: ${RELEASE_TEXT.alreadyRollingBack}`);
  });
  try {
    return await rollbackLocked(io, specFile, options, deps);
  } finally {
    stop();
    lock.release();
    if (shielded !== undefined) io.err(`rollback: ${ROLLBACK_TEXT.signalIgnored(shielded)}`);
  }
}

async function rollbackLocked(
  io: Io,
  specFile: string,
  options: RollbackOptions,
  deps: RollbackDeps,
): Promise<RollbackOutcome> {
  const file = deps.store.read();
  if ('problems' in file) return refuse(io, file.problems);
  const record = deps.store.readRecord();
  if (record !== undefined && 'problems' in record) return refuse(io, record.problems);
  // Without an open record, the last release: its weights before (the default target) and, when
  // git did not take its deployed rollback (`deployed`), what is deployed.
  const last = record === undefined ? deps.store.readLastRelease() : undefined;
  if (last !== undefined && 'problems' in last) return refuse(io, last.problems);

  let deployed: SpecText | { readonly spec: RainbowSpec | undefined; readonly text?: string };
  let source: string;
  const deployedText = record?.deployed ?? last?.deployed;
  if (deployedText !== undefined) {
    const { spec } = validateDeployedSpecText(deployedText, specFile);
    if (spec === undefined) return refuse(io, [{ path: 'color', message: RELEASE_TEXT.recordUnreadable }]);
    deployed = { text: deployedText, spec };
    source = RELEASE_TEXT.recordSource;
  } else {
    const previous = deps.previous();
    if ('problems' in previous) return refuse(io, previous.problems);
    deployed = { spec: previous.spec, text: previous.text };
    source = previous.source;
  }

  const before = record?.before ?? (options.to === undefined ? last?.before : undefined);
  const target = options.to ?? (before === undefined ? undefined : rollbackTarget(before));
  if (target === undefined) return refuse(io, [{ path: '--to', message: ROLLBACK_TEXT.noRelease }]);
  const refused = targetRefusal(file.spec, deployed.spec, target, source);
  if (refused !== undefined) return refuse(io, [refused]);

  const next = transitioned(specFile, file, (spec) => promoteColor(spec, target));
  if ('problems' in next) return refuse(io, next.problems);
  const small = capacityRefusal(deployed.spec!, next.spec, target);
  if (small !== undefined) return refuse(io, [small]);
  const plan = planChange(deployed.spec, next.spec);
  if (plan.phases.length === 0) {
    io.out(`rollback: ${ROLLBACK_TEXT.nothingToDo(target, source)}`);
    return 'done';
  }
  const broken = plan.violations.filter((v) => v.rule !== 'step-too-large');
  if (broken.length > 0) {
    for (const v of broken) io.err(`  [${v.rule}] ${v.message}`);
    return refuse(io, [{ path: '--to', message: ROLLBACK_TEXT.unsafe(target) }]);
  }
  const others = plan.phases.flatMap((p) => p.stacks).filter((s) => s !== `${next.spec.app}-router`);
  if (others.length > 0) return refuse(io, [{ path: specFile, message: ROLLBACK_TEXT.notRouterOnly(others, source) }]);

  io.out(`rollback: ${ROLLBACK_TEXT.start(target, weightsText(deployed.spec!), weightsText(next.spec))}`);
  if (next.text !== file.text) {
    const wrote = deps.store.write(file.text, next.text);
    if (wrote === 'changed-on-disk') {
      io.err(`rollback: ${ROLLBACK_TEXT.changed(specFile)}`);
      return 'stopped';
    }
  }
  // An unfinished release now ends in this rollback: its next run finishes this deploy, should this one fail.
  if (record !== undefined) {
    const { paused: _paused, postPromotion: _after, rollbackWritten: _unwritten, ...going } = record;
    deps.store.writeRecord({ ...going, written: next.text, rollback: ROLLBACK_TEXT.reason(target) });
  }

  const outcome = await deps.deploy({
    spec: next,
    against: { source, spec: deployed.spec },
    forceRules: ['step-too-large'],
  });
  if (outcome !== 'deployed') {
    io.err(
      `rollback: ${ROLLBACK_TEXT.notDeployed(
        specFile,
        weightsText(deployed.spec!),
        weightsText(next.spec),
        plan.phases.flatMap((p) => p.stacks),
        // Where the line is pasted, and where the deploys ran: the current folder, not the spec's.
        cdktfCommand(process.cwd(), deps.env),
      )}`,
    );
    return 'rollback-failed';
  }
  const date = deps.date?.() ?? new Date();
  const now = date.toISOString();
  const released = record ?? (last !== undefined && !('problems' in last) ? last : undefined);
  const weightsBefore = Object.fromEntries(liveColors(deployed.spec!).map((c) => [c.name, c.weight]));
  if (record !== undefined) deps.store.writeRecord(undefined);
  deps.store.writeLastRelease({
    color: released?.color ?? target,
    outcome: 'rolled-back-by-hand',
    startedAt: released?.startedAt ?? now,
    endedAt: now,
    before: released?.before ?? weightsBefore,
    to: target,
  });
  // Git HEAD holds the rollback already after a release run without --commit: nothing to commit.
  const head = options.commit === true ? deps.previous() : undefined;
  if (head !== undefined && ('problems' in head || head.text !== next.text)) {
    const failed = await deps.commit(next.text, `rainbow rollback: all traffic to ${target}`);
    if (failed !== undefined) io.err(`rollback: ${ROLLBACK_TEXT.commitFailed(failed)}`);
  }
  // The color rolled back: the latest release's; with none recorded, the one with the most traffic before, other than
  // the target.
  const color = released?.color ?? baselineColor(weightsBefore, target);
  const settings = releaseSettings(next.spec.progression);
  await runOnRollbackHooks(
    io,
    'rollback',
    settings,
    {
      color,
      app: next.spec.app,
      weight: next.spec.colors.find((c) => c.name === color)?.weight ?? 0,
      baseline: baselineColor(released?.before ?? weightsBefore, color),
    },
    deps,
  );
  io.out(`rollback: ${ROLLBACK_TEXT.done(weightsText(next.spec))}`);
  const notifier = new Notifier(io, settings.notify ?? [], deps.notifyTimings ?? NOTIFY_TIMINGS, 'rollback');
  notifier.send(
    releaseEvent('rolled-back', next.spec.app, color, next.spec, { reason: ROLLBACK_TEXT.reason(target), at: date }),
  );
  // Bounded: a receiver that never answers holds the rollback (and the lock) at most notifyTimings.flushMs.
  await notifier.flush();
  return 'rolled-back';
}

/**
 * The under-capacity rule for a move of all traffic onto one color. planning/capacity.ts compares
 * shares among the colors above weight 0 after the change, and a lone color always has all of
 * that capacity; what matters here is the capacity that serves the traffic now: the target's
 * share of it (with the colors above weight 0 deployed) may be no less than 1 / maxLoadFactor.
 */
function capacityRefusal(deployed: RainbowSpec, next: RainbowSpec, target: string): Problem | undefined {
  if (next.dns !== undefined) return undefined;
  const own = serviceCapacity(next.colors.find((c) => c.name === target)!);
  const serving = liveColors(deployed).filter((c) => c.name !== target && c.weight > 0);
  const others = serving.reduce((sum, c) => sum + serviceCapacity(c), 0);
  const share = own + others === 0 ? 0 : (100 * own) / (own + others);
  const factor = maxLoadFactorOf(deployed, next);
  if (!isUnderCapacity(100, share, factor)) return undefined;
  const color = next.colors.find((c) => c.name === target)!;
  const field = color.autoscaling === undefined ? 'replicas' : 'autoscaling.max';
  const needed = factor > 1 ? Math.ceil(others / (factor - 1)) : undefined;
  const advice =
    needed === undefined ? ROLLBACK_TEXT.otherColor : `${ROLLBACK_TEXT.scaleUp(target, field, own, needed)}`;
  const when = ROLLBACK_TEXT.servingNow(serving.map((c) => `${c.name} ${serviceCapacity(c)}`).join(', '));
  return {
    path: '--to',
    message: PLAN_MESSAGES.ruleUnderCapacity(
      target,
      '100',
      formatPercent(share),
      factor,
      formatPercent(factor * share),
      when,
      advice,
    ),
  };
}

/** Why `target` cannot take all the traffic: not in the spec, retired, or its stack not deployed as it is. */
function targetRefusal(
  spec: RainbowSpec,
  deployed: RainbowSpec | undefined,
  target: string,
  source: string,
): Problem | undefined {
  const color = spec.colors.find((c) => c.name === target);
  if (color === undefined)
    return {
      path: '--to',
      message: RELEASE_TEXT.releaseNoColor(
        target,
        spec.colors.map((c) => c.name),
      ),
    };
  if (color.state === 'retired') return { path: '--to', message: MESSAGES.colorRetired(target) };
  const was = deployed?.colors.find((c) => c.name === target);
  if (was === undefined || was.state === 'retired')
    return { path: '--to', message: ROLLBACK_TEXT.colorNotDeployed(target, source) };
  const change = planChange(deployed, spec).changes.find((c) => c.name === target)!;
  if (change.kind !== 'unchanged')
    return { path: '--to', message: ROLLBACK_TEXT.changedColor(target, change.reasons.join(', '), source) };
  return undefined;
}
