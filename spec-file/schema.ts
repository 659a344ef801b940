import { FIELDS } from '../model/fields';
import { EXPECTED } from '../model/messages';
import type { ColorState, GatewayApiChannel, KubernetesRouter, Platform } from '../model/types';
import { COMMAND_CHECK_ENV, MAX_CHECK_ENV, MAX_NOTIFY_TARGETS } from '../model/release';
import type { EmptyResult } from '../model/release';
import type { DnsHealthCheckProtocol } from '../model/route53';
import { anything, array, fieldsAt, Infer, leaf, object, record, union } from '../model/shape';

/**
 * The shape of a spec file, field by field (model/shape.ts): validate.ts checks a document with it,
 * json-schema.ts writes the editor schema from it. Cross-field rules (weights add up to 100, unique
 * names, ...) live in model/spec-rules.ts; validate.ts runs them and fills in the defaults.
 *
 * Every leaf is a rule of fields.ts (a predicate with the text of what it allows and its JSON
 * Schema fragment, shared with the constructs), so every message reads
 * `received <value>; expected <what is allowed>`.
 */

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
  command: array(leaf<string>(FIELDS.migrationCommandArgument), { expected: EXPECTED.command, min: 1 }),
  image: leaf<string>(FIELDS.image).optional(),
  backoffLimit: leaf<number>(FIELDS.migrationBackoffLimit).optional(),
  // Refused in model/spec-rules.ts with the reason it went away.
  ttlSeconds: anything({ not: {}, deprecated: true, description: EXPECTED.migrationTtlSeconds }).optional(),
});

const autoscaling = object({
  min: leaf<number>(FIELDS.autoscalingMin),
  max: leaf<number>(FIELDS.autoscalingMax),
  cpuPercent: leaf<number>(FIELDS.autoscalingCpuPercent).optional(),
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
    onEmpty: leaf<EmptyResult>(FIELDS.onEmpty).optional(),
  }).optional(),
  http: object({
    url: leaf<string>(FIELDS.checkUrl),
    expectStatus: leaf<number>(FIELDS.expectStatus).optional(),
    timeoutSeconds: leaf<number>(FIELDS.httpTimeoutSeconds).optional(),
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
  port: leaf<number>(FIELDS.port).optional(),
};
const alarmsField = array(leaf<string>(FIELDS.alarmName), { expected: EXPECTED.alarmNames, min: 1 }).optional();

export const specShape = object({
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
    istioGateways: array(leaf<string>(FIELDS.istioGateway), { expected: EXPECTED.istioGateways, min: 1 }).optional(),
    host: leaf<string>(FIELDS.host),
    port: leaf<number>(FIELDS.port).optional(),
    context: leaf<string>(FIELDS.context).optional(),
    serviceAccountName: leaf<string>(FIELDS.objectName).optional(),
    imagePullSecrets: array(leaf<string>(FIELDS.objectName), { expected: EXPECTED.secretNames }).optional(),
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
    steps: array(leaf<number | 'pause'>(FIELDS.progressionStep), { expected: EXPECTED.steps, min: 1 }).optional(),
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
        hostname: leaf<string>(FIELDS.host).optional(),
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
