import { FIELDS } from './fields';
import { MESSAGES, received } from './messages';
import { Problem } from './problem';
import {
  AutoscalingOptions,
  DEFAULT_CPU_PERCENT,
  DEFAULT_REPLICAS,
  HEALTH_CHECK_DEFAULTS,
  HealthCheck,
  MigrationJobOptions,
  MIGRATION_DEFAULTS,
} from './types';

/**
 * A color's own settings: their defaults and the rules between their fields, written once for the
 * spec (spec-rules.ts, spec-file/validate.ts) and the constructs (KubernetesColor, EcsColor). Paths are relative to the
 * setting (`min`, `ttlSeconds`); each caller prefixes its own.
 */

/**
 * The resolved forms of the colors' settings: the one public type of each concept with every
 * default filled in, and without the deprecated aliases. Internal: the public API (the resolved
 * spec, the constructs' attributes) declares the public type.
 */
export type ResolvedAutoscaling = Required<Pick<AutoscalingOptions, 'min' | 'max' | 'cpuPercent'>>;
export type ResolvedMigration = Required<Pick<MigrationJobOptions, 'command' | 'image' | 'backoffLimit'>>;

/** The health check with its defaults filled in. */
export function resolveHealthCheck(given: HealthCheck | undefined): Required<HealthCheck> {
  return {
    path: given?.path ?? HEALTH_CHECK_DEFAULTS.path,
    periodSeconds: given?.periodSeconds ?? HEALTH_CHECK_DEFAULTS.periodSeconds,
    failureThreshold: given?.failureThreshold ?? HEALTH_CHECK_DEFAULTS.failureThreshold,
    startupSeconds: given?.startupSeconds ?? HEALTH_CHECK_DEFAULTS.startupSeconds,
  };
}

/** The autoscaler's bounds as given, under their names or their deprecated aliases. */
function bounds(given: AutoscalingOptions): { min: number | undefined; max: number | undefined } {
  return { min: given.min ?? given.minReplicas, max: given.max ?? given.maxReplicas };
}

/** The autoscaler with its target filled in; undefined without one. Only for options without problems. */
export function resolveAutoscaling(given: AutoscalingOptions | undefined): ResolvedAutoscaling | undefined {
  if (given === undefined) return undefined;
  const { min, max } = bounds(given);
  return { min: min!, max: max!, cpuPercent: given.cpuPercent ?? DEFAULT_CPU_PERCENT };
}

/** The migration with its image (the color's) and retries filled in; undefined without one. */
export function resolveMigration(
  given: Pick<MigrationJobOptions, 'command' | 'image' | 'backoffLimit'> | undefined,
  colorImage: string,
): ResolvedMigration | undefined {
  if (given === undefined) return undefined;
  return {
    command: given.command,
    image: given.image ?? colorImage,
    backoffLimit: given.backoffLimit ?? MIGRATION_DEFAULTS.backoffLimit,
  };
}

/**
 * Seconds a leaving pod gets between the end of its drain pause and SIGKILL: the drain, then this
 * long for the process to exit after SIGTERM.
 */
export const EXIT_SECONDS_AFTER_DRAIN = 10;

/** The pod's `terminationGracePeriodSeconds`: the drain pause, then the time to exit. */
export function terminationGracePeriodSeconds(drainSeconds: number): number {
  return drainSeconds + EXIT_SECONDS_AFTER_DRAIN;
}

/** The Kubernetes provider's default wait for a Deployment, 10 minutes: a color never waits less for a rollout. */
export const KUBERNETES_PROVIDER_DEFAULT_TIMEOUT_SECONDS = 600;

/** Pods a color starts with: the autoscaler's minimum, else the replicas given, else the default. */
export function resolveReplicas(replicas: number | undefined, autoscaling: AutoscalingOptions | undefined): number {
  return autoscaling?.min ?? replicas ?? DEFAULT_REPLICAS;
}

/**
 * Rules between an autoscaler's fields: min and max present (under either name, required in the
 * props, where TypeScript cannot require one of two names), min no larger than max.
 * `checkPresence` is false for the spec file, whose schema already requires them.
 */
export function autoscalingProblems(given: AutoscalingOptions, checkPresence = true): Problem[] {
  const { min, max } = bounds(given);
  const problems: Problem[] = [];
  if (checkPresence) {
    if (min === undefined) problems.push({ path: 'min', message: received(undefined, FIELDS.autoscalingMin.expected) });
    if (max === undefined) problems.push({ path: 'max', message: received(undefined, FIELDS.autoscalingMax.expected) });
  }
  if (FIELDS.autoscalingMin.test(min) && FIELDS.autoscalingMax.test(max) && (min as number) > (max as number)) {
    problems.push({ path: 'min', message: MESSAGES.minAboveMax(min as number, max as number) });
  }
  return problems;
}

/** Replicas and an autoscaler are exclusive (path `replicas`). */
export function replicasWithAutoscalingProblems(replicas: unknown, hasAutoscaling: boolean): Problem[] {
  return hasAutoscaling && typeof replicas === 'number'
    ? [{ path: 'replicas', message: MESSAGES.replicasWithAutoscaling(replicas) }]
    : [];
}

/** The removed migration TTL (path `ttlSeconds`). */
export function migrationTtlProblems(migration: { readonly ttlSeconds?: unknown } | undefined): Problem[] {
  const value = migration?.ttlSeconds;
  return value === undefined ? [] : [{ path: 'ttlSeconds', message: MESSAGES.migrationTtlRemoved(value) }];
}
