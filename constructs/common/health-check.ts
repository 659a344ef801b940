import { HEALTH_CHECK_DEFAULTS, HealthCheckSettings } from '../../spec/types';

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
  /**
   * How long a new container may take to start answering the health check (0 to 3600). On
   * Kubernetes a startup probe restarts a container that has not answered by then; on ECS it is
   * the service's health check grace period. minReadySeconds stays the soak after that.
   * @default 60
   */
  readonly startupSeconds?: number;
}

/** The health check with its defaults filled in. */
export function resolveHealthCheck(healthCheck: HealthCheck | undefined): HealthCheckSettings {
  return {
    path: healthCheck?.path ?? HEALTH_CHECK_DEFAULTS.path,
    periodSeconds: healthCheck?.periodSeconds ?? HEALTH_CHECK_DEFAULTS.periodSeconds,
    failureThreshold: healthCheck?.failureThreshold ?? HEALTH_CHECK_DEFAULTS.failureThreshold,
    startupSeconds: healthCheck?.startupSeconds ?? HEALTH_CHECK_DEFAULTS.startupSeconds,
  };
}
