import { MESSAGES } from './messages';
import { Problem } from './problem';
import { GatewayApiChannel } from './types';

/** Limits of gateway.networking.k8s.io/v1 HTTPRoute (the CRD's maxItems and maximum). */
export const GATEWAY_API_LIMITS = {
  backendRefsPerRule: 16,
  rulesPerRoute: 16,
  maxWeight: 1_000_000,
} as const;

/**
 * Problems a route over `colorCount` colors would have: one weighted rule holds every color,
 * plus one pin-header rule per color when `pinned`.
 * Paths: `colors` for the backendRefs limit, `pinHeader` for the rules limit.
 */
export function validateGatewayApiRoute(colorCount: number, pinned: boolean): Problem[] {
  const problems: Problem[] = [];
  if (colorCount > GATEWAY_API_LIMITS.backendRefsPerRule) {
    problems.push({
      path: 'colors',
      message: MESSAGES.tooManyBackendRefs(colorCount, GATEWAY_API_LIMITS.backendRefsPerRule),
    });
  }
  const rules = 1 + (pinned ? colorCount : 0);
  if (rules > GATEWAY_API_LIMITS.rulesPerRoute) {
    problems.push({ path: 'pinHeader', message: MESSAGES.tooManyRules(rules, GATEWAY_API_LIMITS.rulesPerRoute) });
  }
  return problems;
}

/**
 * Problems of the Gateway API features a route uses, against the CRD channel installed:
 * `sessionPersistence` (stickiness) is only in the experimental channel (GEP-1619).
 * Path `stickySeconds`.
 */
export function gatewayApiChannelProblems(stickySeconds: number | undefined, channel: GatewayApiChannel): Problem[] {
  if (stickySeconds === undefined || channel === GatewayApiChannel.EXPERIMENTAL) return [];
  return [{ path: 'stickySeconds', message: MESSAGES.stickyNeedsExperimentalChannel(stickySeconds, channel) }];
}
