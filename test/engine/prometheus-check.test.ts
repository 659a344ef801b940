import { ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { CheckContext, runCheck } from '../../engine/checks';
import { EmptyResult, PrometheusCheck } from '../../model/release';
import { PROMETHEUS_INSTALLED, prometheusTests, RunningPrometheus, startPrometheus } from '../fixtures/prometheus';
import { project, release, ROUTER, SHORT } from '../fixtures/release-project';

/**
 * The Prometheus check against a real Prometheus (the Debian package `prometheus`; .ci/run
 * installs it), started once for this file on a free port, scraping a metrics endpoint this test
 * serves every second. A machine without it skips these tests and says so in one line; CI
 * (CI=true) requires it.
 */

const prometheusTest = prometheusTests("the release checks' tests");
const whenInstalled = prometheusTest.test;

const METRICS = [
  '# TYPE http_error_ratio gauge',
  'http_error_ratio{color="blue"} 0.002',
  'http_error_ratio{color="green"} 0.05',
  // red has only failed requests: its error ratio divides by zero, +Inf (and -Inf for the negated one).
  '# TYPE http_requests_failed gauge',
  'http_requests_failed{color="red"} 12',
  '# TYPE http_requests_succeeded gauge',
  'http_requests_succeeded{color="red"} 0',
  '',
].join('\n');

/** How long Prometheus may take to start and to scrape the endpoint once (its target discovery alone waits 5 s). */
const STARTUP_MS = 30_000;

let metrics: ChildProcess;
let metricsPort: number;
let prometheus: RunningPrometheus | undefined;
let url: string;

/**
 * Serves METRICS from a process of its own: this one blocks while a release deploys (spawnSync),
 * and a scrape that gets no answer would mark the series stale.
 */
async function serveMetrics(): Promise<{ child: ChildProcess; port: number }> {
  const code = `const s = require('node:http').createServer((q, r) => r.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(${JSON.stringify(METRICS)}));
s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((done, fail) => {
    child.stdout.once('data', (chunk) => done(Number(String(chunk).trim())));
    child.once('exit', (exit) => fail(new Error(`the metrics server exited with ${exit}`)));
  });
  return { child, port };
}

async function query(promql: string, base = url): Promise<{ data?: { result?: unknown[] } } | undefined> {
  try {
    return (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
      data?: { result?: unknown[] };
    };
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  if (!PROMETHEUS_INSTALLED) return;
  ({ child: metrics, port: metricsPort } = await serveMetrics());
  const config = [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: shop',
    `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
    '',
  ].join('\n');
  // Ready once it has scraped the endpoint (its target discovery alone waits 5 s).
  prometheus = await startPrometheus(config, {
    timeoutMs: STARTUP_MS,
    ready: async (base) => ((await query('up{job="shop"} == 1', base))?.data?.result ?? []).length > 0,
  });
  url = prometheus.url;
}, STARTUP_MS + 5_000);

afterAll(async () => {
  await prometheus?.stop();
  metrics?.kill();
});

function context(color: string, weight = 25): CheckContext {
  return {
    values: { color, app: 'shop', weight },
    cwd: tmpdir(),
    timeoutSeconds: 10,
    signal: new AbortController().signal,
    env: process.env,
  };
}

const check = (prometheus: Omit<PrometheusCheck, 'url'> & { url?: string }) => ({
  name: 'error-rate',
  prometheus: { url, ...prometheus },
});

describe('the Prometheus check, against a real Prometheus', () => {
  prometheusTest.required();

  whenInstalled('passes when the value of the query, the color filled in, is within max', async () => {
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('blue'))).toEqual(
      { name: 'error-rate', verdict: 'pass', value: '0.002' },
    );
  });

  whenInstalled('fails when the value is above max, or below min, with the value and the bound', async () => {
    expect(
      await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('green')),
    ).toEqual({ name: 'error-rate', verdict: 'fail', value: '0.05', why: '0.05 above max 0.01' });
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', min: 0.01 }), context('blue'))).toEqual(
      { name: 'error-rate', verdict: 'fail', value: '0.002', why: '0.002 below min 0.01' },
    );
  });

  whenInstalled('fills {{app}} and {{weight}} too', async () => {
    expect(
      await runCheck(
        check({ query: 'http_error_ratio{color="{{color}}", job="{{app}}"} * {{weight}}', max: 1, min: 1 }),
        context('green', 20),
      ),
    ).toEqual({ name: 'error-rate', verdict: 'pass', value: '1' });
  });

  whenInstalled('checks every series of a vector, showing their count and the worst one', async () => {
    const green = `{__name__="http_error_ratio",color="green",instance="127.0.0.1:${metricsPort}",job="shop"}`;
    expect(await runCheck(check({ query: 'http_error_ratio', max: 0.01 }), context('blue'))).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: `2 series, worst: 0.05 ${green}`,
      why: `0.05 above max 0.01 (series ${green}, 1 of 2)`,
    });
    expect(await runCheck(check({ query: 'http_error_ratio', max: 0.1 }), context('blue'))).toEqual({
      name: 'error-rate',
      verdict: 'pass',
      value: `2 series, worst: 0.05 ${green}`,
    });
  });

  whenInstalled(
    'fails a series whose ratio divides by zero: +Inf is above max, -Inf below min, never "no value"',
    async () => {
      const labels = `{color="red",instance="127.0.0.1:${metricsPort}",job="shop"}`;
      const ratio = 'http_requests_failed{color="{{color}}"} / http_requests_succeeded{color="{{color}}"}';
      expect(await runCheck(check({ query: ratio, max: 0.01, onEmpty: EmptyResult.PASS }), context('red'))).toEqual({
        name: 'error-rate',
        verdict: 'fail',
        value: '+Inf',
        why: '+Inf above max 0.01',
      });
      expect(await runCheck(check({ query: `-(${ratio})`, min: 0 }), context('red'))).toEqual({
        name: 'error-rate',
        verdict: 'fail',
        value: '-Inf',
        why: '-Inf below min 0',
      });
      expect(
        await runCheck(check({ query: `${ratio} or http_error_ratio{color="blue"}`, max: 0.01 }), context('red')),
      ).toEqual({
        name: 'error-rate',
        verdict: 'fail',
        value: `2 series, worst: +Inf ${labels}`,
        why: `+Inf above max 0.01 (series ${labels}, 1 of 2)`,
      });
    },
  );

  whenInstalled('takes a scalar as well as a vector', async () => {
    expect(
      await runCheck(check({ query: 'scalar(http_error_ratio{color="{{color}}"})', max: 0.01 }), context('blue')),
    ).toEqual({ name: 'error-rate', verdict: 'pass', value: '0.002' });
  });

  whenInstalled(
    'fails on a result without a value (no series, or NaN as 0/0 gives without traffic), unless onEmpty is pass',
    async () => {
      const empty = { name: 'error-rate', verdict: 'fail', value: 'no value', why: 'no value (no series, or NaN)' };
      expect(
        await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('purple')),
      ).toEqual(empty);
      expect(await runCheck(check({ query: '0/0', max: 0.01 }), context('blue'))).toEqual(empty);
      expect(
        await runCheck(
          check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01, onEmpty: EmptyResult.PASS }),
          context('purple'),
        ),
      ).toEqual({ name: 'error-rate', verdict: 'pass', value: 'no value' });
    },
  );

  whenInstalled('fails on a range vector, which has no single value', async () => {
    expect(await runCheck(check({ query: 'http_error_ratio[1m]', max: 0.01 }), context('blue'))).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: 'no single value',
      why: 'a matrix result; expected an instant vector or a scalar (no range selector such as [5m] outside a function)',
    });
  });

  whenInstalled('fails on a query Prometheus refuses, with its error', async () => {
    expect(await runCheck(check({ query: 'sum(http_error_ratio', max: 0.01 }), context('blue'))).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: 'error 400',
      why: 'Prometheus answered 400: invalid parameter "query": 1:21: parse error: unclosed left parenthesis',
    });
  });

  whenInstalled('takes the base URL with a trailing slash', async () => {
    expect(
      await runCheck(
        check({ url: `${url}/`, query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }),
        context('blue'),
      ),
    ).toEqual({ name: 'error-rate', verdict: 'pass', value: '0.002' });
  });
});

describe('verdicts other than pass and fail, against a real Prometheus', () => {
  whenInstalled('is inconclusive with onEmpty: inconclusive when no series matches, and fails by default', async () => {
    const absent = 'http_error_ratio{color="{{color}}"}';
    expect(
      await runCheck(check({ query: absent, max: 0.01, onEmpty: EmptyResult.INCONCLUSIVE }), context('purple')),
    ).toEqual({ name: 'error-rate', verdict: 'inconclusive', value: 'no value', why: 'no value (no series, or NaN)' });
    expect(await runCheck(check({ query: absent, max: 0.01 }), context('purple'))).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: 'no value',
      why: 'no value (no series, or NaN)',
    });
    expect(await runCheck(check({ query: absent, max: 0.01, onEmpty: EmptyResult.PASS }), context('purple'))).toEqual({
      name: 'error-rate',
      verdict: 'pass',
      value: 'no value',
    });
  });

  whenInstalled('is inconclusive on NaN, what 0/0 gives a color without traffic', async () => {
    // red has 0 succeeded requests: 0 / 0 is NaN, which Prometheus writes as "NaN".
    const ratio = 'http_requests_succeeded{color="{{color}}"} / http_requests_succeeded{color="{{color}}"}';
    expect(
      await (
        await fetch(`${url}/api/v1/query?query=${encodeURIComponent(ratio.replaceAll('{{color}}', 'red'))}`)
      ).json(),
    ).toMatchObject({
      data: { result: [{ value: [expect.any(Number), 'NaN'] }] },
    });
    expect(
      await runCheck(check({ query: ratio, max: 0.01, onEmpty: EmptyResult.INCONCLUSIVE }), context('red')),
    ).toEqual({ name: 'error-rate', verdict: 'inconclusive', value: 'no value', why: 'no value (no series, or NaN)' });
  });

  whenInstalled('compares the color with the baseline through {{baseline}}', async () => {
    // green's error ratio is 25 times blue's (0.05 / 0.002); blue against itself is 1.
    const versus = 'http_error_ratio{color="{{color}}"} / ignoring(color) http_error_ratio{color="{{baseline}}"}';
    const withBaseline = (color: string, baseline: string): CheckContext => ({
      ...context(color),
      values: { ...context(color).values, baseline },
    });
    expect(await runCheck(check({ query: versus, max: 1.2 }), withBaseline('green', 'blue'))).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: '25',
      why: '25 above max 1.2',
    });
    expect(await runCheck(check({ query: versus, max: 1.2 }), withBaseline('blue', 'blue'))).toEqual({
      name: 'error-rate',
      verdict: 'pass',
      value: '1',
    });
  });

  describe('a Prometheus that cannot answer', () => {
    // Its --query.timeout of 1 ms lets a one-week subquery (604800 points) time out: Prometheus
    // answers 503 with errorType timeout, as it does when overloaded.
    let slow: RunningPrometheus | undefined;
    const heavy = 'sum(count_over_time(vector(1)[7d:1s]))';
    beforeAll(async () => {
      if (PROMETHEUS_INSTALLED)
        slow = await startPrometheus('global: { scrape_interval: 1m }\n', { args: ['--query.timeout=1ms'] });
    }, STARTUP_MS + 5_000);
    afterAll(async () => {
      await slow?.stop();
    });

    whenInstalled('is an error, not a failure, when Prometheus answers 5xx (a query timed out)', async () => {
      expect(
        await runCheck({ name: 'error-rate', prometheus: { url: slow!.url, query: heavy, max: 1 } }, context('green')),
      ).toEqual({
        name: 'error-rate',
        verdict: 'error',
        value: 'error 503',
        why: 'Prometheus answered 503: query timed out in expression evaluation',
      });
    });

    whenInstalled('rolls the release back after more errors in a row than consecutiveErrorLimit', async () => {
      const p = project({
        steps: SHORT,
        bakeSeconds: 2,
        checkIntervalSeconds: 1,
        progression: '  consecutiveErrorLimit: 1\n',
        checks: `    - name: error-rate
      prometheus: { url: "${slow!.url}", query: '${heavy}', max: 1 }
`,
      });
      const { code, err } = await release(p);
      expect(code).toBe(1);
      expect(p.weights()).toEqual({ blue: 100, green: 0 });
      expect(err[err.length - 1]).toBe(
        'release: rolled back: blue 100%, green 0%; check error-rate could not reach its source at step 1/2 (green at 50%): Prometheus answered 503: query timed out in expression evaluation (2 runs in a row, progression.consecutiveErrorLimit 1)',
      );
    });

    whenInstalled('is an error when nothing answers at the URL any more', async () => {
      const gone = await startPrometheus('global: { scrape_interval: 1m }\n');
      await gone.stop();
      expect(
        await runCheck(
          { name: 'error-rate', prometheus: { url: gone.url, query: 'vector(1)', max: 1 } },
          context('green'),
        ),
      ).toMatchObject({
        name: 'error-rate',
        verdict: 'error',
        value: 'no answer',
        why: expect.stringMatching(/^no answer: .*(ECONNREFUSED|connection refused)/),
      });
    });
  });
});

describe('rainbow release with a Prometheus check, against a real Prometheus', () => {
  const checks = (max: number) => `    - name: error-rate
      prometheus: { url: "${url}", query: 'http_error_ratio{color="{{color}}"}', max: ${max} }
`;

  whenInstalled("rolls back when the released color's value is above max, naming the value", async () => {
    const p = project({ steps: SHORT, bakeSeconds: 0, checks: checks(0.01) });
    const { code, err } = await release(p);
    expect(code).toBe(1);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(err[err.length - 1]).toBe(
      'release: rolled back: blue 100%, green 0%; check error-rate failed at step 1/2 (green at 50%): 0.05 above max 0.01 (1 failed run, progression.failureLimit 0)',
    );
  });

  whenInstalled('promotes the color while its value stays within max', async () => {
    const p = project({ steps: SHORT, bakeSeconds: 0, checks: checks(0.1) });
    const { code, out } = await release(p);
    expect(code).toBe(0);
    expect(out).toContain('release: step 2/2 (green at 100%), 0s left: error-rate 0.05 ok');
    expect(p.weights()).toEqual({ blue: 0, green: 100 });
  });
  whenInstalled('pauses, exit 3, when a check is inconclusive more often than inconclusiveLimit', async () => {
    const p = project({
      steps: SHORT,
      bakeSeconds: 0,
      checks: `    - name: error-rate
      prometheus: { url: "${url}", query: 'http_error_ratio{color="{{color}}", absent="yes"}', max: 0.1, onEmpty: inconclusive }
`,
    });
    const { code, err } = await release(p);
    expect(code).toBe(3);
    expect(p.weights()).toEqual({ blue: 50, green: 50 });
    expect(err).toEqual([
      'release: paused at step 1/2 (green at 50%): check error-rate was inconclusive at step 1/2 (green at 50%): no value (no series, or NaN) (1 inconclusive run, progression.inconclusiveLimit 0); deployed is blue 50%, green 50%. Run rainbow release green to go on from there (the step bakes again first)',
    ]);
  });
});

prometheusTest.summary();
