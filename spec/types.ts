import { ResourceSettings } from './resources';
import { RollingUpdateSettings } from './rolling';

/** A spec after validation, with every default filled in. Produced by `loadSpec` / `validateSpec`. */
export interface RainbowSpec {
  readonly app: string;
  readonly platform: 'kubernetes';
  readonly kubernetes: KubernetesSettings;
  readonly rollingUpdate: RollingUpdateSettings;
  readonly healthCheck: HealthCheckSettings;
  readonly routing: RoutingSettings;
  readonly backend: BackendSettings;
  readonly colors: readonly ColorSpec[];
}

export interface KubernetesSettings {
  readonly namespace: string;
  readonly router: 'gateway-api';
  readonly gateway: GatewayRef;
  readonly host: string;
  readonly port: number;
  readonly context?: string;
}

export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

export interface HealthCheckSettings {
  readonly path: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export interface RoutingSettings {
  readonly pinHeader?: string;
}

export type BackendSettings =
  | { readonly type: 'local' }
  | { readonly type: 's3'; readonly bucket: string; readonly region: string; readonly keyPrefix: string };

export type ColorState = 'live' | 'retired';

export interface ColorSpec {
  readonly name: string;
  readonly image: string;
  readonly weight: number;
  readonly replicas: number;
  readonly state: ColorState;
  readonly resources: ResourceSettings;
}

export const HEALTH_CHECK_DEFAULTS: HealthCheckSettings = { path: '/healthz', periodSeconds: 10, failureThreshold: 3 };
export const DEFAULT_PORT = 8080;
export const DEFAULT_REPLICAS = 2;
export const MAX_REPLICAS = 10000;

/** The stack of one color: `<app>-<color>`. A public contract: the router finds colors by it. */
export function colorStackName(app: string, color: string): string {
  return `${app}-${color}`;
}

/** The router's stack: `<app>-router`. */
export function routerStackName(app: string): string {
  return `${app}-router`;
}

/** Colors that still run (and so appear in the router), in file order. */
export function liveColors(spec: Pick<RainbowSpec, 'colors'>): ColorSpec[] {
  return spec.colors.filter((c) => c.state !== 'retired');
}
