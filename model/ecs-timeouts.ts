import { ecsTaskCounts, RollingUpdateSettings } from './rolling';

/**
 * The Terraform AWS provider waits 20 minutes by default for an `aws_ecs_service` to be created,
 * updated (to a steady state, with `wait_for_steady_state`) or deleted (to INACTIVE)
 * (hashicorp/terraform-provider-aws, internal/service/ecs/service.go, `Timeouts`).
 */
export const ECS_PROVIDER_DEFAULT_TIMEOUT_SECONDS = 1200;

/**
 * Allowance for a Fargate task to be placed, get its network interface, pull its image and start
 * its container, before the first health check. Not a platform guarantee: a margin.
 */
export const ECS_TASK_START_SECONDS = 120;

/** The container's `stopTimeout` that EcsColor sets: SIGTERM, then this long before SIGKILL. */
export const ECS_STOP_TIMEOUT_SECONDS = 30;

/** Consecutive passing checks before the target group calls a new task healthy (EcsColor's `healthy_threshold`). */
export const ECS_HEALTHY_THRESHOLD = 2;

/** Margin for the API calls around a deletion (scale to 0, DeleteService, polling for INACTIVE). */
const ECS_DELETE_MARGIN_SECONDS = 300;

export interface EcsTimeoutInputs {
  readonly rollingUpdate: RollingUpdateSettings;
  /** Desired task count. */
  readonly replicas: number;
  /** The target group's deregistration delay. */
  readonly drainSeconds: number;
  /** The service's `health_check_grace_period_seconds`. */
  readonly graceSeconds: number;
  readonly healthCheck: { readonly periodSeconds: number; readonly failureThreshold: number };
}

/** How long Terraform waits for an ECS service: its `timeouts` block, in seconds. */
export interface EcsServiceTimeouts {
  /** Every task started and healthy. */
  readonly createSeconds: number;
  /** A rolling update, or its rollback by the circuit breaker. */
  readonly updateSeconds: number;
  /** Every task drained and stopped. */
  readonly deleteSeconds: number;
}

/**
 * The circuit breaker's failed-task threshold: half the desired count, at least 3, at most 200
 * (Amazon ECS API Reference, ServiceDeploymentCircuitBreaker).
 */
export function circuitBreakerThreshold(replicas: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * Math.max(1, replicas))));
}

/**
 * How long Terraform may wait for an ECS service, so that a slow but healthy rollout never times
 * out while ECS is still working: never below the provider's default.
 *
 * A rolling update replaces `surge + unavailable` tasks at a time. Each round, a new task starts
 * and passes its health checks (start allowance, grace period, minReadySeconds, two passing
 * checks), and an old one is deregistered and drained (`drainSeconds`) and stopped
 * (`stopTimeout`). The provider waits for the deployment's outcome, and with the circuit breaker
 * that may be a rollback: so an update may take the rounds of the rollout, the failed tasks that
 * trip the breaker, and the rounds of the rollback. A creation has no old tasks and starts every
 * task at once. A deletion scales to 0 and waits until every task has drained and stopped.
 */
export function ecsServiceTimeouts(inputs: EcsTimeoutInputs): EcsServiceTimeouts {
  const n = Math.max(1, inputs.replicas);
  const { surge, unavailable } = ecsTaskCounts(inputs.rollingUpdate, n);
  const perRound = Math.min(n, surge + unavailable);
  const rounds = Math.ceil(n / perRound);
  const period = inputs.healthCheck.periodSeconds;
  const { ready, drained } = ecsRoundSeconds(inputs);
  const failed =
    ECS_TASK_START_SECONDS +
    inputs.graceSeconds +
    inputs.healthCheck.failureThreshold * period +
    ECS_STOP_TIMEOUT_SECONDS;
  const threshold = circuitBreakerThreshold(n);

  const rollout = rounds * (ready + drained);
  const update = rollout + Math.ceil(threshold / perRound) * failed + rollout;
  const create = ready + Math.ceil(threshold / n) * failed;
  const remove = drained + ECS_DELETE_MARGIN_SECONDS;
  const floor = (seconds: number) => Math.max(ECS_PROVIDER_DEFAULT_TIMEOUT_SECONDS, seconds);
  return { createSeconds: floor(create), updateSeconds: floor(update), deleteSeconds: floor(remove) };
}

/**
 * One round of an ECS rolling update, in seconds: `ready`, a new task started and through its
 * grace period, minReadySeconds and two passing checks; `drained`, an old task deregistered,
 * drained and stopped. The timeouts above and `rainbow preview`'s estimate share it.
 */
export function ecsRoundSeconds(inputs: Omit<EcsTimeoutInputs, 'replicas'>): { ready: number; drained: number } {
  const ready =
    ECS_TASK_START_SECONDS +
    inputs.graceSeconds +
    inputs.rollingUpdate.minReadySeconds +
    ECS_HEALTHY_THRESHOLD * inputs.healthCheck.periodSeconds;
  return { ready, drained: inputs.drainSeconds + ECS_STOP_TIMEOUT_SECONDS };
}
