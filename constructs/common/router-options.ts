import { EXPECTED, MESSAGES, received } from '../../spec/messages';
import { Problem } from '../../spec/problem';
import { isColorName, isHostname, isWholeNumber } from '../../spec/schema';
import { colorStackName, previewHost } from '../../spec/types';
import { validateWorkload } from '../../spec/workload';
import { unlessToken, withoutTokens } from '../tokens';

export interface WeightedColor {
  /** The color; its Service is `<app>-<color>` in the router's namespace. */
  readonly color: string;
  /** Whole percent of the traffic, 0 to 100. A color at 0 gets no traffic but can still be pinned or previewed. */
  readonly weight: number;
}

/** What every Kubernetes router takes. */
export interface KubernetesRouterProps {
  readonly app: string;
  /** Hostname the router answers for, such as `shop.example.com`. */
  readonly host: string;
  /** Colors that are not retired, in order, with weights adding up to 100. */
  readonly colors: WeightedColor[];
  /**
   * Namespace of the routing objects and of the colors' Services.
   * @default - the app name
   */
  readonly namespace?: string;
  /**
   * The Services' port.
   * @default 8080
   */
  readonly port?: number;
  /**
   * A request whose header of this name equals a color's name goes to that color, whatever its weight.
   * @default - no pinning
   */
  readonly pinHeader?: string;
  /**
   * The same client keeps the same color for this many seconds (1 to 604800), with a cookie.
   * @default - no stickiness
   */
  readonly stickySeconds?: number;
  /**
   * Also serve every color at `<color>.<host>`, so it can be tried before it gets traffic.
   * @default false
   */
  readonly previewHosts?: boolean;
}

/** A color with its Service name and, when enabled, its preview host. */
export interface RoutedColor {
  readonly color: string;
  readonly weight: number;
  readonly service: string;
  readonly previewHost: string;
}

export function routedColors(props: KubernetesRouterProps): RoutedColor[] {
  return props.colors.map((c) => ({ color: c.color, weight: c.weight, service: colorStackName(props.app, c.color), previewHost: previewHost(c.color, props.host) }));
}

/** Checks shared by every router: names, weights adding up to 100, stickiness, preview host names. */
export function validateRouterProps(props: KubernetesRouterProps): Problem[] {
  const problems = validateWorkload(withoutTokens({
    app: props.app, namespace: props.namespace, port: props.port, host: props.host, pinHeader: props.pinHeader, stickySeconds: props.stickySeconds,
  }));
  if (props.colors.length === 0) problems.push({ path: 'colors', message: received(props.colors, EXPECTED.colors) });
  const seen = new Map<string, number>();
  props.colors.forEach((c, i) => {
    if (!isColorName(c.color)) problems.push({ path: `colors[${i}].color`, message: received(c.color, EXPECTED.colorName) });
    else if (seen.has(c.color)) problems.push({ path: `colors[${i}].color`, message: MESSAGES.duplicateColor(c.color, `colors[${seen.get(c.color)}]`) });
    else seen.set(c.color, i);
    if (!isWholeNumber(0, 100)(c.weight)) problems.push({ path: `colors[${i}].weight`, message: received(c.weight, EXPECTED.weight) });
  });
  if (props.colors.length > 0 && props.colors.every((c) => isWholeNumber(0, 100)(c.weight))) {
    const total = props.colors.reduce((sum, c) => sum + c.weight, 0);
    if (total !== 100) problems.push({ path: 'colors', message: MESSAGES.weightsDoNotAddUp(total, props.colors.map((c) => `${c.color} ${c.weight}`).join(' + ')) });
  }
  if (props.previewHosts === true && unlessToken(props.host) !== undefined && isHostname(props.host)) {
    for (const c of props.colors) {
      const host = previewHost(c.color, props.host);
      if (isColorName(c.color) && !isHostname(host)) problems.push({ path: 'previewHosts', message: MESSAGES.previewHostTooLong(host) });
    }
  }
  return problems;
}

/** Labels of every routing object. */
export function routerLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' };
}

/** A Go-style duration with each part under 100000, as Kubernetes API durations require: 604800 → "168h". */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 ? `${s}s` : ''].join('');
  return parts === '' ? '0s' : parts;
}
