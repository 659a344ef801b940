import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { commandLine } from '../../cli/main';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');

/** Blue serves, green waits, teal expired at 0; steps of any size are safe. */
const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [50, 100]
  bakeSeconds: 0
  maxStepPercent: 100
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100 }
  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }
  - { name: teal, image: ghcr.io/acme/shop:1.9.0, weight: 0, expires: 2000-01-01 }
`;

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
}

/**
 * A project whose spec is deploy/shop.yaml, committed, with no ./rainbow.yaml: a command that read
 * the default would fail. A cdktf.json and the stand-in cdktf on PATH, which logs each call.
 */
function project(text = SPEC) {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-arguments-'));
  mkdirSync(join(dir, 'deploy'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'deploy', 'shop.yaml'), text);
  writeFileSync(join(dir, 'cdktf.json'), '{}\n');
  writeFileSync(join(dir, '.gitignore'), 'bin/\ncalls.log\n');
  copyFileSync(join(ROOT, 'test', 'fixtures', 'fake-cdktf.sh'), join(dir, 'bin', 'cdktf'));
  chmodSync(join(dir, 'bin', 'cdktf'), 0o755);
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'deployed');
  const log = join(dir, 'calls.log');
  const env = {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    HOME: dir,
    FAKE_CDKTF_LOG: log,
    TF_PLUGIN_CACHE_DIR: '/var/cache/terraform',
  };
  const rainbow = (...args: string[]) => rainbowInProcess(dir, args, env);
  const calls = (): Array<{ args: string[]; spec: string }> =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  const spec = () => readFileSync(join(dir, 'deploy', 'shop.yaml'), 'utf8');
  return { dir, rainbow, calls, spec };
}

describe('the spec as the last argument', () => {
  it('is there, optional and last, on every command that takes --spec', () => {
    const program = commandLine({ out: () => undefined, err: () => undefined }, () => undefined);
    const withSpec = program.commands.filter((c: Command) => c.options.some((o) => o.long === '--spec'));
    expect(withSpec.map((c) => c.name()).sort()).toEqual(
      [
        'add',
        'apply',
        'destroy',
        'drain',
        'expire',
        'plan',
        'preview',
        'promote',
        'prune',
        'release',
        'retire',
        'rollback',
        'scale',
        'set-image',
        'shift',
        'status',
        'step',
        'synth',
        'validate',
      ].sort(),
    );
    for (const command of withSpec) {
      const last = command.registeredArguments.at(-1)!;
      expect({ command: command.name(), name: last.name(), required: last.required }).toEqual({
        command: command.name(),
        name: 'spec',
        required: false,
      });
    }
  });

  it.each([
    [['validate'], /^deploy\/shop\.yaml: valid: app shop on kubernetes/],
    [['status'], /\n\(from deploy\/shop\.yaml; rainbow does not ask the platform\)\n$/],
    [['plan'], /^plan: deploy\/shop\.yaml against git:HEAD\n/],
    [['preview'], /blue/],
    [['synth', '--out', 'out'], /^shop-blue\nshop-green\nshop-teal\nshop-router\n$/],
  ])('%p reads it', async (args, output) => {
    const { rainbow } = project();
    const { code, stdout, stderr } = await rainbow(...args, 'deploy/shop.yaml');
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(output);
  });

  it.each([
    [
      ['add', 'purple', '--image', 'ghcr.io/acme/shop:2.2.0'],
      '  - { name: purple, image: ghcr.io/acme/shop:2.2.0, weight: 0 }\n',
    ],
    [['shift', 'green', '10'], 'weight: 10 }'],
    [['step', 'green'], 'weight: 50 }'],
    [['promote', 'green'], 'shop:2.1.0, weight: 100 }'],
    [['drain', 'blue'], 'shop:2.0.0, weight: 0 }'],
    [['retire', 'green'], 'weight: 0, state: retired }'],
    [['set-image', 'green', 'ghcr.io/acme/shop:2.1.1'], 'image: ghcr.io/acme/shop:2.1.1,'],
    [['scale', 'green', '3'], 'weight: 0, replicas: 3 }'],
    [['expire'], 'expires: 2000-01-01, state: retired }'],
  ])('%p edits it, after its own arguments', async (args, written) => {
    const { rainbow, spec } = project();
    const { code, stderr } = await rainbow(...args, 'deploy/shop.yaml');
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'safety against git:HEAD: ok\n' });
    expect(spec()).toContain(written);
  });

  it('prune reads it, and compares it with the same file at git HEAD', async () => {
    const { dir, rainbow, spec } = project(
      SPEC.replace('weight: 0, expires: 2000-01-01 }', 'weight: 0, state: retired }'),
    );
    expect((await rainbow('prune', 'deploy/shop.yaml')).code).toBe(0);
    expect(spec()).not.toContain('teal');
    expect(existsSync(join(dir, 'rainbow.yaml'))).toBe(false);
  });

  it('apply deploys it, handing that file to cdktf', async () => {
    const { dir, rainbow, calls } = project();
    await rainbow('shift', 'green', '10', 'deploy/shop.yaml');
    expect((await rainbow('apply', 'deploy/shop.yaml', '--yes')).code).toBe(0);
    expect(calls()).toEqual([
      { args: ['deploy', 'shop-router', '--auto-approve'], spec: join(dir, 'deploy', 'shop.yaml') },
    ]);
  });

  it('release and rollback take it too', async () => {
    const { dir, rainbow, calls, spec } = project();
    expect((await rainbow('release', 'green', 'deploy/shop.yaml', '--yes')).code).toBe(0);
    expect(spec()).toContain('shop:2.1.0, weight: 100 }');
    git(dir, 'commit', '-q', '-am', 'released');
    expect((await rainbow('rollback', 'deploy/shop.yaml', '--to', 'blue', '--yes')).code).toBe(0);
    expect(spec()).toContain('shop:2.0.0, weight: 100 }');
    expect(calls().every((c) => c.spec === join(dir, 'deploy', 'shop.yaml'))).toBe(true);
  });

  it('is the same as --spec naming the same file', async () => {
    const { rainbow } = project();
    expect((await rainbow('validate', '--spec', './deploy/../deploy/shop.yaml', 'deploy/shop.yaml')).code).toBe(0);
  });

  it('fails as a usage error, exit 2, reading nothing, when --spec names another file', async () => {
    const { rainbow, spec } = project();
    const { code, stdout, stderr } = await rainbow('shift', 'green', '10', 'deploy/shop.yaml', '--spec', 'other.yaml');
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error: the spec is given twice, as --spec other.yaml and as the argument deploy/shop.yaml; give it once\n',
    });
    expect(spec()).toBe(SPEC);
  });

  it('comes before RAINBOW_SPEC, as --spec does', async () => {
    const { dir } = project();
    const { code, stdout } = await rainbowInProcess(dir, ['validate', 'deploy/shop.yaml'], {
      RAINBOW_SPEC: 'elsewhere.yaml',
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^deploy\/shop\.yaml: valid: /);
  });

  it('is one argument too many after a command takes its own: exit 2', async () => {
    const { rainbow } = project();
    const { code, stderr } = await rainbow('step', 'green', 'deploy/shop.yaml', 'extra');
    expect(code).toBe(2);
    expect(stderr).toBe("error: too many arguments for 'step'. Expected 2 arguments but got 3.\n");
  });
});

describe('rainbow shift, habits', () => {
  it('takes the percent with a percent sign after it, as without', async () => {
    const { rainbow, spec } = project();
    expect((await rainbow('shift', 'green', '10%', 'deploy/shop.yaml')).code).toBe(0);
    expect(spec()).toContain('shop:2.1.0, weight: 10 }');
  });

  it.each([['10%%'], ['%10'], ['ten%']])('fails for %s, naming what it expects', async (percent) => {
    const { rainbow, spec } = project();
    const { code, stderr } = await rainbow('shift', 'green', percent, 'deploy/shop.yaml');
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `percent: received "${percent}"; expected a whole number from 0 to 100\n`,
    });
    expect(spec()).toBe(SPEC);
  });

  /** Blue and green share the traffic; teal has a tenth. */
  const THREE = SPEC.replace('shop:2.0.0, weight: 100 }', 'shop:2.0.0, weight: 60 }')
    .replace('shop:2.1.0, weight: 0 }', 'shop:2.1.0, weight: 30 }')
    .replace('weight: 0, expires: 2000-01-01 }', 'weight: 10 }');

  it.each([['--take-from'], ['--from']])('takes the difference from one color with %s', async (flag) => {
    const { rainbow, spec } = project(THREE);
    expect((await rainbow('shift', 'green', '40', flag, 'teal', 'deploy/shop.yaml')).code).toBe(0);
    expect(spec()).toContain('shop:2.0.0, weight: 60 }');
    expect(spec()).toContain('shop:2.1.0, weight: 40 }');
    expect(spec()).toContain('shop:1.9.0, weight: 0 }');
  });

  it('takes --take-from and --from together when they name the same color', async () => {
    const { rainbow } = project(THREE);
    expect(
      (await rainbow('shift', 'green', '40', '--take-from', 'teal', '--from', 'teal', 'deploy/shop.yaml')).code,
    ).toBe(0);
  });

  it('fails as a usage error, exit 2, when --take-from and --from name different colors', async () => {
    const { rainbow, spec } = project(THREE);
    const { code, stderr } = await rainbow(
      'shift',
      'green',
      '40',
      '--take-from',
      'teal',
      '--from',
      'blue',
      'deploy/shop.yaml',
    );
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'error: --take-from teal and --from blue name different colors; give one (--from is the older name of --take-from)\n',
    });
    expect(spec()).toBe(THREE);
  });

  it.each([['--take-from'], ['--from']])('names %s as given when it is refused', async (flag) => {
    const { rainbow } = project(THREE);
    const { code, stderr } = await rainbow('shift', 'green', '40', flag, 'nope', 'deploy/shop.yaml');
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `${flag}: received "nope"; expected one of the colors in the spec: blue, green, teal\n`,
    });
  });
});

describe('-y, --yes and --auto-approve', () => {
  it.each([['-y'], ['--yes'], ['--auto-approve']])('apply %s passes --auto-approve to cdktf deploy', async (flag) => {
    const { rainbow, calls } = project();
    await rainbow('shift', 'green', '10', 'deploy/shop.yaml');
    expect((await rainbow('apply', 'deploy/shop.yaml', flag)).code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([['deploy', 'shop-router', '--auto-approve']]);
  });

  it('apply without any of them lets cdktf ask', async () => {
    const { rainbow, calls } = project();
    await rainbow('shift', 'green', '10', 'deploy/shop.yaml');
    expect((await rainbow('apply', 'deploy/shop.yaml')).code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([['deploy', 'shop-router']]);
  });

  it.each([['-y'], ['--auto-approve']])('release %s passes --auto-approve to every deploy, as --yes', async (flag) => {
    const { rainbow, calls } = project();
    expect((await rainbow('release', 'green', 'deploy/shop.yaml', flag)).code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-router', '--auto-approve'],
      ['deploy', 'shop-router', '--auto-approve'],
    ]);
  });

  it.each([['-y'], ['--auto-approve']])("rollback %s passes --auto-approve to the router's deploy", async (flag) => {
    const { dir, rainbow, calls } = project();
    await rainbow('shift', 'green', '50', 'deploy/shop.yaml');
    git(dir, 'commit', '-q', '-am', 'deployed at 50');
    expect((await rainbow('rollback', 'deploy/shop.yaml', '--to', 'blue', flag)).code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([['deploy', 'shop-router', '--auto-approve']]);
  });
});
