import { FARGATE_SIZES, isAlbHeaderName, isListenerArn, isRegion, listenerRegion, priorityCollisions, validateAlbRoute } from './aws';
import { EXPECTED, MESSAGES, received } from './messages';
import { Problem } from './problem';
import { isColorName, isWholeNumber } from './schema';

type Raw = Record<string, unknown>;

/** Top-level fields only the kubernetes platform supports (so far). */
const KUBERNETES_ONLY = ['resources', 'secretEnv', 'migration', 'autoscaling', 'podAnnotations'] as const;
const KUBERNETES_ONLY_IN_COLORS = ['resources', 'secretEnv', 'migration', 'autoscaling', 'podAnnotations'] as const;

/**
 * Rules that depend on the platform: its block present and the other's absent, fields the
 * platform cannot use, and for ecs the limits of Fargate, ALB target groups and listener rules.
 * `colors` are the raw colors, `live` those not retired.
 */
export function platformProblems(doc: Raw, colors: ReadonlyArray<Raw | undefined>, live: readonly Raw[]): Problem[] {
  const platform = doc.platform;
  if (platform !== 'kubernetes' && platform !== 'ecs') return [];
  const problems: Problem[] = [];
  const other = platform === 'kubernetes' ? 'ecs' : 'kubernetes';
  if (doc[platform] === undefined) problems.push({ path: platform, message: MESSAGES.platformBlockMissing(platform) });
  if (doc[other] !== undefined) problems.push({ path: other, message: MESSAGES.notForPlatform(doc[other], platform, other) });
  if (platform === 'kubernetes') return problems;

  for (const field of KUBERNETES_ONLY) {
    if (doc[field] !== undefined) problems.push({ path: field, message: MESSAGES.notForPlatform(doc[field], platform, 'kubernetes', field === 'secretEnv') });
  }
  const routing = asObject(doc.routing);
  if (routing?.previewHosts !== undefined) {
    problems.push({ path: 'routing.previewHosts', message: MESSAGES.notForPlatform(routing.previewHosts, platform, 'kubernetes') });
  }
  colors.forEach((c, i) => {
    for (const field of KUBERNETES_ONLY_IN_COLORS) {
      if (c?.[field] !== undefined) problems.push({ path: `colors[${i}].${field}`, message: MESSAGES.notForPlatform(c[field], platform, 'kubernetes', field === 'secretEnv') });
    }
  });
  if (routing?.pinHeader !== undefined && typeof routing.pinHeader === 'string' && !isAlbHeaderName(routing.pinHeader)) {
    problems.push({ path: 'routing.pinHeader', message: received(routing.pinHeader, EXPECTED.albHeader) });
  }

  const health = asObject(doc.healthCheck);
  if (isWholeNumber(1, 3600)(health?.periodSeconds) && !isWholeNumber(5, 300)(health.periodSeconds)) {
    problems.push({ path: 'healthCheck.periodSeconds', message: MESSAGES.ecsHealthCheck('an interval', health.periodSeconds, 'from 5 to 300 seconds') });
  }
  if (isWholeNumber(1, 100)(health?.failureThreshold) && !isWholeNumber(2, 10)(health.failureThreshold)) {
    problems.push({ path: 'healthCheck.failureThreshold', message: MESSAGES.ecsHealthCheck('an unhealthy threshold', health.failureThreshold, 'from 2 to 10') });
  }

  const ecs = asObject(doc.ecs);
  if (ecs === undefined) return problems;
  const cpu = ecs.cpu ?? 256;
  const memory = ecs.memory ?? 512;
  if (typeof cpu === 'number' && FARGATE_SIZES[cpu] !== undefined && isWholeNumber(512, 122880)(memory) && !FARGATE_SIZES[cpu].includes(memory)) {
    problems.push({ path: 'ecs.memory', message: MESSAGES.fargateMemory(cpu, memory, describeSizes(FARGATE_SIZES[cpu])) });
  }
  if (isListenerArn(ecs.listenerArn) && isRegion(ecs.region) && listenerRegion(ecs.listenerArn) !== ecs.region) {
    problems.push({ path: 'ecs.listenerArn', message: MESSAGES.listenerRegion(listenerRegion(ecs.listenerArn)!, ecs.region) });
  }
  if (typeof doc.app === 'string') {
    const named = colors.flatMap((c, index) => (c !== undefined && isColorName(c.name) ? [{ name: c.name, index }] : []));
    problems.push(...validateAlbRoute(doc.app, named, live.length));
    if (isWholeNumber(1, 49000)(ecs.rulePriority)) problems.push(...priorityCollisions(ecs.rulePriority, named));
  }
  return problems;
}

function describeSizes(sizes: readonly number[]): string {
  return sizes.length <= 4 ? sizes.join(', ') : `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
