/**
 * Weight arithmetic for moving traffic: whole percents that always add up to exactly 100.
 */

export interface Weighted {
  readonly name: string;
  readonly weight: number;
}

/**
 * Splits `total` whole percents over `shares` in proportion to them (largest remainder method):
 * each gets the floor of its exact share, and the percents left over go to the largest remainders,
 * ties broken by name so the result never depends on the order of the file. With all shares 0 the
 * split is even. Returns name → percent; the values add up to `total` exactly.
 */
export function apportion(total: number, shares: readonly Weighted[]): Map<string, number> {
  const result = new Map<string, number>();
  if (shares.length === 0) return result;
  const sum = shares.reduce((s, c) => s + c.weight, 0);
  const exact = shares.map((c) => ({
    name: c.name,
    value: sum === 0 ? total / shares.length : (total * c.weight) / sum,
  }));
  let left = total;
  for (const e of exact) {
    const floor = Math.floor(e.value + 1e-9);
    result.set(e.name, floor);
    left -= floor;
  }
  const byRemainder = [...exact].sort((a, b) => {
    const ra = a.value - Math.floor(a.value + 1e-9);
    const rb = b.value - Math.floor(b.value + 1e-9);
    return rb - ra || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  for (let i = 0; i < left; i++) {
    const e = byRemainder[i % byRemainder.length];
    result.set(e.name, result.get(e.name)! + 1);
  }
  return result;
}

export type ShiftResult = { readonly weights: Map<string, number> } | { readonly refused: string };

/**
 * New weights when `target` gets `percent` of the traffic. Without `from`, the rest is shared by
 * the other colors in proportion to their weights; when none of them is above 0, evenly between
 * them. With `from`, only that color gives or takes the difference. `colors` are the colors that
 * are not retired; refusals are messages for the command to print.
 */
export function shiftWeights(colors: readonly Weighted[], target: string, percent: number, from?: string): ShiftResult {
  const current = colors.find((c) => c.name === target)!;
  const others = colors.filter((c) => c.name !== target);
  const weights = new Map(colors.map((c) => [c.name, c.weight]));
  weights.set(target, percent);
  if (from !== undefined) {
    const source = colors.find((c) => c.name === from)!;
    const next = source.weight - (percent - current.weight);
    if (next < 0 || next > 100)
      return { refused: `${from} has ${source.weight}%; it cannot give ${target} ${percent - current.weight} more` };
    weights.set(from, next);
    return { weights };
  }
  const rest = 100 - percent;
  if (rest > 0 && others.length === 0)
    return { refused: `${target} is the only color that is not retired; it must keep 100%` };
  const above = others.filter((c) => c.weight > 0);
  const shares = apportion(rest, above.length > 0 ? above : others);
  for (const c of others) weights.set(c.name, shares.get(c.name) ?? 0);
  return { weights };
}
