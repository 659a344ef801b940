/**
 * The startup probe that gives a new container `startupSeconds` to answer its health check:
 * probing every 10 s (or every second for allowances under 10 s), failing after enough probes
 * to cover the allowance. Kubernetes allows `periodSeconds × failureThreshold` seconds
 * (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes),
 * so the allowance is at least `startupSeconds` and less than one period more.
 * Undefined for 0: no startup probe.
 */
export function startupProbeTiming(
  startupSeconds: number,
): { periodSeconds: number; failureThreshold: number } | undefined {
  if (startupSeconds <= 0) return undefined;
  const periodSeconds = startupSeconds < 10 ? 1 : 10;
  return { periodSeconds, failureThreshold: Math.ceil(startupSeconds / periodSeconds) };
}
