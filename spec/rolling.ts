import { MESSAGES, received } from './messages';
import { Problem } from './problem';
import { Quantity } from './quantity';

/** The platform-neutral rolling update policy (DESIGN.md, "Rolling update policy"): `rollingUpdate` in the spec and the props. */
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

/** A rolling update policy with every default filled in. */
export interface RollingUpdateSettings {
  /** How many pods may run above the desired count during an update. */
  readonly maxSurge: Quantity;
  /** How many pods may be missing from the desired count during an update. */
  readonly maxUnavailable: Quantity;
  /** How long a new pod must stay ready before it counts as available. */
  readonly minReadySeconds: number;
  /** How long an update may make no progress before it is reported failed. */
  readonly progressDeadlineSeconds: number;
}

/** A Kubernetes Deployment's `strategy.rollingUpdate`: IntOrString values, as strings. */
export interface KubernetesRollingUpdateValues {
  /** `25%` or `1`. */
  readonly maxSurge: string;
  /** `0` or `10%`. */
  readonly maxUnavailable: string;
}

/** An ECS service's deployment percents. */
export interface EcsDeploymentPercents {
  /** `deployment_minimum_healthy_percent`. */
  readonly minimumHealthyPercent: number;
  /** `deployment_maximum_percent`. */
  readonly maximumPercent: number;
}

/** Zero downtime: one extra pod in four at a time, never one less than desired. */
export const ROLLING_UPDATE_DEFAULTS: RollingUpdateSettings = {
  maxSurge: Quantity.percent(25),
  maxUnavailable: Quantity.count(0),
  minReadySeconds: 0,
  progressDeadlineSeconds: 600,
};

/** The policy with its defaults filled in. */
export function resolveRollingUpdate(given: RollingUpdatePolicyProps): RollingUpdateSettings {
  return {
    maxSurge: given.maxSurge ?? ROLLING_UPDATE_DEFAULTS.maxSurge,
    maxUnavailable: given.maxUnavailable ?? ROLLING_UPDATE_DEFAULTS.maxUnavailable,
    minReadySeconds: given.minReadySeconds ?? ROLLING_UPDATE_DEFAULTS.minReadySeconds,
    progressDeadlineSeconds: given.progressDeadlineSeconds ?? ROLLING_UPDATE_DEFAULTS.progressDeadlineSeconds,
  };
}

export const MAX_MIN_READY_SECONDS = 3600;
export const MAX_PROGRESS_DEADLINE_SECONDS = 86400;

/** Problems with a policy; paths are the policy's own field names (`maxSurge`). */
export function validateRollingUpdate(settings: RollingUpdateSettings): Problem[] {
  const problems: Problem[] = [];
  const { minReadySeconds, progressDeadlineSeconds } = settings;
  const minReadyValid = Number.isInteger(minReadySeconds) && minReadySeconds >= 0 && minReadySeconds <= MAX_MIN_READY_SECONDS;
  if (!minReadyValid) {
    problems.push({ path: 'minReadySeconds', message: received(minReadySeconds, `a whole number of seconds from 0 to ${MAX_MIN_READY_SECONDS}`) });
  }
  if (!Number.isInteger(progressDeadlineSeconds) || progressDeadlineSeconds < 1 || progressDeadlineSeconds > MAX_PROGRESS_DEADLINE_SECONDS) {
    problems.push({ path: 'progressDeadlineSeconds', message: received(progressDeadlineSeconds, `a whole number of seconds from 1 to ${MAX_PROGRESS_DEADLINE_SECONDS}`) });
  } else if (minReadyValid && progressDeadlineSeconds <= minReadySeconds) {
    problems.push({ path: 'progressDeadlineSeconds', message: MESSAGES.deadlineNotAfterReady(progressDeadlineSeconds, minReadySeconds) });
  }
  if (settings.maxSurge.isZero && settings.maxUnavailable.isZero) {
    problems.push({ path: 'maxSurge', message: MESSAGES.bothZero(settings.maxSurge.toString(), settings.maxUnavailable.toString()) });
  }
  return problems;
}

/** The Kubernetes Deployment `strategy.rollingUpdate` values (IntOrString as strings). */
export function kubernetesRollingUpdate(settings: RollingUpdateSettings): KubernetesRollingUpdateValues {
  return { maxSurge: settings.maxSurge.toString(), maxUnavailable: settings.maxUnavailable.toString() };
}

/**
 * How many pods a PodDisruptionBudget lets voluntary evictions (node drains) take down at once.
 *
 * It follows maxUnavailable as Kubernetes resolves it (a percent rounds down), but never below 1:
 * a budget of 0 would block every drain, for instance with a single replica or the
 * zero-downtime default of maxUnavailable 0.
 */
export function disruptionBudgetMaxUnavailable(settings: RollingUpdateSettings, replicas: number): number {
  return Math.max(1, settings.maxUnavailable.resolve(replicas, false));
}

/**
 * ECS `deployment_minimum_healthy_percent` and `deployment_maximum_percent` for a desired count,
 * chosen so that ECS's own rounding (the minimum rounds up, the maximum down) gives the same
 * task counts as Kubernetes would: `desired - maxUnavailable` healthy (a percent rounding down)
 * and `desired + maxSurge` running (a percent rounding up).
 *
 * Like Kubernetes, when both resolve to 0 tasks (maxUnavailable 10% of 2 tasks, say, with no
 * surge), one task may be unavailable, or the deployment could never start. Exact up to 100
 * tasks; above that a whole percent cannot always say one task, and the surge may be larger.
 * A desired count of 0 is treated as 1.
 */
export function ecsDeploymentPercents(settings: RollingUpdateSettings, desired: number): EcsDeploymentPercents {
  const n = Math.max(1, desired);
  const { surge, unavailable } = ecsTaskCounts(settings, n);
  return {
    minimumHealthyPercent: Math.floor((100 * (n - unavailable)) / n),
    maximumPercent: Math.ceil((100 * (n + surge)) / n),
  };
}

/**
 * How many tasks an ECS deployment may add above the desired count (`surge`, a percent rounding
 * up) and take below it (`unavailable`, rounding down), as Kubernetes would; one task may be
 * unavailable when both resolve to 0, or the deployment could never start. A desired count of
 * 0 is treated as 1.
 */
export function ecsTaskCounts(settings: RollingUpdateSettings, desired: number): { surge: number; unavailable: number } {
  return kubernetesPodCounts(settings, Math.max(1, desired));
}

/**
 * How many pods a Kubernetes rolling update may run above the desired count (`surge`, a percent
 * rounding up) and keep below it (`unavailable`, rounding down, at most the desired count); one
 * pod may be unavailable when both resolve to 0 (ResolveFenceposts and MaxUnavailable in
 * kubernetes/kubernetes, pkg/controller/deployment/util/deployment_util.go).
 */
export function kubernetesPodCounts(settings: RollingUpdateSettings, desired: number): { surge: number; unavailable: number } {
  const surge = settings.maxSurge.resolve(desired, true);
  const unavailable = Math.min(desired, settings.maxUnavailable.resolve(desired, false));
  return { surge, unavailable: surge === 0 && unavailable === 0 ? Math.min(desired, 1) : unavailable };
}
