import { RainbowSpec } from '../spec/types';

const ANSI: Record<string, string> = {
  red: '31', orange: '38;5;208', yellow: '33', green: '32', blue: '34', indigo: '38;5;54', violet: '35', purple: '35', cyan: '36', teal: '36',
};

/** Whether to write ANSI colors: on a terminal, unless NO_COLOR is set or TERM is dumb. */
export function useColor(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && (process.env.NO_COLOR ?? '') === '' && process.env.TERM !== 'dumb';
}

/** The traffic table: per color its image, a weight bar and percent, replicas and state. */
export function trafficTable(spec: RainbowSpec, color: boolean): string[] {
  const paint = (code: string | undefined, text: string) => (color && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text);
  const width = 20;
  const nameWidth = Math.max(5, ...spec.colors.map((c) => c.name.length));
  const imageWidth = Math.max(5, ...spec.colors.map((c) => c.image.length));
  const router = spec.kubernetes?.router ?? 'alb';
  const lines = [
    `${spec.app} on ${spec.platform} (${router}): ${spec.colors.filter((c) => c.state !== 'retired').length} live of ${spec.colors.length} colors`,
    `${'COLOR'.padEnd(nameWidth)}  ${'IMAGE'.padEnd(imageWidth)}  ${'TRAFFIC'.padEnd(width + 6)}  REPLICAS  STATE`,
  ];
  for (const c of spec.colors) {
    const filled = Math.round((c.weight / 100) * width);
    const bar = color ? `${'█'.repeat(filled)}${'░'.repeat(width - filled)}` : `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const retired = c.state === 'retired';
    const row = [
      paint(ANSI[c.name], c.name.padEnd(nameWidth)),
      c.image.padEnd(imageWidth),
      `${paint(retired ? '2' : ANSI[c.name] ?? '1', bar)} ${`${c.weight}%`.padStart(4)}`,
      String(c.replicas).padStart(8),
      paint(retired ? '2' : undefined, c.state),
    ];
    lines.push(row.join('  '));
  }
  const weakened = allowancesSet(spec);
  if (weakened.length > 0) lines.push(paint('33', `security: secure defaults weakened on purpose: ${weakened.map((a) => `security.${a}`).join(', ')}`));
  return lines;
}

/** The `security.allow...` fields the spec sets. */
export function allowancesSet(spec: RainbowSpec): string[] {
  return Object.entries(spec.security).filter(([, on]) => on).map(([name]) => name);
}

/** The same, for machines. */
export function trafficJson(spec: RainbowSpec): Record<string, unknown> {
  return {
    app: spec.app,
    platform: spec.platform,
    router: spec.kubernetes?.router ?? 'alb',
    colors: spec.colors.map((c) => ({ name: c.name, image: c.image, weight: c.state === 'retired' ? 0 : c.weight, replicas: c.replicas, state: c.state })),
    weakenedDefaults: allowancesSet(spec),
  };
}
