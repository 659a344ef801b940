import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusCommand } from '../../cli/commands/status';
import { run } from '../../cli/main';
import { writeLastRelease, writeRecord } from '../../engine/release-record';

const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [50, 100]
  checks:
    - name: error-rate
      prometheus: { url: "http://prometheus:9090", query: 'x{color="{{color}}"}', max: 0.01 }
    - name: smoke
      command: [./check.sh, "{{color}}"]
    - name: load
      command: [./load test.sh, --rate=10]
colors:
  - { name: blue, image: ghcr.io/acme/shop:2.0.0, weight: 100 }
  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }
`;

function status(text: string, json = false) {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-status-'));
  writeFileSync(join(dir, 'rainbow.yaml'), text);
  const out: string[] = [];
  const code = statusCommand({ out: (l) => out.push(l), err: (l) => out.push(l) }, join(dir, 'rainbow.yaml'), json);
  return { code, out };
}

describe('rainbow status', () => {
  it('ends with one line naming the checks that run commands, and what they run', () => {
    const { code, out } = status(SPEC);
    expect(code).toBe(0);
    expect(out[out.length - 1]).toBe(
      'checks that run commands: smoke (./check.sh {{color}}), load ("./load test.sh" --rate=10)',
    );
  });

  it('has no such line without command checks, nor in its JSON', () => {
    const withoutCommands = SPEC.replace(/ {4}- name: smoke[\s\S]*?(?=colors:)/, '');
    expect(status(withoutCommands).out.some((l) => l.startsWith('checks that run commands'))).toBe(false);
    expect(status(SPEC, true).out.join('\n')).not.toContain('checks that run commands');
  });
});

describe('rainbow status, releases', () => {
  const RECORD = {
    color: 'green',
    startedAt: '2026-12-07T00:00:00.000Z',
    before: { blue: 100, green: 0 },
    deployed: SPEC,
    written: SPEC,
  };

  it('says a release has not ended, and how the last one ended, from the record beside the spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-status-'));
    const file = join(dir, 'rainbow.yaml');
    writeFileSync(file, SPEC);
    writeLastRelease(file, {
      color: 'orange',
      outcome: 'rolled-back',
      startedAt: '2026-12-06T09:00:00.000Z',
      endedAt: '2026-12-06T09:30:00.000Z',
      before: { blue: 100, orange: 0 },
    });
    writeRecord(file, {
      ...RECORD,
      paused: { weight: 50, reason: 'progression.steps says pause here', bakeAgain: false },
    });
    const out: string[] = [];
    expect(statusCommand({ out: (l) => out.push(l), err: (l) => out.push(l) }, file, false)).toBe(0);
    expect(out.slice(-2)).toEqual([
      'release of green: paused at 50% (since 2026-12-07T00:00:00.000Z); rainbow release green goes on, rainbow rollback ends it',
      'last release: orange rolled back at 2026-12-06T09:30:00.000Z',
    ]);
  });
  it.each([
    [{ rollback: 'check error-rate failed' }, 'its rollback is written but not deployed'],
    [
      { rollback: 'check error-rate failed', rollbackWritten: false as const },
      'its rollback is decided but not yet written or deployed',
    ],
  ])('says where an unfinished rollback stands: %j', (fields, state) => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-status-'));
    const file = join(dir, 'rainbow.yaml');
    writeFileSync(file, SPEC);
    writeRecord(file, { ...RECORD, ...fields });
    const out: string[] = [];
    expect(statusCommand({ out: (l) => out.push(l), err: (l) => out.push(l) }, file, false)).toBe(0);
    expect(out[out.length - 1]).toMatch(new RegExp(`^release of green: ${state} \\(since `));
  });
});

describe('rainbow status, where it reads from', () => {
  it('says under the table that it shows the spec file, not what the platform runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-status-'));
    const file = join(dir, 'rainbow.yaml');
    writeFileSync(file, SPEC.replace(/ {2}checks:[\s\S]*?(?=colors:)/, ''));
    const { out } = status(readFileSync(file, 'utf8'));
    expect(out[4]).toMatch(/^\(from .*rainbow\.yaml; rainbow does not ask the platform\)$/);
    expect(out).toHaveLength(5);
  });

  it('says so in its help', async () => {
    const out: string[] = [];
    expect(await run(['status', '--help'], { out: (l) => out.push(l), err: (l) => out.push(l) })).toBe(0);
    expect(out.join('\n').replace(/\s+/g, ' ')).toContain(
      'the traffic table: per color its image, weight, replicas and state, as the spec file says (rainbow does not ask the platform)',
    );
  });
});
