// The health check is part of the one model: its type, defaults and rules live in spec/.
export type { HealthCheck } from '../../spec/types';
export { resolveHealthCheck } from '../../spec/color';
