import { z } from 'zod';
import { EXPECTED } from './messages';
import { Quantity } from './quantity';
import { isResourceQuantity } from './resources';
import { MAX_MIN_READY_SECONDS, MAX_PROGRESS_DEADLINE_SECONDS } from './rolling';
import { MAX_DRAIN_SECONDS, MAX_REPLICAS, MAX_STARTUP_SECONDS, MAX_STICKY_SECONDS } from './types';
import {
  FARGATE_SIZES, isClusterNameOrArn, isListenerArn, isRegion, isRoleArn, isSecurityGroupId, isSubnetId, isVpcId, LOG_RETENTION_DAYS,
} from './aws';

/**
 * The shape of a spec file, field by field. Cross-field rules (weights add up to 100, unique
 * names, ...) live in validate.ts; defaults are filled in there too.
 *
 * Every leaf is a predicate with the text of what it allows, so every message reads
 * `received <value>; expected <what is allowed>`.
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

function leaf<T>(expected: string, test: (value: unknown) => boolean) {
  return z.custom<T>(test, { error: expected });
}

function object<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: EXPECTED.object(Object.keys(shape)) });
}

const quantity = leaf<number | string>(EXPECTED.quantity, (v) => Quantity.parse(v) !== undefined);

const resources = object({
  requests: object({
    cpu: leaf<string>(EXPECTED.cpu, isResourceQuantity).optional(),
    memory: leaf<string>(EXPECTED.memory, isResourceQuantity).optional(),
  }).optional(),
  limits: object({
    cpu: leaf<string>(EXPECTED.cpu, isResourceQuantity).optional(),
    memory: leaf<string>(EXPECTED.memory, isResourceQuantity).optional(),
  }).optional(),
});

const migration = object({
  command: z.array(leaf<string>(EXPECTED.command, (v) => typeof v === 'string' && v.length > 0), { error: EXPECTED.command })
    .min(1, { error: EXPECTED.command }),
  image: leaf<string>(EXPECTED.image, isImage).optional(),
  backoffLimit: leaf<number>(EXPECTED.count(0, 10), isWholeNumber(0, 10)).optional(),
  // Refused in validate.ts with the reason it went away.
  ttlSeconds: z.unknown().optional(),
});

const autoscaling = object({
  min: leaf<number>(EXPECTED.count(1, MAX_REPLICAS), isWholeNumber(1, MAX_REPLICAS)),
  max: leaf<number>(EXPECTED.count(1, MAX_REPLICAS), isWholeNumber(1, MAX_REPLICAS)),
  cpuPercent: leaf<number>(EXPECTED.count(1, 1000), isWholeNumber(1, 1000)).optional(),
});

// Names are checked in validate.ts, where the message can name the key.
const env = z.record(z.string(), leaf<string | boolean>(EXPECTED.envValue, (v) => typeof v === 'string' || typeof v === 'boolean'), { error: EXPECTED.env });
const secretEnv = z.record(z.string(), object({
  secret: leaf<string>(EXPECTED.objectName, isDnsSubdomain),
  key: leaf<string>(EXPECTED.secretKey, isSecretKey),
}), { error: EXPECTED.secretEnv });

// Keys and values are checked in validate.ts, where the message can name the key.
const podAnnotations = z.record(z.string(), z.unknown(), { error: EXPECTED.podAnnotations });
const metadataPatterns = z.array(leaf<string>(EXPECTED.metadataPattern, isRe2Pattern), { error: EXPECTED.metadataPatterns });

const color = object({
  name: leaf<string>(EXPECTED.colorName, isColorName),
  image: leaf<string>(EXPECTED.image, isImage),
  weight: leaf<number>(EXPECTED.weight, isWholeNumber(0, 100)),
  replicas: leaf<number>(EXPECTED.count(0, MAX_REPLICAS), isWholeNumber(0, MAX_REPLICAS)).optional(),
  state: leaf<'live' | 'retired'>(EXPECTED.state, (v) => v === 'live' || v === 'retired').optional(),
  resources: resources.optional(),
  env: env.optional(),
  secretEnv: secretEnv.optional(),
  migration: migration.optional(),
  autoscaling: autoscaling.optional(),
  podAnnotations: podAnnotations.optional(),
});

export const specSchema = object({
  app: leaf<string>(EXPECTED.app, isAppName),
  platform: leaf<'kubernetes' | 'ecs'>(EXPECTED.platform, (v) => v === 'kubernetes' || v === 'ecs'),
  ecs: object({
    region: leaf<string>(EXPECTED.region, isRegion),
    cluster: leaf<string>(EXPECTED.cluster, isClusterNameOrArn),
    vpcId: leaf<string>(EXPECTED.vpcId, isVpcId),
    subnetIds: z.array(leaf<string>(EXPECTED.subnetId, isSubnetId), { error: EXPECTED.subnetIds }).min(1, { error: EXPECTED.subnetIds }),
    securityGroupIds: z.array(leaf<string>(EXPECTED.securityGroupId, isSecurityGroupId), { error: EXPECTED.securityGroupIds })
      .min(1, { error: EXPECTED.securityGroupIds }),
    listenerArn: leaf<string>(EXPECTED.listenerArn, isListenerArn),
    host: leaf<string>(EXPECTED.host, isHostname),
    rulePriority: leaf<number>(EXPECTED.rulePriority, isWholeNumber(1, 49000)),
    port: leaf<number>(EXPECTED.port, isWholeNumber(1, 65535)).optional(),
    cpu: leaf<number>(EXPECTED.fargateCpu, (v) => typeof v === 'number' && FARGATE_SIZES[v] !== undefined).optional(),
    memory: leaf<number>(EXPECTED.count(512, 122880), isWholeNumber(512, 122880)).optional(),
    logRetentionDays: leaf<number>(EXPECTED.logRetentionDays, (v) => (LOG_RETENTION_DAYS as readonly unknown[]).includes(v)).optional(),
    taskRoleArn: leaf<string>(EXPECTED.roleArn, isRoleArn).optional(),
  }).optional(),
  kubernetes: object({
    namespace: leaf<string>(EXPECTED.namespace, isDnsLabel).optional(),
    router: leaf<'gateway-api' | 'nginx' | 'istio'>(EXPECTED.router, (v) => v === 'gateway-api' || v === 'nginx' || v === 'istio').optional(),
    gateway: object({
      name: leaf<string>(EXPECTED.objectName, isDnsSubdomain),
      namespace: leaf<string>(EXPECTED.namespace, isDnsLabel),
      sectionName: leaf<string>(EXPECTED.sectionName, isDnsSubdomain).optional(),
    }).optional(),
    ingressClassName: leaf<string>(EXPECTED.objectName, isDnsSubdomain).optional(),
    tlsSecretName: leaf<string>(EXPECTED.objectName, isDnsSubdomain).optional(),
    istioGateways: z.array(leaf<string>(EXPECTED.istioGateway, isIstioGateway), { error: EXPECTED.istioGateways })
      .min(1, { error: EXPECTED.istioGateways }).optional(),
    host: leaf<string>(EXPECTED.host, isHostname),
    port: leaf<number>(EXPECTED.port, isWholeNumber(1, 65535)).optional(),
    context: leaf<string>(EXPECTED.context, (v) => typeof v === 'string' && /^\S+$/.test(v)).optional(),
    serviceAccountName: leaf<string>(EXPECTED.objectName, isDnsSubdomain).optional(),
    imagePullSecrets: z.array(leaf<string>(EXPECTED.objectName, isDnsSubdomain), { error: EXPECTED.secretNames }).optional(),
    gatewayApiChannel: leaf<'standard' | 'experimental'>(EXPECTED.gatewayApiChannel, (v) => v === 'standard' || v === 'experimental').optional(),
    ignoreAnnotations: metadataPatterns.optional(),
    ignoreLabels: metadataPatterns.optional(),
  }).optional(),
  rollingUpdate: object({
    maxSurge: quantity.optional(),
    maxUnavailable: quantity.optional(),
    minReadySeconds: leaf<number>(EXPECTED.seconds(0, MAX_MIN_READY_SECONDS), isWholeNumber(0, MAX_MIN_READY_SECONDS)).optional(),
    progressDeadlineSeconds: leaf<number>(EXPECTED.seconds(1, MAX_PROGRESS_DEADLINE_SECONDS), isWholeNumber(1, MAX_PROGRESS_DEADLINE_SECONDS)).optional(),
  }).optional(),
  healthCheck: object({
    path: leaf<string>(EXPECTED.healthPath, (v) => typeof v === 'string' && v.length <= 1024 && /^\/\S*$/.test(v)).optional(),
    periodSeconds: leaf<number>(EXPECTED.seconds(1, 3600), isWholeNumber(1, 3600)).optional(),
    failureThreshold: leaf<number>(EXPECTED.count(1, 100), isWholeNumber(1, 100)).optional(),
    startupSeconds: leaf<number>(EXPECTED.startupSeconds(0, MAX_STARTUP_SECONDS), isWholeNumber(0, MAX_STARTUP_SECONDS)).optional(),
  }).optional(),
  resources: resources.optional(),
  routing: object({
    pinHeader: leaf<string>(EXPECTED.pinHeader, isHeaderName).optional(),
    stickySeconds: leaf<number>(EXPECTED.seconds(1, MAX_STICKY_SECONDS), isWholeNumber(1, MAX_STICKY_SECONDS)).optional(),
    previewHosts: leaf<boolean>(EXPECTED.boolean, (v) => typeof v === 'boolean').optional(),
  }).optional(),
  security: object({
    allowRunAsRoot: leaf<boolean>(EXPECTED.boolean, (v) => typeof v === 'boolean').optional(),
    allowWritableRootFilesystem: leaf<boolean>(EXPECTED.boolean, (v) => typeof v === 'boolean').optional(),
    allowServiceAccountToken: leaf<boolean>(EXPECTED.boolean, (v) => typeof v === 'boolean').optional(),
    allowPublicIp: leaf<boolean>(EXPECTED.boolean, (v) => typeof v === 'boolean').optional(),
    allowPlainSecretEnv: leaf<boolean>(EXPECTED.boolean, (v) => typeof v === 'boolean').optional(),
  }).optional(),
  drainSeconds: leaf<number>(EXPECTED.seconds(0, MAX_DRAIN_SECONDS), isWholeNumber(0, MAX_DRAIN_SECONDS)).optional(),
  progression: object({
    steps: z.array(leaf<number>(EXPECTED.count(1, 100), isWholeNumber(1, 100)), { error: EXPECTED.steps }).min(1, { error: EXPECTED.steps }).optional(),
    maxStepPercent: leaf<number>(EXPECTED.count(1, 100), isWholeNumber(1, 100)).optional(),
  }).optional(),
  env: env.optional(),
  secretEnv: secretEnv.optional(),
  migration: migration.optional(),
  autoscaling: autoscaling.optional(),
  podAnnotations: podAnnotations.optional(),
  backend: object({
    s3: object({
      bucket: leaf<string>(EXPECTED.bucket, (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..')),
      region: leaf<string>(EXPECTED.region, (v) => typeof v === 'string' && /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/.test(v)),
      keyPrefix: leaf<string>(EXPECTED.keyPrefix, (v) => typeof v === 'string' && v.length <= 200 && /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(v)).optional(),
    }).optional(),
  }).optional(),
  colors: z.array(color, { error: EXPECTED.colors }).min(1, { error: EXPECTED.colors }),
});

export type RawSpec = z.infer<typeof specSchema>;
export type RawColor = z.infer<typeof color>;

/** The field names allowed in the object at `path` (for "unknown field" messages), or [] if none is there. */
export function allowedFields(path: ReadonlyArray<PropertyKey>): string[] {
  let schema: z.ZodType = specSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (typeof segment === 'number' && schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (typeof segment === 'string' && schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (typeof segment === 'string' && schema instanceof z.ZodObject) schema = schema.shape[segment] as z.ZodType;
    else return [];
    if (schema === undefined) return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}
