import { MESSAGES } from './messages';
import { Problem } from './problem';

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
    problems.push({ path: 'colors', message: MESSAGES.tooManyBackendRefs(colorCount) });
  }
  const rules = 1 + (pinned ? colorCount : 0);
  if (rules > GATEWAY_API_LIMITS.rulesPerRoute) {
    problems.push({ path: 'pinHeader', message: MESSAGES.tooManyRules(rules) });
  }
  return problems;
}
