import { FIELDS } from './fields';
import { Problem } from './problem';
import { checkShape, leaf, props, Shape } from './shape';

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

/** The props of WorkloadFields, each shown at the spec field it is (`healthCheck.path`). */
const WORKLOAD = props({
  app: leaf(FIELDS.app),
  color: leaf(FIELDS.colorName),
  namespace: leaf(FIELDS.namespace).optional(),
  image: leaf(FIELDS.image),
  replicas: leaf(FIELDS.replicas).optional(),
  port: leaf(FIELDS.port).optional(),
  host: leaf(FIELDS.host),
  pinHeader: leaf(FIELDS.pinHeader).optional(),
  healthCheckPath: leaf(FIELDS.healthCheckPath).optional().shownAs('healthCheck', 'path'),
  healthCheckPeriodSeconds: leaf(FIELDS.healthCheckPeriodSeconds).optional().shownAs('healthCheck', 'periodSeconds'),
  healthCheckFailureThreshold: leaf(FIELDS.healthCheckFailureThreshold)
    .optional()
    .shownAs('healthCheck', 'failureThreshold'),
  healthCheckStartupSeconds: leaf(FIELDS.healthCheckStartupSeconds).optional().shownAs('healthCheck', 'startupSeconds'),
  cpuRequest: leaf(FIELDS.cpu).optional().shownAs('resources', 'requests', 'cpu'),
  memoryRequest: leaf(FIELDS.memory).optional().shownAs('resources', 'requests', 'memory'),
  cpuLimit: leaf(FIELDS.cpu).optional().shownAs('resources', 'limits', 'cpu'),
  memoryLimit: leaf(FIELDS.memory).optional().shownAs('resources', 'limits', 'memory'),
  drainSeconds: leaf(FIELDS.drainSeconds).optional(),
  serviceAccountName: leaf(FIELDS.objectName).optional(),
  migrationImage: leaf(FIELDS.image).optional().shownAs('migration', 'image'),
  migrationBackoffLimit: leaf(FIELDS.migrationBackoffLimit).optional().shownAs('migration', 'backoffLimit'),
  minReplicas: leaf(FIELDS.autoscalingMin).optional().shownAs('autoscaling', 'min'),
  maxReplicas: leaf(FIELDS.autoscalingMax).optional().shownAs('autoscaling', 'max'),
  cpuPercent: leaf(FIELDS.autoscalingCpuPercent).optional().shownAs('autoscaling', 'cpuPercent'),
  stickySeconds: leaf(FIELDS.stickySeconds).optional(),
} satisfies Record<keyof WorkloadFields, Shape>);

/**
 * Problems with the given fields, checked as the same fields of a spec file are (model/shape.ts);
 * fields absent from `fields` (the key not present) are not checked.
 */
export function validateWorkload(fields: WorkloadFields): Problem[] {
  return checkShape(WORKLOAD, fields);
}
