import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { Construct } from 'constructs';
import { alarmListProblems, AWS_LIMITS, isAlbHeaderName, validateAlbRoute } from '../../model/aws';
import { ECS_HEALTHY_THRESHOLD } from '../../model/ecs-timeouts';
import { FieldRule, FIELDS } from '../../model/fields';
import { albHealthCheckProblems } from '../../model/health-check';
import { EXPECTED, received } from '../../model/messages';
import { prefixProblems, Problem } from '../../model/problem';
import { HealthCheck } from '../../model/types';
import { unlessToken, withoutTokens } from '../tokens';

// What a color of either ALB platform (ECS tasks, EC2 instances) has in common: its target group,
// the listener rule that attaches it to the ALB, and the checks of the props behind them. Written
// once, so that both platforms name, check and attach their colors the same way; the weighted
// split between colors is the AlbRouter's. Not part of the public API (the folder's index does not
// export it), but ColorListenerRule.

/**
 * The listener rule that ties a color's target group to the ALB (ECS and Auto Scaling refuse a target group without
 * one).
 */
export interface ColorListenerRule {
  /** The ALB listener the app's rules live on. */
  readonly listenerArn: string;
  /** Host-header condition of the rule. */
  readonly host: string;
  /** Priority of this color's own rule, 1 to 50000, unique on the listener. */
  readonly priority: number;
  /**
   * With a pin header, the rule forwards requests whose header equals the color's name to it.
   * @default - a rule that matches no request (source IP 255.255.255.255/32), only there to attach the target group
   */
  readonly pinHeader?: string;
}

/** How a color's target group reaches its targets: Fargate tasks by IP, Auto Scaling instances by id. */
export type AlbTargetType = 'ip' | 'instance';

/** What addAlbColor makes of a color. */
export interface AlbColorOptions {
  readonly app: string;
  readonly color: string;
  /** `<app>-<color>`: the target group's name. */
  readonly name: string;
  readonly targetType: AlbTargetType;
  readonly port: number;
  readonly vpcId: string;
  /** The deregistration delay. */
  readonly drainSeconds: number;
  readonly healthCheck: Required<HealthCheck>;
  readonly listenerRule: ColorListenerRule;
  readonly tags: Record<string, string>;
}

/** A color's target group and its own listener rule. */
export interface AlbColorResources {
  readonly targetGroup: LbTargetGroup;
  readonly listenerRule: LbListenerRule;
}

/**
 * The target group `<app>-<color>` and the color's own listener rule, as the children
 * `TargetGroup` and `ListenerRule` of `scope` (construct ids, and so Terraform addresses, that a
 * color keeps whatever its platform). The health check answers 200-399 within 5 s (4 s at a 5 s
 * interval) and calls a target healthy after 2 passing checks; the rule is the pin rule with a pin
 * header, else one that matches no request.
 */
export function addAlbColor(scope: Construct, options: AlbColorOptions): AlbColorResources {
  const health = options.healthCheck;
  const targetGroup = new LbTargetGroup(scope, 'TargetGroup', {
    name: options.name,
    targetType: options.targetType,
    protocol: 'HTTP',
    port: options.port,
    vpcId: options.vpcId,
    deregistrationDelay: String(options.drainSeconds),
    healthCheck: {
      enabled: true,
      path: health.path,
      port: 'traffic-port',
      protocol: 'HTTP',
      matcher: '200-399',
      interval: health.periodSeconds,
      timeout: Math.min(5, health.periodSeconds - 1),
      healthyThreshold: ECS_HEALTHY_THRESHOLD,
      unhealthyThreshold: health.failureThreshold,
    },
    tags: options.tags,
  });
  const rule = options.listenerRule;
  const listenerRule = new LbListenerRule(scope, 'ListenerRule', {
    listenerArn: rule.listenerArn,
    priority: rule.priority,
    condition: [
      { hostHeader: { values: [rule.host] } },
      rule.pinHeader === undefined
        ? { sourceIp: { values: ['255.255.255.255/32'] } }
        : { httpHeader: { httpHeaderName: rule.pinHeader, values: [options.color] } },
    ],
    action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
    tags: options.tags,
  });
  return { targetGroup, listenerRule };
}

/** The network and listener props every ALB color takes. */
export interface AlbNetworkProps {
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly listenerRule: ColorListenerRule;
}

/** A prop checked by a rule of fields.ts, unless it is a token (known at apply time only). */
export function checkField(problems: Problem[], path: string, value: unknown, rule: FieldRule): void {
  if (unlessToken(value) !== undefined && !rule.test(value))
    problems.push({ path, message: received(value, rule.expected) });
}

/** Problems of a color's deployment alarms, at `alarms`: at least one name, each valid and given once. */
export function albAlarmProblems(alarms: readonly string[] | undefined, platform: 'ecs' | 'ec2'): Problem[] {
  if (alarms === undefined) return [];
  const problems: Problem[] = [];
  if (alarms.length === 0) problems.push({ path: 'alarms', message: received(alarms, EXPECTED.alarmNames) });
  alarms.forEach((name, i) => checkField(problems, `alarms[${i}]`, name, FIELDS.alarmName));
  problems.push(...prefixProblems('alarms', alarmListProblems(alarms, platform)));
  return problems;
}

/** Problems of the VPC, subnets, security groups and listener rule of a color, at their prop paths. */
export function albNetworkProblems(props: AlbNetworkProps): Problem[] {
  const problems: Problem[] = [];
  checkField(problems, 'vpcId', props.vpcId, FIELDS.vpcId);
  if (props.subnetIds.length === 0)
    problems.push({ path: 'subnetIds', message: received(props.subnetIds, EXPECTED.subnetIds) });
  props.subnetIds.forEach((id, i) => checkField(problems, `subnetIds[${i}]`, id, FIELDS.subnetId));
  if (props.securityGroupIds.length === 0)
    problems.push({ path: 'securityGroupIds', message: received(props.securityGroupIds, EXPECTED.securityGroupIds) });
  props.securityGroupIds.forEach((id, i) => checkField(problems, `securityGroupIds[${i}]`, id, FIELDS.securityGroupId));
  checkField(problems, 'listenerRule.listenerArn', props.listenerRule.listenerArn, FIELDS.listenerArn);
  checkField(problems, 'listenerRule.priority', props.listenerRule.priority, FIELDS.listenerRulePriority);
  const pin = props.listenerRule.pinHeader;
  if (pin !== undefined && unlessToken(pin) !== undefined && !isAlbHeaderName(pin)) {
    problems.push({
      path: 'listenerRule.pinHeader',
      message: received(pin, EXPECTED.albHeader(AWS_LIMITS.headerNameLength)),
    });
  }
  return problems;
}

/** What an ALB target group's health check allows beyond the platform-neutral bounds (paths `healthCheck.*`). */
export function albTargetHealthProblems(healthCheck: HealthCheck | undefined): Problem[] {
  return albHealthCheckProblems(withoutTokens({ ...healthCheck })).map((p) => ({
    path: `healthCheck.${p.path}`,
    message: p.message,
  }));
}

/** A target group name `<app>-<color>` over 32 characters (path `color`). */
export function albNameProblems(app: string, color: string, platform: string): Problem[] {
  return validateAlbRoute(app, [{ name: color, index: 0 }], 1, platform).map((p) => ({
    path: 'color',
    message: p.message,
  }));
}
