import { ResourceSettings } from './resources';
import { RollingUpdateSettings } from './rolling';
import { hasUrlCredentials } from './text';

/** Where the colors of an app run: the spec's `platform`. */
export enum Platform {
  /** Deployments, Services and a Kubernetes router. */
  KUBERNETES = 'kubernetes',
  /** ECS services on Fargate behind an Application Load Balancer. */
  ECS = 'ecs',
}

/** A spec after validation, with every default filled in. Produced by `Rainbow.loadSpec` / `Rainbow.validateSpec`. */
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
  readonly colors: ColorSpec[];
}

/** What routes traffic between the colors on Kubernetes: `kubernetes.router`. */
export enum KubernetesRouter {
  /** A Gateway API HTTPRoute with weighted backendRefs. */
  GATEWAY_API = 'gateway-api',
  /** ingress-nginx: one Ingress per color, canary annotations carry the weights. */
  NGINX = 'nginx',
  /** An Istio VirtualService with weighted routes. */
  ISTIO = 'istio',
}

export interface KubernetesSettings {
  readonly namespace: string;
  readonly router: KubernetesRouter;
  /** Set for the gateway-api router. */
  readonly gateway?: GatewayRef;
  /** Set for the nginx router. */
  readonly ingressClassName?: string;
  readonly tlsSecretName?: string;
  /** Set for the istio router: `namespace/name` or `mesh`. */
  readonly istioGateways?: string[];
  readonly host: string;
  readonly port: number;
  readonly context?: string;
  readonly serviceAccountName?: string;
  readonly imagePullSecrets: string[];
  /** Set for the gateway-api router: which CRD channel the cluster has. */
  readonly gatewayApiChannel?: GatewayApiChannel;
  /** Regular expressions of annotation keys that other controllers own (the provider's `ignore_annotations`). */
  readonly ignoreAnnotations: string[];
  /** Regular expressions of label keys that other controllers own (the provider's `ignore_labels`). */
  readonly ignoreLabels: string[];
}

/** Which Gateway API CRDs the cluster has: `kubernetes.gatewayApiChannel`. */
export enum GatewayApiChannel {
  /** The standard channel: HTTPRoute without session persistence. */
  STANDARD = 'standard',
  /** The experimental channel: HTTPRoute with `sessionPersistence`, which stickiness needs. */
  EXPERIMENTAL = 'experimental',
}

export interface EcsSettings {
  readonly region: string;
  /** Name or ARN of an existing ECS cluster. */
  readonly cluster: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
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
export interface HealthCheckSettings {
  /** HTTP path of the readiness probe. */
  readonly path: string;
  readonly periodSeconds: number;
  /** Failed probes in a row before the pod is taken out of the service. */
  readonly failureThreshold: number;
  /** How long a new container may take to start answering the health check. */
  readonly startupSeconds: number;
}

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
export const ALLOWANCE_PLATFORMS: Record<keyof SecurityAllowances, readonly Platform[]> = {
  allowRunAsRoot: [Platform.KUBERNETES],
  allowWritableRootFilesystem: [Platform.KUBERNETES, Platform.ECS],
  allowServiceAccountToken: [Platform.KUBERNETES],
  allowPublicIp: [Platform.ECS],
  allowPlainSecretEnv: [Platform.KUBERNETES, Platform.ECS],
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
  readonly steps?: number[];
  /** The most any color's weight may move in one change before plan calls it unsafe. */
  readonly maxStepPercent: number;
  // preview, capacity, expiry
  /** How many times its share of the serving capacity a color's share of the traffic may be before plan calls it unsafe (the under-capacity rule). */
  readonly maxLoadFactor: number;
  /**
   * How long after `rainbow add` a new color expires: a whole number and `h`, `d` or `w`, such as `7d`.
   * @default - `rainbow add` gives new colors no expiry
   */
  readonly defaultExpiry?: string;
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
  readonly command: string[];
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

/** Where Terraform keeps the state of each stack. */
export enum BackendType {
  /** A local file per stack, in `rainbow-state/` beside the spec. */
  LOCAL = 'local',
  /** An object per stack in an S3 bucket, encrypted, with an S3 lock file. */
  S3 = 's3',
}

/** An S3 state backend: `backend.s3` in the spec. */
export interface S3BackendSettings {
  /** The bucket; it must exist. */
  readonly bucket: string;
  /** The bucket's region, such as `eu-west-1`. */
  readonly region: string;
  /** Each stack's state is `<keyPrefix>/<stack>.tfstate`. */
  readonly keyPrefix: string;
}

/** The state backend of every stack of a spec: make one with `Backend.local()` or `Backend.s3(...)`. */
export interface BackendSettings {
  readonly type: BackendType;
  /** Set when `type` is S3. */
  readonly s3?: S3BackendSettings;
}

/** The two state backends. */
export class Backend {
  /** A local state file per stack, in `rainbow-state/` beside the spec (or the output folder). */
  public static local(): BackendSettings {
    return { type: BackendType.LOCAL };
  }

  /** The state of each stack in `s3://<bucket>/<keyPrefix>/<stack>.tfstate`. */
  public static s3(settings: S3BackendSettings): BackendSettings {
    return { type: BackendType.S3, s3: { bucket: settings.bucket, region: settings.region, keyPrefix: settings.keyPrefix } };
  }

  private constructor() {}
}

/** Whether a color still runs: a color's `state` in the spec. */
export enum ColorState {
  /** Running; it gets its weight of the traffic. */
  LIVE = 'live',
  /** Its stack is emptied: everything it had is destroyed once no traffic reaches it. */
  RETIRED = 'retired',
}

export interface ColorSpec {
  readonly name: string;
  readonly image: string;
  readonly weight: number;
  readonly replicas: number;
  readonly state: ColorState;
  readonly resources: ResourceSettings;
  /** Plain environment variables: the spec's, then the color's. */
  readonly env: { [name: string]: string };
  /** Variables read from Kubernetes Secrets: references only, never values. */
  readonly secretEnv: { [name: string]: SecretKeySelector };
  readonly migration?: MigrationSettings;
  readonly autoscaling?: AutoscalingSettings;
  /** Annotations of the color's pods: the spec's, then the color's. */
  readonly podAnnotations: { [key: string]: string };
  // preview, capacity, expiry
  /**
   * When the color expires, as written in the spec: an ISO 8601 date or date-time, UTC when it
   * names no zone. `rainbow expire` retires it from then on, once it is at weight 0.
   * @default - the color never expires
   */
  readonly expires?: string;
}

export const HEALTH_CHECK_DEFAULTS: HealthCheckSettings = { path: '/healthz', periodSeconds: 10, failureThreshold: 3, startupSeconds: 60 };
export const DEFAULT_KUBERNETES_ROUTER = KubernetesRouter.GATEWAY_API;
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
export const DEFAULT_GATEWAY_API_CHANNEL = GatewayApiChannel.STANDARD;
// preview, capacity, expiry
export const DEFAULT_MAX_LOAD_FACTOR = 2;

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
  return spec.colors.filter((c) => c.state !== ColorState.RETIRED);
}
