import { shortText } from '../model/messages';
import {
  CheckVerdict,
  COMMAND_CHECK_ENV,
  DEFAULT_EXPECT_STATUS,
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  EmptyResult,
  fillPlaceholders,
  HttpCheck,
  MAX_PROMETHEUS_ANSWER_BYTES,
  MAX_PROMETHEUS_SERIES,
  ProgressionCheck,
  PrometheusCheck,
  TemplateValues,
} from '../model/release';
import { escapeInvisible, quoteText } from '../model/text';
import { ENGINE_MESSAGES } from './messages';
import { startProcess } from './process';

/**
 * The runners of `rainbow release`'s checks: a Prometheus query, an HTTP request, a command. Each
 * run ends in a verdict, never an exception: pass, fail, inconclusive (no data), or error (the
 * source could not be reached, or the command could not run or end in time). Each run ends
 * within its timeout, whatever the other side does: a server that never answers, an answer of
 * gigabytes, a command whose children outlive it.
 */

/** What one run of a check saw. */
export interface CheckResult {
  readonly name: string;
  readonly verdict: CheckVerdict;
  /**
   * What was measured, short, for the progress line: `0.002`, `3 series, worst: 0.05 {color="green"}`, `200`, `exit 0`,
   * `no value`.
   */
  readonly value: string;
  /** Why a run did not pass, for the report. */
  readonly why?: string;
}

export interface CheckContext {
  /** Filled into the placeholders: `{{color}}` and `{{canary}}`, `{{baseline}}`, `{{app}}`, `{{weight}}`. */
  readonly values: TemplateValues;
  /** The folder commands run in: the spec file's. */
  readonly cwd: string;
  /** How long a Prometheus query or a command may take. */
  readonly timeoutSeconds: number;
  /** Aborts a run in flight (Ctrl-C). */
  readonly signal: AbortSignal;
  /** rainbow's environment, from which commands get PATH, HOME, LANG, RAINBOW_* and the `checkEnv` names. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The names of the variables of `env` that commands get besides those: `progression.checkEnv`.
   * @default - none
   */
  readonly checkEnv?: readonly string[];
  /**
   * Headers HTTP checks add to their request: a pre-rollout hook's pin header.
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Runs one check once. */
export async function runCheck(check: ProgressionCheck, context: CheckContext): Promise<CheckResult> {
  if (check.prometheus !== undefined) return { name: check.name, ...(await prometheusRun(check.prometheus, context)) };
  if (check.http !== undefined) return { name: check.name, ...(await httpRun(check.http, context)) };
  return { name: check.name, ...(await commandRun(check.command ?? [], context)) };
}

type Run = Omit<CheckResult, 'name'>;

const pass = (value: string): Run => ({ verdict: 'pass', value });
const fail = (value: string, why: string = value): Run => ({ verdict: 'fail', value, why });
/** The source could not be reached, or the command could not run to its end: not a verdict on the color. */
const error = (value: string, why: string): Run => ({ verdict: 'error', value, why });

/** A number as Prometheus would print it, short: `0.0021`, `1.5e+21`, `+Inf`. */
function showNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/** Why fetch failed: the system error under it (`connect ECONNREFUSED 127.0.0.1:9`), not "fetch failed". */
function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return shortText(text, 160);
}

interface Deadline {
  /** Aborts when the run outlives its time or the release is interrupted. */
  readonly signal: AbortSignal;
  /** True once the time is over (and not because of an interruption). */
  readonly expired: boolean;
  /** Stops the timer: call it when the run is over. */
  clear(): void;
}

/**
 * A signal that aborts after `seconds` or with `outer`. A plain timer, not AbortSignal.timeout():
 * Node 20 keeps that one only weakly inside AbortSignal.any(), so a garbage collection cancels it
 * and a server that never answers holds the release for good.
 */
function deadline(seconds: number, outer: AbortSignal): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(ENGINE_MESSAGES.timedOut(seconds)));
  }, seconds * 1000);
  const onAbort = () => controller.abort(outer.reason);
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    clear() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    },
  };
}

const isRedirect = (status: number) => status >= 300 && status < 400;

/** The body as text, or undefined when it is longer than `limit` bytes (then it is left unread). */
async function boundedText(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `GET <url>/api/v1/query?query=...`: an instant query. Every value of the result (each series of
 * a vector, or the scalar) must be within the bounds; a result without a value (no series, or
 * only NaN, which 0/0 gives when there is no traffic) counts as `onEmpty` says. A redirect is not
 * followed, as the HTTP check follows none: the query goes to the server the spec names and no other.
 */
async function prometheusRun(check: PrometheusCheck, context: CheckContext): Promise<Run> {
  const query = fillPlaceholders(check.query, context.values);
  const url = `${fillPlaceholders(check.url, context.values).replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  const limit = deadline(context.timeoutSeconds, context.signal);
  let status: number;
  let body: unknown;
  try {
    const response = await fetch(url, {
      signal: limit.signal,
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    status = response.status;
    if (isRedirect(status)) {
      await response.body?.cancel().catch(() => undefined);
      return fail(`redirect ${status}`, ENGINE_MESSAGES.prometheusRedirect(status));
    }
    const text = await boundedText(response, MAX_PROMETHEUS_ANSWER_BYTES);
    if (text === undefined)
      return fail('too large', ENGINE_MESSAGES.prometheusTooLarge(MAX_PROMETHEUS_ANSWER_BYTES / 1024 / 1024));
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  } catch (failure) {
    if (limit.expired) return error('no answer', ENGINE_MESSAGES.timedOut(context.timeoutSeconds));
    return error('no answer', ENGINE_MESSAGES.noAnswer(fetchFailure(failure)));
  } finally {
    limit.clear();
  }
  const answer = body as
    { status?: string; error?: string; data?: { resultType?: string; result?: unknown } } | undefined;
  if (status !== 200 || answer?.status !== 'success') {
    // A 5xx is Prometheus (or a proxy before it) unable to answer now; a 4xx is the query refused.
    const verdict = status >= 500 ? error : fail;
    if (typeof answer?.error === 'string')
      return verdict(`error ${status}`, ENGINE_MESSAGES.prometheusRefused(status, shortText(answer.error, 200)));
    return verdict(`error ${status}`, ENGINE_MESSAGES.prometheusUnreadable);
  }
  const samples = resultSamples(answer.data?.resultType, answer.data?.result);
  if ('refused' in samples) return fail(samples.value, samples.refused);
  const values = samples.values.filter((s) => !Number.isNaN(s.value));
  if (values.length === 0) {
    if (check.onEmpty === EmptyResult.PASS) return pass('no value');
    if (check.onEmpty === EmptyResult.INCONCLUSIVE)
      return { verdict: 'inconclusive', value: 'no value', why: ENGINE_MESSAGES.prometheusEmpty };
    return fail('no value', ENGINE_MESSAGES.prometheusEmpty);
  }
  return verdict(check, values);
}

/**
 * How far a value is past the bounds: above 0 out of them, the nearer to 0 from below the closer
 * to a bound. Infinities compare as any number: +Inf is above every max, -Inf below every min.
 */
function excess(value: number, check: PrometheusCheck): number {
  const above = check.max === undefined ? -Infinity : value - check.max;
  const below = check.min === undefined ? -Infinity : check.min - value;
  return Math.max(above, below);
}

/**
 * Passes when every value is within the bounds. Shows one value: the only one, or with more than
 * one series, the worst (the farthest out of bounds, else the closest to a bound) and its labels,
 * so that the progress line stays one short line for any number of series.
 */
function verdict(check: PrometheusCheck, values: readonly Sample[]): Run {
  let worst = values[0];
  let worstExcess = excess(worst.value, check);
  let out = 0;
  for (const sample of values) {
    const e = excess(sample.value, check);
    if (e > 0) out++;
    if (e > worstExcess) {
      worst = sample;
      worstExcess = e;
    }
  }
  const value = showNumber(worst.value);
  const shown = values.length === 1 ? value : ENGINE_MESSAGES.prometheusSeries(values.length, value, worst.labels);
  if (out === 0) return pass(shown);
  const bound = check.max !== undefined && worst.value > check.max ? 'max' : 'min';
  const series = values.length > 1 ? ` (series ${worst.labels}, ${out} of ${values.length})` : '';
  return fail(
    shown,
    ENGINE_MESSAGES.prometheusOutOfRange(value, bound, bound === 'max' ? check.max! : check.min!, series),
  );
}

interface Sample {
  /** NaN, +Inf and -Inf included, as Prometheus gives them. */
  readonly value: number;
  /** `{code="500",color="blue"}`, escaped and short. */
  readonly labels: string;
}

/** How long the labels of a series may be in a message. */
const MAX_LABELS_TEXT = 300;

function labelsText(metric: Record<string, unknown> | undefined): string {
  const text = Object.entries(metric ?? {})
    .map(([k, v]) => `${escapeInvisible(shortText(k, 40))}=${quoteText(String(v), 40)}`)
    .join(',');
  return `{${text.length > MAX_LABELS_TEXT ? `${text.slice(0, MAX_LABELS_TEXT - 3)}...` : text}}`;
}

const GO_INFINITY = /^[+-]?(inf|infinity)$/i;
const GO_NAN = /^nan$/i;
const GO_DECIMAL = /^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/;
const GO_HEX = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d+)$/;

/**
 * A sample value as Prometheus writes it (Go's strconv: `0.002`, `1e+06`, `+Inf`, `-Inf`, `NaN`,
 * and the hexadecimal floats Go also reads, such as `0x1p-2`); undefined when it is none of those.
 * JavaScript's Number() reads `+Inf` as NaN, which would make an infinite error rate look like no
 * traffic at all.
 */
export function parsePrometheusNumber(text: string): number | undefined {
  if (GO_INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (GO_NAN.test(text)) return Number.NaN;
  if (GO_DECIMAL.test(text)) return Number(text.replace(/_/g, ''));
  const hex = GO_HEX.exec(text);
  if (hex === null) return undefined;
  const [, sign, whole, fraction = '', exponent] = hex;
  const digits = `${whole}${fraction}`.replace(/_/g, '');
  if (digits === '') return undefined;
  const mantissa = Number.parseInt(digits, 16) * 2 ** (-4 * fraction.replace(/_/g, '').length);
  const value = mantissa * 2 ** Number(exponent);
  return sign === '-' ? -value : value;
}

/**
 * The values of a query result: a vector's samples, or a scalar; a range vector, a string, a value
 * that is not a number, or more than MAX_PROMETHEUS_SERIES series is refused.
 */
export function resultSamples(
  type: unknown,
  result: unknown,
): { values: Sample[] } | { refused: string; value: string } {
  const number = (pair: unknown) =>
    Array.isArray(pair) && typeof pair[1] === 'string' ? parsePrometheusNumber(pair[1]) : undefined;
  const unreadable = { refused: ENGINE_MESSAGES.prometheusUnreadable, value: 'error 200' };
  if (type === 'scalar') {
    const value = number(result);
    return value === undefined ? unreadable : { values: [{ value, labels: '{}' }] };
  }
  if (type !== 'vector' || !Array.isArray(result)) {
    return {
      refused: ENGINE_MESSAGES.prometheusNotVector(typeof type === 'string' ? shortText(type, 20) : 'strange'),
      value: 'no single value',
    };
  }
  if (result.length > MAX_PROMETHEUS_SERIES)
    return {
      refused: ENGINE_MESSAGES.prometheusTooManySeries(result.length, MAX_PROMETHEUS_SERIES),
      value: `${result.length} series`,
    };
  const values: Sample[] = [];
  for (const series of result as Array<{ metric?: Record<string, unknown>; value?: unknown } | null>) {
    const value = number(series?.value);
    if (value === undefined) return unreadable;
    values.push({ value, labels: labelsText(series?.metric) });
  }
  return { values };
}

/** `GET <url>`, redirects not followed: the status must be `expectStatus`. */
async function httpRun(check: HttpCheck, context: CheckContext): Promise<Run> {
  const seconds = check.timeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS;
  const expected = check.expectStatus ?? DEFAULT_EXPECT_STATUS;
  const limit = deadline(seconds, context.signal);
  try {
    const response = await fetch(fillPlaceholders(check.url, context.values), {
      signal: limit.signal,
      redirect: 'manual',
      headers: { ...context.headers },
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status === expected
      ? pass(String(response.status))
      : fail(String(response.status), ENGINE_MESSAGES.httpStatus(response.status, expected));
  } catch (failure) {
    if (limit.expired) return error('no answer', ENGINE_MESSAGES.timedOut(seconds));
    return error('no answer', ENGINE_MESSAGES.noAnswer(fetchFailure(failure)));
  } finally {
    limit.clear();
  }
}

/** What is kept of a command's output: its last line, for the report. */
const OUTPUT_TAIL_BYTES = 4096;

/**
 * A command check's environment: COMMAND_CHECK_ENV, the RAINBOW_* variables and the `checkEnv`
 * names from rainbow's, and RAINBOW_COLOR, RAINBOW_APP, RAINBOW_WEIGHT and RAINBOW_BASELINE of the step; nothing
 * else, so that credentials reach only a command whose spec names them.
 */
export function commandEnvironment(context: Pick<CheckContext, 'env' | 'checkEnv' | 'values'>): Record<string, string> {
  const wanted = new Set<string>([...COMMAND_CHECK_ENV, ...(context.checkEnv ?? [])]);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(context.env)) {
    if (value !== undefined && (wanted.has(name) || name.startsWith('RAINBOW_'))) env[name] = value;
  }
  const { color, app, weight, baseline } = context.values;
  return {
    ...env,
    RAINBOW_COLOR: color,
    RAINBOW_APP: app,
    RAINBOW_WEIGHT: String(weight),
    RAINBOW_BASELINE: baseline ?? color,
  };
}

/**
 * The command and its arguments, without a shell, in the spec's folder and a process group of
 * its own, with the environment of commandEnvironment; exit 0 passes. When it outlives the
 * timeout or the release is interrupted, its whole group is killed (a `sleep 60 &`, a `curl`
 * under a killed script), and the run ends when the command exits, not when the last process
 * holding its output does.
 */
async function commandRun(argv: readonly string[], context: CheckContext): Promise<Run> {
  const [program, ...args] = argv.map((a) => fillPlaceholders(a, context.values));
  let result;
  try {
    result = await startProcess(program, args, {
      cwd: context.cwd,
      env: commandEnvironment(context),
      stdio: 'capture',
      tailBytes: OUTPUT_TAIL_BYTES,
      timeoutMs: context.timeoutSeconds * 1000,
      signal: context.signal,
    }).result;
  } catch (failure) {
    // spawn() throws at once on arguments it cannot pass (an empty program name).
    return error(
      'not run',
      ENGINE_MESSAGES.commandNotRun(
        program ?? '',
        failure instanceof Error ? shortText(failure.message, 120) : String(failure),
      ),
    );
  }
  if (result.error !== undefined) {
    const { code, message } = result.error;
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (code ?? message);
    return error('not run', ENGINE_MESSAGES.commandNotRun(program, why));
  }
  if (result.timedOut) return error('no answer', ENGINE_MESSAGES.timedOut(context.timeoutSeconds));
  if (result.code === 0) return pass('exit 0');
  if (result.code !== null)
    return fail(`exit ${result.code}`, ENGINE_MESSAGES.commandExit(result.code, lastLine(result.output)));
  return fail(`killed by ${result.signal}`, ENGINE_MESSAGES.commandKilled(String(result.signal)));
}

/** The last line of a command's output that is not blank, escaped and short. */
function lastLine(output: Buffer): string {
  const lines = output
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  return lines.length === 0 ? '' : escapeInvisible(shortText(lines[lines.length - 1].trim(), 200));
}
