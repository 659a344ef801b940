import { MESSAGES } from './messages';
import { Problem } from './problem';
import { escapeInvisible, quoteText } from './text';
import type { NotifyTarget, ReleaseHooks } from './types';

/**
 * `rainbow release`: how long each step bakes, how often its checks run, how many failed runs a
 * step tolerates, and the checks themselves. The model only: the runners (network, processes)
 * live in the engine (engine/checks.ts).
 */

/** What an empty Prometheus result counts as: a check's `onEmpty`. */
export enum EmptyResult {
  /** No value is a failure: the series the query needs are missing. */
  FAIL = 'fail',
  /** No value passes: for queries that return nothing while all is well (an alert-style query). */
  PASS = 'pass',
  /**
   * No value is neither: the run is inconclusive, and more inconclusive runs in a step than the
   * progression's `inconclusiveLimit` pause the release (new pods whose metrics are not there yet).
   */
  INCONCLUSIVE = 'inconclusive',
}

/**
 * What one run of a check found: `pass`; `fail` (a value out of bounds, a wrong status, a
 * command's non-zero exit); `inconclusive` (no data, with `onEmpty: inconclusive`); `error` (the
 * source could not be reached: a timeout, a refused connection, a 5xx from Prometheus, a command
 * that could not start or did not end in time). Each has its own limit in a step.
 */
export type CheckVerdict = 'pass' | 'fail' | 'inconclusive' | 'error';

/** A PromQL query whose value must stay within bounds: a check's `prometheus`. */
export interface PrometheusCheck {
  /** Base URL of the Prometheus server, `http://` or `https://`, such as `http://prometheus.monitoring:9090`. */
  readonly url: string;
  /** An instant PromQL query; the placeholders (`{{color}}`, `{{baseline}}`, ...: PLACEHOLDERS) are filled in. */
  readonly query: string;
  /**
   * The highest value that passes.
   * @default - no upper bound (then `min` is required)
   */
  readonly max?: number;
  /**
   * The lowest value that passes.
   * @default - no lower bound (then `max` is required)
   */
  readonly min?: number;
  /**
   * What a result without a value (no series, or NaN) counts as.
   * @default EmptyResult.FAIL
   */
  readonly onEmpty?: EmptyResult;
}

/** A URL that must answer with one status: a check's `http`. */
export interface HttpCheck {
  /**
   * An `http://` or `https://` URL; `{{color}}` (or `{{canary}}`), `{{baseline}}`, `{{app}}` and `{{weight}}` are filled in.
   * Redirects are not followed: a redirect's own status is what is compared with `expectStatus`.
   */
  readonly url: string;
  /**
   * The status that passes, 100 to 599.
   * @default 200
   */
  readonly expectStatus?: number;
  /**
   * Seconds to wait for the answer, 1 to 60, at most the progression's `checkIntervalSeconds`.
   * @default 5
   */
  readonly timeoutSeconds?: number;
}

/** One check `rainbow release` runs while a step bakes: exactly one of `prometheus`, `http` or `command`. */
export interface ProgressionCheck {
  /**
   * Its name in progress lines and reports, unique among the checks: lowercase letters, digits and hyphens, at most 63
   * characters.
   */
  readonly name: string;
  /**
   * A PromQL query whose value must stay within bounds.
   * @default - not a Prometheus check
   */
  readonly prometheus?: PrometheusCheck;
  /**
   * A URL that must answer with a status.
   * @default - not an HTTP check
   */
  readonly http?: HttpCheck;
  /**
   * A command and its arguments, run without a shell in the spec file's folder, in a process group
   * of its own; exit 0 passes. `{{color}}` (or `{{canary}}`), `{{baseline}}`, `{{app}}` and `{{weight}}` are filled in.
   * Its environment is PATH, HOME, LANG, the RAINBOW_* variables and those the progression's
   * `checkEnv` names, nothing else.
   * @default - not a command check
   */
  readonly command?: string[];
}

export const DEFAULT_BAKE_SECONDS = 300;
/** A day: a longer bake is a manual gate, not a bake. */
export const MAX_BAKE_SECONDS = 86400;
export const DEFAULT_CHECK_INTERVAL_SECONDS = 30;
export const DEFAULT_INITIAL_DELAY_SECONDS = 0;
/** An hour, as the longest check interval: a longer wait before any check is a bake or a pause step. */
export const MAX_INITIAL_DELAY_SECONDS = 3600;
export const MAX_CHECK_INTERVAL_SECONDS = 3600;
export const DEFAULT_FAILURE_LIMIT = 0;
export const MAX_FAILURE_LIMIT = 100;
/** Runs of one check in a row that could not reach their source, tolerated in a step (Argo Rollouts' default). */
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
export const MAX_CONSECUTIVE_ERROR_LIMIT = 100;
export const DEFAULT_INCONCLUSIVE_LIMIT = 0;
export const MAX_INCONCLUSIVE_LIMIT = 100;
export const DEFAULT_POST_PROMOTION_SECONDS = 0;
/** A step of `progression.steps` that is not a weight: the release stops after baking the step before it. */
export const PAUSE_STEP = 'pause';
export const DEFAULT_EXPECT_STATUS = 200;
export const DEFAULT_HTTP_TIMEOUT_SECONDS = 5;
export const MAX_HTTP_TIMEOUT_SECONDS = 60;
export const MAX_QUERY_LENGTH = 10000;
export const MAX_URL_LENGTH = 2048;
/** How many URLs `notify` may list. */
export const MAX_NOTIFY_TARGETS = 10;
/** How many variable names `checkEnv` may list. */
export const MAX_CHECK_ENV = 50;
/**
 * The variables every command check gets from rainbow's environment, with the RAINBOW_* ones:
 * enough to find programs and read files, and none of the cloud or git credentials a pipeline holds.
 */
export const COMMAND_CHECK_ENV = ['PATH', 'HOME', 'LANG'] as const;
/** The most a Prometheus answer may weigh: a query that answers more is refused unread, not printed. */
export const MAX_PROMETHEUS_ANSWER_BYTES = 4 * 1024 * 1024;
/** The most series a Prometheus answer may hold: a check is a verdict on a few series, not a dump of them. */
export const MAX_PROMETHEUS_SERIES = 10000;

/** The release settings of a progression, every default filled in. */
export interface ReleaseSettings {
  /**
   * The weights a release moves the color through, without the pauses (resolveSteps).
   * @default - none: a release refuses to start
   */
  readonly steps?: number[];
  readonly bakeSeconds: number;
  readonly checkIntervalSeconds: number;
  readonly initialDelaySeconds: number;
  readonly failureLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly inconclusiveLimit: number;
  readonly postPromotionSeconds: number;
  /**
   * The weights of `steps` after whose bake a release pauses: each step followed by `pause`.
   * @default - none
   */
  readonly pauseAfter?: number[];
  readonly checks: ProgressionCheck[];
  /** The names of rainbow's environment variables command checks get beyond COMMAND_CHECK_ENV and RAINBOW_*. */
  readonly checkEnv: string[];
  /**
   * The checks run once before the first step, after the last, and after a rollback, each with its defaults.
   * @default - no hooks
   */
  readonly hooks?: ReleaseHooks;
  /**
   * Where the release's events go.
   * @default - nowhere
   */
  readonly notify?: NotifyTarget[];
}

/** The hook lists of a progression, in the order a release runs them. */
export const HOOK_MOMENTS = ['preRollout', 'postPromotion', 'onRollback'] as const;
export type HookMoment = (typeof HOOK_MOMENTS)[number];

/** What a spec's (or a hand-built) progression gives `rainbow release`: its own values, else the defaults. */
export function releaseSettings(
  progression:
    (Partial<Omit<ReleaseSettings, 'steps'>> & { readonly steps?: ReadonlyArray<number | string> }) | undefined,
): ReleaseSettings {
  return {
    ...resolveSteps(progression),
    bakeSeconds: progression?.bakeSeconds ?? DEFAULT_BAKE_SECONDS,
    checkIntervalSeconds: progression?.checkIntervalSeconds ?? DEFAULT_CHECK_INTERVAL_SECONDS,
    initialDelaySeconds: progression?.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY_SECONDS,
    failureLimit: progression?.failureLimit ?? DEFAULT_FAILURE_LIMIT,
    consecutiveErrorLimit: progression?.consecutiveErrorLimit ?? DEFAULT_CONSECUTIVE_ERROR_LIMIT,
    inconclusiveLimit: progression?.inconclusiveLimit ?? DEFAULT_INCONCLUSIVE_LIMIT,
    postPromotionSeconds: progression?.postPromotionSeconds ?? DEFAULT_POST_PROMOTION_SECONDS,
    checks: (progression?.checks ?? []).map(resolveCheck),
    checkEnv: [...(progression?.checkEnv ?? [])],
    ...(progression?.hooks === undefined ? {} : { hooks: resolveHooks(progression.hooks) }),
    ...(progression?.notify === undefined ? {} : { notify: progression.notify.map((t) => ({ url: t.url })) }),
  };
}

/** The hook lists given, each check with the defaults of its kind. */
function resolveHooks(hooks: ReleaseHooks): ReleaseHooks {
  return Object.fromEntries(
    HOOK_MOMENTS.filter((m) => hooks[m] !== undefined).map((m) => [m, hooks[m]!.map(resolveCheck)]),
  );
}

/**
 * A spec file's `progression.steps` resolved: the weights (`steps`, what `rainbow step` follows)
 * and the weights followed by `pause` (`pauseAfter`). A progression already resolved keeps its own.
 */
export function resolveSteps(
  progression: { readonly steps?: ReadonlyArray<number | string>; readonly pauseAfter?: readonly number[] } | undefined,
): { steps?: number[]; pauseAfter?: number[] } {
  const given = progression?.steps;
  if (given === undefined) return {};
  const steps = given.filter((s): s is number => s !== PAUSE_STEP);
  const pauseAfter = [
    ...(progression?.pauseAfter ?? []),
    ...given.flatMap((s, i) => (s === PAUSE_STEP && typeof given[i - 1] === 'number' ? [given[i - 1] as number] : [])),
  ];
  return { steps, ...(pauseAfter.length === 0 ? {} : { pauseAfter }) };
}

/** A check with the defaults of its kind filled in. */
export function resolveCheck(check: ProgressionCheck): ProgressionCheck {
  if (check.prometheus !== undefined) {
    return {
      name: check.name,
      prometheus: { ...check.prometheus, onEmpty: check.prometheus.onEmpty ?? EmptyResult.FAIL },
    };
  }
  if (check.http !== undefined) {
    return {
      name: check.name,
      http: {
        url: check.http.url,
        expectStatus: check.http.expectStatus ?? DEFAULT_EXPECT_STATUS,
        timeoutSeconds: check.http.timeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS,
      },
    };
  }
  return { name: check.name, command: [...(check.command ?? [])] };
}

/**
 * Rules between a check's own timeout and the progression's interval: an HTTP check's
 * `timeoutSeconds` at most `checkIntervalSeconds`, so that one round of checks is over before the
 * next begins. Paths from the spec's root; values invalid on their own are left to the schema.
 */
export function checkTimeoutProblems(progression: unknown): Problem[] {
  const p = asObject(progression);
  if (p === undefined) return [];
  const given = p.checkIntervalSeconds;
  const interval = given ?? DEFAULT_CHECK_INTERVAL_SECONDS;
  if (!isWhole(interval, 1, MAX_CHECK_INTERVAL_SECONDS)) return [];
  const problems: Problem[] = [];
  for (const [path, checks] of checkLists(p)) {
    checks.forEach((check, i) => {
      const timeout = asObject(asObject(check)?.http)?.timeoutSeconds;
      if (isWhole(timeout, 1, MAX_HTTP_TIMEOUT_SECONDS) && timeout > interval) {
        problems.push({
          path: `${path}[${i}].http.timeoutSeconds`,
          message: MESSAGES.httpTimeoutAboveInterval(timeout, interval, given === undefined),
        });
      }
    });
  }
  return problems;
}

/**
 * The initial delay within the bake (path `progression.initialDelaySeconds`): at most bakeSeconds
 * when the step bakes, so that the checks still run before the next step. With bakeSeconds 0 any
 * delay its own rule allows is fine: the one run waits for it. Values invalid on their own are left
 * to the schema.
 */
export function initialDelayProblems(progression: unknown): Problem[] {
  const p = asObject(progression);
  const delay = p?.initialDelaySeconds;
  const bake = p?.bakeSeconds ?? DEFAULT_BAKE_SECONDS;
  if (
    !isWhole(delay, 0, MAX_INITIAL_DELAY_SECONDS) ||
    !isWhole(bake, 0, MAX_BAKE_SECONDS) ||
    bake === 0 ||
    delay <= bake
  )
    return [];
  return [
    {
      path: 'progression.initialDelaySeconds',
      message: MESSAGES.initialDelayAboveBake(delay, bake, p?.bakeSeconds === undefined),
    },
  ];
}

/** A raw progression's lists of checks, by path: `progression.checks` and each `progression.hooks.<moment>`. */
export function checkLists(progression: Record<string, unknown>): Array<[string, unknown[]]> {
  const hooks = asObject(progression.hooks);
  return [
    ...(Array.isArray(progression.checks) ? [['progression.checks', progression.checks] as [string, unknown[]]] : []),
    ...HOOK_MOMENTS.flatMap((m): Array<[string, unknown[]]> =>
      Array.isArray(hooks?.[m]) ? [[`progression.hooks.${m}`, hooks[m] as unknown[]]] : [],
    ),
  ];
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/**
 * The checks that run commands on this machine, each as `smoke (./check.sh {{color}})`, escaped and short, for status
 * and plan.
 */
export function commandCheckSummaries(checks: readonly ProgressionCheck[] | undefined): string[] {
  const shown = (arg: string) => (/^[\x21-\x7e]{1,60}$/.test(arg) && !arg.includes('"') ? arg : quoteText(arg, 60));
  return (checks ?? [])
    .filter((c) => c.command !== undefined)
    .map((c) => `${escapeInvisible(c.name)} (${c.command!.map(shown).join(' ')})`);
}

/**
 * How long a Prometheus query or a command may run: one check interval, so that a round of checks
 * is over before the next starts. An HTTP check has its own `timeoutSeconds`.
 */
export function checkRunTimeoutSeconds(settings: Pick<ReleaseSettings, 'checkIntervalSeconds'>): number {
  return settings.checkIntervalSeconds;
}

/**
 * When the checks of a step run, in seconds after its apply: after the initial delay, every
 * interval, the last at the end of the bake (which may be less than an interval after the one
 * before); with no bake, once, when the delay is over.
 */
export function bakeSchedule(bakeSeconds: number, intervalSeconds: number, initialDelaySeconds = 0): number[] {
  if (bakeSeconds === 0) return [initialDelaySeconds];
  const times: number[] = [];
  for (let t = initialDelaySeconds + intervalSeconds; t < bakeSeconds; t += intervalSeconds) times.push(t);
  times.push(bakeSeconds);
  return times;
}

/** What the placeholders of a check's texts stand for during one step. */
export interface TemplateValues {
  /** The color being released; `{{canary}}` too. */
  readonly color: string;
  readonly app: string;
  /** The color's weight at this step. */
  readonly weight: number;
  /**
   * The color that had the most traffic when the release started, other than the one released (baselineColor).
   * @default - the released color itself: `{{baseline}}` is `{{color}}`
   */
  readonly baseline?: string;
}

/** The only placeholders; nothing else in a check is a template. `canary` is another name of `color`. */
export const PLACEHOLDERS = ['color', 'canary', 'baseline', 'app', 'weight'] as const;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The text with the placeholders filled in. Validated texts hold no other `{{`. */
export function fillPlaceholders(text: string, values: TemplateValues): string {
  const of: Record<(typeof PLACEHOLDERS)[number], string> = {
    color: values.color,
    canary: values.color,
    baseline: values.baseline ?? values.color,
    app: values.app,
    weight: String(values.weight),
  };
  return text.replace(PLACEHOLDER, (match, name: string) =>
    (PLACEHOLDERS as readonly string[]).includes(name) ? of[name as keyof typeof of] : match,
  );
}

/**
 * `{{baseline}}`: of the weights when the release started, the highest of a color other than the
 * released one, the first in the spec's order on a tie; the released color itself when it is the
 * only one.
 */
export function baselineColor(
  before: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  released: string,
): string {
  const entries = before instanceof Map ? [...before.entries()] : Object.entries(before);
  let best: [string, number] | undefined;
  for (const [name, weight] of entries) {
    if (name !== released && (best === undefined || weight > best[1])) best = [name, weight];
  }
  return best?.[0] ?? released;
}

/**
 * When the checks run after the last step, in seconds after its bake: every interval, the last at
 * the end of `postPromotionSeconds`; none when it is 0.
 */
export function postPromotionSchedule(postPromotionSeconds: number, intervalSeconds: number): number[] {
  return postPromotionSeconds === 0 ? [] : bakeSchedule(postPromotionSeconds, intervalSeconds, 0);
}

/**
 * The first `{{...}}` of a text that is not one of the placeholders, or an unclosed `{{`; undefined when there is none.
 */
export function unknownPlaceholder(text: string): string | undefined {
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(match[1])) return match[0];
  }
  const rest = text.replace(PLACEHOLDER, '');
  const at = rest.indexOf('{{');
  return at < 0 ? undefined : rest.slice(at, at + 20);
}
