import { MESSAGES } from './messages';
import { Problem } from './problem';
import { EC2_ID_DIGITS, Platform } from './types';

/** Limits of the AWS APIs that the ECS and EC2 platforms and the ALB router must respect. */
export const AWS_LIMITS = {
  targetGroupsPerForward: 5,
  targetGroupNameLength: 32,
  maxPriority: 50000,
  /** Color rules take `rulePriority + 0..999` (from the color name), the weighted rule `rulePriority + 1000`. */
  colorRuleSlots: 1000,
  albWeight: 999,
  headerNameLength: 40,
  /** An ECS cluster name (CreateCluster). */
  clusterNameLength: 255,
  /** The hexadecimal digits of a load balancer's id and of a listener's id in a listener ARN. */
  albIdDigits: 16,
  /** An ALB target group's health check interval, in seconds. */
  healthCheckInterval: { min: 5, max: 300 },
  /** An ALB target group's unhealthy threshold. */
  unhealthyThreshold: { min: 2, max: 10 },
} as const;

/** The highest `rulePriority` an app may take: its rules use it up to `rulePriority + colorRuleSlots`. */
export const MAX_RULE_PRIORITY = AWS_LIMITS.maxPriority - AWS_LIMITS.colorRuleSlots;

/** The memory sizes of every Fargate task size together, in MiB. */
export const FARGATE_MEMORY_RANGE = { min: 512, max: 122880 } as const;

/** The Fargate task size when none is given: the smallest. */
export const FARGATE_DEFAULTS = { cpu: 256, memory: 512 } as const;

/** Fargate task sizes: cpu units → allowed memory (MiB). */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Problems of a memory size for a cpu size (path `memory`); nothing when cpu is not a Fargate size
 * or memory not a whole number in Fargate's range (other rules report those).
 */
export function fargateMemoryProblems(cpu: unknown, memory: unknown): Problem[] {
  if (typeof cpu !== 'number' || FARGATE_SIZES[cpu] === undefined) return [];
  if (
    typeof memory !== 'number' ||
    !Number.isInteger(memory) ||
    memory < FARGATE_MEMORY_RANGE.min ||
    memory > FARGATE_MEMORY_RANGE.max ||
    FARGATE_SIZES[cpu].includes(memory)
  )
    return [];
  return [{ path: 'memory', message: MESSAGES.fargateMemory(cpu, memory, describeSizes(FARGATE_SIZES[cpu])) }];
}

function describeSizes(sizes: readonly number[]): string {
  return sizes.length <= 4
    ? sizes.join(', ')
    : `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

// The patterns of AWS names and ids, written once: the predicates below and the JSON Schema
// fragments of model/fields.ts (their `.source`) are built from them.
/**
 * An EC2 resource id: the prefix (`vpc`, `subnet`, `sg`, `ami`, `lt`), then EC2_ID_DIGITS (8 or 17) hexadecimal digits.
 */
export const HEX_ID = (prefix: string) =>
  new RegExp(`^${prefix}-(${EC2_ID_DIGITS.map((digits) => `[0-9a-f]{${digits}}`).join('|')})$`);
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;
const CLUSTER_NAME_PART = `[A-Za-z0-9_-]{1,${AWS_LIMITS.clusterNameLength}}`;
export const CLUSTER_NAME = new RegExp(`^${CLUSTER_NAME_PART}$`);
export const CLUSTER_ARN = new RegExp(
  `^arn:aws(-cn|-us-gov|-iso[a-z-]*)?:ecs:[a-z0-9-]+:\\d{12}:cluster\\/(${CLUSTER_NAME_PART})$`,
);
export const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso[a-z-]*)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const ALB_ID = `[0-9a-f]{${AWS_LIMITS.albIdDigits}}`;
export const LISTENER_ARN = new RegExp(
  `^arn:aws(-cn|-us-gov|-iso[a-z-]*)?:elasticloadbalancing:([a-z0-9-]+):(\\d{12}):listener\\/app\\/([A-Za-z0-9-]{1,32})\\/${ALB_ID}\\/(${ALB_ID})$`,
);
/** An HTTP header name (a token of RFC 9110), of any length. */
export const HTTP_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

export const isVpcId = (v: unknown): v is string => typeof v === 'string' && HEX_ID('vpc').test(v);
export const isSubnetId = (v: unknown): v is string => typeof v === 'string' && HEX_ID('subnet').test(v);
export const isSecurityGroupId = (v: unknown): v is string => typeof v === 'string' && HEX_ID('sg').test(v);
export const isRegion = (v: unknown): v is string => typeof v === 'string' && REGION.test(v);

export const isListenerArn = (v: unknown): v is string => typeof v === 'string' && LISTENER_ARN.test(v);
/** The region in a listener ARN. */
export const listenerRegion = (arn: string): string | undefined => LISTENER_ARN.exec(arn)?.[2];
/**
 * A listener in another region than the services or instances (path `listenerArn`); nothing unless both are
 * well-formed.
 */
export function listenerRegionProblems(listenerArn: unknown, region: unknown, platform = 'ecs'): Problem[] {
  if (!isListenerArn(listenerArn) || !isRegion(region) || listenerRegion(listenerArn) === region) return [];
  return [{ path: 'listenerArn', message: MESSAGES.listenerRegion(listenerRegion(listenerArn)!, region, platform) }];
}

/** The region, account, load balancer name and listener id in a listener ARN. */
export function listenerParts(
  arn: string,
): { region: string; account: string; loadBalancer: string; listenerId: string } | undefined {
  const m = LISTENER_ARN.exec(arn);
  return m === null ? undefined : { region: m[2], account: m[3], loadBalancer: m[4], listenerId: m[5] };
}

export const isClusterArn = (v: unknown): v is string => typeof v === 'string' && CLUSTER_ARN.test(v);
export const isClusterNameOrArn = (v: unknown): v is string =>
  typeof v === 'string' && (CLUSTER_NAME.test(v) || isClusterArn(v));
export const isRoleArn = (v: unknown): v is string => typeof v === 'string' && ROLE_ARN.test(v);

/** An HTTP header an ALB http-header condition can match: a token of at most 40 characters, never Host. */
export const isAlbHeaderName = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= AWS_LIMITS.headerNameLength && HTTP_TOKEN.test(v) && v.toLowerCase() !== 'host';

/** The target group of a color: `<app>-<color>`, at most 32 characters. */
export function targetGroupName(app: string, color: string): string {
  return `${app}-${color}`;
}

/**
 * Problems of an ALB route: at most 5 target groups in a forward action (path `colors`), each
 * color's target group name within 32 characters (path `colors[i].name`, for the i given).
 */
export function validateAlbRoute(
  app: string,
  colors: ReadonlyArray<{ name: string; index: number }>,
  liveCount: number,
  platform = 'ecs',
): Problem[] {
  const problems: Problem[] = [];
  if (liveCount > AWS_LIMITS.targetGroupsPerForward)
    problems.push({
      path: 'colors',
      message: MESSAGES.tooManyTargetGroups(liveCount, AWS_LIMITS.targetGroupsPerForward, platform),
    });
  for (const c of colors) {
    const name = targetGroupName(app, c.name);
    if (name.length > AWS_LIMITS.targetGroupNameLength)
      problems.push({
        path: `colors[${c.index}].name`,
        message: MESSAGES.targetGroupNameTooLong(app, c.name, name, AWS_LIMITS.targetGroupNameLength),
      });
  }
  return problems;
}

/**
 * The priority of a color's own listener rule: `rulePriority` plus a hash of the color name
 * (FNV-1a) modulo 1000. It follows from the name alone, so it never moves when other colors come
 * and go; two colors of one app that land on the same priority are refused at synth time.
 */
export function colorRulePriority(rulePriority: number, color: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < color.length; i++) {
    hash ^= color.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return rulePriority + (hash % AWS_LIMITS.colorRuleSlots);
}

/** The priority of the weighted rule, after every color rule. */
export function weightedRulePriority(rulePriority: number): number {
  return rulePriority + AWS_LIMITS.colorRuleSlots;
}

/** Two colors whose rules would share a priority (path `colors[i].name`). */
export function priorityCollisions(
  rulePriority: number,
  colors: ReadonlyArray<{ name: string; index: number }>,
): Problem[] {
  const problems: Problem[] = [];
  const taken = new Map<number, { name: string; index: number }>();
  for (const c of colors) {
    const priority = colorRulePriority(rulePriority, c.name);
    const other = taken.get(priority);
    if (other !== undefined && other.name !== c.name) {
      problems.push({
        path: `colors[${c.index}].name`,
        message: MESSAGES.priorityTaken(c.name, priority, `colors[${other.index}]`, other.name),
      });
    } else taken.set(priority, c);
  }
  return problems;
}

// Deployment alarms
/**
 * The most CloudWatch alarms an instance refresh watches (Amazon EC2 Auto Scaling API Reference, AlarmSpecification).
 */
export const MAX_INSTANCE_REFRESH_ALARMS = 10;

/**
 * The alarms of one color's deployment, as a list: repeats, and on EC2 more than an instance
 * refresh takes (ECS documents no limit for a service's deployment alarms).
 */
export function alarmListProblems(alarms: readonly unknown[], platform: 'ecs' | 'ec2'): Problem[] {
  const problems = duplicateAlarmProblems(alarms);
  if (platform === Platform.EC2 && alarms.length > MAX_INSTANCE_REFRESH_ALARMS) {
    problems.unshift({ path: '', message: MESSAGES.tooManyRefreshAlarms(alarms.length, MAX_INSTANCE_REFRESH_ALARMS) });
  }
  return problems;
}

/**
 * Alarm names given twice (`path` the index in the list): the provider keeps a set, so a repeat would vanish without a
 * word.
 */
export function duplicateAlarmProblems(alarms: readonly unknown[]): Problem[] {
  const first = new Map<unknown, number>();
  const problems: Problem[] = [];
  alarms.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const at = first.get(name);
    if (at === undefined) first.set(name, i);
    else problems.push({ path: `[${i}]`, message: MESSAGES.duplicateAlarm(name, at) });
  });
  return problems;
}
