import { Ec2Color, Ec2ColorProps } from '../../../constructs/aws/ec2-color';
import { SecureDefaults } from '../../../constructs/common/secure-defaults';
import { Token } from '../../../constructs/core';
import { RollingUpdatePolicy } from '../../../constructs/rolling/rolling-update-policy';
import { readRefreshOutputs } from '../../../engine/ec2-refresh';
import { EC2_REFRESH_OUTPUTS } from '../../../model/ec2';
import { Quantity } from '../../../model/quantity';
import { ColorStack } from '../../../stacks/color-stack';
import { EC2_LISTENER, rawEc2Spec } from '../../fixtures/ec2';
import { awsStack, onlyResource, resolvedSpec, synthJson, testApp } from '../../helpers';

const base: Ec2ColorProps = {
  app: 'shop',
  color: 'red',
  image: 'ami-0123456789abcdef0',
  instanceType: 't3.small',
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'],
  securityGroupIds: ['sg-0123abcd'],
  listenerRule: { listenerArn: EC2_LISTENER, host: 'shop.example.com', priority: 796 },
};

function color(props: Partial<Ec2ColorProps> = {}) {
  const stack = awsStack();
  const construct = new Ec2Color(stack, 'Color', { ...base, ...props });
  return { stack, construct, json: synthJson(stack) };
}

const LAUNCH_TEMPLATE = (attribute: string) =>
  expect.stringMatching(new RegExp(`^\\$\\{aws_launch_template\\.Color_LaunchTemplate_[0-9A-F]+\\.${attribute}\\}$`));

describe('Ec2Color', () => {
  it('resolves its defaults into fields', () => {
    const { construct } = color();
    expect(construct.name).toBe('shop-red');
    expect(construct.platform).toBe('ec2');
    expect([construct.replicas, construct.port, construct.drainSeconds]).toEqual([2, 8080, 30]);
    expect(construct.healthCheck).toEqual({
      path: '/healthz',
      periodSeconds: 10,
      failureThreshold: 3,
      startupSeconds: 60,
    });
    expect(construct.instanceRefresh).toEqual({
      minHealthyPercentage: 100,
      maxHealthyPercentage: 150,
      surge: 1,
      unavailable: 0,
      maxSize: 3,
    });
    // 2 instances, one a round: 2 rounds of (300 start + 60 grace + 2 × 10 checks + 0 warm-up + 30 drain), twice.
    expect(construct.refreshTimeoutSeconds).toBe(1640);
    expect(construct.group.node.id).toBe('Resource');
    expect(construct.rolloutDependencies).toEqual([construct.group]);
  });

  it('creates an instance target group with the health check and drain delay, and the same listener rule as an ECS color', () => {
    const { json } = color({
      drainSeconds: 120,
      healthCheck: { path: '/ready', periodSeconds: 15, failureThreshold: 4 },
      listenerRule: { ...base.listenerRule, pinHeader: 'x-color' },
    });
    const tg = onlyResource(json, 'aws_lb_target_group');
    expect(tg).toEqual(
      expect.objectContaining({
        name: 'shop-red',
        target_type: 'instance',
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
    const rule = onlyResource(json, 'aws_lb_listener_rule');
    expect(rule).toEqual(expect.objectContaining({ listener_arn: EC2_LISTENER, priority: 796 }));
    expect(rule.condition).toEqual([
      { host_header: { values: ['shop.example.com'] } },
      { http_header: { http_header_name: 'x-color', values: ['red'] } },
    ]);
  });

  it('launches from a template with the AMI, IMDSv2 required, an encrypted root volume, private networking and the instance profile', () => {
    const { json } = color({ userData: '#!/bin/bash\nsystemctl start shop\n', instanceProfile: 'shop-app' });
    const template = onlyResource(json, 'aws_launch_template');
    expect(template).toEqual(
      expect.objectContaining({
        name: 'shop-red',
        image_id: 'ami-0123456789abcdef0',
        instance_type: 't3.small',
        update_default_version: true,
        user_data: Buffer.from('#!/bin/bash\nsystemctl start shop\n').toString('base64'),
        iam_instance_profile: { name: 'shop-app' },
        metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
        network_interfaces: [
          {
            device_index: 0,
            associate_public_ip_address: 'false',
            security_groups: ['sg-0123abcd'],
            delete_on_termination: 'true',
          },
        ],
      }),
    );
    // The root volume is the AMI's own root device, whatever its name (/dev/xvda, /dev/sda1).
    expect(template.block_device_mappings).toEqual([
      {
        device_name: expect.stringMatching(/^\$\{data\.aws_ami\.Color_Image_[0-9A-F]+\.root_device_name\}$/),
        ebs: { encrypted: 'true', delete_on_termination: 'true' },
      },
    ]);
    expect(Object.values(json.data.aws_ami)).toEqual([
      { filter: [{ name: 'image-id', values: ['ami-0123456789abcdef0'] }] },
    ]);
  });

  it('gives public IPs only with the allowance, and leaves user data and profile out when none is given', () => {
    const template = onlyResource(color({ security: { allowPublicIp: true } }).json, 'aws_launch_template');
    expect(template.network_interfaces[0].associate_public_ip_address).toBe('true');
    expect(template.user_data).toBeUndefined();
    expect(template.iam_instance_profile).toBeUndefined();
  });

  it("encodes user data known only at apply time with Terraform's base64encode", () => {
    const template = onlyResource(color({ userData: Token.asString({ Ref: 'x' }) }).json, 'aws_launch_template');
    expect(template.user_data).toMatch(/^\$\{base64encode\(/);
  });

  it("runs an Auto Scaling group at the template's latest_version that waits for healthy capacity on create, and leaves later versions to the instance refresh", () => {
    const policy = RollingUpdatePolicy.of({
      maxSurge: Quantity.count(1),
      maxUnavailable: Quantity.count(0),
      minReadySeconds: 45,
    });
    const { json } = color({
      replicas: 3,
      rollingUpdate: policy,
      drainSeconds: 900,
      healthCheck: { startupSeconds: 240 },
    });
    const group = onlyResource(json, 'aws_autoscaling_group');
    expect(group).toEqual(
      expect.objectContaining({
        name: 'shop-red',
        vpc_zone_identifier: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'],
        desired_capacity: 3,
        min_size: 3,
        max_size: 4,
        health_check_type: 'ELB',
        health_check_grace_period: 240,
        target_group_arns: [expect.stringMatching(/^\$\{aws_lb_target_group\.Color_TargetGroup_[0-9A-F]+\.arn\}$/)],
        wait_for_elb_capacity: 3,
        wait_for_capacity_timeout: '600s',
        timeouts: { delete: '1200s' },
        depends_on: [expect.stringMatching(/^aws_lb_listener_rule\.Color_ListenerRule_[0-9A-F]+$/)],
      }),
    );
    expect(group.launch_template).toEqual({ id: LAUNCH_TEMPLATE('id'), version: LAUNCH_TEMPLATE('latest_version') });
    expect(group.launch_template.version).not.toBe('$Latest');
    // The provider would save a new version on the group before refreshing, and a rollback would return to it (aws
    // provider #34189).
    expect(group.lifecycle).toEqual({ ignore_changes: ['launch_template'] });
    expect(group.instance_refresh).toBeUndefined();
  });

  it('gives the instance refresh rainbow apply starts the percents of the policy, and bounds the wait for it', () => {
    const policy = RollingUpdatePolicy.of({
      maxSurge: Quantity.count(1),
      maxUnavailable: Quantity.count(0),
      minReadySeconds: 45,
    });
    const { construct } = color({ replicas: 3, rollingUpdate: policy, alarms: ['shop-5xx', 'shop-latency'] });
    expect(construct.instanceRefresh).toEqual({
      minHealthyPercentage: 100,
      maxHealthyPercentage: 134,
      surge: 1,
      unavailable: 0,
      maxSize: 4,
    });
    // 3 rounds of (300 start + 60 grace + 2 × 10 checks + 45 warm-up + 30 drain), twice.
    expect(construct.refreshTimeoutSeconds).toBe(2 * 3 * 455);
  });

  it('refuses alarms as ECS colors do: none, a blank name, or one named twice', () => {
    expect(() => color({ alarms: [] })).toThrow(
      'alarms: received an empty list; expected a list of at least one CloudWatch alarm name',
    );
    expect(() => color({ alarms: ['shop-5xx', ' ', 'shop-5xx'] })).toThrow(
      'alarms[1]: received " "; expected a CloudWatch alarm name: 1 to 255 characters, not only spaces\n' +
        'alarms[2]: received "shop-5xx", already the alarm at index 0; expected each alarm once',
    );
    expect(() => color({ alarms: Array.from({ length: 11 }, (_, i) => `alarm-${i}`) })).toThrow(
      'alarms: received 11 alarms; expected at most 10: an EC2 instance refresh watches at most 10 CloudWatch alarms (its alarm specification)',
    );
  });

  it("waits longer than the provider's 10 minutes for a slow start or a long drain", () => {
    const { construct, json } = color({ drainSeconds: 3600, healthCheck: { startupSeconds: 900, periodSeconds: 30 } });
    expect(construct.groupTimeouts).toEqual({ capacitySeconds: 300 + 900 + 2 * 30, deleteSeconds: 3600 + 300 });
    const group = onlyResource(json, 'aws_autoscaling_group');
    expect([group.wait_for_capacity_timeout, group.timeouts.delete]).toEqual(['1260s', '3900s']);
  });

  it('does not wait for load balancer capacity with no instances', () => {
    const group = onlyResource(color({ replicas: 0 }).json, 'aws_autoscaling_group');
    expect([group.desired_capacity, group.min_size, group.max_size, group.wait_for_elb_capacity]).toEqual([
      0,
      0,
      1,
      undefined,
    ]);
  });

  it('passes the secure defaults, and they fail a template with IMDSv1, an unencrypted volume or a public IP', () => {
    const { stack, construct } = (() => {
      const s = awsStack();
      return { stack: s, construct: new Ec2Color(s, 'Color', base) };
    })();
    SecureDefaults.enforce(stack, { securityGroupIds: ['sg-0123abcd'] });
    expect(() => synthJson(stack)).not.toThrow();
    construct.launchTemplate.addOverride('metadata_options.http_tokens', 'optional');
    construct.launchTemplate.addOverride('block_device_mappings.0.ebs.encrypted', 'false');
    construct.launchTemplate.addOverride('network_interfaces.0.associate_public_ip_address', 'true');
    construct.launchTemplate.addOverride('network_interfaces.0.security_groups', ['sg-0123abcd', 'sg-0bad0bad']);
    expect(() => synthJson(stack)).toThrow(
      'test: the secure defaults are weakened:\n' +
        'test/Color/LaunchTemplate: the launch template lets instances use IMDSv1 (metadata_options.http_tokens is not "required"); cdktf-rainbow never allows it\n' +
        "test/Color/LaunchTemplate: the launch template's volume is not encrypted (ebs.encrypted is not true); cdktf-rainbow never allows it\n" +
        'test/Color/LaunchTemplate: the launch template gives its instances public IPs; allowed only with security.allowPublicIp: true in the spec (allowPublicIp in library mode)\n' +
        'test/Color/LaunchTemplate: the launch template uses security groups that are not in the spec: sg-0bad0bad; cdktf-rainbow never allows it',
    );
  });

  it('refuses a policy the instance refresh cannot follow for its instance count, naming the limit', () => {
    expect(() =>
      color({
        replicas: 2,
        rollingUpdate: RollingUpdatePolicy.of({ maxSurge: Quantity.count(2), maxUnavailable: Quantity.count(1) }),
      }),
    ).toThrow(
      'Ec2Color test/Color:\nrollingUpdate: received maxSurge 2 and maxUnavailable 1, 2 + 1 of the 2 instances of red; an EC2 instance refresh allows max_healthy_percentage 100 to 200 and at most 100 between it and min_healthy_percentage, so expected maxSurge + maxUnavailable of at most 2 (more replicas, or a smaller maxSurge or maxUnavailable)',
    );
  });

  it('refuses invalid props, listing every problem', () => {
    expect(() =>
      color({
        app: 'shop-frontend-web',
        color: 'orange-canary-2x',
        image: 'ghcr.io/acme/shop:1',
        instanceType: 't3',
        vpcId: 'vpc-1',
        subnetIds: [],
        userData: 'x'.repeat(16385),
        instanceProfile: 'shop app',
        healthCheck: { periodSeconds: 1 },
      }),
    ).toThrow(
      'Ec2Color test/Color:\n' +
        'image: received "ghcr.io/acme/shop:1"; expected an AMI id: "ami-" and 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0: with platform ec2 a color\'s image is the machine image its instances start from\n' +
        'instanceType: received "t3"; expected an EC2 instance type such as t3.small or m7g.2xlarge: a family with a digit, a dot and a size, in lowercase letters, digits and hyphens, at most 64 characters\n' +
        'userData: received a string of 16385 characters; expected a user data script or cloud-init document of 1 to 16384 bytes (the EC2 limit, before base64), without control characters but tab and line feed\n' +
        'instanceProfile: received "shop app"; expected an IAM instance profile name: 1 to 128 letters, digits and +=,.@_-\n' +
        'vpcId: received "vpc-1"; expected a VPC id: "vpc-" and 8 or 17 hexadecimal digits\n' +
        'subnetIds: received an empty list; expected a list of at least one subnet id\n' +
        'healthCheck.periodSeconds: received 1; an ALB target group health check allows an interval from 5 to 300 seconds\n' +
        'color: received "orange-canary-2x" with app "shop-frontend-web": the target group name "shop-frontend-web-orange-canary-2x" is 34 characters; AWS allows at most 32, so shorten the app or the color name',
    );
  });

  it.each(['nginx', 'nginx:latest'])(
    'refuses the container image %s for not being an AMI, not for its tag: an AMI id never changes',
    (image) => {
      expect(() => color({ image })).toThrow(
        `Ec2Color test/Color:\nimage: received "${image}"; expected an AMI id: "ami-" and 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0: with platform ec2 a color's image is the machine image its instances start from`,
      );
    },
  );

  it('refuses a control character in user data without showing it, and takes line feeds and tabs', () => {
    expect(() => color({ userData: '#!/bin/sh\n\techo ok\n' })).not.toThrow();
    expect(() => color({ userData: '#!/bin/sh\u001b[2J\nTOKEN=abc\n' })).toThrow(
      'Ec2Color test/Color:\nuserData: received a string of 24 characters, with the control character U+001B at character 10; expected text without control characters (U+0000 to U+001F, U+007F to U+009F, U+202A to U+202E, U+2066 to U+2069)',
    );
  });

  it('is found by name from another stack, with nothing to wait for', () => {
    const stack = awsStack();
    const ref = Ec2Color.fromName(stack, 'Red', { app: 'shop', color: 'red' });
    expect([ref.name, ref.platform, ref.rolloutDependencies]).toEqual(['shop-red', 'ec2', []]);
    expect(() => Ec2Color.fromName(stack, 'Bad', { app: 'shop', color: 'Red' })).toThrow(
      /^Ec2Color\.fromName test\/Bad:\ncolor: received "Red"; expected/,
    );
  });
});

describe('the stack of an ec2 color', () => {
  it('outputs the group and the launch template version its instances should run, which rainbow apply reads to start the refresh', () => {
    const spec = resolvedSpec(rawEc2Spec());
    const stack = new ColorStack(testApp(), `shop-${spec.colors[0].name}`, { spec, color: spec.colors[0] });
    const json = synthJson(stack);
    const template = Object.keys(json.resource.aws_launch_template)[0];
    const group = Object.keys(json.resource.aws_autoscaling_group)[0];
    expect(json.output).toEqual({
      [EC2_REFRESH_OUTPUTS.groupName]: { value: `\${aws_autoscaling_group.${group}.name}` },
      [EC2_REFRESH_OUTPUTS.launchTemplateId]: { value: `\${aws_launch_template.${template}.id}` },
      [EC2_REFRESH_OUTPUTS.launchTemplateVersion]: { value: `\${aws_launch_template.${template}.latest_version}` },
    });
    // What `terraform output -json`, or the stack's entry of `cdktf deploy --outputs-file`, gives after an apply.
    const applied = {
      auto_scaling_group_name: 'shop-red',
      launch_template_id: 'lt-0123456789abcdef0',
      launch_template_version: 2,
    };
    expect(readRefreshOutputs('shop-red', applied)).toEqual({
      groupName: 'shop-red',
      launchTemplateId: 'lt-0123456789abcdef0',
      launchTemplateVersion: '2',
    });
  });

  it('outputs nothing once the color is retired', () => {
    const raw = rawEc2Spec();
    raw.colors[1] = { ...raw.colors[1], weight: 0, state: 'retired' };
    raw.colors[0].weight = 100;
    const spec = resolvedSpec(raw);
    expect(
      synthJson(new ColorStack(testApp(), `shop-${spec.colors[1].name}`, { spec, color: spec.colors[1] })).output,
    ).toBeUndefined();
  });
});
