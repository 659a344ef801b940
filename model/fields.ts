import {
  AWS_LIMITS,
  CLUSTER_ARN,
  CLUSTER_NAME,
  FARGATE_MEMORY_RANGE,
  FARGATE_SIZES,
  HEX_ID,
  HTTP_TOKEN,
  isClusterNameOrArn,
  isListenerArn,
  isRegion,
  isRoleArn,
  isSecurityGroupId,
  isSubnetId,
  isVpcId,
  LISTENER_ARN,
  LOG_RETENTION_DAYS,
  MAX_RULE_PRIORITY,
  REGION,
  ROLE_ARN,
} from './aws';
import {
  BLOB_CONTAINER,
  BLOB_CONTAINER_LENGTH,
  GCS_BUCKET,
  GCS_BUCKET_GOOGLE,
  GCS_BUCKET_LENGTH,
  GCS_BUCKET_PART_LENGTH,
  GCS_BUCKET_PARTS,
  IPV4_ADDRESS,
  isGcsBucket,
  KUBERNETES_BACKEND_LIMITS,
  MAX_OBJECT_PREFIX_LENGTH,
  MAX_WORKSPACE_NAME_LENGTH,
  OBJECT_PREFIX,
  ORGANIZATION_NAME,
  PROJECT_NAME,
  PROJECT_NAME_LENGTH,
  RESOURCE_GROUP,
  RESOURCE_GROUP_LENGTH,
  S3_BUCKET,
  S3_BUCKET_LENGTH,
  SECRET_SUFFIX_PREFIX,
  STORAGE_ACCOUNT,
  STORAGE_ACCOUNT_LENGTH,
  WORKSPACE_NAME,
} from './backends';
import {
  AMI_PATTERN,
  EC2_LIMITS,
  EKS_NAME_PATTERN,
  INSTANCE_PROFILE_PATTERN,
  INSTANCE_TYPE_PATTERN,
  isAmiId,
  isEksClusterName,
  isInstanceProfileName,
  isInstanceType,
  isLaunchTemplateId,
  isNodeGroupName,
  isUserData,
} from './ec2';
import { DURATION_PATTERN, EXPIRY_PATTERN, isExpiry } from './expiry';
import { EXPECTED } from './messages';
import { Quantity } from './quantity';
import { isResourceQuantity, MAX_RESOURCE_QUANTITY_LENGTH, QUANTITY } from './resources';
import { MAX_MIN_READY_SECONDS, MAX_PROGRESS_DEADLINE_SECONDS } from './rolling';
import {
  EmptyResult,
  MAX_BAKE_SECONDS,
  MAX_CHECK_INTERVAL_SECONDS,
  MAX_CONSECUTIVE_ERROR_LIMIT,
  MAX_FAILURE_LIMIT,
  MAX_INCONCLUSIVE_LIMIT,
  MAX_INITIAL_DELAY_SECONDS,
  MAX_HTTP_TIMEOUT_SECONDS,
  MAX_QUERY_LENGTH,
  MAX_URL_LENGTH,
  PAUSE_STEP,
} from './release';
import { DnsHealthCheckProtocol, isZoneId, ROUTE53_LIMITS, ZONE_ID } from './route53';
import {
  ColorState,
  DNS_NAME_LIMITS,
  GatewayApiChannel,
  KubernetesRouter,
  MAX_DRAIN_SECONDS,
  MAX_ENV_NAME_LENGTH,
  MAX_PERCENT,
  MAX_REPLICAS,
  MAX_STARTUP_SECONDS,
  MAX_STICKY_SECONDS,
  Platform,
} from './types';

/**
 * What a single field allows, written once: the spec file's schema (spec-file/schema.ts) and the constructs'
 * props checks (workload.ts, the constructs) both read this table, so a bound can never differ
 * between a spec and library mode. A limit is a named constant, here or in the model file of the
 * API it comes from (aws.ts, ec2.ts, backends.ts, route53.ts, types.ts), and the predicate (a
 * pattern built from it, or a length check), the JSON Schema fragment and the text all take it.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SHORT_LABEL = `[a-z0-9]([-a-z0-9]{0,${DNS_NAME_LIMITS.labelLength - 2}}[a-z0-9])?`;
const DNS_SUBDOMAIN_SHORT_LABELS = new RegExp(`^${SHORT_LABEL}(\\.${SHORT_LABEL})*$`);
const IPV4 = /^\d+(\.\d+){3}$/;
export const MAX_APP_NAME_LENGTH = 20;
const APP_NAME = new RegExp(`^[a-z]([a-z0-9-]{0,${MAX_APP_NAME_LENGTH - 2}}[a-z0-9])?$`);
// Printable ASCII but "*" and "?", as the OCI reference grammar: no invisible or look-alike
// character can disguise the image in `status` and `plan`. No wildcard: the image names the ECR
// repository the execution role may pull, and `*` would let it pull every repository of the account.
const PRINTABLE_NO_WILDCARD = /^[\x21-\x29\x2b-\x3e\x40-\x7e]+$/;
const ENV_NAME = new RegExp(`^[A-Za-z_][A-Za-z0-9_]{0,${MAX_ENV_NAME_LENGTH - 1}}$`);
const SECRET_KEY = new RegExp(`^[-._a-zA-Z0-9]{1,${DNS_NAME_LIMITS.nameLength}}$`);
const ISTIO_GATEWAY = /^(mesh|[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;
const HEALTH_CHECK_PATH = /^\/\S*$/;
const RE2_REFUSES = /\(\?<?[=!]|\\[1-9]|\\k</;
const CONTEXT = /^\S+$/;
const MAX_LOAD_FACTOR = 100;
/**
 * The largest number of a `progression.defaultExpiry` duration: DURATION_PATTERN (expiry.ts) takes up to three digits.
 */
export const MAX_DURATION_COUNT = 999;
export const MAX_COLOR_NAME_LENGTH = 20;
export const MAX_PORT = 65535;
export const MAX_HEADER_NAME_LENGTH = 256;
const MAX_ALARM_NAME_LENGTH = 255;
const DNS_HEALTH_CHECK_PROTOCOLS = Object.values(DnsHealthCheckProtocol);
// release and checks: a host without userinfo (credentials are refused in every string anyway),
// then anything without whitespace; a Prometheus base URL has no query or fragment.
const CHECK_URL = /^https?:\/\/[^\s/?#@]+([/?#]\S*)?$/;
// A notification URL is no template: no `{` at all, so no placeholder can be meant.
const NOTIFY_URL = /^https?:\/\/[^\s/?#@{}]+([/?#][^\s{}]*)?$/;
const PROMETHEUS_URL = /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/;
const NOT_BLANK = /\S/;

/**
 * What JSON Schema can say of a field (`type`, `pattern`, bounds, `enum`): the JSON Schema of the
 * spec file (spec-file/json-schema.ts) is as strict as these, and never stricter than the predicate.
 */
export type JsonFragment = Readonly<Record<string, unknown>>;

/** A predicate that carries its JSON Schema fragment, declared beside it. */
export type Rule<T> = ((v: unknown) => v is T) & { readonly json: JsonFragment };

function predicate<T>(test: (v: unknown) => v is T, json: JsonFragment): Rule<T> {
  return Object.assign(test, { json });
}

export const isAppName = predicate((v): v is string => typeof v === 'string' && APP_NAME.test(v), {
  type: 'string',
  pattern: APP_NAME.source,
});
export const isColorName = predicate(
  (v): v is string => typeof v === 'string' && v.length <= MAX_COLOR_NAME_LENGTH && DNS_LABEL.test(v),
  { type: 'string', maxLength: MAX_COLOR_NAME_LENGTH, pattern: DNS_LABEL.source },
);
const { labelLength, nameLength } = DNS_NAME_LIMITS;
export const isDnsLabel = predicate(
  (v): v is string => typeof v === 'string' && v.length <= labelLength && DNS_LABEL.test(v),
  { type: 'string', maxLength: labelLength, pattern: DNS_LABEL.source },
);
export const isDnsSubdomain = predicate(
  (v): v is string => typeof v === 'string' && v.length <= nameLength && DNS_SUBDOMAIN.test(v),
  { type: 'string', maxLength: nameLength, pattern: DNS_SUBDOMAIN.source },
);
export const isHostname = predicate(
  (v): v is string => isDnsSubdomain(v) && !IPV4.test(v) && v.split('.').every((label) => label.length <= labelLength),
  { type: 'string', maxLength: nameLength, pattern: DNS_SUBDOMAIN_SHORT_LABELS.source, not: { pattern: IPV4.source } },
);
export const isImage = predicate(
  (v): v is string => typeof v === 'string' && v.length <= 1024 && PRINTABLE_NO_WILDCARD.test(v),
  { type: 'string', maxLength: 1024, pattern: PRINTABLE_NO_WILDCARD.source },
);
export const isHeaderName = predicate(
  (v): v is string => typeof v === 'string' && v.length <= MAX_HEADER_NAME_LENGTH && HTTP_TOKEN.test(v),
  { type: 'string', maxLength: MAX_HEADER_NAME_LENGTH, pattern: HTTP_TOKEN.source },
);
export const isEnvName = predicate((v): v is string => typeof v === 'string' && ENV_NAME.test(v), {
  type: 'string',
  pattern: ENV_NAME.source,
});
// Kubernetes refuses "." and "..", and keys starting with "..", as Secret keys (IsConfigMapKey).
export const isSecretKey = predicate(
  (v): v is string => typeof v === 'string' && SECRET_KEY.test(v) && v !== '.' && !v.startsWith('..'),
  { type: 'string', pattern: SECRET_KEY.source, not: { pattern: '^\\.(\\.|$)' } },
);
export const isIstioGateway = predicate(
  (v): v is string => typeof v === 'string' && v.length <= 317 && ISTIO_GATEWAY.test(v),
  { type: 'string', maxLength: 317, pattern: ISTIO_GATEWAY.source },
);
/** An HTTP path for a health check: "/" first, no whitespace, at most 1024 characters (the ALB's limit). */
export const isHealthCheckPath = predicate(
  (v): v is string => typeof v === 'string' && v.length <= 1024 && HEALTH_CHECK_PATH.test(v),
  { type: 'string', maxLength: 1024, pattern: HEALTH_CHECK_PATH.source },
);
/**
 * A regular expression the provider can use: Go's RE2 has no lookaround and no backreferences,
 * and the rest of its syntax is close enough to JavaScript's for a compile check.
 */
export const isRe2Pattern = predicate(
  (v): v is string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > 1024) return false;
    if (RE2_REFUSES.test(v)) return false;
    try {
      new RegExp(v);
      return true;
    } catch {
      return false;
    }
  },
  { type: 'string', minLength: 1, maxLength: 1024, not: { pattern: RE2_REFUSES.source } },
);
export const isWholeNumber = (min: number, max: number) =>
  predicate((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max, {
    type: 'integer',
    minimum: min,
    maximum: max,
  });
const isBoolean = predicate((v): v is boolean => typeof v === 'boolean', { type: 'boolean' });
const isOneOf = <T extends string | number>(values: readonly T[]) =>
  predicate((v): v is T => (values as readonly unknown[]).includes(v), { enum: values });
const matches = (re: RegExp, maxLength?: number) =>
  predicate(
    (v): v is string => typeof v === 'string' && (maxLength === undefined || v.length <= maxLength) && re.test(v),
    { type: 'string', pattern: re.source, ...(maxLength === undefined ? {} : { maxLength }) },
  );

function hexId(prefix: string): JsonFragment {
  return { type: 'string', pattern: HEX_ID(prefix).source };
}

const RESOURCE_QUANTITY: JsonFragment = {
  type: 'string',
  maxLength: MAX_RESOURCE_QUANTITY_LENGTH,
  pattern: QUANTITY.source,
};
const PLATFORMS = Object.values(Platform);
const ROUTERS = Object.values(KubernetesRouter);
const COLOR_STATES = Object.values(ColorState);
const GATEWAY_API_CHANNELS = Object.values(GatewayApiChannel);
const EMPTY_RESULTS = Object.values(EmptyResult);
const FARGATE_CPUS = Object.keys(FARGATE_SIZES).map(Number);

/** What one field allows: the test, its text for `received ...; expected <expected>`, and its JSON Schema fragment. */
export interface FieldRule {
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
  readonly json: JsonFragment;
}

function rule(expected: string, test: Rule<unknown>): FieldRule;
function rule(expected: string, test: (value: unknown) => boolean, json: JsonFragment): FieldRule;
function rule(expected: string, test: (value: unknown) => boolean, json?: JsonFragment): FieldRule {
  return { expected, test, json: json ?? (test as Rule<unknown>).json };
}
const whole = (min: number, max: number, expected = EXPECTED.count(min, max)) =>
  rule(expected, isWholeNumber(min, max));
const seconds = (min: number, max: number) => whole(min, max, EXPECTED.seconds(min, max));

/** Every single-field rule of the model, by concept. */
export const FIELDS = {
  app: rule(EXPECTED.app(MAX_APP_NAME_LENGTH), isAppName),
  platform: rule(EXPECTED.platform(PLATFORMS), isOneOf(PLATFORMS)),
  router: rule(EXPECTED.router(ROUTERS), isOneOf(ROUTERS)),
  state: rule(EXPECTED.state(COLOR_STATES), isOneOf(COLOR_STATES)),
  gatewayApiChannel: rule(EXPECTED.gatewayApiChannel(GATEWAY_API_CHANNELS), isOneOf(GATEWAY_API_CHANNELS)),
  colorName: rule(EXPECTED.colorName(MAX_COLOR_NAME_LENGTH), isColorName),
  image: rule(EXPECTED.image, isImage),
  weight: whole(0, MAX_PERCENT, EXPECTED.weight),
  replicas: whole(0, MAX_REPLICAS),
  namespace: rule(EXPECTED.namespace, isDnsLabel),
  objectName: rule(EXPECTED.objectName, isDnsSubdomain),
  sectionName: rule(EXPECTED.sectionName, isDnsSubdomain),
  host: rule(EXPECTED.host, isHostname),
  port: whole(1, MAX_PORT, EXPECTED.port(MAX_PORT)),
  context: rule(EXPECTED.context, matches(CONTEXT)),
  pinHeader: rule(EXPECTED.pinHeader(MAX_HEADER_NAME_LENGTH), isHeaderName),
  stickySeconds: seconds(1, MAX_STICKY_SECONDS),
  boolean: rule(EXPECTED.boolean, isBoolean),
  drainSeconds: seconds(0, MAX_DRAIN_SECONDS),
  healthCheckPath: rule(EXPECTED.healthPath, isHealthCheckPath),
  healthCheckPeriodSeconds: seconds(1, 3600),
  healthCheckFailureThreshold: whole(1, 100),
  healthCheckStartupSeconds: whole(0, MAX_STARTUP_SECONDS, EXPECTED.startupSeconds(0, MAX_STARTUP_SECONDS)),
  /** maxSurge and maxUnavailable as a spec file writes them: a count, or "N%". */
  quantity: rule(EXPECTED.quantity, (v) => Quantity.parse(v) !== undefined, {
    anyOf: [
      { type: 'integer', minimum: 0 },
      // 0 to MAX_PERCENT (100), with leading zeros up to three digits, as Quantity.parse reads them.
      { type: 'string', pattern: `^(\\d{1,2}|0\\d\\d|${MAX_PERCENT})%$` },
    ],
  }),
  minReadySeconds: seconds(0, MAX_MIN_READY_SECONDS),
  progressDeadlineSeconds: seconds(1, MAX_PROGRESS_DEADLINE_SECONDS),
  cpu: rule(EXPECTED.cpu, isResourceQuantity, RESOURCE_QUANTITY),
  memory: rule(EXPECTED.memory, isResourceQuantity, RESOURCE_QUANTITY),
  envName: rule(EXPECTED.envName, isEnvName),
  secretKey: rule(EXPECTED.secretKey, isSecretKey),
  envValue: rule(EXPECTED.envValue, (v) => typeof v === 'string' || typeof v === 'boolean', {
    type: ['string', 'boolean'],
  }),
  migrationCommandArgument: rule(EXPECTED.command, (v) => typeof v === 'string' && v.length > 0, {
    type: 'string',
    minLength: 1,
  }),
  migrationBackoffLimit: whole(0, 10),
  autoscalingMin: whole(1, MAX_REPLICAS),
  autoscalingMax: whole(1, MAX_REPLICAS),
  autoscalingCpuPercent: whole(1, 1000),
  istioGateway: rule(EXPECTED.istioGateway, isIstioGateway),
  metadataPattern: rule(EXPECTED.metadataPattern, isRe2Pattern),
  step: whole(1, MAX_PERCENT),
  /** A step of a spec file's `progression.steps`: a weight, or `pause`. */
  progressionStep: rule(EXPECTED.progressionStep, (v) => isWholeNumber(1, MAX_PERCENT)(v) || v === PAUSE_STEP, {
    anyOf: [{ type: 'integer', minimum: 1, maximum: MAX_PERCENT }, { const: PAUSE_STEP }],
  }),
  maxStepPercent: whole(1, MAX_PERCENT),
  region: rule(EXPECTED.region, isRegion, { type: 'string', pattern: REGION.source }),
  cluster: rule(EXPECTED.cluster(AWS_LIMITS.clusterNameLength), isClusterNameOrArn, {
    type: 'string',
    anyOf: [{ pattern: CLUSTER_NAME.source }, { pattern: CLUSTER_ARN.source }],
  }),
  vpcId: rule(EXPECTED.vpcId, isVpcId, hexId('vpc')),
  subnetId: rule(EXPECTED.subnetId, isSubnetId, hexId('subnet')),
  securityGroupId: rule(EXPECTED.securityGroupId, isSecurityGroupId, hexId('sg')),
  listenerArn: rule(EXPECTED.listenerArn(AWS_LIMITS.albIdDigits), isListenerArn, {
    type: 'string',
    pattern: LISTENER_ARN.source,
  }),
  /** The first priority of an app's rules: it takes this one to `rulePriority + 1000`. */
  rulePriority: whole(1, MAX_RULE_PRIORITY, EXPECTED.rulePriority(MAX_RULE_PRIORITY, AWS_LIMITS.colorRuleSlots)),
  /** One listener rule's own priority, as the ALB API allows it. */
  listenerRulePriority: whole(1, AWS_LIMITS.maxPriority),
  fargateCpu: rule(EXPECTED.fargateCpu(FARGATE_CPUS), isOneOf(FARGATE_CPUS)),
  fargateMemory: whole(FARGATE_MEMORY_RANGE.min, FARGATE_MEMORY_RANGE.max),
  logRetentionDays: rule(EXPECTED.logRetentionDays(LOG_RETENTION_DAYS), isOneOf(LOG_RETENTION_DAYS)),
  roleArn: rule(EXPECTED.roleArn, isRoleArn, { type: 'string', pattern: ROLE_ARN.source }),
  bucket: rule(
    EXPECTED.bucket(S3_BUCKET_LENGTH),
    (v) => typeof v === 'string' && S3_BUCKET.test(v) && !v.includes('..'),
    {
      type: 'string',
      pattern: S3_BUCKET.source,
      not: { pattern: '\\.\\.' },
    },
  ),
  keyPrefix: rule(EXPECTED.keyPrefix(MAX_OBJECT_PREFIX_LENGTH), matches(OBJECT_PREFIX, MAX_OBJECT_PREFIX_LENGTH)),
  // state backends other than S3: the rules and their sources are in backends.ts
  gcsBucket: rule(EXPECTED.gcsBucket(GCS_BUCKET_LENGTH, GCS_BUCKET_PART_LENGTH), isGcsBucket, {
    type: 'string',
    minLength: GCS_BUCKET_LENGTH.min,
    maxLength: GCS_BUCKET_LENGTH.max,
    pattern: GCS_BUCKET.source,
    allOf: [{ pattern: GCS_BUCKET_PARTS.source }],
    not: { anyOf: [{ pattern: GCS_BUCKET_GOOGLE.source }, { pattern: IPV4_ADDRESS.source }] },
  }),
  gcsPrefix: rule(EXPECTED.gcsPrefix(MAX_OBJECT_PREFIX_LENGTH), matches(OBJECT_PREFIX, MAX_OBJECT_PREFIX_LENGTH)),
  blobKeyPrefix: rule(
    EXPECTED.blobKeyPrefix(MAX_OBJECT_PREFIX_LENGTH),
    matches(OBJECT_PREFIX, MAX_OBJECT_PREFIX_LENGTH),
  ),
  storageAccount: rule(EXPECTED.storageAccount(STORAGE_ACCOUNT_LENGTH), matches(STORAGE_ACCOUNT)),
  blobContainer: rule(
    EXPECTED.blobContainer(BLOB_CONTAINER_LENGTH),
    (v) =>
      typeof v === 'string' &&
      v.length >= BLOB_CONTAINER_LENGTH.min &&
      v.length <= BLOB_CONTAINER_LENGTH.max &&
      BLOB_CONTAINER.test(v),
    {
      type: 'string',
      minLength: BLOB_CONTAINER_LENGTH.min,
      maxLength: BLOB_CONTAINER_LENGTH.max,
      pattern: BLOB_CONTAINER.source,
    },
  ),
  resourceGroup: rule(EXPECTED.resourceGroup(RESOURCE_GROUP_LENGTH), matches(RESOURCE_GROUP)),
  organization: rule(EXPECTED.organization, matches(ORGANIZATION_NAME)),
  workspacePrefix: rule(
    EXPECTED.workspacePrefix(MAX_WORKSPACE_NAME_LENGTH),
    matches(WORKSPACE_NAME, MAX_WORKSPACE_NAME_LENGTH),
  ),
  project: rule(EXPECTED.project(PROJECT_NAME_LENGTH), matches(PROJECT_NAME)),
  secretSuffixPrefix: rule(
    EXPECTED.secretSuffixPrefix(KUBERNETES_BACKEND_LIMITS.labelValueLength),
    matches(SECRET_SUFFIX_PREFIX, KUBERNETES_BACKEND_LIMITS.labelValueLength),
  ),
  // ec2 platform and rolling node groups (issue #14)
  ami: rule(EXPECTED.ami, isAmiId, { type: 'string', pattern: AMI_PATTERN }),
  instanceType: rule(EXPECTED.instanceType(EC2_LIMITS.instanceTypeLength), isInstanceType, {
    type: 'string',
    maxLength: EC2_LIMITS.instanceTypeLength,
    pattern: INSTANCE_TYPE_PATTERN,
  }),
  instanceProfile: rule(EXPECTED.instanceProfile(EC2_LIMITS.instanceProfileNameLength), isInstanceProfileName, {
    type: 'string',
    pattern: INSTANCE_PROFILE_PATTERN,
  }),
  // JSON Schema counts characters, EC2 bytes: the schema's bound is the larger, the validator's the exact one.
  userData: rule(EXPECTED.userData(EC2_LIMITS.userDataBytes), isUserData, {
    type: 'string',
    minLength: 1,
    maxLength: EC2_LIMITS.userDataBytes,
  }),
  eksClusterName: rule(EXPECTED.eksClusterName(EC2_LIMITS.clusterNameLength), isEksClusterName, {
    type: 'string',
    maxLength: EC2_LIMITS.clusterNameLength,
    pattern: EKS_NAME_PATTERN,
  }),
  nodeGroupName: rule(EXPECTED.nodeGroupName(EC2_LIMITS.nodeGroupNameLength), isNodeGroupName, {
    type: 'string',
    maxLength: EC2_LIMITS.nodeGroupNameLength,
    pattern: EKS_NAME_PATTERN,
  }),
  launchTemplateId: rule(EXPECTED.launchTemplateId, isLaunchTemplateId, hexId('lt')),
  nodeGroupMinSize: whole(0, MAX_REPLICAS, EXPECTED.nodeGroupSize(0, MAX_REPLICAS)),
  nodeGroupMaxSize: whole(1, MAX_REPLICAS, EXPECTED.nodeGroupSize(1, MAX_REPLICAS)),
  expires: rule(EXPECTED.expires, isExpiry, { type: 'string', pattern: EXPIRY_PATTERN.source }),
  defaultExpiry: rule(EXPECTED.defaultExpiry(MAX_DURATION_COUNT), matches(DURATION_PATTERN)),
  maxLoadFactor: rule(
    EXPECTED.maxLoadFactor(MAX_LOAD_FACTOR),
    (v) => typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= MAX_LOAD_FACTOR,
    { type: 'number', minimum: 1, maximum: MAX_LOAD_FACTOR },
  ),
  bakeSeconds: seconds(0, MAX_BAKE_SECONDS),
  checkIntervalSeconds: seconds(1, MAX_CHECK_INTERVAL_SECONDS),
  initialDelaySeconds: seconds(0, MAX_INITIAL_DELAY_SECONDS),
  failureLimit: whole(0, MAX_FAILURE_LIMIT),
  consecutiveErrorLimit: whole(0, MAX_CONSECUTIVE_ERROR_LIMIT),
  inconclusiveLimit: whole(0, MAX_INCONCLUSIVE_LIMIT),
  postPromotionSeconds: seconds(0, MAX_BAKE_SECONDS),
  checkName: rule(EXPECTED.checkName, isDnsLabel),
  checkUrl: rule(EXPECTED.checkUrl(MAX_URL_LENGTH), matches(CHECK_URL, MAX_URL_LENGTH)),
  notifyUrl: rule(EXPECTED.notifyUrl(MAX_URL_LENGTH), matches(NOTIFY_URL, MAX_URL_LENGTH)),
  prometheusUrl: rule(EXPECTED.prometheusUrl(MAX_URL_LENGTH), matches(PROMETHEUS_URL, MAX_URL_LENGTH)),
  promql: rule(EXPECTED.promql(MAX_QUERY_LENGTH), matches(NOT_BLANK, MAX_QUERY_LENGTH)),
  checkBound: rule(EXPECTED.checkBound, (v): v is number => typeof v === 'number' && Number.isFinite(v), {
    type: 'number',
  }),
  onEmpty: rule(EXPECTED.onEmpty(EMPTY_RESULTS), isOneOf(EMPTY_RESULTS)),
  expectStatus: whole(100, 599),
  httpTimeoutSeconds: seconds(1, MAX_HTTP_TIMEOUT_SECONDS),
  alarmName: rule(EXPECTED.alarmName(MAX_ALARM_NAME_LENGTH), matches(NOT_BLANK, MAX_ALARM_NAME_LENGTH)),
  // dns platform
  zoneId: rule(EXPECTED.zoneId(ROUTE53_LIMITS.zoneIdLength), isZoneId, {
    type: 'string',
    maxLength: ROUTE53_LIMITS.zoneIdLength,
    pattern: ZONE_ID.source,
  }),
  dnsTtl: whole(0, ROUTE53_LIMITS.maxTtl, EXPECTED.dnsTtl(ROUTE53_LIMITS.maxTtl)),
  dnsHealthCheckProtocol: rule(
    EXPECTED.dnsHealthCheckProtocol(DNS_HEALTH_CHECK_PROTOCOLS),
    isOneOf(DNS_HEALTH_CHECK_PROTOCOLS),
  ),
  dnsHealthCheckPath: rule(
    EXPECTED.dnsHealthCheckPath(ROUTE53_LIMITS.healthCheckPathLength),
    matches(HEALTH_CHECK_PATH, ROUTE53_LIMITS.healthCheckPathLength),
  ),
} as const satisfies Record<string, FieldRule>;

export type FieldName = keyof typeof FIELDS;
