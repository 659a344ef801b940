import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CheckContext, parsePrometheusNumber, runCheck } from '../../engine/checks';
import { EmptyResult, ProgressionCheck } from '../../model/release';
import { gone } from '../fixtures/processes';

/** A local HTTP server: /healthz 200, /down 503, /moved 301, /hang never answers; it records the paths asked. */
let server: Server;
let base: string;
const asked: string[] = [];

/**
 * A stand-in Prometheus whose answer the query picks: a few series, an answer too large or with
 * too many series, a redirect to `elsewhere` (another port: another origin). It records the queries.
 */
let prometheus: Server;
let prometheusUrl: string;
let elsewhere: Server;
let elsewhereUrl: string;
const elsewhereAsked: string[] = [];

const vector = (series: Array<[Record<string, string>, string]>) =>
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: series.map(([metric, value]) => ({ metric, value: [1700000000, value] })) },
  });

function answerQuery(query: string, response: ServerResponse): void {
  const json = (text: string, headers: Record<string, string> = {}) =>
    response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(text);
  if (query === 'hang') return;
  if (query === 'three') {
    json(
      vector([
        [{ color: 'blue' }, '0.002'],
        [{ color: 'green' }, '0.05'],
        [{ color: 'red' }, '0.004'],
      ]),
    );
  } else if (query === 'inf') {
    json(
      vector([
        [{ color: 'blue' }, '0.002'],
        [{ color: 'green' }, '+Inf'],
      ]),
    );
  } else if (query === 'many') {
    json(vector(Array.from({ length: 10001 }, (_, i) => [{ pod: `p${i}` }, '0.001'])));
  } else if (query === 'big') {
    // 5 MiB streamed without a length, as Prometheus sends a large answer.
    const series = vector(Array.from({ length: 60000 }, (_, i) => [{ pod: `shop-${'x'.repeat(40)}-${i}` }, '0.001']));
    response.writeHead(200, { 'content-type': 'application/json' });
    for (let at = 0; at < series.length; at += 65536) response.write(series.slice(at, at + 65536));
    response.end();
  } else if (query === 'declared-big') {
    const text = vector([[{}, '0.001']]).padEnd(5 * 1024 * 1024, ' ');
    json(text, { 'content-length': String(Buffer.byteLength(text)) });
  } else if (query === 'empty') {
    json(vector([]));
  } else if (query === 'unavailable') {
    response
      .writeHead(503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'too many queries' }));
  } else if (query === 'bad') {
    response
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
  } else if (query === 'moved') {
    response.writeHead(302, { location: `${elsewhereUrl}/api/v1/query?query=one` }).end();
  } else {
    json(vector([[{}, '0.001']]));
  }
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(request.url ?? '');
    if (request.url === '/hang') return;
    if (request.url === '/moved') {
      response.writeHead(301, { location: '/healthz' }).end();
      return;
    }
    response.writeHead(request.url === '/down' ? 503 : 200).end('body');
  });
  base = await listen(server);
  const query = (request: IncomingMessage) => new URL(request.url ?? '/', 'http://x').searchParams.get('query') ?? '';
  prometheus = createServer((request, response) => answerQuery(query(request), response));
  prometheusUrl = await listen(prometheus);
  elsewhere = createServer((request, response) => {
    elsewhereAsked.push(query(request));
    answerQuery(query(request), response);
  });
  elsewhereUrl = await listen(elsewhere);
});

afterAll(async () => {
  for (const s of [server, prometheus, elsewhere]) {
    s.closeAllConnections();
    await new Promise((done) => s.close(done));
  }
});

function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    values: { color: 'green', app: 'shop', weight: 25 },
    cwd: tmpdir(),
    timeoutSeconds: 5,
    signal: new AbortController().signal,
    env: process.env,
    ...overrides,
  };
}

/** A port nothing listens on: one the system gave and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe('the HTTP check', () => {
  it('passes on the expected status, 200 by default, with the placeholders filled into the URL', async () => {
    const result = await runCheck(
      { name: 'smoke', http: { url: `${base}/healthz?color={{color}}&app={{app}}&weight={{weight}}` } },
      context(),
    );
    expect(result).toEqual({ name: 'smoke', verdict: 'pass', value: '200' });
    expect(asked).toContain('/healthz?color=green&app=shop&weight=25');
  });

  it('fails on another status, saying which it got and which it expected', async () => {
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/down` } }, context())).toEqual({
      name: 'smoke',
      verdict: 'fail',
      value: '503',
      why: 'status 503; expected 200',
    });
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/down`, expectStatus: 503 } }, context())).toEqual({
      name: 'smoke',
      verdict: 'pass',
      value: '503',
    });
  });

  it('does not follow a redirect, and says so: the URL itself must answer the status', async () => {
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/moved` } }, context())).toEqual({
      name: 'smoke',
      verdict: 'fail',
      value: '301',
      why: 'status 301 (a redirect, which is not followed); expected 200',
    });
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/moved`, expectStatus: 301 } }, context())).toEqual({
      name: 'smoke',
      verdict: 'pass',
      value: '301',
    });
  });

  it('is an error, not a failure, when nothing listens, naming the system error', async () => {
    const port = await closedPort();
    expect(await runCheck({ name: 'smoke', http: { url: `http://127.0.0.1:${port}/healthz` } }, context())).toEqual({
      name: 'smoke',
      verdict: 'error',
      value: 'no answer',
      why: `no answer: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('is an error, not a failure, when the answer takes longer than timeoutSeconds', async () => {
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/hang`, timeoutSeconds: 1 } }, context())).toEqual({
      name: 'smoke',
      verdict: 'error',
      value: 'no answer',
      why: 'no answer within 1 s',
    });
  });
});

/** V8's gc(), in this process: the flag is set at run time, and a new context is given the function. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** What `running` gives, or `late` when it has not settled within `ms`. */
async function within<T>(ms: number, running: Promise<T>): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), ms);
  });
  try {
    return await Promise.race([running, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the timeouts of the HTTP and Prometheus checks', () => {
  it('still fire after a garbage collection while the server never answers', async () => {
    const checks: ProgressionCheck[] = [
      { name: 'smoke', http: { url: `${base}/hang`, timeoutSeconds: 1 } },
      { name: 'error-rate', prometheus: { url: prometheusUrl, query: 'hang', max: 0.01 } },
    ];
    const running = Promise.all(checks.map((check) => runCheck(check, context({ timeoutSeconds: 1 }))));
    for (const ms of [50, 200, 400]) {
      await new Promise((done) => setTimeout(done, ms));
      collectGarbage();
    }
    expect(await within(4000, running)).toEqual([
      { name: 'smoke', verdict: 'error', value: 'no answer', why: 'no answer within 1 s' },
      { name: 'error-rate', verdict: 'error', value: 'no answer', why: 'no answer within 1 s' },
    ]);
  }, 15_000);
});

describe('the Prometheus check, against a stand-in server', () => {
  const check = (query: string, bounds: { max?: number; min?: number } = { max: 0.01 }, url = prometheusUrl) => ({
    name: 'error-rate',
    prometheus: { url, query, ...bounds },
  });

  it('shows one value for many series: their count, and the worst with its labels', async () => {
    expect(await runCheck(check('three', { max: 0.1 }), context())).toEqual({
      name: 'error-rate',
      verdict: 'pass',
      value: '3 series, worst: 0.05 {color="green"}',
    });
    expect(await runCheck(check('three', { min: 0.001 }), context())).toEqual({
      name: 'error-rate',
      verdict: 'pass',
      value: '3 series, worst: 0.002 {color="blue"}',
    });
    expect(await runCheck(check('three', { max: 0.003 }), context())).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: '3 series, worst: 0.05 {color="green"}',
      why: '0.05 above max 0.003 (series {color="green"}, 2 of 3)',
    });
  });

  it('compares +Inf with the bounds, as the worst of the series', async () => {
    expect(await runCheck(check('inf'), context())).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: '2 series, worst: +Inf {color="green"}',
      why: '+Inf above max 0.01 (series {color="green"}, 1 of 2)',
    });
  });

  it('fails on an answer above 4 MiB, read no further, whether its length is declared or not', async () => {
    const tooLarge = {
      name: 'error-rate',
      verdict: 'fail',
      value: 'too large',
      why: 'Prometheus answered more than 4 MiB, the most a check reads; expected a few series: aggregate the query (sum by (...), topk, max)',
    };
    expect(await runCheck(check('big'), context())).toEqual(tooLarge);
    expect(await runCheck(check('declared-big'), context())).toEqual(tooLarge);
  });

  it('fails on more than 10000 series', async () => {
    expect(await runCheck(check('many'), context())).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: '10001 series',
      why: 'Prometheus answered 10001 series; expected at most 10000: aggregate the query (sum by (...), topk, max)',
    });
  });

  it('does not follow a redirect, to another origin or any, as the HTTP check follows none', async () => {
    expect(await runCheck(check('moved'), context())).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: 'redirect 302',
      why: "Prometheus answered 302, a redirect, which is not followed; expected its query API's answer: set prometheus.url to the address that serves it",
    });
    expect(elsewhereAsked).toEqual([]);
  });

  it('is an error, not a failure, when Prometheus cannot answer (a 5xx, nothing listening); a failure when it refuses the query (a 4xx)', async () => {
    expect(await runCheck(check('unavailable'), context())).toEqual({
      name: 'error-rate',
      verdict: 'error',
      value: 'error 503',
      why: 'Prometheus answered 503: too many queries',
    });
    expect(await runCheck(check('bad'), context())).toEqual({
      name: 'error-rate',
      verdict: 'fail',
      value: 'error 400',
      why: 'Prometheus answered 400: parse error',
    });
    const port = await closedPort();
    expect(await runCheck(check('one', { max: 1 }, `http://127.0.0.1:${port}`), context())).toEqual({
      name: 'error-rate',
      verdict: 'error',
      value: 'no answer',
      why: `no answer: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('is inconclusive on a result without a value with onEmpty: inconclusive, a failure by default, a pass with onEmpty: pass', async () => {
    const empty = (onEmpty?: EmptyResult) => ({
      name: 'error-rate',
      prometheus: { url: prometheusUrl, query: 'empty', max: 0.01, ...(onEmpty === undefined ? {} : { onEmpty }) },
    });
    const why = 'no value (no series, or NaN)';
    expect(await runCheck(empty(EmptyResult.INCONCLUSIVE), context())).toEqual({
      name: 'error-rate',
      verdict: 'inconclusive',
      value: 'no value',
      why,
    });
    expect(await runCheck(empty(), context())).toEqual({ name: 'error-rate', verdict: 'fail', value: 'no value', why });
    expect(await runCheck(empty(EmptyResult.PASS), context())).toEqual({
      name: 'error-rate',
      verdict: 'pass',
      value: 'no value',
    });
  });
});

describe('the placeholders', () => {
  it("fill {{canary}} as {{color}}, and {{baseline}} with the baseline color, into URLs, queries and a command's environment", async () => {
    const values = { color: 'green', app: 'shop', weight: 25, baseline: 'blue' };
    await runCheck(
      { name: 'smoke', http: { url: `${base}/healthz?canary={{canary}}&baseline={{baseline}}&color={{color}}` } },
      context({ values }),
    );
    expect(asked[asked.length - 1]).toBe('/healthz?canary=green&baseline=blue&color=green');
    const printed = [
      process.execPath,
      '-e',
      'process.exit(process.env.RAINBOW_BASELINE === "blue" && process.argv[1] === "blue/green" ? 0 : 1)',
      '{{baseline}}/{{canary}}',
    ];
    expect(await runCheck({ name: 'custom', command: printed }, context({ values }))).toEqual({
      name: 'custom',
      verdict: 'pass',
      value: 'exit 0',
    });
  });
});

describe('parsePrometheusNumber', () => {
  it('reads the numbers Prometheus writes, infinities and NaN included, as Go does', () => {
    expect(
      [
        '0.002',
        '1e+06',
        '-3',
        '.5',
        '1.',
        '+Inf',
        '-Inf',
        'inf',
        '+infinity',
        'NaN',
        'nan',
        '0x1p-2',
        '-0x1.8p1',
        '1_000.5',
      ].map(parsePrometheusNumber),
    ).toEqual([
      0.002,
      1e6,
      -3,
      0.5,
      1,
      Infinity,
      -Infinity,
      Infinity,
      Infinity,
      Number.NaN,
      Number.NaN,
      0.25,
      -3,
      1000.5,
    ]);
  });

  it('refuses what Go does not read as a number', () => {
    expect(['', 'abc', '1,5', '+NaN', '0x1', '1__0', '_1', '1e', 'Infinit'].map(parsePrometheusNumber)).toEqual(
      Array(9).fill(undefined),
    );
  });
});

describe('the command check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-checks-'));
  mkdirSync(join(dir, 'scripts'));
  const script = (name: string, body: string, mode = 0o755) => {
    writeFileSync(join(dir, 'scripts', name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, 'scripts', name), mode);
    return `./scripts/${name}`;
  };
  const at = (overrides: Partial<CheckContext> = {}) => context({ cwd: dir, ...overrides });

  it("passes on exit 0, run from the spec's folder without a shell, the placeholders filled and RAINBOW_* set", async () => {
    const check = script(
      'record.sh',
      'printf "%s|" "$@" "$RAINBOW_COLOR" "$RAINBOW_APP" "$RAINBOW_WEIGHT" "$(pwd)" > record.txt',
    );
    const result = await runCheck(
      { name: 'custom', command: [check, '{{color}}', '$(echo no shell)', '{{app}}-{{weight}}'] },
      at(),
    );
    expect(result).toEqual({ name: 'custom', verdict: 'pass', value: 'exit 0' });
    expect(readFileSync(join(dir, 'record.txt'), 'utf8')).toBe(`green|$(echo no shell)|shop-25|green|shop|25|${dir}|`);
  });

  it('fails on another exit code, with the last line the command printed', async () => {
    const check = script('fail.sh', 'echo "checking {{color}}"\necho "error rate 4.2% > 1%" >&2\necho\nexit 3');
    expect(await runCheck({ name: 'custom', command: [check] }, at())).toEqual({
      name: 'custom',
      verdict: 'fail',
      value: 'exit 3',
      why: 'exit 3: error rate 4.2% > 1%',
    });
  });

  it('shows the last line escaped, never a terminal sequence', async () => {
    const check = script('escape.sh', 'printf "\\033[2Jcleared\\n"\nexit 1');
    expect((await runCheck({ name: 'custom', command: [check] }, at())).why).toBe('exit 1: \\u001b[2Jcleared');
  });

  it('is an error, not a failure, when the program is missing or not executable, saying so', async () => {
    expect(await runCheck({ name: 'custom', command: ['./scripts/missing.sh'] }, at())).toEqual({
      name: 'custom',
      verdict: 'error',
      value: 'not run',
      why: './scripts/missing.sh could not be run: not found',
    });
    const check = script('plain.sh', 'exit 0', 0o644);
    expect(await runCheck({ name: 'custom', command: [check] }, at())).toEqual({
      name: 'custom',
      verdict: 'error',
      value: 'not run',
      why: './scripts/plain.sh could not be run: not executable',
    });
  });

  it('kills a command that outlives the timeout: an error, not a failure', async () => {
    const check = script('hang.sh', 'exec sleep 30');
    expect(await runCheck({ name: 'custom', command: [check] }, at({ timeoutSeconds: 1 }))).toEqual({
      name: 'custom',
      verdict: 'error',
      value: 'no answer',
      why: 'no answer within 1 s',
    });
  });

  it('kills a command in flight when the release is interrupted', async () => {
    const check = script('started.sh', 'touch started\nexec sleep 30');
    const abort = new AbortController();
    const running = runCheck({ name: 'custom', command: [check] }, at({ signal: abort.signal }));
    while (!existsSync(join(dir, 'started'))) await new Promise((done) => setTimeout(done, 10));
    abort.abort();
    expect(await running).toEqual({
      name: 'custom',
      verdict: 'fail',
      value: 'killed by SIGKILL',
      why: 'killed by SIGKILL',
    });
  });

  const pidIn = async (file: string) => {
    while (!existsSync(join(dir, file)) || readFileSync(join(dir, file), 'utf8').trim() === '')
      await new Promise((done) => setTimeout(done, 10));
    return Number(readFileSync(join(dir, file), 'utf8'));
  };

  it('ends when a command that left a child running exits, and kills the child', async () => {
    const started = Date.now();
    const result = await within(
      5000,
      runCheck({ name: 'custom', command: ['sh', '-c', 'sleep 60 & echo $! > background.pid; echo started'] }, at()),
    );
    expect({ result, fast: Date.now() - started < 3000 }).toEqual({
      result: { name: 'custom', verdict: 'pass', value: 'exit 0' },
      fast: true,
    });
    expect(await gone(await pidIn('background.pid'))).toBe(true);
  }, 15_000);

  it("ends within a bound after the timeout, and kills the command's children too", async () => {
    const check = script('hang-child.sh', 'sleep 60 &\necho $! > hang-child.pid\nwait');
    const started = Date.now();
    const result = await within(5000, runCheck({ name: 'custom', command: [check] }, at({ timeoutSeconds: 1 })));
    expect({ result, fast: Date.now() - started < 3000 }).toEqual({
      result: { name: 'custom', verdict: 'error', value: 'no answer', why: 'no answer within 1 s' },
      fast: true,
    });
    expect(await gone(await pidIn('hang-child.pid'))).toBe(true);
  }, 15_000);

  it("ends within a bound after an interruption, and kills the command's children too", async () => {
    const check = script('abort-child.sh', 'sleep 60 &\necho $! > abort-child.pid\nwait');
    const abort = new AbortController();
    const run = runCheck({ name: 'custom', command: [check] }, at({ signal: abort.signal }));
    const pid = await pidIn('abort-child.pid');
    const aborted = Date.now();
    abort.abort();
    const result = await within(5000, run);
    expect({ result, fast: Date.now() - aborted < 2000 }).toEqual({
      result: { name: 'custom', verdict: 'fail', value: 'killed by SIGKILL', why: 'killed by SIGKILL' },
      fast: true,
    });
    expect(await gone(pid)).toBe(true);
  }, 15_000);

  it('gives the command PATH, HOME, LANG, RAINBOW_* and the checkEnv names of the environment, nothing else', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: '/home/ci',
      LANG: 'C.UTF-8',
      RAINBOW_SPEC: 'rainbow.yaml',
      DEPLOY_TOKEN: 'for-the-check',
      AWS_SECRET_ACCESS_KEY: 'hunter2',
      GITHUB_TOKEN: 'ghp_secret',
      LC_ALL: 'C',
    };
    const record = [
      process.execPath,
      '-e',
      'require("node:fs").writeFileSync("env.json", JSON.stringify(process.env))',
    ];
    expect(
      await runCheck({ name: 'custom', command: record }, at({ env, checkEnv: ['DEPLOY_TOKEN', 'NOT_SET'] })),
    ).toEqual({ name: 'custom', verdict: 'pass', value: 'exit 0' });
    expect(JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'))).toEqual({
      PATH: process.env.PATH,
      HOME: '/home/ci',
      LANG: 'C.UTF-8',
      RAINBOW_SPEC: 'rainbow.yaml',
      DEPLOY_TOKEN: 'for-the-check',
      RAINBOW_COLOR: 'green',
      RAINBOW_APP: 'shop',
      RAINBOW_WEIGHT: '25',
      RAINBOW_BASELINE: 'green',
    });
  });
});
