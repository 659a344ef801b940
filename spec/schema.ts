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
const APP_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
const PRINTABLE_NO_WILDCARD = /^[\x21-\x29\x2b-\x3e\x40-\x7e]+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const ISTIO_GATEWAY = /^(mesh|[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;
const DNS_SUBDOMAIN_SHORT_LABELS = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/**
 * What JSON Schema can say of a leaf (`type`, `pattern`, bounds, `enum`): the JSON Schema of the
 * spec file (json-schema.ts) is as strict as these, and never stricter than the predicate.
 */
export type JsonFragment = Readonly<Record<string, unknown>>;

/** A predicate that carries its JSON Schema fragment, declared beside it. */
export type Rule<T> = ((v: unknown) => v is T) & { readonly json: JsonFragment };

function rule<T>(test: (v: unknown) => v is T, json: JsonFragment): Rule<T> {
  return Object.assign(test, { json });
}

export const isAppName = rule((v): v is string => typeof v === 'string' && APP_NAME.test(v), { type: 'string', pattern: APP_NAME.source });
export const isColorName = rule((v): v is string => typeof v === 'string' && v.length <= 20 && DNS_LABEL.test(v),
  { type: 'string', maxLength: 20, pattern: DNS_LABEL.source });
export const isDnsLabel = rule((v): v is string => typeof v === 'string' && v.length <= 63 && DNS_LABEL.test(v),
  { type: 'string', maxLength: 63, pattern: DNS_LABEL.source });
export const isDnsSubdomain = rule((v): v is string => typeof v === 'string' && v.length <= 253 && DNS_SUBDOMAIN.test(v),
  { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN.source });
export const isHostname = rule((v): v is string => isDnsSubdomain(v) && !IPV4.test(v) && v.split('.').every((label) => label.length <= 63),
  { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_SHORT_LABELS.source, not: { pattern: IPV4.source } });
// Printable ASCII, as the OCI reference grammar: no invisible or look-alike character can disguise
// the image in `status` and `plan`. No wildcard: the image names the ECR repository the execution
// role may pull, and `*` would let it pull every repository of the account.
export const isImage = rule((v): v is string => typeof v === 'string' && v.length <= 1024 && PRINTABLE_NO_WILDCARD.test(v),
  { type: 'string', maxLength: 1024, pattern: PRINTABLE_NO_WILDCARD.source });
export const isHeaderName = rule((v): v is string => typeof v === 'string' && HEADER_NAME.test(v), { type: 'string', pattern: HEADER_NAME.source });
export const isEnvName = rule((v): v is string => typeof v === 'string' && ENV_NAME.test(v), { type: 'string', pattern: ENV_NAME.source });
// Kubernetes refuses "." and "..", and keys starting with "..", as Secret keys (IsConfigMapKey).
export const isSecretKey = rule((v): v is string => typeof v === 'string' && SECRET_KEY.test(v) && v !== '.' && !v.startsWith('..'),
  { type: 'string', pattern: SECRET_KEY.source, not: { pattern: '^\\.(\\.|$)' } });
export const isIstioGateway = rule((v): v is string => typeof v === 'string' && v.length <= 317 && ISTIO_GATEWAY.test(v),
  { type: 'string', maxLength: 317, pattern: ISTIO_GATEWAY.source });
const RE2_REFUSES = /\(\?<?[=!]|\\[1-9]|\\k</;
/**
 * A regular expression the provider can use: Go's RE2 has no lookaround and no backreferences,
 * and the rest of its syntax is close enough to JavaScript's for a compile check.
 */
export const isRe2Pattern = rule((v): v is string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 1024) return false;
  if (RE2_REFUSES.test(v)) return false;
  try {
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
}, { type: 'string', minLength: 1, maxLength: 1024, not: { pattern: RE2_REFUSES.source } });
export const isWholeNumber = (min: number, max: number) => rule((v): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max, { type: 'integer', minimum: min, maximum: max });
const isBoolean = rule((v): v is boolean => typeof v === 'boolean', { type: 'boolean' });
const isOneOf = <T extends string | number>(values: readonly T[]) =>
  rule((v): v is T => (values as readonly unknown[]).includes(v), { enum: values });

/** The fragments of the leaves, for json-schema.ts; each also carries its EXPECTED text as `description`. */
export const JSON_FRAGMENTS = z.registry<JsonFragment>();

/**
 * A field checked by a predicate, whose message is `expected`. The JSON Schema fragment is the
 * predicate's own, or given here for a predicate of another module.
 */
function leaf<T>(expected: string, test: Rule<unknown>): z.ZodCustom<T>;
function leaf<T>(expected: string, test: (value: unknown) => boolean, json: JsonFragment): z.ZodCustom<T>;
function leaf<T>(expected: string, test: (value: unknown) => boolean, json?: JsonFragment): z.ZodCustom<T> {
  const schema = z.custom<T>(test, { error: expected });
  JSON_FRAGMENTS.add(schema, { ...(json ?? (test as Rule<unknown>).json), description: expected });
  return schema;
}

function hexId(prefix: string): JsonFragment {
  return { type: 'string', pattern: `^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$` };
}

function object<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: EXPECTED.object(Object.keys(shape)) });
}

// As resources.ts reads them; the JSON Schema test checks that every example's value passes.
const RESOURCE_QUANTITY = { type: 'string', maxLength: 64, pattern: '^\\+?(\\d+(\\.\\d*)?|\\.\\d+)(([eE][-+]?\\d+)|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$' };

const quantity = leaf<number | string>(EXPECTED.quantity, (v) => Quantity.parse(v) !== undefined,
  { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^(\\d{1,2}|0\\d\\d|100)%$' }] });

const resources = object({
  requests: object({
    cpu: leaf<string>(EXPECTED.cpu, isResourceQuantity, RESOURCE_QUANTITY).optional(),
    memory: leaf<string>(EXPECTED.memory, isResourceQuantity, RESOURCE_QUANTITY).optional(),
  }).optional(),
  limits: object({
    cpu: leaf<string>(EXPECTED.cpu, isResourceQuantity, RESOURCE_QUANTITY).optional(),
    memory: leaf<string>(EXPECTED.memory, isResourceQuantity, RESOURCE_QUANTITY).optional(),
  }).optional(),
});

const migration = object({
  command: z.array(leaf<string>(EXPECTED.command, (v) => typeof v === 'string' && v.length > 0, { type: 'string', minLength: 1 }), { error: EXPECTED.command })
    .min(1, { error: EXPECTED.command }),
  image: leaf<string>(EXPECTED.image, isImage).optional(),
  backoffLimit: leaf<number>(EXPECTED.count(0, 10), isWholeNumber(0, 10)).optional(),
  // Refused in validate.ts with the reason it went away.
  ttlSeconds: z.unknown().register(JSON_FRAGMENTS, { not: {}, deprecated: true, description: EXPECTED.migrationTtlSeconds }).optional(),
});

const autoscaling = object({
  min: leaf<number>(EXPECTED.count(1, MAX_REPLICAS), isWholeNumber(1, MAX_REPLICAS)),
  max: leaf<number>(EXPECTED.count(1, MAX_REPLICAS), isWholeNumber(1, MAX_REPLICAS)),
  cpuPercent: leaf<number>(EXPECTED.count(1, 1000), isWholeNumber(1, 1000)).optional(),
});

// Names are checked in validate.ts, where the message can name the key.
const env = z.record(z.string().register(JSON_FRAGMENTS, isEnvName.json), leaf<string | boolean>(EXPECTED.envValue, (v) => typeof v === 'string' || typeof v === 'boolean', { type: ['string', 'boolean'] }), { error: EXPECTED.env });
const secretEnv = z.record(z.string().register(JSON_FRAGMENTS, isEnvName.json), object({
  secret: leaf<string>(EXPECTED.objectName, isDnsSubdomain),
  key: leaf<string>(EXPECTED.secretKey, isSecretKey),
}), { error: EXPECTED.secretEnv });

// Keys and values are checked in validate.ts, where the message can name the key.
const podAnnotations = z.record(z.string(), z.unknown().register(JSON_FRAGMENTS, { type: 'string', description: EXPECTED.annotationValue }), { error: EXPECTED.podAnnotations });
const metadataPatterns = z.array(leaf<string>(EXPECTED.metadataPattern, isRe2Pattern), { error: EXPECTED.metadataPatterns });

const color = object({
  name: leaf<string>(EXPECTED.colorName, isColorName),
  image: leaf<string>(EXPECTED.image, isImage),
  weight: leaf<number>(EXPECTED.weight, isWholeNumber(0, 100)),
  replicas: leaf<number>(EXPECTED.count(0, MAX_REPLICAS), isWholeNumber(0, MAX_REPLICAS)).optional(),
  state: leaf<'live' | 'retired'>(EXPECTED.state, isOneOf(['live', 'retired'])).optional(),
  resources: resources.optional(),
  env: env.optional(),
  secretEnv: secretEnv.optional(),
  migration: migration.optional(),
  autoscaling: autoscaling.optional(),
  podAnnotations: podAnnotations.optional(),
});

export const specSchema = object({
  app: leaf<string>(EXPECTED.app, isAppName),
  platform: leaf<'kubernetes' | 'ecs'>(EXPECTED.platform, isOneOf(['kubernetes', 'ecs'])),
  ecs: object({
    region: leaf<string>(EXPECTED.region, isRegion, { type: 'string', pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d{1,2}$' }),
    cluster: leaf<string>(EXPECTED.cluster, isClusterNameOrArn, { type: 'string', anyOf: [
      { pattern: '^[A-Za-z0-9_-]{1,255}$' },
      { pattern: '^arn:aws(-cn|-us-gov|-iso[a-z-]*)?:ecs:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}$' },
    ] }),
    vpcId: leaf<string>(EXPECTED.vpcId, isVpcId, hexId('vpc')),
    subnetIds: z.array(leaf<string>(EXPECTED.subnetId, isSubnetId, hexId('subnet')), { error: EXPECTED.subnetIds }).min(1, { error: EXPECTED.subnetIds }),
    securityGroupIds: z.array(leaf<string>(EXPECTED.securityGroupId, isSecurityGroupId, hexId('sg')), { error: EXPECTED.securityGroupIds })
      .min(1, { error: EXPECTED.securityGroupIds }),
    listenerArn: leaf<string>(EXPECTED.listenerArn, isListenerArn, {
      type: 'string',
      pattern: '^arn:aws(-cn|-us-gov|-iso[a-z-]*)?:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$',
    }),
    host: leaf<string>(EXPECTED.host, isHostname),
    rulePriority: leaf<number>(EXPECTED.rulePriority, isWholeNumber(1, 49000)),
    port: leaf<number>(EXPECTED.port, isWholeNumber(1, 65535)).optional(),
    cpu: leaf<number>(EXPECTED.fargateCpu, isOneOf(Object.keys(FARGATE_SIZES).map(Number))).optional(),
    memory: leaf<number>(EXPECTED.count(512, 122880), isWholeNumber(512, 122880)).optional(),
    logRetentionDays: leaf<number>(EXPECTED.logRetentionDays, isOneOf(LOG_RETENTION_DAYS)).optional(),
    taskRoleArn: leaf<string>(EXPECTED.roleArn, isRoleArn, { type: 'string', pattern: '^arn:aws(-cn|-us-gov|-iso[a-z-]*)?:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$' }).optional(),
  }).optional(),
  kubernetes: object({
    namespace: leaf<string>(EXPECTED.namespace, isDnsLabel).optional(),
    router: leaf<'gateway-api' | 'nginx' | 'istio'>(EXPECTED.router, isOneOf(['gateway-api', 'nginx', 'istio'])).optional(),
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
    context: leaf<string>(EXPECTED.context, rule((v): v is string => typeof v === 'string' && /^\S+$/.test(v), { type: 'string', pattern: '^\\S+$' })).optional(),
    serviceAccountName: leaf<string>(EXPECTED.objectName, isDnsSubdomain).optional(),
    imagePullSecrets: z.array(leaf<string>(EXPECTED.objectName, isDnsSubdomain), { error: EXPECTED.secretNames }).optional(),
    gatewayApiChannel: leaf<'standard' | 'experimental'>(EXPECTED.gatewayApiChannel, isOneOf(['standard', 'experimental'])).optional(),
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
    path: leaf<string>(EXPECTED.healthPath, rule((v): v is string => typeof v === 'string' && v.length <= 1024 && /^\/\S*$/.test(v),
      { type: 'string', maxLength: 1024, pattern: '^/\\S*$' })).optional(),
    periodSeconds: leaf<number>(EXPECTED.seconds(1, 3600), isWholeNumber(1, 3600)).optional(),
    failureThreshold: leaf<number>(EXPECTED.count(1, 100), isWholeNumber(1, 100)).optional(),
    startupSeconds: leaf<number>(EXPECTED.startupSeconds(0, MAX_STARTUP_SECONDS), isWholeNumber(0, MAX_STARTUP_SECONDS)).optional(),
  }).optional(),
  resources: resources.optional(),
  routing: object({
    pinHeader: leaf<string>(EXPECTED.pinHeader, isHeaderName).optional(),
    stickySeconds: leaf<number>(EXPECTED.seconds(1, MAX_STICKY_SECONDS), isWholeNumber(1, MAX_STICKY_SECONDS)).optional(),
    previewHosts: leaf<boolean>(EXPECTED.boolean, isBoolean).optional(),
  }).optional(),
  security: object({
    allowRunAsRoot: leaf<boolean>(EXPECTED.boolean, isBoolean).optional(),
    allowWritableRootFilesystem: leaf<boolean>(EXPECTED.boolean, isBoolean).optional(),
    allowServiceAccountToken: leaf<boolean>(EXPECTED.boolean, isBoolean).optional(),
    allowPublicIp: leaf<boolean>(EXPECTED.boolean, isBoolean).optional(),
    allowPlainSecretEnv: leaf<boolean>(EXPECTED.boolean, isBoolean).optional(),
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
      bucket: leaf<string>(EXPECTED.bucket, rule((v): v is string => typeof v === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes('..'),
        { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', not: { pattern: '\\.\\.' } })),
      region: leaf<string>(EXPECTED.region, rule((v): v is string => typeof v === 'string' && /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/.test(v),
        { type: 'string', pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d{1,2}$' })),
      keyPrefix: leaf<string>(EXPECTED.keyPrefix, rule((v): v is string => typeof v === 'string' && v.length <= 200 && /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(v),
        { type: 'string', maxLength: 200, pattern: "^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$" })).optional(),
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
