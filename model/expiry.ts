import type { Edit } from './edits';
import { MESSAGES } from './messages';
import { ColorSpec, ColorState, RainbowSpec } from './types';

/**
 * Colors that expire: `colors[].expires`, `progression.defaultExpiry` and `rainbow expire`.
 * Pure: the commands pass the time in, so every rule can be checked at any instant.
 */

// Only days a month can have (any 29 February passes here; isExpiry checks the year).
const MONTH_DAY =
  '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2\\d))';
const TIME = 'T(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)?';

/** `2025-07-01`, `2025-07-01T18:00`, `2025-07-01T18:00:00.5+02:00`: the JSON Schema pattern of `expires`. */
export const EXPIRY_PATTERN = new RegExp(`^\\d{4}-${MONTH_DAY}(?:${TIME})?$`);

const PARTS = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d\d):(\d\d))?)?$/;

/**
 * The instant an ISO 8601 date or date-time names, in milliseconds since the epoch; UTC when it
 * names no zone, and a date alone is 00:00 UTC that day. Undefined for anything else, a day the
 * calendar does not have (29 February 2025) included.
 */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string' || !EXPIRY_PATTERN.test(text)) return undefined;
  const [, year, month, day, hours, minutes, seconds, fraction, sign, zoneHours, zoneMinutes] = PARTS.exec(text)!;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCDate() !== Number(day)) return undefined;
  date.setUTCHours(
    Number(hours ?? 0),
    Number(minutes ?? 0),
    Number(seconds ?? 0),
    Math.floor(Number(`0.${fraction ?? '0'}`) * 1000),
  );
  const offsetMinutes =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  return date.getTime() - offsetMinutes * 60_000;
}

/** An `expires` value the spec accepts. */
export function isExpiry(value: unknown): value is string {
  return parseInstant(value) !== undefined;
}

/** `7d`: the JSON Schema pattern of `progression.defaultExpiry`, and all it allows. */
export const DURATION_PATTERN = /^[1-9]\d{0,2}[hdw]$/;

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A `defaultExpiry` in milliseconds; undefined when it is not one. */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string' || !DURATION_PATTERN.test(text)) return undefined;
  return Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1)];
}

/** An instant as `expires` is stamped and `--now` is shown: `2025-07-08T12:00:00Z`, to the second. */
export function formatInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * What `rainbow add` writes as a new color's `expires`: now plus `progression.defaultExpiry`, or nothing without one.
 */
export function stampedExpiry(spec: Pick<RainbowSpec, 'progression'>, now: number): string | undefined {
  const duration = durationMs(spec.progression.defaultExpiry);
  return duration === undefined ? undefined : formatInstant(now + duration);
}

/** Whether a color with `expires` has expired at `now` (the instant itself included). */
export function isExpired(color: Pick<ColorSpec, 'expires'>, now: number): boolean {
  const at = parseInstant(color.expires);
  return at !== undefined && now >= at;
}

const DAY_MS = 86_400_000;

export type ExpiryWarningKind = 'expired' | 'expiring';

export interface ExpiryWarning {
  readonly kind: ExpiryWarningKind;
  readonly color: string;
  readonly expires: string;
  readonly message: string;
}

/** Live colors expired at `now`, or expiring within a day: `plan` warns about them. */
export function expiryWarnings(spec: Pick<RainbowSpec, 'colors'>, now: number): ExpiryWarning[] {
  return spec.colors.flatMap((c): ExpiryWarning[] => {
    const at = parseInstant(c.expires);
    if (at === undefined || c.state === ColorState.RETIRED || at - now > DAY_MS) return [];
    const expires = c.expires!;
    return now >= at
      ? [{ kind: 'expired', color: c.name, expires, message: MESSAGES.expiredWarning(c.name, expires, c.weight) }]
      : [{ kind: 'expiring', color: c.name, expires, message: MESSAGES.expiringWarning(c.name, expires, c.weight) }];
  });
}

/**
 * What `rainbow expire` does at `now`: the edits that retire the expired live colors at weight 0, and the expired ones
 * it leaves because they carry traffic.
 */
export interface ExpirePlan {
  readonly edits: Edit[];
  /** Retired by the edits, in file order. */
  readonly retired: ReadonlyArray<{ readonly color: string; readonly expires: string }>;
  /** Expired but above weight 0, in file order: expire never moves traffic. */
  readonly withTraffic: ReadonlyArray<{
    readonly color: string;
    readonly index: number;
    readonly expires: string;
    readonly weight: number;
  }>;
}

export function expireColors(spec: Pick<RainbowSpec, 'colors'>, now: number): ExpirePlan {
  const expired = spec.colors
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => c.state !== ColorState.RETIRED && isExpired(c, now));
  const idle = expired.filter(({ c }) => c.weight === 0);
  return {
    edits: idle.map(({ index }) => ({
      kind: 'set' as const,
      path: ['colors', index, 'state'],
      value: ColorState.RETIRED,
    })),
    retired: idle.map(({ c }) => ({ color: c.name, expires: c.expires! })),
    withTraffic: expired
      .filter(({ c }) => c.weight > 0)
      .map(({ c, index }) => ({ color: c.name, index, expires: c.expires!, weight: c.weight })),
  };
}
