import { ResourceSettings } from './resources';
import { RollingUpdateSettings } from './rolling';
import { hasUrlCredentials } from './text';

/** A spec after validation, with every default filled in. Produced by `loadSpec` / `validateSpec`. */
export type Platform = 'kubernetes' | 'ecs';

export interface RainbowSpec {
  readonly app: string;
  readonly platform: Platform;
  /** Set when the platform is kubernetes. */
  readonly kubernetes?: KubernetesSettings;
  /** Set when the platform is ecs. */
  readonly ecs?: EcsSettings;
  readonly rollingUpdate: RollingUpdateSettings;
  readonly healthCheck: HealthCheckSettings;
  readonly routing: RoutingSettings;
  readonly backend: BackendSettings;
  /** Seconds a leaving pod keeps serving: the preStop pause, and the grace period beyond it. */
  readonly drainSeconds: number;
  readonly progression: ProgressionSettings;
  /** Secure defaults the spec weakens on purpose; all false unless set. */
  readonly security: SecurityAllowances;
  readonly colors: readonly ColorSpec[];
}

export type KubernetesRouter = 'gateway-api' | 'nginx' | 'istio';

export interface KubernetesSettings {
  readonly namespace: string;
  readonly router: KubernetesRouter;
  /** Set for the gateway-api router. */
  readonly gateway?: GatewayRef;
  /** Set for the nginx router. */
  readonly ingressClassName?: string;
  readonly tlsSecretName?: string;
  /** Set for the istio router: `namespace/name` or `mesh`. */
  readonly istioGateways?: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly context?: string;
  readonly serviceAccountName?: string;
  readonly imagePullSecrets: readonly string[];
  /** Set for the gateway-api router: which CRD channel the cluster has. */
  readonly gatewayApiChannel?: GatewayApiChannel;
  /** Regular expressions of annotation keys that other controllers own (the provider's `ignore_annotations`). */
  readonly ignoreAnnotations: readonly string[];
  /** Regular expressions of label keys that other controllers own (the provider's `ignore_labels`). */
  readonly ignoreLabels: readonly string[];
}

export type GatewayApiChannel = 'standard' | 'experimental';

export interface EcsSettings {
  readonly region: string;
  /** Name or ARN of an existing ECS cluster. */
  readonly cluster: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly listenerArn: string;
  readonly host: string;
  /** The first listener rule priority of the app; it uses this one to `rulePriority + 5`. */
  readonly rulePriority: number;
  readonly port: number;
  readonly cpu: number;
  readonly memory: number;
  readonly logRetentionDays: number;
  readonly taskRoleArn?: string;
}

export interface GatewayRef {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

/**
 * How a color's pods (or tasks) are checked: the spec's `healthCheck` and the colors'
 * `healthCheck` prop. A resolved spec holds it with every default filled in.
 */
export interface HealthCheck {
  /**
   * HTTP path of the readiness probe; a pod gets traffic, and the rollout moves on, only once it answers 2xx or 3xx.
   * @default "/healthz"
   */
  readonly path?: string;
  /** @default 10 */
  readonly periodSeconds?: number;
  /**
   * Failed probes in a row before the pod is taken out of the service.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * How long a new container may take to start answering the health check (0 to 3600). On
   * Kubernetes a startup probe restarts a container that has not answered by then; on ECS it is
   * the service's health check grace period. minReadySeconds stays the soak after that.
   * @default 60
   */
  readonly startupSeconds?: number;
}

/** A HealthCheck with every default filled in. */
export type HealthCheckSettings = Required<HealthCheck>;

export interface RoutingSettings {
  readonly pinHeader?: string;
  /** The same client keeps the same color for this long. */
  readonly stickySeconds?: number;
  /** Every color that is not retired is also served at `<color>.<host>`. */
  readonly previewHosts: boolean;
}

/**
 * The only ways to weaken the secure defaults, each explicit. `rainbow status` shows the ones set,
 * and synthesis fails when a resource is weaker than these allow.
 */
export interface SecurityAllowances {
  /** Kubernetes: containers may run as root (runAsNonRoot false). */
  readonly allowRunAsRoot: boolean;
  /** Kubernetes and ECS: the root filesystem is writable. */
  readonly allowWritableRootFilesystem: boolean;
  /** Kubernetes: the service account token is mounted into pods. */
  readonly allowServiceAccountToken: boolean;
  /** ECS: tasks get a public IP. */
  readonly allowPublicIp: boolean;
  /** env may hold a plain value under a name that looks like a secret (PASSWORD, TOKEN, ...), or a URL with credentials. */
  readonly allowPlainSecretEnv: boolean;
}

export const SECURE_DEFAULTS: SecurityAllowances = {
  allowRunAsRoot: false,
  allowWritableRootFilesystem: false,
  allowServiceAccountToken: false,
  allowPublicIp: false,
  allowPlainSecretEnv: false,
};

/** Which platform each allowance applies to. */
export const ALLOWANCE_PLATFORMS: Record<keyof SecurityAllowances, ReadonlyArray<'kubernetes' | 'ecs'>> = {
  allowRunAsRoot: ['kubernetes'],
  allowWritableRootFilesystem: ['kubernetes', 'ecs'],
  allowServiceAccountToken: ['kubernetes'],
  allowPublicIp: ['ecs'],
  allowPlainSecretEnv: ['kubernetes', 'ecs'],
};

/**
 * A variable name that says it holds a secret: `*PASS*` (PASSWORD, PASSWD, PASSPHRASE), `*PWD*`,
 * `*SECRET*`, `*TOKEN*`, `*KEY*` (API_KEY, PRIVATE_KEY, ACCESS_KEY), `*AUTH*`, `*CREDENTIAL*`.
 * Broad on purpose: a false alarm costs one `security.allowPlainSecretEnv`, a miss leaks a secret.
 */
export const SECRET_LIKE_NAME = /(PASS|PWD|SECRET|TOKEN|KEY|AUTH|CREDENTIAL)/i;

/** A plain variable that would put a secret in the spec and the state: by its name, or a URL with credentials in its value. */
export function isPlainSecret(name: string, value: unknown): boolean {
  return typeof value === 'string' && value !== '' && (SECRET_LIKE_NAME.test(name) || hasUrlCredentials(value));
}

export interface ProgressionSettings {
  /** The weights `rainbow step` moves a color through, increasing. */
  readonly steps?: readonly number[];
  /** The most any color's weight may move in one change before plan calls it unsafe. */
  readonly maxStepPercent: number;
}

/** A Job run to completion before a color's workload is created or updated: `migration` in the spec and the props. */
export interface MigrationJobOptions {
  /** The command and its arguments, e.g. `["./manage", "migrate"]`. */
  readonly command: string[];
  /** @default - the color's image */
  readonly image?: string;
  /**
   * Retries before the migration counts as failed.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * @deprecated Refused: a Job deleted by a TTL is created again by the next apply, which runs the
   * migration again. Finished migration Jobs are kept until the color is retired.
   */
  readonly ttlSeconds?: number;
}

/** A migration with its image and retries filled in. */
export interface MigrationSettings {
  readonly command: readonly string[];
  readonly image: string;
  readonly backoffLimit: number;
}

/** A HorizontalPodAutoscaler on CPU: `autoscaling` in the spec and the props. */
export interface AutoscalingOptions {
  /** The fewest pods, and the count a new color starts with. Required (or its deprecated alias `minReplicas`). */
  readonly min?: number;
  /** The most pods. Required (or its deprecated alias `maxReplicas`). */
  readonly max?: number;
  /**
   * Average CPU use, in percent of the request, that the autoscaler aims for.
   * @default 80
   */
  readonly cpuPercent?: number;
  /** @deprecated use `min`, the spec's name */
  readonly minReplicas?: number;
  /** @deprecated use `max`, the spec's name */
  readonly maxReplicas?: number;
}

/** An autoscaler with its target filled in. */
export interface AutoscalingSettings {
  readonly min: number;
  readonly max: number;
  readonly cpuPercent: number;
}

/** A variable read from a Kubernetes Secret: only the reference ever reaches Terraform. */
export interface SecretKeySelector {
  /** Name of a Secret in the color's namespace. */
  readonly secret: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** @deprecated the same as SecretKeySelector, its one name */
export type SecretKeyRef = SecretKeySelector;

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
  /** Plain environment variables: the spec's, then the color's. */
  readonly env: Readonly<Record<string, string>>;
  /** Variables read from Kubernetes Secrets: references only, never values. */
  readonly secretEnv: Readonly<Record<string, SecretKeyRef>>;
  readonly migration?: MigrationSettings;
  readonly autoscaling?: AutoscalingSettings;
  /** Annotations of the color's pods: the spec's, then the color's. */
  readonly podAnnotations: Readonly<Record<string, string>>;
}

export const HEALTH_CHECK_DEFAULTS: HealthCheckSettings = { path: '/healthz', periodSeconds: 10, failureThreshold: 3, startupSeconds: 60 };
export const DEFAULT_KUBERNETES_ROUTER: KubernetesRouter = 'gateway-api';
export const DEFAULT_INGRESS_CLASS_NAME = 'nginx';
export const MAX_STARTUP_SECONDS = 3600;
export const DEFAULT_PORT = 8080;
export const DEFAULT_REPLICAS = 2;
export const MAX_REPLICAS = 10000;
export const DEFAULT_DRAIN_SECONDS = 30;
export const MAX_DRAIN_SECONDS = 3600;
export const MIGRATION_DEFAULTS = { backoffLimit: 2 } as const;
export const DEFAULT_CPU_PERCENT = 80;
export const MAX_STICKY_SECONDS = 604800;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_MAX_STEP_PERCENT = 50;
export const DEFAULT_GATEWAY_API_CHANNEL: GatewayApiChannel = 'standard';

/**
 * Annotation keys that controllers outside cdktf-rainbow add to the root metadata of Services and
 * workloads, and that Terraform would otherwise remove on every apply: GKE's NEG controller
 * (hashicorp/terraform-provider-kubernetes#445) and Rancher (field.cattle.io/publicEndpoints).
 * Keys under *.kubernetes.io (deployment.kubernetes.io/revision, kubectl.kubernetes.io/...) need
 * no entry: the provider already drops them from root metadata (isInternalKey).
 */
export const DEFAULT_IGNORE_ANNOTATIONS: readonly string[] = ['^cloud\\.google\\.com/neg(-status)?$', '^field\\.cattle\\.io/'];
export const DEFAULT_IGNORE_LABELS: readonly string[] = [];

/** Who manages the resources: the value of the `managed-by` tag and the `app.kubernetes.io/managed-by` label. */
export const MANAGED_BY = 'cdktf-rainbow';

/** A color's namespace when none is given: the app's name. */
export function defaultNamespace(app: string): string {
  return app;
}

/** Where a color can be tried before it gets traffic, with `routing.previewHosts`. */
export function previewHost(color: string, host: string): string {
  return `${color}.${host}`;
}

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
