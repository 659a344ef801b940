import { FARGATE_SIZES, isClusterNameOrArn, isListenerArn, isRegion, isRoleArn, isSecurityGroupId, isSubnetId, isVpcId, LOG_RETENTION_DAYS, MAX_RULE_PRIORITY, AWS_LIMITS } from './aws';
import { EXPECTED } from './messages';
import { Quantity } from './quantity';
import { isResourceQuantity } from './resources';
import { MAX_MIN_READY_SECONDS, MAX_PROGRESS_DEADLINE_SECONDS } from './rolling';
import { MAX_DRAIN_SECONDS, MAX_REPLICAS, MAX_STARTUP_SECONDS, MAX_STICKY_SECONDS } from './types';

/**
 * What a single field allows, written once: the spec file's schema (schema.ts) and the constructs'
 * props checks (workload.ts, the constructs) both read this table, so a bound can never differ
 * between a spec and library mode.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d+(\.\d+){3}$/;

export const isAppName = (v: unknown): v is string => typeof v === 'string' && /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/.test(v);
export const isColorName = (v: unknown): v is string => typeof v === 'string' && v.length <= 20 && DNS_LABEL.test(v);
export const isDnsLabel = (v: unknown): v is string => typeof v === 'string' && v.length <= 63 && DNS_LABEL.test(v);
export const isDnsSubdomain = (v: unknown): v is string => typeof v === 'string' && v.length <= 253 && DNS_SUBDOMAIN.test(v);
export const isHostname = (v: unknown): v is string =>
  isDnsSubdomain(v) && !IPV4.test(v) && v.split('.').every((label) => label.length <= 63);
// Printable ASCII, as the OCI reference grammar: no invisible or look-alike character can disguise
// the image in `status` and `plan`. No wildcard: the image names the ECR repository the execution
// role may pull, and `*` would let it pull every repository of the account.
export const isImage = (v: unknown): v is string => typeof v === 'string' && v.length <= 1024 && /^[\x21-\x7e]+$/.test(v) && !/[*?]/.test(v);
export const isHeaderName = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/.test(v);
export const isEnvName = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,255}$/.test(v);
// Kubernetes refuses "." and "..", and keys starting with "..", as Secret keys (IsConfigMapKey).
export const isSecretKey = (v: unknown): v is string => typeof v === 'string' && /^[-._a-zA-Z0-9]{1,253}$/.test(v) && v !== '.' && !v.startsWith('..');
export const isIstioGateway = (v: unknown): v is string => v === 'mesh' || (typeof v === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) && v.length <= 317);
/** An HTTP path for a health check: "/" first, no whitespace, at most 1024 characters (the ALB's limit). */
export const isHealthCheckPath = (v: unknown): v is string => typeof v === 'string' && v.length <= 1024 && /^\/\S*$/.test(v);
/**
 * A regular expression the provider can use: Go's RE2 has no lookaround and no backreferences,
 * and the rest of its syntax is close enough to JavaScript's for a compile check.
 */
export const isRe2Pattern = (v: unknown): v is string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 1024) return false;
  if (/\(\?<?[=!]|\\[1-9]|\\k</.test(v)) return false;
  try {
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
};
export const isWholeNumber = (min: number, max: number) => (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

/** What one field allows: the test, and its text for `received ...; expected <expected>`. */
export interface FieldRule {
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
}

const rule = (expected: string, test: (value: unknown) => boolean): FieldRule => ({ expected, test });
const whole = (min: number, max: number, expected = EXPECTED.count(min, max)) => rule(expected, isWholeNumber(min, max));
const seconds = (min: number, max: number) => whole(min, max, EXPECTED.seconds(min, max));

/** Every single-field rule of the model, by concept. */
export const FIELDS = {
  app: rule(EXPECTED.app, isAppName),
  platform: rule(EXPECTED.platform, (v) => v === 'kubernetes' || v === 'ecs'),
  router: rule(EXPECTED.router, (v) => v === 'gateway-api' || v === 'nginx' || v === 'istio'),
  state: rule(EXPECTED.state, (v) => v === 'live' || v === 'retired'),
  gatewayApiChannel: rule(EXPECTED.gatewayApiChannel, (v) => v === 'standard' || v === 'experimental'),
  colorName: rule(EXPECTED.colorName, isColorName),
  image: rule(EXPECTED.image, isImage),
  weight: whole(0, 100, EXPECTED.weight),
  replicas: whole(0, MAX_REPLICAS),
  namespace: rule(EXPECTED.namespace, isDnsLabel),
  objectName: rule(EXPECTED.objectName, isDnsSubdomain),
  sectionName: rule(EXPECTED.sectionName, isDnsSubdomain),
  host: rule(EXPECTED.host, isHostname),
  port: whole(1, 65535, EXPECTED.port),
  context: rule(EXPECTED.context, (v) => typeof v === 'string' && /^\S+$/.test(v)),
  pinHeader: rule(EXPECTED.pinHeader, isHeaderName),
  stickySeconds: seconds(1, MAX_STICKY_SECONDS),
  boolean: rule(EXPECTED.boolean, isBoolean),
  drainSeconds: seconds(0, MAX_DRAIN_SECONDS),
  healthCheckPath: rule(EXPECTED.healthPath, isHealthCheckPath),
  healthCheckPeriodSeconds: seconds(1, 3600),
  healthCheckFailureThreshold: whole(1, 100),
  healthCheckStartupSeconds: whole(0, MAX_STARTUP_SECONDS, EXPECTED.startupSeconds(0, MAX_STARTUP_SECONDS)),
  /** maxSurge and maxUnavailable as a spec file writes them: a count, or "N%". */
  quantity: rule(EXPECTED.quantity, (v) => Quantity.parse(v) !== undefined),
  minReadySeconds: seconds(0, MAX_MIN_READY_SECONDS),
  progressDeadlineSeconds: seconds(1, MAX_PROGRESS_DEADLINE_SECONDS),
  cpu: rule(EXPECTED.cpu, isResourceQuantity),
  memory: rule(EXPECTED.memory, isResourceQuantity),
  secretKey: rule(EXPECTED.secretKey, isSecretKey),
  envValue: rule(EXPECTED.envValue, (v) => typeof v === 'string' || typeof v === 'boolean'),
  migrationCommandArgument: rule(EXPECTED.command, (v) => typeof v === 'string' && v.length > 0),
  migrationBackoffLimit: whole(0, 10),
  autoscalingMin: whole(1, MAX_REPLICAS),
  autoscalingMax: whole(1, MAX_REPLICAS),
  autoscalingCpuPercent: whole(1, 1000),
  istioGateway: rule(EXPECTED.istioGateway, isIstioGateway),
  metadataPattern: rule(EXPECTED.metadataPattern, isRe2Pattern),
  step: whole(1, 100),
  maxStepPercent: whole(1, 100),
  region: rule(EXPECTED.region, isRegion),
  cluster: rule(EXPECTED.cluster, isClusterNameOrArn),
  vpcId: rule(EXPECTED.vpcId, isVpcId),
  subnetId: rule(EXPECTED.subnetId, isSubnetId),
  securityGroupId: rule(EXPECTED.securityGroupId, isSecurityGroupId),
  listenerArn: rule(EXPECTED.listenerArn, isListenerArn),
  /** The first priority of an app's rules: it takes this one to `rulePriority + 1000`. */
  rulePriority: whole(1, MAX_RULE_PRIORITY, EXPECTED.rulePriority),
  /** One listener rule's own priority, as the ALB API allows it. */
  listenerRulePriority: whole(1, AWS_LIMITS.maxPriority),
  fargateCpu: rule(EXPECTED.fargateCpu, (v) => typeof v === 'number' && FARGATE_SIZES[v] !== undefined),
  fargateMemory: whole(512, 122880),
  logRetentionDays: rule(EXPECTED.logRetentionDays, (v) => (LOG_RETENTION_DAYS as readonly unknown[]).includes(v)),
  roleArn: rule(EXPECTED.roleArn, isRoleArn),
  bucket: rule(EXPECTED.bucket, (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..')),
  keyPrefix: rule(EXPECTED.keyPrefix, (v) => typeof v === 'string' && v.length <= 200 && /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(v)),
} as const satisfies Record<string, FieldRule>;

export type FieldName = keyof typeof FIELDS;
