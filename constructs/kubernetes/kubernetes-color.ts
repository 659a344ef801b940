import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Construct } from 'constructs';
import { prefixProblems, throwIfProblems } from '../../spec/problem';
import { limitBelowRequestProblems, ResourceSettings } from '../../spec/resources';
import { mergeResources } from '../../spec/validate';
import { colorStackName, DEFAULT_PORT, DEFAULT_REPLICAS, HEALTH_CHECK_DEFAULTS, HealthCheckSettings } from '../../spec/types';
import { validateWorkload } from '../../spec/workload';
import { RollingUpdatePolicy } from '../rolling/rolling-update-policy';
import { withoutTokens } from '../tokens';
import { colorLabels, selectorLabels } from './labels';

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
}

export interface ResourceQuantities {
  /** A Kubernetes CPU quantity such as `100m`. @default - no value */
  readonly cpu?: string;
  /** A Kubernetes memory quantity such as `128Mi`. @default - no value */
  readonly memory?: string;
}

export interface ResourceRequirements {
  /** @default { cpu: "100m", memory: "128Mi" } */
  readonly requests?: ResourceQuantities;
  /** @default - no limits */
  readonly limits?: ResourceQuantities;
}

export interface KubernetesColorProps {
  /** The application; with the color it names every resource `<app>-<color>`. */
  readonly app: string;
  /** The color: one complete, parallel version of the application. */
  readonly color: string;
  /** Container image, such as `ghcr.io/acme/shop:1.4.0`. */
  readonly image: string;
  /**
   * Namespace of the Deployment, Service and PodDisruptionBudget. It must exist.
   * @default - the app name
   */
  readonly namespace?: string;
  /** @default 2 */
  readonly replicas?: number;
  /**
   * The port the container listens on; the Service exposes the same port.
   * @default 8080
   */
  readonly port?: number;
  /** @default RollingUpdatePolicy.zeroDowntime() */
  readonly rollingUpdate?: RollingUpdatePolicy;
  /** @default - GET /healthz every 10 s, 3 failures take the pod out */
  readonly healthCheck?: HealthCheck;
  /** @default - requests of 100m CPU and 128Mi memory, no limits */
  readonly resources?: ResourceRequirements;
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
export class KubernetesColor extends Construct {
  /** `<app>-<color>`: the name of the Deployment, the Service and the PodDisruptionBudget. */
  public readonly name: string;
  public readonly namespace: string;
  public readonly replicas: number;
  public readonly port: number;
  public readonly rollingUpdate: RollingUpdatePolicy;
  public readonly healthCheck: HealthCheckSettings;
  public readonly resources: ResourceSettings;
  /** Labels that select this color's pods, and only them. */
  public readonly selectorLabels: Record<string, string>;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly podDisruptionBudget: PodDisruptionBudgetV1;

  constructor(scope: Construct, id: string, props: KubernetesColorProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `KubernetesColor ${this.node.path}`);

    this.name = colorStackName(props.app, props.color);
    this.namespace = props.namespace ?? props.app;
    this.replicas = props.replicas ?? DEFAULT_REPLICAS;
    this.port = props.port ?? DEFAULT_PORT;
    this.rollingUpdate = props.rollingUpdate ?? RollingUpdatePolicy.zeroDowntime();
    this.healthCheck = {
      path: props.healthCheck?.path ?? HEALTH_CHECK_DEFAULTS.path,
      periodSeconds: props.healthCheck?.periodSeconds ?? HEALTH_CHECK_DEFAULTS.periodSeconds,
      failureThreshold: props.healthCheck?.failureThreshold ?? HEALTH_CHECK_DEFAULTS.failureThreshold,
    };
    this.resources = mergeResources(undefined, props.resources);
    this.selectorLabels = selectorLabels(props.app, props.color);
    const labels = colorLabels(props.app, props.color);
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const strategy = this.rollingUpdate.kubernetesRollingUpdate();

    this.deployment = new DeploymentV1(this, 'Resource', {
      metadata,
      waitForRollout: true,
      spec: {
        replicas: String(this.replicas),
        minReadySeconds: this.rollingUpdate.minReadySeconds,
        progressDeadlineSeconds: this.rollingUpdate.progressDeadlineSeconds,
        selector: { matchLabels: this.selectorLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: strategy.maxSurge, maxUnavailable: strategy.maxUnavailable } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            container: [{
              name: props.app,
              image: props.image,
              port: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
              readinessProbe: {
                httpGet: { path: this.healthCheck.path, port: 'http' },
                periodSeconds: this.healthCheck.periodSeconds,
                failureThreshold: this.healthCheck.failureThreshold,
              },
              resources: {
                requests: { ...this.resources.requests },
                ...(Object.keys(this.resources.limits).length === 0 ? {} : { limits: { ...this.resources.limits } }),
              },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volume: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });

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
}

function validateProps(props: KubernetesColorProps) {
  const problems = validateWorkload(withoutTokens({
    app: props.app,
    color: props.color,
    image: props.image,
    namespace: props.namespace,
    replicas: props.replicas,
    port: props.port,
    healthCheckPath: props.healthCheck?.path,
    healthCheckPeriodSeconds: props.healthCheck?.periodSeconds,
    healthCheckFailureThreshold: props.healthCheck?.failureThreshold,
    cpuRequest: props.resources?.requests?.cpu,
    memoryRequest: props.resources?.requests?.memory,
    cpuLimit: props.resources?.limits?.cpu,
    memoryLimit: props.resources?.limits?.memory,
  }));
  if (problems.length === 0) problems.push(...prefixProblems('resources', limitBelowRequestProblems(mergeResources(undefined, props.resources))));
  return problems;
}
