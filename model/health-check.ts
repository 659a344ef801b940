import { AWS_LIMITS } from './aws';
import { FIELDS } from './fields';
import { MESSAGES } from './messages';
import { Problem } from './problem';

/**
 * What an ALB target group health check allows beyond the platform-neutral bounds (paths
 * `periodSeconds`, `failureThreshold`). Only values within those bounds are judged here, so that
 * a value out of both is reported once.
 */
export function albHealthCheckProblems(health: {
  readonly periodSeconds?: unknown;
  readonly failureThreshold?: unknown;
}): Problem[] {
  const problems: Problem[] = [];
  const within = (v: number, limits: { min: number; max: number }) => v >= limits.min && v <= limits.max;
  const { healthCheckInterval: interval, unhealthyThreshold: threshold } = AWS_LIMITS;
  const period = health.periodSeconds;
  if (typeof period === 'number' && FIELDS.healthCheckPeriodSeconds.test(period) && !within(period, interval)) {
    problems.push({
      path: 'periodSeconds',
      message: MESSAGES.ecsHealthCheck('an interval', period, `from ${interval.min} to ${interval.max} seconds`),
    });
  }
  const failures = health.failureThreshold;
  if (
    typeof failures === 'number' &&
    FIELDS.healthCheckFailureThreshold.test(failures) &&
    !within(failures, threshold)
  ) {
    problems.push({
      path: 'failureThreshold',
      message: MESSAGES.ecsHealthCheck('an unhealthy threshold', failures, `from ${threshold.min} to ${threshold.max}`),
    });
  }
  return problems;
}
