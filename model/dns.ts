import { FIELDS } from './fields';
import { EXPECTED, MESSAGES, received } from './messages';
import { Problem } from './problem';
import { DEFAULT_DNS_TTL, DnsHealthCheckProtocol } from './route53';
import { HEALTH_CHECK_DEFAULTS, Platform } from './types';

/**
 * The dns platform: each color is an endpoint that already exists (a cluster's gateway, an ALB,
 * another region), and Route 53 weighted records split the traffic between them. Its types, its
 * defaults and the rules of a spec on it. The limits of Route 53 itself are in route53.ts.
 */

/**
 * An alias target: an AWS resource Route 53 answers for with its addresses (an ALB, a CloudFront distribution, another
 * record of the zone).
 */
export interface DnsAliasTarget {
  /** The target's DNS name, such as `dualstack.k8s-new-5678.elb.eu-west-1.amazonaws.com`. */
  readonly name: string;
  /** The hosted zone id of the target (for an ALB, its region's: `Z32O12XQLNTSW2` in eu-west-1). */
  readonly zoneId: string;
}

/**
 * Where a color's record points: `colors[].endpoint` in a spec, and what `Route53Router.addEndpoint`
 * takes. Make one with `DnsEndpoint.ofHostname(...)` or `DnsEndpoint.ofAlias(...)`.
 */
export class DnsEndpoint {
  /** A CNAME record to `hostname`, with the spec's TTL. */
  public static ofHostname(hostname: string): DnsEndpoint {
    return new DnsEndpoint(hostname, undefined);
  }

  /** An alias record (type A) to an AWS resource, whose health Route 53 evaluates (`evaluate_target_health`). */
  public static ofAlias(name: string, zoneId: string): DnsEndpoint {
    return new DnsEndpoint(undefined, { name, zoneId });
  }

  /**
   * The hostname of a CNAME endpoint.
   * @default - none: the endpoint is an alias
   */
  public readonly hostname?: string;
  /**
   * The target of an alias endpoint.
   * @default - none: the endpoint is a hostname
   */
  public readonly alias?: DnsAliasTarget;

  private constructor(hostname: string | undefined, alias: DnsAliasTarget | undefined) {
    if (hostname !== undefined) this.hostname = hostname;
    if (alias !== undefined) this.alias = alias;
  }
}

/** The name an endpoint points to: its hostname, or its alias target's name. */
export function endpointName(endpoint: Pick<DnsEndpoint, 'hostname' | 'alias'>): string {
  return endpoint.hostname ?? endpoint.alias?.name ?? '';
}

/** A Route 53 health check of every color's endpoint: `dns.healthCheck`. */
export interface DnsHealthCheck {
  /**
   * How the checkers reach the endpoint.
   * @default DnsHealthCheckProtocol.HTTPS
   */
  readonly protocol?: DnsHealthCheckProtocol;
  /**
   * The port, 1 to 65535.
   * @default - 443 for HTTPS, 80 for HTTP and TCP
   */
  readonly port?: number;
  /**
   * The path an HTTP or HTTPS check requests: "/" first, at most 255 characters. None for TCP.
   * @default "/healthz" for HTTP and HTTPS
   */
  readonly path?: string;
}

/** The `dns` block of a resolved spec, and what a Route53Router takes besides its colors. */
export interface DnsSettings {
  /** The hosted zone of the record, such as `Z0123456789ABCDEFGHIJ`. It must exist. */
  readonly zoneId: string;
  /** The record's name, such as `shop.example.com`: a name in that zone. */
  readonly name: string;
  /**
   * Seconds resolvers cache a hostname record, 0 to 300. Alias records take their target's TTL.
   * The spec's default is 60.
   */
  readonly ttl: number;
  /**
   * A Route 53 health check per color: a color whose check fails gets no traffic while another one passes.
   * @default - no health checks (alias records still evaluate their target's health)
   */
  readonly healthCheck?: DnsHealthCheck;
}

/** A health check with its defaults filled in. */
export function resolveDnsHealthCheck(
  given: DnsHealthCheck,
): Required<Omit<DnsHealthCheck, 'path'>> & Pick<DnsHealthCheck, 'path'> {
  const protocol = given.protocol ?? DnsHealthCheckProtocol.HTTPS;
  const port = given.port ?? (protocol === DnsHealthCheckProtocol.HTTPS ? 443 : 80);
  if (protocol === DnsHealthCheckProtocol.TCP) return { protocol, port };
  return { protocol, port, path: given.path ?? HEALTH_CHECK_DEFAULTS.path };
}

/** The dns block of a spec, shape checked, with its defaults. */
export function resolveDns(raw: {
  zoneId: string;
  name: string;
  ttl?: number;
  healthCheck?: DnsHealthCheck;
}): DnsSettings {
  return {
    zoneId: raw.zoneId,
    name: raw.name,
    ttl: raw.ttl ?? DEFAULT_DNS_TTL,
    ...(raw.healthCheck === undefined ? {} : { healthCheck: resolveDnsHealthCheck(raw.healthCheck) }),
  };
}

/** An endpoint as a spec writes it: a hostname, or `{ alias: { name, zoneId } }`. */
export function resolveDnsEndpoint(raw: string | { alias: DnsAliasTarget }): DnsEndpoint {
  return typeof raw === 'string' ? DnsEndpoint.ofHostname(raw) : DnsEndpoint.ofAlias(raw.alias.name, raw.alias.zoneId);
}

// Why each field has nothing to apply to on dns, as `notOnDns` says it.
const NO_WORKLOAD =
  'a color is an existing endpoint with no workload of its own, so there is nothing to roll, size, check or configure here';
const DNS_REFUSED: Record<string, string> = {
  rollingUpdate: NO_WORKLOAD,
  healthCheck: `${NO_WORKLOAD} (dns.healthCheck checks the endpoints)`,
  drainSeconds: NO_WORKLOAD,
  resources: NO_WORKLOAD,
  env: NO_WORKLOAD,
  secretEnv: NO_WORKLOAD,
  migration: NO_WORKLOAD,
  autoscaling: NO_WORKLOAD,
  podAnnotations: NO_WORKLOAD,
  security: 'every allowance weakens a workload, and colors on dns have none',
};
const DNS_REFUSED_COLOR: Record<string, string> = {
  image: 'a color is its endpoint, not an image',
  replicas: NO_WORKLOAD,
  resources: NO_WORKLOAD,
  env: NO_WORKLOAD,
  secretEnv: NO_WORKLOAD,
  migration: NO_WORKLOAD,
  autoscaling: NO_WORKLOAD,
  podAnnotations: NO_WORKLOAD,
};
const DNS_REFUSED_ROUTING: Record<string, string> = {
  pinHeader: 'DNS answers by name, not by request header; try a color at weight 0 at its own endpoint',
  stickySeconds: 'DNS has no sessions; a resolver keeps an answer for the TTL',
  previewHosts: 'each color is already reachable at its own endpoint',
};

type Raw = Record<string, unknown>;

const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

/**
 * What every color needs for its platform: an image (and no endpoint) on kubernetes, ecs and ec2,
 * an endpoint on dns. Paths `colors[i].image`, `colors[i].endpoint`.
 */
export function colorTargetProblems(platform: unknown, colors: ReadonlyArray<Raw | undefined>): Problem[] {
  const problems: Problem[] = [];
  colors.forEach((c, i) => {
    if (c === undefined) return;
    if (platform === Platform.DNS) {
      if (c.endpoint === undefined)
        problems.push({ path: `colors[${i}].endpoint`, message: received(undefined, EXPECTED.dnsEndpoint) });
      return;
    }
    if (c.image === undefined)
      problems.push({ path: `colors[${i}].image`, message: received(undefined, EXPECTED.image) });
    if (c.endpoint !== undefined && typeof platform === 'string')
      problems.push({ path: `colors[${i}].endpoint`, message: MESSAGES.notForPlatform(c.endpoint, platform, 'dns') });
  });
  return problems;
}

/**
 * The rules of a spec on the dns platform: fields it has nothing to apply to, one kind of
 * endpoint for every color, no TTL over aliases only, no path on a TCP health check.
 * `colors` are the raw colors, `live` those not retired.
 */
export function dnsPlatformProblems(doc: Raw, colors: ReadonlyArray<Raw | undefined>, live: readonly Raw[]): Problem[] {
  const problems: Problem[] = [];
  for (const [field, reason] of Object.entries(DNS_REFUSED)) {
    if (doc[field] !== undefined)
      problems.push({ path: field, message: MESSAGES.notOnDns(doc[field], reason, field === 'secretEnv') });
  }
  const routing = asObject(doc.routing);
  for (const [field, reason] of Object.entries(DNS_REFUSED_ROUTING)) {
    if (routing?.[field] !== undefined)
      problems.push({ path: `routing.${field}`, message: MESSAGES.notOnDns(routing[field], reason) });
  }
  colors.forEach((c, i) => {
    for (const [field, reason] of Object.entries(DNS_REFUSED_COLOR)) {
      if (c?.[field] !== undefined)
        problems.push({
          path: `colors[${i}].${field}`,
          message: MESSAGES.notOnDns(c[field], reason, field === 'secretEnv'),
        });
    }
  });

  const kinds = live.flatMap((c) => {
    const name = typeof c.name === 'string' ? c.name : '?';
    if (FIELDS.host.test(c.endpoint)) return [{ name, alias: false }];
    const alias = asObject(asObject(c.endpoint)?.alias);
    return alias !== undefined && FIELDS.host.test(alias.name) && FIELDS.zoneId.test(alias.zoneId)
      ? [{ name, alias: true }]
      : [];
  });
  const hostnames = kinds.filter((k) => !k.alias).map((k) => k.name);
  const aliases = kinds.filter((k) => k.alias).map((k) => k.name);
  if (hostnames.length > 0 && aliases.length > 0)
    problems.push({ path: 'colors', message: MESSAGES.dnsMixedEndpoints(hostnames.join(', '), aliases.join(', ')) });

  const dns = asObject(doc.dns);
  if (FIELDS.dnsTtl.test(dns?.ttl) && aliases.length > 0 && hostnames.length === 0 && aliases.length === live.length) {
    problems.push({ path: 'dns.ttl', message: MESSAGES.dnsTtlWithAliases(dns!.ttl as number) });
  }
  const health = asObject(dns?.healthCheck);
  if (health?.protocol === DnsHealthCheckProtocol.TCP && typeof health.path === 'string')
    problems.push({ path: 'dns.healthCheck.path', message: MESSAGES.dnsTcpPath(health.path) });
  return problems;
}

/** What a Route53Router checks of its own props (paths as the props name them). */
export function dnsSettingsProblems(settings: {
  zoneId: string;
  name: string;
  ttl?: number;
  healthCheck?: DnsHealthCheck;
}): Problem[] {
  const problems: Problem[] = [];
  const check = (path: string, value: unknown, rule: { test: (v: unknown) => boolean; expected: string }) => {
    if (value !== undefined && !rule.test(value)) problems.push({ path, message: received(value, rule.expected) });
  };
  check('zoneId', settings.zoneId, FIELDS.zoneId);
  check('name', settings.name, FIELDS.host);
  check('ttl', settings.ttl, FIELDS.dnsTtl);
  const health = settings.healthCheck;
  if (health !== undefined) {
    check('healthCheck.protocol', health.protocol, FIELDS.dnsHealthCheckProtocol);
    check('healthCheck.port', health.port, FIELDS.port);
    check('healthCheck.path', health.path, FIELDS.dnsHealthCheckPath);
    if (health.protocol === DnsHealthCheckProtocol.TCP && health.path !== undefined)
      problems.push({ path: 'healthCheck.path', message: MESSAGES.dnsTcpPath(health.path) });
  }
  return problems;
}

/** What Route 53 refuses of one endpoint (paths `hostname`, `alias.name`, `alias.zoneId`). */
export function dnsEndpointProblems(endpoint: DnsEndpoint): Problem[] {
  const problems: Problem[] = [];
  if (endpoint.hostname !== undefined && !FIELDS.host.test(endpoint.hostname))
    problems.push({ path: 'hostname', message: received(endpoint.hostname, EXPECTED.host) });
  if (endpoint.alias !== undefined) {
    if (!FIELDS.host.test(endpoint.alias.name))
      problems.push({ path: 'alias.name', message: received(endpoint.alias.name, EXPECTED.host) });
    if (!FIELDS.zoneId.test(endpoint.alias.zoneId))
      problems.push({ path: 'alias.zoneId', message: received(endpoint.alias.zoneId, FIELDS.zoneId.expected) });
  }
  return problems;
}

/** Hostname and alias endpoints among the colors (path `colors`), which Route 53 cannot weigh against each other. */
export function mixedEndpointProblems(colors: ReadonlyArray<{ color: string; endpoint: DnsEndpoint }>): Problem[] {
  const hostnames = colors.filter((c) => c.endpoint.alias === undefined).map((c) => c.color);
  const aliases = colors.filter((c) => c.endpoint.alias !== undefined).map((c) => c.color);
  return hostnames.length > 0 && aliases.length > 0
    ? [{ path: 'colors', message: MESSAGES.dnsMixedEndpoints(hostnames.join(', '), aliases.join(', ')) }]
    : [];
}
