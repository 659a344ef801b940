import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLockHolder, writeSpecAtomically } from '../../engine/spec-store';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const FORBID_CDKTF = join(ROOT, 'test', 'fixtures', 'forbid-cdktf.js');

const SPEC = `# shop: a blue-green pair
app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [10, 50, 100]
colors:
  - name: blue     # current
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
`;

function workdir(text = SPEC): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-traffic-'));
  writeFileSync(join(dir, 'rainbow.yaml'), text);
  return dir;
}

/** The command in this process, with the output a spawned binary would print. */
function rainbow(dir: string, args: string[], env: Record<string, string> = {}) {
  return rainbowInProcess(dir, args, env);
}

/** The built binary with a module preloaded: for what the real process loads. */
function spawned(dir: string, args: string[], preload: string) {
  const r = spawnSync(process.execPath, ['-r', preload, CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const spec = (dir: string) => readFileSync(join(dir, 'rainbow.yaml'), 'utf8');

function git(dir: string, ...args: string[]): void {
  const r = spawnSync(
    'git',
    ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
}

function gitRepo(text = SPEC): string {
  const dir = workdir(text);
  git(dir, 'init', '-q');
  git(dir, 'add', 'rainbow.yaml');
  git(dir, 'commit', '-q', '-m', 'spec');
  return dir;
}

describe('rainbow status', () => {
  it('prints a plain table when piped', async () => {
    const { code, stdout } = await rainbow(workdir(), ['status']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'shop on kubernetes (gateway-api): 2 live of 2 colors',
        'COLOR  IMAGE                    TRAFFIC                     REPLICAS  STATE',
        'blue   ghcr.io/acme/shop:2.0.0  #################### 100%         2  live',
        'green  ghcr.io/acme/shop:2.1.0  ....................   0%         2  live',
        '(from ./rainbow.yaml; rainbow does not ask the platform)',
        '',
      ].join('\n'),
    );
    expect(stdout).not.toContain('\u001b[');
  });

  it('prints JSON for machines', async () => {
    const { code, stdout } = await rainbow(workdir(), ['status', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      app: 'shop',
      platform: 'kubernetes',
      router: 'gateway-api',
      colors: [
        { name: 'blue', image: 'ghcr.io/acme/shop:2.0.0', weight: 100, replicas: 2, state: 'live' },
        { name: 'green', image: 'ghcr.io/acme/shop:2.1.0', weight: 0, replicas: 2, state: 'live' },
      ],
      weakenedDefaults: [],
    });
  });

  it('shows the secure defaults the spec weakens', async () => {
    const dir = workdir(
      SPEC.replace(
        'progression:',
        'security:\n  allowRunAsRoot: true\n  allowWritableRootFilesystem: true\nprogression:',
      ),
    );
    expect((await rainbow(dir, ['status'])).stdout).toContain(
      '\nsecurity: secure defaults weakened on purpose: security.allowRunAsRoot, security.allowWritableRootFilesystem\n',
    );
    expect(JSON.parse((await rainbow(dir, ['status', '--json'])).stdout).weakenedDefaults).toEqual([
      'allowRunAsRoot',
      'allowWritableRootFilesystem',
    ]);
  });

  it('loads neither cdktf nor a provider, and neither does plan', () => {
    const dir = workdir();
    expect(spawned(dir, ['status'], FORBID_CDKTF).code).toBe(0);
    expect(spawned(dir, ['plan', '--from', 'rainbow.yaml'], FORBID_CDKTF).code).toBe(0);
  });
});

describe('editing commands', () => {
  it('shift rewrites only the weights and prints the new table', async () => {
    const dir = workdir();
    const { code, stdout } = await rainbow(dir, ['shift', 'green', '10']);
    expect(code).toBe(0);
    expect(stdout).toContain('green  ghcr.io/acme/shop:2.1.0  ##..................  10%');
    expect(spec(dir)).toBe(SPEC.replace('weight: 100', 'weight: 90').replace('weight: 0', 'weight: 10'));
  });

  it('add, step, promote, drain and retire walk a release through, keeping the comments, each safe against the last commit', async () => {
    const dir = gitRepo();
    for (const args of [
      ['add', 'teal', '--image', 'ghcr.io/acme/shop:2.2.0', '--replicas', '3'],
      ['step', 'teal'],
      ['step', 'teal'],
      ['promote', 'teal'],
      ['retire', 'blue'],
    ]) {
      const r = await rainbow(dir, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({
        args,
        code: 0,
        stderr: 'safety against git:HEAD: ok\n',
      });
      git(dir, 'commit', '-q', '-am', args.join(' '));
    }
    expect(spec(dir)).toBe(`# shop: a blue-green pair
app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [10, 50, 100]
colors:
  - name: blue     # current
    image: ghcr.io/acme/shop:2.0.0
    weight: 0
    state: retired
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
  - name: teal
    image: ghcr.io/acme/shop:2.2.0
    weight: 100
    replicas: 3
`);
  });

  it('refuses an edit that breaks a safety rule, exit 1, naming the rules and writing nothing', async () => {
    const dir = gitRepo();
    const { code, stdout, stderr } = await rainbow(dir, ['promote', 'green']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'safety against git:HEAD: UNSAFE, 2 rules broken',
        '  [step-too-large] blue moves from 100% to 0%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        '  [step-too-large] green moves from 0% to 100%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        './rainbow.yaml: nothing written: plan and apply would refuse this change; each rule above says what to do, or pass --force to write it anyway',
        '',
      ].join('\n'),
    );
    expect(spec(dir)).toBe(SPEC);
  });

  it('writes an unsafe edit with --force, printing the table and the verdict as FORCED, exit 0', async () => {
    const dir = gitRepo();
    const { code, stdout, stderr } = await rainbow(dir, ['promote', 'green', '--force']);
    expect(code).toBe(0);
    expect(stdout).toContain('green  ghcr.io/acme/shop:2.1.0  #################### 100%');
    expect(stderr).toBe(
      [
        'safety against git:HEAD: FORCED past 2 rules broken (--force)',
        '  [step-too-large] blue moves from 100% to 0%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        '  [step-too-large] green moves from 0% to 100%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        'the change is written past the rules above (--force); plan and apply refuse it until they are given --force too',
        '',
      ].join('\n'),
    );
    expect(spec(dir)).toBe(
      SPEC.replace(
        'weight: 100\n  - name: green\n    image: ghcr.io/acme/shop:2.1.0\n    weight: 0\n',
        'weight: 0\n  - name: green\n    image: ghcr.io/acme/shop:2.1.0\n    weight: 100\n',
      ),
    );
  });

  it('compares an edit of a file git has never seen with nothing: a first deploy', async () => {
    const dir = workdir();
    git(dir, 'init', '-q');
    expect((await rainbow(dir, ['shift', 'green', '10'])).stderr).toBe(
      'safety against git:HEAD (none there: a first deploy): ok\n',
    );
  });

  it('says so when it cannot check an edit, and still exits 0', async () => {
    const { code, stderr } = await rainbow(workdir(), ['shift', 'green', '10']);
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^safety: not checked: --from: received "git:HEAD \(the default\)"; rainbow\.yaml is not in a git repository, and plan compares with the deployed spec at git HEAD\. For a first deploy: git init.*\n$/,
    );
  });

  it('refuses with the argument and the reason, exit 1, and leaves the file as it was', async () => {
    const dir = workdir();
    const { code, stdout, stderr } = await rainbow(dir, ['retire', 'blue']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('color: blue still has 100%; drain it to 0 (and deploy) before retiring it\n');
    expect(spec(dir)).toBe(SPEC);
  });

  it('refuses a change that would make the spec invalid, naming the problem', async () => {
    const many = SPEC.replace(
      /colors:[\s\S]*$/,
      `colors:\n${Array.from({ length: 16 }, (_, i) => `  - { name: c${i}, image: 'x:1', weight: ${i === 0 ? 100 : 0} }`).join('\n')}\n`,
    );
    const dir = workdir(many);
    const { code, stderr } = await rainbow(dir, ['add', 'one-more', '--image', 'x:1']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      './rainbow.yaml: the change would make the spec invalid; nothing written:\ncolors: received 17 colors that are not retired; a Gateway API HTTPRoute rule holds at most 16 backendRefs\n',
    );
    expect(spec(dir)).toBe(many);
  });

  it('exits 2 for a missing argument', async () => {
    const { code, stderr } = await rainbow(workdir(), ['shift', 'green']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: missing required argument 'percent'");
  });

  it('leaves the original file whole when the process is killed mid-write', async () => {
    const dir = workdir();
    const crash = spawnSync(
      process.execPath,
      [join(ROOT, 'test', 'fixtures', 'crash-during-write.js'), join(dir, 'rainbow.yaml'), 'green', '50'],
      { encoding: 'utf8' },
    );
    expect(crash.signal).toBe('SIGKILL');
    expect(spec(dir)).toBe(SPEC);
    // The killed edit's lock is left too, naming a dead process: the next edit takes it over.
    expect(readLockHolder(join(dir, 'rainbow.yaml'))?.pid).toBe(crash.pid);
    const leftovers = readdirSync(dir).filter((f) => f !== 'rainbow.yaml' && f !== '.rainbow.yaml.lock');
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\.rainbow\.yaml\.\d+\.[0-9a-z]+\.tmp$/);
    expect(readFileSync(join(dir, leftovers[0]), 'utf8')).toContain('weight: 50');
    // The next edit clears what the killed one left.
    expect((await rainbow(dir, ['shift', 'green', '10'])).code).toBe(0);
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });
});

describe('writeSpecAtomically', () => {
  it('refuses, writing nothing, when the file changed since it was read', () => {
    const dir = workdir();
    const file = join(dir, 'rainbow.yaml');
    writeFileSync(file, `${SPEC}# someone else\n`);
    expect(writeSpecAtomically(file, SPEC, 'new text')).toBe('changed-on-disk');
    expect(readFileSync(file, 'utf8')).toBe(`${SPEC}# someone else\n`);
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });

  it('keeps the file mode', () => {
    const dir = workdir();
    const file = join(dir, 'rainbow.yaml');
    chmodSync(file, 0o640);
    expect(writeSpecAtomically(file, SPEC, 'x: 1\n')).toBe('written');
    expect(readFileSync(file, 'utf8')).toBe('x: 1\n');
    expect(spawnSync('stat', ['-c', '%a', file], { encoding: 'utf8' }).stdout.trim()).toBe('640');
  });
});

describe('rainbow plan, prune and synth --from against git', () => {
  it('compares with the file at git HEAD by default', async () => {
    const dir = gitRepo();
    await rainbow(dir, ['shift', 'green', '10']);
    const { code, stdout } = await rainbow(dir, ['plan']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'plan: ./rainbow.yaml against git:HEAD',
        '  blue   weight 100 → 90',
        '  green  weight 0 → 10',
        'safety: ok',
        'deploy phases:',
        '  1. router: shop-router',
        '',
      ].join('\n'),
    );
  });

  it('plans a first deploy when the file is not in git yet', async () => {
    const dir = workdir();
    git(dir, 'init', '-q');
    const { code, stdout } = await rainbow(dir, ['plan']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'plan: ./rainbow.yaml against git:HEAD (none there: a first deploy)\n  blue   new, weight 100\n',
    );
    expect(stdout).toContain('  1. colors: shop-blue shop-green\n  2. router: shop-router\n');
  });

  it('exits 1 for an unsafe change, names the rule, and lets --force through', async () => {
    const dir = gitRepo();
    await rainbow(dir, ['promote', 'green', '--force']);
    const unsafe = await rainbow(dir, ['plan']);
    expect(unsafe.code).toBe(1);
    expect(unsafe.stdout).toContain(
      'safety: UNSAFE, 2 rules broken\n' +
        '  [step-too-large] blue moves from 100% to 0%, more than progression.maxStepPercent (50) in one change; move it in smaller steps\n' +
        '  [step-too-large] green moves from 0% to 100%, more than progression.maxStepPercent (50) in one change; move it in smaller steps\n',
    );
    expect(unsafe.stderr).toBe('plan: unsafe; fix the spec, or pass --force to override the rules named above\n');
    const forced = await rainbow(dir, ['plan', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('safety: FORCED past 2 rules broken (--force)\n');
  });

  it('tells how to destroy what a forced removal leaves behind, from the spec at git HEAD', async () => {
    const dir = gitRepo();
    const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC.replace(/ {2}- name: green\n.*\n.*\n$/, ''));
    const { code, stdout } = await rainbow(dir, ['plan', '--force']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "  left behind: green's resources are left running and unmanaged: the spec no longer has the stack shop-green, so no deploy updates or destroys them. " +
        `Destroy them with the previous spec, which still has it: git show ${sha}:./rainbow.yaml > .rainbow.previous.yaml && RAINBOW_SPEC=.rainbow.previous.yaml cdktf destroy shop-green; rm -f .rainbow.previous.yaml ` +
        '(or put green back with state: retired and deploy, which empties shop-green)\n',
    );
  });

  it('compares with another git ref or file, and names a ref git does not know', async () => {
    const dir = gitRepo();
    expect((await rainbow(dir, ['plan', '--from', 'git:HEAD'])).code).toBe(0);
    const bad = await rainbow(dir, ['plan', '--from', 'git:nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^--from: received "git:nope"; git could not read rainbow\.yaml there: fatal: .*\. Pass --from FILE to compare with a file instead\n$/,
    );
  });

  it('prunes only what was already retired at HEAD', async () => {
    const dir = gitRepo();
    await rainbow(dir, ['drain', 'green']);
    await rainbow(dir, ['retire', 'green']);
    const early = await rainbow(dir, ['prune']);
    expect(early.code).toBe(0);
    expect(early.stderr).toBe('./rainbow.yaml: nothing to change\n');
    git(dir, 'commit', '-q', '-am', 'retire green');
    expect((await rainbow(dir, ['prune'])).code).toBe(0);
    expect(spec(dir)).not.toContain('name: green');
    expect(spec(dir)).toContain('# current');
  });

  it('synth --from refuses an unsafe change and writes nothing', async () => {
    const dir = gitRepo();
    await rainbow(dir, ['promote', 'green', '--force']);
    const { code, stdout, stderr } = await rainbow(dir, ['synth', '--from', 'git:HEAD', '--out', 'out']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('[step-too-large] blue moves from 100% to 0%');
    expect(stderr).toContain('synth: unsafe; nothing written.');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('rainbow apply', () => {
  function withFakeCdktf(fail?: string) {
    const bin = mkdtempSync(join(tmpdir(), 'rainbow-bin-'));
    copyFileSync(join(ROOT, 'test', 'fixtures', 'fake-cdktf.sh'), join(bin, 'cdktf'));
    chmodSync(join(bin, 'cdktf'), 0o755);
    const log = join(bin, 'calls.log');
    // HOME: apply makes its Terraform plugin cache there (test/cli/apply.test.ts), never in the real one.
    const env: Record<string, string> = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: bin,
      FAKE_CDKTF_LOG: log,
      ...(fail === undefined ? {} : { FAKE_CDKTF_FAIL: fail }),
    };
    const calls = () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [];
    return { env, calls };
  }

  const releaseDir = async () => {
    const dir = gitRepo(
      SPEC.replace('  - name: green\n', '  - name: old\n    image: x:1\n    weight: 0\n  - name: green\n'),
    );
    await rainbow(dir, ['retire', 'old']);
    await rainbow(dir, ['add', 'teal', '--image', 'ghcr.io/acme/shop:2.2.0']);
    await rainbow(dir, ['shift', 'green', '10']);
    writeFileSync(join(dir, 'cdktf.json'), '{}\n');
    return dir;
  };

  it('deploys the phases in order with cdktf deploy, passing the spec and --auto-approve', async () => {
    const dir = await releaseDir();
    const { env, calls } = withFakeCdktf();
    const { code, stdout } = await rainbow(dir, ['apply', '--auto-approve'], env);
    expect(code).toBe(0);
    expect(calls()).toEqual([
      { args: ['deploy', 'shop-teal', '--auto-approve'], spec: join(dir, 'rainbow.yaml') },
      { args: ['deploy', 'shop-router', '--auto-approve'], spec: join(dir, 'rainbow.yaml') },
      { args: ['deploy', 'shop-old', '--auto-approve'], spec: join(dir, 'rainbow.yaml') },
    ]);
    expect(stdout).toMatch(/phase 1\/3 \(colors\): cdktf deploy shop-teal\nphase 1\/3 \(colors\) done in \d+\.\d s\n/);
    expect(stdout).toContain('apply: 3 phases deployed\n');
  });

  it('stops at the first failing phase', async () => {
    const dir = await releaseDir();
    const { env, calls } = withFakeCdktf('shop-router');
    const { code, stderr } = await rainbow(dir, ['apply'], env);
    expect(code).toBe(1);
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-teal'],
      ['deploy', 'shop-router'],
    ]);
    expect(stderr).toMatch(
      /^phase 2\/3 \(router\) failed after \d+\.\d s \(cdktf exited with 3\); 1 later phase not run\n$/,
    );
  });

  it('never runs two migrations at once: stacks that hold one deploy one at a time, in file order', async () => {
    const dir = workdir(`app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: red, image: ghcr.io/acme/shop:1.0.0, weight: 100, migration: { command: [./migrate] } }
  - { name: orange, image: ghcr.io/acme/shop:1.0.0, weight: 0 }
  - { name: yellow, image: ghcr.io/acme/shop:1.0.0, weight: 0, migration: { command: [./migrate] } }
  - { name: green, image: ghcr.io/acme/shop:1.0.0, weight: 0, migration: { command: [./migrate] } }
`);
    git(dir, 'init', '-q');
    writeFileSync(join(dir, 'cdktf.json'), '{}\n');
    const { env, calls } = withFakeCdktf();
    const plan = await rainbow(dir, ['plan'], env);
    expect(plan.stdout).toContain(
      '  1. colors: shop-red shop-orange, then shop-yellow, then shop-green (one migration at a time)\n  2. router: shop-router\n',
    );
    const { code, stdout } = await rainbow(dir, ['apply', '--parallelism', '1'], env);
    expect(code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-red', 'shop-orange', '--parallelism', '1'],
      ['deploy', 'shop-yellow'],
      ['deploy', 'shop-green'],
      ['deploy', 'shop-router'],
    ]);
    expect(stdout).toMatch(
      /^phase 1\/2 \(colors, 1\/3\): cdktf deploy shop-red shop-orange \(1 at a time\)\nphase 1\/2 \(colors, 1\/3\) done in \d+\.\d s\nphase 1\/2 \(colors, 2\/3\): cdktf deploy shop-yellow\n/m,
    );
  });

  it('names the migrations it did not run when one fails', async () => {
    const dir = workdir(`app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
migration: { command: [./migrate] }
colors:
  - { name: red, image: ghcr.io/acme/shop:1.0.0, weight: 100 }
  - { name: orange, image: ghcr.io/acme/shop:1.0.0, weight: 0 }
  - { name: yellow, image: ghcr.io/acme/shop:1.0.0, weight: 0 }
`);
    git(dir, 'init', '-q');
    writeFileSync(join(dir, 'cdktf.json'), '{}\n');
    const { env, calls } = withFakeCdktf('shop-orange');
    const { code, stderr } = await rainbow(dir, ['apply'], env);
    expect(code).toBe(1);
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-red'],
      ['deploy', 'shop-orange'],
    ]);
    expect(stderr).toMatch(
      /^phase 1\/2 \(colors, 2\/3\) failed after \d+\.\d s \(cdktf exited with 3\); shop-yellow not deployed; 1 later phase not run\n$/,
    );
  });

  it('deploys nothing when the plan is unsafe', async () => {
    const dir = gitRepo();
    await rainbow(dir, ['promote', 'green', '--force']);
    const { env, calls } = withFakeCdktf();
    const { code, stderr } = await rainbow(dir, ['apply'], env);
    expect(code).toBe(1);
    expect(calls()).toEqual([]);
    expect(stderr).toContain('apply: unsafe; nothing deployed.');
  });
});

describe('writeSpecAtomically, file details', () => {
  it('replaces the file a symbolic link points to, keeping the link', async () => {
    const dir = workdir();
    const {
      mkdirSync: mkdir,
      renameSync,
      symlinkSync,
      lstatSync,
    } = jest.requireActual<typeof import('node:fs')>('node:fs');
    mkdir(join(dir, 'real'));
    renameSync(join(dir, 'rainbow.yaml'), join(dir, 'real', 'rainbow.yaml'));
    symlinkSync(join('real', 'rainbow.yaml'), join(dir, 'rainbow.yaml'));
    expect((await rainbow(dir, ['shift', 'green', '10'])).code).toBe(0);
    expect(lstatSync(join(dir, 'rainbow.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'rainbow.yaml'), 'utf8')).toContain('weight: 10');
  });

  it('keeps a group-writable mode whatever the umask', () => {
    const dir = workdir();
    const file = join(dir, 'rainbow.yaml');
    chmodSync(file, 0o664);
    expect(writeSpecAtomically(file, SPEC, 'x: 1\n')).toBe('written');
    expect(spawnSync('stat', ['-c', '%a', file], { encoding: 'utf8' }).stdout.trim()).toBe('664');
  });

  it('edits a file with a byte-order mark and keeps the mark', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'rainbow.yaml'), `\uFEFF${SPEC}`);
    expect((await rainbow(dir, ['shift', 'green', '10'])).code).toBe(0);
    const bytes = readFileSync(join(dir, 'rainbow.yaml'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('weight: 10');
  });

  it('leaves the file and no temporary file behind when the disk is full', () => {
    const dir = workdir();
    const file = join(dir, 'rainbow.yaml');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const write = jest.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      expect(() => writeSpecAtomically(file, SPEC, 'x: 1\n')).toThrow('ENOSPC');
    } finally {
      write.mockRestore();
    }
    expect(readFileSync(file, 'utf8')).toBe(SPEC);
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });

  it('refuses to plan when git cannot read the repository, rather than calling it a first deploy', async () => {
    const dir = workdir();
    const { code, stderr } = await rainbow(dir, ['plan']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^--from: received "git:HEAD \(the default\)"; rainbow\.yaml is not in a git repository, and plan compares with the deployed spec at git HEAD\. For a first deploy: git init.*; to compare with a file instead: --from FILE\n$/,
    );
  });
});
