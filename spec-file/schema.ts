import { FARGATE_DEFAULTS } from '../model/aws';
import { DEFAULT_CLOUD_HOSTNAME } from '../model/backends';
import { FIELDS } from '../model/fields';
import { EXPECTED } from '../model/messages';
import type { Quantity } from '../model/quantity';
import {
  COMMAND_CHECK_ENV,
  DEFAULT_BAKE_SECONDS,
  DEFAULT_CHECK_INTERVAL_SECONDS,
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_EXPECT_STATUS,
  DEFAULT_FAILURE_LIMIT,
  DEFAULT_HTTP_TIMEOUT_SECONDS,
  DEFAULT_INCONCLUSIVE_LIMIT,
  DEFAULT_INITIAL_DELAY_SECONDS,
  DEFAULT_POST_PROMOTION_SECONDS,
  EmptyResult,
  MAX_CHECK_ENV,
  MAX_NOTIFY_TARGETS,
} from '../model/release';
import { RESOURCE_DEFAULTS, ResourceRequirements } from '../model/resources';
import { ROLLING_UPDATE_DEFAULTS } from '../model/rolling';
import { DEFAULT_DNS_TTL, DnsHealthCheckProtocol } from '../model/route53';
import { anything, array, fieldsAt, Infer, leaf, object, record, union } from '../model/shape';
import type { FieldRule } from '../model/fields';
import {
  ColorState,
  DEFAULT_CPU_PERCENT,
  DEFAULT_DRAIN_SECONDS,
  DEFAULT_GATEWAY_API_CHANNEL,
  DEFAULT_IGNORE_ANNOTATIONS,
  DEFAULT_IGNORE_LABELS,
  DEFAULT_INGRESS_CLASS_NAME,
  DEFAULT_KUBERNETES_ROUTER,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_MAX_LOAD_FACTOR,
  DEFAULT_MAX_STEP_PERCENT,
  DEFAULT_PORT,
  DEFAULT_REPLICAS,
  HEALTH_CHECK_DEFAULTS,
  MIGRATION_DEFAULTS,
  SECURE_DEFAULTS,
} from '../model/types';
import type { GatewayApiChannel, KubernetesRouter, Platform } from '../model/types';

/**
 * The shape of a spec file, field by field (model/shape.ts): validate.ts checks a document with it,
 * json-schema.ts writes the editor schema from it. Cross-field rules (weights add up to 100, unique
 * names, ...) live in model/spec-rules.ts; validate.ts runs them and fills in the defaults. A
 * field's `withDefault` names the model's constant the resolver fills in, for the JSON Schema's
 * `default` and the docs' tables (field-docs.ts); test/spec-file/json-schema.test.ts holds the two equal.
 *
 * Every leaf is a rule of fields.ts (a predicate with the text of what it allows and its JSON
 * Schema fragment, shared with the constructs), so every message reads
 * `received <value>; expected <what is allowed>`.
 */

const quantity = leaf<number | string>(FIELDS.quantity);

/** maxSurge and maxUnavailable as a spec file writes them: `25%`, or a count. */
function specQuantity(value: Quantity): number | string {
  return value.isPercent ? value.toString() : value.value;
}

/**
 * Requests and limits: the spec's with the model's defaults, a color's without (it overrides the
 * spec's field by field).
 */
function resourcesShape(defaults: ResourceRequirements) {
  const value = (rule: FieldRule, given: string | undefined) =>
    given === undefined ? leaf<string>(rule).optional() : leaf<string>(rule).withDefault(given);
  return object({
    requests: object({
      cpu: value(FIELDS.cpu, defaults.requests?.cpu),
      memory: value(FIELDS.memory, defaults.requests?.memory),
    }).optional(),
    limits: object({
      cpu: value(FIELDS.cpu, defaults.limits?.cpu),
      memory: value(FIELDS.memory, defaults.limits?.memory),
    }).optional(),
  });
}
const resources = resourcesShape(RESOURCE_DEFAULTS);

const migration = object({
  command: array(leaf<string>(FIELDS.migrationCommandArgument), { expected: EXPECTED.command, min: 1 }),
  image: leaf<string>(FIELDS.image).optional(),
  backoffLimit: leaf<number>(FIELDS.migrationBackoffLimit).withDefault(MIGRATION_DEFAULTS.backoffLimit),
  // Refused in model/spec-rules.ts with the reason it went away.
  ttlSeconds: anything({ not: {}, deprecated: true, description: EXPECTED.migrationTtlSeconds }).optional(),
});

const autoscaling = object({
  min: leaf<number>(FIELDS.autoscalingMin),
  max: leaf<number>(FIELDS.autoscalingMax),
  cpuPercent: leaf<number>(FIELDS.autoscalingCpuPercent).withDefault(DEFAULT_CPU_PERCENT),
});

// Names are checked in model/spec-rules.ts, where the message can name the key.
const env = record(leaf<string | boolean>(FIELDS.envValue), { expected: EXPECTED.env, keys: FIELDS.envName.json });
const secretEnv = record(
  object({
    secret: leaf<string>(FIELDS.objectName),
    key: leaf<string>(FIELDS.secretKey),
  }),
  { expected: EXPECTED.secretEnv, keys: FIELDS.envName.json },
);

// Keys and values are checked in model/spec-rules.ts, where the message can name the key.
const podAnnotations = record(anything({ type: 'string', description: EXPECTED.annotationValue }), {
  expected: EXPECTED.podAnnotations,
});
const metadataPatterns = array(leaf<string>(FIELDS.metadataPattern), { expected: EXPECTED.metadataPatterns });

// release and checks: which kind a check is, and its placeholders, are checked in release-rules.ts.
const check = object({
  name: leaf<string>(FIELDS.checkName),
  prometheus: object({
    url: leaf<string>(FIELDS.prometheusUrl),
    query: leaf<string>(FIELDS.promql),
    max: leaf<number>(FIELDS.checkBound).optional(),
    min: leaf<number>(FIELDS.checkBound).optional(),
    onEmpty: leaf<EmptyResult>(FIELDS.onEmpty).withDefault(EmptyResult.FAIL),
  }).optional(),
  http: object({
    url: leaf<string>(FIELDS.checkUrl),
    expectStatus: leaf<number>(FIELDS.expectStatus).withDefault(DEFAULT_EXPECT_STATUS),
    timeoutSeconds: leaf<number>(FIELDS.httpTimeoutSeconds).withDefault(DEFAULT_HTTP_TIMEOUT_SECONDS),
  }).optional(),
  command: array(leaf<string>(FIELDS.migrationCommandArgument), { expected: EXPECTED.command, min: 1 }).optional(),
});

const checks = array(check, { expected: EXPECTED.checks, min: 1 });

// Each name is checked in the refinement, beside the rule that it is given once (a shape JSON
// Schema states: uniqueItems), so that a name given twice shows together with an invalid one.
const CHECK_ENV = EXPECTED.checkEnv(MAX_CHECK_ENV, COMMAND_CHECK_ENV);
const checkEnv = array(anything<string>({ ...FIELDS.envName.json, description: EXPECTED.envName }), {
  expected: CHECK_ENV,
  max: MAX_CHECK_ENV,
  refine: (names, problem) => {
    const first = new Map<unknown, number>();
    names.forEach((name, i) => {
      if (!FIELDS.envName.test(name)) {
        problem(i, name, EXPECTED.envName);
        return;
      }
      const at = first.get(name);
      if (at === undefined) first.set(name, i);
      else problem(i, name, EXPECTED.checkEnvDuplicate(at));
    });
  },
  json: { uniqueItems: true, description: CHECK_ENV },
});

// dns platform: a hostname, or an alias target; which colors need one is checked in model/dns.ts.
const endpoint = union(
  [
    leaf<string>(FIELDS.host),
    object({ alias: object({ name: leaf<string>(FIELDS.host), zoneId: leaf<string>(FIELDS.zoneId) }) }),
  ],
  EXPECTED.dnsEndpoint,
);

const cohortMap = record(anything({ type: 'string', description: EXPECTED.cohortValue }), {
  expected: EXPECTED.cohortMap,
});

const color = object({
  name: leaf<string>(FIELDS.colorName),
  // Required on every platform but dns (model/dns.ts colorTargetProblems).
  image: leaf<string>(FIELDS.image).optional(),
  weight: leaf<number>(FIELDS.weight),
  replicas: leaf<number>(FIELDS.replicas).withDefault(DEFAULT_REPLICAS),
  state: leaf<ColorState>(FIELDS.state).withDefault(ColorState.LIVE),
  resources: resourcesShape({}).optional(),
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
    headers: cohortMap.optional(),
    cookies: cohortMap.optional(),
  }).optional(),
});

/** The ALB listener and network fields of the ecs and ec2 blocks, in the order both list them after `region`. */
const albFields = {
  vpcId: leaf<string>(FIELDS.vpcId),
  subnetIds: array(leaf<string>(FIELDS.subnetId), { expected: EXPECTED.subnetIds, min: 1 }),
  securityGroupIds: array(leaf<string>(FIELDS.securityGroupId), { expected: EXPECTED.securityGroupIds, min: 1 }),
  listenerArn: leaf<string>(FIELDS.listenerArn),
  host: leaf<string>(FIELDS.host),
  rulePriority: leaf<number>(FIELDS.rulePriority),
  port: leaf<number>(FIELDS.port).withDefault(DEFAULT_PORT),
};
const alarmsField = array(leaf<string>(FIELDS.alarmName), { expected: EXPECTED.alarmNames, min: 1 }).optional();

export const specShape = object({
  app: leaf<string>(FIELDS.app),
  platform: leaf<Platform>(FIELDS.platform),
  ecs: object({
    region: leaf<string>(FIELDS.region),
    cluster: leaf<string>(FIELDS.cluster),
    ...albFields,
    cpu: leaf<number>(FIELDS.fargateCpu).withDefault(FARGATE_DEFAULTS.cpu),
    memory: leaf<number>(FIELDS.fargateMemory).withDefault(FARGATE_DEFAULTS.memory),
    logRetentionDays: leaf<number>(FIELDS.logRetentionDays).withDefault(DEFAULT_LOG_RETENTION_DAYS),
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
    ttl: leaf<number>(FIELDS.dnsTtl).withDefault(DEFAULT_DNS_TTL),
    healthCheck: object({
      protocol: leaf<DnsHealthCheckProtocol>(FIELDS.dnsHealthCheckProtocol).withDefault(DnsHealthCheckProtocol.HTTPS),
      // Its default depends on the protocol (model/dns.ts): the docs say it.
      port: leaf<number>(FIELDS.port).optional(),
      path: leaf<string>(FIELDS.dnsHealthCheckPath).withDefault(HEALTH_CHECK_DEFAULTS.path),
    }).optional(),
  }).optional(),
  kubernetes: object({
    namespace: leaf<string>(FIELDS.namespace).optional(),
    router: leaf<KubernetesRouter>(FIELDS.router).withDefault(DEFAULT_KUBERNETES_ROUTER),
    gateway: object({
      name: leaf<string>(FIELDS.objectName),
      namespace: leaf<string>(FIELDS.namespace),
      sectionName: leaf<string>(FIELDS.sectionName).optional(),
    }).optional(),
    ingressClassName: leaf<string>(FIELDS.objectName).withDefault(DEFAULT_INGRESS_CLASS_NAME),
    tlsSecretName: leaf<string>(FIELDS.objectName).optional(),
    istioGateways: array(leaf<string>(FIELDS.istioGateway), { expected: EXPECTED.istioGateways, min: 1 }).optional(),
    host: leaf<string>(FIELDS.host),
    port: leaf<number>(FIELDS.port).withDefault(DEFAULT_PORT),
    context: leaf<string>(FIELDS.context).optional(),
    serviceAccountName: leaf<string>(FIELDS.objectName).optional(),
    imagePullSecrets: array(leaf<string>(FIELDS.objectName), { expected: EXPECTED.secretNames }).optional(),
    gatewayApiChannel: leaf<GatewayApiChannel>(FIELDS.gatewayApiChannel).withDefault(DEFAULT_GATEWAY_API_CHANNEL),
    ignoreAnnotations: metadataPatterns.withDefault(DEFAULT_IGNORE_ANNOTATIONS),
    ignoreLabels: metadataPatterns.withDefault(DEFAULT_IGNORE_LABELS),
  }).optional(),
  rollingUpdate: object({
    maxSurge: quantity.withDefault(specQuantity(ROLLING_UPDATE_DEFAULTS.maxSurge)),
    maxUnavailable: quantity.withDefault(specQuantity(ROLLING_UPDATE_DEFAULTS.maxUnavailable)),
    minReadySeconds: leaf<number>(FIELDS.minReadySeconds).withDefault(ROLLING_UPDATE_DEFAULTS.minReadySeconds),
    progressDeadlineSeconds: leaf<number>(FIELDS.progressDeadlineSeconds).withDefault(
      ROLLING_UPDATE_DEFAULTS.progressDeadlineSeconds,
    ),
  }).optional(),
  healthCheck: object({
    path: leaf<string>(FIELDS.healthCheckPath).withDefault(HEALTH_CHECK_DEFAULTS.path),
    periodSeconds: leaf<number>(FIELDS.healthCheckPeriodSeconds).withDefault(HEALTH_CHECK_DEFAULTS.periodSeconds),
    failureThreshold: leaf<number>(FIELDS.healthCheckFailureThreshold).withDefault(
      HEALTH_CHECK_DEFAULTS.failureThreshold,
    ),
    startupSeconds: leaf<number>(FIELDS.healthCheckStartupSeconds).withDefault(HEALTH_CHECK_DEFAULTS.startupSeconds),
  }).optional(),
  resources: resources.optional(),
  routing: object({
    pinHeader: leaf<string>(FIELDS.pinHeader).optional(),
    stickySeconds: leaf<number>(FIELDS.stickySeconds).optional(),
    // No constant of the model to take: validate.ts fills in false.
    previewHosts: leaf<boolean>(FIELDS.boolean).withDefault(false),
  }).optional(),
  security: object({
    allowRunAsRoot: leaf<boolean>(FIELDS.boolean).withDefault(SECURE_DEFAULTS.allowRunAsRoot),
    allowWritableRootFilesystem: leaf<boolean>(FIELDS.boolean).withDefault(SECURE_DEFAULTS.allowWritableRootFilesystem),
    allowServiceAccountToken: leaf<boolean>(FIELDS.boolean).withDefault(SECURE_DEFAULTS.allowServiceAccountToken),
    allowPublicIp: leaf<boolean>(FIELDS.boolean).withDefault(SECURE_DEFAULTS.allowPublicIp),
    allowPlainSecretEnv: leaf<boolean>(FIELDS.boolean).withDefault(SECURE_DEFAULTS.allowPlainSecretEnv),
    allowMutableTags: leaf<boolean>(FIELDS.boolean).withDefault(SECURE_DEFAULTS.allowMutableTags),
  }).optional(),
  drainSeconds: leaf<number>(FIELDS.drainSeconds).withDefault(DEFAULT_DRAIN_SECONDS),
  progression: object({
    steps: array(leaf<number | 'pause'>(FIELDS.progressionStep), { expected: EXPECTED.steps, min: 1 }).optional(),
    maxStepPercent: leaf<number>(FIELDS.maxStepPercent).withDefault(DEFAULT_MAX_STEP_PERCENT),
    maxLoadFactor: leaf<number>(FIELDS.maxLoadFactor).withDefault(DEFAULT_MAX_LOAD_FACTOR),
    defaultExpiry: leaf<string>(FIELDS.defaultExpiry).optional(),
    bakeSeconds: leaf<number>(FIELDS.bakeSeconds).withDefault(DEFAULT_BAKE_SECONDS),
    checkIntervalSeconds: leaf<number>(FIELDS.checkIntervalSeconds).withDefault(DEFAULT_CHECK_INTERVAL_SECONDS),
    initialDelaySeconds: leaf<number>(FIELDS.initialDelaySeconds).withDefault(DEFAULT_INITIAL_DELAY_SECONDS),
    failureLimit: leaf<number>(FIELDS.failureLimit).withDefault(DEFAULT_FAILURE_LIMIT),
    consecutiveErrorLimit: leaf<number>(FIELDS.consecutiveErrorLimit).withDefault(DEFAULT_CONSECUTIVE_ERROR_LIMIT),
    inconclusiveLimit: leaf<number>(FIELDS.inconclusiveLimit).withDefault(DEFAULT_INCONCLUSIVE_LIMIT),
    postPromotionSeconds: leaf<number>(FIELDS.postPromotionSeconds).withDefault(DEFAULT_POST_PROMOTION_SECONDS),
    checks: checks.optional(),
    checkEnv: checkEnv.optional(),
    hooks: object({
      preRollout: checks.optional(),
      postPromotion: checks.optional(),
      onRollback: checks.optional(),
    }).optional(),
    notify: array(object({ url: leaf<string>(FIELDS.notifyUrl) }), {
      expected: EXPECTED.notify(MAX_NOTIFY_TARGETS),
      min: 1,
      max: MAX_NOTIFY_TARGETS,
    }).optional(),
  }).optional(),
  env: env.optional(),
  secretEnv: secretEnv.optional(),
  migration: migration.optional(),
  autoscaling: autoscaling.optional(),
  podAnnotations: podAnnotations.optional(),
  backend: object(
    {
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
        hostname: leaf<string>(FIELDS.host).withDefault(DEFAULT_CLOUD_HOSTNAME),
        project: leaf<string>(FIELDS.project).optional(),
      }).optional(),
      kubernetes: object({
        namespace: leaf<string>(FIELDS.namespace),
        secretSuffixPrefix: leaf<string>(FIELDS.secretSuffixPrefix),
        context: leaf<string>(FIELDS.context).optional(),
      }).optional(),
    },
    // Exactly one backend (model/state-keys.ts specBackendProblems): said here for editors too.
    { json: { minProperties: 1, maxProperties: 1 } },
  ).optional(),
  colors: array(color, { expected: EXPECTED.colors, min: 1 }),
});

export type RawSpec = Infer<typeof specShape>;
export type RawColor = Infer<typeof color>;

/** The field names allowed in the object at `path` (for "unknown field" messages), or [] if none is there. */
export function allowedFields(path: ReadonlyArray<PropertyKey>): string[] {
  return fieldsAt(specShape, path);
}
