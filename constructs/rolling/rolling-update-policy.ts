import { disruptionBudgetMaxUnavailable, ecsDeploymentPercents, kubernetesRollingUpdate, ROLLING_UPDATE_DEFAULTS, RollingUpdateSettings, validateRollingUpdate } from '../../spec/rolling';
import { Quantity } from '../../spec/quantity';
import { throwIfProblems } from '../../spec/problem';

export interface RollingUpdatePolicyProps {
  /**
   * How many pods may run above the desired count during an update.
   * @default Quantity.percent(25)
   */
  readonly maxSurge?: Quantity;
  /**
   * How many pods may be missing from the desired count during an update.
   * @default Quantity.count(0) - zero downtime: a pod leaves only once its replacement is ready
   */
  readonly maxUnavailable?: Quantity;
  /**
   * How long a new pod must stay ready before it counts as available and the next one is replaced.
   * @default 0
   */
  readonly minReadySeconds?: number;
  /**
   * How long an update may make no progress before it is reported failed (and Terraform stops).
   * @default 600
   */
  readonly progressDeadlineSeconds?: number;
}

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
    const settings: RollingUpdateSettings = {
      maxSurge: props.maxSurge ?? ROLLING_UPDATE_DEFAULTS.maxSurge,
      maxUnavailable: props.maxUnavailable ?? ROLLING_UPDATE_DEFAULTS.maxUnavailable,
      minReadySeconds: props.minReadySeconds ?? ROLLING_UPDATE_DEFAULTS.minReadySeconds,
      progressDeadlineSeconds: props.progressDeadlineSeconds ?? ROLLING_UPDATE_DEFAULTS.progressDeadlineSeconds,
    };
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
