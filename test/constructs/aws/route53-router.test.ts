import { Route53Router, Route53RouterProps } from '../../../constructs/aws/route53-router';
import { EcsColor } from '../../../constructs/aws/ecs-color';
import { DnsEndpoint } from '../../../model/dns';
import { DnsHealthCheckProtocol } from '../../../model/route53';
import { awsStack, onlyResource, synthJson } from '../../helpers';

const base: Route53RouterProps = { app: 'shop', zoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com' };
const OLD = 'k8s-old-1234.elb.eu-west-1.amazonaws.com';
const NEW = 'k8s-new-5678.elb.eu-west-1.amazonaws.com';

function router(props: Partial<Route53RouterProps> = {}) {
  const stack = awsStack();
  return { stack, construct: new Route53Router(stack, 'Router', { ...base, ...props }) };
}

const records = (json: any) => Object.values(json.resource.aws_route53_record) as any[];

describe('Route53Router', () => {
  it('writes one weighted CNAME per color, the color its set identifier, with a TTL of 60 by default', () => {
    const { stack, construct } = router();
    construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 90);
    construct.addEndpoint('green', DnsEndpoint.ofHostname(NEW), 10);
    expect(construct.ttl).toBe(60);
    expect(records(synthJson(stack))).toEqual([
      {
        zone_id: 'Z0123456789ABCDEFGHIJ',
        name: 'shop.example.com',
        set_identifier: 'blue',
        weighted_routing_policy: { weight: 90 },
        type: 'CNAME',
        ttl: 60,
        records: [OLD],
      },
      {
        zone_id: 'Z0123456789ABCDEFGHIJ',
        name: 'shop.example.com',
        set_identifier: 'green',
        weighted_routing_policy: { weight: 10 },
        type: 'CNAME',
        ttl: 60,
        records: [NEW],
      },
    ]);
  });

  it('keeps a color at weight 0 in the name with a record at weight 0', () => {
    const { stack, construct } = router({ ttl: 30 });
    construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 100);
    construct.addEndpoint('green', DnsEndpoint.ofHostname(NEW), 0);
    expect(records(synthJson(stack)).map((r) => [r.set_identifier, r.weighted_routing_policy.weight, r.ttl])).toEqual([
      ['blue', 100, 30],
      ['green', 0, 30],
    ]);
  });

  it("writes alias records of type A that evaluate their target's health, without a TTL", () => {
    const { stack, construct } = router();
    construct.addEndpoint('blue', DnsEndpoint.ofAlias(`dualstack.${OLD}`, 'Z32O12XQLNTSW2'), 60);
    construct.addEndpoint('green', DnsEndpoint.ofAlias(`dualstack.${NEW}`, 'Z32O12XQLNTSW2'), 40);
    const [blue] = records(synthJson(stack));
    expect(blue).toEqual({
      zone_id: 'Z0123456789ABCDEFGHIJ',
      name: 'shop.example.com',
      set_identifier: 'blue',
      weighted_routing_policy: { weight: 60 },
      type: 'A',
      alias: { name: `dualstack.${OLD}`, zone_id: 'Z32O12XQLNTSW2', evaluate_target_health: true },
    });
  });

  it('gives every color a Route 53 health check of its endpoint, and its record that check', () => {
    const { stack, construct } = router({
      healthCheck: { protocol: DnsHealthCheckProtocol.HTTPS, port: 8443, path: '/ready' },
    });
    construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 90);
    construct.addEndpoint('green', DnsEndpoint.ofHostname(NEW), 10);
    const json = synthJson(stack);
    const checks = Object.values(json.resource.aws_route53_health_check) as any[];
    expect(checks.map((c) => [c.fqdn, c.port, c.type, c.resource_path])).toEqual([
      [OLD, 8443, 'HTTPS', '/ready'],
      [NEW, 8443, 'HTTPS', '/ready'],
    ]);
    expect(construct.healthChecks).toHaveLength(2);
    expect(records(json).map((r) => r.health_check_id)).toEqual([
      expect.stringMatching(/^\$\{aws_route53_health_check\.Router_HealthCheck-blue_[0-9A-F]+\.id\}$/),
      expect.stringMatching(/^\$\{aws_route53_health_check\.Router_HealthCheck-green_[0-9A-F]+\.id\}$/),
    ]);
  });

  it('checks HTTPS on 443 at /healthz by default, and TCP without a path', () => {
    const https = router({ healthCheck: {} });
    https.construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 100);
    expect(onlyResource(synthJson(https.stack), 'aws_route53_health_check')).toEqual({
      fqdn: OLD,
      port: 443,
      type: 'HTTPS',
      resource_path: '/healthz',
      enable_sni: true,
      request_interval: 30,
      failure_threshold: 3,
      tags: { app: 'shop', color: 'blue', 'managed-by': 'cdktf-rainbow', Name: 'shop-blue' },
    });
    const tcp = router({ healthCheck: { protocol: DnsHealthCheckProtocol.TCP } });
    tcp.construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 100);
    expect(onlyResource(synthJson(tcp.stack), 'aws_route53_health_check')).toEqual(
      expect.objectContaining({ fqdn: OLD, port: 80, type: 'TCP' }),
    );
    expect(onlyResource(synthJson(tcp.stack), 'aws_route53_health_check').resource_path).toBeUndefined();
  });

  it('points an ECS color of this library at the load balancer its target group is attached to', () => {
    const { stack, construct } = router();
    construct.addColor(EcsColor.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 100);
    const json = synthJson(stack);
    const lookup = Object.values(json.data.aws_lb_target_group)[0] as any;
    expect(lookup.name).toBe('shop-blue');
    const record = onlyResource(json, 'aws_route53_record');
    expect(record.type).toBe('A');
    expect(record.alias.name).toMatch(/^\$\{data\.aws_lb\.Router_LoadBalancer-blue_[0-9A-F]+\.dns_name\}$/);
    expect(record.alias.evaluate_target_health).toBe(true);
  });

  it('fails when Route 53 would refuse the zone id, the name or the TTL', () => {
    expect(() => router({ zoneId: 'z0123', name: 'shop..example.com', ttl: 301 })).toThrow(
      [
        'Route53Router test/Router:',
        'zoneId: received "z0123"; expected a Route 53 hosted zone id: "Z" and uppercase letters or digits, at most 32 characters, such as Z0123456789ABCDEFGHIJ',
        'name: received "shop..example.com"; expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters',
        'ttl: received 301; expected a whole number of seconds from 0 to 300: resolvers cache the record this long, so each weight change takes up to this long to reach every client',
      ].join('\n'),
    );
  });

  it('fails when a TCP health check has a path', () => {
    expect(() => router({ healthCheck: { protocol: DnsHealthCheckProtocol.TCP, path: '/healthz' } })).toThrow(
      'healthCheck.path: received "/healthz" with protocol TCP; expected no path: a TCP health check only opens a connection',
    );
  });

  it('fails when an endpoint is not a hostname or its alias zone is not a zone id', () => {
    const { construct } = router();
    expect(() => construct.addEndpoint('blue', DnsEndpoint.ofAlias('-bad.example.com', 'Z1/2'), 100)).toThrow(
      [
        'addEndpoint(blue).endpoint.alias.name: received "-bad.example.com"; expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters',
        'addEndpoint(blue).endpoint.alias.zoneId: received "Z1/2"; expected a Route 53 hosted zone id: "Z" and uppercase letters or digits, at most 32 characters, such as Z0123456789ABCDEFGHIJ',
      ].join('\n'),
    );
  });

  it('fails when a color is added twice', () => {
    const { construct } = router();
    construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 100);
    expect(() => construct.addEndpoint('blue', DnsEndpoint.ofHostname(NEW), 0)).toThrow(
      'addEndpoint(blue): received the color blue again, already added as addEndpoint(blue); expected each color once',
    );
  });

  it('fails at synth when hostnames and aliases share the name, or the weights do not add up to 100', () => {
    const { stack, construct } = router();
    construct.addEndpoint('blue', DnsEndpoint.ofHostname(OLD), 90);
    construct.addEndpoint('green', DnsEndpoint.ofAlias(NEW, 'Z32O12XQLNTSW2'), 5);
    expect(() => synthJson(stack)).toThrow(
      'colors: received hostname endpoints (blue) and alias endpoints (green) together; expected one kind for every color: Route 53 weighted records of one name share one type, and a CNAME (a hostname) cannot share its name with the A records of aliases',
    );
    expect(() => synthJson(stack)).toThrow(
      'colors: the weights of the colors that are not retired add up to 95 (blue 90 + green 5); expected exactly 100',
    );
  });

  it('fails at synth when a TTL is given for aliases only', () => {
    const { stack, construct } = router({ ttl: 60 });
    construct.addEndpoint('blue', DnsEndpoint.ofAlias(OLD, 'Z32O12XQLNTSW2'), 100);
    expect(() => synthJson(stack)).toThrow(
      'ttl: received 60 with alias endpoints only; expected nothing: Route 53 refuses a TTL on an alias record, which takes the TTL of its target (60 seconds for a load balancer)',
    );
  });
});
