import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';
import { localReceiver } from '../fixtures/receiver';
import { project, Project, SHORT, SpecOptions } from '../fixtures/release-project';

/**
 * The hooks and notifications of `rainbow release`, through the command (cli/main.ts `run`), in a
 * project with the stand-in cdktf (test/fixtures/release-project.ts): a local HTTP server gets the
 * HTTP hooks' requests and the notifications, and a command hook gets a secret through
 * `progression.checkEnv`, which must reach it and nothing else.
 */

/**
 * What the server got, in the order it happened: hook requests by arrival, notifications by
 * the time they were sent (deliveries run beside the release, so they may arrive in any order).
 * A stable sort: a notification sent in the same millisecond as a hook's request that came first stays after it.
 */
const timeline = () =>
  [...local.received]
    .sort((a, b) => a.time - b.time)
    .map((r) => (r.method === 'POST' ? `${r.path} ${(JSON.parse(r.body) as { event: string }).event}` : r.path));

const SECRET = 's3cr3t-t0ken-4711';

const local = localReceiver();

/** The hooks of every moment, HTTP to the local server, and a command hook that notes the secret it got. */
const HOOKS = () => `  checkEnv: [DEPLOY_TOKEN]
  hooks:
    preRollout:
      - name: smoke
        http: { url: "${local.url('/pre/{{color}}?w={{weight}}&b={{baseline}}')}" }
      - name: token
        command: [./token.sh]
    postPromotion:
      - name: verify
        http: { url: "${local.url('/post/{{color}}?w={{weight}}')}" }
    onRollback:
      - name: page
        http: { url: "${local.url('/rollback/{{canary}}?w={{weight}}&b={{baseline}}')}" }
  notify:
    - url: ${local.url('/events')}
`;

/**
 * A project whose spec, deployed and committed, has `routing.pinHeader: x-color`, no bake (the
 * command runs on the real clock), the checks of the project and `progression` (HOOKS by default).
 */
function hooked(o: SpecOptions = {}): Project {
  const p = project({ steps: SHORT, bakeSeconds: 0, progression: HOOKS(), ...o });
  const file = join(p.dir, 'rainbow.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace('progression:\n', 'routing:\n  pinHeader: x-color\nprogression:\n'),
  );
  p.git('commit', '-qam', 'pin header');
  writeFileSync(join(p.dir, 'token.sh'), '#!/bin/sh\nprintf %s "$DEPLOY_TOKEN" > token.seen\n');
  chmodSync(join(p.dir, 'token.sh'), 0o755);
  return p;
}

const rainbow = (p: Project, argv: string[]) =>
  rainbowInProcess(p.dir, argv, {
    PATH: p.env.PATH,
    HOME: p.env.HOME,
    FAKE_CDKTF_LOG: p.env.FAKE_CDKTF_LOG,
    DEPLOY_TOKEN: SECRET,
  });

/** Everything the server got and the command printed: where a secret must not be. */
const everything = (ran: { stdout: string; stderr: string }) =>
  [ran.stdout, ran.stderr, ...local.received.map((r) => `${r.path} ${JSON.stringify(r.headers)} ${r.body}`)].join('\n');

describe('rainbow release, its hooks and notifications through the command', () => {
  it('runs the pre-rollout hooks with the pin header, sends started and a step event per step, runs the post-promotion hooks, then promoted; no secret anywhere', async () => {
    const p = hooked();
    const ran = await rainbow(p, ['release', 'green', '--yes']);
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
    expect(timeline()).toEqual([
      '/pre/green?w=0&b=blue',
      '/events started',
      '/events step',
      '/events step',
      '/post/green?w=100',
      '/events promoted',
    ]);
    const pre = local.received.find((r) => r.path.startsWith('/pre/'))!;
    expect(pre.headers['x-color']).toBe('green');
    expect(local.received.find((r) => r.path.startsWith('/post/'))!.headers['x-color']).toBeUndefined();
    const at = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(local.events()).toEqual([
      { event: 'started', app: 'shop', color: 'green', weights: { blue: 100, green: 0 }, verdicts: [], at },
      {
        event: 'step',
        app: 'shop',
        color: 'green',
        step: { label: 'step 1/2 (green at 50%)', weight: 50 },
        weights: { blue: 50, green: 50 },
        verdicts: [],
        at,
      },
      {
        event: 'step',
        app: 'shop',
        color: 'green',
        step: { label: 'step 2/2 (green at 100%)', weight: 100 },
        weights: { blue: 0, green: 100 },
        verdicts: [],
        at,
      },
      {
        event: 'promoted',
        app: 'shop',
        color: 'green',
        weights: { blue: 0, green: 100 },
        verdicts: [{ name: 'smoke', verdict: 'pass' }],
        at,
      },
    ]);
    expect(local.received.filter((r) => r.method === 'POST').map((r) => r.headers['content-type'])).toEqual(
      Array(4).fill('application/json'),
    );
    expect(ran.stdout).toContain(
      'release: pre-rollout hooks at green 0%: smoke, token (HTTP checks with x-color: green)\n' +
        'release: pre-rollout hooks: smoke 200 ok, token exit 0 ok\n',
    );
    expect(ran.stdout).toContain('release: post-promotion hooks: verify 200 ok\n');
    // The command hook got the secret through checkEnv; nothing else did, and nothing printed it.
    expect(readFileSync(join(p.dir, 'token.seen'), 'utf8')).toBe(SECRET);
    expect(everything(ran)).not.toContain(SECRET);
    expect(everything(ran)).not.toContain('DEPLOY_TOKEN');
  });

  it('rolls back on a failed check, then runs the on-rollback hooks and sends rolled-back with the reason; a failed on-rollback hook is one warning, exit 1 all the same', async () => {
    const p = hooked();
    p.failFrom(100);
    local.failing.push('/rollback/');
    const ran = await rainbow(p, ['release', 'green', '--yes']);
    expect(ran.code).toBe(1);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(timeline()).toEqual([
      '/pre/green?w=0&b=blue',
      '/events started',
      '/events step',
      '/events step',
      '/rollback/green?w=0&b=blue',
      '/events rolled-back',
    ]);
    const reason =
      'check smoke failed at step 2/2 (green at 100%): exit 2: error rate 4.2% for green at 100% (1 failed run, progression.failureLimit 0)';
    expect(local.events()[3]).toEqual({
      event: 'rolled-back',
      app: 'shop',
      color: 'green',
      weights: { blue: 100, green: 0 },
      verdicts: [{ name: 'smoke', verdict: 'fail' }],
      reason,
      at: expect.any(String),
    });
    expect(ran.stdout).toContain('release: on-rollback hooks: page 503 FAILED\n');
    expect(ran.stderr.split('\n').filter((l) => l.startsWith('release: '))).toEqual([
      `release: rolling back green: ${reason}`,
      'release: warning: on-rollback hook page failed: status 503; expected 200; the rollback stays deployed, nothing else changes',
      `release: rolled back: blue 100%, green 0%; ${reason}`,
    ]);
    expect(everything(ran)).not.toContain(SECRET);
  });

  it('ends the release with nothing shifted when a pre-rollout hook fails, exit 1, and sends failed with the reason', async () => {
    const p = hooked();
    local.failing.push('/pre/');
    const ran = await rainbow(p, ['release', 'green', '--yes']);
    expect(ran.code).toBe(1);
    expect(p.calls()).toEqual([]);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    const reason = 'pre-rollout hook smoke failed: status 503; expected 200; nothing shifted';
    expect(ran.stderr).toBe(`release: stopped before any change: ${reason}\n`);
    expect(timeline()).toEqual(['/pre/green?w=0&b=blue', '/events failed']);
    expect(local.events()[0]).toEqual({
      event: 'failed',
      app: 'shop',
      color: 'green',
      weights: { blue: 100, green: 0 },
      verdicts: [],
      reason,
      at: expect.any(String),
    });
  });

  it('says a notification it could not deliver in one warning naming the host, never the path (it may hold a token), and goes on: exit 0', async () => {
    const p = hooked({ progression: `  notify:\n    - url: ${local.url(`/hooks/${SECRET}`)}\n` });
    local.failing.push('/hooks/');
    const ran = await rainbow(p, ['release', 'green', '--yes']);
    expect(ran.code).toBe(0);
    const host = `127.0.0.1:${new URL(local.url('/')).port}`;
    expect(ran.stderr.trimEnd().split('\n').sort()).toEqual(
      ['promoted', 'started', 'step', 'step'].map(
        (e) => `release: warning: notification ${e} to ${host} not delivered (3 tries): HTTP 503; the release goes on`,
      ),
    );
    expect(local.received.filter((r) => r.path.startsWith('/hooks/'))).toHaveLength(4 * 3);
    expect(`${ran.stdout}${ran.stderr}`).not.toContain(SECRET);
  });
});
