import { MESSAGES } from '../model/messages';
import { formatProblem, Problem } from '../model/problem';
import {
  bakeSchedule,
  baselineColor,
  checkRunTimeoutSeconds,
  HookMoment,
  postPromotionSchedule,
  ProgressionCheck,
  ReleaseSettings,
  releaseSettings,
  TemplateValues,
} from '../model/release';
import { SafetyRule } from '../model/safety-rules';
import { rollbackColor, stepColor, TransitionResult } from '../model/transitions';
import { liveColors, RainbowSpec } from '../model/types';
import { planChange } from '../planning/plan';
import { applyEdits, EditError } from '../spec-file/edit-text';
import { parseSpecText, systemReason } from '../spec-file/load';
import { validateDeployedSpecText } from './previous-spec';
import { validateSpec } from '../spec-file/validate';
import { cdktfCommand } from './cdktf-binary';
import type { CheckContext, CheckResult } from './checks';
import type { Clock } from './clock';
import { Io } from './io';
import { Notifier, NOTIFY_TIMINGS, NotifyTimings, releaseEvent, ReleaseEventKind } from './notify';
import { RELEASE_TEXT } from './release-messages';
import type { ReleaseReport, ReportHook, ReportStep } from './release-report';

/**
 * `rainbow release <color>` as a state machine over three things it does not own: the spec file
 * (people and pipelines edit it too), what is deployed (cdktf), and git. Everything outside the
 * engine comes through `ReleaseDeps`, so that a test can drive every interleaving of steps, check
 * verdicts, failed deploys, crashes, signals and other edits against stand-ins.
 *
 * What it keeps true:
 * - one release of a spec at a time: it holds the spec's lock from start to end;
 * - it writes only over what it last wrote, and deploys only what it wrote: before each write and
 *   each deploy the file must still hold the release's last text; another edit stops it;
 * - it commits only what is deployed, after the deploy;
 * - a record beside the spec (ReleaseStore) says what is deployed and what was written, so that a
 *   release killed at any point resumes from what is deployed, redeploying and baking the step it
 *   was interrupted in;
 * - a rollback goes past the step-size rule only, is shielded from signals, and when its deploy
 *   fails it says what is deployed and ends with its own outcome; one decided but not written (the
 *   file changed, or the edit could not be made or written) is recorded so, and the next run makes
 *   it from the file then, never deploying the last step's text as the rollback; once it is
 *   deployed the release has ended (the record gives way to the last release, which keeps what
 *   is deployed until git holds it), so that the next run, killed or not before its commit,
 *   starts a new release;
 * - a step advances only when the latest run of every check passed (or was inconclusive within
 *   inconclusiveLimit): after the bake, the checks run again each interval until they pass or a
 *   limit is passed; a failure beyond failureLimit, or errors in a row beyond
 *   consecutiveErrorLimit, roll back; inconclusive runs beyond inconclusiveLimit pause;
 * - a pause (a `pause` step, or inconclusive checks) ends the run with what is deployed recorded
 *   and the lock released; the next run goes on from there, baking again a step whose bake the
 *   pause cut short;
 * - it is promoted only once the last step's bake, the watch after it (postPromotionSeconds) and
 *   the post-promotion hooks passed, in one run: the record says when the release is past its last
 *   step, and a run that finds it there (killed or paused during the watch or the hooks) watches
 *   again from the start of the watch; one that finds the last step deployed but not past its
 *   bake (killed during it) bakes it again first.
 */

/** Time, so that tests bake a step without waiting for it. */
export type ReleaseClock = Clock;

/** A spec file's text and what it means. */
export interface SpecText {
  readonly text: string;
  readonly spec: RainbowSpec;
}

/** What a release keeps beside the spec while it runs, and after it was killed. */
export interface ReleaseRecord {
  readonly color: string;
  /** ISO time the release (the first run of it) started. */
  readonly startedAt: string;
  /** Every color's weight when the release started: what a rollback restores. */
  readonly before: Readonly<Record<string, number>>;
  /** The spec text last deployed, as far as the release knows. */
  readonly deployed: string;
  /** The spec text the release last wrote to the file. */
  readonly written: string;
  /** Set once a rollback is decided: why. A resumed run finishes the rollback. */
  readonly rollback?: string;
  /**
   * `false` while a rollback is decided but its weights are not written to the file (another edit
   * came first, or the edit could not be made or written): `written` is still the last step's text.
   * A resumed run makes the rollback's edit then, from the file (which must hold `written` again),
   * writes it and deploys it. Absent, `written` is the rollback's text, to deploy as it is (the
   * release's own, or `rainbow rollback --to`'s).
   * @default - the rollback, if any, is written
   */
  readonly rollbackWritten?: false;
  /** Set when the release paused: where and why. The next run goes on from there. */
  readonly paused?: ReleasePause;
  /** Set once the pre-rollout hooks passed: a resumed run does not run them again. */
  readonly preRolloutPassed?: boolean;
  /**
   * Set once the last step is deployed and baked: the release is after promotion, in its watch
   * (postPromotionSeconds) and post-promotion hooks. A resumed run watches again, from the start.
   */
  readonly postPromotion?: boolean;
}

/**
 * What a finished release leaves beside the spec (with no record of an unfinished one): what
 * `rainbow rollback` goes back to and `rainbow status` shows.
 */
export interface LastRelease {
  readonly color: string;
  /** `promoted`, `rolled-back` (by the release), or `rolled-back-by-hand` (`rainbow rollback`, to `to`). */
  readonly outcome: 'promoted' | 'rolled-back' | 'rolled-back-by-hand';
  readonly startedAt: string;
  readonly endedAt: string;
  /** Every color's weight when the release started. */
  readonly before: Readonly<Record<string, number>>;
  /**
   * The color `rainbow rollback` put all traffic on.
   * @default - not a rollback by hand
   */
  readonly to?: string;
  /**
   * The spec text deployed when the release ended, kept while git HEAD may not hold it: a rollback
   * deployed under `--commit` whose commit failed, or never ran (the process was killed). The next
   * release takes it as what is deployed, as it would an unfinished release's record.
   * @default - git HEAD says what is deployed
   */
  readonly deployed?: string;
}

/** Where a release paused. */
export interface ReleasePause {
  /** The color's weight, deployed, where the release stopped. */
  readonly weight: number;
  /** Why: a `pause` step, or a check's inconclusive runs. */
  readonly reason: string;
  /** Whether the step's bake was cut short (inconclusive runs): the next run bakes it again before going on. */
  readonly bakeAgain: boolean;
}

export interface ReleaseStore {
  /** The spec file as it is now, validated. */
  read(): SpecText | { readonly problems: readonly Problem[] };
  /** Replaces the spec's text, only if the file still holds `expected`. */
  write(expected: string, text: string): 'written' | 'changed-on-disk';
  /** The record of a release of this spec that has not ended, if any. */
  readRecord(): ReleaseRecord | undefined | { readonly problems: readonly Problem[] };
  /** Writes the record whole, or removes it (keeping the last finished release). */
  writeRecord(record: ReleaseRecord | undefined): void;
  /**
   * The last finished release, kept beside the spec, if any.
   * @default - none kept
   */
  readLastRelease?(): LastRelease | undefined | { readonly problems: readonly Problem[] };
  /**
   * Ends the release: the record removed and what the release did kept, for `rollback` and
   * `status`, in one write.
   * @default - the record removed, nothing kept
   */
  writeLastRelease?(last: LastRelease): void;
}

/** A deploy of the file's text, planned against what is deployed. */
export interface DeployRequest {
  /** What the spec file holds and is deployed. */
  readonly spec: SpecText;
  /** What the plan compares with: the deployed spec. */
  readonly against: { readonly source: string; readonly spec: RainbowSpec | undefined };
  /** The safety rules the deploy may go past: a rollback's step size, nothing else. */
  readonly forceRules: readonly SafetyRule[];
  /** Aborting asks the deploy in flight to stop; a rollback's deploy has none: nothing stops it. */
  readonly stop?: AbortSignal;
}

/** `unsafe` and `invalid` deployed nothing; `failed` and `stopped` may have deployed part. */
export type DeployOutcome = 'deployed' | 'failed' | 'stopped' | 'unsafe' | 'invalid';

export interface ReleaseDeps {
  readonly clock: ReleaseClock;
  /** Calls `listener` with the signal's name on SIGINT, SIGTERM and SIGHUP, until the returned function is called. */
  readonly onInterrupt: (listener: (signal: string) => void) => () => void;
  readonly store: ReleaseStore;
  /** Takes the spec's lock, held for the whole release. */
  readonly lock: () => { release(): void } | { readonly problems: readonly Problem[] };
  /** What was deployed when no record says otherwise: the spec at git HEAD (none for a first deploy). */
  readonly previous: () =>
    | { readonly source: string; readonly spec?: RainbowSpec; readonly text?: string }
    | { readonly problems: readonly Problem[] };
  readonly deploy: (request: DeployRequest) => Promise<DeployOutcome>;
  /** Commits the spec file as `text` (what the release wrote and deployed); why not, when it failed. */
  readonly commit: (text: string, message: string) => Promise<string | undefined>;
  readonly runCheck: (check: ProgressionCheck, context: CheckContext) => Promise<CheckResult>;
  /** Why a deploy cannot run here (no cdktf.json, no cdktf), checked before anything changes. */
  readonly prerequisite: () => string | undefined;
  /** The environment of the command checks. */
  readonly env: NodeJS.ProcessEnv;
  /** The folder command checks run in: the spec's. */
  readonly cwd: string;
  /** The wall-clock time, for the record. */
  readonly date?: () => Date;
  /**
   * How notifications are retried and waited for.
   * @default NOTIFY_TIMINGS
   */
  readonly notifyTimings?: NotifyTimings;
}

export interface ReleaseOptions {
  /** `git commit` the spec after each deployed step, and after a deployed rollback. */
  readonly commit?: boolean;
  /** Run the checks once per step and print the edits, writing and deploying nothing. */
  readonly dryRun?: boolean;
  /**
   * Called once, when the release ends, with what it did (engine/release-report.ts).
   * @default - no report
   */
  readonly onReport?: (report: ReleaseReport) => void;
}

/**
 * How a release ended:
 * - `promoted`: every step deployed and baked; `done`: nothing was left to do;
 * - `refused`: nothing changed; `stopped`: it stopped without a rollback (another edit of the
 *   file, or a failure before the first change), and says what is deployed;
 * - `rolled-back`: the rollback is deployed; `rollback-failed`: the rollback is not deployed,
 *   and the output says what is and what to run;
 * - `paused`: a `pause` step, or more inconclusive runs than inconclusiveLimit; what is deployed
 *   is recorded, and running the release again goes on from there;
 * - `dry-run-passed` / `dry-run-failed`.
 */
export type ReleaseOutcome =
  | 'promoted'
  | 'done'
  | 'refused'
  | 'stopped'
  | 'rolled-back'
  | 'rollback-failed'
  | 'paused'
  | 'dry-run-passed'
  | 'dry-run-failed';

/** `4m30s`, `45s`, `1h05m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const weightOf = (spec: RainbowSpec, name: string) => spec.colors.find((c) => c.name === name)?.weight ?? 0;
const weightsOf = (spec: RainbowSpec) =>
  liveColors(spec)
    .map((c) => `${c.name} ${c.weight}%`)
    .join(', ');

/** Whether deploying `to` after `from` would change nothing. */
function sameDeploy(from: RainbowSpec | undefined, to: RainbowSpec): boolean {
  return from !== undefined && planChange(from, to).phases.length === 0;
}

/** Why the release cannot start: no such color, retired, no steps. */
function refusal(spec: RainbowSpec, name: string): Problem | undefined {
  const color = spec.colors.find((c) => c.name === name);
  if (color === undefined)
    return {
      path: 'color',
      message: RELEASE_TEXT.releaseNoColor(
        name,
        spec.colors.map((c) => c.name),
      ),
    };
  if (color.state === 'retired') return { path: 'color', message: MESSAGES.colorRetired(name) };
  if (spec.progression.steps === undefined)
    return { path: 'progression.steps', message: RELEASE_TEXT.releaseNoSteps(name) };
  return undefined;
}

/** Why the color's own stack is not ready for a release against what is deployed. */
function deployedRefusal(
  deployed: RainbowSpec | undefined,
  spec: RainbowSpec,
  name: string,
  source: string,
): Problem | undefined {
  const before = deployed?.colors.find((c) => c.name === name);
  if (before === undefined) return { path: 'color', message: RELEASE_TEXT.releaseNotDeployed(name, source) };
  if (before.state === 'retired') return { path: 'color', message: RELEASE_TEXT.releaseRetiredBefore(name, source) };
  const change = planChange(deployed, spec).changes.find((c) => c.name === name)!;
  if (change.kind !== 'unchanged')
    return { path: 'color', message: RELEASE_TEXT.releaseUndeployed(name, change.reasons.join(', '), source) };
  return undefined;
}

/** The spec after a transition, as an edit would write it; in memory. */
export function transitioned(
  file: string,
  current: SpecText,
  change: (spec: RainbowSpec) => TransitionResult,
): SpecText | { problems: readonly Problem[] } {
  const result = change(current.spec);
  if ('refused' in result) return { problems: [result.refused] };
  let text: string;
  try {
    text = applyEdits(current.text, result.edits, file.endsWith('.json') || current.text.trimStart().startsWith('{'));
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    return { problems: [{ path: file, message: `${error.message}; make this change by hand` }] };
  }
  const parsed = parseSpecText(text, file);
  const { spec, problems } =
    parsed.problems.length > 0 ? { spec: undefined, problems: parsed.problems } : validateSpec(parsed.document);
  if (spec === undefined)
    return {
      problems: problems.map((p) => ({
        path: file,
        message: `the step would make the spec invalid: ${formatProblem(p)}`,
      })),
    };
  return { text, spec };
}

/**
 * A text the release wrote or deployed, read back, as a previous spec is read (without the
 * policy rules a deployed spec may break after an upgrade); undefined when it no longer validates.
 */
function parsed(text: string, file: string): SpecText | undefined {
  const { spec } = validateDeployedSpecText(text, file);
  return spec === undefined ? undefined : { text, spec };
}

/** What runs a list of checks: the runner, and the environment and folder of command checks. */
export type CheckDeps = Pick<ReleaseDeps, 'runCheck' | 'env' | 'cwd'>;

/** The context of a run of checks: the placeholders' values, the progression's time limit and `checkEnv`. */
export function checkContextOf(
  settings: ReleaseSettings,
  values: TemplateValues,
  deps: CheckDeps,
  signal: AbortSignal,
  headers?: Readonly<Record<string, string>>,
): CheckContext {
  return {
    values,
    cwd: deps.cwd,
    timeoutSeconds: checkRunTimeoutSeconds(settings),
    signal,
    env: deps.env,
    checkEnv: settings.checkEnv,
    ...(headers === undefined ? {} : { headers }),
  };
}

/** How one list of hooks went: its runs for the report, and the first run that did not pass, said as a reason. */
export interface HookRun {
  readonly report: ReportHook;
  /** Undefined when every run passed. */
  readonly failed?: string;
}

/**
 * Runs one list of `progression.hooks` once, every check at once, and prints
 * `<command>: <moment> hooks: <verdicts>`; undefined when the list is empty.
 */
export async function runHookList(
  io: Io,
  command: 'release' | 'rollback',
  moment: HookMoment,
  settings: ReleaseSettings,
  deps: CheckDeps,
  context: CheckContext,
): Promise<HookRun | undefined> {
  const checks = settings.hooks?.[moment] ?? [];
  if (checks.length === 0) return undefined;
  const results = await Promise.all(checks.map((check) => deps.runCheck(check, context)));
  const failed = results.find((r) => r.verdict !== 'pass');
  const label = RELEASE_TEXT.hookLabel[moment];
  io.out(`${command}: ${label} hooks: ${resultsLine(results, new Map(), undefined)}`);
  return {
    report: { weight: context.values.weight, passed: failed === undefined, results },
    ...(failed === undefined
      ? {}
      : {
          failed: RELEASE_TEXT.hookFailed(
            label,
            failed.name,
            RELEASE_TEXT.verdictWords[failed.verdict],
            failed.why ?? failed.value,
          ),
        }),
  };
}

/**
 * After a rollback is deployed, by a release or by `rainbow rollback`: the onRollback hooks, under
 * a signal of their own (the Ctrl-C that rolled back does not stop them, and nothing else does); a
 * failure is one warning line and changes nothing else. Undefined when there are none.
 */
export async function runOnRollbackHooks(
  io: Io,
  command: 'release' | 'rollback',
  settings: ReleaseSettings,
  values: TemplateValues,
  deps: CheckDeps,
): Promise<ReportHook | undefined> {
  const context = checkContextOf(settings, values, deps, new AbortController().signal);
  const run = await runHookList(io, command, 'onRollback', settings, deps, context);
  if (run?.failed !== undefined) io.err(`${command}: ${RELEASE_TEXT.onRollbackFailed(run.failed)}`);
  return run?.report;
}

/** Runs a release; the outcome says how it ended, the output says what happened. */
export async function runRelease(
  io: Io,
  specFile: string,
  name: string,
  options: ReleaseOptions,
  deps: ReleaseDeps,
): Promise<ReleaseOutcome> {
  if (options.onReport === undefined) return releaseRun(io, specFile, name, options, deps, {});
  let lastError: string | undefined;
  const tracked: Io = {
    out: (line) => io.out(line),
    err: (line) => {
      lastError = line;
      io.err(line);
    },
  };
  const holder: { release?: Release } = {};
  const startedAt = (deps.date?.() ?? new Date()).toISOString();
  const outcome = await releaseRun(tracked, specFile, name, options, deps, holder);
  const why = lastError?.replace(/^(release|dry run): /, '');
  options.onReport(
    holder.release?.report(outcome, why) ?? {
      version: 1,
      app: appOf(deps.store.read()),
      color: name,
      specFile,
      startedAt,
      endedAt: (deps.date?.() ?? new Date()).toISOString(),
      outcome,
      ...(outcome === 'done' || why === undefined ? {} : { reason: why }),
      before: {},
      steps: [],
      hooks: {},
    },
  );
  return outcome;
}

const appOf = (file: ReturnType<ReleaseStore['read']>) => ('problems' in file ? '' : file.spec.app);

async function releaseRun(
  io: Io,
  specFile: string,
  name: string,
  options: ReleaseOptions,
  deps: ReleaseDeps,
  holder: { release?: Release },
): Promise<ReleaseOutcome> {
  const loaded = deps.store.read();
  if ('problems' in loaded) return report(io, loaded.problems);
  const refused = refusal(loaded.spec, name);
  if (refused !== undefined) return report(io, [refused]);
  if (options.dryRun !== true) {
    const missing = deps.prerequisite();
    if (missing !== undefined) {
      io.err(`release: ${missing}`);
      return 'refused';
    }
  }
  const lock = options.dryRun === true ? { release: () => {} } : deps.lock();
  if ('problems' in lock) return report(io, lock.problems);
  try {
    return await startLocked(io, specFile, name, options, deps, holder);
  } finally {
    lock.release();
  }
}

function report(io: Io, problems: readonly Problem[]): 'refused' {
  for (const problem of problems) io.err(formatProblem(problem));
  return 'refused';
}

async function startLocked(
  io: Io,
  specFile: string,
  name: string,
  options: ReleaseOptions,
  deps: ReleaseDeps,
  holder: { release?: Release },
): Promise<ReleaseOutcome> {
  // Read again under the lock: another editor may have written since.
  const file = deps.store.read();
  if ('problems' in file) return report(io, file.problems);
  const refused = refusal(file.spec, name);
  if (refused !== undefined) return report(io, [refused]);
  const record = options.dryRun === true ? undefined : deps.store.readRecord();
  if (record !== undefined && 'problems' in record) return report(io, record.problems);
  if (record !== undefined && record.color !== name) {
    return report(io, [
      { path: 'color', message: RELEASE_TEXT.otherReleaseRecorded(record.color, name, record.startedAt) },
    ]);
  }
  let deployedSpec: RainbowSpec | undefined;
  let deployedText: string | undefined;
  let source: string;
  // A release that ended in a rollback git may not hold (its commit failed) keeps what it deployed, as a record does.
  const ended = record === undefined && options.dryRun !== true ? deps.store.readLastRelease?.() : undefined;
  if (ended !== undefined && 'problems' in ended) return report(io, ended.problems);
  const recorded = record?.deployed ?? ended?.deployed;
  if (recorded !== undefined) {
    const fromRecord = parsed(recorded, specFile);
    if (fromRecord === undefined) return report(io, [{ path: 'color', message: RELEASE_TEXT.recordUnreadable }]);
    ({ spec: deployedSpec, text: deployedText } = fromRecord);
    source = RELEASE_TEXT.recordSource;
  } else {
    const previous = deps.previous();
    if ('problems' in previous) return report(io, previous.problems);
    ({ spec: deployedSpec, text: deployedText, source } = previous);
  }
  if (record?.rollback === undefined) {
    const notReady = deployedRefusal(deployedSpec, file.spec, name, source);
    if (notReady !== undefined) return report(io, [notReady]);
  }
  const settings = releaseSettings(file.spec.progression);
  const before =
    record !== undefined
      ? new Map(Object.entries(record.before))
      : new Map((deployedSpec ?? file.spec).colors.map((c) => [c.name, c.state === 'retired' ? 0 : c.weight]));
  const release = new Release(io, specFile, name, options, deps, settings, before, {
    file,
    deployed: deployedSpec,
    deployedText,
    source,
    startedAt: record?.startedAt ?? (deps.date?.() ?? new Date()).toISOString(),
    lastWritten: record?.written,
    paused: record?.paused,
    preRolloutPassed: record?.preRolloutPassed === true,
    postPromotion: record?.postPromotion === true,
    rollbackWritten: record?.rollbackWritten !== false,
  });
  holder.release = release;
  const stop = deps.onInterrupt((signal) => release.interrupt(signal));
  try {
    let outcome: ReleaseOutcome;
    if (record?.rollback !== undefined) outcome = await release.resumeRollback(record.rollback);
    else outcome = options.dryRun === true ? await release.dryRun() : await release.run();
    const event = ENDING_EVENTS[outcome];
    if (event !== undefined) release.notify(event);
    return outcome;
  } finally {
    stop();
    // Bounded: a receiver that never answers holds the release (and its lock) at most notifyTimings.flushMs.
    await release.flushNotifications();
  }
}

/** The event each ending sends; none for nothing done, refusals and dry runs. */
const ENDING_EVENTS: Partial<Record<ReleaseOutcome, ReleaseEventKind>> = {
  promoted: 'promoted',
  'rolled-back': 'rolled-back',
  paused: 'paused',
  stopped: 'failed',
  'rollback-failed': 'failed',
};

/** Why a step did not pass. */
type StepFailure = { readonly reason: string };

/** How a bake ended early: a failure rolls back, a pause stops the release where it is. */
type BakeEnd =
  { readonly kind: 'failed'; readonly reason: string } | { readonly kind: 'paused'; readonly reason: string };

/** One check's runs in one step. */
interface RunCounts {
  failures: number;
  errorsInRow: number;
  inconclusive: number;
}

interface ReleaseStart {
  /** The file when the release took the lock. */
  readonly file: SpecText;
  /** What is deployed; undefined when nothing is. */
  readonly deployed: RainbowSpec | undefined;
  readonly deployedText: string | undefined;
  /** Where `deployed` comes from: git:HEAD, the release record. */
  readonly source: string;
  readonly startedAt: string;
  /** What an interrupted run of this release last wrote, from its record. */
  readonly lastWritten?: string;
  /** Where an earlier run paused, from its record. */
  readonly paused?: ReleasePause;
  /** Whether an earlier run's pre-rollout hooks passed, from its record. */
  readonly preRolloutPassed: boolean;
  /** Whether an earlier run got past the last step's bake, from its record. */
  readonly postPromotion: boolean;
  /** Whether an earlier run's rollback is written to the file, from its record: false when only decided. */
  readonly rollbackWritten: boolean;
}

class Release {
  private readonly abort = new AbortController();
  private interrupted?: string;
  private rollingBack = false;
  /** The text the release last wrote to the file, or found there when it started: what the file must hold. */
  private written: SpecText;
  /** What is deployed, as far as the release knows (undefined: nothing, or not known after a failed deploy). */
  private deployed: SpecText | { readonly spec: RainbowSpec | undefined; readonly text?: undefined };
  /** The text last known to be deployed whole: what the record says when a deploy failed halfway. */
  private certainText: string | undefined;
  /** Where the deployed spec came from, for the plans' first line. */
  private deployedSource: string;
  /** A spec whose deploy failed or was stopped: some of it may be deployed. */
  private attempted: RainbowSpec | undefined;
  /** Why the release rolls back, once it does. */
  private rollbackReason: string | undefined;
  /** Whether the rollback's weights are in `written` (the file): false from its decision until they are written. */
  private rollbackWritten: boolean;
  /** Whether this run has written the file. */
  private changed = false;
  /** A pause whose step bakes again before the release goes on: kept in the record until it has. */
  private pendingPause: ReleasePause | undefined;
  /** Whether the last step is deployed and baked: the release is in its watch and hooks after promotion. */
  private afterLastStep: boolean;
  /** `{{baseline}}`: the color that had the most traffic when the release started. */
  private readonly baseline: string;
  private preRolloutPassed: boolean;
  private readonly notifier: Notifier;
  /** For the report: each step of this run, the hooks, the latest round of checks, why the release ended. */
  private readonly steps: ReportStep[] = [];
  private readonly hookRuns: Partial<Record<HookMoment, ReportHook>> = {};
  private latest: readonly CheckResult[] = [];
  private endReason: string | undefined;

  constructor(
    private readonly io: Io,
    private readonly specFile: string,
    private readonly name: string,
    private readonly options: ReleaseOptions,
    private readonly deps: ReleaseDeps,
    private readonly settings: ReleaseSettings,
    private readonly before: ReadonlyMap<string, number>,
    private readonly start: ReleaseStart,
  ) {
    this.written = start.file;
    this.deployed =
      start.deployedText !== undefined && start.deployed !== undefined
        ? { text: start.deployedText, spec: start.deployed }
        : { spec: start.deployed };
    this.deployedSource = start.source;
    this.certainText = start.deployedText;
    this.pendingPause = start.paused?.bakeAgain === true ? start.paused : undefined;
    this.baseline = baselineColor(before, name);
    this.preRolloutPassed = start.preRolloutPassed;
    this.afterLastStep = start.postPromotion;
    this.rollbackWritten = start.rollbackWritten;
    this.notifier = new Notifier(
      io,
      options.dryRun === true ? [] : (settings.notify ?? []),
      deps.notifyTimings ?? NOTIFY_TIMINGS,
    );
  }

  /** Sends one event about the release as it is now; returns at once. */
  notify(event: ReleaseEventKind, step?: { label: string; weight: number }): void {
    this.notifier.send(
      releaseEvent(event, this.written.spec.app, this.name, this.deployed.spec, {
        step,
        verdicts: this.latest.map((r) => ({ name: r.name, verdict: r.verdict })),
        reason: event === 'started' || event === 'step' || event === 'promoted' ? undefined : this.endReason,
        at: this.deps.date?.() ?? new Date(),
      }),
    );
  }

  flushNotifications(): Promise<void> {
    return this.notifier.flush();
  }

  /**
   * What this run did, for `--report` and the CI summary; `why` is the last problem printed, when the release did not
   * say why itself.
   */
  report(outcome: ReleaseOutcome, why: string | undefined): ReleaseReport {
    const reason =
      this.endReason ??
      (outcome === 'promoted' || outcome === 'done' || outcome === 'dry-run-passed' ? undefined : why);
    const deployed = this.deployed.spec;
    return {
      version: 1,
      app: this.written.spec.app,
      color: this.name,
      specFile: this.specFile,
      startedAt: this.start.startedAt,
      endedAt: (this.deps.date?.() ?? new Date()).toISOString(),
      outcome,
      ...(reason === undefined ? {} : { reason }),
      before: Object.fromEntries(this.before),
      ...(deployed === undefined
        ? {}
        : { deployed: Object.fromEntries(liveColors(deployed).map((c) => [c.name, c.weight])) }),
      steps: this.steps,
      hooks: this.hookRuns,
    };
  }

  /**
   * Runs one list of hooks once, every check at once; the first run that did not pass, said as a
   * reason, or undefined when all passed (or there are none).
   */
  private async runHooks(
    moment: HookMoment,
    weight: number,
    signal: AbortSignal,
    headers?: Record<string, string>,
  ): Promise<string | undefined> {
    const context = checkContextOf(this.settings, this.templateValues(weight), this.deps, signal, headers);
    const run = await runHookList(this.io, 'release', moment, this.settings, this.deps, context);
    if (run !== undefined) this.hookRuns[moment] = run.report;
    return run?.failed;
  }

  /** Before the first step: undefined when the release goes on, else how it ended (stopped, nothing shifted). */
  private async preRollout(from: number): Promise<ReleaseOutcome | undefined> {
    const checks = this.settings.hooks?.preRollout ?? [];
    if (checks.length === 0) return undefined;
    if (this.preRolloutPassed || this.start.lastWritten !== undefined) {
      this.io.out(`release: ${RELEASE_TEXT.preRolloutSkipped}`);
      return undefined;
    }
    const pin = this.written.spec.routing.pinHeader;
    this.io.out(
      `release: ${RELEASE_TEXT.preRolloutStart(
        this.name,
        checks.map((c) => c.name),
        pin === undefined ? undefined : `${pin}: ${this.name}`,
      )}`,
    );
    const failed = await this.runHooks(
      'preRollout',
      from,
      this.abort.signal,
      pin === undefined ? undefined : { [pin]: this.name },
    );
    if (this.interrupted !== undefined)
      return this.stopUnchanged(RELEASE_TEXT.releaseInterrupted(this.interrupted, 'the pre-rollout hooks'));
    if (failed !== undefined) return this.stopUnchanged(RELEASE_TEXT.preRolloutFailed(failed));
    this.preRolloutPassed = true;
    return undefined;
  }

  interrupt(signal: string): void {
    if (this.rollingBack) {
      this.io.err(`release: ${signal}: ${RELEASE_TEXT.alreadyRollingBack}`);
      return;
    }
    if (this.interrupted === undefined) this.io.err(`release: ${signal}: stopping; rolling back`);
    else this.io.err(`release: ${signal}: ${RELEASE_TEXT.alreadyStopping}`);
    this.interrupted ??= signal;
    this.abort.abort();
  }

  private record(rollback?: string): void {
    try {
      this.writeRecord(rollback);
    } catch (error) {
      // The record only serves a later run: this one goes on, and says that a killed run could not resume.
      if (!this.recordFailed) this.io.err(`release: ${RELEASE_TEXT.recordNotWritten(describeError(error))}`);
      this.recordFailed = true;
    }
  }

  private recordFailed = false;

  private writeRecord(rollback?: string, paused = this.pendingPause): void {
    this.deps.store.writeRecord({
      color: this.name,
      startedAt: this.start.startedAt,
      before: Object.fromEntries(this.before),
      deployed: this.deployed.text ?? this.certainText ?? this.written.text,
      written: this.written.text,
      // A record of a rollback says only that: a run that finds it finishes the rollback, and nothing of the release.
      ...(rollback === undefined ? {} : { rollback }),
      ...(rollback !== undefined && !this.rollbackWritten ? { rollbackWritten: false as const } : {}),
      ...(paused === undefined || rollback !== undefined ? {} : { paused }),
      ...(this.preRolloutPassed && rollback === undefined ? { preRolloutPassed: true } : {}),
      ...(this.afterLastStep && rollback === undefined ? { postPromotion: true } : {}),
    });
  }

  /** What the release did, ending now as `outcome`: what `finish` keeps. */
  private lastRelease(outcome: LastRelease['outcome']): LastRelease {
    return {
      color: this.name,
      outcome,
      startedAt: this.start.startedAt,
      endedAt: (this.deps.date?.() ?? new Date()).toISOString(),
      before: Object.fromEntries(this.before),
    };
  }

  /** Ends the release: the record removed and `last` kept (for `rollback`, `status`, the next release) in one write. */
  private finish(last: LastRelease): void {
    try {
      if (this.deps.store.writeLastRelease === undefined) this.deps.store.writeRecord(undefined);
      else this.deps.store.writeLastRelease(last);
    } catch (error) {
      this.io.err(`release: ${RELEASE_TEXT.recordNotWritten(describeError(error))}`);
    }
  }

  /**
   * The steps this run goes through: the file's weight first when it is not deployed (`resume`:
   * deployed and baked), or when its bake was cut short (`bakeAgain`: baked only) by a pause, or,
   * for the last step, by the end of an earlier run (`lastCutShort`), then each step above it.
   * None when the release is past its last step, or nothing is left to do.
   */
  private plannedSteps(): { steps: number[]; resume: boolean; bakeAgain: boolean; lastCutShort: boolean } {
    const fileWeight = weightOf(this.written.spec, this.name);
    const resume = !sameDeploy(this.deployed.spec, this.written.spec);
    const above = this.written.spec.progression.steps!.filter((s) => s > fileWeight);
    // Only the last step: a run killed during another step's bake goes on with the next step, whose bake follows.
    const lastCutShort = !resume && above.length === 0 && this.start.lastWritten !== undefined && !this.afterLastStep;
    const bakeAgain = !resume && !this.afterLastStep && (this.pendingPause?.weight === fileWeight || lastCutShort);
    if (!bakeAgain) this.pendingPause = undefined;
    const steps = resume || bakeAgain ? [fileWeight, ...above] : above;
    // A step to deploy or bake again comes before the watch after the last one.
    if (steps.length > 0) this.afterLastStep = false;
    return { steps, resume, bakeAgain, lastCutShort };
  }

  private label(steps: readonly number[], index: number): string {
    return `step ${index + 1}/${steps.length} (${this.name} at ${steps[index]}%)`;
  }

  private header(steps: readonly number[], from: number): string {
    const { bakeSeconds, checkIntervalSeconds, failureLimit, checks } = this.settings;
    const names = checks.map((c) => c.name);
    return (
      `release: ${this.name} from ${from}% through ${steps.map((s) => `${s}%`).join(', ')}; ` +
      `${bakeSeconds === 0 ? 'no bake, checks once a step' : `bake ${formatDuration(bakeSeconds)} a step, checks every ${formatDuration(checkIntervalSeconds)}`}: ` +
      `${names.length === 0 ? 'no checks' : names.join(', ')} (failure limit ${failureLimit})${this.options.dryRun === true ? '; dry run' : ''}`
    );
  }

  async run(): Promise<ReleaseOutcome> {
    const { steps, resume, bakeAgain, lastCutShort } = this.plannedSteps();
    const from = this.deployed.spec === undefined ? 0 : weightOf(this.deployed.spec, this.name);
    if (steps.length === 0 && this.afterLastStep) return this.goOnAfterPromotion();
    if (steps.length === 0) {
      this.io.out(
        RELEASE_TEXT.releaseDone(
          this.name,
          weightOf(this.written.spec, this.name),
          this.written.spec.progression.steps!,
        ),
      );
      this.deps.store.writeRecord(undefined);
      return 'done';
    }
    this.io.out(this.header(steps, from));
    if (resume)
      this.io.out(`release: ${RELEASE_TEXT.resuming(this.specFile, this.name, steps[0], this.deployedSource, from)}`);
    else if (this.start.paused !== undefined)
      this.io.out(
        `release: ${RELEASE_TEXT.goingOn(this.name, this.start.paused.weight, this.start.paused.reason, bakeAgain)}`,
      );
    else if (lastCutShort) this.io.out(`release: ${RELEASE_TEXT.bakingLastAgain(this.name, steps[0])}`);
    if (this.start.lastWritten !== undefined && this.start.lastWritten !== this.written.text) {
      // The file moved on from what the killed run wrote: someone else's edit, deployed by nobody.
      this.io.out(`release: ${RELEASE_TEXT.resumingOtherText(this.specFile)}`);
    }
    const hooked = await this.preRollout(from);
    if (hooked !== undefined) return hooked;
    this.record();
    this.notify('started');
    for (const [i, target] of steps.entries()) {
      const label = this.label(steps, i);
      if (this.interrupted !== undefined)
        return this.rollback(label, { reason: RELEASE_TEXT.releaseInterrupted(this.interrupted, label) });
      this.io.out(`release: ${label}`);
      this.beginStep(label, target, !(bakeAgain && i === 0));
      if (!(bakeAgain && i === 0)) {
        const stopped = await this.deployStep(label, target, !(resume && i === 0));
        if (stopped !== undefined) return stopped;
        this.notify('step', { label, weight: target });
      } else if (lastCutShort) {
        const stopped = await this.commitLeftOver(label, target);
        if (stopped !== undefined) return stopped;
      }
      const baked = await this.bake(
        label,
        target,
        bakeSchedule(this.settings.bakeSeconds, this.settings.checkIntervalSeconds, this.settings.initialDelaySeconds),
        this.settings.bakeSeconds,
      );
      if (this.interrupted !== undefined)
        return this.rollback(label, { reason: RELEASE_TEXT.releaseInterrupted(this.interrupted, label) });
      if (baked?.kind === 'failed') return this.rollback(label, baked);
      if (baked?.kind === 'paused') return this.pause(label, { weight: target, reason: baked.reason, bakeAgain: true });
      if (this.pendingPause !== undefined) {
        this.pendingPause = undefined;
        this.record();
      }
      if (i < steps.length - 1 && (this.settings.pauseAfter ?? []).includes(target)) {
        return this.pause(label, { weight: target, reason: RELEASE_TEXT.pauseStep, bakeAgain: false });
      }
    }
    return this.afterPromotion(steps[steps.length - 1]);
  }

  /**
   * A run that finds the release past its last step (an earlier run was killed, or paused, during
   * the watch or the hooks after it): the whole watch again, from its start, then the hooks.
   */
  private async goOnAfterPromotion(): Promise<ReleaseOutcome> {
    const weight = weightOf(this.written.spec, this.name);
    const watch = this.settings.postPromotionSeconds > 0;
    this.io.out(`release: ${RELEASE_TEXT.goingOnAfterPromotion(this.name, weight, this.start.paused?.reason, watch)}`);
    this.notify('started');
    return this.afterPromotion(weight);
  }

  /**
   * After the last step's bake: the checks for postPromotionSeconds, then the post-promotion
   * hooks, the record saying so meanwhile; promoted when they pass, else rolled back (or paused,
   * on inconclusive runs).
   */
  private async afterPromotion(last: number): Promise<ReleaseOutcome> {
    const watch = postPromotionSchedule(this.settings.postPromotionSeconds, this.settings.checkIntervalSeconds);
    if (watch.length > 0 || (this.settings.hooks?.postPromotion ?? []).length > 0) {
      this.afterLastStep = true;
      this.record();
    }
    if (watch.length > 0) {
      const label = RELEASE_TEXT.postPromotionLabel(this.name, last);
      this.io.out(
        `release: ${RELEASE_TEXT.postPromotionStart(this.name, last, formatDuration(this.settings.postPromotionSeconds))}`,
      );
      this.beginStep(label, last, false);
      const watched = await this.bake(label, last, watch, this.settings.postPromotionSeconds);
      if (this.interrupted !== undefined)
        return this.rollback(label, { reason: RELEASE_TEXT.releaseInterrupted(this.interrupted, label) });
      if (watched?.kind === 'failed') return this.rollback(label, watched);
      if (watched?.kind === 'paused')
        return this.pause(label, { weight: last, reason: watched.reason, bakeAgain: true });
    }
    const postLabel = RELEASE_TEXT.postPromotionLabel(this.name, last);
    const postFailed = await this.runHooks('postPromotion', last, this.abort.signal);
    if (this.interrupted !== undefined)
      return this.rollback(postLabel, { reason: RELEASE_TEXT.releaseInterrupted(this.interrupted, postLabel) });
    if (postFailed !== undefined) return this.rollback(postLabel, { reason: postFailed });
    this.finish(this.lastRelease('promoted'));
    this.io.out(`release: ${this.name} promoted to ${last}%${last < 100 ? ', the last of progression.steps' : ''}`);
    const after = this.deps.store.read();
    if ('problems' in after || after.text !== this.written.text)
      this.io.err(`release: ${RELEASE_TEXT.changedAfterLastStep(this.specFile)}`);
    return 'promoted';
  }

  /**
   * One step written (unless the file already holds it: a resumed step), deployed against what
   * is deployed, recorded and committed; undefined when it went through, else how the release ended.
   */
  private async deployStep(label: string, target: number, write: boolean): Promise<ReleaseOutcome | undefined> {
    const onDisk = this.checkFile(label);
    if (onDisk !== undefined) return onDisk;
    if (write) {
      const next = transitioned(this.specFile, this.written, (spec) => stepColor(spec, this.name));
      if ('problems' in next) {
        for (const p of next.problems) this.io.err(formatProblem(p));
        return this.rollback(label, { reason: RELEASE_TEXT.releaseEditFailed(label) });
      }
      const wrote = this.write(next, label);
      if (wrote !== undefined) return wrote;
    }
    const against = {
      source: `the step before (${this.name} at ${this.deployed.spec === undefined ? 0 : weightOf(this.deployed.spec, this.name)}%)`,
      spec: this.deployed.spec,
    };
    const onDiskAgain = this.checkFile(label);
    if (onDiskAgain !== undefined) return onDiskAgain;
    const outcome = await this.deps.deploy({ spec: this.written, against, forceRules: [], stop: this.abort.signal });
    if (outcome === 'unsafe' || outcome === 'invalid') {
      if (!this.changed) return this.stopUnchanged(RELEASE_TEXT.resumeRefused(label));
      return this.rollback(label, { reason: RELEASE_TEXT.releaseApplyFailed(label) });
    }
    if (outcome !== 'deployed') {
      // Part of it may be deployed: the rollback plans against this step, as if it were.
      this.attempted = this.written.spec;
      return this.rollback(label, {
        reason:
          this.interrupted !== undefined
            ? RELEASE_TEXT.releaseInterrupted(this.interrupted, label)
            : RELEASE_TEXT.releaseApplyFailed(label),
      });
    }
    this.deployed = this.written;
    this.certainText = this.written.text;
    this.deployedSource = 'the release';
    this.pendingPause = undefined;
    this.record();
    if (this.interrupted !== undefined)
      return this.rollback(label, { reason: RELEASE_TEXT.releaseInterrupted(this.interrupted, label) });
    if (this.options.commit === true) {
      const failed = await this.deps.commit(this.written.text, `rainbow release ${this.name}: ${target}%`);
      if (failed !== undefined)
        return this.rollback(label, { reason: RELEASE_TEXT.releaseCommitFailed(label, failed) });
    }
    return undefined;
  }

  /**
   * With --commit, the last step an earlier run deployed and was killed before committing (the
   * commit comes between the deploy and the bake): committed now, when git HEAD does not hold it.
   * Undefined when nothing is left to commit or the commit went through, else how the release ended.
   */
  private async commitLeftOver(label: string, target: number): Promise<ReleaseOutcome | undefined> {
    const deployed = this.deployed.text;
    if (this.options.commit !== true || deployed === undefined) return undefined;
    const head = this.deps.previous();
    if (!('problems' in head) && head.text === deployed) return undefined;
    const failed = await this.deps.commit(deployed, `rainbow release ${this.name}: ${target}%`);
    if (failed !== undefined) return this.rollback(label, { reason: RELEASE_TEXT.releaseCommitFailed(label, failed) });
    return undefined;
  }

  /** A step of the report, to which the bake adds its runs; its events carry its own verdicts only. */
  private beginStep(label: string, weight: number, deployed: boolean): void {
    this.steps.push({ label, weight, deployed, runs: [] });
    this.latest = [];
  }

  /** Stops where the release is, deployed and recorded with where and why; the next run goes on from there. */
  private pause(label: string, pause: ReleasePause): ReleaseOutcome {
    this.endReason = pause.reason;
    this.pendingPause = pause.bakeAgain ? pause : undefined;
    try {
      this.writeRecord(undefined, pause);
    } catch (error) {
      this.io.err(`release: ${RELEASE_TEXT.recordNotWritten(describeError(error))}`);
    }
    this.io.err(
      `release: ${RELEASE_TEXT.paused(label, pause.reason, this.deployedWeights(), this.name, pause.bakeAgain)}`,
    );
    return 'paused';
  }

  /** Undefined when the file still holds what the release last wrote; else the stop, reported. */
  private checkFile(label: string): ReleaseOutcome | undefined {
    const now = this.deps.store.read();
    if (!('problems' in now) && now.text === this.written.text) return undefined;
    return this.stopChanged(label, now);
  }

  /**
   * Writes `next` over the release's last text; a refusal when the file changed meanwhile. A step
   * is recorded as written before it is (a run killed in between finds another text and plans it);
   * a rollback stays recorded as decided and not written until it is (a run killed in between
   * finds the file as the record says, or holding the rollback of it).
   */
  private write(next: SpecText, label: string): ReleaseOutcome | Promise<ReleaseOutcome> | undefined {
    const previous = this.written;
    if (!this.rollingBack) this.written = next;
    this.record(this.rollbackReason);
    let wrote: 'written' | 'changed-on-disk';
    try {
      wrote = this.deps.store.write(previous.text, next.text);
    } catch (error) {
      this.written = previous;
      this.record(this.rollbackReason);
      this.io.err(`release: ${describeError(error)}`);
      if (this.rollingBack) {
        this.io.err(`release: ${RELEASE_TEXT.rollbackNotWritten(this.name, this.deployedWeights())}`);
        return 'rollback-failed';
      }
      return this.rollback(label, { reason: RELEASE_TEXT.releaseEditFailed(label) });
    }
    if (wrote === 'changed-on-disk') {
      this.written = previous;
      this.record(this.rollbackReason);
      return this.stopChanged(label, this.deps.store.read());
    }
    this.written = next;
    this.changed = true;
    return undefined;
  }

  /** Another edit of the file during the release: nothing more is written or deployed. */
  private stopChanged(label: string, now: SpecText | { readonly problems: readonly Problem[] }): ReleaseOutcome {
    const what =
      'problems' in now
        ? now.problems.map((p) => formatProblem(p)).join('; ')
        : planChange(this.written.spec, now.spec)
            .changes.filter((c) => c.kind !== 'unchanged' || c.weight !== undefined)
            .map(
              (c) =>
                `${c.name} ${[
                  ...(c.kind === 'unchanged'
                    ? []
                    : [`${c.kind}${c.reasons.length > 0 ? ` (${c.reasons.join(', ')})` : ''}`]),
                  ...(c.weight === undefined ? [] : [`weight ${c.weight.from} → ${c.weight.to}`]),
                ].join(', ')}`,
            )
            .join('; ');
    const change = what === '' ? RELEASE_TEXT.textOnly : what;
    this.endReason ??= RELEASE_TEXT.changedByOther(this.specFile, label, change, this.deployedWeights(), this.name);
    if (this.rollbackReason === undefined) {
      this.io.err(
        `release: ${RELEASE_TEXT.changedByOther(this.specFile, label, change, this.deployedWeights(), this.name)}`,
      );
      return 'stopped';
    }
    // The rollback stays decided: the next run finishes it once the file holds the release's text again.
    this.record(this.rollbackReason);
    this.io.err(
      `release: ${RELEASE_TEXT.changedDuringRollback(this.specFile, change, this.deployedWeights(), this.name)}`,
    );
    return 'rollback-failed';
  }

  private stopUnchanged(reason: string): ReleaseOutcome {
    // A record from an earlier run still says what that run deployed; one of this run's says nothing new.
    if (this.start.lastWritten === undefined) this.deps.store.writeRecord(undefined);
    this.endReason = reason;
    this.io.err(`release: stopped before any change: ${reason}`);
    return 'stopped';
  }

  /**
   * Every check at each time of `schedule` (seconds after the start; the last is `length`), then,
   * while the latest run of a check failed or could not reach its source, again each interval.
   * Ends early, the first reason first: a check failed more than failureLimit times, or more than
   * consecutiveErrorLimit times in a row could not reach its source (both roll back); a check was
   * inconclusive more than inconclusiveLimit times (a pause).
   */
  private async bake(
    label: string,
    weight: number,
    schedule: readonly number[],
    length: number,
  ): Promise<BakeEnd | undefined> {
    const { checkIntervalSeconds } = this.settings;
    const start = this.deps.clock.now();
    const counts = new Map<string, RunCounts>();
    let latest: readonly CheckResult[] = [];
    for (let n = 0; ; n++) {
      const last = schedule[schedule.length - 1];
      if (n >= schedule.length && !latest.some((r) => r.verdict === 'fail' || r.verdict === 'error')) return undefined;
      const at = n < schedule.length ? schedule[n] : last + (n - schedule.length + 1) * checkIntervalSeconds;
      const wait = start + at * 1000 - this.deps.clock.now();
      if (wait > 0) await this.deps.clock.sleep(wait, this.abort.signal);
      if (this.abort.signal.aborted) return undefined;
      const results = await this.runChecks(weight);
      this.steps[this.steps.length - 1]?.runs.push({
        afterSeconds: Math.round((this.deps.clock.now() - start) / 1000),
        results,
      });
      this.latest = results;
      if (this.abort.signal.aborted) return undefined;
      const end = this.count(results, counts, label);
      const when =
        n < schedule.length
          ? `${formatDuration(Math.max(0, length - at))} left`
          : RELEASE_TEXT.pastTheBake(formatDuration(at - last));
      this.io.out(`release: ${label}, ${when}: ${resultsLine(results, counts, this.settings)}`);
      if (end !== undefined) return end;
      latest = results;
    }
  }

  /** Adds a round of runs to the step's counts; how the bake ends when a limit is passed. */
  private count(results: readonly CheckResult[], counts: Map<string, RunCounts>, label: string): BakeEnd | undefined {
    const { failureLimit, consecutiveErrorLimit, inconclusiveLimit } = this.settings;
    const ends: BakeEnd[] = [];
    for (const result of results) {
      const c = counts.get(result.name) ?? { failures: 0, errorsInRow: 0, inconclusive: 0 };
      counts.set(result.name, c);
      const what = result.why ?? result.value;
      c.errorsInRow = result.verdict === 'error' ? c.errorsInRow + 1 : 0;
      if (result.verdict === 'fail' && ++c.failures > failureLimit) {
        ends.push({
          kind: 'failed',
          reason: RELEASE_TEXT.releaseCheckFailed(result.name, what, label, c.failures, failureLimit),
        });
      }
      if (result.verdict === 'error' && c.errorsInRow > consecutiveErrorLimit) {
        ends.push({
          kind: 'failed',
          reason: RELEASE_TEXT.releaseCheckErrors(result.name, what, label, c.errorsInRow, consecutiveErrorLimit),
        });
      }
      if (result.verdict === 'inconclusive' && ++c.inconclusive > inconclusiveLimit) {
        ends.push({
          kind: 'paused',
          reason: RELEASE_TEXT.releaseCheckInconclusive(result.name, what, label, c.inconclusive, inconclusiveLimit),
        });
      }
    }
    return ends.find((e) => e.kind === 'failed') ?? ends[0];
  }

  private templateValues(weight: number): TemplateValues {
    return { color: this.name, app: this.written.spec.app, weight, baseline: this.baseline };
  }

  private runChecks(weight: number): Promise<CheckResult[]> {
    const context = checkContextOf(this.settings, this.templateValues(weight), this.deps, this.abort.signal);
    return Promise.all(this.settings.checks.map((check) => this.deps.runCheck(check, context)));
  }

  /**
   * The color back to 0 and the others to their weights before the release, written and deployed,
   * going past the step-size rule only (it may move more than maxStepPercent at once). With
   * nothing written by this run, nothing changed and there is nothing to roll back.
   */
  private async rollback(label: string, failure: StepFailure): Promise<ReleaseOutcome> {
    this.rollingBack = true;
    this.rollbackReason = failure.reason;
    this.rollbackWritten = false;
    this.endReason = failure.reason;
    // Whatever the record says from here on, the release is no longer past its last step.
    this.afterLastStep = false;
    if (
      !this.changed &&
      sameDeploy(this.deployed.spec, this.written.spec) &&
      weightOf(this.written.spec, this.name) === (this.before.get(this.name) ?? 0)
    ) {
      return this.stopUnchanged(failure.reason);
    }
    this.io.err(`release: rolling back ${this.name}: ${failure.reason}`);
    const onDisk = this.checkFile(label);
    if (onDisk !== undefined) return onDisk;
    const wrote = this.writeRollback(label, failure.reason);
    if (wrote !== undefined) return wrote;
    return this.deployRollback(failure.reason);
  }

  /**
   * The rollback's edit of `from`: the color back to 0 and the others to their weights before the
   * release, or, when those cannot be restored (the colors changed since), the color drained.
   */
  private rollbackOf(from: SpecText): { rolled: ReturnType<typeof transitioned>; restored: boolean } {
    let restored = true;
    const rolled = transitioned(this.specFile, from, (spec) => {
      const result = rollbackColor(spec, this.name, this.before);
      restored = result.restored !== false;
      return result;
    });
    return { rolled, restored };
  }

  /**
   * The rollback's edit of the file (which holds what the release last wrote), written and
   * recorded as written; undefined once it is, else how the release ended (the rollback recorded
   * as decided and not written).
   */
  private writeRollback(label: string, reason: string): ReleaseOutcome | Promise<ReleaseOutcome> | undefined {
    const { rolled, restored } = this.rollbackOf(this.written);
    if (!restored) this.io.err(`release: ${RELEASE_TEXT.releaseResumedDrain(this.name)}`);
    if ('problems' in rolled) {
      for (const p of rolled.problems) this.io.err(formatProblem(p));
      this.io.err(`release: ${RELEASE_TEXT.rollbackNotWritten(this.name, this.deployedWeights())}`);
      this.record(reason);
      return 'rollback-failed';
    }
    if (rolled.text !== this.written.text) {
      const wrote = this.write(rolled, label);
      if (wrote !== undefined) return wrote;
    }
    this.rollbackWritten = true;
    this.record(reason);
    return undefined;
  }

  /**
   * A run that finds a rollback decided finishes it: one written but not deployed is deployed as
   * the record says it was written; one not written is made from the file first, as the run that
   * decided it would have (a deploy of the record's `written` would deploy the last step again).
   */
  async resumeRollback(reason: string): Promise<ReleaseOutcome> {
    this.rollingBack = true;
    this.rollbackReason = reason;
    this.endReason = reason;
    if (!this.rollbackWritten) return this.resumeUnwrittenRollback(reason);
    this.io.err(`release: ${RELEASE_TEXT.resumingRollback(this.name, reason)}`);
    if (this.start.lastWritten !== undefined && this.start.lastWritten !== this.written.text)
      return this.stopResumedChanged();
    return this.deployRollback(reason);
  }

  private async resumeUnwrittenRollback(reason: string): Promise<ReleaseOutcome> {
    this.io.err(`release: ${RELEASE_TEXT.resumingUnwrittenRollback(this.name, reason)}`);
    const recorded = this.start.lastWritten;
    if (recorded !== undefined && recorded !== this.written.text) {
      // A run killed between the rollback's write and its record leaves the file holding the rollback of what it wrote.
      const wrote = parsed(recorded, this.specFile);
      const rolled = wrote === undefined ? undefined : this.rollbackOf(wrote).rolled;
      if (rolled === undefined || 'problems' in rolled || rolled.text !== this.written.text)
        return this.stopResumedChanged();
      this.rollbackWritten = true;
      this.record(reason);
      return this.deployRollback(reason);
    }
    const wrote = this.writeRollback('the rollback', reason);
    if (wrote !== undefined) return wrote;
    return this.deployRollback(reason);
  }

  /**
   * A resumed rollback that finds the file changed since the release last wrote it: stopped, the
   * record kept as it was (what the release wrote, not the other edit, which a later run would
   * then deploy as the rollback), and the change said against what the release wrote.
   */
  private stopResumedChanged(): ReleaseOutcome {
    const now = this.deps.store.read();
    const recorded = this.start.lastWritten;
    if (recorded !== undefined)
      // A text that no longer validates keeps the file's meaning for the message, and its own text for the record.
      this.written = parsed(recorded, this.specFile) ?? { text: recorded, spec: this.written.spec };
    return this.stopChanged('the rollback', now);
  }

  /** What is deployed, as far as the release can know: with a failed deploy, either side of it. */
  private deployedWeights(): string {
    const certain = this.deployed.spec === undefined ? 'nothing' : weightsOf(this.deployed.spec);
    if (this.attempted === undefined || sameDeploy(this.deployed.spec, this.attempted)) return certain;
    return `${certain}, or where the failed deploy went through, ${weightsOf(this.attempted)}`;
  }

  private async deployRollback(reason: string): Promise<ReleaseOutcome> {
    const onDisk = this.checkFile('the rollback');
    if (onDisk !== undefined) return onDisk;
    const lastStep = this.attempted ?? this.deployed.spec;
    const against = {
      source: `the last step (${this.name} at ${lastStep === undefined ? 0 : weightOf(lastStep, this.name)}%)`,
      spec: lastStep,
    };
    const outcome = await this.deps.deploy({ spec: this.written, against, forceRules: ['step-too-large'] });
    if (outcome !== 'deployed') {
      const stacks =
        lastStep === undefined ? [] : planChange(lastStep, this.written.spec).phases.flatMap((p) => p.stacks);
      this.io.err(
        `release: ${RELEASE_TEXT.rollbackNotDeployed(this.specFile, this.deployedWeights(), weightsOf(this.written.spec), this.name, stacks, cdktfCommand(process.cwd(), this.deps.env))}`,
      );
      this.io.err(`release: rollback NOT deployed: ${reason}`);
      return 'rollback-failed';
    }
    this.deployed = this.written;
    this.attempted = undefined;
    this.certainText = this.written.text;
    // The release has ended, whatever happens next: a later run starts a new one, with its pre-rollout hooks, from the
    // first step. Until git holds the rollback (--commit), what is deployed is kept with it: git HEAD is not.
    const last = this.lastRelease('rolled-back');
    if (this.options.commit !== true) this.finish(last);
    else {
      this.finish({ ...last, deployed: this.written.text });
      const failed = await this.deps.commit(this.written.text, `rainbow release ${this.name}: rolled back`);
      if (failed !== undefined) this.io.err(`release: ${RELEASE_TEXT.releaseCommitFailed('the rollback', failed)}`);
      else this.finish(last);
    }
    const hooked = await runOnRollbackHooks(
      this.io,
      'release',
      this.settings,
      this.templateValues(weightOf(this.written.spec, this.name)),
      this.deps,
    );
    if (hooked !== undefined) this.hookRuns.onRollback = hooked;
    this.io.err(`release: rolled back: ${weightsOf(this.written.spec)}; ${reason}`);
    return 'rolled-back';
  }

  /** Each step computed in memory, planned against the one before, its checks run once; nothing written or deployed. */
  async dryRun(): Promise<ReleaseOutcome> {
    const { steps, resume } = this.plannedSteps();
    const from = this.deployed.spec === undefined ? 0 : weightOf(this.deployed.spec, this.name);
    if (steps.length === 0) {
      this.io.out(
        RELEASE_TEXT.releaseDone(
          this.name,
          weightOf(this.written.spec, this.name),
          this.written.spec.progression.steps!,
        ),
      );
      return 'done';
    }
    this.io.out(this.header(steps, from));
    if (resume)
      this.io.out(`release: ${RELEASE_TEXT.resuming(this.specFile, this.name, steps[0], this.deployedSource, from)}`);
    let deployed = this.deployed.spec;
    let current = this.written;
    const pin = this.written.spec.routing.pinHeader;
    const preFailed =
      this.start.lastWritten === undefined
        ? await this.runHooks(
            'preRollout',
            from,
            this.abort.signal,
            pin === undefined ? undefined : { [pin]: this.name },
          )
        : undefined;
    if (preFailed !== undefined) this.io.err(`dry run: ${preFailed}`);
    let failed = preFailed !== undefined;
    for (const [i, target] of steps.entries()) {
      const label = this.label(steps, i);
      if (this.interrupted !== undefined) return this.dryRunInterrupted(label);
      const next =
        resume && i === 0 ? current : transitioned(this.specFile, current, (spec) => stepColor(spec, this.name));
      if ('problems' in next) return report(this.io, next.problems);
      const plan = planChange(deployed, next.spec);
      const moved = plan.changes
        .filter((c) => c.weight !== undefined)
        .map((c) => `${c.name} ${c.weight!.from}% → ${c.weight!.to}%`)
        .join(', ');
      const deploys = plan.phases.map((p) => p.stacks.join(' ')).join(', then ');
      this.io.out(
        `dry run: ${label}: ${moved}; safety ${plan.violations.length === 0 ? 'ok' : 'UNSAFE'}; would deploy ${deploys === '' ? 'nothing' : deploys}`,
      );
      for (const v of plan.violations) this.io.out(`  [${v.rule}] ${v.message}`);
      failed ||= plan.violations.length > 0;
      this.beginStep(label, target, false);
      const results = await this.runChecks(target);
      this.steps[this.steps.length - 1].runs.push({ afterSeconds: 0, results });
      if (this.interrupted !== undefined) return this.dryRunInterrupted(label);
      this.io.out(`dry run: ${label}, checks: ${resultsLine(results, new Map(), undefined)}`);
      for (const result of results.filter((r) => r.verdict !== 'pass')) {
        this.io.err(
          `dry run: check ${result.name} ${RELEASE_TEXT.verdictWords[result.verdict]} at ${label}: ${result.why ?? result.value}`,
        );
      }
      failed ||= results.some((r) => r.verdict !== 'pass');
      if (i < steps.length - 1 && (this.settings.pauseAfter ?? []).includes(target))
        this.io.out(`dry run: ${RELEASE_TEXT.dryRunPause(label)}`);
      current = next;
      deployed = next.spec;
    }
    const postFailed = await this.runHooks('postPromotion', steps[steps.length - 1], this.abort.signal);
    if (postFailed !== undefined) this.io.err(`dry run: ${postFailed}`);
    failed ||= postFailed !== undefined;
    this.io.out(
      `dry run: ${failed ? 'a release would stop and roll back as things are' : 'every step is safe and every check passed'}; nothing written, nothing deployed`,
    );
    return failed ? 'dry-run-failed' : 'dry-run-passed';
  }

  private dryRunInterrupted(label: string): ReleaseOutcome {
    this.io.err(
      `dry run: ${RELEASE_TEXT.releaseInterrupted(this.interrupted!, label)}; nothing written, nothing deployed`,
    );
    return 'dry-run-failed';
  }
}

/** A thrown error in one line: `<path>: <reason> (<CODE>)` for a system error on a file. */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && typeof e.path === 'string' && !e.message.startsWith(e.path))
    return `${e.path}: ${systemReason(e)}`;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/**
 * `error-rate 0.002 ok, smoke 503 FAILED (1 time, 1 tolerated)`, `latency no answer ERROR (2 in a
 * row, 4 tolerated)`, `error-rate no value INCONCLUSIVE (1 time, 0 tolerated)`; without limits
 * (a dry run), the verdicts alone.
 */
function resultsLine(
  results: readonly CheckResult[],
  counts: ReadonlyMap<string, RunCounts>,
  limits: ReleaseSettings | undefined,
): string {
  if (results.length === 0) return 'no checks';
  const times = (n: number, limit: number) => `(${n} ${n === 1 ? 'time' : 'times'}, ${limit} tolerated)`;
  return results
    .map((r) => {
      const c = counts.get(r.name) ?? { failures: 1, errorsInRow: 1, inconclusive: 1 };
      switch (r.verdict) {
        case 'pass':
          return `${r.name} ${r.value} ok`;
        case 'fail':
          return `${r.name} ${r.value} FAILED${limits === undefined ? '' : ` ${times(c.failures, limits.failureLimit)}`}`;
        case 'error':
          return `${r.name} ${r.value} ERROR${limits === undefined ? '' : ` (${c.errorsInRow} in a row, ${limits.consecutiveErrorLimit} tolerated)`}`;
        default:
          return `${r.name} ${r.value} INCONCLUSIVE${limits === undefined ? '' : ` ${times(c.inconclusive, limits.inconclusiveLimit)}`}`;
      }
    })
    .join(', ');
}
