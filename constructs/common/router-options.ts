import { CohortMatch, MANAGED_BY } from '../../model/types';

/** A color by name, with its share of the traffic: the `colors` of a router's props. */
export interface WeightedColor {
  /** The color, by name: its Service is `<app>-<color>` in the router's namespace, on the router's port. */
  readonly color: string;
  /** Whole percent of the traffic, 0 to 100. A color at 0 gets no traffic but can still be pinned or previewed. */
  readonly weight: number;
  /**
   * A cohort: requests with every header and cookie given, at exactly these values, go to this
   * color whatever the weights. The same as the third argument of `addColor`.
   * @default - no cohort
   */
  readonly match?: CohortMatch;
}

/** What every Kubernetes router takes. */
export interface KubernetesRouterProps {
  /** The application: only its colors can be added, and the routing objects are named after it. */
  readonly app: string;
  /** Hostname the router answers for, such as `shop.example.com`. */
  readonly host: string;
  /**
   * Colors by name, with their weights. The same as calling `addColor` with
   * `KubernetesColor.fromName` for each (in the router's namespace, on `port`), in this order,
   * before the colors added with `addColor`.
   * @default - none: the colors come from `addColor`
   */
  readonly colors?: WeightedColor[];
  /**
   * Namespace of the routing objects. Every color must be in it.
   * @default - the namespace of the colors (the first one added), or the app name
   */
  readonly namespace?: string;
  /**
   * The Service port of the colors listed in `colors`. A color added with `addColor` brings its own.
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

/** A color as a router renders it: its weight, Service, namespace, port and preview host. */
export interface RoutedColor {
  readonly color: string;
  readonly weight: number;
  readonly service: string;
  readonly namespace: string;
  readonly port: number;
  readonly previewHost: string;
  /** The color's cohort, if it has one. */
  readonly match?: CohortMatch;
}

/** Labels of every routing object. */
export function routerLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/managed-by': MANAGED_BY };
}

/** A Go-style duration with each part under 100000, as Kubernetes API durations require: 604800 → "168h". */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 ? `${s}s` : ''].join('');
  return parts === '' ? '0s' : parts;
}
