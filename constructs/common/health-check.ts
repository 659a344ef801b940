// The health check is part of the one model: its type, defaults and rules live in spec/.
export type { HealthCheck } from '../../model/types';
export { resolveHealthCheck } from '../../model/color';
