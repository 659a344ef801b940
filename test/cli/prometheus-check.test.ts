import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckContext, runCheck } from '../../cli/checks';
import { EmptyResult, PrometheusCheck } from '../../spec/release';

/**
 * The Prometheus check against a real Prometheus (the Debian package `prometheus`; .ci/run
 * installs it), started once for this file on a free port, scraping a metrics endpoint this test
 * serves every second.
 */

const METRICS = [
  '# TYPE http_error_ratio gauge',
  'http_error_ratio{color="blue"} 0.002',
  'http_error_ratio{color="green"} 0.05',
  '',
].join('\n');

/** How long Prometheus may take to start and to scrape the endpoint once (its target discovery alone waits 5 s). */
const STARTUP_MS = 30_000;

let metrics: Server;
let metricsPort: number;
let prometheus: ChildProcess;
let url: string;
let log: string;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: one the system gave and took back. */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((done) => probe.close(done));
  return port;
}

async function query(promql: string): Promise<{ data?: { result?: unknown[] } } | undefined> {
  try {
    return await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json() as { data?: { result?: unknown[] } };
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  metrics = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(METRICS));
  metricsPort = await listen(metrics);
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: shop',
    `    static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }]`,
    '',
  ].join('\n'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  log = join(dir, 'prometheus.log');
  const out = openSync(log, 'w');
  prometheus = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
  ], { stdio: ['ignore', out, out] });
  const deadline = Date.now() + STARTUP_MS;
  let exited: string | undefined;
  prometheus.on('exit', (code, signal) => { exited = `exited with ${code ?? signal}`; });
  prometheus.on('error', (error) => { exited = error.message; });
  const scraped = async () => ((await query('up{job="shop"} == 1'))?.data?.result ?? []).length > 0;
  while (!(await scraped())) {
    if (exited !== undefined || Date.now() > deadline) {
      throw new Error(`Prometheus did not start and scrape within ${STARTUP_MS / 1000} s (${exited ?? 'still running'}); is the Debian package prometheus installed?\n${readFileSync(log, 'utf8')}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}, STARTUP_MS + 5_000);

afterAll(async () => {
  if (prometheus !== undefined && prometheus.exitCode === null) {
    const exited = new Promise((done) => prometheus.once('exit', done));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await new Promise((done) => metrics.close(done));
});

function context(color: string, weight = 25): CheckContext {
  return { values: { color, app: 'shop', weight }, cwd: tmpdir(), timeoutSeconds: 10, signal: new AbortController().signal, env: process.env };
}

const check = (prometheus: Omit<PrometheusCheck, 'url'> & { url?: string }) => ({ name: 'error-rate', prometheus: { url, ...prometheus } });

describe('the Prometheus check, against a real Prometheus', () => {
  it('passes when the value of the query, the color filled in, is within max', async () => {
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('blue')))
      .toEqual({ name: 'error-rate', passed: true, value: '0.002' });
  });

  it('fails when the value is above max, or below min, with the value and the bound', async () => {
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('green')))
      .toEqual({ name: 'error-rate', passed: false, value: '0.05', why: '0.05 above max 0.01' });
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', min: 0.01 }), context('blue')))
      .toEqual({ name: 'error-rate', passed: false, value: '0.002', why: '0.002 below min 0.01' });
  });

  it('fills {{app}} and {{weight}} too', async () => {
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}", job="{{app}}"} * {{weight}}', max: 1, min: 1 }), context('green', 20)))
      .toEqual({ name: 'error-rate', passed: true, value: '1' });
  });

  it('checks every series of a vector, naming the one out of bounds', async () => {
    const result = await runCheck(check({ query: 'http_error_ratio', max: 0.01 }), context('blue'));
    expect(result).toEqual({
      name: 'error-rate', passed: false, value: '0.05',
      why: `0.05 above max 0.01 (series {__name__="http_error_ratio",color="green",instance="127.0.0.1:${metricsPort}",job="shop"}, 1 of 2)`,
    });
  });

  it('takes a scalar as well as a vector', async () => {
    expect(await runCheck(check({ query: 'scalar(http_error_ratio{color="{{color}}"})', max: 0.01 }), context('blue')))
      .toEqual({ name: 'error-rate', passed: true, value: '0.002' });
  });

  it('fails on a result without a value (no series, or NaN as 0/0 gives without traffic), unless onEmpty is pass', async () => {
    const empty = { name: 'error-rate', passed: false, value: 'no value', why: 'no value (no series, or NaN)' };
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('purple'))).toEqual(empty);
    expect(await runCheck(check({ query: '0/0', max: 0.01 }), context('blue'))).toEqual(empty);
    expect(await runCheck(check({ query: 'http_error_ratio{color="{{color}}"}', max: 0.01, onEmpty: EmptyResult.PASS }), context('purple')))
      .toEqual({ name: 'error-rate', passed: true, value: 'no value' });
  });

  it('fails on a range vector, which has no single value', async () => {
    expect(await runCheck(check({ query: 'http_error_ratio[1m]', max: 0.01 }), context('blue'))).toEqual({
      name: 'error-rate', passed: false, value: 'no single value',
      why: 'a matrix result; expected an instant vector or a scalar (no range selector such as [5m] outside a function)',
    });
  });

  it('fails on a query Prometheus refuses, with its error', async () => {
    expect(await runCheck(check({ query: 'sum(http_error_ratio', max: 0.01 }), context('blue'))).toEqual({
      name: 'error-rate', passed: false, value: 'error 400',
      why: 'Prometheus answered 400: invalid parameter "query": 1:21: parse error: unclosed left parenthesis',
    });
  });

  it('takes the base URL with a trailing slash', async () => {
    expect(await runCheck(check({ url: `${url}/`, query: 'http_error_ratio{color="{{color}}"}', max: 0.01 }), context('blue')))
      .toEqual({ name: 'error-rate', passed: true, value: '0.002' });
  });
});
