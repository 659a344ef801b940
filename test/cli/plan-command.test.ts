import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computePlan, planCommand } from '../../cli/commands/plan';

const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100 }
  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }
`;

/** The previous and the current spec as files, and what computePlan prints for them. */
function plan(current: string, force: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-'));
  writeFileSync(join(dir, 'previous.yaml'), SPEC);
  writeFileSync(join(dir, 'rainbow.yaml'), current);
  const out: string[] = [];
  const err: string[] = [];
  const result = computePlan({ out: (l) => out.push(l), err: (l) => err.push(l) }, join(dir, 'rainbow.yaml'), {
    from: join(dir, 'previous.yaml'),
    force,
  });
  return { dir, out, err, result };
}

describe('rainbow plan --force', () => {
  const withoutGreen = SPEC.replace(/ {2}- \{ name: green.*\n/, '');

  it('says that a color removed before retirement is left running and unmanaged, and how to destroy it', () => {
    const { dir, out, result } = plan(withoutGreen, true);
    expect(typeof result === 'object' && result.allowed).toBe(true);
    expect(out).toEqual([
      `plan: ${join(dir, 'rainbow.yaml')} against ${join(dir, 'previous.yaml')}`,
      '  blue   unchanged',
      '  green  removed from the file',
      'safety: FORCED past 1 rule broken (--force)',
      '  [removed-before-retired] green left the file without having been retired in the previous spec; retire it (and deploy) first',
      `  left behind: green's resources are left running and unmanaged: the spec no longer has the stack shop-green, so no deploy updates or destroys them. Destroy them with the previous spec, which still has it: RAINBOW_SPEC=${join(dir, 'previous.yaml')} cdktf destroy shop-green (or put green back with state: retired and deploy, which empties shop-green)`,
      'deploy phases:',
      '  1. router: shop-router',
    ]);
  });

  it("says npx cdktf destroy when cdktf is only the project's own install", () => {
    const path = process.env.PATH;
    process.env.PATH = '/usr/bin:/bin';
    try {
      const dir = mkdtempSync(join(tmpdir(), 'rainbow-plan-npx-'));
      mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', '.bin', 'cdktf'), '#!/bin/sh\n');
      chmodSync(join(dir, 'node_modules', '.bin', 'cdktf'), 0o755);
      writeFileSync(join(dir, 'previous.yaml'), SPEC);
      writeFileSync(join(dir, 'rainbow.yaml'), withoutGreen);
      const out: string[] = [];
      computePlan({ out: (l) => out.push(l), err: () => undefined }, join(dir, 'rainbow.yaml'), {
        from: join(dir, 'previous.yaml'),
        force: true,
      });
      expect(out.find((l) => l.startsWith('  left behind:'))).toContain(
        `RAINBOW_SPEC=${join(dir, 'previous.yaml')} npx cdktf destroy shop-green (`,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('says nothing is left behind when the plan is not forced', () => {
    const { out, result } = plan(withoutGreen, false);
    expect(typeof result === 'object' && result.allowed).toBe(false);
    expect(out.some((l) => l.includes('left behind'))).toBe(false);
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
