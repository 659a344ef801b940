/**
 * The colors a weighted split lists as its backends. Without stickiness, every color that is not
 * retired, weight 0 included. With stickiness, only the colors above weight 0: routers keep a
 * sticky client on its backend whatever the weights say (ALB target group stickiness routes a
 * client to the same target group for the whole duration; Gateway API session persistence holds
 * "even if the weight is set to 0", GEP-1619), so a color at weight 0 must leave the split to stop
 * getting the sessions it already has. It stays reachable by its pin header and preview host.
 */
export function weightedBackends<T extends { readonly weight: number }>(
  colors: readonly T[],
  stickySeconds: number | undefined,
): T[] {
  return stickySeconds === undefined ? [...colors] : colors.filter((c) => c.weight > 0);
}
