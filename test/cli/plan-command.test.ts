import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { computePlan, planCommand } from '../../cli/commands/plan';
import { stateDirectory } from '../../stacks/local-state';
import { rainbowInProcess } from '../fixtures/in-process';

const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100 }
  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }
`;

/**
 * A folder holding a stand-in `cdktf` that records, while it runs, its arguments, RAINBOW_SPEC,
 * the folder it runs in and the text of the spec RAINBOW_SPEC names (the hint removes that file
 * afterwards), one line each in `<folder>/log`; put first on PATH, it is the cdktf a hint names.
 */
function cdktfStandIn(): string {
  const bin = mkdtempSync(join(tmpdir(), 'rainbow-plan-bin-'));
  writeFileSync(
    join(bin, 'cdktf'),
    `#!/bin/sh\n{ echo "$*"; echo "$RAINBOW_SPEC"; pwd -P; } > '${bin}/log'\ncat "$RAINBOW_SPEC" > '${bin}/spec'\n`,
  );
  chmodSync(join(bin, 'cdktf'), 0o755);
  return bin;
}

/** PATH with the stand-in cdktf first: the hints say plain `cdktf`. */
const pathWith = (bin: string) => `${bin}${delimiter}${process.env.PATH ?? ''}`;

/** Runs `fn` in `dir` with `env` over the environment, as a command run there would; both are put back. */
function inFolder<T>(dir: string, env: Record<string, string>, fn: () => T): T {
  const before = process.cwd();
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  process.chdir(dir);
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    process.chdir(before);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The previous and the current spec as files, and what computePlan prints for them, run in their folder. */
function plan(current: string, force: boolean, previous = SPEC) {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-'));
  writeFileSync(join(dir, 'previous.yaml'), previous);
  writeFileSync(join(dir, 'rainbow.yaml'), current);
  const out: string[] = [];
  const err: string[] = [];
  const result = inFolder(dir, { PATH: pathWith(cdktfStandIn()) }, () =>
    computePlan({ out: (l) => out.push(l), err: (l) => err.push(l) }, 'rainbow.yaml', { from: 'previous.yaml', force }),
  );
  return { dir, out, err, result };
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('rainbow plan --force', () => {
  const withoutGreen = SPEC.replace(/ {2}- \{ name: green.*\n/, '');

  it('says that a color removed before retirement is left running and unmanaged, and how to destroy it', () => {
    const { out, result } = plan(withoutGreen, true);
    expect(typeof result === 'object' && result.allowed).toBe(true);
    expect(out).toEqual([
      'plan: rainbow.yaml against previous.yaml',
      '  blue   unchanged',
      '  green  removed from the file',
      'safety: FORCED past 1 rule broken (--force)',
      '  [removed-before-retired] green left the file without having been retired in the previous spec; retire it (and deploy) first',
      "  left behind: green's resources are left running and unmanaged: the spec no longer has the stack shop-green, so no deploy updates or destroys them. Destroy them with the previous spec, which still has it: RAINBOW_SPEC=previous.yaml cdktf destroy shop-green (or put green back with state: retired and deploy, which empties shop-green)",
      'deploy phases:',
      '  1. router: shop-router',
    ]);
  });

  it("says npx cdktf destroy when cdktf is only the project's own install", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-npx-'));
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.bin', 'cdktf'), '#!/bin/sh\n');
    chmodSync(join(dir, 'node_modules', '.bin', 'cdktf'), 0o755);
    writeFileSync(join(dir, 'previous.yaml'), SPEC);
    writeFileSync(join(dir, 'rainbow.yaml'), withoutGreen);
    const out: string[] = [];
    inFolder(dir, { PATH: '/usr/bin:/bin' }, () =>
      computePlan({ out: (l) => out.push(l), err: () => undefined }, 'rainbow.yaml', {
        from: 'previous.yaml',
        force: true,
      }),
    );
    expect(out.find((l) => l.startsWith('  left behind:'))).toContain(
      ' RAINBOW_SPEC=previous.yaml npx cdktf destroy shop-green (',
    );
  });

  const leftBehind = (out: readonly string[]) =>
    /Destroy them with the previous spec, which still has it: (.*) \(or put green back/.exec(
      out.find((l) => l.startsWith('  left behind:')) ?? '',
    )?.[1];

  it('copies a --from FILE in another folder beside the spec, where its local state is, for the destroy', () => {
    const root = mkdtempSync(join(tmpdir(), 'rainbow-plan-'));
    mkdirSync(join(root, 'deploy'));
    mkdirSync(join(root, 'old'));
    writeFileSync(join(root, 'old', 'previous.yaml'), SPEC);
    writeFileSync(join(root, 'deploy', 'rainbow.yaml'), withoutGreen);
    const out: string[] = [];
    inFolder(root, { PATH: pathWith(cdktfStandIn()) }, () =>
      computePlan({ out: (l) => out.push(l), err: () => undefined }, 'deploy/rainbow.yaml', {
        from: 'old/previous.yaml',
        force: true,
      }),
    );
    expect(leftBehind(out)).toBe(
      'cp old/previous.yaml deploy/.rainbow.previous.yaml && RAINBOW_SPEC=deploy/.rainbow.previous.yaml cdktf destroy shop-green; rm -f deploy/.rainbow.previous.yaml',
    );
  });

  /** A repository whose `folder` holds the spec with green, committed, and the spec without it in the working tree. */
  function greenRemovedSinceHead(folder: string): { root: string; sha: string } {
    const root = mkdtempSync(join(tmpdir(), 'rainbow-plan-git-'));
    mkdirSync(join(root, folder));
    writeFileSync(join(root, folder, 'rainbow.yaml'), SPEC);
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'deployed');
    writeFileSync(join(root, folder, 'rainbow.yaml'), withoutGreen);
    return { root, sha: git(root, 'rev-parse', 'HEAD').trim() };
  }

  it("reads the spec at HEAD's commit into a file beside the spec, every path quoted for the shell", async () => {
    const { root, sha } = greenRemovedSinceHead("it's deployed");
    const bin = cdktfStandIn();
    const { code, stdout } = await rainbowInProcess(root, ['plan', '--force', "it's deployed/rainbow.yaml"], {
      PATH: pathWith(bin),
    });
    expect(code).toBe(0);
    const copy = `'it'\\''s deployed/.rainbow.previous.yaml'`;
    expect(leftBehind(stdout.split('\n'))).toBe(
      `git -C 'it'\\''s deployed' show ${sha}:./rainbow.yaml > ${copy} && RAINBOW_SPEC=${copy} cdktf destroy shop-green; rm -f ${copy}`,
    );
  });

  it('gives a line a shell runs to destroy with the previous spec and its local state, even after the commit', async () => {
    const folder = "it's deployed";
    const { root } = greenRemovedSinceHead(folder);
    const bin = cdktfStandIn();
    const { stdout } = await rainbowInProcess(root, ['plan', '--force', `${folder}/rainbow.yaml`], {
      PATH: pathWith(bin),
    });
    const line = leftBehind(stdout.split('\n'))!;
    // Deployed past the rule and committed: HEAD no longer has green.
    git(root, 'commit', '-q', '-a', '-m', 'green removed');
    const run = spawnSync('sh', ['-c', line], { cwd: root, env: { ...process.env, PATH: pathWith(bin) } });
    expect(run.status).toBe(0);
    const [args, spec, cwd] = readFileSync(join(bin, 'log'), 'utf8').split('\n');
    expect(args).toBe('destroy shop-green');
    expect(readFileSync(join(bin, 'spec'), 'utf8')).toBe(SPEC);
    expect(stateDirectory(resolve(cwd, spec), '.')).toBe(stateDirectory(join(root, folder, 'rainbow.yaml'), '.'));
    expect(existsSync(join(root, folder, '.rainbow.previous.yaml'))).toBe(false);
  });

  it('says nothing is left behind when the plan is not forced', () => {
    const { out, result } = plan(withoutGreen, false);
    expect(typeof result === 'object' && result.allowed).toBe(false);
    expect(out.some((l) => l.includes('left behind'))).toBe(false);
  });
});

describe('rainbow plan against a previous spec that only policy rules refuse now', () => {
  it('compares with it: a :latest image and a placeholder host, written before they were refused', () => {
    const old = SPEC.replace('shop:2.0.0', 'shop:latest').replace('shop.example.com', 'shop.replace-me.invalid');
    const { out, result } = plan(
      SPEC.replace('weight: 100 }', 'weight: 90 }').replace('weight: 0 }', 'weight: 10 }'),
      false,
      old,
    );
    expect(typeof result === 'object' && result.allowed).toBe(true);
    expect(out).toEqual([
      'plan: rainbow.yaml against previous.yaml',
      '  blue   rolling update (image ghcr.io/acme/shop:latest → ghcr.io/acme/shop:2.0.0, kubernetes changed), weight 100 → 90',
      '  green  rolling update (kubernetes changed), weight 0 → 10',
      'safety: ok',
      'deploy phases:',
      '  1. colors: shop-blue shop-green',
      '  2. router: shop-router',
    ]);
  });

  it('still refuses one that breaks a rule the comparison needs, at its line and column, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-'));
    writeFileSync(
      join(dir, 'previous.yaml'),
      SPEC.replace('shop:2.0.0', 'shop:latest').replace('weight: 100 }', 'weight: 90 }'),
    );
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    const err: string[] = [];
    const code = inFolder(dir, {}, () =>
      planCommand({ out: () => undefined, err: (l) => err.push(l) }, 'rainbow.yaml', {
        from: 'previous.yaml',
        force: true,
      }),
    );
    expect({ code, err }).toEqual({
      code: 1,
      err: [
        'previous.yaml:6:1: colors: the weights of the colors that are not retired add up to 90 (blue 90 + green 0); expected exactly 100',
      ],
    });
  });
});

describe('rainbow plan and the under-capacity rule', () => {
  // green takes half the traffic with 1 pod against blue's 4: a fifth of the capacity,
  // so at most 40% at maxLoadFactor 2.
  const overloaded = SPEC.replace('weight: 100 }', 'weight: 50, replicas: 4 }').replace(
    '2.1.0, weight: 0 }',
    '2.1.0, weight: 50, replicas: 1 }',
  );

  it('refuses a color loaded beyond maxLoadFactor times its capacity share, naming it and what to do', () => {
    const { out, result } = plan(overloaded, false);
    expect(typeof result === 'object' && result.allowed).toBe(false);
    expect(out.filter((l) => l.startsWith('  ['))).toEqual([
      '  [under-capacity] green gets 50% of the traffic with 20% of the serving capacity after the change: more than progression.maxLoadFactor 2 × 20% = 40%; scale green up first (replicas 1 → at least 2), or take a smaller step (at most 40% of the traffic with this capacity)',
    ]);
  });

  it('passes it with --force, like the other rules, and says so', () => {
    const { out, result } = plan(overloaded, true);
    expect(typeof result === 'object' && result.allowed).toBe(true);
    expect(out).toContain('safety: FORCED past 1 rule broken (--force)');
  });
});

describe('rainbow plan and the checks that run commands', () => {
  const withChecks = SPEC.replace(
    'colors:',
    `progression:
  steps: [50, 100]
  checks:
    - name: smoke
      command: [./check.sh, "{{color}}"]
    - name: latency
      http: { url: "https://{{color}}.shop.example.com/healthz" }
colors:`,
  );

  it('ends the printed plan with one line naming them, and what they run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-'));
    writeFileSync(join(dir, 'previous.yaml'), SPEC);
    writeFileSync(join(dir, 'rainbow.yaml'), withChecks);
    const out: string[] = [];
    expect(
      planCommand({ out: (l) => out.push(l), err: (l) => out.push(l) }, join(dir, 'rainbow.yaml'), {
        from: join(dir, 'previous.yaml'),
      }),
    ).toBe(0);
    expect(out[out.length - 1]).toBe('checks that run commands: smoke (./check.sh {{color}})');
  });

  it('prints no such line for a spec without command checks', () => {
    const { out } = plan(SPEC, false);
    expect(out.some((l) => l.startsWith('checks that run commands'))).toBe(false);
  });
});

describe('rainbow plan and colors that run the same image', () => {
  const same = SPEC.replace('shop:2.1.0', 'shop:2.0.0');

  it('warns, in the printed plan and in --json, and stays safe', () => {
    const { out, result } = plan(same, false);
    expect(out).toContain(
      'warning: blue and green run the same image "ghcr.io/acme/shop:2.0.0": moving traffic between them changes nothing; give the new color the new image (rainbow add <color> --image <image>)',
    );
    expect(typeof result === 'number' ? undefined : result.allowed).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-'));
    writeFileSync(join(dir, 'previous.yaml'), SPEC);
    writeFileSync(join(dir, 'rainbow.yaml'), same);
    const json: string[] = [];
    expect(
      planCommand({ out: (l) => json.push(l), err: () => {} }, join(dir, 'rainbow.yaml'), {
        from: join(dir, 'previous.yaml'),
        json: true,
      }),
    ).toBe(0);
    expect(JSON.parse(json.join('\n')).warnings).toEqual([
      {
        kind: 'same-image',
        image: 'ghcr.io/acme/shop:2.0.0',
        colors: ['blue', 'green'],
        message:
          'blue and green run the same image "ghcr.io/acme/shop:2.0.0": moving traffic between them changes nothing; give the new color the new image (rainbow add <color> --image <image>)',
      },
    ]);
  });
});

describe('rainbow plan with HCP Terraform', () => {
  it("says that HCP Terraform creates each new stack's workspace on its first deploy", () => {
    const { out } = plan(`${SPEC}backend:\n  cloud: { organization: acme, workspacePrefix: shop }\n`, false);
    expect(out[out.length - 1]).toBe(
      'HCP Terraform creates the workspace of a stack (shop-<stack>) on its first deploy, with the CLI-driven workflow (docs/state.md)',
    );
  });
});
