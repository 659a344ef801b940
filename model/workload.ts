import { FieldRule, FIELDS } from './fields';
import { received } from './messages';
import { Problem } from './problem';

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

// [field, path shown, rule, required]
type Check = readonly [keyof WorkloadFields, string, FieldRule, boolean];

const CHECKS: readonly Check[] = [
  ['app', 'app', FIELDS.app, true],
  ['color', 'color', FIELDS.colorName, true],
  ['namespace', 'namespace', FIELDS.namespace, false],
  ['image', 'image', FIELDS.image, true],
  ['replicas', 'replicas', FIELDS.replicas, false],
  ['port', 'port', FIELDS.port, false],
  ['host', 'host', FIELDS.host, true],
  ['pinHeader', 'pinHeader', FIELDS.pinHeader, false],
  ['healthCheckPath', 'healthCheck.path', FIELDS.healthCheckPath, false],
  ['healthCheckPeriodSeconds', 'healthCheck.periodSeconds', FIELDS.healthCheckPeriodSeconds, false],
  ['healthCheckFailureThreshold', 'healthCheck.failureThreshold', FIELDS.healthCheckFailureThreshold, false],
  ['healthCheckStartupSeconds', 'healthCheck.startupSeconds', FIELDS.healthCheckStartupSeconds, false],
  ['cpuRequest', 'resources.requests.cpu', FIELDS.cpu, false],
  ['memoryRequest', 'resources.requests.memory', FIELDS.memory, false],
  ['cpuLimit', 'resources.limits.cpu', FIELDS.cpu, false],
  ['memoryLimit', 'resources.limits.memory', FIELDS.memory, false],
  ['drainSeconds', 'drainSeconds', FIELDS.drainSeconds, false],
  ['serviceAccountName', 'serviceAccountName', FIELDS.objectName, false],
  ['migrationImage', 'migration.image', FIELDS.image, false],
  ['migrationBackoffLimit', 'migration.backoffLimit', FIELDS.migrationBackoffLimit, false],
  ['minReplicas', 'autoscaling.min', FIELDS.autoscalingMin, false],
  ['maxReplicas', 'autoscaling.max', FIELDS.autoscalingMax, false],
  ['cpuPercent', 'autoscaling.cpuPercent', FIELDS.autoscalingCpuPercent, false],
  ['stickySeconds', 'stickySeconds', FIELDS.stickySeconds, false],
];

/** Problems with the given fields; fields absent from `fields` (the key not present) are not checked. */
export function validateWorkload(fields: WorkloadFields): Problem[] {
  const problems: Problem[] = [];
  for (const [key, path, rule, required] of CHECKS) {
    if (!(key in fields)) continue;
    const value = fields[key];
    if (value === undefined && !required) continue;
    if (!rule.test(value)) problems.push({ path, message: received(value, rule.expected) });
  }
  return problems;
}
