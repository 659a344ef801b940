import {
  AWS_LIMITS,
  FARGATE_DEFAULTS,
  fargateMemoryProblems,
  isAlbHeaderName,
  listenerRegionProblems,
  priorityCollisions,
  validateAlbRoute,
} from './aws';
import { FIELDS, isColorName } from './fields';
import { albPreviewProblems } from './alb-preview';
import { colorTargetProblems, dnsPlatformProblems } from './dns';
import { albHealthCheckProblems } from './health-check';
import { EXPECTED, MESSAGES, received } from './messages';
import { resolveReplicas } from './color';
import { prefixProblems, Problem } from './problem';
import { ec2InstanceRefreshProblems, ecsMinReadyProblems, RollingUpdateSettings } from './rolling';
import { ColorState, Platform } from './types';

type Raw = Record<string, unknown>;

/** The platforms, each with a settings block of its name. */
const PLATFORMS: readonly unknown[] = ['kubernetes', 'ecs', 'ec2', 'dns'];

/** Fields, of the spec and of each color, only the kubernetes platform supports (so far). */
const KUBERNETES_ONLY = ['resources', 'secretEnv', 'migration', 'autoscaling', 'podAnnotations'] as const;

/**
 * Rules that depend on the platform: its block present and the others absent, fields the
 * platform cannot use, and for ecs and ec2 the limits of ALB target groups and listener rules,
 * of Fargate (ecs) and of EC2 instance refreshes (ec2), and no minReadySeconds on ecs, which
 * nothing in ECS uses (ecsMinReadyProblems). `colors` are the raw colors, `live` those
 * not retired; `rolling` is the spec's rolling policy when it is valid.
 */
export function platformProblems(
  doc: Raw,
  colors: ReadonlyArray<Raw | undefined>,
  live: readonly Raw[],
  rolling?: RollingUpdateSettings,
): Problem[] {
  const platform = doc.platform;
  const targets = colorTargetProblems(platform, colors);
  if (typeof platform !== 'string' || !PLATFORMS.includes(platform)) return targets;
  const problems: Problem[] = [...targets];
  if (doc[platform] === undefined) problems.push({ path: platform, message: MESSAGES.platformBlockMissing(platform) });
  for (const other of PLATFORMS as string[]) {
    if (other !== platform && doc[other] !== undefined)
      problems.push({ path: other, message: MESSAGES.notForPlatform(doc[other], platform, other) });
  }
  colors.forEach((c, i) => {
    if (platform !== Platform.EC2 && c?.instanceType !== undefined)
      problems.push({
        path: `colors[${i}].instanceType`,
        message: MESSAGES.notForPlatform(c.instanceType, platform, 'ec2'),
      });
  });
  if (platform === Platform.KUBERNETES) return problems;
  if (platform === Platform.DNS) return [...problems, ...dnsPlatformProblems(doc, colors, live)];

  for (const field of KUBERNETES_ONLY) {
    if (doc[field] !== undefined)
      problems.push({
        path: field,
        message: MESSAGES.notForPlatform(doc[field], platform, 'kubernetes', field === 'secretEnv'),
      });
  }
  const routing = asObject(doc.routing);
  colors.forEach((c, i) => {
    for (const field of KUBERNETES_ONLY) {
      if (c?.[field] !== undefined)
        problems.push({
          path: `colors[${i}].${field}`,
          message: MESSAGES.notForPlatform(c[field], platform, 'kubernetes', field === 'secretEnv'),
        });
    }
  });
  if (
    routing?.pinHeader !== undefined &&
    typeof routing.pinHeader === 'string' &&
    !isAlbHeaderName(routing.pinHeader)
  ) {
    problems.push({
      path: 'routing.pinHeader',
      message: received(routing.pinHeader, EXPECTED.albHeader(AWS_LIMITS.headerNameLength)),
    });
  }

  const health = asObject(doc.healthCheck);
  if (health !== undefined) problems.push(...prefixProblems('healthCheck', albHealthCheckProblems(health)));
  if (platform === Platform.EC2) problems.push(...ec2Problems(doc, colors, rolling));
  if (platform === Platform.ECS)
    problems.push(
      ...prefixProblems('rollingUpdate', ecsMinReadyProblems(asObject(doc.rollingUpdate)?.minReadySeconds)),
    );

  const block = asObject(doc[platform]);
  if (block === undefined) return problems;
  if (platform === Platform.ECS)
    problems.push(
      ...prefixProblems(
        'ecs',
        fargateMemoryProblems(block.cpu ?? FARGATE_DEFAULTS.cpu, block.memory ?? FARGATE_DEFAULTS.memory),
      ),
    );
  problems.push(...prefixProblems(platform, listenerRegionProblems(block.listenerArn, block.region, platform)));
  if (typeof doc.app === 'string') {
    const named = colors.flatMap((c, index) =>
      c !== undefined && isColorName(c.name) ? [{ name: c.name, index }] : [],
    );
    problems.push(...validateAlbRoute(doc.app, named, live.length, platform));
    if (typeof block.rulePriority === 'number' && FIELDS.rulePriority.test(block.rulePriority))
      problems.push(...priorityCollisions(block.rulePriority, named));
  }
  if (routing?.previewHosts === true && FIELDS.host.test(block.host)) {
    const preview = albPreviewProblems(
      block.host,
      FIELDS.rulePriority.test(block.rulePriority) ? block.rulePriority : undefined,
      live.map((c) => c.name),
    );
    problems.push(
      ...prefixProblems('routing.previewHosts', preview.previewHosts),
      ...prefixProblems(`${platform}.rulePriority`, preview.rulePriority),
    );
  }
  return problems;
}

/**
 * The ec2 platform's own rules: no `env` (an instance's configuration is its AMI's and the user
 * data's), an AMI as each color's image, and a rolling policy every color's instance refresh can
 * follow for its instance count (path `rollingUpdate`, naming the color).
 */
function ec2Problems(
  doc: Raw,
  colors: ReadonlyArray<Raw | undefined>,
  rolling: RollingUpdateSettings | undefined,
): Problem[] {
  const problems: Problem[] = [];
  if (doc.env !== undefined) problems.push({ path: 'env', message: MESSAGES.envOnEc2(doc.env) });
  colors.forEach((c, i) => {
    if (c === undefined) return;
    if (c.env !== undefined) problems.push({ path: `colors[${i}].env`, message: MESSAGES.envOnEc2(c.env) });
    if (FIELDS.image.test(c.image) && !FIELDS.ami.test(c.image))
      problems.push({ path: `colors[${i}].image`, message: MESSAGES.amiForEc2(c.image) });
  });
  if (rolling === undefined) return problems;
  colors.forEach((c, i) => {
    if (
      c === undefined ||
      c.state === ColorState.RETIRED ||
      (c.replicas !== undefined && !FIELDS.replicas.test(c.replicas))
    )
      return;
    const name = isColorName(c.name) ? c.name : `colors[${i}]`;
    problems.push(
      ...prefixProblems(
        'rollingUpdate',
        ec2InstanceRefreshProblems(rolling, resolveReplicas(c.replicas as number | undefined, undefined), name),
      ),
    );
  });
  return problems;
}

const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
