import { DeploymentV1, DeploymentV1SpecTemplateSpec } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type { DataKubernetesResources } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resources';
import type { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import type { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { ITerraformDependable } from '../core';
import { Construct } from 'constructs';
import { prefixProblems, throwIfProblems } from '../../model/problem';
import { limitBelowRequestProblems, mergeResources, ResourceRequirements } from '../../model/resources';
import { withTextProblems } from '../../model/document-text';
import { environmentProblems, environmentValueProblems } from '../../model/environment';
import { EXPECTED, received } from '../../model/messages';
import {
  AutoscalingOptions,
  colorStackName,
  DEFAULT_DRAIN_SECONDS,
  DEFAULT_PORT,
  defaultNamespace,
  HealthCheck,
  KubernetesRouter,
  MigrationJobOptions,
  SecretKeySelector,
  Platform,
  resolveSecurity,
  SecurityOptions,
} from '../../model/types';
import {
  autoscalingProblems,
  KUBERNETES_PROVIDER_DEFAULT_TIMEOUT_SECONDS,
  migrationTtlProblems,
  replicasWithAutoscalingProblems,
  resolveAutoscaling,
  resolveHealthCheck,
  resolveMigration,
  resolveReplicas,
  terminationGracePeriodSeconds,
} from '../../model/color';
import { isDnsSubdomain } from '../../model/fields';
import { colorImageProblems } from '../../model/images';
import { validateWorkload } from '../../model/workload';
import { IKubernetesColor } from '../common/color';
import { RollingUpdatePolicy } from '../rolling/rolling-update-policy';
import { unlessToken, withoutTokens } from '../tokens';
import { KubernetesColorReference, KubernetesColorReferenceProps } from './kubernetes-color-reference';
import { colorLabels, migrationLabels, selectorLabels } from './labels';
import { rolloutCheck } from './status-checks';
import {
  annotationSizeProblems,
  ISTIO_PROXY_CONFIG_ANNOTATION,
  istioProxyConfig,
  podAnnotationProblems,
} from '../../model/annotations';
import { startupProbeTiming } from '../../model/probes';

export type { ResourceQuantities, ResourceRequirements } from '../../model/resources';
export type { AutoscalingOptions, MigrationJobOptions, SecretKeySelector } from '../../model/types';

/** What a KubernetesColor takes: the app, the color and the image. Everything else has a default. */
export interface KubernetesColorProps {
  /** The application: with the color it names every resource `<app>-<color>`. */
  readonly app: string;
  /** The color: one complete, parallel version of the application. */
  readonly color: string;
  /**
   * Container image, such as `ghcr.io/acme/shop:1.4.0`: a fixed version tag or a digest. Without a tag, or with
   * `latest`, it is refused (with `migration.image`) unless `security.allowMutableTags`.
   */
  readonly image: string;
  /**
   * Namespace of the Deployment, Service and PodDisruptionBudget. It must exist.
   * @default - the app name
   */
  readonly namespace?: string;
  /**
   * Pods of the Deployment, 0 to 10000. With `autoscaling`, its minimum: give none, or the same number.
   * @default 2, or with `autoscaling` its minimum
   */
  readonly replicas?: number;
  /**
   * The port the container listens on, 1 to 65535. The Service exposes the same port.
   * @default 8080
   */
  readonly port?: number;
  /**
   * How the Deployment replaces its pods: how many extra and how many missing at a time.
   * @default RollingUpdatePolicy.zeroDowntime()
   */
  readonly rollingUpdate?: RollingUpdatePolicy;
  /**
   * The readiness probe, and the startup probe that gives a new container time to start.
   * @default - GET /healthz every 10 s, 3 failures take the pod out, 60 s to start
   */
  readonly healthCheck?: HealthCheck;
  /**
   * CPU and memory requests and limits of the container (and of the migration Job's).
   * @default - requests of 100m CPU and 128Mi memory, no limits
   */
  readonly resources?: ResourceRequirements;
  /**
   * How long a leaving pod keeps serving: a preStop pause of this many seconds (the image needs a
   * `sleep` binary), then SIGTERM with 10 more seconds to exit. 0 to 3600; 0 turns the pause off.
   * @default 30
   */
  readonly drainSeconds?: number;
  /**
   * Plain environment variables of the container (and of the migration Job's). A secret goes in
   * `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /** Variables read from Secrets: only references ever reach Terraform. @default - none */
  readonly secretEnv?: { [name: string]: SecretKeySelector };
  /**
   * The service account the pods run as. It must exist in the namespace.
   * @default - the namespace's default service account, without its token mounted
   */
  readonly serviceAccountName?: string;
  /**
   * Secrets in the namespace that the pods pull their image with.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * A Job run to completion before the Deployment is created or updated. If it fails, the color
   * does not start.
   * @default - no migration
   */
  readonly migration?: MigrationJobOptions;
  /**
   * A HorizontalPodAutoscaler on CPU. Terraform then leaves the replica count to it.
   * @default - a fixed replica count
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Annotations of the Deployment's pods (not of the migration Job's: its pod template cannot
   * change without running the migration again).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * The pods run an Istio sidecar: its `proxy.istio.io/config` annotation then makes the proxy
   * drain for the whole termination grace period (drainSeconds + 10 s) instead of Istio's 5 s.
   * @default false
   */
  readonly istioSidecar?: boolean;
  /**
   * Secure defaults this color weakens on purpose (run as root, a writable root filesystem, the
   * service account token, a mutable image tag). Add `SecureDefaults.enforce(stack, sameOptions)` to check the stack.
   * @default - none: the restricted Pod Security Standard
   */
  readonly security?: SecurityOptions;
}

/**
 * One color of an application on Kubernetes: a Deployment that updates itself with a rolling
 * update (Terraform waits for the rollout), a Service selecting only this color's pods, and a
 * PodDisruptionBudget that never blocks every eviction.
 *
 * Pods meet the "restricted" Pod Security Standard: non-root, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp, read-only root filesystem with a writable /tmp,
 * and no service account token mounted.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export class KubernetesColor extends Construct implements IKubernetesColor {
  /** A color of another stack, by its names, for a router's `addColor`. */
  public static fromName(scope: Construct, id: string, props: KubernetesColorReferenceProps): IKubernetesColor {
    return new KubernetesColorReference(scope, id, props);
  }

  public readonly app: string;
  public readonly color: string;
  public readonly platform: Platform = Platform.KUBERNETES;
  /** The Deployment and its rollout check: a router in the same stack routes to the color after them. */
  public readonly rolloutDependencies: ITerraformDependable[];
  /** `<app>-<color>`: the name of the Deployment, the Service and the PodDisruptionBudget. */
  public readonly name: string;
  public readonly namespace: string;
  /** Pods the Deployment starts with: the autoscaler's minimum, else the replicas given, else 2. */
  public readonly replicas: number;
  public readonly port: number;
  /** The rolling update policy of the Deployment. */
  public readonly rollingUpdate: RollingUpdatePolicy;
  /** The health check with every default filled in. */
  public readonly healthCheck: HealthCheck;
  /** Requests and limits of the container, with the defaults merged in. */
  public readonly resources: ResourceRequirements;
  /** Seconds a leaving pod keeps serving: the preStop pause. */
  public readonly drainSeconds: number;
  /**
   * The migration with its image and retries filled in.
   * @default - undefined: no migration
   */
  public readonly migration?: MigrationJobOptions;
  /**
   * The autoscaler with its bounds and target filled in, under their own names.
   * @default - undefined: a fixed replica count
   */
  public readonly autoscaling?: AutoscalingOptions;
  /** Labels that select this color's pods, and only them. */
  public readonly selectorLabels: Record<string, string>;
  /** The Deployment `<app>-<color>`. */
  public readonly deployment: DeploymentV1;
  /** The ClusterIP Service `<app>-<color>`, selecting only this color's pods. */
  public readonly service: ServiceV1;
  /** The PodDisruptionBudget `<app>-<color>`: node drains may always evict at least one pod at a time. */
  public readonly podDisruptionBudget: PodDisruptionBudgetV1;
  /** The migration Job `<app>-<color>-migrate`, when there is a migration. */
  public readonly migrationJob?: JobV1;
  /** The HorizontalPodAutoscaler `<app>-<color>`, when there is `autoscaling`. */
  public readonly autoscaler?: HorizontalPodAutoscalerV2;
  /** Annotations of the Deployment's pods, the Istio proxy config included. */
  public readonly podAnnotations: Record<string, string>;
  /**
   * Reads the Deployment back after each apply and at each plan. Its postcondition fails while the rollout of the
   * current generation has failed or has not finished.
   */
  public readonly rolloutCheck: DataKubernetesResources;

  constructor(scope: Construct, id: string, props: KubernetesColorProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `KubernetesColor ${this.node.path}`);

    this.app = props.app;
    this.color = props.color;
    this.name = colorStackName(props.app, props.color);
    this.namespace = props.namespace ?? defaultNamespace(props.app);
    this.port = props.port ?? DEFAULT_PORT;
    this.rollingUpdate = props.rollingUpdate ?? RollingUpdatePolicy.zeroDowntime();
    const healthCheck = resolveHealthCheck(props.healthCheck);
    this.healthCheck = healthCheck;
    const resources = mergeResources(undefined, props.resources);
    this.resources = resources;
    this.drainSeconds = props.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
    const autoscaling = resolveAutoscaling(props.autoscaling);
    this.autoscaling = autoscaling;
    this.replicas = resolveReplicas(props.replicas, autoscaling);
    const migration = resolveMigration(props.migration, props.image);
    this.migration = migration;
    this.selectorLabels = selectorLabels(props.app, props.color);
    const security = resolveSecurity(props.security);
    const labels = colorLabels(props.app, props.color);
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const strategy = this.rollingUpdate.kubernetesRollingUpdate();
    const container = {
      name: props.app,
      image: props.image,
      env: environment(props.env, props.secretEnv),
      resources: {
        requests: { ...resources.requests },
        ...(Object.keys(resources.limits).length === 0 ? {} : { limits: { ...resources.limits } }),
      },
      securityContext: {
        ...RESTRICTED_CONTAINER,
        runAsNonRoot: !security.allowRunAsRoot,
        readOnlyRootFilesystem: !security.allowWritableRootFilesystem,
      },
      volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
    };
    const pod = {
      automountServiceAccountToken: security.allowServiceAccountToken,
      securityContext: { ...RESTRICTED_POD, runAsNonRoot: !security.allowRunAsRoot },
      volume: [{ name: 'tmp', emptyDir: {} }],
      ...(props.serviceAccountName === undefined ? {} : { serviceAccountName: props.serviceAccountName }),
      ...(props.imagePullSecrets === undefined || props.imagePullSecrets.length === 0
        ? {}
        : { imagePullSecrets: props.imagePullSecrets.map((name) => ({ name })) }),
    };

    if (migration !== undefined) {
      // Loaded only for a migration: the Job bindings alone are 4.7 MB of JavaScript (bench/README.md).
      const { JobV1: Job } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('@cdktf/provider-kubernetes/lib/job-v1') as typeof import('@cdktf/provider-kubernetes/lib/job-v1');
      this.migrationJob = new Job(this, 'Migration', {
        metadata: {
          name: `${this.name}-migrate`,
          namespace: this.namespace,
          labels: migrationLabels(props.app, props.color),
        },
        waitForCompletion: true,
        timeouts: { create: `${MIGRATION_TIMEOUT_SECONDS}s`, update: `${MIGRATION_TIMEOUT_SECONDS}s` },
        spec: {
          // Kubernetes stops a hung migration when Terraform stops waiting for it.
          activeDeadlineSeconds: MIGRATION_TIMEOUT_SECONDS,
          // No ttlSecondsAfterFinished: the provider drops a deleted Job from state and the next apply
          // would create it again, running the migration again. The pod template is ForceNew, so a
          // new image, command or environment replaces the Job and runs it once more, and only then.
          backoffLimit: migration.backoffLimit,
          template: {
            metadata: { labels: migrationLabels(props.app, props.color) },
            spec: {
              ...pod,
              restartPolicy: 'Never',
              container: [{ ...container, name: 'migrate', image: migration.image, command: [...migration.command] }],
            },
          },
        },
      });
    }

    const startup = startupProbeTiming(healthCheck.startupSeconds);
    this.podAnnotations = {
      ...props.podAnnotations,
      ...(props.istioSidecar === true ? { [ISTIO_PROXY_CONFIG_ANNOTATION]: istioProxyConfig(this.drainSeconds) } : {}),
    };
    const podSpec: DeploymentV1SpecTemplateSpec = {
      ...pod,
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(this.drainSeconds),
      container: [
        {
          ...container,
          port: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
          readinessProbe: {
            httpGet: { path: healthCheck.path, port: 'http' },
            periodSeconds: healthCheck.periodSeconds,
            failureThreshold: healthCheck.failureThreshold,
          },
          ...(startup === undefined
            ? {}
            : { startupProbe: { httpGet: { path: healthCheck.path, port: 'http' }, ...startup } }),
          ...(this.drainSeconds === 0
            ? {}
            : { lifecycle: { preStop: [{ exec: { command: ['sleep', String(this.drainSeconds)] } }] } }),
        },
      ],
    };

    const rolloutTimeout = `${rolloutTimeoutSeconds(this.rollingUpdate, healthCheck, autoscaling?.max ?? this.replicas)}s`;
    this.deployment = new DeploymentV1(this, 'Resource', {
      metadata,
      waitForRollout: true,
      timeouts: { create: rolloutTimeout, update: rolloutTimeout },
      ...(this.migrationJob === undefined ? {} : { dependsOn: [this.migrationJob] }),
      lifecycle: {
        ignoreChanges: [
          // The autoscaler owns the replica count; Terraform would otherwise reset it on every apply.
          ...(autoscaling === undefined ? [] : ['spec[0].replicas']),
          // `kubectl rollout restart` sets it; the provider's ignore_annotations do not reach pod templates.
          'spec[0].template[0].metadata[0].annotations["kubectl.kubernetes.io/restartedAt"]',
        ],
      },
      spec: {
        replicas: String(this.replicas),
        minReadySeconds: this.rollingUpdate.minReadySeconds,
        progressDeadlineSeconds: this.rollingUpdate.progressDeadlineSeconds,
        selector: { matchLabels: this.selectorLabels },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: strategy.maxSurge, maxUnavailable: strategy.maxUnavailable },
        },
        template: {
          metadata: {
            labels,
            ...(Object.keys(this.podAnnotations).length === 0 ? {} : { annotations: this.podAnnotations }),
          },
          spec: podSpec,
        },
      },
    });
    this.rolloutCheck = rolloutCheck(this, 'RolloutComplete', this.deployment, props.color, this.name, this.namespace);
    this.rolloutDependencies = [this.deployment, this.rolloutCheck];

    if (autoscaling !== undefined) {
      const { HorizontalPodAutoscalerV2: Autoscaler } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2') as typeof import('@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2');
      this.autoscaler = new Autoscaler(this, 'Autoscaler', {
        metadata,
        spec: {
          minReplicas: autoscaling.min,
          maxReplicas: autoscaling.max,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          metric: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.cpuPercent } },
            },
          ],
        },
      });
    }

    this.service = new ServiceV1(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selectorLabels,
        port: [{ name: 'http', port: this.port, targetPort: 'http', protocol: 'TCP' }],
      },
    });

    this.podDisruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata,
      spec: {
        maxUnavailable: String(this.rollingUpdate.disruptionBudgetMaxUnavailable(this.replicas)),
        selector: { matchLabels: this.selectorLabels },
      },
    });
  }

  /**
   * The old name of `migration`.
   * @deprecated use `migration`
   */
  public get migrationSettings(): MigrationJobOptions | undefined {
    return this.migration;
  }

  /**
   * The old name of `autoscaling`.
   * @deprecated use `autoscaling`
   */
  public get autoscalingSettings(): AutoscalingOptions | undefined {
    return this.autoscaling;
  }
}

function validateProps(props: KubernetesColorProps) {
  const problems = validateWorkload(
    withoutTokens({
      app: props.app,
      color: props.color,
      image: props.image,
      namespace: props.namespace,
      replicas: props.replicas,
      port: props.port,
      healthCheckPath: props.healthCheck?.path,
      healthCheckPeriodSeconds: props.healthCheck?.periodSeconds,
      healthCheckFailureThreshold: props.healthCheck?.failureThreshold,
      healthCheckStartupSeconds: props.healthCheck?.startupSeconds,
      cpuRequest: props.resources?.requests?.cpu,
      memoryRequest: props.resources?.requests?.memory,
      cpuLimit: props.resources?.limits?.cpu,
      memoryLimit: props.resources?.limits?.memory,
      drainSeconds: props.drainSeconds,
      serviceAccountName: props.serviceAccountName,
      migrationImage: props.migration?.image,
      migrationBackoffLimit: props.migration?.backoffLimit,
      minReplicas: props.autoscaling?.min ?? props.autoscaling?.minReplicas,
      maxReplicas: props.autoscaling?.max ?? props.autoscaling?.maxReplicas,
      cpuPercent: props.autoscaling?.cpuPercent,
    }),
  );
  problems.push(
    ...colorImageProblems(
      withoutTokens({ image: props.image, migrationImage: props.migration?.image }),
      props.security,
    ),
  );
  (props.imagePullSecrets ?? []).forEach((name, i) => {
    if (unlessToken(name) !== undefined && !isDnsSubdomain(name))
      problems.push({ path: `imagePullSecrets[${i}]`, message: received(name, EXPECTED.objectName) });
  });
  problems.push(...environmentProblems(props.env, props.secretEnv));
  problems.push(...environmentValueProblems(props.env, props.secretEnv, isUnresolved));
  if (
    props.migration !== undefined &&
    (props.migration.command.length === 0 || props.migration.command.some((arg) => arg.length === 0))
  ) {
    problems.push({ path: 'migration.command', message: received(props.migration.command, EXPECTED.command) });
  }
  // The autoscaler's minimum is the count the color starts with: as the resolved spec holds it, it is no second answer.
  const startsWith = props.autoscaling?.min ?? props.autoscaling?.minReplicas;
  problems.push(
    ...replicasWithAutoscalingProblems(
      props.replicas === startsWith ? undefined : props.replicas,
      props.autoscaling !== undefined,
    ),
  );
  if (props.autoscaling !== undefined)
    problems.push(...prefixProblems('autoscaling', autoscalingProblems(withoutTokens({ ...props.autoscaling }))));
  problems.push(...prefixProblems('migration', migrationTtlProblems(props.migration)));
  const annotations = withoutTokens({ ...props.podAnnotations });
  problems.push(
    ...podAnnotationProblems(
      annotations,
      'podAnnotations',
      props.istioSidecar === true ? KubernetesRouter.ISTIO : undefined,
    ),
  );
  if (problems.length === 0)
    problems.push(...annotationSizeProblems(annotations as Record<string, string>, 'podAnnotations'));
  if (problems.length === 0)
    problems.push(
      ...prefixProblems('resources', limitBelowRequestProblems(mergeResources(undefined, props.resources))),
    );
  // Only the props that hold text from the user: the policy and the allowances are our own objects.
  const { rollingUpdate: _policy, security: _security, ...text } = props;
  return withTextProblems(text, problems);
}

/** How long Terraform waits for a migration Job, and how long Kubernetes lets it run. */
export const MIGRATION_TIMEOUT_SECONDS = 1800;

/**
 * How long Terraform waits for a rollout. Kubernetes itself fails a rollout that makes no progress
 * for progressDeadlineSeconds; this only has to be long enough for one that does progress: every
 * pod may take startupSeconds to start, then its readiness probes and minReadySeconds. Never below the
 * provider's default of 10 minutes.
 */
export function rolloutTimeoutSeconds(
  policy: RollingUpdatePolicy,
  health: Required<HealthCheck>,
  replicas: number,
): number {
  const perPod = policy.minReadySeconds + health.periodSeconds * health.failureThreshold + health.startupSeconds;
  return Math.max(KUBERNETES_PROVIDER_DEFAULT_TIMEOUT_SECONDS, policy.progressDeadlineSeconds + replicas * perPod);
}

const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };

const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Plain variables, then Secret references, each in the order given. */
function environment(env: KubernetesColorProps['env'], secretEnv: KubernetesColorProps['secretEnv']) {
  return [
    ...Object.entries(env ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(secretEnv ?? {}).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } },
    })),
  ];
}

/** A value known only at apply time, left to the API to check. */
const isUnresolved = (value: unknown): boolean => value !== undefined && unlessToken(value) === undefined;
