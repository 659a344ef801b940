import { escapeInvisible } from '../model/text';
import { isExpired } from '../model/expiry';
import { ColorSpec, ColorState, RainbowSpec } from '../model/types';

const ANSI: Record<string, string> = {
  red: '31',
  orange: '38;5;208',
  yellow: '33',
  green: '32',
  blue: '34',
  indigo: '38;5;54',
  violet: '35',
  purple: '35',
  cyan: '36',
  teal: '36',
};

/** The color of a color name; an own entry only (`constructor` is a valid color name, and no color). */
export const ansiOf = (name: string): string | undefined => (Object.hasOwn(ANSI, name) ? ANSI[name] : undefined);

/** SGR codes the commands use beyond the color names. */
export const STYLE = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;

/** `text` in the SGR style `code` when `color` is on (and a code is given), else as it is. */
export function paint(color: boolean, code: string | undefined, text: string): string {
  return color && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** Whether to write ANSI colors: on a terminal, unless NO_COLOR is set or TERM is dumb. */
export function useColor(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && (process.env.NO_COLOR ?? '') === '' && process.env.TERM !== 'dumb';
}

/**
 * The traffic table: per color its image, a weight bar and percent, replicas and state. Text from
 * the spec is printed with invisible characters escaped, so no value can rewrite the terminal.
 */
export function trafficTable(spec: RainbowSpec, color: boolean, now: number = Date.now()): string[] {
  const painted = (code: string | undefined, text: string) => paint(color, code, text);
  const width = 20;
  const names = spec.colors.map((c) => escapeInvisible(c.name));
  const nameWidth = Math.max(5, ...names.map((name) => name.length));
  const images = spec.colors.map((c) => escapeInvisible(c.image));
  const imageWidth = Math.max(5, ...images.map((image) => image.length));
  const router = spec.kubernetes?.router ?? 'alb';
  // preview, capacity, expiry: the column shows only when a color expires.
  const expiring = spec.colors.some((c) => c.expires !== undefined);
  const stateWidth = Math.max(5, ...spec.colors.map((c) => c.state.length));
  const lines = [
    `${escapeInvisible(spec.app)} on ${spec.platform} (${router}): ${spec.colors.filter((c) => c.state !== 'retired').length} live of ${spec.colors.length} ${spec.colors.length === 1 ? 'color' : 'colors'}`,
    `${'COLOR'.padEnd(nameWidth)}  ${'IMAGE'.padEnd(imageWidth)}  ${'TRAFFIC'.padEnd(width + 6)}  REPLICAS  ${expiring ? `${'STATE'.padEnd(stateWidth)}  EXPIRES` : 'STATE'}`,
  ];
  spec.colors.forEach((c, i) => {
    const filled = Math.round((c.weight / 100) * width);
    const bar = color
      ? `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`
      : `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const retired = c.state === 'retired';
    // A retired color runs nothing (its stack is empty): a replica count would read as pods.
    const row = [
      painted(ansiOf(c.name), names[i].padEnd(nameWidth)),
      images[i].padEnd(imageWidth),
      `${painted(retired ? STYLE.dim : (ansiOf(c.name) ?? STYLE.bold), bar)} ${`${c.weight}%`.padStart(4)}`,
      (retired ? '-' : String(c.replicas)).padStart(8),
      painted(retired ? STYLE.dim : undefined, expiring ? c.state.padEnd(stateWidth) : c.state),
      ...(expiring ? [expiryCell(c, now, painted)] : []),
    ];
    lines.push(row.join('  '));
  });
  const weakened = allowancesSet(spec);
  if (weakened.length > 0)
    lines.push(
      painted(
        STYLE.yellow,
        `security: secure defaults weakened on purpose: ${weakened.map((a) => `security.${a}`).join(', ')}`,
      ),
    );
  return lines;
}

/** A color's expiry as written, marked when a live color has expired (retired ones are done with it). */
function expiryCell(c: ColorSpec, now: number, painted: (code: string | undefined, text: string) => string): string {
  if (c.expires === undefined) return '-';
  if (c.state === ColorState.RETIRED) return painted(STYLE.dim, c.expires);
  return isExpired(c, now) ? painted(STYLE.red, `${c.expires} (expired)`) : c.expires;
}

/** The `security.allow...` fields the spec sets. */
export function allowancesSet(spec: RainbowSpec): string[] {
  return Object.entries(spec.security)
    .filter(([, on]) => on)
    .map(([name]) => name);
}

/** The same, for machines. */
export function trafficJson(spec: RainbowSpec, now: number = Date.now()): Record<string, unknown> {
  return {
    app: spec.app,
    platform: spec.platform,
    router: spec.kubernetes?.router ?? 'alb',
    colors: spec.colors.map((c) => ({
      name: c.name,
      image: c.image,
      weight: c.state === 'retired' ? 0 : c.weight,
      replicas: c.state === 'retired' ? 0 : c.replicas,
      state: c.state,
      // preview, capacity, expiry: only for a color that expires.
      ...(c.expires === undefined ? {} : { expires: c.expires, expired: isExpired(c, now) }),
    })),
    weakenedDefaults: allowancesSet(spec),
  };
}
