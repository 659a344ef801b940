import {
  disruptionBudgetMaxUnavailable, ecsDeploymentPercents, kubernetesRollingUpdate, resolveRollingUpdate, ROLLING_UPDATE_DEFAULTS, RollingUpdatePolicyProps,
  RollingUpdateSettings, validateRollingUpdate,
} from '../../spec/rolling';
import { Quantity } from '../../spec/quantity';
import { throwIfProblems } from '../../spec/problem';

export type { RollingUpdatePolicyProps } from '../../spec/rolling';

/**
 * One rolling update policy for every platform: a few at a time, the next only after the
 * previous is confirmed healthy. Mapped onto each platform by the constructs that use it.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 */
export class RollingUpdatePolicy implements RollingUpdateSettings {
  /** maxSurge 25%, maxUnavailable 0: capacity never drops below the desired count. */
  public static zeroDowntime(): RollingUpdatePolicy {
    return new RollingUpdatePolicy(ROLLING_UPDATE_DEFAULTS);
  }

  /** A policy from its fields; throws a RainbowValidationError listing every problem. */
  public static of(props: RollingUpdatePolicyProps = {}): RollingUpdatePolicy {
    const settings = resolveRollingUpdate(props);
    throwIfProblems(validateRollingUpdate(settings), 'RollingUpdatePolicy');
    return new RollingUpdatePolicy(settings);
  }

  public readonly maxSurge: Quantity;
  public readonly maxUnavailable: Quantity;
  public readonly minReadySeconds: number;
  public readonly progressDeadlineSeconds: number;

  private constructor(settings: RollingUpdateSettings) {
    this.maxSurge = settings.maxSurge;
    this.maxUnavailable = settings.maxUnavailable;
    this.minReadySeconds = settings.minReadySeconds;
    this.progressDeadlineSeconds = settings.progressDeadlineSeconds;
  }

  /** `strategy.rollingUpdate` of a Kubernetes Deployment. */
  public kubernetesRollingUpdate(): { maxSurge: string; maxUnavailable: string } {
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
  public ecsDeployment(desiredCount: number): { minimumHealthyPercent: number; maximumPercent: number } {
    return ecsDeploymentPercents(this, desiredCount);
  }
}
