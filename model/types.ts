import type { ResourceRequirements } from './resources';
import type { RollingUpdatePolicyProps } from './rolling';
import { hasUrlCredentials } from './text';
import type { ProgressionCheck } from './release';
import type { DnsEndpoint, DnsSettings } from './dns';

/** Where the colors of an app run: the spec's `platform`. */
export enum Platform {
  /** Deployments, Services and a Kubernetes router. */
  KUBERNETES = 'kubernetes',
  /** ECS services on Fargate behind an Application Load Balancer. */
  ECS = 'ecs',
  /** EC2 Auto Scaling groups from AMIs, replaced by instance refresh, behind an Application Load Balancer. */
  EC2 = 'ec2',
  /** Each color is an existing endpoint (a cluster, an ALB, a region) behind Route 53 weighted records. */
  DNS = 'dns',
}

/** A spec after validation, with every default filled in. Produced by `Rainbow.loadSpec` / `Rainbow.validateSpec`. */
export interface RainbowSpec {
  /**
   * The application's name, first part of every stack and resource name (`<app>-<color>`,
   * `<app>-router`): a lowercase letter first, then lowercase letters, digits or hyphens, at most 20 characters.
   */
  readonly app: string;
  /** Where the colors run: Kubernetes or ECS. */
  readonly platform: Platform;
  /**
   * Set when the platform is kubernetes.
   * @default - none: the platform is ecs or ec2
   */
  readonly kubernetes?: KubernetesSettings;
  /**
   * Set when the platform is ecs.
   * @default - none: the platform is kubernetes or ec2
   */
  readonly ecs?: EcsSettings;
  /**
   * Set when the platform is ec2.
   * @default - none: the platform is kubernetes or ecs
   */
  readonly ec2?: Ec2Settings;
  /**
   * Set when the platform is dns: the hosted zone, the record name and its TTL, the health checks.
   * @default - none: the platform is kubernetes, ecs or ec2
   */
  readonly dns?: DnsSettings;
  /** How every color replaces its pods or tasks, every default filled in: what `RollingUpdatePolicy.of` takes. */
  readonly rollingUpdate: RollingUpdatePolicyProps;
  /** How every color's pods or tasks are checked, every default filled in. */
  readonly healthCheck: HealthCheck;
  /** What the router does besides the weights: pinning, stickiness, preview hosts. */
  readonly routing: RoutingSettings;
  /** Where Terraform keeps the state of every stack of the spec. */
  readonly backend: BackendSettings;
  /** Seconds a leaving pod keeps serving (0 to 3600): the preStop pause, and the grace period beyond it. */
  readonly drainSeconds: number;
  /** How `rainbow step` moves a color's weight, and how far `rainbow plan` lets one change move it. */
  readonly progression: ProgressionSettings;
  /** Secure defaults the spec weakens on purpose, every one filled in: false unless set. */
  readonly security: SecurityOptions;
  /** Every color of the app in file order, retired ones included. */
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

/**
 * The `kubernetes` block of a resolved spec: where the colors run in the cluster, and which router splits their
 * traffic.
 */
export interface KubernetesSettings {
  /** Namespace of the colors and the routing objects. It must exist. The spec's default is the app name. */
  readonly namespace: string;
  /** What splits the traffic between the colors. The spec's default is gateway-api. */
  readonly router: KubernetesRouter;
  /**
   * Set for the gateway-api router: the Gateway its HTTPRoute attaches to.
   * @default - none: the router is not gateway-api
   */
  readonly gateway?: GatewayReference;
  /**
   * Set for the nginx router: the IngressClass of the ingress-nginx controller (the spec's default is "nginx").
   * @default - none: the router is not nginx
   */
  readonly ingressClassName?: string;
  /**
   * nginx router only: a TLS Secret for the host (and, with preview hosts, for `*.<host>`).
   * @default - no TLS on the Ingresses
   */
  readonly tlsSecretName?: string;
  /**
   * Set for the istio router: the Istio Gateways of the VirtualService, each `namespace/name` or `mesh`.
   * @default - none: the router is not istio
   */
  readonly istioGateways?: string[];
  /** Hostname the router answers for, such as `shop.example.com`. */
  readonly host: string;
  /** The port the containers listen on and their Services expose, 1 to 65535. The spec's default is 8080. */
  readonly port: number;
  /**
   * The kubeconfig context the Kubernetes provider uses, in the environment that runs `cdktf deploy`.
   * @default - `KUBE_CTX` in that environment, else the kubeconfig's current context (the provider's `config_context`)
   */
  readonly context?: string;
  /**
   * The service account the pods run as. It must exist in the namespace.
   * @default - the namespace's default service account, without its token mounted
   */
  readonly serviceAccountName?: string;
  /** Secrets in the namespace that the pods pull their image with. Empty for none. */
  readonly imagePullSecrets: string[];
  /**
   * Set for the gateway-api router: which CRD channel the cluster has (the spec's default is standard).
   * @default - none: the router is not gateway-api
   */
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

/**
 * The `ecs` block of a resolved spec: the existing cluster, network and ALB listener of the colors, and their task
 * size.
 */
export interface EcsSettings {
  /** AWS region of the services, such as `eu-west-1`. The listener must be in it. */
  readonly region: string;
  /** Name or ARN of an existing ECS cluster. */
  readonly cluster: string;
  /** VPC of the target groups, such as `vpc-0abc1234`. */
  readonly vpcId: string;
  /** Subnets the tasks run in, at least one. */
  readonly subnetIds: string[];
  /** Security groups of the tasks, at least one: only these are attached to them. */
  readonly securityGroupIds: string[];
  /** ARN of the existing ALB listener the app's rules go on. */
  readonly listenerArn: string;
  /** Host-header condition of the app's listener rules, such as `shop.example.com`. */
  readonly host: string;
  /** The first listener rule priority of the app, 1 to 49000. It uses this one to `rulePriority + 1000`. */
  readonly rulePriority: number;
  /** The container port and the target group port, 1 to 65535. The spec's default is 8080. */
  readonly port: number;
  /** Fargate cpu units of a task: 256, 512, 1024, 2048, 4096, 8192 or 16384. The spec's default is 256. */
  readonly cpu: number;
  /** Fargate memory of a task in MiB, one that `cpu` allows. The spec's default is 512. */
  readonly memory: number;
  /**
   * Days CloudWatch Logs keeps the logs, a retention it accepts (1, 3, 5, 7, 14, 30, ... 3653).
   * The spec's default is 30.
   */
  readonly logRetentionDays: number;
  /**
   * ARN of the IAM role the application's code runs with.
   * @default - no task role: the code gets no AWS permissions
   */
  readonly taskRoleArn?: string;
  /**
   * CloudWatch alarms that stop a deployment of any color's service and roll it back when one
   * goes into ALARM (the service's deployment alarms).
   * @default - no alarms: only the deployment circuit breaker rolls a deployment back
   */
  readonly alarms?: string[];
}

/** The `ec2` block: where the instances of every color run and how they start. */
export interface Ec2Settings {
  /** AWS region of the instances, such as `eu-west-1`. The listener must be in it. */
  readonly region: string;
  /** VPC of the target groups, such as `vpc-0abc1234`. */
  readonly vpcId: string;
  /** Subnets the groups launch instances in, at least one. */
  readonly subnetIds: string[];
  /** Security groups of the instances, at least one: only these are attached to them. */
  readonly securityGroupIds: string[];
  /** ARN of the existing ALB listener the app's rules go on. */
  readonly listenerArn: string;
  /** Host-header condition of the app's listener rules, such as `shop.example.com`. */
  readonly host: string;
  /** The first listener rule priority of the app; it uses this one to `rulePriority + 1000`. */
  readonly rulePriority: number;
  /** The port the application listens on in each instance, and the target group's port. */
  readonly port: number;
  /** The instance type of the colors that do not set their own, such as `t3.small`. */
  readonly instanceType: string;
  /**
   * A script or cloud-init document every instance runs at its first boot, the same for every color.
   * @default - none
   */
  readonly userData?: string;
  /**
   * The name of the IAM instance profile the instances run with.
   * @default - none: the instances get no AWS permissions
   */
  readonly instanceProfile?: string;
  /**
   * CloudWatch alarms that stop an instance refresh of any color and roll it back when one goes
   * into ALARM (the refresh's alarm specification).
   * @default - no alarms: a refresh rolls back only when instances fail their health checks
   */
  readonly alarms?: string[];
}

/**
 * The Gateway an HTTPRoute attaches to (its `parentRefs`): `kubernetes.gateway` in the spec and the
 * GatewayApiRouter's `gateway` prop. It must exist.
 */
export interface GatewayReference {
  /** Name of the Gateway the route attaches to. */
  readonly name: string;
  /**
   * Namespace of the Gateway. Required in a spec file.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * One listener of the Gateway.
   * @default - every listener that accepts the route
   */
  readonly sectionName?: string;
}

/**
 * How a color's pods (or tasks) are checked: the spec's `healthCheck` and the colors'
 * `healthCheck` prop. A resolved spec holds it with every default filled in.
 */
export interface HealthCheck {
  /**
   * HTTP path of the readiness probe. A pod gets traffic, and the rollout moves on, only once it answers 2xx or 3xx.
   * "/" first, no whitespace, at most 1024 characters.
   * @default "/healthz"
   */
  readonly path?: string;
  /**
   * Seconds between two probes, 1 to 3600. On ECS it is the target group's interval, 5 to 300.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Failed probes in a row before the pod is taken out of the service, 1 to 100. On ECS 2 to 10.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * How long a new container may take to start answering the health check (0 to 3600). On
   * Kubernetes a startup probe restarts a container that has not answered by then; on ECS it is
   * the service's health check grace period (the field to set there: ECS refuses minReadySeconds).
   * @default 60
   */
  readonly startupSeconds?: number;
}

/** What the router does besides the weights: `routing` in a resolved spec. */
export interface RoutingSettings {
  /**
   * A request whose header of this name equals a color's name goes to that color, whatever its weight.
   * @default - no pin header
   */
  readonly pinHeader?: string;
  /**
   * The same client keeps the same color for this many seconds, 1 to 604800.
   * @default - no stickiness
   */
  readonly stickySeconds?: number;
  /** Every color that is not retired is also served at `<color>.<host>`. */
  readonly previewHosts: boolean;
}

/**
 * The only ways to weaken the secure defaults, each explicit: `security` in the spec and the
 * colors' `security` prop. `rainbow status` shows the ones set, and synthesis fails when a resource
 * is weaker than these allow.
 */
export interface SecurityOptions {
  /** Kubernetes: containers may run as root (runAsNonRoot false). @default false */
  readonly allowRunAsRoot?: boolean;
  /** Kubernetes and ECS: the root filesystem may be writable. @default false */
  readonly allowWritableRootFilesystem?: boolean;
  /** Kubernetes: the service account token may be mounted into pods. @default false */
  readonly allowServiceAccountToken?: boolean;
  /** ECS and EC2: tasks or instances may get a public IP. @default false */
  readonly allowPublicIp?: boolean;
  /**
   * env may hold a plain value under a name that looks like a secret (PASSWORD, TOKEN, ...), or a URL with credentials.
   * @default false
   */
  readonly allowPlainSecretEnv?: boolean;
  /**
   * Kubernetes and ECS: a color's image may have no tag, or the tag latest, and so change under it on its next restart
   * (model/images.ts).
   * @default false
   */
  readonly allowMutableTags?: boolean;
}

export const SECURE_DEFAULTS: Required<SecurityOptions> = {
  allowRunAsRoot: false,
  allowWritableRootFilesystem: false,
  allowServiceAccountToken: false,
  allowPublicIp: false,
  allowPlainSecretEnv: false,
  allowMutableTags: false,
};

/** The allowances with their defaults: each one given, else false. */
export function resolveSecurity(options: SecurityOptions | undefined): Required<SecurityOptions> {
  const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined));
  return { ...SECURE_DEFAULTS, ...given };
}

/** Which platform each allowance applies to. */
export const ALLOWANCE_PLATFORMS: Record<keyof SecurityOptions, readonly Platform[]> = {
  allowRunAsRoot: [Platform.KUBERNETES],
  allowWritableRootFilesystem: [Platform.KUBERNETES, Platform.ECS],
  allowServiceAccountToken: [Platform.KUBERNETES],
  allowPublicIp: [Platform.ECS, Platform.EC2],
  allowPlainSecretEnv: [Platform.KUBERNETES, Platform.ECS],
  allowMutableTags: [Platform.KUBERNETES, Platform.ECS],
};

/**
 * A variable name that says it holds a secret: `*PASS*` (PASSWORD, PASSWD, PASSPHRASE), `*PWD*`,
 * `*SECRET*`, `*TOKEN*`, `*KEY*` (API_KEY, PRIVATE_KEY, ACCESS_KEY), `*AUTH*`, `*CREDENTIAL*`.
 * Broad on purpose: a false alarm costs one `security.allowPlainSecretEnv`, a miss leaks a secret.
 */
export const SECRET_LIKE_NAME = /(PASS|PWD|SECRET|TOKEN|KEY|AUTH|CREDENTIAL)/i;

/**
 * A plain variable that would put a secret in the spec and the state: by its name, or a URL with credentials in its
 * value.
 */
export function isPlainSecret(name: string, value: unknown): boolean {
  return typeof value === 'string' && value !== '' && (SECRET_LIKE_NAME.test(name) || hasUrlCredentials(value));
}

/** How traffic moves to a color: `progression` in a resolved spec. */
export interface ProgressionSettings {
  /**
   * The weights `rainbow step` moves a color through, increasing, each 1 to 100. In a spec file a
   * step may also be `pause` (not first, not last, not twice in a row): it goes to `pauseAfter`.
   * @default - no steps: `rainbow step` refuses to run
   */
  readonly steps?: number[];
  /**
   * The steps after whose bake `rainbow release` stops (outcome paused, exit 3) until it is run
   * again: each a weight of `steps`, the last excepted. A spec file writes `pause` after them in `steps`.
   * @default - none: a release goes through every step
   */
  readonly pauseAfter?: number[];
  /**
   * The most any color's weight may move in one change before plan calls it unsafe, 1 to 100. The spec's default is 50.
   */
  readonly maxStepPercent: number;
  /**
   * How many times its share of the serving capacity a color's share of the traffic may be before plan calls it unsafe
   * (the under-capacity rule).
   */
  readonly maxLoadFactor: number;
  /**
   * How long after `rainbow add` a new color expires: a whole number and `h`, `d` or `w`, such as `7d`.
   * @default - `rainbow add` gives new colors no expiry
   */
  readonly defaultExpiry?: string;
  /**
   * Seconds `rainbow release` watches each step before the next, 0 to 86400; 0 runs the checks
   * once right after the step's deploy.
   * @default 300
   */
  readonly bakeSeconds?: number;
  /**
   * Seconds between two runs of the checks while a step bakes, 1 to 3600, at most bakeSeconds.
   * A Prometheus query or a command that takes longer fails.
   * @default 30
   */
  readonly checkIntervalSeconds?: number;
  /**
   * Seconds after each step's deploy before its checks begin, 0 to 3600, at most bakeSeconds when
   * bakeSeconds is above 0: the runs then follow every checkIntervalSeconds from there, the last at
   * the end of the bake. With bakeSeconds 0 the one run waits this long.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Failed runs of one check a step tolerates, 0 to 100; one more rolls the release back.
   * @default 0
   */
  readonly failureLimit?: number;
  /**
   * Runs of one check in a row that could not reach their source (a timeout, a refused connection,
   * a 5xx from Prometheus, a command that could not start) a step tolerates, 0 to 100; one more
   * rolls the release back. Such a run is an error, not a failure.
   * @default 4
   */
  readonly consecutiveErrorLimit?: number;
  /**
   * Inconclusive runs of one check (no data, with `onEmpty: inconclusive`) a step tolerates, 0 to
   * 100; one more pauses the release (outcome paused, exit 3), and running it again bakes the step again.
   * @default 0
   */
  readonly inconclusiveLimit?: number;
  /**
   * Seconds the checks keep running after the last step's bake, 0 to 86400; a failure then rolls
   * the release back.
   * @default 0
   */
  readonly postPromotionSeconds?: number;
  /**
   * What `rainbow release` checks while each step bakes.
   * @default - no checks: a release only waits bakeSeconds at each step
   */
  readonly checks?: ProgressionCheck[];
  /**
   * The names of the environment variables of `rainbow release` that command checks get, at most
   * 50, each once: a command check's environment is PATH, HOME, LANG, the RAINBOW_* variables and
   * these, so that the cloud and git credentials of a pipeline reach only the commands that are
   * given them.
   * @default - none: PATH, HOME, LANG and RAINBOW_* only
   */
  readonly checkEnv?: string[];
  /**
   * Checks `rainbow release` runs once at three moments: before the first step, after the last,
   * and after a rollback.
   * @default - no hooks
   */
  readonly hooks?: ReleaseHooks;
  /**
   * Where `rainbow release` POSTs one JSON event per change (started, step, paused, promoted,
   * rolled-back, failed), at most 10; retried, never waited for more than a few seconds.
   * @default - no notifications
   */
  readonly notify?: NotifyTarget[];
}

/**
 * The checks of `progression.hooks`: each list runs once, every check of it at once, and passes only when every run
 * passes.
 */
export interface ReleaseHooks {
  /**
   * Before the first step, with the color at weight 0; HTTP checks get the color's pin header
   * (`routing.pinHeader: <color>`). A failure ends the release with nothing shifted.
   * @default - none
   */
  readonly preRollout?: ProgressionCheck[];
  /**
   * Once, after the last step (and postPromotionSeconds); a failure rolls back.
   * @default - none
   */
  readonly postPromotion?: ProgressionCheck[];
  /**
   * After a rollback is deployed; a failure is reported, nothing else changes.
   * @default - none
   */
  readonly onRollback?: ProgressionCheck[];
}

/** A receiver of `rainbow release`'s events: `progression.notify[]`. */
export interface NotifyTarget {
  /** An `http://` or `https://` URL without credentials; no placeholders. */
  readonly url: string;
}

/** A Job run to completion before a color's workload is created or updated: `migration` in the spec and the props. */
export interface MigrationJobOptions {
  /** The command and its arguments, e.g. `["./manage", "migrate"]`. */
  readonly command: string[];
  /**
   * The image the Job runs.
   * @default - the color's image
   */
  readonly image?: string;
  /**
   * Retries before the migration counts as failed, 0 to 10.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Removed: any value is refused, and finished migration Jobs are kept until the color is retired.
   * @default - none: the Job is never deleted by a TTL
   * @deprecated Refused: a Job deleted by a TTL is created again by the next apply, which runs the
   * migration again. Finished migration Jobs are kept until the color is retired.
   */
  readonly ttlSeconds?: number;
}

/** A HorizontalPodAutoscaler on CPU: `autoscaling` in the spec and the props. */
export interface AutoscalingOptions {
  /**
   * The fewest pods, 1 to 10000, and the count a new color starts with. Required (or its deprecated alias
   * `minReplicas`).
   * @default - none: required, unless `minReplicas` is given
   */
  readonly min?: number;
  /**
   * The most pods, 1 to 10000, at least `min`. Required (or its deprecated alias `maxReplicas`).
   * @default - none: required, unless `maxReplicas` is given
   */
  readonly max?: number;
  /**
   * Average CPU use, in percent of the request, that the autoscaler aims for: 1 to 1000.
   * @default 80
   */
  readonly cpuPercent?: number;
  /**
   * The old name of `min`.
   * @default - none: give `min`
   * @deprecated use `min`, the spec's name
   */
  readonly minReplicas?: number;
  /**
   * The old name of `max`.
   * @default - none: give `max`
   * @deprecated use `max`, the spec's name
   */
  readonly maxReplicas?: number;
}

/** A variable read from a Kubernetes Secret: only the reference ever reaches Terraform. */
export interface SecretKeySelector {
  /** Name of a Secret in the color's namespace. */
  readonly secret: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Where Terraform keeps the state of each stack. */
export enum BackendType {
  /** A local file per stack, in `rainbow-state/` beside the spec. */
  LOCAL = 'local',
  /** An object per stack in an S3 bucket, encrypted, with an S3 lock file. */
  S3 = 's3',
  /** A folder per stack in a Google Cloud Storage bucket, with the backend's own lock object. */
  GCS = 'gcs',
  /** A blob per stack in an Azure storage container, locked with a blob lease. */
  AZURERM = 'azurerm',
  /** An HCP Terraform (or Terraform Enterprise) workspace per stack. */
  CLOUD = 'cloud',
  /** A Kubernetes Secret per stack, locked with a Lease. */
  KUBERNETES = 'kubernetes',
}

/** An S3 state backend: `backend.s3` in the spec. */
export interface S3BackendSettings {
  /** The bucket, which must exist. */
  readonly bucket: string;
  /** The bucket's region, such as `eu-west-1`. */
  readonly region: string;
  /** Each stack's state is `<keyPrefix>/<stack>.tfstate`. */
  readonly keyPrefix: string;
}

/**
 * A Google Cloud Storage state backend: `backend.gcs` in the spec.
 * @see https://developer.hashicorp.com/terraform/language/backend/gcs
 */
export interface GcsBackendSettings {
  /** The bucket, which must exist. */
  readonly bucket: string;
  /** Each stack's state is `<prefix>/<stack>/default.tfstate`, its lock `<prefix>/<stack>/default.tflock`. */
  readonly prefix: string;
}

/**
 * An Azure Blob Storage state backend: `backend.azurerm` in the spec.
 * @see https://developer.hashicorp.com/terraform/language/backend/azurerm
 */
export interface AzurermBackendSettings {
  /** The resource group of the storage account. */
  readonly resourceGroupName: string;
  /** The storage account, which must exist: 3 to 24 lowercase letters and digits. */
  readonly storageAccountName: string;
  /** The blob container, which must exist. */
  readonly containerName: string;
  /** Each stack's state is the blob `<keyPrefix>/<stack>.tfstate`. */
  readonly keyPrefix: string;
}

/**
 * An HCP Terraform (or Terraform Enterprise) state backend, Terraform's `cloud` block:
 * `backend.cloud` in the spec. Each stack has its own workspace, `<workspacePrefix>-<stack>`.
 * @see https://developer.hashicorp.com/terraform/cli/cloud/settings
 */
export interface CloudBackendSettings {
  /** The organization that holds the workspaces. */
  readonly organization: string;
  /** Each stack's workspace is `<workspacePrefix>-<stack>`. */
  readonly workspacePrefix: string;
  /**
   * The host of HCP Terraform or of a Terraform Enterprise installation.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
  /**
   * The project new workspaces are created in.
   * @default - the organization's default project
   */
  readonly project?: string;
}

/**
 * A Kubernetes state backend: `backend.kubernetes` in the spec. Each stack's state is the Secret
 * `tfstate-default-<secretSuffixPrefix>-<stack>` in `namespace`, locked with a Lease.
 * @see https://developer.hashicorp.com/terraform/language/backend/kubernetes
 */
export interface KubernetesBackendSettings {
  /** The namespace of the state Secrets, which must exist. */
  readonly namespace: string;
  /** Each stack's `secret_suffix` is `<secretSuffixPrefix>-<stack>`. */
  readonly secretSuffixPrefix: string;
  /**
   * The kubeconfig context of the cluster that keeps the Secrets (the kubeconfig is KUBE_CONFIG_PATH's).
   * @default - in a spec, `kubernetes.context`; else KUBE_CTX, or the kubeconfig's current context
   */
  readonly context?: string;
}

/**
 * The state backend of every stack of a spec: make one with `Backend.local()`, `Backend.s3(...)`,
 * `Backend.gcs(...)`, ...
 */
export interface BackendSettings {
  /**
   * Which backend: a local file per stack, or an S3 object, GCS folder, Azure blob, HCP Terraform workspace or
   * Kubernetes Secret.
   */
  readonly type: BackendType;
  /**
   * Set when `type` is S3: the bucket, region and key prefix.
   * @default - none: another backend
   */
  readonly s3?: S3BackendSettings;
  /**
   * Set when `type` is GCS: the bucket and prefix.
   * @default - none: another backend
   */
  readonly gcs?: GcsBackendSettings;
  /**
   * Set when `type` is AZURERM: the storage account, container and key prefix.
   * @default - none: another backend
   */
  readonly azurerm?: AzurermBackendSettings;
  /**
   * Set when `type` is CLOUD: the organization and the workspaces' prefix.
   * @default - none: another backend
   */
  readonly cloud?: CloudBackendSettings;
  /**
   * Set when `type` is KUBERNETES: the namespace and the Secrets' suffix prefix.
   * @default - none: another backend
   */
  readonly kubernetes?: KubernetesBackendSettings;
}

/** The state backends. */
export class Backend {
  /** A local state file per stack, in `rainbow-state/` beside the spec (or the output folder). */
  public static local(): BackendSettings {
    return { type: BackendType.LOCAL };
  }

  /** The state of each stack in `s3://<bucket>/<keyPrefix>/<stack>.tfstate`. */
  public static s3(settings: S3BackendSettings): BackendSettings {
    return {
      type: BackendType.S3,
      s3: { bucket: settings.bucket, region: settings.region, keyPrefix: settings.keyPrefix },
    };
  }

  /** The state of each stack in `gs://<bucket>/<prefix>/<stack>/default.tfstate`. */
  public static gcs(settings: GcsBackendSettings): BackendSettings {
    return { type: BackendType.GCS, gcs: { bucket: settings.bucket, prefix: settings.prefix } };
  }

  /** The state of each stack in the blob `<keyPrefix>/<stack>.tfstate` of a storage container. */
  public static azurerm(settings: AzurermBackendSettings): BackendSettings {
    const { resourceGroupName, storageAccountName, containerName, keyPrefix } = settings;
    return { type: BackendType.AZURERM, azurerm: { resourceGroupName, storageAccountName, containerName, keyPrefix } };
  }

  /** The state of each stack in the HCP Terraform workspace `<workspacePrefix>-<stack>`. */
  public static cloud(settings: CloudBackendSettings): BackendSettings {
    const { organization, workspacePrefix, hostname, project } = settings;
    return {
      type: BackendType.CLOUD,
      cloud: {
        organization,
        workspacePrefix,
        ...(hostname === undefined ? {} : { hostname }),
        ...(project === undefined ? {} : { project }),
      },
    };
  }

  /** The state of each stack in the Secret `tfstate-default-<secretSuffixPrefix>-<stack>`. */
  public static kubernetes(settings: KubernetesBackendSettings): BackendSettings {
    const { namespace, secretSuffixPrefix, context } = settings;
    return {
      type: BackendType.KUBERNETES,
      kubernetes: { namespace, secretSuffixPrefix, ...(context === undefined ? {} : { context }) },
    };
  }

  private constructor() {}
}

/** Whether a color still runs: a color's `state` in the spec. */
export enum ColorState {
  /** Running, with its weight of the traffic. */
  LIVE = 'live',
  /** Its stack is emptied: everything it had is destroyed once no traffic reaches it. */
  RETIRED = 'retired',
}

/**
 * One color of a resolved spec, with the spec's shared settings merged in: what its stack `<app>-<color>` is built
 * from.
 */
export interface ColorSpec {
  /**
   * The color's name, unique in the spec: lowercase letters, digits and hyphens, at most 20 characters, not `router`.
   */
  readonly name: string;
  /**
   * Container image, such as `ghcr.io/acme/shop:1.4.0` (an AMI on ec2; on dns the endpoint's hostname or alias name).
   */
  readonly image: string;
  /** Whole percent of the traffic, 0 to 100. The weights of the colors that are not retired add up to 100. */
  readonly weight: number;
  /**
   * Pods (or tasks) the color runs, 0 to 10000. With autoscaling, the autoscaler's minimum. The spec's default is 2; on
   * dns always 0 (no workload of its own).
   */
  readonly replicas: number;
  /** Whether the color runs, or is retired and its stack emptied. The spec's default is live. */
  readonly state: ColorState;
  /** Requests and limits of the container: the defaults, then the spec's, then the color's. */
  readonly resources: ResourceRequirements;
  /** Plain environment variables: the spec's, then the color's. */
  readonly env: { [name: string]: string };
  /** Variables read from Kubernetes Secrets: references only, never values. */
  readonly secretEnv: { [name: string]: SecretKeySelector };
  /**
   * A Job run to completion before the color's workload is created or updated: the color's, else the spec's.
   * @default - no migration
   */
  readonly migration?: MigrationJobOptions;
  /**
   * A HorizontalPodAutoscaler on CPU: the color's, else the spec's.
   * @default - a fixed replica count
   */
  readonly autoscaling?: AutoscalingOptions;
  /** Annotations of the color's pods: the spec's, then the color's. */
  readonly podAnnotations: { [key: string]: string };
  /**
   * EC2: the color's instance type, when it overrides `ec2.instanceType`.
   * @default - `ec2.instanceType`
   */
  readonly instanceType?: string;
  /**
   * dns: where the color's record points, a hostname or an alias target. The color's `image` is
   * then the endpoint's name, so that status and plan show what each color serves.
   * @default - none: the platform is not dns
   */
  readonly endpoint?: DnsEndpoint;
  /**
   * When the color expires, as written in the spec: an ISO 8601 date or date-time, UTC when it
   * names no zone. `rainbow expire` retires it from then on, once it is at weight 0.
   * @default - the color never expires
   */
  readonly expires?: string;
  /**
   * A cohort: requests with every header and cookie given, at exactly these values, go to this
   * color whatever the weights (model/cohorts.ts; docs/kubernetes.md, "Cohorts").
   * @default - no cohort: the color gets requests by weight only
   */
  readonly match?: CohortMatch;
}

/** The requests of a cohort: every header and every cookie given, each with exactly its value. */
export interface CohortMatch {
  /**
   * Headers and their exact values, such as `{ "x-beta-user": "true" }`. Names are case-insensitive HTTP tokens.
   * @default - no header condition
   */
  readonly headers?: { [name: string]: string };
  /**
   * Cookies and their exact values, such as `{ cohort: "beta" }`, matched in the Cookie header.
   * @default - no cookie condition
   */
  readonly cookies?: { [name: string]: string };
}

export const HEALTH_CHECK_DEFAULTS: Required<HealthCheck> = {
  path: '/healthz',
  periodSeconds: 10,
  failureThreshold: 3,
  startupSeconds: 60,
};
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
export const DEFAULT_MAX_LOAD_FACTOR = 2;

// Limits that the texts of model/messages.ts state. It reads them from here, a module that imports
// no message at run time, so that its texts are built from them while it loads; the rules that
// hold these limits (model/fields.ts, model/aws.ts, ...) read them from here too.

/**
 * A percent is a whole number from 0 to MAX_PERCENT: a color's weight (the weights of the colors
 * that are not retired add up to exactly MAX_PERCENT), a step of `progression.steps`, and the
 * percent of a Quantity.
 */
export const MAX_PERCENT = 100;

/**
 * DNS names (RFC 1035, RFC 1123), which Kubernetes names follow: a label (a namespace, a check
 * name) has at most 63 characters, a whole name (a host, most object names, a Secret key) at most 253.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
export const DNS_NAME_LIMITS = { labelLength: 63, nameLength: 253 } as const;

/**
 * Kubernetes' own lengths beside the DNS ones: a label value, and the name part of a qualified
 * name (an annotation or label key after its optional prefix and "/").
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
export const KUBERNETES_NAME_LIMITS = { labelValueLength: 63, qualifiedNameLength: 63 } as const;

/** The longest environment variable name (`env`, `secretEnv`, `progression.checkEnv`). */
export const MAX_ENV_NAME_LENGTH = 256;

/**
 * The hexadecimal digits of an EC2 resource id after its prefix (`vpc-`, `subnet-`, `sg-`, `ami-`,
 * `lt-`): 8 in the ids of older resources, 17 in newer ones.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html
 */
export const EC2_ID_DIGITS = [8, 17] as const;

/**
 * Annotation keys that controllers outside cdktf-rainbow add to the root metadata of Services and
 * workloads, and that Terraform would otherwise remove on every apply: GKE's NEG controller
 * (hashicorp/terraform-provider-kubernetes#445) and Rancher (field.cattle.io/publicEndpoints).
 * Keys under *.kubernetes.io (deployment.kubernetes.io/revision, kubectl.kubernetes.io/...) need
 * no entry: the provider already drops them from root metadata (isInternalKey).
 */
export const DEFAULT_IGNORE_ANNOTATIONS: readonly string[] = [
  '^cloud\\.google\\.com/neg(-status)?$',
  '^field\\.cattle\\.io/',
];
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
