import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsEcsCluster } from '@cdktf/provider-aws/lib/data-aws-ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { ITerraformDependable } from '../core';
import { Construct } from 'constructs';
import {
  FARGATE_DEFAULTS,
  fargateMemoryProblems,
  isClusterArn,
  listenerRegionProblems,
  targetGroupName,
} from '../../model/aws';
import { withTextProblems } from '../../model/document-text';
import { FieldRule, FIELDS } from '../../model/fields';
import { ECS_STOP_TIMEOUT_SECONDS, EcsServiceTimeouts, ecsServiceTimeouts } from '../../model/ecs-timeouts';
import { environmentProblems, environmentValueProblems } from '../../model/environment';
import { prefixProblems, Problem, throwIfProblems } from '../../model/problem';
import { ecsMinReadyProblems } from '../../model/rolling';
import {
  DEFAULT_DRAIN_SECONDS,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_PORT,
  HealthCheck,
  Platform,
  resolveSecurity,
  SecurityOptions,
} from '../../model/types';
import { colorImageProblems } from '../../model/images';
import { validateWorkload } from '../../model/workload';
import { IEcsColor } from '../common/color';
import { resolveHealthCheck, resolveReplicas } from '../../model/color';
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
import { EcsColorReference, EcsColorReferenceProps } from './ecs-color-reference';

// Where it was declared before ECS and EC2 colors shared it: the folder's index still exports it.
export type { ColorListenerRule } from './alb-color';

/**
 * What an EcsColor takes: the app, color and image, and the existing cluster, network and listener. Everything else has
 * a default.
 */
export interface EcsColorProps {
  /**
   * The application: with the color it names the service, target group and task family `<app>-<color>`, at most 32
   * characters.
   */
  readonly app: string;
  /** The color: one complete, parallel version of the application. */
  readonly color: string;
  /**
   * Container image, such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0`; from ECR, the execution role
   * may pull its repository only. A fixed version tag or a digest: without a tag, or with `latest`, it is refused
   * unless `security.allowMutableTags`.
   */
  readonly image: string;
  /** Region of the service, for its log configuration. */
  readonly region: string;
  /** Name or ARN of an existing ECS cluster. */
  readonly cluster: string;
  /** VPC of the target group, such as `vpc-0abc1234`. */
  readonly vpcId: string;
  /** Subnets the tasks run in, at least one. */
  readonly subnetIds: string[];
  /** Security groups of the tasks, at least one. */
  readonly securityGroupIds: string[];
  /** The color's own listener rule, which attaches its target group to the ALB. */
  readonly listenerRule: ColorListenerRule;
  /** Desired task count, 0 to 10000. @default 2 */
  readonly replicas?: number;
  /**
   * The port the container listens on, 1 to 65535. The target group uses the same port.
   * @default 8080
   */
  readonly port?: number;
  /** Fargate cpu units. @default 256 */
  readonly cpu?: number;
  /** Fargate memory in MiB, valid for `cpu`. @default 512 */
  readonly memory?: number;
  /**
   * How the service replaces its tasks: the ECS deployment percents follow from its maxSurge and
   * maxUnavailable. Its minReadySeconds must be 0: nothing in ECS holds a healthy new task, so
   * the time a task may take to start is `healthCheck.startupSeconds`.
   * @default RollingUpdatePolicy.zeroDowntime()
   */
  readonly rollingUpdate?: RollingUpdatePolicy;
  /**
   * The target group's health check, and the service's grace period for a new task (`startupSeconds`).
   * @default - GET /healthz every 10 s, 3 failures take the task out, 60 s to start
   */
  readonly healthCheck?: HealthCheck;
  /**
   * The target group's deregistration delay: how long a leaving task keeps its connections,
   * 0 to 3600 seconds. @default 30
   */
  readonly drainSeconds?: number;
  /**
   * Plain environment variables of the container.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Days CloudWatch Logs keeps the color's logs: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
   * 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Secure defaults this color weakens on purpose (a writable root filesystem, a public IP, a mutable
   * image tag). Add `SecureDefaults.enforce(stack, sameOptions)` to check the stack.
   * @default - none
   */
  readonly security?: SecurityOptions;
  /**
   * The role the application's code runs with.
   * @default - no task role: the code gets no AWS permissions
   */
  readonly taskRoleArn?: string;
  /**
   * CloudWatch alarms ECS watches during a deployment of the service: when one goes into ALARM,
   * the deployment fails and ECS rolls it back to the last completed one (the service's `alarms`
   * block, with `enable` and `rollback`).
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
   * @default - no alarms: only the deployment circuit breaker rolls a deployment back
   */
  readonly alarms?: string[];
}

/**
 * One color of an application on ECS Fargate behind an ALB: a target group `<app>-<color>`, a task
 * definition, a least-privilege execution role, a log group, and the ECS service `<app>-<color>`,
 * which updates itself with a rolling deployment that Terraform waits for (`wait_for_steady_state`)
 * and that rolls back by itself when it fails (deployment circuit breaker), and when the apply
 * waiting for it is interrupted (`sigint_rollback`: Ctrl-C, or a cancelled CI job).
 *
 * A listener rule of its own attaches the target group to the ALB, as ECS requires before the
 * service can start; the weighted split between colors is the AlbRouter's.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html
 */
export class EcsColor extends Construct implements IEcsColor {
  /** A color of another stack, by its names, for an AlbRouter's `addColor`. */
  public static fromName(scope: Construct, id: string, props: EcsColorReferenceProps): IEcsColor {
    return new EcsColorReference(scope, id, props);
  }

  public readonly app: string;
  public readonly color: string;
  public readonly platform: Platform = Platform.ECS;
  /** The ECS service: an AlbRouter in the same stack moves traffic to the color once it is steady. */
  public readonly rolloutDependencies: ITerraformDependable[];
  /** `<app>-<color>`: the service, target group and task family. */
  public readonly name: string;
  /** Desired task count of the service. */
  public readonly replicas: number;
  /** The container port, and the target group's. */
  public readonly port: number;
  /** The rolling update policy the service's deployment percents follow from. */
  public readonly rollingUpdate: RollingUpdatePolicy;
  /** The health check with every default filled in. */
  public readonly healthCheck: HealthCheck;
  /** The target group's deregistration delay, in seconds. */
  public readonly drainSeconds: number;
  /** The target group `<app>-<color>`. */
  public readonly targetGroup: LbTargetGroup;
  /** The log group `/ecs/<app>-<color>`. */
  public readonly logGroup: CloudwatchLogGroup;
  /** The execution role `<app>-<color>-execution`: it may pull the image and write the logs, nothing else. */
  public readonly executionRole: IamRole;
  /** The Fargate task definition, family `<app>-<color>`. */
  public readonly taskDefinition: EcsTaskDefinition;
  /**
   * The color's own listener rule: it attaches the target group to the ALB and, with a pin header, forwards pinned
   * requests.
   */
  public readonly listenerRule: LbListenerRule;
  /** The ECS service `<app>-<color>`. */
  public readonly service: EcsService;
  /**
   * How long Terraform waits for the service to be created, updated and deleted (`timeouts`), from the drain, the
   * health check and the rolling policy.
   */
  public readonly serviceTimeouts: EcsServiceTimeouts;

  constructor(scope: Construct, id: string, props: EcsColorProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `EcsColor ${this.node.path}`);
    this.app = props.app;
    this.color = props.color;
    this.name = targetGroupName(props.app, props.color);
    this.replicas = resolveReplicas(props.replicas, undefined);
    this.port = props.port ?? DEFAULT_PORT;
    this.rollingUpdate = props.rollingUpdate ?? RollingUpdatePolicy.zeroDowntime();
    const healthCheck = resolveHealthCheck(props.healthCheck);
    this.healthCheck = healthCheck;
    this.drainSeconds = props.drainSeconds ?? DEFAULT_DRAIN_SECONDS;
    const tags = { app: props.app, 'rainbow-color': props.color };
    const security = resolveSecurity(props.security);

    const alb = addAlbColor(this, {
      app: props.app,
      color: props.color,
      name: this.name,
      targetType: 'ip',
      port: this.port,
      vpcId: props.vpcId,
      drainSeconds: this.drainSeconds,
      healthCheck: healthCheck,
      listenerRule: props.listenerRule,
      tags,
    });
    this.targetGroup = alb.targetGroup;
    this.listenerRule = alb.listenerRule;

    this.logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: `/ecs/${this.name}`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      tags,
    });

    this.executionRole = new IamRole(this, 'ExecutionRole', {
      name: `${this.name}-execution`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    new IamRolePolicy(this, 'ExecutionPolicy', {
      name: 'pull-image-and-write-logs',
      role: this.executionRole.id,
      policy: JSON.stringify(executionPolicy(props.image, `${this.logGroup.arn}:*`)),
    });

    this.taskDefinition = new EcsTaskDefinition(this, 'TaskDefinition', {
      family: this.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu ?? FARGATE_DEFAULTS.cpu),
      memory: String(props.memory ?? FARGATE_DEFAULTS.memory),
      executionRoleArn: this.executionRole.arn,
      ...(props.taskRoleArn === undefined ? {} : { taskRoleArn: props.taskRoleArn }),
      volume: [{ name: 'tmp' }],
      containerDefinitions: JSON.stringify([
        {
          name: props.app,
          image: props.image,
          essential: true,
          portMappings: [{ containerPort: this.port, protocol: 'tcp' }],
          environment: Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
          readonlyRootFilesystem: !security.allowWritableRootFilesystem,
          mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
          linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
          stopTimeout: ECS_STOP_TIMEOUT_SECONDS,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': this.logGroup.name,
              'awslogs-region': props.region,
              'awslogs-stream-prefix': props.color,
            },
          },
        },
      ]),
      tags,
    });

    const clusterArn =
      isClusterArn(props.cluster) || unlessToken(props.cluster) === undefined
        ? props.cluster
        : new DataAwsEcsCluster(this, 'Cluster', { clusterName: props.cluster }).arn;
    const deployment = this.rollingUpdate.ecsDeployment(this.replicas);
    this.service = new EcsService(this, 'Resource', {
      name: this.name,
      cluster: clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: this.replicas,
      launchType: 'FARGATE',
      deploymentMinimumHealthyPercent: deployment.minimumHealthyPercent,
      deploymentMaximumPercent: deployment.maximumPercent,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      ...(props.alarms === undefined
        ? {}
        : { alarms: { alarmNames: [...props.alarms], enable: true, rollback: true } }),
      waitForSteadyState: true,
      // An interrupted apply stops waiting; without this the deployment it started would go on alone.
      sigintRollback: true,
      healthCheckGracePeriodSeconds: healthCheck.startupSeconds,
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [...props.securityGroupIds],
        assignPublicIp: security.allowPublicIp,
      },
      loadBalancer: [{ targetGroupArn: this.targetGroup.arn, containerName: props.app, containerPort: this.port }],
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      dependsOn: [this.listenerRule],
      tags,
    });
    // Read back from the service, so that the timeouts follow the grace period it really has.
    this.serviceTimeouts = ecsServiceTimeouts({
      rollingUpdate: this.rollingUpdate,
      replicas: this.replicas,
      drainSeconds: this.drainSeconds,
      graceSeconds: this.service.healthCheckGracePeriodSecondsInput ?? 0,
      healthCheck: healthCheck,
    });
    this.rolloutDependencies = [this.service];
    this.service.putTimeouts({
      create: `${this.serviceTimeouts.createSeconds}s`,
      update: `${this.serviceTimeouts.updateSeconds}s`,
      delete: `${this.serviceTimeouts.deleteSeconds}s`,
    });
  }
}

/** Only what pulling the image and writing its logs needs: ECR read on its own repository, when it is in ECR. */
function executionPolicy(image: string, logStreams: string) {
  const statements: Record<string, unknown>[] = [
    { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logStreams },
  ];
  const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/.exec(image);
  if (ecr !== null) {
    const partition = ecr[3] === undefined ? 'aws' : 'aws-cn';
    statements.push(
      { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PullImage',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: `arn:${partition}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[4]}`,
      },
    );
  }
  return { Version: '2012-10-17', Statement: statements };
}

function validateProps(props: EcsColorProps): Problem[] {
  const problems = validateWorkload(
    withoutTokens({
      app: props.app,
      color: props.color,
      image: props.image,
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
  problems.push(...colorImageProblems(withoutTokens({ image: props.image }), props.security));
  const check = (path: string, value: unknown, rule: FieldRule) => checkField(problems, path, value, rule);
  check('region', props.region, FIELDS.region);
  check('cluster', props.cluster, FIELDS.cluster);
  problems.push(...albNetworkProblems(props));
  if (props.cpu !== undefined) check('cpu', props.cpu, FIELDS.fargateCpu);
  if (props.memory !== undefined) check('memory', props.memory, FIELDS.fargateMemory);
  problems.push(...fargateMemoryProblems(props.cpu ?? FARGATE_DEFAULTS.cpu, props.memory ?? FARGATE_DEFAULTS.memory));
  if (props.logRetentionDays !== undefined) check('logRetentionDays', props.logRetentionDays, FIELDS.logRetentionDays);
  if (props.taskRoleArn !== undefined) check('taskRoleArn', props.taskRoleArn, FIELDS.roleArn);
  problems.push(...albAlarmProblems(props.alarms, 'ecs'));
  if (props.rollingUpdate !== undefined)
    problems.push(...prefixProblems('rollingUpdate', ecsMinReadyProblems(props.rollingUpdate.minReadySeconds)));
  problems.push(
    ...prefixProblems(
      'listenerRule',
      listenerRegionProblems(unlessToken(props.listenerRule.listenerArn), unlessToken(props.region)),
    ),
  );
  problems.push(...albTargetHealthProblems(props.healthCheck));
  problems.push(...environmentProblems(props.env, undefined));
  problems.push(...environmentValueProblems(props.env, undefined, isUnresolved));
  problems.push(...albNameProblems(props.app, props.color, Platform.ECS));
  // Only the props that hold text from the user: the policy and the allowances are our own objects.
  const { rollingUpdate: _policy, security: _security, ...text } = props;
  return withTextProblems(text, problems);
}

/** A value known only at apply time, left to the API to check. */
const isUnresolved = (value: unknown): boolean => value !== undefined && unlessToken(value) === undefined;
