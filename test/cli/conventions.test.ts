import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyCommand } from '../../cli/commands/apply';
import { planCommand } from '../../cli/commands/plan';
import { run } from '../../cli/main';
import { defaultSpecFile } from '../../spec-file/spec-location';

const ROOT = resolve(__dirname, '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100, replicas: 3 }
  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }
`;
const ONE_COLOR = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100 }
`;

/** Runs the command in-process in `cwd`, with its output captured line by line. */
async function rainbow(cwd: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(argv, { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(...l.split('\n')) });
    return { code, out, err };
  } finally {
    process.chdir(before);
  }
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

let dir: string;
const savedSpec = process.env.RAINBOW_SPEC;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rainbow-conventions-'));
  delete process.env.RAINBOW_SPEC;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (savedSpec === undefined) delete process.env.RAINBOW_SPEC;
  else process.env.RAINBOW_SPEC = savedSpec;
});

describe('rainbow --version and help', () => {
  it('prints the version from the built command, as installed (dist/cli/main.js reads package.json two folders up)', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), '--version'], {
      encoding: 'utf8',
    });
    expect({ code: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: `${VERSION}\n`,
      stderr: '',
    });
  });

  it.each([['--version'], ['-V']])('prints the package version with %s, exit 0', async (flag) => {
    expect(await rainbow(dir, [flag])).toEqual({ code: 0, out: [VERSION], err: [] });
  });

  it('prints the list of commands with help, exit 0', async () => {
    const { code, out, err } = await rainbow(dir, ['help']);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toBe('Usage: rainbow [options] [command]');
    for (const name of [
      'init',
      'validate',
      'synth',
      'status',
      'add',
      'shift',
      'step',
      'promote',
      'drain',
      'retire',
      'prune',
      'set-image',
      'scale',
      'plan',
      'apply',
      'preview',
      'expire',
      'release',
      'rollback',
      'destroy',
      'schema',
      'help',
    ]) {
      expect(out.some((line) => line.startsWith(`  ${name} `))).toBe(true);
    }
  });

  it.each([
    [
      'init',
      'Usage: rainbow init --app <name> --platform <kubernetes|ecs|ec2> [--router <gateway-api|nginx|istio>] [--force]',
      '  $ rainbow init --app shop --platform kubernetes --router gateway-api',
    ],
    ['validate', 'Usage: rainbow validate [spec | --spec <file>]', '  $ rainbow validate deploy/rainbow.yaml'],
    [
      'synth',
      'Usage: rainbow synth [spec | --spec <file>] [--out <dir>] [--from <ref>] [--force]',
      '  $ rainbow synth --out cdktf.out --from git:origin/main',
    ],
    ['status', 'Usage: rainbow status [spec | --spec <file>] [--json]', '  $ rainbow status --json'],
    [
      'add',
      'Usage: rainbow add <color> --image <image> [--replicas <n>] [spec | --spec <file>] [--dry-run] [--force]',
      '  $ rainbow add green --image ghcr.io/acme/shop:1.6.0 --replicas 3',
    ],
    [
      'shift',
      'Usage: rainbow shift <color> <percent> [spec | --spec <file>] [--take-from <color>] [--dry-run] [--force]',
      '  $ rainbow shift green 50% --take-from blue',
    ],
    ['step', 'Usage: rainbow step <color> [spec | --spec <file>] [--dry-run] [--force]', '  $ rainbow step green'],
    [
      'promote',
      'Usage: rainbow promote <color> [spec | --spec <file>] [--dry-run] [--force]',
      '  $ rainbow promote green',
    ],
    ['drain', 'Usage: rainbow drain <color> [spec | --spec <file>] [--dry-run] [--force]', '  $ rainbow drain blue'],
    ['retire', 'Usage: rainbow retire <color> [spec | --spec <file>] [--dry-run] [--force]', '  $ rainbow retire blue'],
    [
      'set-image',
      'Usage: rainbow set-image <color> <image> [spec | --spec <file>] [--dry-run] [--force]',
      '  $ rainbow set-image green ghcr.io/acme/shop:1.6.1',
    ],
    [
      'scale',
      'Usage: rainbow scale <color> <replicas> [spec | --spec <file>] [--dry-run] [--force]',
      '  $ rainbow scale green 4',
    ],
    [
      'prune',
      'Usage: rainbow prune [spec | --spec <file>] [--from <ref>] [--dry-run] [--force]',
      '  $ rainbow prune --from git:HEAD~1',
    ],
    [
      'plan',
      'Usage: rainbow plan [spec | --spec <file>] [--from <ref>] [--force] [--json]',
      '  $ rainbow plan --json > plan.json',
    ],
    [
      'apply',
      'Usage: rainbow apply [spec | --spec <file>] [--from <ref>] [-y | --yes | --auto-approve] [--force] [--parallelism <n>]',
      '  $ rainbow apply --yes',
    ],
    [
      'preview',
      'Usage: rainbow preview [spec | --spec <file>] [--from <ref>] [--json] [--svg <file>]',
      '  $ rainbow preview --svg preview.svg',
    ],
    [
      'expire',
      'Usage: rainbow expire [spec | --spec <file>] [--now <iso>] [--dry-run] [--force]',
      '  $ rainbow expire --now 2025-07-01T00:00:00Z',
    ],
    [
      'release',
      'Usage: rainbow release <color> [spec | --spec <file>] [-y | --yes | --auto-approve] [--commit] [--dry-run] [--report <file>]',
      '  $ rainbow release green --yes --commit',
    ],
    [
      'rollback',
      'Usage: rainbow rollback [spec | --spec <file>] [--to <color>] [-y | --yes | --auto-approve] [--commit]',
      '  $ rainbow rollback --to blue --yes --commit',
    ],
    [
      'destroy',
      'Usage: rainbow destroy [spec | --spec <file>] [-y | --yes | --auto-approve] [--force] [--parallelism <n>]',
      '  $ rainbow destroy --yes --force',
    ],
  ])(
    'help %s: exit 0, the usage line with required options unbracketed, and an example',
    async (command, usage, example) => {
      for (const argv of [
        ['help', command],
        [command, '--help'],
      ]) {
        const { code, out, err } = await rainbow(dir, argv);
        expect(code).toBe(0);
        expect(err).toEqual([]);
        expect(out[0]).toBe(usage);
        expect(out).toContain(example);
      }
    },
  );

  it('marks required options as such in the option list', async () => {
    const { out } = await rainbow(dir, ['help', 'add']);
    expect(out).toContain('  --image <image>    the container image, the AMI on ec2 (required, except on');
  });

  it('fails with exit 2 on help for an unknown command', async () => {
    const { code, err } = await rainbow(dir, ['help', 'deploy']);
    expect(code).toBe(2);
    expect(err).toEqual(["error: unknown command 'deploy'; see rainbow help"]);
  });
});

describe('the default spec file', () => {
  it('is RAINBOW_SPEC when set, else ./rainbow.yaml', () => {
    expect(defaultSpecFile({})).toBe('./rainbow.yaml');
    expect(defaultSpecFile({ RAINBOW_SPEC: '' })).toBe('./rainbow.yaml');
    expect(defaultSpecFile({ RAINBOW_SPEC: 'deploy/shop.yaml' })).toBe('deploy/shop.yaml');
  });

  it('is RAINBOW_SPEC for the commands', async () => {
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy', 'shop.yaml'), SPEC);
    process.env.RAINBOW_SPEC = 'deploy/shop.yaml';
    const { code, out } = await rainbow(dir, ['validate']);
    expect(code).toBe(0);
    expect(out).toEqual([
      'deploy/shop.yaml: valid: app shop on kubernetes with gateway-api, 2 live colors (blue 100%, green 0%), 3 stacks',
    ]);
  });

  it('is ./rainbow.yaml without RAINBOW_SPEC', async () => {
    writeFileSync(join(dir, 'rainbow.yaml'), ONE_COLOR);
    const { code, out } = await rainbow(dir, ['status']);
    expect(code).toBe(0);
    expect(out[0]).toBe('shop on kubernetes (gateway-api): 1 live of 1 color');
  });

  it('is --spec over RAINBOW_SPEC', async () => {
    writeFileSync(join(dir, 'other.yaml'), ONE_COLOR);
    process.env.RAINBOW_SPEC = 'missing.yaml';
    const { code } = await rainbow(dir, ['validate', '--spec', 'other.yaml']);
    expect(code).toBe(0);
  });
});

describe('rainbow status', () => {
  it('shows no replicas for a retired color', async () => {
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC.replace('weight: 0 }', 'weight: 0, state: retired }'));
    const { out } = await rainbow(dir, ['status']);
    expect(out).toEqual([
      'shop on kubernetes (gateway-api): 1 live of 2 colors',
      'COLOR  IMAGE                    TRAFFIC                     REPLICAS  STATE',
      'blue   ghcr.io/acme/shop:2.0.0  #################### 100%         3  live',
      'green  ghcr.io/acme/shop:2.1.0  ....................   0%         -  retired',
      '(from ./rainbow.yaml; rainbow does not ask the platform)',
    ]);
    const json = await rainbow(dir, ['status', '--json']);
    expect(JSON.parse(json.out.join('\n')).colors[1]).toEqual({
      name: 'green',
      image: 'ghcr.io/acme/shop:2.1.0',
      weight: 0,
      replicas: 0,
      state: 'retired',
    });
  });
});

describe('rainbow plan', () => {
  function specs(current: string) {
    writeFileSync(join(dir, 'previous.yaml'), SPEC);
    writeFileSync(join(dir, 'rainbow.yaml'), current);
  }

  it('prints the phases, changes and verdict as JSON with --json', async () => {
    specs(
      SPEC.replace('weight: 100, replicas: 3', 'weight: 90, replicas: 3').replace(
        '2.1.0, weight: 0',
        '2.1.0, weight: 10',
      ),
    );
    const { code, out, err } = await rainbow(dir, ['plan', '--from', 'previous.yaml', '--json']);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(JSON.parse(out.join('\n'))).toEqual({
      version: 1,
      spec: './rainbow.yaml',
      from: 'previous.yaml',
      firstDeploy: false,
      verdict: 'ok',
      violations: [],
      changes: [
        { color: 'blue', kind: 'unchanged', reasons: [], weight: { from: 100, to: 90 } },
        { color: 'green', kind: 'unchanged', reasons: [], weight: { from: 0, to: 10 } },
      ],
      phases: [{ title: 'router', stacks: ['shop-router'], calls: [['shop-router']] }],
      warnings: [],
    });
  });

  it('prints an unsafe verdict with its rules as JSON, exit 1', async () => {
    specs(SPEC.replace(/ {2}- \{ name: green.*\n/, ''));
    const { code, out, err } = await rainbow(dir, ['plan', '--from', 'previous.yaml', '--json']);
    expect(code).toBe(1);
    const plan = JSON.parse(out.join('\n'));
    expect(plan.verdict).toBe('unsafe');
    expect(plan.violations).toEqual([
      {
        rule: 'removed-before-retired',
        color: 'green',
        message: 'green left the file without having been retired in the previous spec; retire it (and deploy) first',
      },
    ]);
    expect(plan.changes).toContainEqual({
      color: 'green',
      kind: 'removed',
      reasons: [],
      weight: { from: 0, to: null },
    });
    expect(err).toEqual(['plan: unsafe; fix the spec, or pass --force to override the rules named above']);
  });

  it('says forced as the JSON verdict with --force', async () => {
    specs(SPEC.replace(/ {2}- \{ name: green.*\n/, ''));
    const { code, out } = await rainbow(dir, ['plan', '--from', 'previous.yaml', '--json', '--force']);
    expect(code).toBe(0);
    expect(JSON.parse(out.join('\n')).verdict).toBe('forced');
  });

  it('is plain text in a pipe', async () => {
    specs(SPEC.replace('2.1.0, weight: 0', '2.1.0, weight: 0, replicas: 4'));
    const { out } = await rainbow(dir, ['plan', '--from', 'previous.yaml']);
    expect(out.join('\n')).not.toContain('\u001b[');
    expect(out).toContain('safety: ok');
  });

  it('is colored for a terminal: the verdict, the changes and the phase titles', () => {
    specs(SPEC.replace('2.1.0, weight: 0', '2.1.0, weight: 0, replicas: 4'));
    const { out, io } = capture();
    const before = process.cwd();
    process.chdir(dir);
    try {
      expect(planCommand(io, 'rainbow.yaml', { from: 'previous.yaml', color: true })).toBe(0);
    } finally {
      process.chdir(before);
    }
    expect(out).toContain('safety: \u001b[32mok\u001b[0m');
    expect(out).toContain('  \u001b[34mblue \u001b[0m  unchanged');
    expect(out).toContain('  \u001b[32mgreen\u001b[0m  \u001b[33mrolling update (replicas changed)\u001b[0m');
    expect(out).toContain('\u001b[1mdeploy phases:\u001b[0m');
  });

  it.each([
    [
      'HEAD~1',
      '--from: received "HEAD~1", which is not a file; expected a previous spec file, or git:HEAD~1 for the spec at that git ref',
    ],
    [
      'main',
      '--from: received "main", which is not a file; expected a previous spec file, or git:main for the spec at that git ref',
    ],
    [
      'old.yaml',
      '--from: received "old.yaml", which is not a file; expected a previous spec file, or git:<ref> for the spec at a git commit, such as git:HEAD~1',
    ],
  ])('fails for --from %s, which is no file, suggesting git:', async (from, message) => {
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    const { code, err } = await rainbow(dir, ['plan', '--from', from]);
    expect(code).toBe(1);
    expect(err).toEqual([message]);
  });
});

describe('rainbow apply', () => {
  /**
   * A folder holding the spec (green's replicas changed since previous.yaml, so one phase
   * deploys), maybe a cdktf.json, and on PATH only a folder that may hold a fake cdktf, which
   * records its calls. Returns the environment to run apply with.
   */
  function project(options: { cdktfJson: boolean; cdktf?: 'ok' | 'fail' }): NodeJS.ProcessEnv {
    writeFileSync(join(dir, 'previous.yaml'), SPEC);
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC.replace('2.1.0, weight: 0', '2.1.0, weight: 0, replicas: 4'));
    if (options.cdktfJson) writeFileSync(join(dir, 'cdktf.json'), '{"app": "true"}\n');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    if (options.cdktf !== undefined) {
      writeFileSync(
        join(bin, 'cdktf'),
        `#!/bin/sh\necho "$RAINBOW_SPEC $*" >> "${join(dir, 'calls')}"\nexit ${options.cdktf === 'ok' ? 0 : 3}\n`,
      );
      chmodSync(join(bin, 'cdktf'), 0o755);
    }
    return { ...process.env, PATH: bin };
  }

  /** applyCommand run in the project folder, with its output captured. */
  async function apply(env: NodeJS.ProcessEnv, autoApprove = false) {
    const { out, err, io } = capture();
    const before = process.cwd();
    process.chdir(dir);
    try {
      const code = await applyCommand(
        io,
        'rainbow.yaml',
        { from: 'previous.yaml', autoApprove },
        { env, onInterrupt: () => () => {} },
      );
      return { code, out, err, here: process.cwd() };
    } finally {
      process.chdir(before);
    }
  }

  it('fails naming the cdktf CLI and how to install it when cdktf is not on PATH, nothing deployed', async () => {
    const { code, out, err } = await apply(project({ cdktfJson: true }));
    expect(code).toBe(1);
    expect(out.some((line) => line.startsWith('phase '))).toBe(false);
    expect(err).toEqual([
      'apply: the cdktf CLI was not found on PATH; apply deploys with it. Install it in the project (npm install --save-dev cdktf-cli@^0.21, then run npx rainbow apply) or globally (npm install --global cdktf-cli@^0.21); nothing deployed',
    ]);
  });

  it('fails pointing at rainbow init when there is no cdktf.json, nothing deployed', async () => {
    const { code, err, here } = await apply(project({ cdktfJson: false, cdktf: 'ok' }));
    expect(code).toBe(1);
    expect(err).toEqual([
      `apply: no cdktf.json in ${here}; cdktf deploy reads it to synthesize the stacks. Run rainbow apply in the folder that holds it, or create it: rainbow init writes one (in a folder without a rainbow.yaml), or write {"language": "typescript", "app": "node node_modules/cdktf-rainbow/dist/main.js"}; nothing deployed`,
    ]);
    expect(existsSync(join(dir, 'calls'))).toBe(false);
  });

  it('runs cdktf deploy per phase with the spec in RAINBOW_SPEC', async () => {
    const { code, out, err, here } = await apply(project({ cdktfJson: true, cdktf: 'ok' }), true);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'calls'), 'utf8')).toBe(
      `${join(here, 'rainbow.yaml')} deploy shop-green --auto-approve\n`,
    );
    expect(out.at(-1)).toBe('apply: 1 phase deployed');
  });

  it('is colored for a terminal: the phase labels and what went through', async () => {
    const env = project({ cdktfJson: true, cdktf: 'ok' });
    const { out, err, io } = capture();
    const before = process.cwd();
    process.chdir(dir);
    try {
      expect(
        await applyCommand(
          io,
          'rainbow.yaml',
          { from: 'previous.yaml', color: true },
          { env, onInterrupt: () => () => {} },
        ),
      ).toBe(0);
    } finally {
      process.chdir(before);
    }
    expect(err).toEqual([]);
    expect(out).toContain('\u001b[1mphase 1/1 (colors)\u001b[0m: cdktf deploy shop-green');
    expect(out.at(-1)).toBe('\u001b[32mapply: 1 phase deployed\u001b[0m');
  });

  it('says which phase failed when cdktf fails', async () => {
    const { code, err } = await apply(project({ cdktfJson: true, cdktf: 'fail' }));
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^phase 1\/1 \(colors\) failed after \d+\.\d s \(cdktf exited with 3\); 0 later phases not run$/,
    );
  });
});
