import { EcsColor, EcsColorProps } from '../../../constructs/aws/ecs-color';
import { RollingUpdatePolicy } from '../../../constructs/rolling/rolling-update-policy';
import { ecsServiceTimeouts } from '../../../model/ecs-timeouts';
import { resolveHealthCheck } from '../../../model/color';
import { Quantity } from '../../../model/quantity';
import { awsStack, onlyResource, synthJson } from '../../helpers';

const TARGET_GROUP_ARN = expect.stringMatching(/^\$\{aws_lb_target_group\.Color_TargetGroup_[0-9A-F]+\.arn\}$/);
const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

const base: EcsColorProps = {
  app: 'shop',
  color: 'red',
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0',
  region: 'eu-west-1',
  cluster: 'shop',
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d'],
  securityGroupIds: ['sg-01234567'],
  listenerRule: { listenerArn: LISTENER, host: 'shop.example.com', priority: 696 },
};

function color(props: Partial<EcsColorProps> = {}) {
  const stack = awsStack();
  const construct = new EcsColor(stack, 'Color', { ...base, ...props });
  return { construct, json: synthJson(stack) };
}

describe('EcsColor', () => {
  it('resolves its defaults into fields', () => {
    const { construct } = color();
    expect(construct.name).toBe('shop-red');
    expect(construct.replicas).toBe(2);
    expect(construct.port).toBe(8080);
    expect(construct.drainSeconds).toBe(30);
    expect(construct.healthCheck).toEqual({
      path: '/healthz',
      periodSeconds: 10,
      failureThreshold: 3,
      startupSeconds: 60,
    });
    expect(construct.service.node.id).toBe('Resource');
  });

  it('creates an ip target group with the health check and drain delay', () => {
    const tg = onlyResource(
      color({ drainSeconds: 120, healthCheck: { path: '/ready', periodSeconds: 15, failureThreshold: 4 } }).json,
      'aws_lb_target_group',
    );
    expect(tg).toEqual(
      expect.objectContaining({
        name: 'shop-red',
        target_type: 'ip',
        protocol: 'HTTP',
        port: 8080,
        vpc_id: 'vpc-0abc1234',
        deregistration_delay: '120',
      }),
    );
    expect(tg.health_check).toEqual({
      enabled: true,
      path: '/ready',
      port: 'traffic-port',
      protocol: 'HTTP',
      matcher: '200-399',
      interval: 15,
      timeout: 5,
      healthy_threshold: 2,
      unhealthy_threshold: 4,
    });
  });

  it('runs a Fargate service that rolls with the policy, waits for steady state and rolls back on failure and on an interrupted apply', () => {
    const policy = RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.count(0) });
    const service = onlyResource(color({ replicas: 3, rollingUpdate: policy }).json, 'aws_ecs_service');
    expect(service).toEqual(
      expect.objectContaining({
        name: 'shop-red',
        cluster: expect.stringMatching(/^\$\{data\.aws_ecs_cluster\.Color_Cluster_[0-9A-F]+\.arn\}$/),
        desired_count: 3,
        launch_type: 'FARGATE',
        deployment_minimum_healthy_percent: 100,
        deployment_maximum_percent: 134,
        deployment_circuit_breaker: { enable: true, rollback: true },
        wait_for_steady_state: true,
        sigint_rollback: true,
        health_check_grace_period_seconds: 60,
        network_configuration: {
          subnets: ['subnet-0a1b2c3d'],
          security_groups: ['sg-01234567'],
          assign_public_ip: false,
        },
      }),
    );
    expect(service.load_balancer).toEqual([
      { target_group_arn: TARGET_GROUP_ARN, container_name: 'shop', container_port: 8080 },
    ]);
  });

  it("waits for the service as long as its drain, health check and rolling policy need, not the provider's 20 minutes", () => {
    const policy = RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.count(0) });
    const { construct, json } = color({ replicas: 4, drainSeconds: 3600, rollingUpdate: policy });
    const service = onlyResource(json, 'aws_ecs_service');
    const t = construct.serviceTimeouts;
    expect(service.timeouts).toEqual({
      create: `${t.createSeconds}s`,
      update: `${t.updateSeconds}s`,
      delete: `${t.deleteSeconds}s`,
    });
    expect(t).toEqual(
      ecsServiceTimeouts({
        rollingUpdate: policy,
        replicas: 4,
        drainSeconds: 3600,
        graceSeconds: service.health_check_grace_period_seconds,
        healthCheck: resolveHealthCheck(construct.healthCheck),
      }),
    );
    // One task at a time: four rounds, each draining an old task for an hour, and as many again for a rollback.
    expect(t.updateSeconds).toBeGreaterThan(2 * 4 * 3600);
    expect(t.deleteSeconds).toBeGreaterThan(3600 + 30);
  });

  it("keeps the provider's 20 minutes where a service needs less", () => {
    expect(onlyResource(color({ replicas: 1, drainSeconds: 0 }).json, 'aws_ecs_service').timeouts).toEqual({
      create: '1200s',
      update: '1200s',
      delete: '1200s',
    });
  });

  it('uses a cluster ARN as it is, without a lookup', () => {
    const { json } = color({ cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop' });
    expect(json.data).toBeUndefined();
    expect(onlyResource(json, 'aws_ecs_service').cluster).toBe('arn:aws:ecs:eu-west-1:123456789012:cluster/shop');
  });

  it('defines a read-only, capability-free task that logs to its own log group', () => {
    const { json } = color({ env: { LOG_LEVEL: 'info' }, cpu: 512, memory: 2048 });
    const task = onlyResource(json, 'aws_ecs_task_definition');
    expect(task).toEqual(
      expect.objectContaining({
        family: 'shop-red',
        requires_compatibilities: ['FARGATE'],
        network_mode: 'awsvpc',
        cpu: '512',
        memory: '2048',
        volume: [{ name: 'tmp' }],
      }),
    );
    expect(task.task_role_arn).toBeUndefined();
    const [container] = JSON.parse(task.container_definitions.replace(/\$\{[^}]+\}/g, 'TOKEN'));
    expect(container).toEqual(
      expect.objectContaining({
        name: 'shop',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0',
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        environment: [{ name: 'LOG_LEVEL', value: 'info' }],
        readonlyRootFilesystem: true,
        mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
        linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
      }),
    );
    expect(container.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': 'TOKEN', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'red' },
    });
    expect(onlyResource(json, 'aws_cloudwatch_log_group')).toEqual(
      expect.objectContaining({ name: '/ecs/shop-red', retention_in_days: 30 }),
    );
  });

  it('gives the execution role only log writing and pulling from its own ECR repository', () => {
    const { json } = color();
    expect(JSON.parse(onlyResource(json, 'aws_iam_role').assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const policy = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'WriteLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Color_LogGroup_[0-9A-F]+\.arn\}:\*$/),
      },
      { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PullImage',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/shop',
      },
    ]);
  });

  it('gives no ECR permission for an image outside ECR', () => {
    const policy = JSON.parse(
      onlyResource(color({ image: 'ghcr.io/acme/shop:1.4.0' }).json, 'aws_iam_role_policy').policy,
    );
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['WriteLogs']);
  });

  it('attaches its target group with a rule that matches no request when there is no pin header', () => {
    const rule = onlyResource(color().json, 'aws_lb_listener_rule');
    expect(rule).toEqual(
      expect.objectContaining({
        listener_arn: LISTENER,
        priority: 696,
        condition: [
          { host_header: { values: ['shop.example.com'] } },
          { source_ip: { values: ['255.255.255.255/32'] } },
        ],
        action: [{ type: 'forward', target_group_arn: TARGET_GROUP_ARN }],
      }),
    );
  });

  it('pins requests whose header names the color, with its rule', () => {
    const rule = onlyResource(
      color({ listenerRule: { ...base.listenerRule, pinHeader: 'x-color' } }).json,
      'aws_lb_listener_rule',
    );
    expect(rule.condition).toEqual([
      { host_header: { values: ['shop.example.com'] } },
      { http_header: { http_header_name: 'x-color', values: ['red'] } },
    ]);
  });

  it('creates the service only after its target group is attached to the listener', () => {
    const { construct, json } = color();
    expect(onlyResource(json, 'aws_ecs_service').depends_on).toEqual([
      `aws_lb_listener_rule.${construct.listenerRule.friendlyUniqueId}`,
    ]);
  });

  it("fails for a health-check period of 0 once, by the rule every platform shares, and for 2 by the ALB's range", () => {
    expect(() => color({ healthCheck: { periodSeconds: 0 } })).toThrow(
      /\nhealthCheck\.periodSeconds: received 0; expected a whole number of seconds from 1 to 3600$/,
    );
    expect(() => color({ healthCheck: { periodSeconds: 2 } })).toThrow(
      /\nhealthCheck\.periodSeconds: received 2; an ALB target group health check allows an interval from 5 to 300 seconds$/,
    );
  });

  it('fails for a memory size the cpu does not allow, describing the range as a spec does', () => {
    expect(() => color({ cpu: 1024, memory: 1024 })).toThrow(
      /\nmemory: received 1024 with cpu 1024; expected a Fargate memory size for that cpu: 2048 to 8192 in steps of 1024$/,
    );
  });

  it('fails for a listener in another region than the service', () => {
    const elsewhere = LISTENER.replace('eu-west-1', 'us-east-1');
    expect(() => color({ listenerRule: { ...base.listenerRule, listenerArn: elsewhere } })).toThrow(
      /\nlistenerRule\.listenerArn: received a listener in us-east-1; expected one in ecs\.region eu-west-1: the ALB and the services must be in the same region$/,
    );
  });

  it('fails for an invalid host at the path of the prop that holds it', () => {
    expect(() => color({ listenerRule: { ...base.listenerRule, host: '10.0.0.1' } })).toThrow(
      /\nlistenerRule\.host: received "10\.0\.0\.1"; expected a DNS name such as shop\.example\.com/,
    );
  });

  it('fails for a variable value that is not a string, as a spec does', () => {
    expect(() => color({ env: { VERSION: 1.1 as unknown as string } })).toThrow(
      /\nenv\.VERSION: received 1\.1; expected a string, or true\/false: quote numbers/,
    );
  });

  it("has ECS roll a deployment back when one of its alarms goes into ALARM: the service's alarms block, enabled, with rollback", () => {
    const service = onlyResource(color({ alarms: ['shop-5xx', 'shop-latency'] }).json, 'aws_ecs_service');
    expect(service.alarms).toEqual({ alarm_names: ['shop-5xx', 'shop-latency'], enable: true, rollback: true });
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
  });

  it('leaves the alarms block out without alarms', () => {
    const { construct, json } = color();
    expect(onlyResource(json, 'aws_ecs_service').alarms).toBeUndefined();
    expect(construct.service.alarmsInput).toBeUndefined();
  });

  it('fails for an empty list of alarms, an alarm name CloudWatch refuses and an alarm given twice, as a spec does', () => {
    expect(() => color({ alarms: [] })).toThrow(
      /\nalarms: received an empty list; expected a list of at least one CloudWatch alarm name$/,
    );
    expect(() => color({ alarms: ['shop-5xx', ' ', 'shop-5xx'] })).toThrow(
      'EcsColor test/Color:\n' +
        'alarms[1]: received " "; expected a CloudWatch alarm name: 1 to 255 characters, not only spaces\n' +
        'alarms[2]: received "shop-5xx", already the alarm at index 0; expected each alarm once',
    );
  });

  it('fails for a minReadySeconds above 0, which nothing in ECS uses, naming healthCheck.startupSeconds', () => {
    expect(() => color({ rollingUpdate: RollingUpdatePolicy.of({ minReadySeconds: 30 }) })).toThrow(
      new Error(
        'EcsColor test/Color:\n' +
          'rollingUpdate.minReadySeconds: received 30; expected 0 (or nothing) with ECS: no setting of an ECS service keeps a healthy new task waiting, so this would do nothing. ' +
          "For the time a new task may take to start before failed health checks count, set healthCheck.startupSeconds (the service's health_check_grace_period_seconds)",
      ),
    );
    expect(() =>
      color({ rollingUpdate: RollingUpdatePolicy.of({ minReadySeconds: 0 }), healthCheck: { startupSeconds: 90 } }),
    ).not.toThrow();
  });

  it('fails for invalid props, listing every problem', () => {
    expect(() =>
      color({
        app: 'shop-frontend-web',
        color: 'orange-canary-2x',
        vpcId: 'vpc-1',
        subnetIds: [],
        cpu: 256,
        memory: 4096,
        healthCheck: { periodSeconds: 1 },
      }),
    ).toThrow(
      'EcsColor test/Color:\n' +
        'vpcId: received "vpc-1"; expected a VPC id: "vpc-" and 8 or 17 hexadecimal digits\n' +
        'subnetIds: received an empty list; expected a list of at least one subnet id\n' +
        'memory: received 4096 with cpu 256; expected a Fargate memory size for that cpu: 512, 1024, 2048\n' +
        'healthCheck.periodSeconds: received 1; an ALB target group health check allows an interval from 5 to 300 seconds\n' +
        'color: received "orange-canary-2x" with app "shop-frontend-web": the target group name "shop-frontend-web-orange-canary-2x" is 34 characters; AWS allows at most 32, so shorten the app or the color name',
    );
  });
});

describe('EcsColor images', () => {
  const expected = (image: string, reason: string) =>
    `EcsColor test/Color:\nimage: received "${image}", ${reason}: an old color would run a new version after its next restart, ` +
    'so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true';
  const thrown = (props: Partial<EcsColorProps>) => {
    try {
      color(props);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('nothing thrown');
  };

  it('fails for an image without a tag, as a spec does', () => {
    expect(thrown({ image: 'nginx' })).toBe(expected('nginx', 'which has no tag (it is read as :latest)'));
  });

  it('fails for an image tagged latest, as a spec does', () => {
    expect(thrown({ image: 'nginx:latest' })).toBe(expected('nginx:latest', 'whose tag latest moves with every push'));
  });

  it('accepts a mutable image with security.allowMutableTags, as written', () => {
    const { json } = color({ image: 'nginx:latest', security: { allowMutableTags: true } });
    const containers = JSON.parse(onlyResource(json, 'aws_ecs_task_definition').container_definitions);
    expect(containers[0].image).toBe('nginx:latest');
  });
});
