import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';
import { localReceiver } from '../fixtures/receiver';
import { project, Project, ROUTER, SpecOptions } from '../fixtures/release-project';

/**
 * `rainbow rollback` through the command (cli/main.ts `run`), in a project with the stand-in cdktf
 * (test/fixtures/release-project.ts): once its deploy went through, it runs the onRollback hooks
 * and sends the `rolled-back` notification, as a release does after its own rollback. A local
 * HTTP server gets the hooks' requests and the notifications.
 */

const SECRET = 's3cr3t-t0ken-4711';

const local = localReceiver();

const HOOKS = () => `  checkEnv: [DEPLOY_TOKEN]
  hooks:
    onRollback:
      - name: page
        http: { url: "${local.url('/rollback/{{color}}?w={{weight}}&b={{baseline}}&a={{app}}')}" }
      - name: token
        command: [./token.sh, "{{canary}}"]
  notify:
    - url: ${local.url('/events')}
`;

/** A project with the hooks (HOOKS by default), no bake, and a command hook that notes the secret it got. */
function hooked(o: SpecOptions = {}, committed?: SpecOptions): Project {
  const spec = { steps: '[50, pause, 100]', bakeSeconds: 0, progression: HOOKS(), ...o };
  const p = project(spec, committed === undefined ? spec : { ...spec, ...committed });
  writeFileSync(join(p.dir, 'token.sh'), '#!/bin/sh\nprintf "%s %s" "$1" "$DEPLOY_TOKEN" > token.seen\n');
  chmodSync(join(p.dir, 'token.sh'), 0o755);
  return p;
}

/** `rainbow <argv>` in the project, with the stand-in cdktf, git's identity, the secret, and `env` over them. */
const rainbow = (p: Project, argv: string[], env: Record<string, string> = {}) =>
  rainbowInProcess(p.dir, argv, {
    ...Object.fromEntries(
      [
        'PATH',
        'HOME',
        'FAKE_CDKTF_LOG',
        'GIT_AUTHOR_NAME',
        'GIT_AUTHOR_EMAIL',
        'GIT_COMMITTER_NAME',
        'GIT_COMMITTER_EMAIL',
      ].map((name) => [name, p.env[name]]),
    ),
    DEPLOY_TOKEN: SECRET,
    ...env,
  });

const rollbackLines = (text: string) => text.split('\n').filter((l) => l.startsWith('rollback: '));

/** A release of green that paused at 50%, its events forgotten: what the rollbacks below start from. */
async function pausedAtHalf(p: Project): Promise<void> {
  expect((await rainbow(p, ['release', 'green', '--yes'])).code).toBe(3);
  expect(p.weights()).toEqual({ blue: 50, green: 50 });
  // The release's own deliveries are flushed before it ends.
  local.received.length = 0;
}

describe('rainbow rollback, its hooks and notifications through the command', () => {
  it('after a paused release: deploys the router, runs the on-rollback hooks ({{color}} the released color at 0%, {{baseline}} where it started), then sends rolled-back; exit 0, no secret', async () => {
    const p = hooked();
    await pausedAtHalf(p);
    const ran = await rainbow(p, ['rollback', '--yes']);
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    expect(p.calls().map((c) => c.args)).toEqual([ROUTER, ROUTER]);
    expect(rollbackLines(ran.stdout)).toEqual([
      'rollback: all traffic to blue: blue 50%, green 50% → blue 100%, green 0%; deploying the router',
      'rollback: on-rollback hooks: page 200 ok, token exit 0 ok',
      'rollback: rolled back: blue 100%, green 0%; deployed',
    ]);
    // The hooks ran before the event was sent: in the order the server got them.
    expect(local.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /rollback/green?w=0&b=blue&a=shop',
      'POST /events',
    ]);
    expect(JSON.parse(local.received[1].body)).toEqual({
      event: 'rolled-back',
      app: 'shop',
      color: 'green',
      weights: { blue: 100, green: 0 },
      verdicts: [],
      reason: 'rainbow rollback: all traffic to blue',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(local.received[1].headers['content-type']).toBe('application/json');
    // The command hook got the secret through checkEnv; nothing else did, and nothing printed it.
    expect(readFileSync(join(p.dir, 'token.seen'), 'utf8')).toBe(`green ${SECRET}`);
    const everything = [
      ran.stdout,
      ran.stderr,
      ...local.received.map((r) => `${r.path} ${JSON.stringify(r.headers)} ${r.body}`),
    ];
    expect(everything.join('\n')).not.toContain(SECRET);
  });

  it('says a failed on-rollback hook in one warning line; the rollback stays deployed, exit 0', async () => {
    const p = hooked();
    await pausedAtHalf(p);
    local.failing.push('/rollback/');
    const ran = await rainbow(p, ['rollback', '--yes', '--commit']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe(
      'rollback: warning: on-rollback hook page failed: status 503; expected 200; the rollback stays deployed, nothing else changes\n',
    );
    expect(rollbackLines(ran.stdout)).toContain('rollback: on-rollback hooks: page 503 FAILED, token exit 0 ok');
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
    // The release ran without --commit, so git HEAD holds the weights it started from: the rollback's, nothing to
    // commit.
    expect(p.git('log', '--format=%s').trim()).toBe('deployed');
    expect(p.git('show', 'HEAD:rainbow.yaml')).toBe(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8'));
    expect(local.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /rollback/green?w=0&b=blue&a=shop',
      'POST /events',
    ]);
  });

  it('with --to and no release recorded, takes as {{color}} the color that had the most traffic before, other than the target', async () => {
    const p = hooked({ green: 100 });
    const ran = await rainbow(p, ['rollback', '--to', 'blue', '--yes']);
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
    expect(local.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /rollback/green?w=0&b=blue&a=shop',
      'POST /events',
    ]);
    expect(JSON.parse(local.received[1].body)).toMatchObject({
      event: 'rolled-back',
      color: 'green',
      weights: { blue: 100, green: 0 },
      reason: 'rainbow rollback: all traffic to blue',
    });
  });

  it('says a notification it could not deliver in one warning naming the host, never the path (it may hold a token); exit 0', async () => {
    const p = hooked({ progression: `  notify:\n    - url: ${local.url(`/hooks/${SECRET}`)}\n` });
    await pausedAtHalf(p);
    local.failing.push('/hooks/');
    const ran = await rainbow(p, ['rollback', '--yes']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe(
      `rollback: warning: notification rolled-back to 127.0.0.1:${new URL(local.url('/')).port} not delivered (3 tries): HTTP 503; the rollback stays deployed\n`,
    );
    expect(local.received.filter((r) => r.path.startsWith('/hooks/'))).toHaveLength(3);
    expect(p.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('runs no hook and sends nothing when it refuses (no release recorded), or when its deploy fails (exit 4)', async () => {
    const p = hooked();
    const refused = await rainbow(p, ['rollback', '--yes']);
    expect(refused.code).toBe(1);
    await pausedAtHalf(p);
    const failed = await rainbow(p, ['rollback', '--yes'], { FAKE_CDKTF_FAIL: 'shop-router' });
    expect(failed.code).toBe(4);
    expect(rollbackLines(failed.stderr)).toEqual([
      'rollback: the rollback (blue 100%, green 0%) is written to ./rainbow.yaml but NOT deployed: deployed is blue 50%, green 50%. ' +
        'Run rainbow rollback again to deploy it, or deploy it yourself: RAINBOW_SPEC=./rainbow.yaml cdktf deploy shop-router',
    ]);
    expect(local.received).toEqual([]);
  });
});
