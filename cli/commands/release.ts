import { execFileSync } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { applyEdits, EditError } from '../../spec/edit-text';
import { parseSpecText } from '../../spec/load';
import { MESSAGES, shortText } from '../../spec/messages';
import { planChange } from '../../spec/plan';
import { formatProblem, Problem } from '../../spec/problem';
import { bakeSchedule, checkRunTimeoutSeconds, ReleaseSettings, releaseSettings } from '../../spec/release';
import { rollbackColor, stepColor } from '../../spec/transitions';
import { liveColors, RainbowSpec } from '../../spec/types';
import { validateSpec } from '../../spec/validate';
import { CheckResult, runCheck } from '../checks';
import { EXIT, Io, reportProblems } from '../output';
import { previousSpec } from '../previous-spec';
import { isJsonSpec, LoadedSpec, readSpec } from '../spec-file';
import { applyCommand, missingPrerequisite } from './apply';
import { editCommand } from './edit';

export interface ReleaseOptions {
  /** Pass `--auto-approve` to every `cdktf deploy`, the rollback's included. */
  readonly yes?: boolean;
  /** `git commit` the spec after each deployed step, and after a rollback. */
  readonly commit?: boolean;
  /** Run the checks once per step and print the edits, writing and deploying nothing. */
  readonly dryRun?: boolean;
  /** ANSI colors in the plans apply prints. */
  readonly color?: boolean;
}

/** Time, so that tests bake a step without waiting for it. */
export interface ReleaseClock {
  /** Milliseconds, only ever compared with each other. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface ReleaseDeps {
  readonly clock: ReleaseClock;
  /** Calls `listener` with the signal's name on Ctrl-C (SIGINT) and SIGTERM, until the returned function is called. */
  readonly onInterrupt: (listener: (signal: string) => void) => () => void;
  /** The environment of cdktf, git and the command checks. */
  readonly env: NodeJS.ProcessEnv;
}

const systemClock: ReleaseClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise((done) => {
    if (signal.aborted) return done();
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
  }),
};

/** SIGINT (Ctrl-C) and SIGTERM (what a CI runner sends to cancel a job) start a rollback instead of ending the process. */
function processSignals(listener: (signal: string) => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => listener(signal);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

export function systemDeps(): ReleaseDeps {
  return { clock: systemClock, onInterrupt: processSignals, env: process.env };
}

/** `4m30s`, `45s`, `1h05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Why a step did not pass. */
type StepFailure = { readonly reason: string };

/**
 * `rainbow release <color>`: the color through every step of progression.steps above its weight.
 * Each step is edited like `step`, deployed like `apply` (planned against the step before), and
 * baked: every check runs each interval for bakeSeconds. A check failing more often than
 * failureLimit, a failed deploy or Ctrl-C rolls back: the color to 0 and the others to their
 * weights before the release, written and deployed, exit 1. Exit 0 after the last step.
 */
export async function releaseCommand(io: Io, specFile: string, name: string, options: ReleaseOptions, deps: ReleaseDeps = systemDeps()): Promise<number> {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  const refusal = releaseRefusal(specFile, loaded.spec, name);
  if (refusal.length > 0) return reportProblems(io, refusal);
  const steps = loaded.spec.progression.steps!;
  const weight = loaded.spec.colors.find((c) => c.name === name)!.weight;
  const remaining = steps.filter((s) => s > weight);
  if (remaining.length === 0) {
    io.out(MESSAGES.releaseDone(name, weight, steps));
    return EXIT.ok;
  }
  if (options.dryRun !== true) {
    const missing = missingPrerequisite(deps.env);
    if (missing !== undefined) {
      io.err(`release: ${missing}`);
      return EXIT.invalid;
    }
  }
  const settings = releaseSettings(loaded.spec.progression);
  const names = settings.checks.map((c) => c.name);
  io.out(`release: ${name} from ${weight}% through ${remaining.map((s) => `${s}%`).join(', ')}; `
    + `${settings.bakeSeconds === 0 ? 'no bake, checks once a step' : `bake ${formatDuration(settings.bakeSeconds)} a step, checks every ${formatDuration(settings.checkIntervalSeconds)}`}: `
    + `${names.length === 0 ? 'no checks' : names.join(', ')} (failure limit ${settings.failureLimit})${options.dryRun === true ? '; dry run' : ''}`);
  const release = new Release(io, specFile, name, options, deps, settings, loaded, remaining);
  const stop = deps.onInterrupt((signal) => release.interrupt(signal));
  try {
    return options.dryRun === true ? await release.dryRun() : await release.run();
  } finally {
    stop();
  }
}

/**
 * Why the color cannot be released: not in the spec or retired, no steps, or not deployed as it
 * is (not in the previous spec, retired there, or changed since).
 */
function releaseRefusal(specFile: string, spec: RainbowSpec, name: string): readonly Problem[] {
  const color = spec.colors.find((c) => c.name === name);
  if (color === undefined) return [{ path: 'color', message: MESSAGES.releaseNoColor(name, spec.colors.map((c) => c.name)) }];
  if (color.state === 'retired') return [{ path: 'color', message: MESSAGES.colorRetired(name) }];
  if (spec.progression.steps === undefined) return [{ path: 'progression.steps', message: MESSAGES.noSteps }];
  const previous = previousSpec(specFile, undefined);
  if ('problems' in previous) return previous.problems;
  const before = previous.spec?.colors.find((c) => c.name === name);
  if (before === undefined) return [{ path: 'color', message: MESSAGES.releaseNotDeployed(name, previous.source) }];
  if (before.state === 'retired') return [{ path: 'color', message: MESSAGES.releaseRetiredBefore(name, previous.source) }];
  const change = planChange(previous.spec, spec).changes.find((c) => c.name === name)!;
  if (change.kind !== 'unchanged') return [{ path: 'color', message: MESSAGES.releaseUndeployed(name, change.reasons.join(', '), previous.source) }];
  return [];
}

class Release {
  private readonly abort = new AbortController();
  private interrupted?: string;
  private rollingBack = false;
  /** Every color's weight when the release started: what a rollback restores. */
  private readonly before: ReadonlyMap<string, number>;
  /** The spec as the file holds it now, and as deployed when the last apply went through. */
  private current: LoadedSpec;

  constructor(
    private readonly io: Io,
    private readonly specFile: string,
    private readonly name: string,
    private readonly options: ReleaseOptions,
    private readonly deps: ReleaseDeps,
    private readonly settings: ReleaseSettings,
    loaded: LoadedSpec,
    private readonly steps: readonly number[],
  ) {
    this.current = loaded;
    this.before = new Map(loaded.spec.colors.map((c) => [c.name, c.state === 'retired' ? 0 : c.weight]));
  }

  interrupt(signal: string): void {
    if (this.rollingBack) {
      this.io.err(`release: ${signal}: already rolling back; wait for the rollback's deploy to finish`);
      return;
    }
    if (this.interrupted === undefined) this.io.err(`release: ${signal}: stopping; rolling back`);
    this.interrupted = signal;
    this.abort.abort();
  }

  private label(index: number): string {
    return `step ${index + 1}/${this.steps.length} (${this.name} at ${this.steps[index]}%)`;
  }

  async run(): Promise<number> {
    for (const [i, target] of this.steps.entries()) {
      const label = this.label(i);
      if (this.interrupted !== undefined) return this.rollback(i, { reason: MESSAGES.releaseInterrupted(this.interrupted, label) });
      this.io.out(`release: ${label}`);
      const stepBefore = this.current.spec;
      if (editCommand(this.io, this.specFile, (spec) => stepColor(spec, this.name), {}, { verdict: false }) !== EXIT.ok) {
        return this.rollback(i, { reason: MESSAGES.releaseEditFailed(label) });
      }
      const written = readSpec(this.specFile);
      if ('problems' in written) {
        reportProblems(this.io, written.problems);
        return this.rollback(i + 1, { reason: MESSAGES.releaseEditFailed(label) });
      }
      this.current = written;
      const applied = applyCommand(this.io, this.specFile, {
        previous: { source: `the step before (${this.name} at ${stepBefore.colors.find((c) => c.name === this.name)!.weight}%)`, spec: stepBefore },
        autoApprove: this.options.yes, color: this.options.color,
      }, this.deps.env);
      // A signal that came during the deploy (which blocks the event loop) is handled now.
      await new Promise((done) => setImmediate(done));
      if (this.interrupted !== undefined) return this.rollback(i + 1, { reason: MESSAGES.releaseInterrupted(this.interrupted, label) });
      if (applied !== EXIT.ok) return this.rollback(i + 1, { reason: MESSAGES.releaseApplyFailed(label) });
      if (this.options.commit === true) {
        const failed = this.commit(`rainbow release ${this.name}: ${target}%`);
        if (failed !== undefined) return this.rollback(i + 1, { reason: MESSAGES.releaseCommitFailed(label, failed) });
      }
      const baked = await this.bake(label, target);
      if (this.interrupted !== undefined) return this.rollback(i + 1, { reason: MESSAGES.releaseInterrupted(this.interrupted, label) });
      if (baked !== undefined) return this.rollback(i + 1, baked);
    }
    const last = this.steps[this.steps.length - 1];
    this.io.out(`release: ${this.name} promoted to ${last}%${last < 100 ? ', the last of progression.steps' : ''}`);
    return EXIT.ok;
  }

  /** Every check each interval for bakeSeconds; the first check to fail more than failureLimit times ends the bake. */
  private async bake(label: string, weight: number): Promise<StepFailure | undefined> {
    const { bakeSeconds, checkIntervalSeconds, failureLimit } = this.settings;
    const start = this.deps.clock.now();
    const failures = new Map<string, number>();
    for (const at of bakeSchedule(bakeSeconds, checkIntervalSeconds)) {
      const wait = start + at * 1000 - this.deps.clock.now();
      if (wait > 0) await this.deps.clock.sleep(wait, this.abort.signal);
      if (this.abort.signal.aborted) return undefined;
      const results = await this.runChecks(weight);
      if (this.abort.signal.aborted) return undefined;
      let failed: StepFailure | undefined;
      for (const result of results.filter((r) => !r.passed)) {
        const count = (failures.get(result.name) ?? 0) + 1;
        failures.set(result.name, count);
        if (count > failureLimit && failed === undefined) {
          failed = { reason: MESSAGES.releaseCheckFailed(result.name, result.why ?? result.value, label, count, failureLimit) };
        }
      }
      this.io.out(`release: ${label}, ${formatDuration(bakeSeconds - at)} left: ${resultsLine(results, failures, failureLimit)}`);
      if (failed !== undefined) return failed;
    }
    return undefined;
  }

  private runChecks(weight: number): Promise<CheckResult[]> {
    const context = {
      values: { color: this.name, app: this.current.spec.app, weight },
      cwd: dirname(resolve(this.specFile)),
      timeoutSeconds: checkRunTimeoutSeconds(this.settings),
      signal: this.abort.signal,
      env: this.deps.env,
    };
    return Promise.all(this.settings.checks.map((check) => runCheck(check, context)));
  }

  /**
   * The color back to 0 and the others to their weights before the release, written and
   * deployed (forced: it may move more than maxStepPercent at once). `written` is how many steps
   * were written to the file; with none, nothing changed and there is nothing to roll back.
   */
  private rollback(written: number, failure: StepFailure): number {
    this.rollingBack = true;
    if (written === 0) {
      this.io.err(`release: stopped before any change: ${failure.reason}`);
      return EXIT.invalid;
    }
    this.io.err(`release: rolling back ${this.name}: ${failure.reason}`);
    const lastWritten = this.current.spec;
    let restored = true;
    const edited = editCommand(this.io, this.specFile, (spec) => {
      const result = rollbackColor(spec, this.name, this.before);
      restored = result.restored !== false;
      return result;
    }, {}, { verdict: false });
    if (!restored) this.io.err(`release: ${MESSAGES.releaseResumedDrain(this.name)}`);
    const rolled = readSpec(this.specFile);
    if (edited !== EXIT.ok || 'problems' in rolled) {
      this.io.err(`release: the rollback could not be written (above); ${this.name} keeps its traffic: drain it by hand (rainbow drain ${this.name}, then rainbow apply)`);
      return EXIT.invalid;
    }
    const applied = applyCommand(this.io, this.specFile, {
      previous: { source: `the last step (${this.name} at ${lastWritten.colors.find((c) => c.name === this.name)!.weight}%)`, spec: lastWritten },
      force: true, autoApprove: this.options.yes, color: this.options.color,
    }, this.deps.env);
    if (applied !== EXIT.ok) {
      const stacks = planChange(lastWritten, rolled.spec).phases.flatMap((p) => p.stacks).join(' ');
      this.io.err(MESSAGES.releaseRollbackNotDeployed(stacks, this.specFile));
    }
    if (this.options.commit === true) {
      const failed = this.commit(`rainbow release ${this.name}: rolled back`);
      if (failed !== undefined) this.io.err(`release: ${MESSAGES.releaseCommitFailed('the rollback', failed)}`);
    }
    const weights = liveColors(rolled.spec).map((c) => `${c.name} ${c.weight}%`).join(', ');
    this.io.err(`release: rolled back${applied === EXIT.ok ? '' : ' (not deployed)'}: ${weights}; ${failure.reason}`);
    return EXIT.invalid;
  }

  /** `git commit` of the spec file alone; the reason when it failed. */
  private commit(message: string): string | undefined {
    const cwd = dirname(resolve(this.specFile));
    const file = basename(this.specFile);
    try {
      for (const args of [['add', '--', file], ['commit', '--quiet', '-m', message, '--', file]]) {
        execFileSync('git', args, { cwd, env: this.deps.env, stdio: ['ignore', 'pipe', 'pipe'] });
      }
      return undefined;
    } catch (error) {
      const failure = error as { stderr?: Buffer; code?: string };
      if (failure.code === 'ENOENT') return 'git is not installed';
      return shortText(String(failure.stderr ?? '').trim().split('\n')[0] || 'git exited with an error', 200);
    }
  }

  /** Each step computed in memory, planned against the one before, its checks run once; nothing written or deployed. */
  async dryRun(): Promise<number> {
    let current = this.current;
    let failed = false;
    for (const [i, target] of this.steps.entries()) {
      const label = this.label(i);
      if (this.interrupted !== undefined) return this.dryRunInterrupted(label);
      const next = editedInMemory(this.specFile, current, (spec) => stepColor(spec, this.name));
      if ('problems' in next) return reportProblems(this.io, next.problems);
      const plan = planChange(current.spec, next.spec);
      const moved = plan.changes.filter((c) => c.weight !== undefined).map((c) => `${c.name} ${c.weight!.from}% → ${c.weight!.to}%`).join(', ');
      const deploys = plan.phases.map((p) => p.stacks.join(' ')).join(', then ');
      this.io.out(`dry run: ${label}: ${moved}; safety ${plan.violations.length === 0 ? 'ok' : 'UNSAFE'}; would deploy ${deploys === '' ? 'nothing' : deploys}`);
      for (const v of plan.violations) this.io.out(`  [${v.rule}] ${v.message}`);
      failed ||= plan.violations.length > 0;
      const results = await this.runChecks(target);
      if (this.interrupted !== undefined) return this.dryRunInterrupted(label);
      this.io.out(`dry run: ${label}, checks: ${resultsLine(results, new Map(), undefined)}`);
      for (const result of results.filter((r) => !r.passed)) this.io.err(`dry run: check ${result.name} failed at ${label}: ${result.why ?? result.value}`);
      failed ||= results.some((r) => !r.passed);
      current = next;
    }
    this.io.out(`dry run: ${failed ? 'a release would stop and roll back as things are' : 'every step is safe and every check passed'}; nothing written, nothing deployed`);
    return failed ? EXIT.invalid : EXIT.ok;
  }

  private dryRunInterrupted(label: string): number {
    this.io.err(`dry run: ${MESSAGES.releaseInterrupted(this.interrupted!, label)}; nothing written, nothing deployed`);
    return EXIT.invalid;
  }
}

/** `error-rate 0.002 ok, smoke 503 FAILED (1 time, 1 tolerated)`. */
function resultsLine(results: readonly CheckResult[], failures: ReadonlyMap<string, number>, limit: number | undefined): string {
  if (results.length === 0) return 'no checks';
  return results.map((r) => {
    if (r.passed) return `${r.name} ${r.value} ok`;
    const count = failures.get(r.name) ?? 1;
    if (limit === undefined) return `${r.name} ${r.value} FAILED`;
    return `${r.name} ${r.value} FAILED (${count} ${count === 1 ? 'time' : 'times'}, ${limit} tolerated)`;
  }).join(', ');
}

/** The spec after a transition, as `edit` would write it, but only in memory. */
function editedInMemory(specFile: string, loaded: LoadedSpec, change: (spec: RainbowSpec) => ReturnType<typeof stepColor>): LoadedSpec | { problems: readonly Problem[] } {
  const result = change(loaded.spec);
  if ('refused' in result) return { problems: [result.refused] };
  let text: string;
  try {
    text = applyEdits(loaded.text, result.edits, isJsonSpec(specFile, loaded.text));
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    return { problems: [{ path: specFile, message: `${error.message}; make this change by hand` }] };
  }
  const parsed = parseSpecText(text, specFile);
  const { spec, problems } = parsed.problems.length > 0 ? { spec: undefined, problems: parsed.problems } : validateSpec(parsed.document);
  if (spec === undefined) return { problems: problems.map((p) => ({ path: specFile, message: `the step would make the spec invalid: ${formatProblem(p)}` })) };
  return { text, spec };
}
