import { EXPECTED, received } from './messages';
import { Problem } from './problem';
import { isResourceQuantity } from './resources';
import { isAppName, isColorName, isDnsLabel, isDnsSubdomain, isHeaderName, isHostname, isImage, isWholeNumber } from './schema';
import { MAX_DRAIN_SECONDS, MAX_REPLICAS, MAX_STARTUP_SECONDS, MAX_STICKY_SECONDS } from './types';

/**
 * Checks of construct props in library mode, with the same rules and texts as the spec file.
 * Each takes the values that were given (undefined = not given, default applies) and returns
 * problems whose paths are the prop names.
 */
export interface WorkloadFields {
  readonly app?: unknown;
  readonly color?: unknown;
  readonly namespace?: unknown;
  readonly image?: unknown;
  readonly replicas?: unknown;
  readonly port?: unknown;
  readonly host?: unknown;
  readonly pinHeader?: unknown;
  readonly healthCheckPath?: unknown;
  readonly healthCheckPeriodSeconds?: unknown;
  readonly healthCheckFailureThreshold?: unknown;
  readonly healthCheckStartupSeconds?: unknown;
  readonly cpuRequest?: unknown;
  readonly memoryRequest?: unknown;
  readonly cpuLimit?: unknown;
  readonly memoryLimit?: unknown;
  readonly drainSeconds?: unknown;
  readonly serviceAccountName?: unknown;
  readonly migrationImage?: unknown;
  readonly migrationBackoffLimit?: unknown;
  readonly minReplicas?: unknown;
  readonly maxReplicas?: unknown;
  readonly cpuPercent?: unknown;
  readonly stickySeconds?: unknown;
}

type Check = readonly [keyof WorkloadFields, string, string, (v: unknown) => boolean, boolean];

// [field, path shown, allowed, test, required]
const CHECKS: readonly Check[] = [
  ['app', 'app', EXPECTED.app, isAppName, true],
  ['color', 'color', EXPECTED.colorName, isColorName, true],
  ['namespace', 'namespace', EXPECTED.namespace, isDnsLabel, false],
  ['image', 'image', EXPECTED.image, isImage, true],
  ['replicas', 'replicas', EXPECTED.count(0, MAX_REPLICAS), isWholeNumber(0, MAX_REPLICAS), false],
  ['port', 'port', EXPECTED.port, isWholeNumber(1, 65535), false],
  ['host', 'host', EXPECTED.host, isHostname, true],
  ['pinHeader', 'pinHeader', EXPECTED.pinHeader, isHeaderName, false],
  ['healthCheckPath', 'healthCheck.path', EXPECTED.healthPath, (v) => typeof v === 'string' && /^\/\S*$/.test(v), false],
  ['healthCheckPeriodSeconds', 'healthCheck.periodSeconds', EXPECTED.seconds(1, 3600), isWholeNumber(1, 3600), false],
  ['healthCheckFailureThreshold', 'healthCheck.failureThreshold', EXPECTED.count(1, 100), isWholeNumber(1, 100), false],
  ['healthCheckStartupSeconds', 'healthCheck.startupSeconds', EXPECTED.startupSeconds(0, MAX_STARTUP_SECONDS), isWholeNumber(0, MAX_STARTUP_SECONDS), false],
  ['cpuRequest', 'resources.requests.cpu', EXPECTED.cpu, isResourceQuantity, false],
  ['memoryRequest', 'resources.requests.memory', EXPECTED.memory, isResourceQuantity, false],
  ['cpuLimit', 'resources.limits.cpu', EXPECTED.cpu, isResourceQuantity, false],
  ['memoryLimit', 'resources.limits.memory', EXPECTED.memory, isResourceQuantity, false],
  ['drainSeconds', 'drainSeconds', EXPECTED.seconds(0, MAX_DRAIN_SECONDS), isWholeNumber(0, MAX_DRAIN_SECONDS), false],
  ['serviceAccountName', 'serviceAccountName', EXPECTED.objectName, isDnsSubdomain, false],
  ['migrationImage', 'migration.image', EXPECTED.image, isImage, false],
  ['migrationBackoffLimit', 'migration.backoffLimit', EXPECTED.count(0, 10), isWholeNumber(0, 10), false],
  ['minReplicas', 'autoscaling.minReplicas', EXPECTED.count(1, MAX_REPLICAS), isWholeNumber(1, MAX_REPLICAS), false],
  ['maxReplicas', 'autoscaling.maxReplicas', EXPECTED.count(1, MAX_REPLICAS), isWholeNumber(1, MAX_REPLICAS), false],
  ['cpuPercent', 'autoscaling.cpuPercent', EXPECTED.count(1, 1000), isWholeNumber(1, 1000), false],
  ['stickySeconds', 'stickySeconds', EXPECTED.seconds(1, MAX_STICKY_SECONDS), isWholeNumber(1, MAX_STICKY_SECONDS), false],
];

/** Problems with the given fields; fields absent from `fields` (the key not present) are not checked. */
export function validateWorkload(fields: WorkloadFields): Problem[] {
  const problems: Problem[] = [];
  for (const [key, path, allowed, test, required] of CHECKS) {
    if (!(key in fields)) continue;
    const value = fields[key];
    if (value === undefined && !required) continue;
    if (!test(value)) problems.push({ path, message: received(value, allowed) });
  }
  return problems;
}
