import {
  FARGATE_DEFAULTS, fargateMemoryProblems, isAlbHeaderName, listenerRegionProblems, priorityCollisions, validateAlbRoute,
} from './aws';
import { FIELDS, isColorName } from './fields';
import { albHealthCheckProblems } from './health-check';
import { EXPECTED, MESSAGES, received } from './messages';
import { prefixProblems, Problem } from './problem';

type Raw = Record<string, unknown>;

/** Fields, of the spec and of each color, only the kubernetes platform supports (so far). */
const KUBERNETES_ONLY = ['resources', 'secretEnv', 'migration', 'autoscaling', 'podAnnotations'] as const;

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
    for (const field of KUBERNETES_ONLY) {
      if (c?.[field] !== undefined) problems.push({ path: `colors[${i}].${field}`, message: MESSAGES.notForPlatform(c[field], platform, 'kubernetes', field === 'secretEnv') });
    }
  });
  if (routing?.pinHeader !== undefined && typeof routing.pinHeader === 'string' && !isAlbHeaderName(routing.pinHeader)) {
    problems.push({ path: 'routing.pinHeader', message: received(routing.pinHeader, EXPECTED.albHeader) });
  }

  const health = asObject(doc.healthCheck);
  if (health !== undefined) problems.push(...prefixProblems('healthCheck', albHealthCheckProblems(health)));

  const ecs = asObject(doc.ecs);
  if (ecs === undefined) return problems;
  problems.push(...prefixProblems('ecs', fargateMemoryProblems(ecs.cpu ?? FARGATE_DEFAULTS.cpu, ecs.memory ?? FARGATE_DEFAULTS.memory)));
  problems.push(...prefixProblems('ecs', listenerRegionProblems(ecs.listenerArn, ecs.region)));
  if (typeof doc.app === 'string') {
    const named = colors.flatMap((c, index) => (c !== undefined && isColorName(c.name) ? [{ name: c.name, index }] : []));
    problems.push(...validateAlbRoute(doc.app, named, live.length));
    if (typeof ecs.rulePriority === 'number' && FIELDS.rulePriority.test(ecs.rulePriority)) problems.push(...priorityCollisions(ecs.rulePriority, named));
  }
  return problems;
}

const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
