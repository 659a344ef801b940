import { MESSAGES, received } from './messages';
import { Problem } from './problem';
import { Quantity } from './quantity';

/**
 * The platform-neutral rolling update policy (docs/architecture.md, "Rolling update policy"): `rollingUpdate` in the
 * spec and the props.
 */
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
   * On EC2 the instance refresh's warm-up; on ECS it must be 0, since nothing in ECS holds a
   * healthy new task (a task's time to start is `healthCheck.startupSeconds`).
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
 * A rolling update policy with every default filled in, as the functions below take it: a
 * `RollingUpdatePolicy`, or `resolveRollingUpdate(props)`. Internal: the public API has one type
 * for the policy's data, RollingUpdatePolicyProps, and the resolved values are the attributes of
 * RollingUpdatePolicy.
 */
export type RollingUpdateSettings = Required<RollingUpdatePolicyProps>;

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
  const minReadyValid =
    Number.isInteger(minReadySeconds) && minReadySeconds >= 0 && minReadySeconds <= MAX_MIN_READY_SECONDS;
  if (!minReadyValid) {
    problems.push({
      path: 'minReadySeconds',
      message: received(minReadySeconds, `a whole number of seconds from 0 to ${MAX_MIN_READY_SECONDS}`),
    });
  }
  if (
    !Number.isInteger(progressDeadlineSeconds) ||
    progressDeadlineSeconds < 1 ||
    progressDeadlineSeconds > MAX_PROGRESS_DEADLINE_SECONDS
  ) {
    problems.push({
      path: 'progressDeadlineSeconds',
      message: received(
        progressDeadlineSeconds,
        `a whole number of seconds from 1 to ${MAX_PROGRESS_DEADLINE_SECONDS}`,
      ),
    });
  } else if (minReadyValid && progressDeadlineSeconds <= minReadySeconds) {
    problems.push({
      path: 'progressDeadlineSeconds',
      message: MESSAGES.deadlineNotAfterReady(progressDeadlineSeconds, minReadySeconds),
    });
  }
  if (settings.maxSurge.isZero && settings.maxUnavailable.isZero) {
    problems.push({
      path: 'maxSurge',
      message: MESSAGES.bothZero(settings.maxSurge.toString(), settings.maxUnavailable.toString()),
    });
  }
  return problems;
}

/**
 * minReadySeconds on ECS (path `minReadySeconds`): refused above 0, because nothing in an ECS
 * service holds a new task once it is healthy (`aws_ecs_service` has no such argument, and a
 * rolling deployment has no bake time), so a value would promise a soak that never happens. The
 * field that does what is usually meant, time for a new task to start before its failed health
 * checks count, is healthCheck.startupSeconds. A value the field's own rule refuses is left to it.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
 */
export function ecsMinReadyProblems(minReadySeconds: unknown): Problem[] {
  const valid =
    typeof minReadySeconds === 'number' &&
    Number.isInteger(minReadySeconds) &&
    minReadySeconds <= MAX_MIN_READY_SECONDS;
  return valid && minReadySeconds > 0
    ? [{ path: 'minReadySeconds', message: MESSAGES.minReadyOnEcs(minReadySeconds) }]
    : [];
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
export function ecsTaskCounts(
  settings: RollingUpdateSettings,
  desired: number,
): { surge: number; unavailable: number } {
  return kubernetesPodCounts(settings, Math.max(1, desired));
}

/**
 * How many pods a Kubernetes rolling update may run above the desired count (`surge`, a percent
 * rounding up) and keep below it (`unavailable`, rounding down, at most the desired count); one
 * pod may be unavailable when both resolve to 0 (ResolveFenceposts and MaxUnavailable in
 * kubernetes/kubernetes, pkg/controller/deployment/util/deployment_util.go).
 */
export function kubernetesPodCounts(
  settings: RollingUpdateSettings,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = settings.maxSurge.resolve(desired, true);
  const unavailable = Math.min(desired, settings.maxUnavailable.resolve(desired, false));
  return { surge, unavailable: surge === 0 && unavailable === 0 ? Math.min(desired, 1) : unavailable };
}

/** An EC2 Auto Scaling group's instance refresh preferences, and its size around them. */
export interface Ec2InstanceRefreshValues {
  /** `instance_refresh.preferences.min_healthy_percentage`: 100 - unavailable%, 0 to 100. */
  readonly minHealthyPercentage: number;
  /** `instance_refresh.preferences.max_healthy_percentage`: 100 + surge%, 100 to 200. */
  readonly maxHealthyPercentage: number;
  /** Instances a refresh may add above the desired count (maxSurge resolved, rounding up). */
  readonly surge: number;
  /** Instances a refresh may take below the desired count (maxUnavailable resolved, rounding down). */
  readonly unavailable: number;
  /** The group's `max_size`: the desired count and room for the surge. */
  readonly maxSize: number;
}

/**
 * What an instance refresh takes (StartInstanceRefresh, RefreshPreferences): max_healthy_percentage
 * 100 to 200, min_healthy_percentage 0 to 100, and at most 100 between them.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export const INSTANCE_REFRESH_LIMITS = {
  maxHealthyPercentage: { min: 100, max: 200 },
  minHealthyPercentage: { min: 0, max: 100 },
  spread: 100,
} as const;

/**
 * The instance refresh percents for a desired instance count, chosen, as for ECS, so that the
 * group keeps the counts Kubernetes would: `desired - maxUnavailable` healthy (a percent rounding
 * down; Auto Scaling rounds the minimum healthy percentage up) and `desired + maxSurge` in
 * service or pending (a percent rounding up). One instance may be unavailable when both resolve to
 * 0, or the refresh could never start. When the two percents end up 101 apart only through
 * rounding (3 instances, maxSurge 1 and maxUnavailable 2: 134 and 33), the minimum is raised to
 * 100 below the maximum, which AWS takes: one instance fewer may be unavailable. A desired count of
 * 0 is treated as 1. Only for a policy without ec2InstanceRefreshProblems.
 */
export function ec2InstanceRefresh(settings: RollingUpdateSettings, desired: number): Ec2InstanceRefreshValues {
  const n = Math.max(1, desired);
  const { surge, unavailable } = ecsTaskCounts(settings, n);
  const maxHealthyPercentage = Math.ceil((100 * (n + surge)) / n);
  const minHealthyPercentage = Math.max(
    Math.floor((100 * (n - unavailable)) / n),
    maxHealthyPercentage - INSTANCE_REFRESH_LIMITS.spread,
  );
  return { minHealthyPercentage, maxHealthyPercentage, surge, unavailable, maxSize: Math.max(0, desired) + surge };
}

/**
 * The preferences an EC2 color's instance refresh starts with (StartInstanceRefresh's
 * RefreshPreferences), besides SkipMatching and AutoRollback, which are always on.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export interface Ec2RefreshPreferences {
  /** `MinHealthyPercentage`: 100 - unavailable%, 0 to 100. */
  readonly minHealthyPercentage: number;
  /** `MaxHealthyPercentage`: 100 + surge%, 100 to 200. */
  readonly maxHealthyPercentage: number;
  /** `InstanceWarmup`: minReadySeconds, how long a new instance is in service before the next batch. */
  readonly instanceWarmupSeconds: number;
  /**
   * `AlarmSpecification.Alarms`: CloudWatch alarms that fail the refresh, and so roll it back, when one goes into
   * ALARM.
   * @default - none
   */
  readonly alarms?: string[];
}

/**
 * The refresh preferences of a color of `desired` instances: the percents of ec2InstanceRefresh, minReadySeconds as the
 * warm-up, and the alarms.
 */
export function ec2RefreshPreferences(
  settings: RollingUpdateSettings,
  desired: number,
  alarms?: readonly string[],
): Ec2RefreshPreferences {
  const { minHealthyPercentage, maxHealthyPercentage } = ec2InstanceRefresh(settings, desired);
  return {
    minHealthyPercentage,
    maxHealthyPercentage,
    instanceWarmupSeconds: settings.minReadySeconds,
    ...(alarms === undefined || alarms.length === 0 ? {} : { alarms: [...alarms] }),
  };
}

/**
 * A policy an instance refresh of `desired` instances cannot follow (path ``): maxSurge and
 * maxUnavailable together above the desired count, which would need max_healthy_percentage above
 * 200 or more than 100 between the two percents. `color` names the group in the message.
 */
export function ec2InstanceRefreshProblems(settings: RollingUpdateSettings, desired: number, color: string): Problem[] {
  const n = Math.max(1, desired);
  const { surge, unavailable } = ecsTaskCounts(settings, n);
  if (surge + unavailable <= n) return [];
  return [
    {
      path: '',
      message: MESSAGES.instanceRefreshTooWide(
        settings.maxSurge.toString(),
        surge,
        settings.maxUnavailable.toString(),
        unavailable,
        n,
        color,
        INSTANCE_REFRESH_LIMITS,
      ),
    },
  ];
}

/** An EKS managed node group's `update_config`: exactly one of the two is set. */
export interface EksUpdateConfigValues {
  /**
   * `max_unavailable`: nodes updated in parallel, 1 to 100.
   * @default - not set: maxUnavailablePercentage is
   */
  readonly maxUnavailable?: number;
  /**
   * `max_unavailable_percentage`: percent of the nodes updated in parallel, 1 to 100.
   * @default - not set: maxUnavailable is
   */
  readonly maxUnavailablePercentage?: number;
}

/**
 * What an EKS managed node group's `update_config` takes: 1 to 100 nodes or percent
 * (internal/service/eks/node_group.go; the API's NodegroupUpdateConfig).
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupUpdateConfig.html
 */
export const EKS_UPDATE_LIMITS = { maxUnavailable: { min: 1, max: 100 } } as const;

/**
 * maxUnavailable as an EKS node group's `update_config`: a count as `max_unavailable`, a percent as
 * `max_unavailable_percentage`. Zero (the zero-downtime default) is one node, the least EKS takes
 * and its own default: EKS launches the new nodes before it drains an old one, so capacity never
 * drops below the desired count. Only for a policy without eksUpdateProblems.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html
 */
export function eksUpdateConfig(settings: RollingUpdateSettings): EksUpdateConfigValues {
  const unavailable = settings.maxUnavailable;
  if (unavailable.isZero) return { maxUnavailable: EKS_UPDATE_LIMITS.maxUnavailable.min };
  return unavailable.isPercent
    ? { maxUnavailablePercentage: unavailable.value }
    : { maxUnavailable: unavailable.value };
}

/**
 * A policy an EKS managed node group cannot follow (paths `maxSurge`, `maxUnavailable`): a surge
 * other than the default, which EKS chooses itself, and more than 100 nodes at once.
 */
export function eksUpdateProblems(settings: RollingUpdateSettings): Problem[] {
  const problems: Problem[] = [];
  if (settings.maxSurge.toString() !== ROLLING_UPDATE_DEFAULTS.maxSurge.toString()) {
    problems.push({
      path: 'maxSurge',
      message: MESSAGES.eksSurge(settings.maxSurge.toString(), ROLLING_UPDATE_DEFAULTS.maxSurge.toString()),
    });
  }
  const unavailable = settings.maxUnavailable;
  if (!unavailable.isPercent && unavailable.value > EKS_UPDATE_LIMITS.maxUnavailable.max) {
    problems.push({
      path: 'maxUnavailable',
      message: MESSAGES.eksMaxUnavailable(unavailable.value, EKS_UPDATE_LIMITS.maxUnavailable),
    });
  }
  return problems;
}
