import { DnsEndpoint } from '../../model/dns';
import { problemLines, resolvedSpec } from '../spec-helpers';

const OLD = 'k8s-old-1234.elb.eu-west-1.amazonaws.com';
const NEW = 'k8s-new-5678.elb.eu-west-1.amazonaws.com';

function rawDnsSpec(): Record<string, any> {
  return {
    app: 'shop',
    platform: 'dns',
    dns: {
      zoneId: 'Z0123456789ABCDEFGHIJ',
      name: 'shop.example.com',
      healthCheck: { path: '/healthz', port: 443, protocol: 'HTTPS' },
    },
    colors: [
      { name: 'blue', endpoint: OLD, weight: 90 },
      { name: 'green', endpoint: NEW, weight: 10 },
    ],
  };
}

describe('a spec on platform dns', () => {
  it('resolves each color to its endpoint, with a TTL of 60 and no workload', () => {
    const spec = resolvedSpec(rawDnsSpec());
    expect(spec.dns).toEqual({
      zoneId: 'Z0123456789ABCDEFGHIJ',
      name: 'shop.example.com',
      ttl: 60,
      healthCheck: { protocol: 'HTTPS', port: 443, path: '/healthz' },
    });
    expect(spec.colors.map((c) => [c.name, c.endpoint, c.image, c.replicas])).toEqual([
      ['blue', DnsEndpoint.ofHostname(OLD), OLD, 0],
      ['green', DnsEndpoint.ofHostname(NEW), NEW, 0],
    ]);
  });

  it('takes alias endpoints', () => {
    const raw = rawDnsSpec();
    raw.colors[0].endpoint = { alias: { name: `dualstack.${OLD}`, zoneId: 'Z32O12XQLNTSW2' } };
    raw.colors[1].endpoint = { alias: { name: `dualstack.${NEW}`, zoneId: 'Z32O12XQLNTSW2' } };
    expect(resolvedSpec(raw).colors[1].endpoint).toEqual(DnsEndpoint.ofAlias(`dualstack.${NEW}`, 'Z32O12XQLNTSW2'));
  });

  it('fails when the TTL is above 300 or the zone id is not one', () => {
    const raw = rawDnsSpec();
    raw.dns.ttl = 301;
    raw.dns.zoneId = 'example.com';
    expect(problemLines(raw)).toEqual([
      'dns.zoneId: received "example.com"; expected a Route 53 hosted zone id: "Z" and uppercase letters or digits, at most 32 characters, such as Z0123456789ABCDEFGHIJ',
      'dns.ttl: received 301; expected a whole number of seconds from 0 to 300: resolvers cache the record this long, so each weight change takes up to this long to reach every client',
    ]);
  });

  it('fails when a color has no endpoint, or an image', () => {
    const raw = rawDnsSpec();
    delete raw.colors[1].endpoint;
    raw.colors[1].image = 'ghcr.io/acme/shop:1.5.0';
    expect(problemLines(raw)).toEqual([
      'colors[1].endpoint: received nothing; expected a hostname such as k8s-old-1234.elb.eu-west-1.amazonaws.com, or { alias: { name, zoneId } } for an alias target such as an ALB',
      'colors[1].image: received "ghcr.io/acme/shop:1.5.0" (23 characters); expected nothing on platform dns: a color is its endpoint, not an image',
    ]);
  });

  it('fails on an endpoint that is neither a hostname nor an alias', () => {
    const raw = rawDnsSpec();
    raw.colors[0].endpoint = { alias: { name: OLD, zoneId: 'z32' } };
    raw.colors[1].endpoint = '10.0.0.1';
    expect(problemLines(raw)).toEqual([
      'colors[0].endpoint: received an object; expected a hostname such as k8s-old-1234.elb.eu-west-1.amazonaws.com, or { alias: { name, zoneId } } for an alias target such as an ALB',
      'colors[1].endpoint: received "10.0.0.1"; expected a hostname such as k8s-old-1234.elb.eu-west-1.amazonaws.com, or { alias: { name, zoneId } } for an alias target such as an ALB',
    ]);
  });

  it('fails when hostnames and aliases are mixed, as Route 53 would', () => {
    const raw = rawDnsSpec();
    raw.colors[1].endpoint = { alias: { name: NEW, zoneId: 'Z32O12XQLNTSW2' } };
    expect(problemLines(raw)).toEqual([
      'colors: received hostname endpoints (blue) and alias endpoints (green) together; expected one kind for every color: Route 53 weighted records of one name share one type, and a CNAME (a hostname) cannot share its name with the A records of aliases',
    ]);
  });

  it('fails on a TTL over aliases only, and on a path of a TCP health check', () => {
    const raw = rawDnsSpec();
    raw.dns.ttl = 30;
    raw.dns.healthCheck = { protocol: 'TCP', port: 443, path: '/healthz' };
    for (const c of raw.colors) c.endpoint = { alias: { name: c.endpoint, zoneId: 'Z32O12XQLNTSW2' } };
    expect(problemLines(raw)).toEqual([
      'dns.ttl: received 30 with alias endpoints only; expected nothing: Route 53 refuses a TTL on an alias record, which takes the TTL of its target (60 seconds for a load balancer)',
      'dns.healthCheck.path: received "/healthz" with protocol TCP; expected no path: a TCP health check only opens a connection',
    ]);
  });

  it('fails on the fields of a workload, which a dns color has not', () => {
    const raw = rawDnsSpec();
    raw.rollingUpdate = { maxSurge: 1 };
    raw.routing = { pinHeader: 'x-color' };
    raw.colors[0].replicas = 3;
    expect(problemLines(raw)).toEqual([
      'rollingUpdate: received an object; expected nothing on platform dns: a color is an existing endpoint with no workload of its own, so there is nothing to roll, size, check or configure here',
      'routing.pinHeader: received "x-color"; expected nothing on platform dns: DNS answers by name, not by request header; try a color at weight 0 at its own endpoint',
      'colors[0].replicas: received 3; expected nothing on platform dns: a color is an existing endpoint with no workload of its own, so there is nothing to roll, size, check or configure here',
    ]);
  });

  it('fails when the dns block is missing', () => {
    const raw = rawDnsSpec();
    delete raw.dns;
    expect(problemLines(raw)).toEqual(['dns: received nothing; expected the dns settings (platform is dns)']);
  });

  it('fails on an endpoint on another platform, and on a missing image there', () => {
    const raw = rawDnsSpec();
    raw.platform = 'kubernetes';
    raw.kubernetes = { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' };
    delete raw.dns;
    expect(problemLines(raw)).toEqual([
      'colors[0].image: received nothing; expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
      `colors[0].endpoint: received "${OLD}" (${OLD.length} characters); expected nothing: only the dns platform uses it, and platform is kubernetes`,
      'colors[1].image: received nothing; expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
      `colors[1].endpoint: received "${NEW}" (${NEW.length} characters); expected nothing: only the dns platform uses it, and platform is kubernetes`,
    ]);
  });
});
