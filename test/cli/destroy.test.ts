import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { askLine, destroyCommand, DestroyDeps } from '../../cli/commands/destroy';
import { readLastRelease, readRecord, recordPath, writeLastRelease, writeRecord } from '../../engine/release-record';
import { TerminationSignal } from '../../engine/signals';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');

/** Blue serves, green waits, old is retired (its stack is empty but still there). */
const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100 }
  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }
  - { name: old, image: ghcr.io/acme/shop:1.0.0, weight: 0, state: retired }
`;

/** A project folder with the spec, a cdktf.json and the stand-in cdktf on PATH, which logs each call. */
function project(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-destroy-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
  writeFileSync(join(dir, 'cdktf.json'), '{}\n');
  copyFileSync(join(ROOT, 'test', 'fixtures', 'fake-cdktf.sh'), join(bin, 'cdktf'));
  chmodSync(join(bin, 'cdktf'), 0o755);
  const log = join(dir, 'calls.log');
  const runEnv: Record<string, string> = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: join(dir, 'home'),
    FAKE_CDKTF_LOG: log,
    TF_PLUGIN_CACHE_DIR: '/var/cache/terraform',
    ...env,
  };
  const destroy = (...args: string[]) => rainbowInProcess(dir, ['destroy', ...args], runEnv);
  const calls = (): Array<{ args: string[]; spec: string }> =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  return { dir, env: runEnv, log, destroy, calls };
}

/** `destroyCommand` itself in `dir`, with what a test gives it in place of the terminal and the signals. */
async function destroyIn(dir: string, options: Parameters<typeof destroyCommand>[2], deps: DestroyDeps) {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  process.chdir(dir);
  try {
    const code = await destroyCommand(
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      './rainbow.yaml',
      { parallelism: 2, ...options },
      deps,
    );
    return { code, out, err };
  } finally {
    process.chdir(before);
  }
}

const ORDER =
  'destroy: every stack of shop, in this order: 1. router: shop-router, 2. colors: shop-blue shop-green shop-old (the router first, so that no traffic reaches a color being destroyed)';

describe('rainbow destroy', () => {
  it('destroys the router first, then every color stack in one call, each with --auto-approve and the spec', async () => {
    const { dir, destroy, calls } = project();
    const { code, stdout, stderr } = await destroy('--yes', '--force', '--parallelism', '2');
    expect(code).toBe(0);
    const spec = join(dir, 'rainbow.yaml');
    expect(calls()).toEqual([
      { args: ['destroy', 'shop-router', '--auto-approve'], spec },
      { args: ['destroy', 'shop-blue', 'shop-green', 'shop-old', '--auto-approve', '--parallelism', '2'], spec },
    ]);
    expect(stdout).toMatch(
      new RegExp(
        `^${ORDER.replace(/[().]/g, '\\$&')}\n` +
          'destroy 1/2 \\(router\\): cdktf destroy shop-router\ndestroy 1/2 \\(router\\) done in \\d+\\.\\d s\n' +
          'destroy 2/2 \\(colors\\): cdktf destroy shop-blue shop-green shop-old \\(2 at a time\\)\ndestroy 2/2 \\(colors\\) done in \\d+\\.\\d s\n' +
          'destroy: 4 stacks destroyed\n$',
      ),
    );
    expect(stderr).toBe(
      'destroy: the app takes traffic (blue 100%); destroying it anyway (--force): that traffic stops once shop-router is destroyed\n',
    );
  });

  it.each([['-y'], ['--yes'], ['--auto-approve']])('takes %s as the confirmation', async (flag) => {
    const { destroy, calls } = project();
    expect((await destroy(flag, '--force')).code).toBe(0);
    expect(calls().map((c) => c.args[1])).toEqual(['shop-router', 'shop-blue']);
  });

  it('refuses while the spec sends the app traffic, without --force, exit 1, destroying nothing', async () => {
    const { destroy, calls } = project();
    const { code, stdout, stderr } = await destroy('--yes');
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr:
        './rainbow.yaml: the app takes traffic (blue 100%, as the spec file says; rainbow does not ask the platform), and destroying it cuts that traffic off. Pass --force to destroy an app that takes traffic; nothing destroyed\n',
    });
    expect(calls()).toEqual([]);
  });

  describe('with a release that has not ended', () => {
    /** A release of green, killed (its record is open), after one of red that rolled back and whose commit failed. */
    function interrupted(env: Record<string, string> = {}) {
      const p = project(env);
      const file = join(p.dir, 'rainbow.yaml');
      const last = {
        color: 'red',
        outcome: 'rolled-back' as const,
        startedAt: '2026-12-06T09:00:00.000Z',
        endedAt: '2026-12-06T09:30:00.000Z',
        before: { blue: 100, green: 0 },
        deployed: SPEC,
      };
      writeLastRelease(file, last);
      writeRecord(file, {
        color: 'green',
        startedAt: '2026-12-07T10:00:00.000Z',
        before: { blue: 100, green: 0 },
        deployed: SPEC,
        written: SPEC,
        preRolloutPassed: true,
      });
      return { ...p, file, last };
    }

    it('refuses without --force, naming the release and how to finish it, exit 1, destroying nothing', async () => {
      const { file, destroy, calls } = interrupted();
      const { code, stdout, stderr } = await destroy('--yes');
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr:
          './rainbow.yaml: a release of green has not ended (since 2026-12-07T10:00:00.000Z; its record is beside the spec), and the next rainbow release green would go on from it, ' +
          'against stacks this destroys. Finish it first (rainbow release green goes on, rainbow rollback ends it), or pass --force to destroy anyway and end it; nothing destroyed\n' +
          './rainbow.yaml: the app takes traffic (blue 100%, as the spec file says; rainbow does not ask the platform), and destroying it cuts that traffic off. Pass --force to destroy an app that takes traffic; nothing destroyed\n',
      });
      expect(calls()).toEqual([]);
      expect(readRecord(file)).toMatchObject({ color: 'green', preRolloutPassed: true });
    });

    it('with --force, says so, destroys every stack, then ends the release and forgets what the last one deployed', async () => {
      const { file, last, destroy, calls } = interrupted();
      const { code, stdout, stderr } = await destroy('--yes', '--force');
      expect(code).toBe(0);
      expect(calls()).toHaveLength(2);
      expect(stderr).toBe(
        'destroy: the app takes traffic (blue 100%); destroying it anyway (--force): that traffic stops once shop-router is destroyed\n' +
          'destroy: a release of green has not ended; destroying anyway (--force): its record is removed once every stack is destroyed, so that no later release goes on from it\n',
      );
      expect(stdout).toMatch(/\ndestroy: 4 stacks destroyed\n$/);
      expect(readRecord(file)).toBeUndefined();
      const { deployed: _deployed, ...kept } = last;
      expect(readLastRelease(file)).toEqual(kept);
      expect(JSON.parse(readFileSync(recordPath(file), 'utf8'))).toEqual({ version: 1, last: kept });
    });

    it('keeps the record when the destroy fails: the stacks left are still deployed', async () => {
      const { file, destroy, calls } = interrupted({ FAKE_CDKTF_FAIL: 'shop-blue' });
      expect((await destroy('--yes', '--force')).code).toBe(1);
      expect(calls()).toHaveLength(2);
      expect(readRecord(file)).toMatchObject({ color: 'green', preRolloutPassed: true });
    });
  });

  it('refuses to ask without a terminal and without --yes, exit 2, destroying nothing', async () => {
    const { destroy, calls } = project();
    // Whatever runs the tests (a terminal, CI), this process's stdin is not a terminal here.
    const saved = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    let ran: Awaited<ReturnType<typeof destroy>>;
    try {
      ran = await destroy('--force');
    } finally {
      if (saved === undefined) delete (process.stdin as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(process.stdin, 'isTTY', saved);
    }
    const { code, stdout, stderr } = ran;
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'destroy: asks for confirmation, and stdin is not a terminal; pass --yes (or -y, --auto-approve) to destroy without asking; nothing destroyed\n',
    });
    expect(calls()).toEqual([]);
  });

  it('destroys once the person answers yes, after saying what it destroys and in which order', async () => {
    const { dir, env, calls } = project();
    const asked: string[] = [];
    const { code, out } = await destroyIn(
      dir,
      { force: true },
      {
        env,
        ask: async (question) => {
          asked.push(question);
          return 'yes';
        },
      },
    );
    expect(code).toBe(0);
    expect(asked).toEqual(["Destroy every resource of shop? Only 'yes' destroys them: "]);
    expect(out[0]).toBe(ORDER);
    expect(calls()).toHaveLength(2);
  });

  it.each([
    ['y', 'destroy: cancelled (answered "y"; only \'yes\' destroys); nothing destroyed'],
    [undefined, "destroy: cancelled (no answer; only 'yes' destroys); nothing destroyed"],
  ])('cancels on any other answer (%p), exit 1, destroying nothing', async (answer, message) => {
    const { dir, env, calls } = project();
    const { code, err } = await destroyIn(dir, { force: true }, { env, ask: async () => answer });
    expect(code).toBe(1);
    expect(err.at(-1)).toBe(message);
    expect(calls()).toEqual([]);
  });

  it('reads the answer as one line from its input', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const answer = askLine(input, output, 'Destroy? ');
    input.write('yes\n');
    expect(await answer).toBe('yes');
    expect(output.read().toString()).toBe('Destroy? ');
    const ended = new PassThrough();
    const none = askLine(ended, new PassThrough(), 'Destroy? ');
    ended.end();
    expect(await none).toBeUndefined();
  });

  it('stops at the first failure: the colors stay when the router could not be destroyed', async () => {
    const { destroy, calls } = project({ FAKE_CDKTF_FAIL: 'shop-router' });
    const { code, stderr } = await destroy('--yes', '--force');
    expect(code).toBe(1);
    expect(calls().map((c) => c.args)).toEqual([['destroy', 'shop-router', '--auto-approve']]);
    expect(stderr).toMatch(
      /\ndestroy 1\/2 \(router\) failed after \d+\.\d s \(cdktf exited with 3\); shop-blue shop-green shop-old not destroyed\n$/,
    );
  });

  it('asks the destroy in flight to stop on Ctrl-C, and destroys no later stack', async () => {
    const { dir, env, log, calls } = project({ FAKE_CDKTF_HANG_CALLS: '1' });
    let interrupt: ((signal: TerminationSignal) => void) | undefined;
    const running = destroyIn(
      dir,
      { yes: true, force: true },
      {
        env,
        onInterrupt: (listener) => {
          interrupt = listener;
          return () => undefined;
        },
      },
    );
    // The stand-in writes its pid once it waits for a signal.
    while (!existsSync(`${log}.pid`)) await new Promise((r) => setTimeout(r, 20));
    interrupt!('SIGINT');
    const { code, err } = await running;
    expect(code).toBe(1);
    expect(readFileSync(`${log}.signals`, 'utf8')).toBe('call 1: SIGINT\n');
    expect(calls()).toHaveLength(1);
    expect(err.slice(1)).toEqual([
      'destroy: SIGINT: stopping the destroy in flight; no later stack is destroyed',
      expect.stringMatching(
        /^destroy 1\/2 \(router\) stopped after \d+\.\d s \(cdktf exited with 130\); shop-blue shop-green shop-old not destroyed$/,
      ),
      'destroy: interrupted by SIGINT; shop-blue shop-green shop-old not destroyed',
    ]);
  });

  it('fails naming rainbow init when there is no cdktf.json, destroying nothing', async () => {
    const { dir, destroy, calls } = project();
    rmSync(join(dir, 'cdktf.json'));
    const { code, stderr } = await destroy('--yes', '--force');
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^destroy: no cdktf\.json in .*; cdktf destroy reads it to synthesize the stacks\. Run rainbow destroy in the folder that holds it, or create it: .*; nothing destroyed\n$/,
    );
    expect(calls()).toEqual([]);
  });

  it('fails naming the cdktf CLI when it is not on PATH, destroying nothing', async () => {
    const { destroy } = project({ PATH: '/nonexistent' });
    const { code, stderr } = await destroy('--yes', '--force');
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr:
        'destroy: the cdktf CLI was not found on PATH; destroy runs it. Install it in the project (npm install --save-dev cdktf-cli@^0.21, then run npx rainbow destroy) or globally (npm install --global cdktf-cli@^0.21); nothing destroyed\n',
    });
  });

  it('takes the spec as its argument, and hands that file to cdktf', async () => {
    const { dir, destroy, calls } = project();
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy', 'other.yaml'), SPEC.replace('app: shop', 'app: cart'));
    expect((await destroy('deploy/other.yaml', '--yes', '--force')).code).toBe(0);
    expect(calls()[0]).toEqual({
      args: ['destroy', 'cart-router', '--auto-approve'],
      spec: join(dir, 'deploy', 'other.yaml'),
    });
  });
});
