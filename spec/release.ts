/**
 * `rainbow release`: how long each step bakes, how often its checks run, how many failed runs a
 * step tolerates, and the checks themselves. The model only: the runners (network, processes)
 * live in the command (cli/checks.ts).
 */

/** What an empty Prometheus result counts as: a check's `onEmpty`. */
export enum EmptyResult {
  /** No value is a failure: the series the query needs are missing. */
  FAIL = 'fail',
  /** No value passes: for queries that return nothing while all is well (an alert-style query). */
  PASS = 'pass',
}

/** A PromQL query whose value must stay within bounds: a check's `prometheus`. */
export interface PrometheusCheck {
  /** Base URL of the Prometheus server, `http://` or `https://`, such as `http://prometheus.monitoring:9090`. */
  readonly url: string;
  /** An instant PromQL query; `{{color}}`, `{{app}}` and `{{weight}}` are filled in. */
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
  /** An `http://` or `https://` URL; `{{color}}`, `{{app}}` and `{{weight}}` are filled in. Redirects are not followed. */
  readonly url: string;
  /**
   * The status that passes, 100 to 599.
   * @default 200
   */
  readonly expectStatus?: number;
  /**
   * Seconds to wait for the answer, 1 to 60.
   * @default 5
   */
  readonly timeoutSeconds?: number;
}

/** One check `rainbow release` runs while a step bakes: exactly one of `prometheus`, `http` or `command`. */
export interface ProgressionCheck {
  /** Its name in progress lines and reports, unique among the checks: lowercase letters, digits and hyphens, at most 63 characters. */
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
   * A command and its arguments, run without a shell in the spec file's folder; exit 0 passes.
   * `{{color}}`, `{{app}}` and `{{weight}}` are filled in.
   * @default - not a command check
   */
  readonly command?: string[];
}

export const DEFAULT_BAKE_SECONDS = 300;
/** A day: a longer bake is a manual gate, not a bake. */
export const MAX_BAKE_SECONDS = 86400;
export const DEFAULT_CHECK_INTERVAL_SECONDS = 30;
export const MAX_CHECK_INTERVAL_SECONDS = 3600;
export const DEFAULT_FAILURE_LIMIT = 0;
export const MAX_FAILURE_LIMIT = 100;
export const DEFAULT_EXPECT_STATUS = 200;
export const DEFAULT_HTTP_TIMEOUT_SECONDS = 5;
export const MAX_HTTP_TIMEOUT_SECONDS = 60;
export const MAX_QUERY_LENGTH = 10000;
export const MAX_URL_LENGTH = 2048;

/** The release settings of a progression, every default filled in. */
export interface ReleaseSettings {
  readonly bakeSeconds: number;
  readonly checkIntervalSeconds: number;
  readonly failureLimit: number;
  readonly checks: ProgressionCheck[];
}

/** What a spec's (or a hand-built) progression gives `rainbow release`: its own values, else the defaults. */
export function releaseSettings(progression: Partial<ReleaseSettings> | undefined): ReleaseSettings {
  return {
    bakeSeconds: progression?.bakeSeconds ?? DEFAULT_BAKE_SECONDS,
    checkIntervalSeconds: progression?.checkIntervalSeconds ?? DEFAULT_CHECK_INTERVAL_SECONDS,
    failureLimit: progression?.failureLimit ?? DEFAULT_FAILURE_LIMIT,
    checks: (progression?.checks ?? []).map(resolveCheck),
  };
}

/** A check with the defaults of its kind filled in. */
export function resolveCheck(check: ProgressionCheck): ProgressionCheck {
  if (check.prometheus !== undefined) {
    return { name: check.name, prometheus: { ...check.prometheus, onEmpty: check.prometheus.onEmpty ?? EmptyResult.FAIL } };
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
 * How long a Prometheus query or a command may run: one check interval, so that a round of checks
 * is over before the next starts. An HTTP check has its own `timeoutSeconds`.
 */
export function checkRunTimeoutSeconds(settings: Pick<ReleaseSettings, 'checkIntervalSeconds'>): number {
  return settings.checkIntervalSeconds;
}

/**
 * When the checks of a step run, in seconds after its apply: every interval, the last at the end of
 * the bake (which may be less than an interval after the one before); with no bake, once at once.
 */
export function bakeSchedule(bakeSeconds: number, intervalSeconds: number): number[] {
  if (bakeSeconds === 0) return [0];
  const times: number[] = [];
  for (let t = intervalSeconds; t < bakeSeconds; t += intervalSeconds) times.push(t);
  times.push(bakeSeconds);
  return times;
}

/** What the placeholders of a check's texts stand for during one step. */
export interface TemplateValues {
  readonly color: string;
  readonly app: string;
  readonly weight: number;
}

/** The only placeholders; nothing else in a check is a template. */
export const PLACEHOLDERS = ['color', 'app', 'weight'] as const;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The text with `{{color}}`, `{{app}}` and `{{weight}}` filled in. Validated texts hold no other `{{`. */
export function fillPlaceholders(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (match, name: string) => ((PLACEHOLDERS as readonly string[]).includes(name) ? String(values[name as keyof TemplateValues]) : match));
}

/** The first `{{...}}` of a text that is not one of the placeholders, or an unclosed `{{`; undefined when there is none. */
export function unknownPlaceholder(text: string): string | undefined {
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(match[1])) return match[0];
  }
  const rest = text.replace(PLACEHOLDER, '');
  const at = rest.indexOf('{{');
  return at < 0 ? undefined : rest.slice(at, at + 20);
}
