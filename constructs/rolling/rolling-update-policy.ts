import {
  disruptionBudgetMaxUnavailable,
  Ec2InstanceRefreshValues,
  ec2InstanceRefresh,
  EcsDeploymentPercents,
  ecsDeploymentPercents,
  eksUpdateConfig,
  EksUpdateConfigValues,
  kubernetesRollingUpdate,
  KubernetesRollingUpdateValues,
  resolveRollingUpdate,
  ROLLING_UPDATE_DEFAULTS,
  RollingUpdatePolicyProps,
  RollingUpdateSettings,
  validateRollingUpdate,
} from '../../model/rolling';
import { Quantity } from '../../model/quantity';
import { throwIfProblems } from '../../model/problem';

export type { RollingUpdatePolicyProps } from '../../model/rolling';

/**
 * One rolling update policy for every platform: a few at a time, the next only after the
 * previous is confirmed healthy. Mapped onto each platform by the constructs that use it.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 */
export class RollingUpdatePolicy {
  /** maxSurge 25%, maxUnavailable 0: capacity never drops below the desired count. */
  public static zeroDowntime(): RollingUpdatePolicy {
    return new RollingUpdatePolicy(ROLLING_UPDATE_DEFAULTS);
  }

  /** A policy from its fields. Throws a RainbowValidationError listing every problem. */
  public static of(props: RollingUpdatePolicyProps = {}): RollingUpdatePolicy {
    const settings = resolveRollingUpdate(props);
    throwIfProblems(validateRollingUpdate(settings), 'RollingUpdatePolicy');
    return new RollingUpdatePolicy(settings);
  }

  /** How many pods may run above the desired count during an update: the given maxSurge, or its default. */
  public readonly maxSurge: Quantity;
  /** How many pods may be missing from the desired count during an update: the given maxUnavailable, or its default. */
  public readonly maxUnavailable: Quantity;
  /**
   * How long a new pod must stay ready before it counts as available and the next one is
   * replaced: the given minReadySeconds, or its default.
   */
  public readonly minReadySeconds: number;
  /**
   * How long an update may make no progress before it is reported failed: the given progressDeadlineSeconds, or its
   * default.
   */
  public readonly progressDeadlineSeconds: number;

  private constructor(settings: RollingUpdateSettings) {
    this.maxSurge = settings.maxSurge;
    this.maxUnavailable = settings.maxUnavailable;
    this.minReadySeconds = settings.minReadySeconds;
    this.progressDeadlineSeconds = settings.progressDeadlineSeconds;
  }

  /**
   * The policy as plain data, every field present, as a resolved spec holds it.
   * @deprecated use the policy's own fields (`maxSurge`, `maxUnavailable`, `minReadySeconds`,
   * `progressDeadlineSeconds`): the policy is the resolved value
   */
  public get settings(): RollingUpdatePolicyProps {
    return {
      maxSurge: this.maxSurge,
      maxUnavailable: this.maxUnavailable,
      minReadySeconds: this.minReadySeconds,
      progressDeadlineSeconds: this.progressDeadlineSeconds,
    };
  }

  /** `strategy.rollingUpdate` of a Kubernetes Deployment. */
  public kubernetesRollingUpdate(): KubernetesRollingUpdateValues {
    return kubernetesRollingUpdate(this);
  }

  /** The PodDisruptionBudget's maxUnavailable for a replica count: maxUnavailable resolved, at least 1. */
  public disruptionBudgetMaxUnavailable(replicas: number): number {
    return disruptionBudgetMaxUnavailable(this, replicas);
  }

  /**
   * ECS deployment percents for a desired task count, with ECS's rounding (minimum up, maximum
   * down) giving the same task counts as Kubernetes.
   */
  public ecsDeployment(desiredCount: number): EcsDeploymentPercents {
    return ecsDeploymentPercents(this, desiredCount);
  }

  /**
   * An EC2 Auto Scaling instance refresh's healthy percents and the group's max size for a desired
   * instance count, with Auto Scaling's rounding giving the same instance counts as Kubernetes.
   * Ec2Color refuses a policy whose surge and unavailable add up to more than the count.
   */
  public ec2InstanceRefresh(desiredCount: number): Ec2InstanceRefreshValues {
    return ec2InstanceRefresh(this, desiredCount);
  }

  /** An EKS managed node group's `update_config`. RollingNodeGroup refuses a policy EKS cannot follow. */
  public eksUpdateConfig(): EksUpdateConfigValues {
    return eksUpdateConfig(this);
  }
}
