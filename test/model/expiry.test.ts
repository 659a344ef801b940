import {
  durationMs,
  expireColors,
  expiryWarnings,
  formatInstant,
  isExpired,
  parseInstant,
  stampedExpiry,
} from '../../model/expiry';
import { FIELDS } from '../../model/fields';
import { RainbowSpec } from '../../model/types';
import { planChange } from '../../planning/plan';
import { validateSpec } from '../../spec-file/validate';

type Color = { name: string; weight: number; state?: string; expires?: string };

function spec(colors: Color[], progression: Record<string, unknown> = {}): RainbowSpec {
  const { spec: resolved, problems } = validateSpec({
    app: 'shop',
    platform: 'kubernetes',
    kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' },
    progression,
    colors: colors.map((c) => ({ image: 'ghcr.io/acme/shop:1', ...c })),
  });
  if (resolved === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolved;
}

const at = (iso: string) => Date.parse(iso);

describe('parseInstant', () => {
  it.each([
    ['2025-07-01', '2025-07-01T00:00:00.000Z'],
    ['2025-07-01T18:30', '2025-07-01T18:30:00.000Z'],
    ['2025-07-01T18:30:15', '2025-07-01T18:30:15.000Z'],
    ['2025-07-01T18:30:15Z', '2025-07-01T18:30:15.000Z'],
    ['2025-07-01T18:30:15.250Z', '2025-07-01T18:30:15.250Z'],
    ['2025-07-01T18:30:00+02:00', '2025-07-01T16:30:00.000Z'],
    ['2025-07-01T00:30:00-01:30', '2025-07-01T02:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s (UTC when it names no zone)', (text, iso) => {
    expect(new Date(parseInstant(text)!).toISOString()).toBe(iso);
    expect(FIELDS.expires.test(text)).toBe(true);
  });

  it.each([
    '2025-02-29',
    '2025-02-30',
    '2025-04-31',
    '2025-13-01',
    '2025-7-1',
    '2025-07-01T24:00',
    '2025-07-01 18:00',
    '2025-07-01T18:00:00+2',
    'tomorrow',
    '',
    20250701,
  ])('refuses %p', (text) => {
    expect(parseInstant(text)).toBeUndefined();
    expect(FIELDS.expires.test(text)).toBe(false);
  });
});

describe('durations and stamps', () => {
  it('reads 12h, 7d and 2w, and nothing else', () => {
    expect([durationMs('12h'), durationMs('7d'), durationMs('2w'), durationMs('999w')]).toEqual([
      43_200_000,
      604_800_000,
      1_209_600_000,
      999 * 604_800_000,
    ]);
    for (const bad of ['0d', '7', 'd', '7 d', '1y', '1000d', '07d', '1.5d']) expect(durationMs(bad)).toBeUndefined();
  });

  it('stamps now plus progression.defaultExpiry, to the second, in UTC; nothing without it', () => {
    expect(
      stampedExpiry(spec([{ name: 'red', weight: 100 }], { defaultExpiry: '7d' }), at('2025-07-01T10:20:30.999Z')),
    ).toBe('2025-07-08T10:20:30Z');
    expect(stampedExpiry(spec([{ name: 'red', weight: 100 }]), at('2025-07-01T10:20:30Z'))).toBeUndefined();
    expect(formatInstant(at('2025-07-01T00:00:00Z'))).toBe('2025-07-01T00:00:00Z');
  });

  it('calls a color expired from the instant it names on', () => {
    expect(isExpired({ expires: '2025-07-01' }, at('2025-06-30T23:59:59.999Z'))).toBe(false);
    expect(isExpired({ expires: '2025-07-01' }, at('2025-07-01T00:00:00Z'))).toBe(true);
    expect(isExpired({}, at('2999-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('expiryWarnings', () => {
  const s = spec([
    { name: 'red', weight: 60, expires: '2025-06-01' },
    { name: 'orange', weight: 40, expires: '2025-07-02T09:00:00Z' },
    { name: 'yellow', weight: 0, expires: '2025-07-01T09:00:00Z' },
    { name: 'green', weight: 0, expires: '2025-07-02T09:00:01Z' },
    { name: 'blue', weight: 0, state: 'retired', expires: '2025-01-01' },
    { name: 'indigo', weight: 0 },
  ]);

  it('warns about live colors expired or expiring within a day, and says what to do', () => {
    expect(expiryWarnings(s, at('2025-07-01T09:00:00Z'))).toEqual([
      {
        kind: 'expired',
        color: 'red',
        expires: '2025-06-01',
        message: 'red expired at 2025-06-01 and still gets 60% of the traffic: drain it, and rainbow expire retires it',
      },
      {
        kind: 'expiring',
        color: 'orange',
        expires: '2025-07-02T09:00:00Z',
        message:
          'orange expires at 2025-07-02T09:00:00Z, within a day, and gets 40% of the traffic: drain it before then; to keep it, set a later colors[].expires',
      },
      {
        kind: 'expired',
        color: 'yellow',
        expires: '2025-07-01T09:00:00Z',
        message: 'yellow expired at 2025-07-01T09:00:00Z: rainbow expire retires it',
      },
    ]);
  });

  it('is silent for colors more than a day away, retired ones, and colors without an expiry', () => {
    expect(expiryWarnings(s, at('2025-05-01T00:00:00Z'))).toEqual([]);
  });
});

describe('expireColors', () => {
  it('retires the expired live colors at weight 0 and leaves those with traffic, naming them', () => {
    const s = spec([
      { name: 'red', weight: 100 },
      { name: 'orange', weight: 0, expires: '2025-06-01' },
      { name: 'yellow', weight: 0, expires: '2025-08-01' },
      { name: 'green', weight: 0, state: 'retired', expires: '2025-06-01' },
    ]);
    expect(expireColors(s, at('2025-07-01T00:00:00Z'))).toEqual({
      edits: [{ kind: 'set', path: ['colors', 1, 'state'], value: 'retired' }],
      retired: [{ color: 'orange', expires: '2025-06-01' }],
      withTraffic: [],
    });
    const busy = spec([
      { name: 'red', weight: 70, expires: '2025-06-01' },
      { name: 'orange', weight: 30 },
    ]);
    expect(expireColors(busy, at('2025-07-01T00:00:00Z'))).toEqual({
      edits: [],
      retired: [],
      withTraffic: [{ color: 'red', index: 0, expires: '2025-06-01', weight: 70 }],
    });
  });
});

describe('plan', () => {
  it('rolls nothing when only an expiry changes', () => {
    const before = spec([
      { name: 'red', weight: 100 },
      { name: 'orange', weight: 0 },
    ]);
    const after = spec([
      { name: 'red', weight: 100 },
      { name: 'orange', weight: 0, expires: '2025-07-01' },
    ]);
    const plan = planChange(before, after);
    expect(plan.changes.map((c) => c.kind)).toEqual(['unchanged', 'unchanged']);
    expect(plan.phases).toEqual([]);
  });
});
