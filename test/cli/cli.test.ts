import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const EXAMPLE = join(ROOT, 'examples', 'kubernetes-gateway', 'rainbow.yaml');

/** The command in this process, with the output a spawned binary would print. */
function rainbow(args: string[], options: { cwd?: string } = {}) {
  return rainbowInProcess(options.cwd ?? ROOT, args);
}

/** The built binary with a module preloaded: for what the real process loads. */
function spawned(args: string[], preload: string) {
  const result = spawnSync(process.execPath, ['-r', preload, CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'rainbow-cli-'));
}

const INVALID = [
  'app: Shop',
  'platform: kubernetes',
  'kubernetes: { gateway: { name: public, namespace: infra }, host: shop.example.com }',
  'colors:',
  '  - { name: red, image: "shop:1", weight: 90 }',
  '  - { name: orange, image: "shop:2", wieght: 10 }',
  '',
].join('\n');

const INVALID_LINES = [
  './rainbow.yaml:1:6: app: received "Shop"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
  './rainbow.yaml:6:5: colors[1].weight: received nothing; expected a whole number from 0 to 100',
  './rainbow.yaml:6:38: colors[1].wieght: unknown field (did you mean "weight"?); allowed here: name, image, weight, replicas, state, resources, env, secretEnv, migration, autoscaling, podAnnotations, instanceType, expires, endpoint, match',
];

describe('rainbow validate', () => {
  it('exits 0 with a one-line summary for a valid spec', async () => {
    const { code, stdout, stderr } = await rainbow(['validate', '--spec', EXAMPLE]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      `${EXAMPLE}: valid: app shop on kubernetes with gateway-api, 2 live colors (red 90%, orange 10%), 1 retired (yellow), 4 stacks\n`,
    );
  });

  it('reads ./rainbow.yaml by default', async () => {
    const dir = workdir();
    cpSync(EXAMPLE, join(dir, 'rainbow.yaml'));
    const { code, stdout } = await rainbow(['validate'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\.\/rainbow\.yaml: valid: /);
  });

  it('exits 1 with every problem on its own line, and no stack trace', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'rainbow.yaml'), INVALID);
    const { code, stdout, stderr } = await rainbow(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual(INVALID_LINES);
  });

  it('names the missing file', async () => {
    const { code, stderr } = await rainbow(['validate'], { cwd: workdir() });
    expect(code).toBe(1);
    expect(stderr).toBe(
      './rainbow.yaml: no such file; pass the spec with --spec FILE or RAINBOW_SPEC (default ./rainbow.yaml), or write one with rainbow init\n',
    );
  });

  it('gives the line and column of a YAML syntax error', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'rainbow.yaml'), 'app: shop\ncolors:\n  - name: "red\n');
    const { code, stderr } = await rainbow(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toBe(
      './rainbow.yaml:4:1: a value opened with " is not closed: add the closing " on the line where the value ends\n',
    );
  });

  it('loads neither cdktf nor a provider package', () => {
    const { code, stderr } = spawned(
      ['validate', '--spec', EXAMPLE],
      join(ROOT, 'test', 'fixtures', 'forbid-cdktf.js'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('has a guard that does catch cdktf being loaded (synth loads it)', () => {
    const { code, stderr } = spawned(
      ['synth', '--spec', EXAMPLE, '--out', join(workdir(), 'out')],
      join(ROOT, 'test', 'fixtures', 'forbid-cdktf.js'),
    );
    expect(code).toBe(99);
    expect(stderr).toMatch(/^forbidden module loaded: /);
  });
});

describe('rainbow synth', () => {
  it('writes <out>/stacks/<stack>/cdk.tf.json and prints the stack names in deploy order', async () => {
    const dir = workdir();
    const { code, stdout, stderr } = await rainbow(['synth', '--spec', EXAMPLE, '--out', 'out'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toBe('shop-red\nshop-orange\nshop-router\nshop-yellow\n');
    expect(stderr).toBe(
      'wrote 4 stacks to out/stacks; deploy colors (shop-red, shop-orange), then router (shop-router), then retired colors (shop-yellow)\n',
    );
    for (const stack of ['shop-red', 'shop-orange', 'shop-router', 'shop-yellow']) {
      const { local } = JSON.parse(readFileSync(join(dir, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8')).terraform
        .backend;
      expect(resolve(realpathSync(dir), 'out', 'stacks', stack, local.path)).toBe(
        join(realpathSync(ROOT), 'examples', 'kubernetes-gateway', 'rainbow-state', `${stack}.tfstate`),
      );
    }
  });

  it('writes to ./cdktf.out by default', async () => {
    const dir = workdir();
    cpSync(EXAMPLE, join(dir, 'rainbow.yaml'));
    expect((await rainbow(['synth'], { cwd: dir })).code).toBe(0);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'shop-router', 'cdk.tf.json'))).toBe(true);
  });

  it('exits 1 and writes nothing at all for an invalid spec', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'rainbow.yaml'), INVALID);
    const { code, stdout, stderr } = await rainbow(['synth', '--out', 'out'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual(INVALID_LINES);
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });

  it('leaves a previous output untouched for an invalid spec', async () => {
    const dir = workdir();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'keep.txt'), 'previous');
    writeFileSync(join(dir, 'rainbow.yaml'), INVALID);
    expect((await rainbow(['synth', '--out', 'out'], { cwd: dir })).code).toBe(1);
    expect(readdirSync(join(dir, 'out'))).toEqual(['keep.txt']);
  });
});

describe('rainbow usage', () => {
  it.each([
    [['frobnicate'], "error: unknown command 'frobnicate'"],
    [['validate', '--nope'], "error: unknown option '--nope'"],
    [['validate', 'rainbow.yaml', 'extra'], "error: too many arguments for 'validate'. Expected 1 argument but got 2."],
    [['synth', '--out'], "error: option '--out <dir>' argument missing"],
  ])('exits 2 for %p', async (args, message) => {
    const { code, stderr } = await rainbow(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('exits 2 and shows the commands when none is given', async () => {
    const { code, stderr } = await rainbow([]);
    expect(code).toBe(2);
    expect(stderr).toContain('validate');
    expect(stderr).toContain('synth');
  });

  it('exits 0 for --help', async () => {
    const { code, stdout } = await rainbow(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: rainbow');
  });
});

describe('what rainbow synth loads', () => {
  function loaded(spec: string): string[] {
    const dir = workdir();
    const log = join(dir, 'modules.log');
    const r = spawnSync(
      process.execPath,
      [
        '-r',
        join(ROOT, 'test', 'fixtures', 'record-modules.js'),
        CLI,
        'synth',
        '--spec',
        join(ROOT, spec),
        '--out',
        join(dir, 'out'),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, RAINBOW_MODULES_LOG: log },
      },
    );
    expect(r.status).toBe(0);
    return readFileSync(log, 'utf8').split('\n');
  }

  it('loads no AWS provider binding for a Kubernetes spec, nor the Job and autoscaler bindings it does not use', () => {
    const modules = loaded('examples/kubernetes-gateway/rainbow.yaml');
    expect(modules.filter((m) => m.includes('@cdktf/provider-aws'))).toEqual([]);
    expect(modules.filter((m) => /provider-kubernetes\/lib\/(job-v1|horizontal-pod-autoscaler-v2)\//.test(m))).toEqual(
      [],
    );
    expect(modules.some((m) => m.includes('provider-kubernetes/lib/deployment-v1/'))).toBe(true);
  });

  it('runs the command from its bundle (scripts/bundle.js), and cdktf, constructs and the provider from the project', () => {
    const modules = loaded('examples/kubernetes-gateway/rainbow.yaml');
    const ours = modules.filter((m) => m.startsWith(join(ROOT, 'dist')));
    expect(ours.map((m) => m.slice(ROOT.length + 1)).sort()).toEqual([
      'dist/cli/compile-cache.js',
      'dist/cli/entry-point.js',
      'dist/cli/main.bundle.js',
      'dist/cli/main.js',
    ]);
    expect(modules.filter((m) => /node_modules\/(zod|yaml|commander)\//.test(m))).toEqual([]);
    for (const peer of [
      'cdktf/lib/index.js',
      'constructs/lib/index.js',
      '@cdktf/provider-kubernetes/lib/provider/index.js',
    ]) {
      expect(modules).toContain(realpathSync(join(ROOT, 'node_modules', peer)));
    }
  });

  it('loads no Kubernetes provider binding for an ECS spec', () => {
    const modules = loaded('examples/aws-ecs-rainbow/rainbow.yaml');
    expect(modules.filter((m) => m.includes('@cdktf/provider-kubernetes'))).toEqual([]);
    expect(modules.some((m) => m.includes('provider-aws/lib/ecs-service/'))).toBe(true);
  });
});
