import fc from 'fast-check';
import { Testing } from 'cdktf';
import { RouterStack } from '../../stacks/router-stack';
import { validateSpec } from '../../spec/validate';
import { rawSpec, synthJson } from '../helpers';

/** Whole weights adding up to exactly 100 over `n` colors, at least one above 0. */
const weightsOf = (n: number) => fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
  const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
  return sorted.slice(1).map((v, i) => v - sorted[i]);
});

/** Any valid spec: 1 to 16 colors that run (15 with a pin header), up to 3 retired ones, shuffled. */
const validSpec = fc.record({ live: fc.integer({ min: 1, max: 16 }), retired: fc.integer({ min: 0, max: 3 }), pinned: fc.boolean() })
  .chain(({ live, retired, pinned }) => {
    const liveCount = pinned ? Math.min(live, 15) : live;
    return fc.record({
      weights: weightsOf(liveCount),
      retired: fc.constant(retired),
      pinned: fc.constant(pinned),
      order: fc.shuffledSubarray(Array.from({ length: liveCount + retired }, (_, i) => i), { minLength: liveCount + retired }),
    });
  })
  .map(({ weights, retired, pinned, order }) => {
    const colors: Record<string, unknown>[] = [
      ...weights.map((weight, i) => ({ name: `live-${i}`, image: `shop:${i}`, weight })),
      ...Array.from({ length: retired }, (_, i) => ({ name: `old-${i}`, image: 'shop:0', weight: 0, state: 'retired' })),
    ];
    return { ...rawSpec(), ...(pinned ? { routing: { pinHeader: 'x-color' } } : {}), colors: order.map((i) => colors[i]) };
  });

describe('weights (property)', () => {
  it('the router gives every color that is not retired exactly one backend with its spec weight, adding up to 100', () => {
    fc.assert(fc.property(validSpec, (raw) => {
      const { spec, problems } = validateSpec(raw);
      expect(problems).toEqual([]);
      const router = new RouterStack(Testing.app(), spec!);
      const route = (Object.values(synthJson(router).resource.kubernetes_manifest)[0] as any).manifest;
      const weighted = route.spec.rules[0].backendRefs as { name: string; weight: number }[];
      const live = (raw.colors as { name: string; weight: number; state?: string }[]).filter((c) => c.state !== 'retired');
      expect(weighted).toEqual(live.map((c) => ({ name: `shop-${c.name}`, port: 8080, weight: c.weight })));
      expect(weighted.reduce((sum, r) => sum + r.weight, 0)).toBe(100);
      expect(weighted.some((r) => r.weight > 0)).toBe(true);
      const pinRules = route.spec.rules.slice(1);
      expect(pinRules.map((r: any) => r.backendRefs[0].name)).toEqual(raw.routing === undefined ? [] : live.map((c) => `shop-${c.name}`));
    }), { numRuns: 100 });
  });

  it('any weights over the colors that are not retired other than a total of 100 are refused', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 }), (weights) => {
      fc.pre(weights.reduce((a, b) => a + b, 0) !== 100);
      const raw = { ...rawSpec(), colors: weights.map((weight, i) => ({ name: `c${i}`, image: 'shop:1', weight })) };
      const problems = validateSpec(raw).problems;
      expect(problems.map((p) => p.path)).toEqual(['colors']);
      expect(problems[0].message).toMatch(/^the weights of the colors that are not retired add up to \d+ \(.*\); expected exactly 100$/);
    }));
  });
});
