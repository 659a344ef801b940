import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckResult, runCheck } from '../../engine/checks';
import { ReleaseEvent } from '../../engine/notify';
import {
  DeployOutcome,
  LastRelease,
  ReleaseDeps,
  ReleaseOutcome,
  ReleaseRecord,
  runRelease,
  SpecText,
} from '../../engine/release';
import { ReleaseReport } from '../../engine/release-report';
import { liveColors, RainbowSpec } from '../../model/types';
import { validateSpecText } from '../../spec-file/load';

/**
 * The hooks and notifications of a release, in-process: the spec, the record, deploys and git
 * are stand-ins in memory; HTTP hooks and notifications go to a real local server.
 */

interface Seen {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A local server: `answers[path]` gives the statuses in turn (the last one repeats); `hang` paths never answer. */
function localServer() {
  const seen: Seen[] = [];
  const answers: Record<string, number[]> = {};
  const hang = new Set<string>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const path = request.url ?? '/';
      seen.push({ path, headers: request.headers, body });
      if (hang.has(path)) return;
      const list = answers[path] ?? [200];
      response.writeHead(list.length > 1 ? list.shift()! : list[0]).end();
    });
  });
  const url = (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return { server, seen, answers, hang, url };
}

const local = localServer();
beforeAll(() => new Promise<void>((done) => local.server.listen(0, '127.0.0.1', done)));
afterAll(
  () =>
    new Promise<void>((done) => {
      local.server.closeAllConnections();
      local.server.close(() => done());
    }),
);
beforeEach(() => {
  local.seen.length = 0;
  for (const key of Object.keys(local.answers)) delete local.answers[key];
  local.hang.clear();
});

function specText(progression: string, steps = '[50, 100]'): string {
  return `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
routing:
  pinHeader: x-color
progression:
  steps: ${steps}
  bakeSeconds: 0
${progression}colors:
  - name: blue
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
`;
}

const specOf = (text: string): RainbowSpec => {
  const { spec, problems } = validateSpecText(text, 'rainbow.yaml');
  if (spec === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return spec;
};
const weights = (text: string) => Object.fromEntries(liveColors(specOf(text)).map((c) => [c.name, c.weight]));

/** The stand-ins, and a release of green against them; `checks` gives each run of a step's checks its verdict. */
function world(
  text: string,
  o: {
    checks?: () => CheckResult['verdict'];
    record?: ReleaseRecord;
    /** The outcome of each deploy in turn; deployed once they run out. */
    deploys?: DeployOutcome[];
    /** Why each commit in turn fails (undefined: it goes through); through once they run out. */
    commits?: Array<string | undefined>;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
  } = {},
) {
  const state = {
    file: text,
    deployed: text,
    head: text,
    record: o.record,
    last: undefined as LastRelease | undefined,
    deploys: [] as string[],
    /** At each commit: the message, and what the record and the last release said then (what a kill there leaves). */
    commits: [] as Array<{ message: string; record: ReleaseRecord | undefined; last: LastRelease | undefined }>,
  };
  const out: string[] = [];
  const err: string[] = [];
  const reports: ReleaseReport[] = [];
  const deps: ReleaseDeps = {
    clock: { now: () => 0, sleep: async () => {} },
    onInterrupt: () => () => {},
    store: {
      read: (): SpecText => ({ text: state.file, spec: specOf(state.file) }),
      write: (expected, next) => {
        if (state.file !== expected) return 'changed-on-disk';
        state.file = next;
        return 'written';
      },
      readRecord: () => state.record,
      writeRecord: (record) => {
        state.record = record;
      },
      readLastRelease: () => state.last,
      writeLastRelease: (last) => {
        state.record = undefined;
        state.last = last;
      },
    },
    lock: () => ({ release: () => {} }),
    previous: () => ({ source: 'git:HEAD', spec: specOf(state.head), text: state.head }),
    deploy: async (request) => {
      state.deploys.push(`green ${weights(request.spec.text).green}`);
      const outcome = o.deploys?.shift() ?? 'deployed';
      if (outcome === 'deployed') state.deployed = request.spec.text;
      return outcome;
    },
    commit: async (committed, message) => {
      state.commits.push({ message, record: state.record, last: state.last });
      const failed = o.commits?.shift();
      if (failed === undefined) state.head = committed;
      return failed;
    },
    runCheck: async (check, context) => {
      if (check.name.startsWith('bake'))
        return { name: check.name, verdict: o.checks?.() ?? 'pass', value: 'x', why: 'the bake check said so' };
      return runCheck(check, context);
    },
    prerequisite: () => undefined,
    env: o.env ?? {},
    cwd: o.cwd ?? '/',
    date: () => new Date('2026-12-07T10:00:00.000Z'),
    notifyTimings: { attempts: 3, backoffMs: 10, attemptTimeoutMs: 300, flushMs: 600 },
  };
  const run = (dryRun = false, commit = false): Promise<ReleaseOutcome> =>
    runRelease(
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      'rainbow.yaml',
      'green',
      { onReport: (r) => reports.push(r), dryRun, commit },
      deps,
    );
  return { state, out, err, reports, run };
}

const hook = (name: string, path: string) =>
  `      - name: ${name}\n        http: { url: "${local.url(path)}?c={{color}}&w={{weight}}" }\n`;

describe('progression.hooks', () => {
  it('runs pre-rollout hooks before the first step, at weight 0, with the pin header, then the steps', async () => {
    const w = world(specText(`  hooks:\n    preRollout:\n${hook('smoke', '/smoke')}`));
    expect(await w.run()).toBe('promoted');
    const smoke = local.seen.filter((s) => s.path.startsWith('/smoke'));
    expect(smoke.map((s) => [s.path, s.headers['x-color']])).toEqual([['/smoke?c=green&w=0', 'green']]);
    expect(w.out.slice(1, 3)).toEqual([
      'release: pre-rollout hooks at green 0%: smoke (HTTP checks with x-color: green)',
      'release: pre-rollout hooks: smoke 200 ok',
    ]);
    expect(w.state.deploys).toEqual(['green 50', 'green 100']);
    expect(w.state.last).toEqual({
      color: 'green',
      outcome: 'promoted',
      startedAt: '2026-12-07T10:00:00.000Z',
      endedAt: '2026-12-07T10:00:00.000Z',
      before: { blue: 100, green: 0 },
    });
    expect(w.reports[0].hooks.preRollout).toEqual({
      weight: 0,
      passed: true,
      results: [{ name: 'smoke', verdict: 'pass', value: '200' }],
    });
  });

  it('ends the release with nothing shifted when a pre-rollout hook fails, exit 1 (stopped)', async () => {
    local.answers['/smoke?c=green&w=0'] = [503];
    const text = specText(`  hooks:\n    preRollout:\n${hook('smoke', '/smoke')}`);
    const w = world(text);
    expect(await w.run()).toBe('stopped');
    expect(w.state.deploys).toEqual([]);
    expect(w.state.file).toBe(text);
    expect(w.state.record).toBeUndefined();
    expect(w.err).toEqual([
      'release: stopped before any change: pre-rollout hook smoke failed: status 503; expected 200; nothing shifted',
    ]);
    expect(w.reports[0]).toMatchObject({
      outcome: 'stopped',
      reason: 'pre-rollout hook smoke failed: status 503; expected 200; nothing shifted',
      steps: [],
    });
  });

  it('does not run pre-rollout hooks again when the record says they passed', async () => {
    const text = specText(`  hooks:\n    preRollout:\n${hook('smoke', '/smoke')}`);
    const record: ReleaseRecord = {
      color: 'green',
      startedAt: '2026-12-07T09:00:00.000Z',
      before: { blue: 100, green: 0 },
      deployed: text,
      written: text,
      preRolloutPassed: true,
    };
    const w = world(text, { record });
    expect(await w.run()).toBe('promoted');
    expect(local.seen).toEqual([]);
    expect(w.out).toContain(
      'release: pre-rollout hooks passed in an earlier run of this release (its record says so); not run again',
    );
  });

  it('records that the pre-rollout hooks passed, so that a resumed run skips them', async () => {
    const w = world(specText(`  hooks:\n    preRollout:\n${hook('smoke', '/smoke')}`, '[50, pause, 100]'));
    expect(await w.run()).toBe('paused');
    expect(w.state.record?.preRolloutPassed).toBe(true);
  });

  it('rolls back when a post-promotion hook fails, and reports an on-rollback hook that fails without changing the outcome', async () => {
    local.answers['/verify?c=green&w=100'] = [500];
    local.answers['/page?c=green&w=0'] = [404];
    const w = world(
      specText(`  hooks:\n    postPromotion:\n${hook('verify', '/verify')}    onRollback:\n${hook('page', '/page')}`),
    );
    expect(await w.run()).toBe('rolled-back');
    expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });
    expect(w.err).toEqual(
      [
        'release: rolling back green: post-promotion hook verify failed: status 500; expected 200',
        'release: on-rollback hooks: page 404 FAILED',
        'release: warning: on-rollback hook page failed: status 404; expected 200; the rollback stays deployed, nothing else changes',
        'release: rolled back: blue 100%, green 0%; post-promotion hook verify failed: status 500; expected 200',
      ].filter((l) => !l.includes('on-rollback hooks:')),
    );
    expect(w.reports[0].hooks).toEqual({
      postPromotion: {
        weight: 100,
        passed: false,
        results: [{ name: 'verify', verdict: 'fail', value: '500', why: 'status 500; expected 200' }],
      },
      onRollback: {
        weight: 0,
        passed: false,
        results: [{ name: 'page', verdict: 'fail', value: '404', why: 'status 404; expected 200' }],
      },
    });
    expect(w.out).toContain('release: on-rollback hooks: page 404 FAILED');
    expect(w.state.last?.outcome).toBe('rolled-back');
  });

  it('runs the pre-rollout and post-promotion hooks once in a dry run, and fails it when one fails', async () => {
    local.answers['/verify?c=green&w=100'] = [500];
    const w = world(
      specText(
        `  hooks:\n    preRollout:\n${hook('smoke', '/smoke')}    postPromotion:\n${hook('verify', '/verify')}  notify:\n    - url: ${local.url('/events')}\n`,
      ),
    );
    expect(await w.run(true)).toBe('dry-run-failed');
    expect(local.seen.map((s) => [s.path, s.headers['x-color']])).toEqual([
      ['/smoke?c=green&w=0', 'green'],
      ['/verify?c=green&w=100', undefined],
    ]);
    expect(w.err).toEqual(['dry run: post-promotion hook verify failed: status 500; expected 200']);
    expect(w.state.deploys).toEqual([]);
  });
});

describe('progression.notify', () => {
  const events = (path: string) =>
    local.seen.filter((s) => s.path === path).map((s) => JSON.parse(s.body) as ReleaseEvent);

  it('POSTs one JSON event per change, with the app, color, step, weights and verdicts, and no secret', async () => {
    const w = world(
      specText(
        `  checkEnv: [TOKEN]\n  checks:\n    - name: bake-smoke\n      command: [./check.sh]\n  notify:\n    - url: ${local.url('/events')}\n`,
      ),
    );
    expect(await w.run()).toBe('promoted');
    const got = events('/events');
    expect(got.map((e) => e.event).sort()).toEqual(['promoted', 'started', 'step', 'step']);
    expect(got.find((e) => e.event === 'promoted')).toEqual({
      event: 'promoted',
      app: 'shop',
      color: 'green',
      weights: { blue: 0, green: 100 },
      verdicts: [{ name: 'bake-smoke', verdict: 'pass' }],
      at: '2026-12-07T10:00:00.000Z',
    });
    expect(got.filter((e) => e.event === 'step').map((e) => e.step)).toEqual(
      expect.arrayContaining([
        { label: 'step 1/2 (green at 50%)', weight: 50 },
        { label: 'step 2/2 (green at 100%)', weight: 100 },
      ]),
    );
    expect(local.seen.every((s) => s.headers['content-type'] === 'application/json')).toBe(true);
    expect(local.seen.map((s) => s.body).join('')).not.toMatch(/check\.sh|TOKEN/);
    expect(w.err).toEqual([]);
    // The report has every step, with each run of its checks.
    expect(w.reports[0]).toMatchObject({
      version: 1,
      app: 'shop',
      color: 'green',
      outcome: 'promoted',
      before: { blue: 100, green: 0 },
      deployed: { blue: 0, green: 100 },
      steps: [
        {
          label: 'step 1/2 (green at 50%)',
          weight: 50,
          deployed: true,
          runs: [
            {
              afterSeconds: 0,
              results: [{ name: 'bake-smoke', verdict: 'pass', value: 'x', why: 'the bake check said so' }],
            },
          ],
        },
        {
          label: 'step 2/2 (green at 100%)',
          weight: 100,
          deployed: true,
          runs: [{ afterSeconds: 0, results: [{ name: 'bake-smoke', verdict: 'pass' }] }],
        },
      ],
    });
    expect(w.reports[0].reason).toBeUndefined();
  });

  it('says why in the event of a rollback', async () => {
    const w = world(
      specText(
        `  checks:\n    - name: bake-smoke\n      command: [./check.sh]\n  notify:\n    - url: ${local.url('/events')}\n`,
      ),
      { checks: () => 'fail' },
    );
    expect(await w.run()).toBe('rolled-back');
    const rolled = events('/events').find((e) => e.event === 'rolled-back')!;
    expect(rolled).toMatchObject({
      weights: { blue: 100, green: 0 },
      verdicts: [{ name: 'bake-smoke', verdict: 'fail' }],
    });
    expect(rolled.reason).toBe(
      'check bake-smoke failed at step 1/2 (green at 50%): the bake check said so (1 failed run, progression.failureLimit 0)',
    );
  });

  it('retries a failed delivery a few times, then gives one warning line; the release goes on', async () => {
    local.answers['/flaky'] = [500, 502, 200];
    local.answers['/down'] = [500];
    const w = world(specText(`  notify:\n    - url: ${local.url('/flaky')}\n    - url: ${local.url('/down')}\n`));
    expect(await w.run()).toBe('promoted');
    // 4 events: two tries to /flaky fail (the deliveries run at once), each event to /down fails 3 times.
    expect(local.seen.filter((s) => s.path === '/flaky').length).toBe(6);
    expect(local.seen.filter((s) => s.path === '/down').length).toBe(12);
    const port = (local.server.address() as AddressInfo).port;
    expect([...w.err].sort()).toEqual(
      ['promoted', 'started', 'step', 'step'].map(
        (e) =>
          `release: warning: notification ${e} to 127.0.0.1:${port} not delivered (3 tries): HTTP 500; the release goes on`,
      ),
    );
  });

  it('does not hold the release for a receiver that never answers', async () => {
    local.hang.add('/hang');
    const w = world(specText(`  notify:\n    - url: ${local.url('/hang')}\n`));
    const started = Date.now();
    expect(await w.run()).toBe('promoted');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(w.err.length).toBeGreaterThan(0);
    expect(
      w.err.every((l) => /^release: warning: notification \S+ to 127\.0\.0\.1:\d+ not delivered \(3 tries\): /.test(l)),
    ).toBe(true);
  });
});

describe('a release past its last step, run again', () => {
  /** green at 100%, deployed and in the file, watched 60 s after the last step, then verified. */
  const promoted = (more = '') =>
    specText(
      `  postPromotionSeconds: 60\n  checks:\n    - name: bake-smoke\n      command: [./check.sh]\n  hooks:\n    postPromotion:\n${hook('verify', '/verify')}${more}`,
    )
      .replace('weight: 100', 'weight: 0')
      .replace(/weight: 0\n$/, 'weight: 100\n');
  const recordOf = (text: string, more: Partial<ReleaseRecord> = {}): ReleaseRecord => ({
    color: 'green',
    startedAt: '2026-12-07T09:00:00.000Z',
    before: { blue: 100, green: 0 },
    deployed: text,
    written: text,
    ...more,
  });

  it('watches the whole postPromotionSeconds again, runs the post-promotion hooks, and is promoted, deploying nothing', async () => {
    const text = promoted(`  notify:\n    - url: ${local.url('/events')}\n`);
    const w = world(text, { record: recordOf(text, { postPromotion: true }) });
    expect(await w.run()).toBe('promoted');
    expect(w.out).toEqual([
      'release: going on after promotion (green at 100%, deployed): an earlier run of this release ended there before it finished; the watch after the last step runs again from its start, then the post-promotion hooks',
      'release: green at 100%, the last step: the checks keep running for 1m00s (progression.postPromotionSeconds); a failure rolls back',
      'release: after promotion (green at 100%), 30s left: bake-smoke x ok',
      'release: after promotion (green at 100%), 0s left: bake-smoke x ok',
      'release: post-promotion hooks: verify 200 ok',
      'release: green promoted to 100%',
    ]);
    expect(w.err).toEqual([]);
    expect(w.state.deploys).toEqual([]);
    expect(local.seen.filter((s) => s.path.startsWith('/verify')).map((s) => s.path)).toEqual([
      '/verify?c=green&w=100',
    ]);
    expect(w.state.record).toBeUndefined();
    expect(w.state.last).toMatchObject({ color: 'green', outcome: 'promoted', startedAt: '2026-12-07T09:00:00.000Z' });
    const events = local.seen
      .filter((s) => s.path === '/events')
      .map((s) => (JSON.parse(s.body) as ReleaseEvent).event);
    expect(events.sort()).toEqual(['promoted', 'started']);
  });

  it('rolls back to the weights before the release when a check fails in the watch it does again', async () => {
    const text = promoted();
    const w = world(text, { record: recordOf(text, { postPromotion: true }), checks: () => 'fail' });
    expect(await w.run()).toBe('rolled-back');
    expect(w.state.deploys).toEqual(['green 0']);
    expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });
    expect(w.err[w.err.length - 1]).toBe(
      'release: rolled back: blue 100%, green 0%; check bake-smoke failed at after promotion (green at 100%): the bake check said so (1 failed run, progression.failureLimit 0)',
    );
    expect(local.seen.filter((s) => s.path.startsWith('/verify'))).toEqual([]);
    expect(w.state.last?.outcome).toBe('rolled-back');
  });

  it('goes on from a pause in the watch after promotion with the watch, not another bake of the last step', async () => {
    const text = promoted();
    const why =
      'check bake-smoke was inconclusive at after promotion (green at 100%): x (1 inconclusive run, progression.inconclusiveLimit 0)';
    const w = world(text, {
      record: recordOf(text, { postPromotion: true, paused: { weight: 100, reason: why, bakeAgain: true } }),
    });
    expect(await w.run()).toBe('promoted');
    expect(w.out[0]).toBe(
      `release: going on after promotion (green at 100%, deployed): an earlier run paused there (${why}); the watch after the last step runs again from its start, then the post-promotion hooks`,
    );
    expect(w.out.filter((l) => l.includes(' left: '))).toEqual([
      'release: after promotion (green at 100%), 30s left: bake-smoke x ok',
      'release: after promotion (green at 100%), 0s left: bake-smoke x ok',
    ]);
  });

  it('records that it is past its last step while it watches, and pauses there with the record saying both', async () => {
    const text = promoted();
    const verdicts: Array<CheckResult['verdict']> = ['pass', 'inconclusive'];
    const w = world(
      text
        .replace('weight: 0\n  - name: green', 'weight: 50\n  - name: green')
        .replace(/weight: 100\n$/, 'weight: 50\n'),
      {
        checks: () => verdicts.shift() ?? 'pass',
      },
    );
    expect(await w.run()).toBe('paused');
    expect(w.state.deploys).toEqual(['green 100']);
    expect(w.state.record).toMatchObject({
      postPromotion: true,
      paused: { weight: 100, bakeAgain: true },
    });
  });

  it('bakes the last step again, then watches, when an earlier run was killed during its bake (no record of being past it)', async () => {
    const text = promoted();
    const w = world(text, { record: recordOf(text) });
    expect(await w.run()).toBe('promoted');
    expect(w.out.slice(0, 3)).toEqual([
      'release: green from 100% through 100%; no bake, checks once a step: bake-smoke (failure limit 0)',
      'release: an earlier run of this release ended during the bake of the last step (green at 100%, deployed): baking it again first',
      'release: step 1/1 (green at 100%)',
    ]);
    expect(w.out.filter((l) => l.includes(' left: '))).toEqual([
      'release: step 1/1 (green at 100%), 0s left: bake-smoke x ok',
      'release: after promotion (green at 100%), 30s left: bake-smoke x ok',
      'release: after promotion (green at 100%), 0s left: bake-smoke x ok',
    ]);
    expect(w.state.deploys).toEqual([]);
  });
});

describe('a release that rolled back', () => {
  const hooked = () =>
    specText(`  hooks:\n    preRollout:\n${hook('smoke', '/smoke')}    postPromotion:\n${hook('verify', '/verify')}`);
  const ended = {
    color: 'green',
    outcome: 'rolled-back',
    startedAt: '2026-12-07T10:00:00.000Z',
    endedAt: '2026-12-07T10:00:00.000Z',
    before: { blue: 100, green: 0 },
  };

  it('has ended once its rollback is deployed, though git refused the commit: the next release starts afresh, pre-rollout hooks and all, from the first step', async () => {
    local.answers['/verify?c=green&w=100'] = [500, 200];
    const w = world(hooked(), { commits: [undefined, undefined, 'a hook refused the commit'] });
    expect(await w.run(false, true)).toBe('rolled-back');
    expect(w.state.deploys).toEqual(['green 50', 'green 100', 'green 0']);
    expect(w.err).toContain('release: git commit after the rollback failed: a hook refused the commit');
    // Already while it commits (a kill there leaves this), no record says the release goes on; what is deployed is
    // kept, as git HEAD still holds green at 100%.
    const rollbackCommit = w.state.commits[2];
    expect(rollbackCommit.message).toBe('rainbow release green: rolled back');
    expect(rollbackCommit.record).toBeUndefined();
    expect(rollbackCommit.last).toEqual({ ...ended, deployed: w.state.deployed });
    expect(w.state.record).toBeUndefined();
    expect(w.state.last).toEqual({ ...ended, deployed: w.state.deployed });
    expect(weights(w.state.head)).toEqual({ blue: 0, green: 100 });
    expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });

    const seen = w.out.length;
    expect(await w.run(false, true)).toBe('promoted');
    expect(w.out.slice(seen)).toEqual([
      'release: green from 0% through 50%, 100%; no bake, checks once a step: no checks (failure limit 0)',
      'release: pre-rollout hooks at green 0%: smoke (HTTP checks with x-color: green)',
      'release: pre-rollout hooks: smoke 200 ok',
      'release: step 1/2 (green at 50%)',
      'release: step 1/2 (green at 50%), 0s left: no checks',
      'release: step 2/2 (green at 100%)',
      'release: step 2/2 (green at 100%), 0s left: no checks',
      'release: post-promotion hooks: verify 200 ok',
      'release: green promoted to 100%',
    ]);
    expect(local.seen.filter((s) => s.path.startsWith('/smoke')).map((s) => s.path)).toEqual([
      '/smoke?c=green&w=0',
      '/smoke?c=green&w=0',
    ]);
    expect(w.state.deploys.slice(3)).toEqual(['green 50', 'green 100']);
    // A new release, from the weights the rollback left, not from git HEAD's.
    expect(w.reports[1]).toMatchObject({ outcome: 'promoted', before: { blue: 100, green: 0 } });
    expect(w.state.last).toEqual({ ...ended, outcome: 'promoted' });
    expect(w.state.head).toBe(w.state.deployed);
  });

  it('keeps nothing of what it deployed once git holds the rollback, or when it does not commit', async () => {
    local.answers['/verify?c=green&w=100'] = [500];
    const committed = world(hooked());
    expect(await committed.run(false, true)).toBe('rolled-back');
    expect(committed.state.commits.map((c) => c.message)).toEqual([
      'rainbow release green: 50%',
      'rainbow release green: 100%',
      'rainbow release green: rolled back',
    ]);
    expect(committed.state.head).toBe(committed.state.deployed);
    expect(committed.state.record).toBeUndefined();
    expect(committed.state.last).toEqual(ended);
    const uncommitted = world(hooked());
    expect(await uncommitted.run()).toBe('rolled-back');
    expect(uncommitted.state.commits).toEqual([]);
    expect(uncommitted.state.record).toBeUndefined();
    expect(uncommitted.state.last).toEqual(ended);
  });

  it('records a rollback it could not deploy as that alone (no pre-rollout hooks passed, not past its last step); the next run deploys it and ends the release', async () => {
    local.answers['/verify?c=green&w=100'] = [500];
    const text = hooked();
    const w = world(text, { deploys: ['deployed', 'deployed', 'failed'] });
    expect(await w.run()).toBe('rollback-failed');
    const why = 'post-promotion hook verify failed: status 500; expected 200';
    expect(w.state.record).toEqual({
      color: 'green',
      startedAt: '2026-12-07T10:00:00.000Z',
      before: { blue: 100, green: 0 },
      deployed: text.replace('weight: 100', 'weight: 0').replace(/weight: 0\n$/, 'weight: 100\n'),
      written: text,
      rollback: why,
    });
    expect(await w.run()).toBe('rolled-back');
    expect(w.err).toContain(
      `release: finishing the rollback of green that an earlier run wrote but did not deploy (${why})`,
    );
    expect(w.state.deploys).toEqual(['green 50', 'green 100', 'green 0', 'green 0']);
    expect(w.state.record).toBeUndefined();
    expect(w.state.last).toEqual(ended);
    expect(local.seen.filter((s) => s.path.startsWith('/smoke')).length).toBe(1);
  });
});

describe('a rollback the release could not deploy', () => {
  it("prints npx cdktf deploy in its hint when cdktf is only the project's own install, on PATH only as npx puts it", async () => {
    const project = mkdtempSync(join(tmpdir(), 'rainbow-release-'));
    const bin = join(project, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'cdktf'), '#!/bin/sh\n');
    chmodSync(join(bin, 'cdktf'), 0o755);
    const w = world(specText(''), {
      deploys: ['deployed', 'failed', 'failed'],
      cwd: project,
      env: { PATH: `${bin}:/nonexistent` },
    });
    // The project is the current folder too: where the line is pasted and npx looks.
    const before = process.cwd();
    process.chdir(project);
    try {
      expect(await w.run()).toBe('rollback-failed');
    } finally {
      process.chdir(before);
    }
    expect(w.err).toContain(
      'release: the rollback (blue 100%, green 0%) is written to rainbow.yaml but NOT deployed: deployed is blue 50%, green 50%, or where the failed deploy went through, blue 0%, green 100%. ' +
        'Run rainbow release green again to deploy it, or deploy it yourself: RAINBOW_SPEC=rainbow.yaml npx cdktf deploy shop-router',
    );
  });
});
