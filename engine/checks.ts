import { spawn } from 'node:child_process';
import { MESSAGES, shortText } from '../spec/messages';
import {
  DEFAULT_EXPECT_STATUS, DEFAULT_HTTP_TIMEOUT_SECONDS, EmptyResult, fillPlaceholders, HttpCheck, ProgressionCheck, PrometheusCheck, TemplateValues,
} from '../spec/release';
import { escapeInvisible, quoteText } from '../spec/text';

/**
 * The runners of `rainbow release`'s checks: a Prometheus query, an HTTP request, a command. Each
 * run ends in a result, never an exception: a check that cannot run has failed.
 */

/** What one run of a check saw. */
export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** What was measured, short, for the progress line: `0.002`, `200`, `exit 0`, `no value`. */
  readonly value: string;
  /** Why a failed run failed, for the report. */
  readonly why?: string;
}

export interface CheckContext {
  /** Filled into `{{color}}`, `{{app}}`, `{{weight}}`. */
  readonly values: TemplateValues;
  /** The folder commands run in: the spec file's. */
  readonly cwd: string;
  /** How long a Prometheus query or a command may take. */
  readonly timeoutSeconds: number;
  /** Aborts a run in flight (Ctrl-C). */
  readonly signal: AbortSignal;
  /** The environment of commands. */
  readonly env: NodeJS.ProcessEnv;
}

/** Runs one check once. */
export async function runCheck(check: ProgressionCheck, context: CheckContext): Promise<CheckResult> {
  if (check.prometheus !== undefined) return { name: check.name, ...(await prometheusRun(check.prometheus, context)) };
  if (check.http !== undefined) return { name: check.name, ...(await httpRun(check.http, context)) };
  return { name: check.name, ...(await commandRun(check.command ?? [], context)) };
}

type Run = Omit<CheckResult, 'name'>;

const fail = (value: string, why: string = value): Run => ({ passed: false, value, why });

/** A number as Prometheus would print it, short: `0.0021`, `1.5e+21`. */
function showNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/** Why fetch failed: the system error under it (`connect ECONNREFUSED 127.0.0.1:9`), not "fetch failed". */
function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return shortText(text, 160);
}

function timeoutSignal(seconds: number, signal: AbortSignal): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(seconds * 1000)]);
}

/**
 * `GET <url>/api/v1/query?query=...`: an instant query. Every value of the result (each series of
 * a vector, or the scalar) must be within the bounds; a result without a value (no series, or
 * only NaN, which 0/0 gives when there is no traffic) counts as `onEmpty` says.
 */
async function prometheusRun(check: PrometheusCheck, context: CheckContext): Promise<Run> {
  const query = fillPlaceholders(check.query, context.values);
  const url = `${fillPlaceholders(check.url, context.values).replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  const signal = timeoutSignal(context.timeoutSeconds, context.signal);
  let status: number;
  let body: unknown;
  try {
    const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    status = response.status;
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  } catch (error) {
    if (signal.aborted && !context.signal.aborted) return fail('no answer', MESSAGES.timedOut(context.timeoutSeconds));
    return fail('no answer', MESSAGES.noAnswer(fetchFailure(error)));
  }
  const answer = body as { status?: string; error?: string; data?: { resultType?: string; result?: unknown } } | undefined;
  if (status !== 200 || answer?.status !== 'success') {
    if (typeof answer?.error === 'string') return fail(`error ${status}`, MESSAGES.prometheusRefused(status, shortText(answer.error, 200)));
    return fail(`error ${status}`, MESSAGES.prometheusUnreadable);
  }
  const samples = resultSamples(answer.data?.resultType, answer.data?.result);
  if ('refused' in samples) return fail('no single value', samples.refused);
  const values = samples.values.filter((s) => !Number.isNaN(s.value));
  if (values.length === 0) {
    return check.onEmpty === EmptyResult.PASS ? { passed: true, value: 'no value' } : fail('no value', MESSAGES.prometheusEmpty);
  }
  for (const sample of values) {
    const bound = check.max !== undefined && sample.value > check.max ? 'max' : check.min !== undefined && sample.value < check.min ? 'min' : undefined;
    if (bound === undefined) continue;
    const series = values.length > 1 ? ` (series ${sample.labels}, 1 of ${values.length})` : '';
    return fail(showNumber(sample.value), MESSAGES.prometheusOutOfRange(showNumber(sample.value), bound, bound === 'max' ? check.max! : check.min!, series));
  }
  return { passed: true, value: values.map((s) => showNumber(s.value)).join(' ') };
}

interface Sample {
  readonly value: number;
  /** `{code="500",color="blue"}`, escaped. */
  readonly labels: string;
}

/** The values of a query result: a vector's samples, or a scalar; a range vector or a string is refused. */
export function resultSamples(type: unknown, result: unknown): { values: Sample[] } | { refused: string } {
  const number = (pair: unknown) => (Array.isArray(pair) && typeof pair[1] === 'string' ? Number(pair[1]) : Number.NaN);
  if (type === 'scalar') return { values: [{ value: number(result), labels: '{}' }] };
  if (type !== 'vector' || !Array.isArray(result)) return { refused: MESSAGES.prometheusNotVector(typeof type === 'string' ? shortText(type, 20) : 'strange') };
  return {
    values: result.map((series: { metric?: Record<string, string>; value?: unknown }) => ({
      value: number(series.value),
      labels: `{${Object.entries(series.metric ?? {}).map(([k, v]) => `${escapeInvisible(shortText(k, 40))}=${quoteText(String(v), 40)}`).join(',')}}`,
    })),
  };
}

/** `GET <url>`, redirects not followed: the status must be `expectStatus`. */
async function httpRun(check: HttpCheck, context: CheckContext): Promise<Run> {
  const seconds = check.timeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS;
  const expected = check.expectStatus ?? DEFAULT_EXPECT_STATUS;
  const signal = timeoutSignal(seconds, context.signal);
  try {
    const response = await fetch(fillPlaceholders(check.url, context.values), { signal, redirect: 'manual' });
    await response.body?.cancel();
    return response.status === expected ? { passed: true, value: String(response.status) } : fail(String(response.status), MESSAGES.httpStatus(response.status, expected));
  } catch (error) {
    if (signal.aborted && !context.signal.aborted) return fail('no answer', MESSAGES.timedOut(seconds));
    return fail('no answer', MESSAGES.noAnswer(fetchFailure(error)));
  }
}

/** What is kept of a command's output: its last line, for the report. */
const OUTPUT_TAIL_BYTES = 4096;

/**
 * The command and its arguments, without a shell, in the spec's folder, with RAINBOW_COLOR,
 * RAINBOW_APP and RAINBOW_WEIGHT set; exit 0 passes. Killed when it outlives the timeout.
 */
function commandRun(argv: readonly string[], context: CheckContext): Promise<Run> {
  const [program, ...args] = argv.map((a) => fillPlaceholders(a, context.values));
  const { color, app, weight } = context.values;
  return new Promise((resolve) => {
    let tail = Buffer.alloc(0);
    let timedOut = false;
    const keep = (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > OUTPUT_TAIL_BYTES) tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
    };
    const child = spawn(program, args, {
      cwd: context.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...context.env, RAINBOW_COLOR: color, RAINBOW_APP: app, RAINBOW_WEIGHT: String(weight) },
    });
    const stop = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, context.timeoutSeconds * 1000);
    context.signal.addEventListener('abort', stop, { once: true });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let settled = false;
    const done = (run: Run) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      context.signal.removeEventListener('abort', stop);
      resolve(run);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'ENOENT' ? 'not found' : error.code === 'EACCES' ? 'not executable' : error.code ?? error.message;
      done(fail('not run', MESSAGES.commandNotRun(program, why)));
    });
    child.on('close', (code, signal) => {
      if (timedOut) done(fail('no answer', MESSAGES.timedOut(context.timeoutSeconds)));
      else if (code === 0) done({ passed: true, value: 'exit 0' });
      else if (code !== null) done(fail(`exit ${code}`, MESSAGES.commandExit(code, lastLine(tail))));
      else done(fail(`killed by ${signal}`, MESSAGES.commandKilled(String(signal))));
    });
  });
}

/** The last line of a command's output that is not blank, escaped and short. */
function lastLine(output: Buffer): string {
  const lines = output.toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.length === 0 ? '' : escapeInvisible(shortText(lines[lines.length - 1].trim(), 200));
}
