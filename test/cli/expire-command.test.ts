import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

/** Blue serves; green and yellow wait at 0; one field a line, a comment to keep. */
const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - name: blue     # stable
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
    expires: 2025-09-01
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
    expires: 2025-07-01T12:00:00Z
  - name: yellow
    image: ghcr.io/acme/shop:1.9.0
    weight: 0
    expires: 2025-07-01T12:00:00+02:00
`;

function workdir(text = SPEC): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-expire-'));
  writeFileSync(join(dir, 'rainbow.yaml'), text);
  return dir;
}

const spec = (dir: string) => readFileSync(join(dir, 'rainbow.yaml'), 'utf8');
const expire = (dir: string, ...args: string[]) => rainbowInProcess(dir, ['expire', ...args]);

describe('rainbow expire', () => {
  it('retires every expired live color at weight 0 in one atomic edit, keeping the rest of the file, exit 0', async () => {
    const dir = workdir();
    const { code, stdout, stderr } = await expire(dir, '--now', '2025-07-01T12:00:00Z');
    expect(code).toBe(0);
    expect(spec(dir)).toBe(
      SPEC.replace(
        '    expires: 2025-07-01T12:00:00Z\n',
        '    expires: 2025-07-01T12:00:00Z\n    state: retired\n',
      ).replace(
        '    expires: 2025-07-01T12:00:00+02:00\n',
        '    expires: 2025-07-01T12:00:00+02:00\n    state: retired\n',
      ),
    );
    expect(stdout).toContain(
      'retired green: it expired at 2025-07-01T12:00:00Z\nretired yellow: it expired at 2025-07-01T12:00:00+02:00\n',
    );
    expect(stdout).toContain('shop on kubernetes (gateway-api): 1 live of 3 colors\n');
    expect(stderr).toContain('safety');
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });

  it('reads --now without a zone as UTC, and leaves a color whose instant has not come', async () => {
    const dir = workdir();
    const { code, stdout } = await expire(dir, '--now', '2025-07-01T11:59:59');
    expect(code).toBe(0);
    // yellow expired at 10:00 UTC; green at 12:00 UTC, a second later.
    expect(stdout).toContain('retired yellow: it expired at 2025-07-01T12:00:00+02:00\n');
    expect(stdout).not.toContain('retired green');
    expect(spec(dir)).toContain('    expires: 2025-07-01T12:00:00Z\n  - name: yellow');
  });

  it('names every expired color that still gets traffic, moves no traffic, and exits 1, after retiring the others', async () => {
    const dir = workdir();
    const { code, stdout, stderr } = await expire(dir, '--now', '2025-09-01');
    expect(code).toBe(1);
    expect(stderr.split('\n')).toContain(
      'colors[0].expires: blue expired at 2025-09-01 but still gets 100% of the traffic; expire never moves traffic: drain it first (rainbow drain blue) and run expire again, or set a later expires if it should keep serving',
    );
    expect(stdout).toContain('retired green');
    expect(spec(dir)).toContain('    weight: 100\n    expires: 2025-09-01\n');
  });

  it('exits 1 naming the expired colors with traffic when there is nothing to retire, and writes nothing', async () => {
    const text = SPEC.replace('    expires: 2025-07-01T12:00:00Z\n', '').replace(
      '    expires: 2025-07-01T12:00:00+02:00\n',
      '',
    );
    const dir = workdir(text);
    const { code, stderr } = await expire(dir, '--now', '2025-10-01');
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        './rainbow.yaml: nothing to retire',
        'colors[0].expires: blue expired at 2025-09-01 but still gets 100% of the traffic; expire never moves traffic: drain it first (rainbow drain blue) and run expire again, or set a later expires if it should keep serving',
        '',
      ].join('\n'),
    );
    expect(spec(dir)).toBe(text);
  });

  it('says there is nothing to do, exit 0, when no live color has expired', async () => {
    const dir = workdir();
    const { code, stderr } = await expire(dir, '--now', '2025-06-30');
    expect(code).toBe(0);
    expect(stderr).toBe('./rainbow.yaml: no live color has expired at 2025-06-30T00:00:00Z; nothing to do\n');
    expect(spec(dir)).toBe(SPEC);
  });

  it('leaves colors already retired and colors without an expiry alone', async () => {
    const text = SPEC.replace(
      '    expires: 2025-07-01T12:00:00Z\n',
      '    expires: 2025-07-01T12:00:00Z\n    state: retired\n',
    ).replace('    expires: 2025-07-01T12:00:00+02:00\n', '');
    const dir = workdir(text);
    const { code, stderr } = await expire(dir, '--now', '2025-08-01');
    expect(code).toBe(0);
    expect(stderr).toBe('./rainbow.yaml: no live color has expired at 2025-08-01T00:00:00Z; nothing to do\n');
    expect(spec(dir)).toBe(text);
  });

  it('judges expiries at the time it runs without --now', async () => {
    const dir = workdir(
      SPEC.replace('2025-07-01T12:00:00Z', '2000-01-01')
        .replace('2025-07-01T12:00:00+02:00', '2999-01-01')
        .replace('2025-09-01', '2999-01-01'),
    );
    const { code, stdout } = await expire(dir);
    expect(code).toBe(0);
    expect(stdout).toContain('retired green: it expired at 2000-01-01\n');
    expect(stdout).not.toContain('retired yellow');
  });

  it('refuses a --now that is not an ISO date or date-time, exit 1, writing nothing', async () => {
    const dir = workdir();
    const { code, stderr } = await expire(dir, '--now', 'tomorrow');
    expect(code).toBe(1);
    expect(stderr).toBe(
      '--now: received "tomorrow"; expected an ISO 8601 date or date-time, such as 2025-07-01 or 2025-07-01T18:00:00Z: UTC when it names no zone, and a date alone means 00:00 UTC that day\n',
    );
    expect(spec(dir)).toBe(SPEC);
  });

  it('refuses an invalid spec, exit 1, writing nothing', async () => {
    const text = SPEC.replace('weight: 100', 'weight: 90');
    const dir = workdir(text);
    const { code, stderr } = await expire(dir, '--now', '2025-08-01');
    expect(code).toBe(1);
    expect(stderr).toContain('colors: the weights of the colors that are not retired add up to 90');
    expect(spec(dir)).toBe(text);
  });

  it('edits a JSON spec as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-expire-'));
    const json = JSON.stringify(
      {
        app: 'shop',
        platform: 'kubernetes',
        kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' },
        colors: [
          { name: 'blue', image: 'ghcr.io/acme/shop:2.0.0', weight: 100 },
          { name: 'green', image: 'ghcr.io/acme/shop:2.1.0', weight: 0, expires: '2025-07-01' },
        ],
      },
      null,
      2,
    );
    writeFileSync(join(dir, 'rainbow.json'), json);
    const { code } = await rainbowInProcess(dir, ['expire', '--spec', 'rainbow.json', '--now', '2025-07-02']);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'rainbow.json'), 'utf8')).colors[1]).toEqual({
      name: 'green',
      image: 'ghcr.io/acme/shop:2.1.0',
      weight: 0,
      expires: '2025-07-01',
      state: 'retired',
    });
  });
});

describe('expiry in the other commands', () => {
  it("status shows each color's expiry and marks the live ones that expired", async () => {
    const dir = workdir(
      SPEC.replace('2025-09-01', '2999-01-01').replace(
        '    expires: 2025-07-01T12:00:00+02:00\n',
        '    expires: 2000-01-01\n    state: retired\n',
      ),
    );
    const { code, stdout } = await rainbowInProcess(dir, ['status']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'shop on kubernetes (gateway-api): 2 live of 3 colors',
        'COLOR   IMAGE                    TRAFFIC                     REPLICAS  STATE    EXPIRES',
        'blue    ghcr.io/acme/shop:2.0.0  #################### 100%         2  live     2999-01-01',
        'green   ghcr.io/acme/shop:2.1.0  ....................   0%         2  live     2025-07-01T12:00:00Z (expired)',
        'yellow  ghcr.io/acme/shop:1.9.0  ....................   0%         -  retired  2000-01-01',
        '(from ./rainbow.yaml; rainbow does not ask the platform)',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await rainbowInProcess(dir, ['status', '--json'])).stdout);
    expect(json.colors.map((c: any) => [c.name, c.expires, c.expired])).toEqual([
      ['blue', '2999-01-01', false],
      ['green', '2025-07-01T12:00:00Z', true],
      ['yellow', '2000-01-01', true],
    ]);
  });

  it('plan warns about colors expired or expiring within a day, in text and JSON', async () => {
    const soon = new Date(Date.now() + 6 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const text = SPEC.replace('2025-09-01', soon).replace(
      '    expires: 2025-07-01T12:00:00+02:00\n',
      '    expires: 2999-01-01\n',
    );
    const dir = workdir(text);
    writeFileSync(join(dir, 'previous.yaml'), text);
    const { code, stdout } = await rainbowInProcess(dir, ['plan', '--from', 'previous.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `warning: blue expires at ${soon}, within a day, and gets 100% of the traffic: drain it before then; to keep it, set a later colors[].expires\n`,
    );
    expect(stdout).toContain('warning: green expired at 2025-07-01T12:00:00Z: rainbow expire retires it\n');
    expect(stdout).not.toContain('yellow expire');
    const json = JSON.parse((await rainbowInProcess(dir, ['plan', '--from', 'previous.yaml', '--json'])).stdout);
    expect(json.warnings.map((w: any) => [w.kind, w.color, w.expires])).toEqual([
      ['expiring', 'blue', soon],
      ['expired', 'green', '2025-07-01T12:00:00Z'],
    ]);
  });

  it('add stamps a new color with progression.defaultExpiry from now, and nothing without it', async () => {
    const dir = workdir(SPEC.replace('colors:\n', 'progression:\n  defaultExpiry: 7d\ncolors:\n'));
    const before = Date.now();
    const { code } = await rainbowInProcess(dir, ['add', 'teal', '--image', 'ghcr.io/acme/shop:2.2.0']);
    const after = Date.now();
    expect(code).toBe(0);
    const stamped = /- name: teal\n {4}image: ghcr.io\/acme\/shop:2.2.0\n {4}weight: 0\n {4}expires: (\S+)\n$/.exec(
      spec(dir),
    );
    expect(stamped).not.toBeNull();
    const at = Date.parse(stamped![1]);
    expect(stamped![1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 7 * 86_400_000);
    expect(at).toBeLessThanOrEqual(after + 7 * 86_400_000);

    const plain = workdir();
    await rainbowInProcess(plain, ['add', 'teal', '--image', 'ghcr.io/acme/shop:2.2.0']);
    expect(spec(plain)).toMatch(/- name: teal\n {4}image: ghcr.io\/acme\/shop:2.2.0\n {4}weight: 0\n$/);
  });
});
