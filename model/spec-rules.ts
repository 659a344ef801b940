import { annotationSizeProblems, isAnnotationKey, podAnnotationProblems } from './annotations';
import { alarmListProblems } from './aws';
import { autoscalingProblems, migrationTtlProblems, replicasWithAutoscalingProblems } from './color';
import { cohortSpecProblems } from './cohorts';
import { environmentProblems } from './environment';
import { FIELDS, isEnvName, isWholeNumber } from './fields';
import { mutableImageProblems } from './images';
import { MESSAGES } from './messages';
import { placeholderProblems } from './placeholders';
import { platformProblems } from './platforms';
import { formatPath, prefixProblems, Problem } from './problem';
import { Quantity } from './quantity';
import { progressionProblems } from './release-rules';
import { isResourceQuantity, limitBelowRequestProblems, RESOURCE_DEFAULTS } from './resources';
import { resolveRollingUpdate, RollingUpdateSettings, validateRollingUpdate } from './rolling';
import { weightSumProblems } from './route-weights';
import { duplicateNameProblems, routerProblems } from './routers';
import { isStepTooLarge } from './safety-rules';
import { specBackendProblems } from './state-keys';
import {
  ALLOWANCE_PLATFORMS,
  ColorState,
  DEFAULT_KUBERNETES_ROUTER,
  DEFAULT_MAX_STEP_PERCENT,
  isPlainSecret,
  MAX_PERCENT,
  Platform,
  RainbowSpec,
  SECRET_LIKE_NAME,
} from './types';

/**
 * The rules of a whole spec document: between fields, between colors and between platforms. They
 * read the document as parsed, before its shape is checked (spec-file/validate.ts runs both), so
 * every problem is reported at once.
 */

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

type Raw = Record<string, unknown>;

const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

/**
 * Rules between fields. They run on the raw document even when some fields are invalid,
 * so every problem is reported at once, and skip any rule whose inputs are themselves invalid
 * (those are reported by the schema).
 */
export function crossFieldProblems(doc: Raw): Problem[] {
  const problems: Problem[] = [];
  const colors = Array.isArray(doc.colors) ? doc.colors.map(asObject) : [];
  const routing = asObject(doc.routing);

  const duplicates = duplicateNameProblems(colors.map((c) => c?.name));
  colors.forEach((c, i) => {
    if (c?.name === 'router') problems.push({ path: `colors[${i}].name`, message: MESSAGES.reservedColor(c.name) });
    problems.push(
      ...prefixProblems(
        'colors',
        duplicates.filter((p) => p.path === `[${i}]`),
      ).map((p) => ({ path: `${p.path}.name`, message: p.message })),
    );
  });

  const validWeight = isWholeNumber(0, MAX_PERCENT);
  colors.forEach((c, i) => {
    if (c === undefined || !validWeight(c.weight)) return;
    if (c.state === ColorState.RETIRED && c.weight > 0)
      problems.push({ path: `colors[${i}].weight`, message: MESSAGES.retiredWithWeight(c.weight) });
    if (
      c.state !== ColorState.RETIRED &&
      c.weight > 0 &&
      c.replicas === 0 &&
      c.autoscaling === undefined &&
      doc.autoscaling === undefined
    ) {
      problems.push({ path: `colors[${i}].replicas`, message: MESSAGES.noReplicasWithTraffic(c.weight) });
    }
  });

  const statesKnown =
    colors.length > 0 &&
    colors.every(
      (c) =>
        c !== undefined && (c.state === undefined || c.state === ColorState.LIVE || c.state === ColorState.RETIRED),
    );
  const live = statesKnown ? (colors.filter((c) => c?.state !== ColorState.RETIRED) as Raw[]) : [];
  if (statesKnown) {
    if (live.length === 0) problems.push({ path: 'colors', message: MESSAGES.allRetired });
    else if (live.every((c) => validWeight(c.weight))) {
      problems.push(
        ...weightSumProblems(
          live.map((c) => ({ name: typeof c.name === 'string' ? c.name : '?', weight: c.weight as number })),
        ),
      );
    }
  }

  const kubernetes = asObject(doc.kubernetes);
  const alb = doc.platform === Platform.ECS || doc.platform === Platform.EC2 || doc.platform === Platform.DNS;
  if (kubernetes !== undefined && !alb && statesKnown) problems.push(...routerProblems(kubernetes, routing, live));
  const settings = rollingSettings(asObject(doc.rollingUpdate) ?? {});
  if (statesKnown)
    problems.push(
      ...platformProblems(
        doc,
        colors,
        live,
        settings === undefined || validateRollingUpdate(settings).length > 0 ? undefined : settings,
      ),
    );

  const steps = asObject(doc.progression)?.steps;
  if (Array.isArray(steps)) {
    const maxStep = asObject(doc.progression)?.maxStepPercent ?? DEFAULT_MAX_STEP_PERCENT;
    steps.forEach((step, i) => {
      const previous = steps[i - 1];
      if (i > 0 && isWholeNumber(1, MAX_PERCENT)(step) && isWholeNumber(1, MAX_PERCENT)(previous) && step <= previous) {
        problems.push({ path: `progression.steps[${i}]`, message: MESSAGES.stepsNotIncreasing(previous, step) });
      }
      // `rainbow step` moves a color from one step to the next, the first from weight 0.
      const from = i === 0 ? 0 : previous;
      if (
        isWholeNumber(1, MAX_PERCENT)(step) &&
        isWholeNumber(0, MAX_PERCENT)(from) &&
        step > from &&
        isWholeNumber(1, MAX_PERCENT)(maxStep) &&
        isStepTooLarge(from, step, maxStep)
      ) {
        problems.push({
          path: `progression.steps[${i}]`,
          message: MESSAGES.stepJumpTooLarge(step, i === 0 ? undefined : from, maxStep),
        });
      }
    });
  }
  problems.push(...progressionProblems(doc.progression));
  for (const block of ['ecs', 'ec2'] as const) {
    const alarms = asObject(doc[block])?.alarms;
    if (Array.isArray(alarms)) problems.push(...prefixProblems(`${block}.alarms`, alarmListProblems(alarms, block)));
  }
  problems.push(...environmentProblems(doc.env, doc.secretEnv));
  problems.push(...securityProblems(doc, colors));
  problems.push(...mutableImageProblems(doc));
  problems.push(...placeholderProblems(doc));
  problems.push(...specAutoscalingProblems(asObject(doc.autoscaling), 'autoscaling'));
  colors.forEach((c, i) => {
    if (c === undefined) return;
    problems.push(...prefixProblems(`colors[${i}]`, environmentProblems(c.env, c.secretEnv)));
    const own = asObject(c.autoscaling);
    problems.push(...specAutoscalingProblems(own, `colors[${i}].autoscaling`));
    problems.push(
      ...prefixProblems(
        `colors[${i}]`,
        replicasWithAutoscalingProblems(c.replicas, (own ?? asObject(doc.autoscaling)) !== undefined),
      ),
    );
  });

  problems.push(...kubernetesDay2Problems(doc, colors));
  if (statesKnown) problems.push(...cohortSpecProblems(doc, colors));
  problems.push(...specBackendProblems(doc));

  if (settings !== undefined) problems.push(...prefixProblems('rollingUpdate', validateRollingUpdate(settings)));

  const specResources = asObject(doc.resources);
  problems.push(
    ...prefixProblems('resources', limitBelowRequestProblems(mergeRaw(undefined, specResources), ['cpu', 'memory'])),
  );
  colors.forEach((c, i) => {
    const own = asObject(c?.resources);
    if (own === undefined) return;
    const kinds = (['cpu', 'memory'] as const).filter(
      (k) => asObject(own.requests)?.[k] !== undefined || asObject(own.limits)?.[k] !== undefined,
    );
    problems.push(
      ...prefixProblems(`colors[${i}].resources`, limitBelowRequestProblems(mergeRaw(specResources, own), kinds)),
    );
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
    if (
      security[field] !== undefined &&
      (platform === Platform.KUBERNETES || platform === Platform.ECS || platform === Platform.EC2) &&
      !platforms.includes(platform)
    ) {
      problems.push({
        path: `security.${field}`,
        message: MESSAGES.allowanceNotForPlatform(security[field], platform, platforms.join(' and ')),
      });
    }
  }
  // With ec2, env is refused whole (platforms.ts): there is no value to judge.
  if (security.allowPlainSecretEnv === true || platform === Platform.EC2 || platform === Platform.DNS) return problems;
  const check = (env: unknown, prefix: string) => {
    for (const [name, value] of Object.entries(asObject(env) ?? {})) {
      if (!isEnvName(name) || !isPlainSecret(name, value)) continue;
      const message = SECRET_LIKE_NAME.test(name)
        ? MESSAGES.plainSecretEnv(name, platform === Platform.ECS)
        : MESSAGES.plainSecretValue(name, platform === Platform.ECS);
      problems.push({ path: `${prefix}${formatPath(['env', name])}`, message });
    }
  };
  check(doc.env, '');
  colors.forEach((c, i) => check(c?.env, `colors[${i}].`));
  return problems;
}

/**
 * Removed migration TTLs; pod annotations: keys, values, the router's own key, and the size of each color's merged set.
 */
function kubernetesDay2Problems(doc: Raw, colors: ReadonlyArray<Raw | undefined>): Problem[] {
  const problems: Problem[] = [];
  const router = asObject(doc.kubernetes)?.router ?? DEFAULT_KUBERNETES_ROUTER;
  const ttl = (migration: unknown, path: string) =>
    problems.push(...prefixProblems(path, migrationTtlProblems(asObject(migration))));
  ttl(doc.migration, 'migration');
  problems.push(...podAnnotationProblems(doc.podAnnotations, 'podAnnotations', router));
  const validAnnotations = (value: unknown) =>
    Object.fromEntries(
      Object.entries(asObject(value) ?? {}).filter(
        (e): e is [string, string] => isAnnotationKey(e[0]) && typeof e[1] === 'string',
      ),
    );
  colors.forEach((c, i) => {
    ttl(c?.migration, `colors[${i}].migration`);
    problems.push(...podAnnotationProblems(c?.podAnnotations, `colors[${i}].podAnnotations`, router));
    const merged = { ...validAnnotations(doc.podAnnotations), ...validAnnotations(c?.podAnnotations) };
    problems.push(
      ...annotationSizeProblems(
        merged,
        c?.podAnnotations === undefined ? 'podAnnotations' : `colors[${i}].podAnnotations`,
      ),
    );
  });
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
}

/** min above max, when both are valid; the schema requires both. */
function specAutoscalingProblems(autoscaling: Raw | undefined, path: string): Problem[] {
  if (autoscaling === undefined) return [];
  return prefixProblems(
    path,
    autoscalingProblems({ min: autoscaling.min as number, max: autoscaling.max as number }, false),
  );
}

/** The rolling settings when every field given is valid on its own (else the schema reports it). */
export function rollingSettings(rolling: Raw): RollingUpdateSettings | undefined {
  const quantity = (value: unknown) => (value === undefined ? undefined : (Quantity.parse(value) ?? null));
  const maxSurge = quantity(rolling.maxSurge);
  const maxUnavailable = quantity(rolling.maxUnavailable);
  if (maxSurge === null || maxUnavailable === null) return undefined;
  const { minReadySeconds, progressDeadlineSeconds } = rolling;
  if (minReadySeconds !== undefined && !FIELDS.minReadySeconds.test(minReadySeconds)) return undefined;
  if (progressDeadlineSeconds !== undefined && !FIELDS.progressDeadlineSeconds.test(progressDeadlineSeconds))
    return undefined;
  return resolveRollingUpdate({
    maxSurge,
    maxUnavailable,
    minReadySeconds: minReadySeconds as number | undefined,
    progressDeadlineSeconds: progressDeadlineSeconds as number | undefined,
  });
}

/** Requests and limits as a color ends up with them, from raw blocks, keeping only well-formed values. */
function mergeRaw(base: Raw | undefined, override: Raw | undefined): typeof RESOURCE_DEFAULTS {
  const group = (name: 'requests' | 'limits') => {
    const merged: Record<string, string> = { ...RESOURCE_DEFAULTS[name] };
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
