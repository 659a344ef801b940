import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckContext, CheckResult } from '../../engine/checks';
import { DeployRequest, LastRelease, ReleaseRecord, SpecText } from '../../engine/release';
import { rollbackTarget, RollbackOutcome, runRollback } from '../../engine/rollback';
import { RELEASE_TEXT } from '../../engine/release-messages';
import { liveColors, RainbowSpec } from '../../model/types';
import { validateSpecText } from '../../spec-file/load';

interface Color {
  readonly weight: number;
  readonly replicas?: number;
  readonly state?: string;
  readonly tag?: string;
}

/** `progression` holds more lines of the progression, each indented by two spaces. */
function specText(colors: Record<string, Color>, progression = ''): string {
  return `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [25, 50, 100]
${progression}colors:
${Object.entries(colors)
  .map(
    ([name, c]) => `  - name: ${name}
    image: ghcr.io/acme/shop:${c.tag ?? '2.0.0'}
    weight: ${c.weight}
    replicas: ${c.replicas ?? 3}
${c.state === undefined ? '' : `    state: ${c.state}\n`}`,
  )
  .join('')}`;
}

const specOf = (text: string): RainbowSpec => {
  const { spec, problems } = validateSpecText(text, 'rainbow.yaml');
  if (spec === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return spec;
};
const weights = (text: string) => Object.fromEntries(liveColors(specOf(text)).map((c) => [c.name, c.weight]));

const LAST: LastRelease = {
  color: 'green',
  outcome: 'promoted',
  startedAt: '2026-12-07T09:00:00.000Z',
  endedAt: '2026-12-07T09:30:00.000Z',
  before: { blue: 100, green: 0 },
};

function world(
  deployedText: string,
  o: {
    file?: string;
    record?: ReleaseRecord;
    last?: LastRelease;
    deploy?: 'deployed' | 'failed';
    locked?: boolean;
    /** The verdict of each hook's run, by the hook's name; pass otherwise. */
    hooks?: Record<string, CheckResult['verdict']>;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
  } = {},
) {
  const state = {
    file: o.file ?? deployedText,
    head: deployedText,
    deployed: deployedText,
    record: o.record,
    last: o.last,
    deploys: [] as DeployRequest[],
    commits: [] as string[],
    hooks: [] as Array<{ name: string; values: CheckContext['values'] }>,
  };
  const out: string[] = [];
  const err: string[] = [];
  const run = (options: { to?: string; commit?: boolean } = {}): Promise<RollbackOutcome> =>
    runRollback({ out: (l) => out.push(l), err: (l) => err.push(l) }, 'rainbow.yaml', options, {
      store: {
        read: (): SpecText => ({ text: state.file, spec: specOf(state.file) }),
        write: (expected, text) => {
          if (state.file !== expected) return 'changed-on-disk';
          state.file = text;
          return 'written';
        },
        readRecord: () => state.record,
        writeRecord: (record) => {
          state.record = record;
        },
        readLastRelease: () => state.last,
        writeLastRelease: (last) => {
          state.last = last;
        },
      },
      lock: () =>
        o.locked === true
          ? { problems: [{ path: 'rainbow.yaml', message: 'locked by rainbow release green (pid 42)' }] }
          : { release: () => {} },
      previous: () => ({ source: 'git:HEAD', spec: specOf(state.head), text: state.head }),
      deploy: async (request) => {
        state.deploys.push(request);
        if (o.deploy === 'failed') return 'failed';
        state.deployed = request.spec.text;
        return 'deployed';
      },
      commit: async (text, message) => {
        state.commits.push(message);
        state.head = text;
        return undefined;
      },
      prerequisite: () => undefined,
      onInterrupt: () => () => {},
      date: () => new Date('2026-12-07T10:00:00.000Z'),
      runCheck: async (check, context) => {
        state.hooks.push({ name: check.name, values: context.values });
        const verdict = o.hooks?.[check.name] ?? 'pass';
        return {
          name: check.name,
          verdict,
          value: verdict === 'pass' ? '200' : '503',
          why: 'status 503; expected 200',
        };
      },
      env: o.env ?? {},
      cwd: o.cwd ?? '/',
      notifyTimings: { attempts: 2, backoffMs: 10, attemptTimeoutMs: 2000, flushMs: 5000 },
    });
  return { state, out, err, run };
}

/** Runs `action` in `folder`, the current folder a hint's cdktf line is pasted in; then goes back. */
async function inFolder<T>(folder: string, action: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(folder);
  try {
    return await action();
  } finally {
    process.chdir(before);
  }
}

const PROMOTED = specText({ blue: { weight: 0 }, green: { weight: 100, tag: '2.1.0' } });

describe('rainbow rollback, in the engine', () => {
  it('puts all traffic back on the color that had the most before the latest release, past maxStepPercent, deploying the router only', async () => {
    const w = world(PROMOTED, { last: LAST });
    expect(await w.run({ commit: true })).toBe('rolled-back');
    expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });
    expect(w.state.file).toBe(w.state.deployed);
    expect(w.state.deploys.map((d) => d.forceRules)).toEqual([['step-too-large']]);
    expect(w.state.commits).toEqual(['rainbow rollback: all traffic to blue']);
    expect(w.out).toEqual([
      'rollback: all traffic to blue: blue 0%, green 100% → blue 100%, green 0%; deploying the router',
      'rollback: rolled back: blue 100%, green 0%; deployed',
    ]);
    expect(w.err).toEqual([]);
    expect(w.state.last).toEqual({
      ...LAST,
      outcome: 'rolled-back-by-hand',
      endedAt: '2026-12-07T10:00:00.000Z',
      to: 'blue',
    });
  });

  it('goes back to the start of a release that has not ended (paused), and ends it', async () => {
    const paused = specText({ blue: { weight: 50 }, green: { weight: 50, tag: '2.1.0' } });
    const record: ReleaseRecord = {
      color: 'green',
      startedAt: '2026-12-07T09:00:00.000Z',
      before: { blue: 100, green: 0 },
      deployed: paused,
      written: paused,
      paused: { weight: 50, reason: 'progression.steps says pause here', bakeAgain: false },
    };
    const w = world(specText({ blue: { weight: 100 }, green: { weight: 0, tag: '2.1.0' } }), { file: paused, record });
    expect(await w.run()).toBe('rolled-back');
    expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });
    expect(w.state.deploys[0].against).toEqual({ source: 'the release record', spec: specOf(paused) });
    expect(w.state.record).toBeUndefined();
    expect(w.state.last).toMatchObject({
      color: 'green',
      outcome: 'rolled-back-by-hand',
      to: 'blue',
      before: { blue: 100, green: 0 },
    });
  });

  it('commits nothing with --commit when git HEAD holds the rollback already (the release ran without --commit)', async () => {
    const start = specText({ blue: { weight: 100 }, green: { weight: 0, tag: '2.1.0' } });
    const paused = specText({ blue: { weight: 50 }, green: { weight: 50, tag: '2.1.0' } });
    const record: ReleaseRecord = {
      color: 'green',
      startedAt: '2026-12-07T09:00:00.000Z',
      before: { blue: 100, green: 0 },
      deployed: paused,
      written: paused,
    };
    const w = world(start, { file: paused, record });
    expect(await w.run({ commit: true })).toBe('rolled-back');
    expect(w.state.file).toBe(start);
    expect(w.state.commits).toEqual([]);
    expect(w.err).toEqual([]);
  });

  it('takes what the last release deployed over git HEAD when git did not take its rollback (last.deployed)', async () => {
    const start = specText({ blue: { weight: 100 }, green: { weight: 0, tag: '2.1.0' } });
    const step = specText({ blue: { weight: 50 }, green: { weight: 50, tag: '2.1.0' } });
    // The release rolled back (deployed) but its commit failed: HEAD still holds the step.
    const last: LastRelease = { ...LAST, outcome: 'rolled-back', deployed: start };
    const w = world(step, { file: start, last });
    w.state.deployed = start;
    expect(await w.run()).toBe('done');
    expect(w.out).toEqual([
      `rollback: all traffic is on blue already, and deployed (${RELEASE_TEXT.recordSource}); nothing to do`,
    ]);
    expect(w.state.deploys).toEqual([]);
  });

  it('takes --to over the record, and says there is nothing to do when all traffic is there, deployed', async () => {
    const w = world(PROMOTED, { last: LAST });
    expect(await w.run({ to: 'green' })).toBe('done');
    expect(w.out).toEqual(['rollback: all traffic is on green already, and deployed (git:HEAD); nothing to do']);
    expect(w.state.deploys).toEqual([]);
  });

  it.each([
    [
      'no release is recorded and --to is not given',
      {},
      undefined,
      '--to: no release is recorded beside the spec, so there is no color to go back to; name one: rainbow rollback --to <color>',
    ],
    [
      'the color is not in the spec',
      { to: 'red' },
      LAST,
      '--to: received "red"; expected one of the colors in the spec: blue, green',
    ],
  ])('refuses, changing nothing, when %s', async (_what, options, last, message) => {
    const w = world(PROMOTED, { last });
    expect(await w.run(options)).toBe('refused');
    expect(w.err).toEqual([message]);
    expect(w.state.file).toBe(PROMOTED);
    expect(w.state.deploys).toEqual([]);
  });

  it('refuses a retired color, a color not deployed, and one whose stack changed since, changing nothing', async () => {
    const retired = specText({ blue: { weight: 0, state: 'retired' }, green: { weight: 100, tag: '2.1.0' } });
    const a = world(retired, { last: LAST });
    expect(await a.run()).toBe('refused');
    expect(a.err).toEqual(['--to: blue is retired; expected a color that is not']);

    const withRed = specText({
      blue: { weight: 0 },
      green: { weight: 100, tag: '2.1.0' },
      red: { weight: 0, tag: '2.2.0' },
    });
    const b = world(PROMOTED, { file: withRed, last: LAST });
    expect(await b.run({ to: 'red' })).toBe('refused');
    expect(b.err).toEqual([
      '--to: red is not deployed (not in git:HEAD, or retired there), so it cannot take traffic; nothing changed',
    ]);

    const changed = specText({ blue: { weight: 0, tag: '2.0.1' }, green: { weight: 100, tag: '2.1.0' } });
    const c = world(PROMOTED, { file: changed, last: LAST });
    expect(await c.run()).toBe('refused');
    expect(c.err).toEqual([
      '--to: blue has changes that are not deployed (image ghcr.io/acme/shop:2.0.0 → ghcr.io/acme/shop:2.0.1, against git:HEAD), so it is not the warm color it was; nothing changed',
    ]);
    for (const w of [a, b, c]) expect(w.state.deploys).toEqual([]);
    expect(c.state.file).toBe(changed);
  });

  it('refuses a color too small for all the traffic that the others serve now (the under-capacity rule)', async () => {
    const small = specText({ blue: { weight: 0, replicas: 1 }, green: { weight: 100, replicas: 6, tag: '2.1.0' } });
    const w = world(small, { last: LAST });
    expect(await w.run()).toBe('refused');
    expect(w.err).toEqual([
      '--to: blue gets 100% of the traffic with 14.3% of the serving capacity against the capacity that serves the traffic now (green 6): ' +
        'more than progression.maxLoadFactor 2 × 14.3% = 28.6%; scale blue up first (replicas 1 → at least 6), or roll back to another color; nothing changed',
    ]);
    expect(w.state.deploys).toEqual([]);
    const enough = specText({ blue: { weight: 0, replicas: 6 }, green: { weight: 100, replicas: 6, tag: '2.1.0' } });
    expect(await world(enough, { last: LAST }).run()).toBe('rolled-back');
  });

  it('refuses when the spec holds other changes that are not deployed: a rollback deploys the router only', async () => {
    const newColor = specText({
      blue: { weight: 0 },
      green: { weight: 100, tag: '2.1.0' },
      red: { weight: 0, tag: '2.2.0' },
    });
    const w = world(PROMOTED, { file: newColor, last: LAST });
    expect(await w.run()).toBe('refused');
    expect(w.err).toEqual([
      'rainbow.yaml: the spec holds changes that are not deployed (shop-red against git:HEAD), and a rollback deploys the router only; deploy or undo them first; nothing changed',
    ]);
  });

  it('refuses while the spec is locked (a release runs)', async () => {
    const w = world(PROMOTED, { last: LAST, locked: true });
    expect(await w.run()).toBe('refused');
    expect(w.err).toEqual(['rainbow.yaml: locked by rainbow release green (pid 42)']);
  });

  it('says what is deployed when the deploy fails, the rollback written; run again, it deploys it', async () => {
    const w = world(PROMOTED, { last: LAST, deploy: 'failed' });
    expect(await inFolder(mkdtempSync(join(tmpdir(), 'rainbow-rollback-')), () => w.run())).toBe('rollback-failed');
    expect(w.err).toEqual([
      'rollback: the rollback (blue 100%, green 0%) is written to rainbow.yaml but NOT deployed: deployed is blue 0%, green 100%. ' +
        'Run rainbow rollback again to deploy it, or deploy it yourself: RAINBOW_SPEC=rainbow.yaml cdktf deploy shop-router',
    ]);
    expect(weights(w.state.file)).toEqual({ blue: 100, green: 0 });
    expect(w.state.last).toEqual(LAST);
  });

  it('finds the color with the most traffic, the first on a tie', () => {
    expect(rollbackTarget({ blue: 60, green: 0, red: 40 })).toBe('blue');
    expect(rollbackTarget({ blue: 50, green: 50 })).toBe('blue');
    expect(rollbackTarget({})).toBeUndefined();
  });
});

const ON_ROLLBACK = `  hooks:
    onRollback:
      - name: page
        http: { url: "http://127.0.0.1:9/page?c={{color}}" }
      - name: log
        command: [./log.sh, "{{color}}", "{{baseline}}"]
`;

describe('rainbow rollback, its hooks and notifications', () => {
  it('runs the onRollback hooks once deployed, {{color}} the released color at its weight after it, {{baseline}} the color it started from', async () => {
    const w = world(specText({ blue: { weight: 0 }, green: { weight: 100, tag: '2.1.0' } }, ON_ROLLBACK), {
      last: LAST,
    });
    expect(await w.run()).toBe('rolled-back');
    expect(w.state.hooks).toEqual([
      { name: 'page', values: { color: 'green', app: 'shop', weight: 0, baseline: 'blue' } },
      { name: 'log', values: { color: 'green', app: 'shop', weight: 0, baseline: 'blue' } },
    ]);
    expect(w.out).toEqual([
      'rollback: all traffic to blue: blue 0%, green 100% → blue 100%, green 0%; deploying the router',
      'rollback: on-rollback hooks: page 200 ok, log 200 ok',
      'rollback: rolled back: blue 100%, green 0%; deployed',
    ]);
    expect(w.err).toEqual([]);
  });

  it('says a failed onRollback hook in one warning line, and changes nothing else: still rolled back', async () => {
    const w = world(specText({ blue: { weight: 0 }, green: { weight: 100, tag: '2.1.0' } }, ON_ROLLBACK), {
      last: LAST,
      hooks: { page: 'fail' },
    });
    expect(await w.run({ commit: true })).toBe('rolled-back');
    expect(w.out).toContain('rollback: on-rollback hooks: page 503 FAILED, log 200 ok');
    expect(w.err).toEqual([
      'rollback: warning: on-rollback hook page failed: status 503; expected 200; the rollback stays deployed, nothing else changes',
    ]);
    expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });
    expect(w.state.commits).toEqual(['rainbow rollback: all traffic to blue']);
    expect(w.state.last?.outcome).toBe('rolled-back-by-hand');
  });

  it('takes as {{color}}, with no release recorded (--to), the color that had the most traffic before other than the target', async () => {
    const w = world(
      specText(
        { blue: { weight: 0, replicas: 6 }, green: { weight: 80, tag: '2.1.0' }, red: { weight: 20, tag: '2.2.0' } },
        ON_ROLLBACK,
      ),
    );
    expect(await w.run({ to: 'blue' })).toBe('rolled-back');
    expect(w.state.hooks.map((h) => h.values)).toEqual(
      Array(2).fill({ color: 'green', app: 'shop', weight: 0, baseline: 'red' }),
    );
  });

  it('runs no hook when the deploy fails', async () => {
    const w = world(specText({ blue: { weight: 0 }, green: { weight: 100, tag: '2.1.0' } }, ON_ROLLBACK), {
      last: LAST,
      deploy: 'failed',
    });
    expect(await w.run()).toBe('rollback-failed');
    expect(w.state.hooks).toEqual([]);
  });

  it('POSTs the rolled-back event (app, color, weights, reason) to every notify URL, and warns, host only, of one not delivered', async () => {
    const seen: Array<{ path: string; body: string }> = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ path: request.url ?? '', body });
        response.writeHead(request.url === '/down/t0ken' ? 500 : 200).end();
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const notify = `  notify:\n    - url: http://127.0.0.1:${port}/events\n    - url: http://127.0.0.1:${port}/down/t0ken\n`;
      const w = world(specText({ blue: { weight: 0 }, green: { weight: 100, tag: '2.1.0' } }, notify), { last: LAST });
      expect(await w.run()).toBe('rolled-back');
      const event = {
        event: 'rolled-back',
        app: 'shop',
        color: 'green',
        weights: { blue: 100, green: 0 },
        verdicts: [],
        reason: 'rainbow rollback: all traffic to blue',
        at: '2026-12-07T10:00:00.000Z',
      };
      expect(seen.filter((s) => s.path === '/events').map((s) => JSON.parse(s.body))).toEqual([event]);
      expect(seen.filter((s) => s.path === '/down/t0ken')).toHaveLength(2);
      expect(w.err).toEqual([
        `rollback: warning: notification rolled-back to 127.0.0.1:${port} not delivered (2 tries): HTTP 500; the rollback stays deployed`,
      ]);
      expect(w.out[w.out.length - 1]).toBe('rollback: rolled back: blue 100%, green 0%; deployed');
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it("prints npx cdktf deploy in the hint of a rollback not deployed when cdktf is only the current folder's install, on PATH only as npx puts it", async () => {
    const project = mkdtempSync(join(tmpdir(), 'rainbow-rollback-'));
    const bin = join(project, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'cdktf'), '#!/bin/sh\n');
    chmodSync(join(bin, 'cdktf'), 0o755);
    // The spec's folder has no install: the line is pasted, and npx looks, in the current folder.
    const specFolder = mkdtempSync(join(tmpdir(), 'rainbow-spec-'));
    const w = world(PROMOTED, { last: LAST, deploy: 'failed', cwd: specFolder, env: { PATH: `${bin}:/nonexistent` } });
    expect(await inFolder(project, () => w.run())).toBe('rollback-failed');
    expect(w.err).toEqual([
      'rollback: the rollback (blue 100%, green 0%) is written to rainbow.yaml but NOT deployed: deployed is blue 0%, green 100%. ' +
        'Run rainbow rollback again to deploy it, or deploy it yourself: RAINBOW_SPEC=rainbow.yaml npx cdktf deploy shop-router',
    ]);
  });
});
