/**
 * The model's message texts: what each field allows (EXPECTED) and every problem the model's rules
 * report, for spec files and construct props alike; and the helpers every layer's texts use to show
 * a received value.
 *
 * Messages say what was received and what is allowed, so the reader can fix the input without
 * opening the docs. Field problems read `received <value>; expected <what is allowed>`.
 *
 * Each layer above keeps the texts only it prints: spec-file/messages.ts (reading a file),
 * planning/messages.ts (the safety rules of a change), constructs/messages.ts, stacks/messages.ts,
 * engine/messages.ts and engine/release-messages.ts, cli/messages.ts. A text two layers print
 * stays here, or in the lower of the two.
 *
 * A text never writes a limit (a length, a bound, a count of digits) as a number: the limit is a
 * named constant beside the rule that holds it, and the text takes it as a parameter (the field
 * table, model/fields.ts, passes it), or, for a text other modules read as it is, imports it from
 * a module that imports no message (types.ts, route53.ts), so that the text can be built while
 * this module loads. test/model/limits.test.ts keeps it so.
 */

import { LOAD_BALANCER_ALIAS_TTL } from './route53';
import { hasUrlCredentials, quoteText } from './text';
import { DNS_NAME_LIMITS, EC2_ID_DIGITS, KUBERNETES_NAME_LIMITS, MAX_ENV_NAME_LENGTH, MAX_PERCENT } from './types';

/**
 * How a received value is shown in a message: short, escaped, and unambiguous about its type.
 * A secret (a value under `secretEnv` or a secret-like name, or any URL with credentials) is
 * described by its type and length only.
 */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  // What YAML's !!omap, !!set, !!timestamp and !!binary tags make: named, so that "expected an object" reads right.
  if (value instanceof Map) return 'a Map (YAML !!omap)';
  if (value instanceof Set) return 'a Set (YAML !!set)';
  if (value instanceof Date) return 'a Date (YAML !!timestamp)';
  if (value instanceof Uint8Array) return 'bytes (YAML !!binary)';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    if (value !== '' && hasUrlCredentials(value)) return `a URL with credentials (${value.length} characters)`;
    if (secret)
      return value === ''
        ? 'an empty string'
        : `a string of ${value.length} ${value.length === 1 ? 'character' : 'characters'}`;
    const shown = quoteText(value);
    return value.length > 20 ? `${shown} (${value.length} characters)` : shown;
  }
  if (secret)
    return typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : `a ${typeof value}`;
  // What is left is a scalar (number, boolean, null, undefined, bigint): its own text.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value);
}

/** The allowed values, as a message lists them: `"a", "b" or "c"` (strings quoted), `1, 3 or 5`. */
export function choices(values: ReadonlyArray<string | number>): string {
  const shown = values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v)));
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** `received <value>; expected <what is allowed>`; `secret` as for describeValue. */
export function received(value: unknown, expected: string, secret = false): string {
  return `received ${describeValue(value, secret)}; expected ${expected}`;
}

const DNS_LABEL = 'lowercase letters, digits and hyphens, alphanumeric first and last';
const PLACEHOLDER_LIST = '{{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}}';
const EC2_ID = (prefix: string) => `"${prefix}-" and ${EC2_ID_DIGITS.join(' or ')} hexadecimal digits`;

/** The least and the most a value may be: a length, a count, a percent. */
interface Bounds {
  readonly min: number;
  readonly max: number;
}

/** What each spec field allows, as the second half of a `received ...; expected ...` message. */
export const EXPECTED = {
  app: (maxLength: number) =>
    `a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most ${maxLength} characters`,
  platform: choices,
  router: choices,
  namespace: `a Kubernetes namespace: ${DNS_LABEL}, at most ${DNS_NAME_LIMITS.labelLength} characters`,
  objectName: `a Kubernetes object name: ${DNS_LABEL}, dots between parts, at most ${DNS_NAME_LIMITS.nameLength} characters`,
  sectionName: `a listener name: ${DNS_LABEL}, dots between parts, at most ${DNS_NAME_LIMITS.nameLength} characters`,
  host: `a DNS name such as shop.example.com: labels of ${DNS_LABEL}, separated by dots, at most ${DNS_NAME_LIMITS.nameLength} characters`,
  port: (max: number) => `a whole number from 1 to ${max}`,
  context: 'a kubeconfig context name: a non-empty string without whitespace',
  quantity: `a whole number of at least 0, or a percent "N%" with N a whole number from 0 to ${MAX_PERCENT}`,
  seconds: (min: number, max: number) => `a whole number of seconds from ${min} to ${max}`,
  count: (min: number, max: number) => `a whole number from ${min} to ${max}`,
  healthPath: 'a URL path starting with "/", without whitespace',
  cpu: 'a Kubernetes CPU quantity such as 100m, 0.5 or 2',
  memory: 'a Kubernetes memory quantity such as 128Mi, 1Gi or 500M',
  pinHeader: (maxLength: number) =>
    `an HTTP header name: letters, digits and !#$%&'*+-.^_\`|~, at most ${maxLength} characters`,
  bucket: (length: Bounds) =>
    `an S3 bucket name: ${length.min} to ${length.max} lowercase letters, digits, dots or hyphens, alphanumeric first and last`,
  region: 'an AWS region such as eu-west-1',
  keyPrefix: (maxLength: number) =>
    `an S3 key prefix: letters, digits and !-_.*'()/, not starting or ending with "/", at most ${maxLength} characters`,
  // state backends other than S3 (model/backends.ts names the source of each rule)
  gcsBucket: (length: Bounds, partLength: number) =>
    `a GCS bucket name: ${length.min} to ${partLength} lowercase letters, digits, "-", "_" or "." (up to ${length.max} with dots, at most ${partLength} between two), alphanumeric first and last, not an IP address, not starting with "goog" nor containing "google"`,
  gcsPrefix: (maxLength: number) =>
    `a GCS object prefix: letters, digits and !-_.*'()/, not starting or ending with "/", at most ${maxLength} characters`,
  blobKeyPrefix: (maxLength: number) =>
    `a blob name prefix: letters, digits and !-_.*'()/, not starting or ending with "/", at most ${maxLength} characters`,
  storageAccount: (length: Bounds) =>
    `an Azure storage account name: ${length.min} to ${length.max} lowercase letters and digits`,
  blobContainer: (length: Bounds) =>
    `an Azure blob container name: ${length.min} to ${length.max} lowercase letters, digits and hyphens, alphanumeric first and last, no two hyphens in a row`,
  resourceGroup: (length: Bounds) =>
    `an Azure resource group name: ${length.min} to ${length.max} ASCII letters, digits, "_", "-", ".", "(" or ")", not ending in "."`,
  organization: 'an HCP Terraform organization name: letters, digits, "-", "_" or "."',
  workspacePrefix: (max: number) =>
    `the start of HCP Terraform workspace names: letters, digits, "-" or "_"; each stack's workspace <workspacePrefix>-<stack> must have at most ${max} characters`,
  project: (length: Bounds) =>
    `an HCP Terraform project name: ${length.min} to ${length.max} letters, digits, spaces, "-" or "_", no space first or last`,
  secretSuffixPrefix: (max: number) =>
    `the start of Kubernetes Secret suffixes: ${DNS_LABEL}, dots between parts; each stack's suffix <secretSuffixPrefix>-<stack> must have at most ${max} characters`,
  colorName: (maxLength: number) => `${DNS_LABEL}, at most ${maxLength} characters`,
  image: 'a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
  weight: `a whole number from 0 to ${MAX_PERCENT}`,
  state: choices,
  colors: 'a list of at least one color',
  istioGateways: 'a list of at least one Istio gateway, each "namespace/name" or "mesh"',
  istioGateway: 'an Istio gateway as "namespace/name" (each lowercase letters, digits and hyphens), or "mesh"',
  secretNames: 'a list of Secret names',
  boolean: 'true or false',
  steps: `a list of at least one weight, increasing, each from 1 to ${MAX_PERCENT}, such as [5, 25, 50, 100]`,
  command: 'a list of at least one non-empty string: the command and its arguments',
  env: 'an object of environment variable names to values',
  envValue:
    'a string, or true/false: quote numbers ("8080", "1.10") so that they reach the container exactly as written',
  envName: `an environment variable name: a letter or "_" first, then letters, digits or "_", at most ${MAX_ENV_NAME_LENGTH} characters`,
  secretEnv: 'an object of environment variable names to { secret, key }',
  secretKey: `a Secret key: letters, digits, "-", "_" or ".", not "." or "..", not starting with "..", at most ${DNS_NAME_LIMITS.nameLength} characters`,
  cluster: (maxLength: number) =>
    `an ECS cluster name (letters, digits, "-" and "_", at most ${maxLength}) or ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)`,
  vpcId: `a VPC id: ${EC2_ID('vpc')}`,
  subnetIds: 'a list of at least one subnet id',
  subnetId: `a subnet id: ${EC2_ID('subnet')}`,
  securityGroupIds: 'a list of at least one security group id',
  securityGroupId: `a security group id: ${EC2_ID('sg')}`,
  listenerArn: (idDigits: number) =>
    `an ALB listener ARN: arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<${idDigits} hex>/<${idDigits} hex>`,
  rulePriority: (max: number, slots: number) =>
    `a whole number from 1 to ${max} (the app uses this priority and the next ${slots})`,
  fargateCpu: (sizes: readonly number[]) => `a Fargate cpu size: ${choices(sizes)}`,
  logRetentionDays: (days: readonly number[]) => `a CloudWatch Logs retention: ${choices(days)} days`,
  roleArn: 'an IAM role ARN: arn:aws:iam::<account>:role/<name>',
  albHeader: (maxLength: number) =>
    `an HTTP header name an ALB can match: letters, digits and !#$%&'*+-.^_\`|~, at most ${maxLength} characters, not Host`,
  object: (fields: readonly string[]) => `an object with the fields ${fields.join(', ')}`,
  gatewayApiChannel: (channels: readonly string[]) =>
    `${choices(channels)}: the Gateway API CRD channel installed in the cluster`,
  startupSeconds: (min: number, max: number) =>
    `a whole number of seconds from ${min} to ${max}: how long a new container may take to start answering its health check`,
  podAnnotations: 'an object of annotation keys to string values',
  annotationKey: `an annotation key: an optional DNS-subdomain prefix and "/", then a name of at most ${KUBERNETES_NAME_LIMITS.qualifiedNameLength} letters, digits, "-", "_" or ".", alphanumeric first and last`,
  annotationValue: 'a string: quote numbers and true/false',
  cohortMap: 'an object of names to exact string values',
  cohortValue: 'an exact value, as a string: quote numbers and true/false',
  metadataPatterns:
    "a list of regular expressions (Go RE2 syntax: no lookaround, no backreferences), each matched anywhere in a key; anchor a prefix with ^, such as '^example\\.com/' (single quotes in YAML)",
  metadataPattern:
    'a regular expression in Go RE2 syntax (no lookaround, no backreferences), matched anywhere in a key',
  // editor support: JSON Schema (issue #13)
  migrationTtlSeconds: 'nothing: migration Jobs are no longer deleted after a TTL; remove the field',
  specFile:
    'The colors of one application, their weights and platform. Generated by `rainbow schema` from the spec validator; ' +
    `rules between fields (weights add up to ${MAX_PERCENT}, unique color names, ...) are checked by \`rainbow validate\`.`,
  // ec2 platform and rolling node groups (issue #14)
  ami: `an AMI id: ${EC2_ID('ami')}, such as ami-0123456789abcdef0`,
  instanceType: (maxLength: number) =>
    `an EC2 instance type such as t3.small or m7g.2xlarge: a family with a digit, a dot and a size, in lowercase letters, digits and hyphens, at most ${maxLength} characters`,
  instanceProfile: (maxLength: number) => `an IAM instance profile name: 1 to ${maxLength} letters, digits and +=,.@_-`,
  userData: (maxBytes: number) =>
    `a user data script or cloud-init document of 1 to ${maxBytes} bytes (the EC2 limit, before base64), without control characters but tab and line feed`,
  eksClusterName: (maxLength: number) =>
    `an EKS cluster name: a letter or digit first, then letters, digits, "-" and "_", at most ${maxLength} characters`,
  nodeGroupName: (maxLength: number) =>
    `an EKS node group name: a letter or digit first, then letters, digits, "-" and "_", at most ${maxLength} characters`,
  launchTemplateId: `a launch template id: ${EC2_ID('lt')}`,
  nodeGroupSize: (min: number, max: number) => `a whole number from ${min} to ${max}`,
  albPlatform: 'Platform.ECS or Platform.EC2: an ALB routes ECS and EC2 colors',
  // dns platform
  zoneId: (maxLength: number) =>
    `a Route 53 hosted zone id: "Z" and uppercase letters or digits, at most ${maxLength} characters, such as Z0123456789ABCDEFGHIJ`,
  dnsTtl: (max: number) =>
    `a whole number of seconds from 0 to ${max}: resolvers cache the record this long, so each weight change takes up to this long to reach every client`,
  dnsEndpoint:
    'a hostname such as k8s-old-1234.elb.eu-west-1.amazonaws.com, or { alias: { name, zoneId } } for an alias target such as an ALB',
  dnsHealthCheckProtocol: choices,
  dnsHealthCheckPath: (maxLength: number) =>
    `an HTTP path: "/" first, no whitespace, at most ${maxLength} characters (a Route 53 health check's resource path)`,
  expires:
    'an ISO 8601 date or date-time, such as 2025-07-01 or 2025-07-01T18:00:00Z: UTC when it names no zone, and a date alone means 00:00 UTC that day',
  defaultExpiry: (max: number) =>
    `a duration: a whole number from 1 to ${max} and h (hours), d (days) or w (weeks), such as 7d`,
  maxLoadFactor: (max: number) =>
    `a number from 1 to ${max}: how many times its share of the serving capacity a color's share of the traffic may be`,
  checks: 'a list of at least one check, each a name and one of prometheus, http or command',
  progressionStep: `a weight from 1 to ${MAX_PERCENT}, or pause (a release stops there, after baking the step before, until it is run again)`,
  notifyUrl: (maxLength: number) =>
    `an http:// or https:// URL without credentials or placeholders, at most ${maxLength} characters, such as https://hooks.example.com/rainbow`,
  notify: (max: number) => `a list of 1 to ${max} notification targets, each a url`,
  checkName: `a check name: ${DNS_LABEL}, at most ${DNS_NAME_LIMITS.labelLength} characters`,
  checkUrl: (maxLength: number) =>
    `an http:// or https:// URL without credentials, at most ${maxLength} characters, such as https://{{color}}.shop.example.com/healthz (${PLACEHOLDER_LIST} are filled in)`,
  prometheusUrl: (maxLength: number) =>
    `the base URL of a Prometheus server: http:// or https://, without credentials, query or fragment, at most ${maxLength} characters, such as http://prometheus.monitoring:9090`,
  promql: (maxLength: number) =>
    `a PromQL query: text that is not blank, at most ${maxLength} characters (${PLACEHOLDER_LIST} are filled in)`,
  checkBound: 'a number',
  onEmpty: (results: readonly string[]) => `${choices(results)}: what a query result without a value counts as`,
  checkEnv: (max: number, always: readonly string[]) =>
    `a list of at most ${max} environment variable names, each once: the variables of rainbow's environment that command checks get besides ${always.join(', ')} and RAINBOW_*`,
  checkEnvDuplicate: (first: number) => `each name once; it is already at progression.checkEnv[${first}]`,
  alarmNames: 'a list of at least one CloudWatch alarm name',
  alarmName: (maxLength: number) => `a CloudWatch alarm name: 1 to ${maxLength} characters, not only spaces`,
} as const;

export const MESSAGES = {
  bothZero: (maxSurge: string, maxUnavailable: string) =>
    `received ${maxSurge} with maxUnavailable ${maxUnavailable}; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced`,
  deadlineNotAfterReady: (deadline: number, minReady: number) =>
    `received ${deadline} with minReadySeconds ${minReady}; expected more than minReadySeconds, or every rollout would time out`,
  weightsDoNotAddUp: (total: number, terms: string) =>
    `the weights of the colors that are not retired add up to ${total} (${terms}); expected exactly ${MAX_PERCENT}`,
  allRetired: 'every color is retired; expected at least one that is not, to receive the traffic',
  retiredWithWeight: (weight: number) =>
    `received ${weight} for a retired color; expected 0: drain a color to weight 0 before retiring it`,
  duplicateColor: (name: string, first: string) =>
    `received "${name}", already the name of ${first}; expected a unique name`,
  reservedColor: (name: string) =>
    `received "${name}"; expected another name: "${name}" is reserved for the router stack <app>-router`,
  // state backends: exactly one, and the names each stack's state gets (model/state-keys.ts)
  backendNotOne: (found: readonly string[], allowed: readonly string[]) =>
    `received ${found.length === 0 ? 'no backend' : `${found.length} backends (${found.join(', ')})`}; expected exactly one of ${choices(allowed)} (or no backend block, for a local state per stack)`,
  backendTypeUnknown: (type: unknown, allowed: readonly string[]) =>
    `received ${describeValue(type)}; expected one of ${choices(allowed)}`,
  backendWithoutSettings: (type: string, key: string, fields: string) =>
    `received type ${type} without ${key} settings; expected Backend.${key}({ ${fields} }) (or Backend.local())`,
  backendOtherSettings: (type: string, key: string) =>
    `received ${key} settings with type ${type}; expected only the settings of its own type, as Backend's factories make them`,
  workspaceNameTooLong: (prefix: string, workspace: string, stack: string, max: number) =>
    `received ${describeValue(prefix)}, which makes the workspace of the stack ${stack} ${workspace} (${workspace.length} characters); HCP Terraform allows at most ${max}, so at most ${max - 1 - stack.length} characters here`,
  secretSuffixTooLong: (prefix: string, suffix: string, stack: string, max: number) =>
    `received ${describeValue(prefix)}, which makes the Secret suffix of the stack ${stack} ${suffix} (${suffix.length} characters); the Kubernetes backend puts it in a label value, which holds at most ${max}, so at most ${max - 1 - stack.length} characters here`,
  secretSuffixNumbered: (suffix: string, stack: string) =>
    `received the Secret suffix ${suffix} for the stack ${stack}, which ends in "-<number>"; the Kubernetes backend refuses such a suffix (it numbers the Secrets of a large state so): give the color a name that does not end in "-<digits>", or use another backend`,
  noReplicasWithTraffic: (weight: number) =>
    `received 0 with weight ${weight}; expected at least 1 replica for a color that receives traffic`,
  notForRouter: (value: unknown, router: string, owner: string) =>
    `received ${describeValue(value)}; expected nothing: only the ${owner} router uses it, and kubernetes.router is ${router}`,
  requiredForRouter: (expected: string, router: string, why: string) =>
    `received nothing; expected ${expected} (the ${router} router ${why})`,
  nginxTooManyWeighted: (count: number, terms: string) =>
    `received ${count} colors above weight 0 (${terms}); the nginx router allows at most 2, because ingress-nginx supports one canary Ingress per host`,
  nginxStickyPin:
    'received stickySeconds together with pinHeader; the nginx router cannot have both: ingress-nginx follows its affinity cookie before the canary header, so pinned and drained colors would keep sticky clients',
  nginxHeader: (header: string) =>
    `received ${describeValue(header)}; expected letters, digits and "-" only with the nginx router: ingress-nginx drops other header names by default`,
  oneOfColors: (names: readonly string[]) => `one of the colors in the spec: ${names.join(', ')}`,
  colorRetired: (color: string) => `${color} is retired; expected a color that is not`,
  colorExists: (color: string) => `received "${color}", already a color of the spec; expected a new name`,
  addImageOnDns:
    'received an image on platform dns; expected --endpoint <host> instead: a color on dns is an existing endpoint, not a workload',
  imageOnDns:
    'received an image on platform dns; expected none: a color on dns is an existing endpoint, not a workload (its endpoint is colors[].endpoint)',
  addReplicasOnDns:
    'received replicas on platform dns; expected none: a color on dns is an existing endpoint that scales on its own',
  addNeedsEndpoint:
    "received no --endpoint; expected the color's endpoint on platform dns: --endpoint <hostname>, or --endpoint <name> --alias-zone <hosted zone id> for an alias",
  addEndpointOffDns: (platform: string) =>
    `received --endpoint on platform ${platform}; expected --image: only a color on platform dns is an endpoint`,
  addNeedsImage: "received no --image; expected the color's image (the AMI on ec2)",
  fromItself: (color: string) =>
    `received "${color}", the color being shifted; expected another color to take the difference from`,
  noSteps: 'received nothing; expected progression.steps in the spec, such as [5, 25, 50, 100], for step to follow',
  lastStep: (color: string, weight: number, steps: readonly number[]) =>
    `${color} is at ${weight}%, already at or past the last of progression.steps [${steps.join(', ')}]`,
  nobodyToTakeTraffic: (color: string) =>
    `${color} is the only color that is not retired; no other color could take its traffic (add one first)`,
  retireWithWeight: (color: string, weight: number) =>
    `${color} still has ${weight}%; drain it to 0 (and deploy) before retiring it`,
  lastLiveColor: (color: string) =>
    `${color} is the only color that is not retired; expected another color to stay live`,
  stepsNotIncreasing: (previous: number, value: number) =>
    `received ${value} after ${previous}; expected the steps to increase`,
  plainSecretEnv: (name: string, ecs: boolean) =>
    `received a plain value for ${name}, which is named like a secret; expected ${ecs ? 'it kept out of the spec (the task reads it itself)' : 'it in secretEnv, as a reference to a Kubernetes Secret'}, or security.allowPlainSecretEnv: true if it is not secret`,
  allowanceNotForPlatform: (value: unknown, platform: string, owners: string) =>
    `received ${describeValue(value)}; expected nothing: it applies to ${owners} only, and platform is ${platform}`,
  replicasWithAutoscaling: (replicas: number) =>
    `received ${replicas} together with autoscaling; expected one of them: with autoscaling, the replicas come from autoscaling.min`,
  minAboveMax: (min: number, max: number) => `received ${min}, above max ${max}; expected min no larger than max`,
  envInBoth: (name: string) => `received "${name}" in both env and secretEnv; expected each variable in one of them`,
  previewHostTooLong: (host: string) =>
    `received true, but the preview host ${describeValue(host)} is too long; expected <color>.<host> to be a DNS name of at most ${DNS_NAME_LIMITS.nameLength} characters`,
  platformBlockMissing: (platform: string) =>
    `received nothing; expected the ${platform} settings (platform is ${platform})`,
  notForPlatform: (value: unknown, platform: string, owner: string, secret = false) =>
    `received ${describeValue(value, secret)}; expected nothing: only the ${owner} platform uses it, and platform is ${platform}`,
  fargateMemory: (cpu: number, memory: number, allowed: string) =>
    `received ${memory} with cpu ${cpu}; expected a Fargate memory size for that cpu: ${allowed}`,
  listenerRegion: (listenerRegion: string, region: string, platform = 'ecs') =>
    `received a listener in ${listenerRegion}; expected one in ${platform}.region ${region}: the ALB and the ${platform === 'ec2' ? 'instances' : 'services'} must be in the same region`,
  tooManyTargetGroups: (count: number, max: number, platform = 'ecs') =>
    `received ${count} colors that are not retired; an ALB forward action holds at most ${max} target groups, so at most ${max} colors with platform ${platform}`,
  targetGroupNameTooLong: (app: string, color: string, name: string, maxLength: number) =>
    `received "${color}" with app "${app}": the target group name "${name}" is ${name.length} characters; AWS allows at most ${maxLength}, so shorten the app or the color name`,
  priorityTaken: (color: string, priority: number, other: string, otherColor: string) =>
    `received "${color}", whose listener rule priority ${priority} is already that of ${other} "${otherColor}"; expected another color name (rule priorities follow from the names)`,
  ecsHealthCheck: (field: string, value: number, allowed: string) =>
    `received ${value}; an ALB target group health check allows ${field} ${allowed}`,
  limitBelowRequest: (kind: string, limit: string, request: string) =>
    `received ${kind} limit ${limit} below the request ${request}; expected a limit at least as large as the request (Kubernetes refuses it)`,
  tooManyBackendRefs: (count: number, max: number) =>
    `received ${count} colors that are not retired; a Gateway API HTTPRoute rule holds at most ${max} backendRefs`,
  tooManyRules: (count: number, max: number) =>
    `received ${count} rules (1 weighted rule and 1 pin-header rule per color that is not retired); a Gateway API HTTPRoute holds at most ${max} rules, so with pinHeader at most ${max - 1} colors`,
  quantityFactory: (kind: string, value: number) =>
    `Quantity.${kind}(${value}): ${received(value, kind === 'percent' ? `a whole number from 0 to ${MAX_PERCENT}` : 'a whole number of at least 0')}`,
  // progression.steps under the step-too-large rule
  stepJumpTooLarge: (step: number, after: number | undefined, max: number) =>
    `received ${step}${after === undefined ? ' as the first step, a move from weight 0' : ` after ${after}, a move of ${step - after}`}; expected steps at most progression.maxStepPercent (${max}) apart, the first at most ${max}: rainbow step would write a change that plan refuses`,
  // secrets and untrusted text
  plainSecretValue: (name: string, ecs: boolean) =>
    `received a URL with credentials for ${name}; expected ${ecs ? 'the credentials kept out of the spec (the task reads them itself)' : 'it in secretEnv, as a reference to a Kubernetes Secret'}, or security.allowPlainSecretEnv: true if it is not secret`,
  credentialsInSpec: (value: unknown) =>
    `received ${describeValue(value)}; expected no credentials in the spec: keep them in a Secret and reference it`,
  controlCharacter: (value: unknown, secret: boolean, codePoint: string, index: number) =>
    `received ${describeValue(value, secret)}, with the control character ${codePoint} at character ${index + 1}; expected text without control characters (U+0000 to U+001F, U+007F to U+009F, U+202A to U+202E, U+2066 to U+2069)`,
  controlCharacterInKey: (codePoint: string, index: number) =>
    `received a key with the control character ${codePoint} at character ${index + 1}; expected keys without control characters`,
  protoKey:
    'received the key "__proto__"; expected another name: a JavaScript object cannot hold this key, so it would be dropped without a word',
  stickyNeedsExperimentalChannel: (seconds: number, channel: string) =>
    `received ${seconds} with the Gateway API ${channel} channel; expected kubernetes.gatewayApiChannel: experimental first: sessionPersistence exists only in the experimental-channel CRDs (v1.1 or later), and the standard CRDs would reject the route`,
  annotationsTooLarge: (bytes: number, max: number) =>
    `received annotations of ${bytes} bytes in total (keys and values); Kubernetes allows at most ${max} bytes of annotations on one object`,
  annotationSetByRouter: (key: string, router: string) =>
    `received ${describeValue(key)}; expected another annotation: with the ${router} router, cdktf-rainbow sets it (terminationDrainDuration from drainSeconds)`,
  migrationTtlRemoved: (value: unknown) =>
    `received ${describeValue(value)}; expected nothing: migration Jobs are no longer deleted after a TTL, because Terraform re-creates a deleted Job and so runs the migration again; remove the field`,
  // ec2 platform and rolling node groups (issue #14)
  amiForEc2: (value: unknown) =>
    `received ${describeValue(value)}; expected ${EXPECTED.ami}: with platform ec2 a color's image is the machine image its instances start from`,
  envOnEc2: (value: unknown) =>
    `received ${describeValue(value, true)}; expected nothing: with platform ec2 an instance's configuration comes from its AMI and ec2.userData, which cdktf-rainbow passes on unchanged; put the variables there (a new AMI or user data is a new color, or a refresh of one)`,
  instanceRefreshTooWide: (
    maxSurge: string,
    surge: number,
    maxUnavailable: string,
    unavailable: number,
    instances: number,
    color: string,
    limits: { readonly maxHealthyPercentage: Bounds; readonly spread: number },
  ) =>
    `received maxSurge ${maxSurge} and maxUnavailable ${maxUnavailable}, ${surge} + ${unavailable} of the ${instances} ${instances === 1 ? 'instance' : 'instances'} of ${color}; ` +
    `an EC2 instance refresh allows max_healthy_percentage ${limits.maxHealthyPercentage.min} to ${limits.maxHealthyPercentage.max} and at most ${limits.spread} between it and min_healthy_percentage, so expected maxSurge + maxUnavailable of at most ${instances} (more replicas, or a smaller maxSurge or maxUnavailable)`,
  launchTemplateVersionAlias: (version: string) =>
    `received "${version}"; expected a version number, such as the launch template's latest_version: with ${version} a new version of the template changes nothing Terraform sees, so no rollout starts (and AWS cannot roll back to it)`,
  eksSurge: (maxSurge: string, defaultSurge: string) =>
    `received ${maxSurge}; expected the default ${defaultSurge}: an EKS managed node group chooses its own surge (up to twice its Availability Zones, or maxUnavailable nodes, launched before any node is drained), so no other maxSurge can be honoured`,
  eksMaxUnavailable: (value: number, limits: Bounds) =>
    `received ${value}; expected at most ${limits.max}: an EKS managed node group updates at most ${limits.max} nodes in parallel (update_config.max_unavailable is ${limits.min} to ${limits.max})`,
  minReadyOnEcs: (value: number) =>
    `received ${value}; expected 0 (or nothing) with ECS: no setting of an ECS service keeps a healthy new task waiting, so this would do nothing. ` +
    "For the time a new task may take to start before failed health checks count, set healthCheck.startupSeconds (the service's health_check_grace_period_seconds)",
  expiredWarning: (color: string, expires: string, weight: number) =>
    `${color} expired at ${expires}${weight > 0 ? ` and still gets ${weight}% of the traffic: drain it, and rainbow expire retires it` : ': rainbow expire retires it'}`,
  expiringWarning: (color: string, expires: string, weight: number) =>
    `${color} expires at ${expires}, within a day${weight > 0 ? `, and gets ${weight}% of the traffic: drain it before then` : ''}; to keep it, set a later colors[].expires`,
  // placeholders of rainbow init (model/placeholders.ts)
  placeholder: (value: string, what: string) =>
    `received ${describeValue(value)}, a placeholder that rainbow init wrote; expected ${what}`,
  placeholderFor: {
    host: 'the host name your clients use, such as shop.acme.com',
    image: "your application's image with its version tag, such as ghcr.io/acme/shop:1.4.0",
    ami: 'the id of the AMI your release is built into, such as ami-0fedcba9876543210',
    vpcId: 'the id of your VPC (vpc-...)',
    subnetIds: 'the ids of the private subnets the workload runs in (subnet-...), in two Availability Zones',
    securityGroupIds: 'the ids of the security groups that let the ALB reach the port (sg-...)',
    listenerArn:
      "the ARN of your ALB's HTTPS listener (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/...)",
    cluster: 'the name or ARN of your ECS cluster',
    gateway: 'the name and namespace of the Gateway your HTTPRoute attaches to (kubectl get gateways -A)',
    istioGateways:
      'the Istio Gateways that serve the host, as namespace/name (kubectl get gateways.networking.istio.io -A), or mesh',
    other: 'your own value',
  },
  // mutable images (model/images.ts)
  mutableImage: (image: string, reason: 'untagged' | 'latest') =>
    `received ${describeValue(image)}, ${reason === 'untagged' ? 'which has no tag (it is read as :latest)' : 'whose tag latest moves with every push'}: ` +
    'an old color would run a new version after its next restart, so it would be no version to roll back to; ' +
    'expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
  sameImageWarning: (colors: readonly string[], image: string) =>
    `${colors.slice(0, -1).join(', ')} and ${colors[colors.length - 1]} run the same image ${quoteText(image, 120)}: moving traffic between them changes nothing; give the new color the new image (rainbow add <color> --image <image>)`,
  intervalAboveBake: (interval: number, bake: number) =>
    `received ${interval} with bakeSeconds ${bake}; expected at most bakeSeconds: the checks run every interval while a step bakes (bakeSeconds 0 checks once, without baking)`,
  initialDelayAboveBake: (delay: number, bake: number, isDefault: boolean) =>
    `received ${delay} with bakeSeconds ${bake}${isDefault ? ' (the default)' : ''}; expected at most bakeSeconds: the checks of a step run within its bake (with bakeSeconds 0, the one run waits for the delay)`,
  bakeBelowDefaultInterval: (bake: number, interval: number) =>
    `received ${bake} with checkIntervalSeconds ${interval} (the default); expected at least checkIntervalSeconds: set checkIntervalSeconds to ${bake} or less, or bakeSeconds to 0 to check once without baking`,
  checkKinds: (kinds: readonly string[]) =>
    kinds.length === 0
      ? 'received none of prometheus, http or command; expected exactly one of them'
      : `received ${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]} together; expected exactly one of prometheus, http or command`,
  checkWithoutBounds:
    "received neither max nor min; expected max, min or both: the range the query's value must stay in",
  checkMinAboveMax: (min: number, max: number) =>
    `received ${min} with max ${max}; expected min at most max, or no value could pass`,
  httpTimeoutAboveInterval: (timeout: number, interval: number, isDefault: boolean) =>
    `received ${timeout} with checkIntervalSeconds ${interval}${isDefault ? ' (the default)' : ''}; expected at most checkIntervalSeconds: a round of checks ends before the next begins`,
  unknownPlaceholder: (token: string) =>
    `received ${quoteText(token, 40)}; expected only the placeholders ${PLACEHOLDER_LIST}, which rainbow release fills in: nothing else is a template`,
  pauseFirst:
    'received pause as the first step; expected a weight before it: a pause stops a release after baking the step before it',
  pauseLast:
    'received pause as the last step; expected a weight after it: a release ends at its last step (to keep checking there, set progression.postPromotionSeconds)',
  pauseTwice:
    'received pause right after pause; expected a weight between two pauses: one pause already stops the release there',
  tooManyRefreshAlarms: (count: number, most: number) =>
    `received ${count} alarms; expected at most ${most}: an EC2 instance refresh watches at most ${most} CloudWatch alarms (its alarm specification)`,
  duplicateAlarm: (name: string, first: number) =>
    `received ${describeValue(name)}, already the alarm at index ${first}; expected each alarm once`,
  // dns platform
  notOnDns: (value: unknown, reason: string, secret = false) =>
    `received ${describeValue(value, secret)}; expected nothing on platform dns: ${reason}`,
  dnsMixedEndpoints: (hostnames: string, aliases: string) =>
    `received hostname endpoints (${hostnames}) and alias endpoints (${aliases}) together; expected one kind for every color: Route 53 weighted records of one name share one type, and a CNAME (a hostname) cannot share its name with the A records of aliases`,
  dnsTtlWithAliases: (ttl: number) =>
    `received ${ttl} with alias endpoints only; expected nothing: Route 53 refuses a TTL on an alias record, which takes the TTL of its target (${LOAD_BALANCER_ALIAS_TTL} seconds for a load balancer)`,
  // preview hosts on ecs and ec2
  albPreviewHostTooLong: (host: string, max: number) =>
    `received true, but the preview host ${describeValue(host)} is too long for an ALB host-header condition; expected <color>.<host> of at most ${max} characters`,
  albPreviewPriority: (rulePriority: number, most: number, max: number) =>
    `received ${rulePriority} with routing.previewHosts; expected at most ${most}: preview rules take the priorities up to rulePriority + ${max - most}, and an ALB allows at most ${max}`,
  dnsTcpPath: (path: string) =>
    `received ${describeValue(path)} with protocol TCP; expected no path: a TCP health check only opens a connection`,
  // cohorts: colors[].match
  cohortShape: (value: unknown) =>
    `received ${describeValue(value)}; expected an object with headers and/or cookies, each a map of names to exact values`,
  cohortEmpty:
    'received no header and no cookie; expected at least one: a match without conditions would take every request',
  cohortName: (kind: string, name: string, max: number) =>
    `received ${describeValue(name)}; expected a ${kind} name that is an HTTP token (letters, digits and !#$%&'*+-.^_\`|~) of at most ${max} characters`,
  cohortReservedHeader: (name: string) =>
    `received ${describeValue(name)}; expected another header: match cookies under cookies, and the host is the router's own`,
  cohortHeaderTwice: (name: string, first: string) =>
    `received ${describeValue(name)} beside ${describeValue(first)}; expected each header once: header names are case-insensitive`,
  cohortHeaderValue: (value: unknown, max: number) =>
    `${received(value, `printable ASCII of 1 to ${max} characters, without spaces at either end`)}`,
  cohortCookieValue: (value: unknown, max: number) =>
    `${received(value, `1 to ${max} cookie characters: printable ASCII but space, double quote, comma, semicolon and backslash (RFC 6265)`)}`,
  cohortTooManyCookies: (count: number, max: number) =>
    `received ${count} cookies; expected at most ${max}: they are matched by one regular expression on the Cookie header that lists every order`,
  cohortTooManyHeaders: (count: number, max: number) =>
    `received ${count} header matches (the Cookie header counts as one); a Gateway API HTTPRouteMatch holds at most ${max}`,
  cohortOverlap: (other: string, otherColor: string, request: string) =>
    `received a match that overlaps ${other} (${otherColor}): a request with ${request} matches both; expected matches that differ in the value of a header or cookie both name, so that each request matches one color at most`,
  cohortOnDns:
    "received a match on platform dns; expected none: Route 53 answers DNS queries and never sees a request's headers or cookies",
  cohortTooManyRules: (count: number, max: number, pinned: boolean) =>
    `received ${count} rules (1 weighted rule${pinned ? ', 1 pin-header rule per color' : ''} and 1 rule per color with a match); a Gateway API HTTPRoute holds at most ${max} rules`,
  nginxOneCohort: (first: string, color: string) =>
    `received a second color with a match; expected one only with the nginx router: ingress-nginx has one canary Ingress per host, and ${first} (${color}) is the cohort's`,
  nginxCohortPrimary: (color: string, weight: number) =>
    `received a match on ${color}, the primary color (weight ${weight}, the highest); expected it on the canary: ingress-nginx sends only the canary's cohort by header or cookie, and the primary takes everything else`,
  nginxCohortSecondCanary: (color: string, others: string) =>
    `received a match on ${color} while ${others} also needs the canary Ingress; expected the cohort color to be the only one besides the primary with traffic: ingress-nginx has one canary per host`,
  nginxCohortOneCondition: (count: number) =>
    `received ${count} conditions; expected one header or one cookie with the nginx router: ingress-nginx sends a request to the canary when the header OR the cookie matches, it cannot require both`,
  nginxCohortCookie: (value: string, always: string) =>
    `received ${describeValue(value)}; expected "${always}" with the nginx router: canary-by-cookie sends a request to the canary only when the cookie's value is "${always}" (and never when it is "never")`,
  nginxCohortWithPin: (pinHeader: string) =>
    `received a header match with routing.pinHeader ${describeValue(pinHeader)}; expected a cookie instead: the canary's one canary-by-header is the pin header's`,
  albCohortValues: (count: number, max: number) =>
    `received a match that needs ${count} condition values (1 for the host, 1 per header, 4 per cookie: exact wherever it is in the Cookie header); an ALB listener rule allows at most ${max}`,
  albCohortHeaderName: (name: string, max: number) =>
    `received ${describeValue(name)}; expected a header name of at most ${max} characters for an ALB http-header condition`,
  albCohortWildcard: (value: string) =>
    `received ${describeValue(value)}; expected a value without "*" or "?": an ALB http-header condition reads them as wildcards`,
  albCohortValueLength: (length: number, max: number) =>
    `received a value that makes a ${length}-character condition value; an ALB http-header condition value is at most ${max} characters`,
  albCohortPriority: (color: string, priority: number, other: string) =>
    `received a match on "${color}", whose cohort rule priority ${priority} is already ${other}; expected another color name (rule priorities follow from the names)`,
} as const;

/**
 * At most `max` characters of a received text, control and non-ASCII-printable characters escaped
 * (`\u001b`), `...` when cut: a message never replays a terminal sequence or a long secret.
 */
export function shortText(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text;
  return cut.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
