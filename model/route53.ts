/**
 * Limits of the Route 53 API that the dns platform and the Route53Router respect, each with its
 * source. Every value here is refused at synth time when a spec or props would break it.
 */
export const ROUTE53_LIMITS = {
  /**
   * A weighted record's weight: 0 to 255. Our percents (0 to 100) are used as they are.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html (Weight)
   */
  weight: { min: 0, max: 255 },
  /**
   * A set identifier: 1 to 128 characters. A color name (at most 20 lowercase letters, digits and
   * hyphens) always fits.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html (SetIdentifier)
   */
  setIdentifierLength: 128,
  /**
   * A hosted zone id: at most 32 characters (`Z` and uppercase letters or digits, as Route 53 issues them).
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html (AliasTarget.HostedZoneId)
   */
  zoneIdLength: 32,
  /**
   * A health check's resource path: at most 255 characters.
   * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html (ResourcePath)
   */
  healthCheckPathLength: 255,
  /**
   * The TTL we allow, in seconds. Route 53 takes up to 2147483647; above 300 s every weight change
   * would take more than five minutes to reach the clients, too slow to step traffic.
   */
  maxTtl: 300,
  /** Seconds between two checks of a health checker (10 or 30), and failures in a row before unhealthy (1 to 10). */
  healthCheckRequestInterval: 30,
  healthCheckFailureThreshold: 3,
} as const;

/** How a Route 53 health check reaches an endpoint: `dns.healthCheck.protocol`. */
export enum DnsHealthCheckProtocol {
  /** An HTTP request; healthy on a 2xx or 3xx answer within 4 seconds. */
  HTTP = 'HTTP',
  /** An HTTPS request (with SNI); the certificate is not validated. Healthy on 2xx or 3xx within 4 seconds. */
  HTTPS = 'HTTPS',
  /** A TCP connection within 10 seconds. */
  TCP = 'TCP',
}

/** Route 53 is a global service: its API (and so the provider of the records) is in us-east-1. */
export const ROUTE53_REGION = 'us-east-1';

/** The TTL of the hostname records when none is given, in seconds. */
export const DEFAULT_DNS_TTL = 60;

/**
 * The TTL of an alias record whose target is a load balancer, in seconds: Route 53 takes an alias
 * record's TTL from its target, and refuses one of its own.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-alias.html
 */
export const LOAD_BALANCER_ALIAS_TTL = 60;

/** A hosted zone id as Route 53 issues them, such as Z0123456789ABCDEFGHIJ or Z32O12XQLNTSW2. */
export const ZONE_ID = new RegExp(`^Z[A-Z0-9]{1,${ROUTE53_LIMITS.zoneIdLength - 1}}$`);

export const isZoneId = (v: unknown): v is string => typeof v === 'string' && ZONE_ID.test(v);

/** A set identifier Route 53 accepts: 1 to 128 characters. */
export const isSetIdentifier = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= ROUTE53_LIMITS.setIdentifierLength;

/**
 * A percent as a Route 53 weight: the same number. Route 53 sends each record weight / sum of the
 * weights of the traffic, and our weights add up to 100, so a percent is exactly its share; 0..100
 * is always inside 0..255.
 */
export function route53Weight(percent: number): number {
  return percent;
}
