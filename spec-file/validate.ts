import { FARGATE_DEFAULTS } from '../model/aws';
import { resolveAutoscaling, resolveHealthCheck, resolveMigration, resolveReplicas } from '../model/color';
import { withTextProblems } from '../model/document-text';
import { endpointName, resolveDns, resolveDnsEndpoint } from '../model/dns';
import { mergeEnvironment } from '../model/environment';
import { mutableImageProblems } from '../model/images';
import { describeValue } from '../model/messages';
import { placeholderProblems } from '../model/placeholders';
import { Problem } from '../model/problem';
import { releaseSettings, ReleaseSettings } from '../model/release';
import { mergeResources } from '../model/resources';
import { checkShape } from '../model/shape';
import { crossFieldProblems, rollingSettings, ValidationResult } from '../model/spec-rules';
import { resolveBackend } from '../model/state-keys';
import { closest } from '../model/suggest';
import {
  ColorSpec,
  ColorState,
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
  defaultNamespace,
  Ec2Settings,
  EcsSettings,
  GatewayReference,
  KubernetesRouter,
  KubernetesSettings,
  Platform,
  ProgressionSettings,
  RainbowSpec,
  resolveSecurity,
  RoutingSettings,
} from '../model/types';
import { FILE_MESSAGES, unknownField } from './messages';
import { promqlProblems } from './promql';
import { allowedFields, RawColor, RawSpec, specShape } from './schema';

/**
 * A parsed spec document checked and resolved: its shape (schema.ts, every leaf a rule of
 * model/fields.ts, checked by model/shape.ts as construct props are), the model's rules between
 * fields (model/spec-rules.ts), the text of every string (model/document-text.ts); then the checked
 * shape mapped onto the model's types, with the model's defaults.
 */

/** How a spec document is checked. */
export interface ValidateOptions {
  /**
   * Whether the policy rules apply: those that judge whether a value is fit to deploy now, not
   * what the spec means. They are the mutable image tags (model/images.ts), the placeholders
   * `rainbow init` writes (model/placeholders.ts) and the syntax of the checks' PromQL (promql.ts).
   * Without them a spec still resolves to the same values, and every other rule (its shape, the
   * rules between fields, its text) still applies. The previous spec is checked without them
   * (engine/previous-spec.ts): it stands for what was deployed, perhaps by an earlier version with
   * fewer rules, and comparing it with the new one reads none of these judgements.
   * @default true
   */
  readonly policyRules?: boolean;
}

/**
 * Checks a parsed spec document (the result of reading YAML or JSON) and fills in its defaults.
 * Reports every problem at once; never throws on any input.
 */
export function validateSpec(document: unknown, options: ValidateOptions = {}): ValidationResult {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { problems: [{ path: 'spec', message: FILE_MESSAGES.notAnObject(describeTop(document)) }] };
  }
  const platform = (document as Record<string, unknown>).platform;
  const fieldProblems = checkShape(specShape, document, {
    unknownField: (_path, key, allowed) => unknownField(allowed, closest(key, allowed), fieldElsewhere(key, platform)),
  });
  const shapeFits = fieldProblems.length === 0;
  const policy = options.policyRules !== false;
  const between = crossFieldProblems(document as Record<string, unknown>);
  fieldProblems.push(...(policy ? between : withoutPolicyProblems(document as Record<string, unknown>, between)));
  if (policy) fieldProblems.push(...promqlProblems(document));
  // A string or key with a control character, `__proto__` or credentials is reported once, for that.
  const problems = withTextProblems(document, fieldProblems);
  if (problems.length > 0 || !shapeFits) return { problems };
  // A copy: the resolved spec shares nothing with the caller's document, which may change afterwards.
  return { spec: resolve(structuredClone(document) as RawSpec), problems: [] };
}

/**
 * The problems between fields but for those of the policy rules the model runs among them (mutable
 * images, placeholders), recognised as the very problems those rules give for this document, as
 * `rainbow init` leaves its own placeholders out.
 */
function withoutPolicyProblems(document: Record<string, unknown>, problems: readonly Problem[]): Problem[] {
  const key = (p: Problem) => `${p.path}\n${p.message}`;
  const policy = new Set([...mutableImageProblems(document), ...placeholderProblems(document)].map(key));
  return problems.filter((p) => !policy.has(key(p)));
}

function describeTop(document: unknown): string {
  if (Array.isArray(document)) return 'a list';
  if (document === null || document === undefined) return 'nothing';
  // Described like any received value: short and escaped, never the whole of what was read.
  return `the ${typeof document} ${describeValue(document)}`;
}

/**
 * Where else in a spec a field of this name belongs (`host` written at the top: `kubernetes.host`),
 * as printed paths, `colors[].x` for a field of every color; the blocks of another platform than
 * the spec's are left out.
 */
function fieldElsewhere(key: string, platform: unknown): string[] {
  const found: string[] = [];
  const platforms = Object.values(Platform) as string[];
  const walk = (path: Array<string | number>, shown: string, depth: number) => {
    for (const field of allowedFields(path)) {
      if (depth === 0 && platforms.includes(field) && platforms.includes(platform as string) && field !== platform)
        continue;
      const at = shown === '' ? field : `${shown}.${field}`;
      if (field === key && depth > 0) found.push(at);
      if (depth >= 3) continue;
      if (allowedFields([...path, field, 0]).length > 0) walk([...path, field, 0], `${at}[]`, depth + 1);
      else walk([...path, field], at, depth + 1);
    }
  };
  walk([], '', 0);
  return found;
}

function resolve(raw: RawSpec): RainbowSpec {
  const kubernetes = raw.platform === Platform.KUBERNETES ? resolveKubernetes(raw) : undefined;
  const ecs = raw.platform === Platform.ECS ? resolveEcs(raw) : undefined;
  const ec2 = raw.platform === Platform.EC2 ? resolveEc2(raw) : undefined;
  const dns = raw.dns === undefined ? undefined : resolveDns(raw.dns);
  const backend = resolveBackend(raw.backend, { app: raw.app, kubernetes, ecs, ec2 });
  return stripUndefined({
    app: raw.app,
    platform: raw.platform,
    kubernetes,
    ecs,
    ec2,
    dns,
    rollingUpdate: rollingSettings(raw.rollingUpdate ?? {})!,
    healthCheck: resolveHealthCheck(raw.healthCheck),
    routing: stripUndefined({
      pinHeader: raw.routing?.pinHeader,
      stickySeconds: raw.routing?.stickySeconds,
      previewHosts: raw.routing?.previewHosts ?? false,
    }) as RoutingSettings,
    backend,
    drainSeconds: raw.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
    security: resolveSecurity(raw.security),
    progression: stripUndefined({
      maxStepPercent: raw.progression?.maxStepPercent ?? DEFAULT_MAX_STEP_PERCENT,
      maxLoadFactor: raw.progression?.maxLoadFactor ?? DEFAULT_MAX_LOAD_FACTOR,
      defaultExpiry: raw.progression?.defaultExpiry,
      // The steps (with their pauses) and the release's settings, resolved once in the model.
      ...releaseSettings(raw.progression as Partial<ReleaseSettings> | undefined),
    }) as ProgressionSettings,
    colors: raw.colors.map((c) => resolveColor(c, raw)),
  }) as RainbowSpec;
}

/** The fields the ecs and ec2 blocks share: the region, the ALB listener and network, the port, the alarms. */
function resolveAlbFields(e: NonNullable<RawSpec['ecs']> | NonNullable<RawSpec['ec2']>) {
  return {
    region: e.region,
    vpcId: e.vpcId,
    subnetIds: e.subnetIds,
    securityGroupIds: e.securityGroupIds,
    listenerArn: e.listenerArn,
    host: e.host,
    rulePriority: e.rulePriority,
    port: e.port ?? DEFAULT_PORT,
    alarms: e.alarms,
  };
}

function resolveEcs(raw: RawSpec): EcsSettings {
  const e = raw.ecs!;
  return stripUndefined({
    ...resolveAlbFields(e),
    cluster: e.cluster,
    cpu: e.cpu ?? FARGATE_DEFAULTS.cpu,
    memory: e.memory ?? FARGATE_DEFAULTS.memory,
    logRetentionDays: e.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    taskRoleArn: e.taskRoleArn,
  }) as EcsSettings;
}

function resolveEc2(raw: RawSpec): Ec2Settings {
  const e = raw.ec2!;
  return stripUndefined({
    ...resolveAlbFields(e),
    instanceType: e.instanceType,
    userData: e.userData,
    instanceProfile: e.instanceProfile,
  }) as Ec2Settings;
}

function resolveKubernetes(raw: RawSpec): KubernetesSettings {
  const k = raw.kubernetes!;
  const router = k.router ?? DEFAULT_KUBERNETES_ROUTER;
  return stripUndefined({
    namespace: k.namespace ?? defaultNamespace(raw.app),
    router,
    gateway: k.gateway === undefined ? undefined : (stripUndefined({ ...k.gateway }) as GatewayReference),
    ingressClassName:
      router === KubernetesRouter.NGINX ? (k.ingressClassName ?? DEFAULT_INGRESS_CLASS_NAME) : undefined,
    tlsSecretName: k.tlsSecretName,
    istioGateways: k.istioGateways,
    host: k.host,
    port: k.port ?? DEFAULT_PORT,
    context: k.context,
    serviceAccountName: k.serviceAccountName,
    imagePullSecrets: k.imagePullSecrets ?? [],
    gatewayApiChannel:
      router === KubernetesRouter.GATEWAY_API ? (k.gatewayApiChannel ?? DEFAULT_GATEWAY_API_CHANNEL) : undefined,
    ignoreAnnotations: k.ignoreAnnotations ?? DEFAULT_IGNORE_ANNOTATIONS,
    ignoreLabels: k.ignoreLabels ?? DEFAULT_IGNORE_LABELS,
  }) as KubernetesSettings;
}

function resolveColor(c: RawColor, spec: RawSpec): ColorSpec {
  const autoscaling = resolveAutoscaling(c.autoscaling ?? spec.autoscaling);
  // dns: the color is its endpoint (model/dns.ts), with no workload of its own.
  const endpoint = c.endpoint === undefined ? undefined : resolveDnsEndpoint(c.endpoint);
  return stripUndefined({
    name: c.name,
    image: endpoint === undefined ? c.image! : endpointName(endpoint),
    weight: c.weight,
    replicas: endpoint === undefined ? resolveReplicas(c.replicas, autoscaling) : 0,
    state: c.state ?? ColorState.LIVE,
    resources: mergeResources(spec.resources, c.resources),
    ...mergeEnvironment(spec, c),
    migration: resolveMigration(c.migration ?? spec.migration, c.image!),
    autoscaling,
    podAnnotations: {
      ...(spec.podAnnotations as Record<string, string> | undefined),
      ...(c.podAnnotations as Record<string, string> | undefined),
    },
    instanceType: spec.ec2 === undefined ? undefined : (c.instanceType ?? spec.ec2.instanceType),
    endpoint,
    expires: c.expires,
    match: c.match,
  }) as ColorSpec;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
