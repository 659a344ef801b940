import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { readLastRelease, readRecord } from '../../engine/release-record';
import { rainbowInProcess } from '../fixtures/in-process';
import { project, Project, release, rollback, ROUTER, SHORT, specText } from '../fixtures/release-project';

const ROOT = resolve(__dirname, '..', '..');

/**
 * `rainbow release` end to end (test/fixtures/release-project.ts): a git repository holding the
 * deployed spec, the stand-in cdktf on PATH, a command check the test makes fail, a fake clock.
 */

describe('rainbow release, a release that goes through (with --commit)', () => {
  let p: Project;
  let result: Awaited<ReturnType<typeof release>>;
  beforeAll(async () => {
    p = project();
    result = await release(p, { yes: true, commit: true });
  });

  it('moves the color through every step, deploying the router at each, exit 0', () => {
    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: [] });
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER, ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 0, green: 100 });
    expect(result.out[result.out.length - 1]).toBe('release: green promoted to 100%');
    expect(result.listening).toBe(false);
  });

  it('bakes each step under the checks, each interval for bakeSeconds, with a progress line per run', () => {
    expect(p.runs()).toEqual([5, 5, 25, 25, 50, 50, 100, 100]);
    expect(result.sleeps).toEqual(Array(8).fill(30_000));
    expect(result.out[0]).toBe(
      'release: green from 0% through 5%, 25%, 50%, 100%; bake 1m00s a step, checks every 30s: smoke (failure limit 0)',
    );
    expect(result.out.filter((l) => l.includes(' left: '))).toEqual(
      ['5%', '25%', '50%', '100%'].flatMap((w, i) => [
        `release: step ${i + 1}/4 (green at ${w}), 30s left: smoke exit 0 ok`,
        `release: step ${i + 1}/4 (green at ${w}), 0s left: smoke exit 0 ok`,
      ]),
    );
  });

  it('plans every step against the one before, so that each stays within maxStepPercent, with no verdict against git HEAD', () => {
    expect(result.out.filter((l) => l.startsWith('plan: '))).toEqual(
      [0, 5, 25, 50].map((w) => `plan: rainbow.yaml against the step before (green at ${w}%)`),
    );
    expect(result.out.filter((l) => l.startsWith('  blue') || l.startsWith('  green'))).toEqual([
      '  blue   weight 100 → 95',
      '  green  weight 0 → 5',
      '  blue   weight 95 → 75',
      '  green  weight 5 → 25',
      '  blue   weight 75 → 50',
      '  green  weight 25 → 50',
      '  blue   weight 50 → 0',
      '  green  weight 50 → 100',
    ]);
    expect(result.out.filter((l) => l.startsWith('safety'))).toEqual(Array(4).fill('safety: ok'));
  });

  it('commits the spec after each deployed step, the last holding the promoted spec', () => {
    expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
      'rainbow release green: 100%',
      'rainbow release green: 50%',
      'rainbow release green: 25%',
      'rainbow release green: 5%',
      'deployed',
    ]);
    expect(p.git('show', 'HEAD~1:rainbow.yaml')).toContain('weight: 50');
    expect(p.git('status', '--porcelain')).toBe('');
  });
});

describe('rainbow release, rolling back', () => {
  it('rolls back when a check fails: the color to 0, the others to their weights before, deployed and committed, exit 1 with the report', async () => {
    const p = project();
    p.failFrom(50);
    const { code, out, err } = await release(p, { yes: true, commit: true });
    expect(code).toBe(1);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER, ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.runs()).toEqual([5, 5, 25, 25, 50]);
    expect(out).toContain('release: step 3/4 (green at 50%), 30s left: smoke exit 2 FAILED (1 time, 0 tolerated)');
    expect(out).toContain('plan: rainbow.yaml against the last step (green at 50%)');
    const report =
      'check smoke failed at step 3/4 (green at 50%): exit 2: error rate 4.2% for green at 50% (1 failed run, progression.failureLimit 0)';
    expect(err).toEqual([
      `release: rolling back green: ${report}`,
      `release: rolled back: blue 100%, green 0%; ${report}`,
    ]);
    expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
      'rainbow release green: rolled back',
      'rainbow release green: 50%',
      'rainbow release green: 25%',
      'rainbow release green: 5%',
      'deployed',
    ]);
    expect(p.git('status', '--porcelain')).toBe('');
  });

  it('tolerates failureLimit failed runs of a check in a step, and rolls back at the next', async () => {
    const tolerated = project({ steps: SHORT, failureLimit: 1 });
    tolerated.failFrom(50, 1);
    const passed = await release(tolerated);
    expect(passed.code).toBe(0);
    expect(passed.out).toContain(
      'release: step 1/2 (green at 50%), 30s left: smoke exit 2 FAILED (1 time, 1 tolerated)',
    );
    expect(tolerated.weights()).toEqual({ blue: 0, green: 100 });

    const exceeded = project({ steps: SHORT, failureLimit: 1 });
    exceeded.failFrom(50, 2);
    const failed = await release(exceeded);
    expect(failed.code).toBe(1);
    expect(exceeded.runs()).toEqual([50, 50]);
    expect(failed.err[1]).toBe(
      'release: rolled back: blue 100%, green 0%; check smoke failed at step 1/2 (green at 50%): exit 2: error rate 4.2% for green at 50% (2 failed runs, progression.failureLimit 1)',
    );
  });

  it('counts the failures of each step on their own: one failed run in each of two steps passes with failureLimit 1', async () => {
    const p = project({ steps: SHORT, failureLimit: 1 });
    writeFileSync(
      join(p.dir, 'check.sh'),
      '#!/bin/sh\necho "$RAINBOW_WEIGHT" >> runs.log\n[ "$(grep -c "^$RAINBOW_WEIGHT$" runs.log)" -ne 1 ]\n',
    );
    const { code, out } = await release(p);
    expect(code).toBe(0);
    expect(out.filter((l) => l.includes('FAILED'))).toHaveLength(2);
  });

  it("rolls back when a step's deploy fails, and deploys the rollback", async () => {
    const p = project({ steps: SHORT });
    const { code, err } = await release(p, { yes: true }, { env: { ...p.env, FAKE_CDKTF_FAIL_CALLS: '2' } });
    expect(code).toBe(1);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.runs()).toEqual([50, 50]);
    expect(err[0]).toMatch(
      /^phase 1\/1 \(router\) failed after [\d.]+ s \(cdktf exited with 3\); 0 later phases not run$/,
    );
    expect(err[err.length - 1]).toBe(
      'release: rolled back: blue 100%, green 0%; the deploy of step 2/2 (green at 100%) failed (above)',
    );
  });

  it("exits 4 when the rollback's deploy fails too, saying what is deployed and what to run, and commits nothing of it", async () => {
    const p = project({ steps: SHORT });
    const { code, err } = await release(
      p,
      { yes: true, commit: true },
      { env: { ...p.env, FAKE_CDKTF_FAIL_CALLS: '2,3' } },
    );
    expect(code).toBe(4);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(err).toContain(
      'release: the rollback (blue 100%, green 0%) is written to rainbow.yaml but NOT deployed: deployed is blue 50%, green 50%, or where the failed deploy went through, blue 0%, green 100%. ' +
        'Run rainbow release green again to deploy it, or deploy it yourself: RAINBOW_SPEC=rainbow.yaml cdktf deploy shop-router',
    );
    expect(err[err.length - 1]).toBe(
      'release: rollback NOT deployed: the deploy of step 2/2 (green at 100%) failed (above)',
    );
    expect(p.git('log', '--format=%s').trim().split('\n')).toEqual(['rainbow release green: 50%', 'deployed']);
    expect(p.git('show', 'HEAD:rainbow.yaml')).toContain('weight: 50');
  });

  it('finishes a rollback that was written but not deployed on the next run, then commits it', async () => {
    const p = project({ steps: SHORT });
    expect(
      (await release(p, { yes: true, commit: true }, { env: { ...p.env, FAKE_CDKTF_FAIL_CALLS: '2,3' } })).code,
    ).toBe(4);
    const { code, err } = await release(p, { yes: true, commit: true });
    expect(code).toBe(1);
    expect(err[0]).toBe(
      'release: finishing the rollback of green that an earlier run wrote but did not deploy (the deploy of step 2/2 (green at 100%) failed (above))',
    );
    expect(err[err.length - 1]).toBe(
      'release: rolled back: blue 100%, green 0%; the deploy of step 2/2 (green at 100%) failed (above)',
    );
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER, ROUTER, ROUTER]);
    expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
      'rainbow release green: rolled back',
      'rainbow release green: 50%',
      'deployed',
    ]);
    // The record now says only how the release ended: nothing left to resume.
    expect(readRecord(join(p.dir, 'rainbow.yaml'))).toBeUndefined();
    expect(readLastRelease(join(p.dir, 'rainbow.yaml'))).toEqual(
      expect.objectContaining({ color: 'green', outcome: 'rolled-back' }),
    );
  });

  it('rolls back on Ctrl-C during a bake, stopping the bake at once', async () => {
    const p = project({ steps: SHORT });
    const { code, out, err } = await release(p, { yes: true }, { interruptAt: 90 });
    expect(code).toBe(1);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.runs()).toEqual([50, 50]);
    expect(out.filter((l) => l.includes(' left: '))).toHaveLength(2);
    expect(err).toEqual([
      'release: SIGINT: stopping; rolling back',
      'release: rolling back green: interrupted by SIGINT at step 2/2 (green at 100%)',
      'release: rolled back: blue 100%, green 0%; interrupted by SIGINT at step 2/2 (green at 100%)',
    ]);
  });

  it('rolls back when --commit cannot commit a step, saying why', async () => {
    const p = project({ steps: SHORT });
    writeFileSync(join(p.dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "hook: no commits today" >&2\nexit 1\n');
    chmodSync(join(p.dir, '.git', 'hooks', 'pre-commit'), 0o755);
    const { code, err } = await release(p, { yes: true, commit: true });
    expect(code).toBe(1);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(err).toEqual([
      'release: rolling back green: git commit after step 1/2 (green at 50%) failed: hook: no commits today',
      'release: git commit after the rollback failed: hook: no commits today',
      'release: rolled back: blue 100%, green 0%; git commit after step 1/2 (green at 50%) failed: hook: no commits today',
    ]);
  });

  it('restores the deployed weights when a release that began by deploying an undeployed edit rolls back', async () => {
    const p = project({ steps: SHORT, green: 50 }, { steps: SHORT, green: 0 });
    p.failFrom(100);
    const { code, out, err } = await release(p);
    expect(code).toBe(1);
    expect(out[1]).toBe(
      'release: rainbow.yaml holds green at 50%, which is not deployed (git:HEAD: green at 0%): deploying and baking it first',
    );
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(err[err.length - 1]).toMatch(
      /^release: rolled back: blue 100%, green 0%; check smoke failed at step 2\/2 \(green at 100%\)/,
    );
  });

  it('puts the color back at its own weight when it had traffic when the release started', async () => {
    const p = project({ steps: '[25, 50, 100]', green: 25 });
    p.failFrom(100);
    const { code, err } = await release(p);
    expect(code).toBe(1);
    expect(p.weights()).toEqual({ blue: 75, green: 25 });
    expect(err[err.length - 1]).toMatch(/^release: rolled back: blue 75%, green 25%; /);
  });
});

describe('rainbow release, other runs', () => {
  it('lets cdktf ask before each deploy without --yes', async () => {
    const p = project({ steps: SHORT });
    expect((await release(p, {})).code).toBe(0);
    expect(p.calls().map((c) => c.args)).toEqual(Array(2).fill(['deploy', 'shop-router']));
  });

  it('runs the checks once a step with --dry-run and prints each edit and deploy, writing, deploying and committing nothing', async () => {
    const p = project();
    const text = readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8');
    const { code, out, err } = await release(p, { dryRun: true, commit: true });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.slice(1)).toEqual([
      'dry run: step 1/4 (green at 5%): blue 100% → 95%, green 0% → 5%; safety ok; would deploy shop-router',
      'dry run: step 1/4 (green at 5%), checks: smoke exit 0 ok',
      'dry run: step 2/4 (green at 25%): blue 95% → 75%, green 5% → 25%; safety ok; would deploy shop-router',
      'dry run: step 2/4 (green at 25%), checks: smoke exit 0 ok',
      'dry run: step 3/4 (green at 50%): blue 75% → 50%, green 25% → 50%; safety ok; would deploy shop-router',
      'dry run: step 3/4 (green at 50%), checks: smoke exit 0 ok',
      'dry run: step 4/4 (green at 100%): blue 50% → 0%, green 50% → 100%; safety ok; would deploy shop-router',
      'dry run: step 4/4 (green at 100%), checks: smoke exit 0 ok',
      'dry run: every step is safe and every check passed; nothing written, nothing deployed',
    ]);
    expect(p.runs()).toEqual([5, 25, 50, 100]);
    expect(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')).toBe(text);
    expect(p.calls()).toEqual([]);
    expect(p.git('log', '--format=%s').trim()).toBe('deployed');
  });

  it('exits 1 from --dry-run when a check fails, naming it, still writing nothing', async () => {
    const p = project();
    p.failFrom(25);
    const { code, out, err } = await release(p, { dryRun: true });
    expect(code).toBe(1);
    expect(out).toContain('dry run: step 2/4 (green at 25%), checks: smoke exit 2 FAILED');
    expect(err[0]).toBe(
      'dry run: check smoke failed at step 2/4 (green at 25%): exit 2: error rate 4.2% for green at 25%',
    );
    expect(out[out.length - 1]).toBe(
      'dry run: a release would stop and roll back as things are; nothing written, nothing deployed',
    );
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('deploys and bakes first a step the file holds but nobody deployed, planned against what is deployed', async () => {
    const p = project({ green: 25 }, { green: 0 });
    const { code, out } = await release(p, { dryRun: true });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^release: green from 0% through 25%, 50%, 100%;/);
    expect(out[1]).toBe(
      'release: rainbow.yaml holds green at 25%, which is not deployed (git:HEAD: green at 0%): deploying and baking it first',
    );
    expect(out[2]).toBe(
      'dry run: step 1/3 (green at 25%): blue 100% → 75%, green 0% → 25%; safety ok; would deploy shop-router',
    );
    expect(out[4]).toBe(
      'dry run: step 2/3 (green at 50%): blue 75% → 50%, green 25% → 50%; safety ok; would deploy shop-router',
    );
  });

  it('says there is nothing to do, exit 0, for a color at or past the last step', async () => {
    const p = project({ green: 100 }, { green: 100 });
    const { code, out } = await release(p);
    expect(code).toBe(0);
    expect(out).toEqual([
      'release: green is at 100%, already at or past the last of progression.steps [5, 25, 50, 100]; nothing to do',
    ]);
    expect(p.calls()).toEqual([]);
  });

  it('waits nothing with bakeSeconds 0: the checks run once right after each deploy', async () => {
    const p = project({ steps: SHORT, bakeSeconds: 0 });
    const { code, out, sleeps } = await release(p);
    expect(code).toBe(0);
    expect(sleeps).toEqual([]);
    expect(p.runs()).toEqual([50, 100]);
    expect(out[0]).toBe(
      'release: green from 0% through 50%, 100%; no bake, checks once a step: smoke (failure limit 0)',
    );
  });

  it("starts each step's checks after progression.initialDelaySeconds, then every interval to the end of the bake", async () => {
    const p = project({ steps: SHORT, bakeSeconds: 60, checkIntervalSeconds: 30, initialDelaySeconds: 20 });
    const { code, sleeps } = await release(p);
    expect(code).toBe(0);
    // Runs at 50 s (the delay, then one interval) and 60 s (the end of the bake) after each deploy.
    expect(sleeps).toEqual([50_000, 10_000, 50_000, 10_000]);
    expect(p.runs()).toEqual([50, 50, 100, 100]);
  });

  it('waits progression.initialDelaySeconds for the one run of a step with bakeSeconds 0', async () => {
    const p = project({ steps: SHORT, bakeSeconds: 0, initialDelaySeconds: 20 });
    const { code, out, sleeps } = await release(p);
    expect(code).toBe(0);
    expect(sleeps).toEqual([20_000, 20_000]);
    expect(p.runs()).toEqual([50, 100]);
    expect(out.filter((l) => l.includes(' left: '))).toEqual([
      'release: step 1/2 (green at 50%), 0s left: smoke exit 0 ok',
      'release: step 2/2 (green at 100%), 0s left: smoke exit 0 ok',
    ]);
  });

  it('only bakes without checks', async () => {
    const p = project({ steps: SHORT, checks: '' });
    const { code, out } = await release(p);
    expect(code).toBe(0);
    expect(out).toContain('release: step 1/2 (green at 50%), 30s left: no checks');
  });
});

/** The exit code of a paused release (cli/commands/release.ts maps the outcome `paused` to it). */
const EXIT_PAUSED = 3;

const recordOf = (p: Project) => JSON.parse(readFileSync(join(p.dir, '.rainbow.yaml.release.json'), 'utf8'));

/**
 * A stand-in Prometheus for the verdicts of a release: each query takes the next answer of
 * `answers` (`ok`: 0.001; `empty`: no series; `down`: a 503), `ok` once they run out, and is recorded.
 */
function standInPrometheus() {
  const answers: string[] = [];
  const queries: string[] = [];
  const server = createServer((request, response) => {
    queries.push(new URL(request.url ?? '/', 'http://x').searchParams.get('query') ?? '');
    const answer = answers.shift() ?? 'ok';
    if (answer === 'down') {
      response
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'overloaded' }));
      return;
    }
    const result = answer === 'empty' ? [] : [{ metric: {}, value: [1700000000, '0.001'] }];
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  const check = () => `    - name: error-rate
      prometheus:
        url: http://127.0.0.1:${(server.address() as AddressInfo).port}
        query: 'ratio{color="{{canary}}"} / ratio{color="{{baseline}}"}'
        max: 0.01
        onEmpty: inconclusive
`;
  return { server, answers, queries, check };
}

describe('rainbow release, pauses and the verdicts of its checks', () => {
  const prometheus = standInPrometheus();
  beforeAll(() => new Promise<void>((done) => prometheus.server.listen(0, '127.0.0.1', done)));
  afterAll(() => new Promise((done) => prometheus.server.close(done)));
  beforeEach(() => {
    prometheus.answers.length = 0;
    prometheus.queries.length = 0;
  });

  it('stops after baking the step before a pause, exit 3, recording where; run again, it goes on from there', async () => {
    const p = project({ steps: '[50, pause, 100]' });
    const first = await release(p, { yes: true, commit: true });
    expect(first.code).toBe(EXIT_PAUSED);
    expect(p.weights()).toEqual({ blue: 50, green: 50 });
    expect(p.runs()).toEqual([50, 50]);
    expect(first.err).toEqual([
      'release: paused at step 1/2 (green at 50%): progression.steps says pause here; deployed is blue 50%, green 50%. Run rainbow release green to go on from there',
    ]);
    expect(recordOf(p).paused).toEqual({ weight: 50, reason: 'progression.steps says pause here', bakeAgain: false });
    expect(p.git('log', '--format=%s').trim().split('\n')).toEqual(['rainbow release green: 50%', 'deployed']);

    const second = await release(p, { yes: true, commit: true });
    expect({ code: second.code, err: second.err }).toEqual({ code: 0, err: [] });
    expect(second.out).toContain('release: going on from the pause at green 50% (progression.steps says pause here)');
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    expect(p.runs()).toEqual([50, 50, 100, 100]);
    expect(p.weights()).toEqual({ blue: 0, green: 100 });
    expect(readRecord(join(p.dir, 'rainbow.yaml'))).toBeUndefined();
  });

  it('pauses on an inconclusive run beyond inconclusiveLimit, exit 3; run again, it bakes that step again, without a deploy, then goes on', async () => {
    const p = project({ steps: SHORT, checks: prometheus.check() });
    prometheus.answers.push('empty');
    const first = await release(p);
    expect(first.code).toBe(EXIT_PAUSED);
    expect(first.out).toContain(
      'release: step 1/2 (green at 50%), 30s left: error-rate no value INCONCLUSIVE (1 time, 0 tolerated)',
    );
    const why =
      'check error-rate was inconclusive at step 1/2 (green at 50%): no value (no series, or NaN) (1 inconclusive run, progression.inconclusiveLimit 0)';
    expect(first.err).toEqual([
      `release: paused at step 1/2 (green at 50%): ${why}; deployed is blue 50%, green 50%. Run rainbow release green to go on from there (the step bakes again first)`,
    ]);
    expect(recordOf(p).paused).toEqual({ weight: 50, reason: why, bakeAgain: true });

    const second = await release(p);
    expect(second.code).toBe(0);
    expect(second.out).toContain(
      `release: going on from the pause at green 50% (${why}): baking that step again first`,
    );
    expect(second.out.filter((l) => l.includes(' left: '))).toEqual([
      'release: step 1/2 (green at 50%), 30s left: error-rate 0.001 ok',
      'release: step 1/2 (green at 50%), 0s left: error-rate 0.001 ok',
      'release: step 2/2 (green at 100%), 30s left: error-rate 0.001 ok',
      'release: step 2/2 (green at 100%), 0s left: error-rate 0.001 ok',
    ]);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 0, green: 100 });
  });

  it('fills {{baseline}} with the color that had the most traffic when the release started, and {{canary}} with the color', async () => {
    const p = project({ steps: SHORT, checks: prometheus.check() });
    expect((await release(p)).code).toBe(0);
    expect(new Set(prometheus.queries)).toEqual(new Set(['ratio{color="green"} / ratio{color="blue"}']));
  });

  it('counts a source that cannot be reached as an error, not a failure, and does not advance until the check passes', async () => {
    const p = project({ steps: SHORT, checks: prometheus.check() });
    prometheus.answers.push('down', 'down');
    const { code, out } = await release(p);
    expect(code).toBe(0);
    expect(out.filter((l) => l.startsWith('release: step 1/2'))).toEqual([
      'release: step 1/2 (green at 50%)',
      'release: step 1/2 (green at 50%), 30s left: error-rate error 503 ERROR (1 in a row, 4 tolerated)',
      'release: step 1/2 (green at 50%), 0s left: error-rate error 503 ERROR (2 in a row, 4 tolerated)',
      'release: step 1/2 (green at 50%), 30s past the bake, until every check passes: error-rate 0.001 ok',
    ]);
  });

  it('rolls back after more errors in a row than consecutiveErrorLimit', async () => {
    const p = project({ steps: SHORT, checks: prometheus.check(), progression: '  consecutiveErrorLimit: 1\n' });
    prometheus.answers.push('down', 'down');
    const { code, err } = await release(p);
    expect(code).toBe(1);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(err[err.length - 1]).toBe(
      'release: rolled back: blue 100%, green 0%; check error-rate could not reach its source at step 1/2 (green at 50%): ' +
        'Prometheus answered 503: overloaded (2 runs in a row, progression.consecutiveErrorLimit 1)',
    );
  });

  it('does not advance while the latest run of a check failed, even within failureLimit: it runs the checks again each interval', async () => {
    const p = project({ steps: SHORT, failureLimit: 1 });
    // Fails the second run at 50% only.
    writeFileSync(
      join(p.dir, 'check.sh'),
      '#!/bin/sh\necho "$RAINBOW_WEIGHT" >> runs.log\n[ "$RAINBOW_WEIGHT$(grep -c "^$RAINBOW_WEIGHT$" runs.log)" != 502 ]\n',
    );
    const { code, out } = await release(p);
    expect(code).toBe(0);
    expect(p.runs()).toEqual([50, 50, 50, 100, 100]);
    expect(out).toContain('release: step 1/2 (green at 50%), 0s left: smoke exit 1 FAILED (1 time, 1 tolerated)');
    expect(out).toContain(
      'release: step 1/2 (green at 50%), 30s past the bake, until every check passes: smoke exit 0 ok',
    );
  });

  it('keeps the checks running postPromotionSeconds after the last step, and rolls back when one fails then', async () => {
    const passed = project({ steps: SHORT, progression: '  postPromotionSeconds: 60\n' });
    const ok = await release(passed);
    expect(ok.code).toBe(0);
    expect(passed.runs()).toEqual([50, 50, 100, 100, 100, 100]);
    expect(ok.out).toContain(
      'release: green at 100%, the last step: the checks keep running for 1m00s (progression.postPromotionSeconds); a failure rolls back',
    );
    expect(ok.out).toContain('release: after promotion (green at 100%), 0s left: smoke exit 0 ok');

    const failed = project({ steps: SHORT, progression: '  postPromotionSeconds: 60\n' });
    writeFileSync(
      join(failed.dir, 'check.sh'),
      '#!/bin/sh\necho "$RAINBOW_WEIGHT" >> runs.log\n[ "$RAINBOW_WEIGHT$(grep -c "^$RAINBOW_WEIGHT$" runs.log)" != 1004 ]\n',
    );
    const rolled = await release(failed);
    expect(rolled.code).toBe(1);
    expect(failed.weights()).toEqual({ blue: 100, green: 0 });
    expect(rolled.err[rolled.err.length - 1]).toBe(
      'release: rolled back: blue 100%, green 0%; check smoke failed at after promotion (green at 100%): exit 1 (1 failed run, progression.failureLimit 0)',
    );
  });
});

describe('rainbow release refuses, changing nothing', () => {
  it.each([
    [
      'a color the spec does not have',
      'purple',
      'color: received "purple"; expected one of the colors in the spec: blue, green',
    ],
  ])('%s', async (_what, color, message) => {
    const p = project();
    const { code, err } = await release(p, { yes: true }, { color });
    expect({ code, err }).toEqual({ code: 1, err: [message] });
    expect(p.calls()).toEqual([]);
  });

  it('a color not in the previous spec: its stack is not deployed', async () => {
    const p = project();
    writeFileSync(
      join(p.dir, 'rainbow.yaml'),
      `${specText()}  - name: yellow\n    image: ghcr.io/acme/shop:2.2.0\n    weight: 0\n`,
    );
    const { code, err } = await release(p, { yes: true }, { color: 'yellow' });
    expect({ code, err }).toEqual({
      code: 1,
      err: [
        'color: yellow is not in the previous spec (git:HEAD), so its stack is not deployed; add it, deploy it (rainbow apply) and commit, then release it',
      ],
    });
  });

  it('a color whose stack has changes that are not deployed', async () => {
    const p = project();
    writeFileSync(join(p.dir, 'rainbow.yaml'), specText().replace('shop:2.1.0', 'shop:2.1.1'));
    const { code, err } = await release(p);
    expect({ code, err }).toEqual({
      code: 1,
      err: [
        'color: green has changes that are not deployed (image ghcr.io/acme/shop:2.1.0 → ghcr.io/acme/shop:2.1.1, against git:HEAD); deploy them first (rainbow apply) and commit, then release it',
      ],
    });
    expect(p.calls()).toEqual([]);
  });

  it('a retired color, and one retired in the previous spec: its stack is empty', async () => {
    const p = project();
    const retired = specText().replace('    weight: 0\n', '    weight: 0\n    state: retired\n');
    writeFileSync(join(p.dir, 'rainbow.yaml'), retired);
    expect(await release(p)).toEqual(
      expect.objectContaining({ code: 1, err: ['color: green is retired; expected a color that is not'] }),
    );
    p.git('commit', '-qam', 'retire green');
    writeFileSync(join(p.dir, 'rainbow.yaml'), specText());
    expect(await release(p)).toEqual(
      expect.objectContaining({
        code: 1,
        err: [
          'color: green is retired in the previous spec (git:HEAD), so its stack is empty; deploy it live (rainbow apply) and commit, then release it',
        ],
      }),
    );
    expect(p.calls()).toEqual([]);
  });

  it('a spec without steps, saying how to add them', async () => {
    const p = project();
    const text = specText().replace('  steps: [5, 25, 50, 100]\n', '');
    writeFileSync(join(p.dir, 'rainbow.yaml'), text);
    p.git('commit', '-qam', 'no steps');
    const { code, err } = await release(p);
    expect({ code, err }).toEqual({
      code: 1,
      err: [
        'progression.steps: received nothing; expected the weights rainbow release moves green through, in order: add them to the spec, ' +
          'such as progression: { steps: [10, 50, 100] }, or [10, pause, 50, 100] to stop after 10% until rainbow release green is run again',
      ],
    });
    expect(p.calls()).toEqual([]);
    expect(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')).toBe(text);
  });

  it('a folder without cdktf.json, before changing the spec', async () => {
    const p = project();
    rmSync(join(p.dir, 'cdktf.json'));
    const { code, err } = await release(p);
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^release: no cdktf\.json in .*; nothing deployed$/);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
  });
});

describe('rainbow release, the command', () => {
  it('runs a whole release from the command line, exit 0', async () => {
    const p = project({ steps: SHORT, bakeSeconds: 0 });
    const { code, stdout, stderr } = await rainbowInProcess(p.dir, ['release', 'green', '--yes'], {
      PATH: p.env.PATH,
      HOME: p.env.HOME,
      FAKE_CDKTF_LOG: p.env.FAKE_CDKTF_LOG,
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('release: green promoted to 100%\n');
    expect(p.calls()).toHaveLength(2);
  });

  it.each([
    [['release'], "error: missing required argument 'color'\n"],
    [['release', 'green', '--now'], "error: unknown option '--now'\n"],
  ])('exits 2 on a usage error: %j', async (argv, stderr) => {
    const p = project();
    expect(await rainbowInProcess(p.dir, argv)).toEqual({ code: 2, stdout: '', stderr });
  });
});

/** The built command, spawned in the project: the signal tests are about the real process. */
function spawnRelease(
  p: Project,
  o: { args?: string[]; env?: NodeJS.ProcessEnv; detached?: boolean } = {},
): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  waitFor: (text: string) => Promise<void>;
  exit: Promise<number | null>;
} {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'cli', 'main.js'), 'release', 'green', '--yes', ...(o.args ?? [])],
    {
      cwd: p.dir,
      env: { ...p.env, ...o.env },
      detached: o.detached,
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    waiters.forEach((w) => w());
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    waiters.forEach((w) => w());
  });
  const exit = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const waitFor = (text: string) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (stdout.includes(text) || stderr.includes(text)) done();
      };
      waiters.push(check);
      check();
      void exit.then(() => fail(new Error(`exited before printing ${text}:\n${stdout}\n${stderr}`)));
    });
  return { child, output: () => ({ stdout, stderr }), waitFor, exit };
}

/** A spawned node and two deploys: seconds on a busy machine, though nothing waits for a time. */
const PROCESS_TEST_MS = 30_000;

describe('rainbow release, the process', () => {
  it(
    'rolls back on a real SIGINT (Ctrl-C) while a step bakes, exit 1',
    async () => {
      const p = project({ bakeSeconds: 3600, checkIntervalSeconds: 1 });
      const run = spawnRelease(p);
      await run.waitFor('release: step 1/4 (green at 5%), 59m59s left');
      run.child.kill('SIGINT');
      expect(await run.exit).toBe(1);
      expect(run.output().stderr).toContain('release: SIGINT: stopping; rolling back\n');
      expect(run.output().stderr).toContain(
        'release: rolled back: blue 100%, green 0%; interrupted by SIGINT at step 1/4 (green at 5%)\n',
      );
      expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
      expect(p.weights()).toEqual({ blue: 100, green: 0 });
    },
    PROCESS_TEST_MS,
  );

  it(
    'continues from the step it reached when it was killed outright (SIGKILL), on the next run',
    async () => {
      const p = project({ bakeSeconds: 3600, checkIntervalSeconds: 1 });
      const run = spawnRelease(p);
      await run.waitFor('release: step 1/4 (green at 5%), 59m59s left');
      run.child.kill('SIGKILL');
      await run.exit;
      expect(p.weights()).toEqual({ blue: 95, green: 5 });
      writeFileSync(
        join(p.dir, 'rainbow.yaml'),
        readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8').replace('bakeSeconds: 3600', 'bakeSeconds: 60'),
      );
      const { code, out } = await release(p);
      expect(code).toBe(0);
      expect(out[0]).toMatch(/^release: green from 5% through 25%, 50%, 100%;/);
      expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER, ROUTER, ROUTER]);
      expect(p.weights()).toEqual({ blue: 0, green: 100 });
    },
    PROCESS_TEST_MS,
  );

  it(
    'goes on after promotion when it was killed outright (SIGKILL) in the watch after the last step: the whole watch again, the hooks, promoted',
    async () => {
      const p = project({
        steps: SHORT,
        bakeSeconds: 0,
        checkIntervalSeconds: 1,
        progression:
          '  postPromotionSeconds: 3600\n  hooks:\n    postPromotion:\n      - name: verify\n        command: [./verify.sh, "{{color}}", "{{weight}}"]\n',
      });
      writeFileSync(join(p.dir, 'verify.sh'), '#!/bin/sh\necho "$1 $2" >> hooks.log\n');
      chmodSync(join(p.dir, 'verify.sh'), 0o755);
      const run = spawnRelease(p, { args: ['--commit'] });
      await run.waitFor('release: after promotion (green at 100%), 59m59s left');
      run.child.kill('SIGKILL');
      await run.exit;
      expect(p.weights()).toEqual({ blue: 0, green: 100 });
      expect(recordOf(p)).toMatchObject({ color: 'green', postPromotion: true });
      expect(existsSync(join(p.dir, 'hooks.log'))).toBe(false);
      const watched = p.runs().length;
      writeFileSync(
        join(p.dir, 'rainbow.yaml'),
        readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')
          .replace('postPromotionSeconds: 3600', 'postPromotionSeconds: 60')
          .replace('checkIntervalSeconds: 1', 'checkIntervalSeconds: 30'),
      );

      const { code, out, err } = await release(p, { yes: true, commit: true });
      expect({ code, err }).toEqual({ code: 0, err: [] });
      expect(out).toEqual([
        'release: going on after promotion (green at 100%, deployed): an earlier run of this release ended there before it finished; the watch after the last step runs again from its start, then the post-promotion hooks',
        'release: green at 100%, the last step: the checks keep running for 1m00s (progression.postPromotionSeconds); a failure rolls back',
        'release: after promotion (green at 100%), 30s left: smoke exit 0 ok',
        'release: after promotion (green at 100%), 0s left: smoke exit 0 ok',
        'release: post-promotion hooks: verify exit 0 ok',
        'release: green promoted to 100%',
      ]);
      expect(p.runs().slice(watched)).toEqual([100, 100]);
      expect(readFileSync(join(p.dir, 'hooks.log'), 'utf8')).toBe('green 100\n');
      expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
      expect(readRecord(join(p.dir, 'rainbow.yaml'))).toBeUndefined();
      expect(readLastRelease(join(p.dir, 'rainbow.yaml'))).toEqual(
        expect.objectContaining({ color: 'green', outcome: 'promoted' }),
      );
      expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
        'rainbow release green: 100%',
        'rainbow release green: 50%',
        'deployed',
      ]);
    },
    PROCESS_TEST_MS,
  );

  it(
    'rolls back on SIGHUP (a closed terminal, a lost SSH session) as on SIGTERM, exit 1',
    async () => {
      const p = project({ bakeSeconds: 3600, checkIntervalSeconds: 1 });
      const run = spawnRelease(p);
      await run.waitFor('release: step 1/4 (green at 5%), 59m59s left');
      run.child.kill('SIGHUP');
      expect(await run.exit).toBe(1);
      expect(run.output().stderr).toContain('release: SIGHUP: stopping; rolling back\n');
      expect(run.output().stderr).toContain(
        'release: rolled back: blue 100%, green 0%; interrupted by SIGHUP at step 1/4 (green at 5%)\n',
      );
      expect(p.weights()).toEqual({ blue: 100, green: 0 });
      expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    },
    PROCESS_TEST_MS,
  );

  it(
    "keeps a second Ctrl-C at the terminal from reaching the rollback's deploy, and commits the rollback only once deployed",
    async () => {
      const p = project({ bakeSeconds: 3600, checkIntervalSeconds: 1 });
      const log = p.env.FAKE_CDKTF_LOG!;
      // The rollback's deploy (the second call) takes a while, and logs any signal it gets.
      const run = spawnRelease(p, {
        args: ['--commit'],
        env: { FAKE_CDKTF_SLOW_CALLS: '2', FAKE_CDKTF_SLOW_SECONDS: '2' },
        detached: true,
      });
      await run.waitFor('release: step 1/4 (green at 5%), 59m59s left');
      // A terminal sends Ctrl-C to its whole foreground process group.
      process.kill(-run.child.pid!, 'SIGINT');
      await waitForFile(`${log}.pid`);
      process.kill(-run.child.pid!, 'SIGINT');
      expect(await run.exit).toBe(1);
      expect(run.output().stderr).toContain(
        "release: SIGINT: already rolling back; the rollback's deploy is not interrupted: wait for it to finish\n",
      );
      expect(existsSync(`${log}.signals`)).toBe(false);
      expect(p.weights()).toEqual({ blue: 100, green: 0 });
      expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
        'rainbow release green: rolled back',
        'rainbow release green: 5%',
        'deployed',
      ]);
    },
    PROCESS_TEST_MS,
  );

  it(
    'refuses a second release of the spec at once, naming the first, which goes on undisturbed',
    async () => {
      const p = project({ bakeSeconds: 3600, checkIntervalSeconds: 1 });
      const first = spawnRelease(p);
      await first.waitFor('release: step 1/4 (green at 5%), 59m59s left');
      const second = await release(p);
      expect(second.code).toBe(1);
      expect(second.err).toHaveLength(1);
      expect(second.err[0]).toMatch(
        new RegExp(
          `^rainbow\\.yaml: locked by rainbow release green \\(pid ${first.child.pid} on [^ ]+, since \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\)`,
        ),
      );
      expect(p.calls()).toHaveLength(1);
      first.child.kill('SIGTERM');
      expect(await first.exit).toBe(1);
      expect(p.weights()).toEqual({ blue: 100, green: 0 });
    },
    PROCESS_TEST_MS,
  );

  it(
    "resumes a release killed during a step's deploy by redeploying and baking that step against what is deployed",
    async () => {
      const p = project({ bakeSeconds: 0 });
      const log = p.env.FAKE_CDKTF_LOG!;
      const run = spawnRelease(p, { args: ['--commit'], env: { FAKE_CDKTF_HANG_CALLS: '2' } });
      await waitForFile(`${log}.pid`);
      run.child.kill('SIGKILL');
      // The stand-in's process group holds the pipes of the killed release's output until it goes too.
      process.kill(-Number(readFileSync(`${log}.pid`, 'utf8')), 'SIGKILL');
      await run.exit;
      rmSync(`${log}.pid`);
      expect(p.weights()).toEqual({ blue: 75, green: 25 });
      expect(p.git('show', 'HEAD:rainbow.yaml')).toContain('weight: 5\n');
      const { code, out } = await release(p, { yes: true, commit: true });
      expect(code).toBe(0);
      expect(out[0]).toMatch(/^release: green from 5% through 25%, 50%, 100%;/);
      expect(out[1]).toBe(
        'release: rainbow.yaml holds green at 25%, which is not deployed (the release record: green at 5%): deploying and baking it first',
      );
      expect(out).toContain('plan: rainbow.yaml against the step before (green at 5%)');
      expect(out.filter((l) => l.startsWith('safety'))).toEqual(Array(3).fill('safety: ok'));
      expect(p.runs()).toEqual([5, 25, 50, 100]);
      expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
        'rainbow release green: 100%',
        'rainbow release green: 50%',
        'rainbow release green: 25%',
        'rainbow release green: 5%',
        'deployed',
      ]);
    },
    PROCESS_TEST_MS,
  );
});

/** Resolves once `file` exists; a test's own timeout bounds the wait. */
async function waitForFile(file: string): Promise<void> {
  while (!existsSync(file)) await new Promise((done) => setTimeout(done, 20));
}

describe('rainbow release, when someone else edits the spec', () => {
  const editBlue = (p: Project) =>
    writeFileSync(
      join(p.dir, 'rainbow.yaml'),
      readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8').replace('shop:2.0.0', 'shop:2.0.1'),
    );

  it('stops at the next step without writing or deploying, saying what changed and what is deployed, exit 1', async () => {
    const p = project({ steps: SHORT });
    const { code, err } = await release(
      p,
      { yes: true },
      {
        during: (s) => {
          if (s === 30) editBlue(p);
        },
      },
    );
    expect(code).toBe(1);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER]);
    expect(err).toEqual([
      'release: rainbow.yaml changed during the release, not by it (blue updated (image ghcr.io/acme/shop:2.0.0 → ghcr.io/acme/shop:2.0.1)); stopped at step 2/2 (green at 100%) ' +
        'without writing or deploying anything more: deployed is blue 50%, green 50%. Review the change, then deploy it (rainbow apply) or go on (rainbow release green)',
    ]);
    expect(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')).toContain('shop:2.0.1');
    expect(p.weights()).toEqual({ blue: 50, green: 50 });
  });

  it('deploys no rollback over another edit: not forced past removed-before-retired, exit 4', async () => {
    const p = project({ steps: SHORT, checks: '    - name: smoke\n      command: [./check.sh, "{{color}}"]\n' });
    const withRed = (text: string) => `${text}  - name: red\n    image: ghcr.io/acme/shop:1.9.0\n    weight: 0\n`;
    writeFileSync(join(p.dir, 'rainbow.yaml'), withRed(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')));
    p.git('commit', '-qam', 'red deployed');
    p.failFrom(50);
    // Someone removes red, a live color, while step 1 bakes.
    const { code, out, err } = await release(
      p,
      { yes: true },
      {
        during: () =>
          writeFileSync(
            join(p.dir, 'rainbow.yaml'),
            readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8').replace(/ {2}- name: red\n.*\n.*\n$/, ''),
          ),
      },
    );
    expect(code).toBe(4);
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER]);
    expect(out.some((l) => l.includes('FORCED'))).toBe(false);
    expect(err[err.length - 1]).toBe(
      'release: rainbow.yaml changed during the release, not by it (red removed), so the rollback is neither written nor deployed: ' +
        'deployed is blue 50%, green 50%, red 0%. Put back what the release wrote (git diff shows the other change), then run rainbow release green to finish the rollback',
    );
  });

  it('goes past maxStepPercent only in a rollback, and says so in its plan', async () => {
    const p = project({ steps: SHORT });
    p.failFrom(100);
    const { code, out } = await release(p);
    expect(code).toBe(1);
    const plan = out.slice(out.indexOf('plan: rainbow.yaml against the last step (green at 100%)'));
    expect(plan).toContain('safety: FORCED past 2 rules broken (rollback)');
    expect(plan.filter((l) => l.startsWith('  [')).map((l) => l.slice(0, l.indexOf(']') + 1))).toEqual([
      '  [step-too-large]',
      '  [step-too-large]',
    ]);
  });
});

describe('rainbow rollback, in the project (the engine function the command calls)', () => {
  it('after a paused release, puts all traffic back on blue in one router deploy, commits it, ends the release and keeps it as the last', async () => {
    const p = project({ steps: '[50, pause, 100]' });
    expect((await release(p, { yes: true, commit: true })).code).toBe(3);
    const { code, out, err } = await rollback(p, { yes: true, commit: true });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out[0]).toBe(
      'rollback: all traffic to blue: blue 50%, green 50% → blue 100%, green 0%; deploying the router',
    );
    expect(out[out.length - 1]).toBe('rollback: rolled back: blue 100%, green 0%; deployed');
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.git('log', '--format=%s').trim().split('\n')).toEqual([
      'rainbow rollback: all traffic to blue',
      'rainbow release green: 50%',
      'deployed',
    ]);
    const kept = JSON.parse(readFileSync(join(p.dir, '.rainbow.yaml.release.json'), 'utf8'));
    expect(kept).toEqual({
      version: 1,
      last: {
        color: 'green',
        outcome: 'rolled-back-by-hand',
        startedAt: expect.any(String),
        endedAt: expect.any(String),
        before: { blue: 100, green: 0 },
        to: 'blue',
      },
    });
    // The release is over: releasing green again starts from blue 100%.
    const again = await release(p, { yes: true, commit: true }, { color: 'green' });
    expect(again.code).toBe(3);
    expect(again.out[0]).toMatch(/^release: green from 0% through 50%, 100%/);
  });

  it('refuses, changing nothing, exit 1: no release recorded; a color that is not deployed', async () => {
    const p = project({ steps: SHORT });
    const none = await rollback(p, { yes: true });
    expect({ code: none.code, err: none.err }).toEqual({
      code: 1,
      err: [
        '--to: no release is recorded beside the spec, so there is no color to go back to; name one: rainbow rollback --to <color>',
      ],
    });
    const text = `${readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')}  - name: red\n    image: ghcr.io/acme/shop:2.2.0\n    weight: 0\n`;
    writeFileSync(join(p.dir, 'rainbow.yaml'), text);
    const red = await rollback(p, { to: 'red', yes: true });
    expect({ code: red.code, err: red.err }).toEqual({
      code: 1,
      err: [
        '--to: red is not deployed (not in git:HEAD, or retired there), so it cannot take traffic; nothing changed',
      ],
    });
    expect(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')).toBe(text);
    expect(p.calls()).toEqual([]);
    expect(existsSync(join(p.dir, '.rainbow.yaml.release.json'))).toBe(false);
  });
});
