import { z } from 'zod';
import { FARGATE_DEFAULTS } from './aws';
import { describeValue, MESSAGES, received, unknownField } from './messages';
import { formatPath, prefixProblems, Problem } from './problem';
import { Quantity } from './quantity';
import { isResourceQuantity, limitBelowRequestProblems, RESOURCE_DEFAULTS, ResourceSettings } from './resources';
import { resolveRollingUpdate, RollingUpdateSettings, validateRollingUpdate } from './rolling';
import { FIELDS } from './fields';
import { allowedFields, isEnvName, isWholeNumber, RawColor, RawSpec, specSchema } from './schema';
import { closest } from './suggest';
import {
  ALLOWANCE_PLATFORMS, Backend, BackendSettings, ColorSpec, Ec2Settings, Platform, DEFAULT_DRAIN_SECONDS, DEFAULT_INGRESS_CLASS_NAME, DEFAULT_KUBERNETES_ROUTER, DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_MAX_STEP_PERCENT, DEFAULT_PORT, defaultNamespace, EcsSettings, GatewayRef, KubernetesSettings,
  isPlainSecret, ProgressionSettings, RainbowSpec, RoutingSettings, SECRET_LIKE_NAME, SECURE_DEFAULTS,
  DEFAULT_GATEWAY_API_CHANNEL, DEFAULT_IGNORE_ANNOTATIONS, DEFAULT_IGNORE_LABELS,
  DEFAULT_MAX_LOAD_FACTOR,
} from './types';
import {
  autoscalingProblems, migrationTtlProblems, replicasWithAutoscalingProblems, resolveAutoscaling, resolveHealthCheck, resolveMigration, resolveReplicas,
} from './color';
import { isStepTooLarge } from './plan';
import { withTextProblems } from './document-text';
import { environmentProblems, isSecretPath, mergeEnvironment } from './environment';
import { annotationSizeProblems, isAnnotationKey, podAnnotationProblems } from './annotations';
import { platformProblems } from './platforms';
import { defaultKeyPrefix } from './state-keys';
import { duplicateNameProblems, routerProblems } from './routers';
import { weightSumProblems } from './route-weights';
import { releaseSettings, ReleaseSettings } from './release';
import { progressionProblems } from './release-rules';
import { alarmListProblems } from './aws';

/** What checking a spec gives: the spec with its defaults, or every problem. */
export interface ValidationResult {
  /**
   * The spec with its defaults, when there is no problem.
   * @default - none: the spec has problems
   */
  readonly spec?: RainbowSpec;
  /** Every problem found: those of single fields first, then those between fields. Empty when the spec is valid. */
  readonly problems: Problem[];
}

/**
 * Checks a parsed spec document (the result of reading YAML or JSON) and fills in its defaults.
 * Reports every problem at once; never throws on any input.
 */
export function validateSpec(document: unknown): ValidationResult {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { problems: [{ path: 'spec', message: MESSAGES.notAnObject(describeTop(document)) }] };
  }
  const parsed = specSchema.safeParse(document, { reportInput: true });
  const fieldProblems = parsed.success ? [] : parsed.error.issues.flatMap(issueToProblems);
  fieldProblems.push(...crossFieldProblems(document as Record<string, unknown>));
  // A string or key with a control character, `__proto__` or credentials is reported once, for that.
  const problems = withTextProblems(document, fieldProblems);
  if (problems.length > 0 || !parsed.success) return { problems };
  return { spec: resolve(parsed.data), problems: [] };
}

function describeTop(document: unknown): string {
  if (Array.isArray(document)) return 'a list';
  if (document === null || document === undefined) return 'nothing';
  // Described like any received value: short and escaped, never the whole of what was read.
  return `the ${typeof document} ${describeValue(document)}`;
}

function issueToProblems(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedFields(issue.path);
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: unknownField(allowed, closest(key, allowed)),
    }));
  }
  return [{ path: formatPath(issue.path), message: received((issue as { input?: unknown }).input, issue.message, isSecretPath(issue.path)) }];
}

type Raw = Record<string, unknown>;

const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

/**
 * Rules between fields. They run on the raw document even when some fields are invalid,
 * so every problem is reported at once, and skip any rule whose inputs are themselves invalid
 * (those are reported by the schema).
 */
function crossFieldProblems(doc: Raw): Problem[] {
  const problems: Problem[] = [];
  const colors = Array.isArray(doc.colors) ? doc.colors.map(asObject) : [];
  const routing = asObject(doc.routing);

  const duplicates = duplicateNameProblems(colors.map((c) => c?.name));
  colors.forEach((c, i) => {
    if (c?.name === 'router') problems.push({ path: `colors[${i}].name`, message: MESSAGES.reservedColor(c.name) });
    problems.push(...prefixProblems('colors', duplicates.filter((p) => p.path === `[${i}]`)).map((p) => ({ path: `${p.path}.name`, message: p.message })));
  });

  const validWeight = isWholeNumber(0, 100);
  colors.forEach((c, i) => {
    if (c === undefined || !validWeight(c.weight)) return;
    if (c.state === 'retired' && c.weight > 0) problems.push({ path: `colors[${i}].weight`, message: MESSAGES.retiredWithWeight(c.weight) });
    if (c.state !== 'retired' && c.weight > 0 && c.replicas === 0 && c.autoscaling === undefined && doc.autoscaling === undefined) {
      problems.push({ path: `colors[${i}].replicas`, message: MESSAGES.noReplicasWithTraffic(c.weight) });
    }
  });

  const statesKnown = colors.length > 0 && colors.every((c) => c !== undefined && (c.state === undefined || c.state === 'live' || c.state === 'retired'));
  const live = statesKnown ? (colors.filter((c) => c?.state !== 'retired') as Raw[]) : [];
  if (statesKnown) {
    if (live.length === 0) problems.push({ path: 'colors', message: MESSAGES.allRetired });
    else if (live.every((c) => validWeight(c.weight))) {
      problems.push(...weightSumProblems(live.map((c) => ({ name: typeof c.name === 'string' ? c.name : '?', weight: c.weight as number }))));
    }
  }

  const kubernetes = asObject(doc.kubernetes);
  const alb = doc.platform === Platform.ECS || doc.platform === Platform.EC2;
  if (kubernetes !== undefined && !alb && statesKnown) problems.push(...routerProblems(kubernetes, routing, live));
  const settings = rollingSettings(asObject(doc.rollingUpdate) ?? {});
  if (statesKnown) problems.push(...platformProblems(doc, colors, live, settings === undefined || validateRollingUpdate(settings).length > 0 ? undefined : settings));

  const steps = asObject(doc.progression)?.steps;
  if (Array.isArray(steps)) {
    const maxStep = asObject(doc.progression)?.maxStepPercent ?? DEFAULT_MAX_STEP_PERCENT;
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      if (i > 0 && isWholeNumber(1, 100)(step) && isWholeNumber(1, 100)(previous) && step <= previous) {
        problems.push({ path: `progression.steps[${i}]`, message: MESSAGES.stepsNotIncreasing(previous, step) });
      }
      // `rainbow step` moves a color from one step to the next, the first from weight 0.
      const from = i === 0 ? 0 : previous;
      if (isWholeNumber(1, 100)(step) && isWholeNumber(0, 100)(from) && step > from && isWholeNumber(1, 100)(maxStep) && isStepTooLarge(from, step, maxStep)) {
        problems.push({ path: `progression.steps[${i}]`, message: MESSAGES.stepJumpTooLarge(step, i === 0 ? undefined : from, maxStep) });
      }
    });
  }
  // release and checks
  problems.push(...progressionProblems(doc.progression));
  for (const block of ['ecs', 'ec2'] as const) {
    const alarms = asObject(doc[block])?.alarms;
    if (Array.isArray(alarms)) problems.push(...prefixProblems(`${block}.alarms`, alarmListProblems(alarms, block)));
  }
  problems.push(...environmentProblems(doc.env, doc.secretEnv));
  problems.push(...securityProblems(doc, colors));
  problems.push(...specAutoscalingProblems(asObject(doc.autoscaling), 'autoscaling'));
  colors.forEach((c, i) => {
    if (c === undefined) return;
    problems.push(...prefixProblems(`colors[${i}]`, environmentProblems(c.env, c.secretEnv)));
    const own = asObject(c.autoscaling);
    problems.push(...specAutoscalingProblems(own, `colors[${i}].autoscaling`));
    problems.push(...prefixProblems(`colors[${i}]`, replicasWithAutoscalingProblems(c.replicas, (own ?? asObject(doc.autoscaling)) !== undefined)));
  });

  problems.push(...kubernetesDay2Problems(doc, colors));

  if (settings !== undefined) problems.push(...prefixProblems('rollingUpdate', validateRollingUpdate(settings)));

  const specResources = asObject(doc.resources);
  problems.push(...prefixProblems('resources', limitBelowRequestProblems(mergeRaw(undefined, specResources), ['cpu', 'memory'])));
  colors.forEach((c, i) => {
    const own = asObject(c?.resources);
    if (own === undefined) return;
    const kinds = (['cpu', 'memory'] as const).filter((k) => asObject(own.requests)?.[k] !== undefined || asObject(own.limits)?.[k] !== undefined);
    problems.push(...prefixProblems(`colors[${i}].resources`, limitBelowRequestProblems(mergeRaw(specResources, own), kinds)));
  });
  return problems;
}

/**
 * Plain env values under secret-like names, or holding URLs with credentials, unless allowed;
 * allowances for another platform.
 */
function securityProblems(doc: Raw, colors: ReadonlyArray<Raw | undefined>): Problem[] {
  const problems: Problem[] = [];
  const security = asObject(doc.security) ?? {};
  const platform = doc.platform;
  for (const [field, platforms] of Object.entries(ALLOWANCE_PLATFORMS)) {
    if (security[field] !== undefined && (platform === Platform.KUBERNETES || platform === Platform.ECS || platform === Platform.EC2) && !platforms.includes(platform)) {
      problems.push({ path: `security.${field}`, message: MESSAGES.allowanceNotForPlatform(security[field], platform, platforms.join(' and ')) });
    }
  }
  // With ec2, env is refused whole (platforms.ts): there is no value to judge.
  if (security.allowPlainSecretEnv === true || platform === Platform.EC2) return problems;
  const check = (env: unknown, prefix: string) => {
    for (const [name, value] of Object.entries(asObject(env) ?? {})) {
      if (!isEnvName(name) || !isPlainSecret(name, value)) continue;
      const message = SECRET_LIKE_NAME.test(name) ? MESSAGES.plainSecretEnv(name, platform === 'ecs') : MESSAGES.plainSecretValue(name, platform === 'ecs');
      problems.push({ path: `${prefix}${formatPath(['env', name])}`, message });
    }
  };
  check(doc.env, '');
  colors.forEach((c, i) => check(c?.env, `colors[${i}].`));
  return problems;
}

/** Removed migration TTLs; pod annotations: keys, values, the router's own key, and the size of each color's merged set. */
function kubernetesDay2Problems(doc: Raw, colors: ReadonlyArray<Raw | undefined>): Problem[] {
  const problems: Problem[] = [];
  const router = asObject(doc.kubernetes)?.router ?? DEFAULT_KUBERNETES_ROUTER;
  const ttl = (migration: unknown, path: string) => problems.push(...prefixProblems(path, migrationTtlProblems(asObject(migration))));
  ttl(doc.migration, 'migration');
  problems.push(...podAnnotationProblems(doc.podAnnotations, 'podAnnotations', router));
  const validAnnotations = (value: unknown) => Object.fromEntries(Object.entries(asObject(value) ?? {})
    .filter((e): e is [string, string] => isAnnotationKey(e[0]) && typeof e[1] === 'string'));
  colors.forEach((c, i) => {
    ttl(c?.migration, `colors[${i}].migration`);
    problems.push(...podAnnotationProblems(c?.podAnnotations, `colors[${i}].podAnnotations`, router));
    const merged = { ...validAnnotations(doc.podAnnotations), ...validAnnotations(c?.podAnnotations) };
    problems.push(...annotationSizeProblems(merged, c?.podAnnotations === undefined ? 'podAnnotations' : `colors[${i}].podAnnotations`));
  });
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
}

/** min above max, when both are valid; the schema requires both. */
function specAutoscalingProblems(autoscaling: Raw | undefined, path: string): Problem[] {
  if (autoscaling === undefined) return [];
  return prefixProblems(path, autoscalingProblems({ min: autoscaling.min as number, max: autoscaling.max as number }, false));
}

/** The rolling settings when every field given is valid on its own (else the schema reports it). */
function rollingSettings(rolling: Raw): RollingUpdateSettings | undefined {
  const quantity = (value: unknown) => (value === undefined ? undefined : Quantity.parse(value) ?? null);
  const maxSurge = quantity(rolling.maxSurge);
  const maxUnavailable = quantity(rolling.maxUnavailable);
  if (maxSurge === null || maxUnavailable === null) return undefined;
  const { minReadySeconds, progressDeadlineSeconds } = rolling;
  if (minReadySeconds !== undefined && !FIELDS.minReadySeconds.test(minReadySeconds)) return undefined;
  if (progressDeadlineSeconds !== undefined && !FIELDS.progressDeadlineSeconds.test(progressDeadlineSeconds)) return undefined;
  return resolveRollingUpdate({ maxSurge, maxUnavailable, minReadySeconds: minReadySeconds as number | undefined, progressDeadlineSeconds: progressDeadlineSeconds as number | undefined });
}

/** Requests and limits as a color ends up with them, from raw blocks, keeping only well-formed values. */
function mergeRaw(base: Raw | undefined, override: Raw | undefined): ResourceSettings {
  const group = (name: 'requests' | 'limits') => {
    const merged: Record<string, string> = { ...RESOURCE_DEFAULTS[name] } as Record<string, string>;
    for (const source of [base, override]) {
      const block = asObject(source?.[name]);
      for (const kind of ['cpu', 'memory']) {
        const value = block?.[kind];
        if (value === undefined) continue;
        if (isResourceQuantity(value)) merged[kind] = value;
        else delete merged[kind];
      }
    }
    return merged;
  };
  return { requests: group('requests'), limits: group('limits') };
}

function resolve(raw: RawSpec): RainbowSpec {
  const kubernetes = raw.platform === 'kubernetes' ? resolveKubernetes(raw) : undefined;
  const ecs = raw.platform === 'ecs' ? resolveEcs(raw) : undefined;
  const ec2 = raw.platform === 'ec2' ? resolveEc2(raw) : undefined;
  const backend: BackendSettings = raw.backend?.s3 === undefined
    ? Backend.local()
    : Backend.s3({ bucket: raw.backend.s3.bucket, region: raw.backend.s3.region, keyPrefix: raw.backend.s3.keyPrefix ?? defaultKeyPrefix({ app: raw.app, kubernetes, ecs, ec2 }) });
  return stripUndefined({
    app: raw.app,
    platform: raw.platform,
    kubernetes,
    ecs,
    ec2,
    rollingUpdate: rollingSettings(raw.rollingUpdate ?? {})!,
    healthCheck: resolveHealthCheck(raw.healthCheck),
    routing: stripUndefined({
      pinHeader: raw.routing?.pinHeader,
      stickySeconds: raw.routing?.stickySeconds,
      previewHosts: raw.routing?.previewHosts ?? false,
    }) as RoutingSettings,
    backend,
    drainSeconds: raw.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
    security: { ...SECURE_DEFAULTS, ...stripUndefined(raw.security ?? {}) },
    progression: stripUndefined({
      steps: raw.progression?.steps,
      maxStepPercent: raw.progression?.maxStepPercent ?? DEFAULT_MAX_STEP_PERCENT,
      // preview, capacity, expiry
      maxLoadFactor: raw.progression?.maxLoadFactor ?? DEFAULT_MAX_LOAD_FACTOR,
      defaultExpiry: raw.progression?.defaultExpiry,
      // release and checks
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
    gateway: k.gateway === undefined ? undefined : stripUndefined({ ...k.gateway }) as GatewayRef,
    ingressClassName: router === 'nginx' ? k.ingressClassName ?? DEFAULT_INGRESS_CLASS_NAME : undefined,
    tlsSecretName: k.tlsSecretName,
    istioGateways: k.istioGateways,
    host: k.host,
    port: k.port ?? DEFAULT_PORT,
    context: k.context,
    serviceAccountName: k.serviceAccountName,
    imagePullSecrets: k.imagePullSecrets ?? [],
    gatewayApiChannel: router === 'gateway-api' ? k.gatewayApiChannel ?? DEFAULT_GATEWAY_API_CHANNEL : undefined,
    ignoreAnnotations: k.ignoreAnnotations ?? DEFAULT_IGNORE_ANNOTATIONS,
    ignoreLabels: k.ignoreLabels ?? DEFAULT_IGNORE_LABELS,
  }) as KubernetesSettings;
}

function resolveColor(c: RawColor, spec: RawSpec): ColorSpec {
  const autoscaling = resolveAutoscaling(c.autoscaling ?? spec.autoscaling);
  return stripUndefined({
    name: c.name,
    image: c.image,
    weight: c.weight,
    replicas: resolveReplicas(c.replicas, autoscaling),
    state: c.state ?? 'live',
    resources: mergeResources(spec.resources, c.resources),
    ...mergeEnvironment(spec, c),
    migration: resolveMigration(c.migration ?? spec.migration, c.image),
    autoscaling,
    podAnnotations: { ...(spec.podAnnotations as Record<string, string> | undefined), ...(c.podAnnotations as Record<string, string> | undefined) },
    instanceType: spec.ec2 === undefined ? undefined : c.instanceType ?? spec.ec2.instanceType,
    // preview, capacity, expiry
    expires: c.expires,
  }) as ColorSpec;
}

/** Field by field: a color's value wins over the spec's, which wins over the default. */
export function mergeResources(base: RawSpec['resources'], override: RawSpec['resources']): ResourceSettings {
  return {
    requests: { ...RESOURCE_DEFAULTS.requests, ...stripUndefined(base?.requests ?? {}), ...stripUndefined(override?.requests ?? {}) },
    limits: { ...RESOURCE_DEFAULTS.limits, ...stripUndefined(base?.limits ?? {}), ...stripUndefined(override?.limits ?? {}) },
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
