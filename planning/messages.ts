/** The texts of the safety rules a change breaks, as plan, apply, preview and release print them. */
export const PLAN_MESSAGES = {
  ruleRemovedBeforeRetired: (color: string) =>
    `${color} left the file without having been retired in the previous spec; retire it (and deploy) first`,
  ruleRetiredWithTraffic: (color: string, weight: number) =>
    `${color} is retired although it had ${weight}% in the previous spec; drain it to 0 (and deploy) first`,
  ruleStepTooLarge: (color: string, from: number, to: number, max: number) =>
    `${color} moves from ${from}% to ${to}%, more than progression.maxStepPercent (${max}) in one change; move it in smaller steps`,
  ruleNewWithTraffic: (color: string, weight: number) =>
    `${color} is new and already gets ${weight}%; add it at 0, check it through the pin header or preview host, then give it traffic`,
  ruleUnderCapacity: (
    color: string,
    traffic: string,
    capacity: string,
    factor: number,
    limit: string,
    when: string,
    advice: string,
  ) =>
    `${color} gets ${traffic}% of the traffic with ${capacity}% of the serving capacity ${when}: more than progression.maxLoadFactor ${factor} × ${capacity}% = ${limit}%; ${advice}`,
  underCapacityAfter: 'after the change',
  underCapacityRolling: (phase: number, step: number, ready: number, desired: number) =>
    `during its rolling update (deploy phase ${phase}, step ${step}: ${ready} of ${desired} ${desired === 1 ? 'pod' : 'pods'} ready)`,
  underCapacityBeforeRouter: (phase: number, step: number) =>
    `in deploy phase ${phase} (step ${step}), before the router moves its traffic`,
  underCapacityScaleUp: (color: string, field: string, from: number, to: number, most: number) =>
    `scale ${color} up first (${field} ${from} → at least ${to}), or take a smaller step (at most ${most}% of the traffic with this capacity)`,
  underCapacityRollingAdvice: (color: string, unavailable: number) =>
    `lower rollingUpdate.maxUnavailable (${unavailable} ${unavailable === 1 ? 'pod' : 'pods'} of ${color} here), or scale ${color} up in an earlier change, so that enough pods serve while it rolls`,
  underCapacityBeforeRouterAdvice: (color: string) =>
    `move ${color}'s traffic in one change and shrink it in the next, or keep more of its capacity`,
  dnsEstimateBasis: (ttl: number) =>
    `dns: nothing rolls (each color is an endpoint that exists); resolvers keep the previous weights up to the TTL, ${ttl} s, after the router's deploy. ` +
    'The under-capacity rule does not apply: each endpoint scales on its own, and rainbow cannot see its capacity',
} as const;
