import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { DataAwsLbTargetGroup } from '@cdktf/provider-aws/lib/data-aws-lb-target-group';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';
import { Fn } from '../core';
import {
  DnsEndpoint,
  DnsHealthCheck,
  dnsEndpointProblems,
  dnsSettingsProblems,
  mixedEndpointProblems,
  resolveDnsHealthCheck,
} from '../../model/dns';
import { FIELDS } from '../../model/fields';
import { EXPECTED, MESSAGES, received } from '../../model/messages';
import { prefixProblems, Problem, throwIfProblems } from '../../model/problem';
import { DEFAULT_DNS_TTL, DnsHealthCheckProtocol, ROUTE53_LIMITS, route53Weight } from '../../model/route53';
import { weightSumProblems } from '../../model/route-weights';
import { MANAGED_BY, Platform } from '../../model/types';
import { IAlbColor } from '../common/color';
import { problemsMessage } from '../common/color-links';
import { CONSTRUCT_MESSAGES } from '../messages';
import { unlessToken } from '../tokens';

/** What a Route53Router takes: the hosted zone, the record name and TTL, and the health checks. */
export interface Route53RouterProps {
  /** The application: the health checks are tagged `<app>-<color>`. */
  readonly app: string;
  /**
   * The hosted zone the records go in, such as `Z0123456789ABCDEFGHIJ`.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
   */
  readonly zoneId: string;
  /** The name every color's record answers for, such as `shop.example.com`: a name in that zone. */
  readonly name: string;
  /**
   * Seconds resolvers cache a hostname record, 0 to 300: each weight change takes up to this long
   * to reach every client. Alias records take their target's TTL and refuse one of their own.
   * @default 60
   */
  readonly ttl?: number;
  /**
   * A Route 53 health check of each color's endpoint: a color whose check fails gets no traffic
   * while another color's passes.
   * @default - no health checks; alias records still evaluate their target's health
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
   */
  readonly healthCheck?: DnsHealthCheck;
}

interface RoutedEndpoint {
  readonly color: string;
  readonly endpoint: DnsEndpoint;
  readonly weight: number;
  readonly where: string;
}

/**
 * Splits the traffic of one DNS name between colors that are whole endpoints (clusters, load
 * balancers, regions) with Route 53 weighted records: one record per color, `set_identifier` the
 * color's name, the weight its percent (Route 53 takes 0 to 255, and sends each record its weight
 * over the sum). A color at weight 0 keeps its record at 0: Route 53 answers with a weight-0 record
 * only when every record of the name is at 0, which weights adding up to 100 rule out.
 *
 * Every record is a CNAME to a hostname, or every record an alias (type A) with
 * `evaluate_target_health`: Route 53 cannot weigh a CNAME against the A records of the same name.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-weighted.html
 */
export class Route53Router extends Construct {
  /** The TTL of hostname records, in seconds. */
  public readonly ttl: number;
  /** Each color's record, in the order the colors were added. */
  public readonly records: Route53Record[] = [];
  /** Each color's health check, in the order the colors were added; empty without `healthCheck`. */
  public readonly healthChecks: Route53HealthCheck[] = [];
  private readonly props: Route53RouterProps;
  private readonly context: string;
  private readonly endpoints: RoutedEndpoint[] = [];

  constructor(scope: Construct, id: string, props: Route53RouterProps) {
    super(scope, id);
    this.props = props;
    this.context = `Route53Router ${this.node.path}`;
    this.ttl = props.ttl ?? DEFAULT_DNS_TTL;
    const problems = dnsSettingsProblems({
      zoneId: props.zoneId,
      name: props.name,
      ttl: props.ttl,
      healthCheck: props.healthCheck,
    }).filter((p) => p.path !== 'zoneId' || unlessToken(props.zoneId) !== undefined);
    if (!FIELDS.app.test(props.app)) problems.push({ path: 'app', message: received(props.app, FIELDS.app.expected) });
    throwIfProblems(problems, this.context);
    this.node.addValidation({ validate: () => problemsMessage(this.problems(), this.context) });
  }

  /**
   * Sends `weight` percent of the name's traffic (0 to 100) to `endpoint`, as the color `color`.
   * Synth refuses a color added twice, weights that do not add up to 100, and hostnames mixed with aliases.
   */
  public addEndpoint(color: string, endpoint: DnsEndpoint, weight: number): void {
    const where = `addEndpoint(${color})`;
    const problems: Problem[] = [];
    if (!FIELDS.colorName.test(color))
      problems.push({ path: `${where}.color`, message: received(color, FIELDS.colorName.expected) });
    if (!FIELDS.weight.test(weight))
      problems.push({ path: `${where}.weight`, message: received(weight, FIELDS.weight.expected) });
    // An ALB color's alias is known at apply time only: Route 53 checks it then.
    const known = [endpoint.hostname, endpoint.alias?.name, endpoint.alias?.zoneId].every(
      (v) => v === undefined || unlessToken(v) !== undefined,
    );
    if (known) problems.push(...prefixProblems(`${where}.endpoint`, dnsEndpointProblems(endpoint)));
    const first = this.endpoints.find((e) => e.color === color);
    if (first !== undefined)
      problems.push({ path: where, message: CONSTRUCT_MESSAGES.colorAddedTwice(color, first.where) });
    throwIfProblems(problems, this.context);
    this.endpoints.push({ color, endpoint, weight, where });
    this.addRecord(color, endpoint, weight);
  }

  /**
   * Sends `weight` percent of the traffic to the load balancer of an ECS or EC2 color of this
   * library: its target group `<app>-<color>` is looked up by name, then the load balancer it is
   * attached to, with the stack's AWS provider (so in that provider's region). That load balancer
   * must send the name's traffic to the color (an AlbRouter there with the color at 100).
   */
  public addColor(color: IAlbColor, weight: number): void {
    const where = `addColor(${color.color})`;
    if (color.platform !== Platform.ECS && color.platform !== Platform.EC2) {
      throwIfProblems(
        [
          {
            path: where,
            message: CONSTRUCT_MESSAGES.colorOnOtherPlatform(color.color, color.platform, this.context, 'ecs or ec2'),
          },
        ],
        this.context,
      );
    }
    const targetGroup = new DataAwsLbTargetGroup(this, `TargetGroup-${color.color}`, { name: color.name });
    const loadBalancer = new DataAwsLb(this, `LoadBalancer-${color.color}`, {
      arn: Fn.element(targetGroup.loadBalancerArns, 0),
    });
    this.addEndpoint(color.color, DnsEndpoint.ofAlias(loadBalancer.dnsName, loadBalancer.zoneId), weight);
  }

  private addRecord(color: string, endpoint: DnsEndpoint, weight: number): void {
    const tags = { app: this.props.app, color, 'managed-by': MANAGED_BY, Name: `${this.props.app}-${color}` };
    const health = this.props.healthCheck === undefined ? undefined : resolveDnsHealthCheck(this.props.healthCheck);
    let healthCheckId: string | undefined;
    if (health !== undefined) {
      const check = new Route53HealthCheck(this, `HealthCheck-${color}`, {
        fqdn: endpoint.hostname ?? endpoint.alias!.name,
        port: health.port,
        type: health.protocol,
        ...(health.path === undefined ? {} : { resourcePath: health.path }),
        ...(health.protocol === DnsHealthCheckProtocol.HTTPS ? { enableSni: true } : {}),
        requestInterval: ROUTE53_LIMITS.healthCheckRequestInterval,
        failureThreshold: ROUTE53_LIMITS.healthCheckFailureThreshold,
        tags,
      });
      this.healthChecks.push(check);
      healthCheckId = check.id;
    }
    const alias = endpoint.alias;
    this.records.push(
      new Route53Record(this, `Record-${color}`, {
        zoneId: this.props.zoneId,
        name: this.props.name,
        setIdentifier: color,
        weightedRoutingPolicy: { weight: route53Weight(weight) },
        ...(healthCheckId === undefined ? {} : { healthCheckId }),
        ...(alias === undefined
          ? { type: 'CNAME', ttl: this.ttl, records: [endpoint.hostname!] }
          : { type: 'A', alias: { name: alias.name, zoneId: alias.zoneId, evaluateTargetHealth: true } }),
      }),
    );
  }

  /**
   * What holds only once every color is in: at least one, weights adding up to 100, one kind of endpoint, no TTL over
   * aliases.
   */
  private problems(): Problem[] {
    if (this.endpoints.length === 0) return [{ path: 'colors', message: received([], EXPECTED.colors) }];
    const problems = weightSumProblems(this.endpoints.map((e) => ({ name: e.color, weight: e.weight })));
    problems.push(...mixedEndpointProblems(this.endpoints));
    if (this.props.ttl !== undefined && this.endpoints.every((e) => e.endpoint.alias !== undefined))
      problems.push({ path: 'ttl', message: MESSAGES.dnsTtlWithAliases(this.props.ttl) });
    return problems;
  }
}
