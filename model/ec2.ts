import { HEX_ID } from './aws';
import { ECS_HEALTHY_THRESHOLD } from './ecs-timeouts';
import { MESSAGES } from './messages';
import { Problem } from './problem';

/**
 * Rules of the ec2 platform (EC2 Auto Scaling groups from AMIs, behind an ALB) and of EKS managed
 * node groups that are not about the rolling policy (which is spec/rolling.ts's).
 */

/** Limits of the EC2, IAM and EKS APIs that the ec2 platform and RollingNodeGroup respect. */
export const EC2_LIMITS = {
  /**
   * User data, raw, before base64 encoding: 16 KB.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
   */
  userDataBytes: 16384,
  instanceTypeLength: 64,
  /** An IAM instance profile name (CreateInstanceProfile). */
  instanceProfileNameLength: 128,
  /** An EKS node group name (`node_group_name`, internal/service/eks/node_group.go). */
  nodeGroupNameLength: 63,
  /** An EKS cluster name (CreateCluster API). */
  clusterNameLength: 100,
} as const;

// A family with a generation digit (t3, m7g, u-6tb1, mac2-m2pro), a dot, a size (small, 2xlarge, metal-24xl).
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/;
const INSTANCE_PROFILE = new RegExp(`^[\\w+=,.@-]{1,${EC2_LIMITS.instanceProfileNameLength}}$`);
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]*$/;

export const AMI_PATTERN = HEX_ID('ami').source;
export const INSTANCE_TYPE_PATTERN = INSTANCE_TYPE.source;
export const INSTANCE_PROFILE_PATTERN = INSTANCE_PROFILE.source;
export const EKS_NAME_PATTERN = EKS_NAME.source;

export const isAmiId = (v: unknown): v is string => typeof v === 'string' && HEX_ID('ami').test(v);
export const isLaunchTemplateId = (v: unknown): v is string => typeof v === 'string' && HEX_ID('lt').test(v);
export const isInstanceType = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= EC2_LIMITS.instanceTypeLength && INSTANCE_TYPE.test(v);
export const isInstanceProfileName = (v: unknown): v is string => typeof v === 'string' && INSTANCE_PROFILE.test(v);
export const isEksClusterName = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= EC2_LIMITS.clusterNameLength && EKS_NAME.test(v);
export const isNodeGroupName = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= EC2_LIMITS.nodeGroupNameLength && EKS_NAME.test(v);

/** The size of a text in UTF-8, as EC2 counts user data. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * User data EC2 takes: not empty, at most 16 KB before base64. Control characters are the text check's
 * (document-text.ts).
 */
export const isUserData = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && utf8Bytes(v) <= EC2_LIMITS.userDataBytes;

/** Launch template versions that follow the template instead of naming one version. */
const VERSION_ALIASES = ['$Latest', '$Default'];

/**
 * A launch template version that a new version of the template rolls out: a number (the
 * template's `latest_version`), never `$Latest` or `$Default`, with which Terraform sees no change
 * when the template changes, so no instance refresh or node update starts, and AWS cannot roll
 * back (path `version`).
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/autoscaling_group#instance_refresh
 */
export function launchTemplateVersionProblems(version: unknown): Problem[] {
  return typeof version === 'string' && VERSION_ALIASES.includes(version)
    ? [{ path: 'version', message: MESSAGES.launchTemplateVersionAlias(version) }]
    : [];
}

/**
 * Allowance for an instance to be placed, boot and run its user data, before its first health
 * check. Not a platform guarantee: a margin.
 */
export const EC2_INSTANCE_START_SECONDS = 300;

/** Margin for the API calls around a deletion (capacity to 0, DeleteAutoScalingGroup, polling). */
const EC2_DELETE_MARGIN_SECONDS = 300;

/**
 * The Terraform AWS provider's default `wait_for_capacity_timeout` and `delete` timeout of an `aws_autoscaling_group`,
 * 10 minutes.
 */
export const ASG_PROVIDER_DEFAULT_TIMEOUT_SECONDS = 600;

/**
 * How long Terraform waits for an Auto Scaling group: `wait_for_capacity_timeout` and `timeouts.delete`, in seconds.
 */
export interface Ec2GroupTimeouts {
  /** Every instance of a new group (or of a changed desired capacity) launched and healthy in the target group. */
  readonly capacitySeconds: number;
  /** Every instance drained from the target group and terminated. */
  readonly deleteSeconds: number;
}

/**
 * How long Terraform may wait for a color's Auto Scaling group, never below the provider's 10
 * minutes. Instances start together: capacity takes one start (the margin above), the health
 * check grace period, and the target group's healthy threshold of checks (the same threshold as
 * an ECS color's: both platforms' target groups are made by one function, constructs/aws/alb-color.ts). A deletion sets
 * the capacity to 0 and waits for every instance to be deregistered (`drainSeconds`) and terminated.
 */
export function ec2GroupTimeouts(inputs: {
  readonly startupSeconds: number;
  readonly periodSeconds: number;
  readonly drainSeconds: number;
}): Ec2GroupTimeouts {
  const floor = (seconds: number) => Math.max(ASG_PROVIDER_DEFAULT_TIMEOUT_SECONDS, seconds);
  return {
    capacitySeconds: floor(
      EC2_INSTANCE_START_SECONDS + inputs.startupSeconds + ECS_HEALTHY_THRESHOLD * inputs.periodSeconds,
    ),
    deleteSeconds: floor(inputs.drainSeconds + EC2_DELETE_MARGIN_SECONDS),
  };
}

/**
 * The outputs of an ec2 color's stack `<app>-<color>` that say what its instances are to run:
 * after deploying the stack, `rainbow apply` reads them and starts the instance refresh
 * (engine/ec2-refresh.ts), since the Auto Scaling group ignores changes of its launch template
 * in Terraform (docs/ec2.md, "Rolling updates: the instance refresh").
 */
export const EC2_REFRESH_OUTPUTS = {
  /** The Auto Scaling group's name, `<app>-<color>`. */
  groupName: 'auto_scaling_group_name',
  /** The launch template's id, `lt-...`. */
  launchTemplateId: 'launch_template_id',
  /** The launch template's `latest_version`: the version the instances should run. */
  launchTemplateVersion: 'launch_template_version',
} as const;

/** What bounds the wait for an instance refresh, and its rollback. */
export interface Ec2RefreshTimeoutInputs {
  /** The group's desired instance count. */
  readonly replicas: number;
  /** Instances a refresh adds above the desired count at a time (ec2InstanceRefresh's `surge`). */
  readonly surge: number;
  /** Instances a refresh takes below the desired count at a time (ec2InstanceRefresh's `unavailable`). */
  readonly unavailable: number;
  /** The group's health check grace period (`healthCheck.startupSeconds`). */
  readonly startupSeconds: number;
  /** The target group's health check interval. */
  readonly periodSeconds: number;
  /** The refresh's instance warm-up (minReadySeconds). */
  readonly warmupSeconds: number;
  /** The target group's deregistration delay. */
  readonly drainSeconds: number;
}

/**
 * How long `rainbow apply` follows an instance refresh before it gives up and asks for a
 * rollback: twice the time of the whole refresh (a rollback replaces at most what the refresh
 * replaced), never below the provider's 10 minutes. The refresh replaces `surge + unavailable`
 * instances a round (at least one); a round takes an instance's start (the margin above), the
 * health check grace period, two passing checks, the warm-up, then the old instance's drain.
 * Not a platform guarantee: a bound, like the group's own timeouts.
 */
export function ec2RefreshTimeoutSeconds(inputs: Ec2RefreshTimeoutInputs): number {
  const n = Math.max(1, inputs.replicas);
  const perRound = Math.min(n, Math.max(1, inputs.surge + inputs.unavailable));
  const round =
    EC2_INSTANCE_START_SECONDS +
    inputs.startupSeconds +
    ECS_HEALTHY_THRESHOLD * inputs.periodSeconds +
    inputs.warmupSeconds +
    inputs.drainSeconds;
  return Math.max(ASG_PROVIDER_DEFAULT_TIMEOUT_SECONDS, 2 * Math.ceil(n / perRound) * round);
}
