import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import type { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Construct } from 'constructs';
import { targetGroupName } from '../../model/aws';
import { resolveHealthCheck, resolveReplicas } from '../../model/color';
import { withTextProblems } from '../../model/document-text';
import { Ec2GroupTimeouts, ec2GroupTimeouts, ec2RefreshTimeoutSeconds } from '../../model/ec2';
import { FIELDS } from '../../model/fields';
import { MESSAGES, received } from '../../model/messages';
import { prefixProblems, Problem, throwIfProblems } from '../../model/problem';
import { ec2InstanceRefreshProblems, Ec2InstanceRefreshValues } from '../../model/rolling';
import {
  DEFAULT_DRAIN_SECONDS,
  DEFAULT_PORT,
  HealthCheck,
  Platform,
  resolveSecurity,
  SecurityOptions,
} from '../../model/types';
import { validateWorkload } from '../../model/workload';
import { IEc2Color } from '../common/color';
import { Fn, ITerraformDependable, Token } from '../core';
import { RollingUpdatePolicy } from '../rolling/rolling-update-policy';
import { unlessToken, withoutTokens } from '../tokens';
import {
  addAlbColor,
  albAlarmProblems,
  albNameProblems,
  albNetworkProblems,
  albTargetHealthProblems,
  checkField,
  ColorListenerRule,
} from './alb-color';
import { Ec2ColorReference, Ec2ColorReferenceProps } from './ec2-color-reference';

/** What an EC2 color is made of: its AMI and instance type, where it runs, and how it rolls. */
export interface Ec2ColorProps {
  /**
   * The application: with the color it names the group, launch template and target group `<app>-<color>`, at most 32
   * characters.
   */
  readonly app: string;
  /** The color: one complete, parallel version of the application. */
  readonly color: string;
  /** The AMI every instance of the color starts from: `ami-` and 8 or 17 hexadecimal digits. */
  readonly image: string;
  /** The EC2 instance type, such as `t3.small`. */
  readonly instanceType: string;
  /** VPC of the target group, such as `vpc-0abc1234`. */
  readonly vpcId: string;
  /** The subnets the group launches instances in, spread over their Availability Zones. */
  readonly subnetIds: string[];
  /** The only security groups of the instances; they must let the ALB reach `port`. */
  readonly securityGroupIds: string[];
  /** The color's own listener rule, which attaches its target group to the ALB. */
  readonly listenerRule: ColorListenerRule;
  /** Desired instance count. @default 2 */
  readonly replicas?: number;
  /** The port the application listens on in each instance. @default 8080 */
  readonly port?: number;
  /**
   * A script or cloud-init document each instance runs at its first boot (at most 16 KB);
   * passed on unchanged, base64-encoded as EC2 requires.
   * @default - none
   */
  readonly userData?: string;
  /**
   * The name of the IAM instance profile the instances run with.
   * @default - no instance profile: the instances get no AWS permissions
   */
  readonly instanceProfile?: string;
  /**
   * CloudWatch alarms an instance refresh of the color watches (its AlarmSpecification): when
   * one goes into ALARM, the refresh fails and rolls back to the previous launch template
   * version, as it does when instances fail their health checks. At most 10.
   * @default - no alarms
   */
  readonly alarms?: string[];
  /**
   * How an instance refresh replaces the instances: its healthy percents (`instanceRefresh`) and
   * warm-up (minReadySeconds), and the room the group keeps for the surge (`max_size`).
   * @default RollingUpdatePolicy.zeroDowntime()
   */
  readonly rollingUpdate?: RollingUpdatePolicy;
  /**
   * The target group's health check of each instance.
   * @default - GET /healthz every 10 s, 3 failures take the instance out, 60 s to start
   */
  readonly healthCheck?: HealthCheck;
  /** The target group's deregistration delay: how long a leaving instance keeps its connections. @default 30 */
  readonly drainSeconds?: number;
  /**
   * Secure defaults this color weakens on purpose (a public IP). Add
   * `SecureDefaults.enforce(stack, sameOptions)` to check the stack.
   * @default - none
   */
  readonly security?: SecurityOptions;
}

/**
 * One color of an application on EC2 behind an ALB: a target group `<app>-<color>` and the
 * color's own listener rule (the same as an ECS color's), a launch template `<app>-<color>` from
 * the AMI (IMDSv2 required, an encrypted root volume, no public IP), and the Auto Scaling group
 * `<app>-<color>`, created at the template's latest version, waiting for its healthy capacity in
 * the target group (`wait_for_elb_capacity`).
 *
 * After create, the group ignores changes of its launch template in Terraform, and has no
 * `instance_refresh` block: the provider would save the new version on the group before
 * starting the refresh, so that a failed refresh "rolled back" to the new version
 * (hashicorp/terraform-provider-aws#34189). A change of the template makes a new version, and
 * `rainbow apply` then starts the instance refresh itself, with that version as its desired
 * configuration, the percents of `instanceRefresh`, minReadySeconds as the warm-up and the
 * alarms, and waits for it (engine/ec2-refresh.ts): Auto Scaling
 * saves the new version on the group only when the refresh succeeds, so a failed refresh, or one
 * stopped by an alarm, leaves the group and its instances on the previous version. A plain
 * `cdktf deploy` makes the new version and replaces no instance.
 *
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 */
export class Ec2Color extends Construct implements IEc2Color {
  /** A color of another stack, by its names, for an AlbRouter's `addColor`. */
  public static fromName(scope: Construct, id: string, props: Ec2ColorReferenceProps): IEc2Color {
    return new Ec2ColorReference(scope, id, props);
  }

  public readonly app: string;
  public readonly color: string;
  /** Always `Platform.EC2`. */
  public readonly platform: Platform = Platform.EC2;
  /** The Auto Scaling group: an AlbRouter in the same stack moves traffic to the color once its capacity is healthy. */
  public readonly rolloutDependencies: ITerraformDependable[];
  /** `<app>-<color>`: the group, launch template and target group. */
  public readonly name: string;
  /** Desired instance count of the group. */
  public readonly replicas: number;
  /** The port the application listens on, and the target group's. */
  public readonly port: number;
  /** The rolling update policy the instance refresh follows. */
  public readonly rollingUpdate: RollingUpdatePolicy;
  /** The health check with every default filled in. */
  public readonly healthCheck: HealthCheck;
  /** The target group's deregistration delay, in seconds. */
  public readonly drainSeconds: number;
  /** The instance refresh's healthy percents and the group's max size, from the rolling policy. */
  public readonly instanceRefresh: Ec2InstanceRefreshValues;
  /** How long `rainbow apply` follows an instance refresh of the color before it asks for a rollback. */
  public readonly refreshTimeoutSeconds: number;
  /** How long Terraform waits for the group's capacity and its deletion. */
  public readonly groupTimeouts: Ec2GroupTimeouts;
  /** The target group `<app>-<color>`, target type instance. */
  public readonly targetGroup: LbTargetGroup;
  /**
   * The color's own listener rule: it attaches the target group to the ALB and, with a pin header, forwards pinned
   * requests.
   */
  public readonly listenerRule: LbListenerRule;
  /** The AMI, read for its root device name, so that the root volume is the one encrypted. */
  public readonly image: DataAwsAmi;
  /** The launch template `<app>-<color>`: the AMI, instance type, IMDSv2, encrypted root volume. */
  public readonly launchTemplate: LaunchTemplate;
  /** The Auto Scaling group `<app>-<color>`; Terraform sets its launch template on create only. */
  public readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: Ec2ColorProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `Ec2Color ${this.node.path}`);
    this.app = props.app;
    this.color = props.color;
    this.name = targetGroupName(props.app, props.color);
    this.replicas = resolveReplicas(props.replicas, undefined);
    this.port = props.port ?? DEFAULT_PORT;
    this.rollingUpdate = props.rollingUpdate ?? RollingUpdatePolicy.zeroDowntime();
    const healthCheck = resolveHealthCheck(props.healthCheck);
    this.healthCheck = healthCheck;
    this.drainSeconds = props.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
    this.instanceRefresh = this.rollingUpdate.ec2InstanceRefresh(this.replicas);
    this.groupTimeouts = ec2GroupTimeouts({
      startupSeconds: healthCheck.startupSeconds,
      periodSeconds: healthCheck.periodSeconds,
      drainSeconds: this.drainSeconds,
    });
    this.refreshTimeoutSeconds = ec2RefreshTimeoutSeconds({
      replicas: this.replicas,
      surge: this.instanceRefresh.surge,
      unavailable: this.instanceRefresh.unavailable,
      startupSeconds: healthCheck.startupSeconds,
      periodSeconds: healthCheck.periodSeconds,
      warmupSeconds: this.rollingUpdate.minReadySeconds,
      drainSeconds: this.drainSeconds,
    });
    const tags = { app: props.app, 'rainbow-color': props.color };
    const security = resolveSecurity(props.security);

    const alb = addAlbColor(this, {
      app: props.app,
      color: props.color,
      name: this.name,
      targetType: 'instance',
      port: this.port,
      vpcId: props.vpcId,
      drainSeconds: this.drainSeconds,
      healthCheck: healthCheck,
      listenerRule: props.listenerRule,
      tags,
    });
    this.targetGroup = alb.targetGroup;
    this.listenerRule = alb.listenerRule;

    this.image = new DataAwsAmi(this, 'Image', { filter: [{ name: 'image-id', values: [props.image] }] });
    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      name: this.name,
      imageId: props.image,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      ...(props.userData === undefined ? {} : { userData: base64(props.userData) }),
      ...(props.instanceProfile === undefined ? {} : { iamInstanceProfile: { name: props.instanceProfile } }),
      // IMDSv2 only: a request needs a session token, which a forwarded request (SSRF) cannot get.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        { deviceName: this.image.rootDeviceName, ebs: { encrypted: 'true', deleteOnTermination: 'true' } },
      ],
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: String(security.allowPublicIp),
          securityGroups: [...props.securityGroupIds],
          deleteOnTermination: 'true',
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: { ...tags, Name: this.name } },
        { resourceType: 'volume', tags },
      ],
      tags,
    });

    this.group = new AutoscalingGroup(this, 'Resource', {
      name: this.name,
      vpcZoneIdentifier: [...props.subnetIds],
      desiredCapacity: this.replicas,
      minSize: this.replicas,
      maxSize: this.instanceRefresh.maxSize,
      healthCheckType: 'ELB',
      healthCheckGracePeriod: healthCheck.startupSeconds,
      targetGroupArns: [this.targetGroup.arn],
      // A version number, never $Latest or $Default: Auto Scaling rolls back only to a numbered version.
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      ...(this.replicas > 0 ? { waitForElbCapacity: this.replicas } : {}),
      waitForCapacityTimeout: `${this.groupTimeouts.capacitySeconds}s`,
      timeouts: { delete: `${this.groupTimeouts.deleteSeconds}s` },
      tag: Object.entries({ ...tags, Name: this.name }).map(([key, value]) => ({
        key,
        value,
        propagateAtLaunch: false,
      })),
      // A target group gets health checks only once a listener rule forwards to it.
      dependsOn: [this.listenerRule],
      // The instance refresh that rainbow apply starts moves the group to a new version, and only when it succeeds.
      lifecycle: { ignoreChanges: ['launch_template'] },
    });
    this.rolloutDependencies = [this.group];
  }
}

/** User data as EC2 takes it: base64 of its UTF-8 bytes (encoded by Terraform when it is known only at apply time). */
function base64(text: string): string {
  return unlessToken(text) === undefined ? Fn.base64encode(text) : Buffer.from(text, 'utf8').toString('base64');
}

function validateProps(props: Ec2ColorProps): Problem[] {
  const problems = validateWorkload(
    withoutTokens({
      app: props.app,
      color: props.color,
      replicas: props.replicas,
      port: props.port,
      host: props.listenerRule.host,
      drainSeconds: props.drainSeconds,
      healthCheckPath: props.healthCheck?.path,
      healthCheckPeriodSeconds: props.healthCheck?.periodSeconds,
      healthCheckFailureThreshold: props.healthCheck?.failureThreshold,
      healthCheckStartupSeconds: props.healthCheck?.startupSeconds,
    }),
  ).map((p) => (p.path === 'host' ? { path: 'listenerRule.host', message: p.message } : p));
  const image = unlessToken(props.image);
  if (image !== undefined && !FIELDS.image.test(image))
    problems.push({ path: 'image', message: received(image, FIELDS.image.expected) });
  else if (image !== undefined && !FIELDS.ami.test(image))
    problems.push({ path: 'image', message: MESSAGES.amiForEc2(image) });
  checkField(problems, 'instanceType', props.instanceType, FIELDS.instanceType);
  if (
    props.userData !== undefined &&
    unlessToken(props.userData) !== undefined &&
    !FIELDS.userData.test(props.userData)
  ) {
    problems.push({ path: 'userData', message: received(props.userData, FIELDS.userData.expected, true) });
  }
  if (props.instanceProfile !== undefined)
    checkField(problems, 'instanceProfile', props.instanceProfile, FIELDS.instanceProfile);
  problems.push(...albNetworkProblems(props));
  problems.push(...albTargetHealthProblems(props.healthCheck));
  const replicas = unlessToken(props.replicas);
  if (
    props.rollingUpdate !== undefined &&
    (replicas === undefined || FIELDS.replicas.test(replicas)) &&
    unlessToken(props.color) !== undefined
  ) {
    problems.push(
      ...prefixProblems(
        'rollingUpdate',
        ec2InstanceRefreshProblems(props.rollingUpdate, resolveReplicas(replicas, undefined), props.color),
      ),
    );
  }
  problems.push(...albAlarmProblems(props.alarms, 'ec2'));
  problems.push(...albNameProblems(props.app, props.color, Platform.EC2));
  // Only the props that hold text from the user: the policy and the allowances are our own objects.
  const { rollingUpdate: _policy, security: _security, ...text } = props;
  return withTextProblems(text, problems);
}
