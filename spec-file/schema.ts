import { z } from 'zod';
import { FieldRule, FIELDS, JsonFragment } from '../model/fields';
import { EXPECTED } from '../model/messages';
import type { ColorState, GatewayApiChannel, KubernetesRouter, Platform } from '../model/types';
import { COMMAND_CHECK_ENV, MAX_CHECK_ENV, MAX_NOTIFY_TARGETS } from '../model/release';
import type { EmptyResult } from '../model/release';
import type { DnsHealthCheckProtocol } from '../model/route53';

export type { JsonFragment, Rule } from '../model/fields';

/**
 * The shape of a spec file, field by field. Cross-field rules (weights add up to 100, unique
 * names, ...) live in model/spec-rules.ts; validate.ts runs them and fills in the defaults.
 *
 * Every leaf is a rule of fields.ts (a predicate with the text of what it allows, shared with the
 * constructs), so every message reads `received <value>; expected <what is allowed>`.
 */

/** The fragments of the leaves, for json-schema.ts; each also carries its EXPECTED text as `description`. */
export const JSON_FRAGMENTS = z.registry<JsonFragment>();

/** A field checked by a rule of fields.ts: its message, and its JSON Schema fragment for the editor schema. */
function leaf<T>(rule: FieldRule) {
  const schema = z.custom<T>(rule.test, { error: rule.expected });
  JSON_FRAGMENTS.add(schema, { ...rule.json, description: rule.expected });
  return schema;
}

function object<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: EXPECTED.object(Object.keys(shape)) });
}

const quantity = leaf<number | string>(FIELDS.quantity);

const resources = object({
  requests: object({
    cpu: leaf<string>(FIELDS.cpu).optional(),
    memory: leaf<string>(FIELDS.memory).optional(),
  }).optional(),
  limits: object({
    cpu: leaf<string>(FIELDS.cpu).optional(),
    memory: leaf<string>(FIELDS.memory).optional(),
  }).optional(),
});

const migration = object({
  command: z
    .array(leaf<string>(FIELDS.migrationCommandArgument), { error: EXPECTED.command })
    .min(1, { error: EXPECTED.command }),
  image: leaf<string>(FIELDS.image).optional(),
  backoffLimit: leaf<number>(FIELDS.migrationBackoffLimit).optional(),
  // Refused in model/spec-rules.ts with the reason it went away.
  ttlSeconds: z
    .unknown()
    .register(JSON_FRAGMENTS, { not: {}, deprecated: true, description: EXPECTED.migrationTtlSeconds })
    .optional(),
});

const autoscaling = object({
  min: leaf<number>(FIELDS.autoscalingMin),
  max: leaf<number>(FIELDS.autoscalingMax),
  cpuPercent: leaf<number>(FIELDS.autoscalingCpuPercent).optional(),
});

// Names are checked in model/spec-rules.ts, where the message can name the key.
const envName = () => z.string().register(JSON_FRAGMENTS, FIELDS.envName.json);
const env = z.record(envName(), leaf<string | boolean>(FIELDS.envValue), { error: EXPECTED.env });
const secretEnv = z.record(
  envName(),
  object({
    secret: leaf<string>(FIELDS.objectName),
    key: leaf<string>(FIELDS.secretKey),
  }),
  { error: EXPECTED.secretEnv },
);

// Keys and values are checked in model/spec-rules.ts, where the message can name the key.
const podAnnotations = z.record(
  z.string(),
  z.unknown().register(JSON_FRAGMENTS, { type: 'string', description: EXPECTED.annotationValue }),
  { error: EXPECTED.podAnnotations },
);
const metadataPatterns = z.array(leaf<string>(FIELDS.metadataPattern), { error: EXPECTED.metadataPatterns });

// release and checks: which kind a check is, and its placeholders, are checked in release-rules.ts.
const check = object({
  name: leaf<string>(FIELDS.checkName),
  prometheus: object({
    url: leaf<string>(FIELDS.prometheusUrl),
    query: leaf<string>(FIELDS.promql),
    max: leaf<number>(FIELDS.checkBound).optional(),
    min: leaf<number>(FIELDS.checkBound).optional(),
    onEmpty: leaf<EmptyResult>(FIELDS.onEmpty).optional(),
  }).optional(),
  http: object({
    url: leaf<string>(FIELDS.checkUrl),
    expectStatus: leaf<number>(FIELDS.expectStatus).optional(),
    timeoutSeconds: leaf<number>(FIELDS.httpTimeoutSeconds).optional(),
  }).optional(),
  command: z
    .array(leaf<string>(FIELDS.migrationCommandArgument), { error: EXPECTED.command })
    .min(1, { error: EXPECTED.command })
    .optional(),
});

// Each name is checked in the refinement, beside the rule that it is given once (a shape JSON
// Schema states: uniqueItems), so that a name given twice shows together with an invalid one.
const CHECK_ENV = EXPECTED.checkEnv(MAX_CHECK_ENV, COMMAND_CHECK_ENV);
const checkEnv = z
  .array(z.unknown().register(JSON_FRAGMENTS, { ...FIELDS.envName.json, description: EXPECTED.envName }), {
    error: CHECK_ENV,
  })
  .max(MAX_CHECK_ENV, { error: CHECK_ENV })
  .superRefine((names, context) => {
    const first = new Map<string, number>();
    names.forEach((name, i) => {
      if (!FIELDS.envName.test(name)) {
        context.addIssue({ code: 'custom', path: [i], input: name, message: EXPECTED.envName });
        return;
      }
      const at = first.get(name as string);
      if (at === undefined) first.set(name as string, i);
      else context.addIssue({ code: 'custom', path: [i], input: name, message: EXPECTED.checkEnvDuplicate(at) });
    });
  })
  .register(JSON_FRAGMENTS, { uniqueItems: true, description: CHECK_ENV });

// dns platform: a hostname, or an alias target; which colors need one is checked in model/dns.ts.
const endpoint = z.union(
  [
    leaf<string>(FIELDS.host),
    object({ alias: object({ name: leaf<string>(FIELDS.host), zoneId: leaf<string>(FIELDS.zoneId) }) }),
  ],
  { error: EXPECTED.dnsEndpoint },
);

const color = object({
  name: leaf<string>(FIELDS.colorName),
  // Required on every platform but dns (model/dns.ts colorTargetProblems).
  image: leaf<string>(FIELDS.image).optional(),
  weight: leaf<number>(FIELDS.weight),
  replicas: leaf<number>(FIELDS.replicas).optional(),
  state: leaf<ColorState>(FIELDS.state).optional(),
  resources: resources.optional(),
  env: env.optional(),
  secretEnv: secretEnv.optional(),
  migration: migration.optional(),
  autoscaling: autoscaling.optional(),
  podAnnotations: podAnnotations.optional(),
  instanceType: leaf<string>(FIELDS.instanceType).optional(),
  expires: leaf<string>(FIELDS.expires).optional(),
  endpoint: endpoint.optional(),
  // cohorts: names and values are checked in model/cohorts.ts, where the message can name the key.
  match: object({
    headers: z
      .record(z.string(), z.unknown().register(JSON_FRAGMENTS, { type: 'string', description: EXPECTED.cohortValue }), {
        error: EXPECTED.cohortMap,
      })
      .optional(),
    cookies: z
      .record(z.string(), z.unknown().register(JSON_FRAGMENTS, { type: 'string', description: EXPECTED.cohortValue }), {
        error: EXPECTED.cohortMap,
      })
      .optional(),
  }).optional(),
});

/** The ALB listener and network fields of the ecs and ec2 blocks, in the order both list them after `region`. */
const albFields = {
  vpcId: leaf<string>(FIELDS.vpcId),
  subnetIds: z
    .array(leaf<string>(FIELDS.subnetId), { error: EXPECTED.subnetIds })
    .min(1, { error: EXPECTED.subnetIds }),
  securityGroupIds: z
    .array(leaf<string>(FIELDS.securityGroupId), { error: EXPECTED.securityGroupIds })
    .min(1, { error: EXPECTED.securityGroupIds }),
  listenerArn: leaf<string>(FIELDS.listenerArn),
  host: leaf<string>(FIELDS.host),
  rulePriority: leaf<number>(FIELDS.rulePriority),
  port: leaf<number>(FIELDS.port).optional(),
};
const alarmsField = z
  .array(leaf<string>(FIELDS.alarmName), { error: EXPECTED.alarmNames })
  .min(1, { error: EXPECTED.alarmNames })
  .optional();

export const specSchema = object({
  app: leaf<string>(FIELDS.app),
  platform: leaf<Platform>(FIELDS.platform),
  ecs: object({
    region: leaf<string>(FIELDS.region),
    cluster: leaf<string>(FIELDS.cluster),
    ...albFields,
    cpu: leaf<number>(FIELDS.fargateCpu).optional(),
    memory: leaf<number>(FIELDS.fargateMemory).optional(),
    logRetentionDays: leaf<number>(FIELDS.logRetentionDays).optional(),
    taskRoleArn: leaf<string>(FIELDS.roleArn).optional(),
    alarms: alarmsField,
  }).optional(),
  ec2: object({
    region: leaf<string>(FIELDS.region),
    ...albFields,
    instanceType: leaf<string>(FIELDS.instanceType),
    userData: leaf<string>(FIELDS.userData).optional(),
    instanceProfile: leaf<string>(FIELDS.instanceProfile).optional(),
    alarms: alarmsField,
  }).optional(),
  dns: object({
    zoneId: leaf<string>(FIELDS.zoneId),
    name: leaf<string>(FIELDS.host),
    ttl: leaf<number>(FIELDS.dnsTtl).optional(),
    healthCheck: object({
      protocol: leaf<DnsHealthCheckProtocol>(FIELDS.dnsHealthCheckProtocol).optional(),
      port: leaf<number>(FIELDS.port).optional(),
      path: leaf<string>(FIELDS.dnsHealthCheckPath).optional(),
    }).optional(),
  }).optional(),
  kubernetes: object({
    namespace: leaf<string>(FIELDS.namespace).optional(),
    router: leaf<KubernetesRouter>(FIELDS.router).optional(),
    gateway: object({
      name: leaf<string>(FIELDS.objectName),
      namespace: leaf<string>(FIELDS.namespace),
      sectionName: leaf<string>(FIELDS.sectionName).optional(),
    }).optional(),
    ingressClassName: leaf<string>(FIELDS.objectName).optional(),
    tlsSecretName: leaf<string>(FIELDS.objectName).optional(),
    istioGateways: z
      .array(leaf<string>(FIELDS.istioGateway), { error: EXPECTED.istioGateways })
      .min(1, { error: EXPECTED.istioGateways })
      .optional(),
    host: leaf<string>(FIELDS.host),
    port: leaf<number>(FIELDS.port).optional(),
    context: leaf<string>(FIELDS.context).optional(),
    serviceAccountName: leaf<string>(FIELDS.objectName).optional(),
    imagePullSecrets: z.array(leaf<string>(FIELDS.objectName), { error: EXPECTED.secretNames }).optional(),
    gatewayApiChannel: leaf<GatewayApiChannel>(FIELDS.gatewayApiChannel).optional(),
    ignoreAnnotations: metadataPatterns.optional(),
    ignoreLabels: metadataPatterns.optional(),
  }).optional(),
  rollingUpdate: object({
    maxSurge: quantity.optional(),
    maxUnavailable: quantity.optional(),
    minReadySeconds: leaf<number>(FIELDS.minReadySeconds).optional(),
    progressDeadlineSeconds: leaf<number>(FIELDS.progressDeadlineSeconds).optional(),
  }).optional(),
  healthCheck: object({
    path: leaf<string>(FIELDS.healthCheckPath).optional(),
    periodSeconds: leaf<number>(FIELDS.healthCheckPeriodSeconds).optional(),
    failureThreshold: leaf<number>(FIELDS.healthCheckFailureThreshold).optional(),
    startupSeconds: leaf<number>(FIELDS.healthCheckStartupSeconds).optional(),
  }).optional(),
  resources: resources.optional(),
  routing: object({
    pinHeader: leaf<string>(FIELDS.pinHeader).optional(),
    stickySeconds: leaf<number>(FIELDS.stickySeconds).optional(),
    previewHosts: leaf<boolean>(FIELDS.boolean).optional(),
  }).optional(),
  security: object({
    allowRunAsRoot: leaf<boolean>(FIELDS.boolean).optional(),
    allowWritableRootFilesystem: leaf<boolean>(FIELDS.boolean).optional(),
    allowServiceAccountToken: leaf<boolean>(FIELDS.boolean).optional(),
    allowPublicIp: leaf<boolean>(FIELDS.boolean).optional(),
    allowPlainSecretEnv: leaf<boolean>(FIELDS.boolean).optional(),
    allowMutableTags: leaf<boolean>(FIELDS.boolean).optional(),
  }).optional(),
  drainSeconds: leaf<number>(FIELDS.drainSeconds).optional(),
  progression: object({
    steps: z
      .array(leaf<number | 'pause'>(FIELDS.progressionStep), { error: EXPECTED.steps })
      .min(1, { error: EXPECTED.steps })
      .optional(),
    maxStepPercent: leaf<number>(FIELDS.maxStepPercent).optional(),
    maxLoadFactor: leaf<number>(FIELDS.maxLoadFactor).optional(),
    defaultExpiry: leaf<string>(FIELDS.defaultExpiry).optional(),
    bakeSeconds: leaf<number>(FIELDS.bakeSeconds).optional(),
    checkIntervalSeconds: leaf<number>(FIELDS.checkIntervalSeconds).optional(),
    initialDelaySeconds: leaf<number>(FIELDS.initialDelaySeconds).optional(),
    failureLimit: leaf<number>(FIELDS.failureLimit).optional(),
    consecutiveErrorLimit: leaf<number>(FIELDS.consecutiveErrorLimit).optional(),
    inconclusiveLimit: leaf<number>(FIELDS.inconclusiveLimit).optional(),
    postPromotionSeconds: leaf<number>(FIELDS.postPromotionSeconds).optional(),
    checks: z.array(check, { error: EXPECTED.checks }).min(1, { error: EXPECTED.checks }).optional(),
    checkEnv: checkEnv.optional(),
    hooks: object({
      preRollout: z.array(check, { error: EXPECTED.checks }).min(1, { error: EXPECTED.checks }).optional(),
      postPromotion: z.array(check, { error: EXPECTED.checks }).min(1, { error: EXPECTED.checks }).optional(),
      onRollback: z.array(check, { error: EXPECTED.checks }).min(1, { error: EXPECTED.checks }).optional(),
    }).optional(),
    notify: z
      .array(object({ url: leaf<string>(FIELDS.notifyUrl) }), { error: EXPECTED.notify(MAX_NOTIFY_TARGETS) })
      .min(1, { error: EXPECTED.notify(MAX_NOTIFY_TARGETS) })
      .max(MAX_NOTIFY_TARGETS, { error: EXPECTED.notify(MAX_NOTIFY_TARGETS) })
      .optional(),
  }).optional(),
  env: env.optional(),
  secretEnv: secretEnv.optional(),
  migration: migration.optional(),
  autoscaling: autoscaling.optional(),
  podAnnotations: podAnnotations.optional(),
  backend: object({
    s3: object({
      bucket: leaf<string>(FIELDS.bucket),
      region: leaf<string>(FIELDS.region),
      keyPrefix: leaf<string>(FIELDS.keyPrefix).optional(),
    }).optional(),
    gcs: object({
      bucket: leaf<string>(FIELDS.gcsBucket),
      prefix: leaf<string>(FIELDS.gcsPrefix).optional(),
    }).optional(),
    azurerm: object({
      resourceGroupName: leaf<string>(FIELDS.resourceGroup),
      storageAccountName: leaf<string>(FIELDS.storageAccount),
      containerName: leaf<string>(FIELDS.blobContainer),
      keyPrefix: leaf<string>(FIELDS.blobKeyPrefix).optional(),
    }).optional(),
    cloud: object({
      organization: leaf<string>(FIELDS.organization),
      workspacePrefix: leaf<string>(FIELDS.workspacePrefix),
      hostname: leaf<string>(FIELDS.host).optional(),
      project: leaf<string>(FIELDS.project).optional(),
    }).optional(),
    kubernetes: object({
      namespace: leaf<string>(FIELDS.namespace),
      secretSuffixPrefix: leaf<string>(FIELDS.secretSuffixPrefix),
      context: leaf<string>(FIELDS.context).optional(),
    }).optional(),
    // Exactly one backend (model/state-keys.ts specBackendProblems): said here for editors too.
  })
    .register(JSON_FRAGMENTS, { minProperties: 1, maxProperties: 1 })
    .optional(),
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
