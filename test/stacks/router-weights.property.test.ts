import fc from 'fast-check';
import { RouterStack } from '../../stacks/router-stack';
import { validateSpec } from '../../spec-file/validate';
import { rawEcsSpec, rawSpec, synthJson, testApp } from '../helpers';

type Router = 'gateway-api' | 'nginx' | 'istio';

/** Whole weights adding up to exactly 100 over `n` colors, at most `nonZero` of them above 0. */
const weightsOf = (n: number, nonZero: number) => {
  const k = Math.min(n, nonZero);
  return fc.array(fc.integer({ min: 0, max: 100 }), { minLength: k - 1, maxLength: k - 1 }).chain((cuts) => {
    const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
    const parts = sorted.slice(1).map((v, i) => v - sorted[i]);
    return fc.shuffledSubarray([...parts, ...new Array<number>(n - k).fill(0)], { minLength: n });
  });
};

/** Any valid spec for a router: colors that run, up to 3 retired ones, shuffled, with or without a pin header. */
const validSpec = (router: Router) =>
  fc
    .record({ live: fc.integer({ min: 1, max: 16 }), retired: fc.integer({ min: 0, max: 3 }), pinned: fc.boolean() })
    .chain(({ live, retired, pinned }) => {
      const liveCount = pinned && router === 'gateway-api' ? Math.min(live, 15) : live;
      return fc.record({
        weights: weightsOf(liveCount, router === 'nginx' ? 2 : liveCount),
        retired: fc.constant(retired),
        pinned: fc.constant(pinned),
        order: fc.shuffledSubarray(
          Array.from({ length: liveCount + retired }, (_, i) => i),
          { minLength: liveCount + retired },
        ),
      });
    })
    .map(({ weights, retired, pinned, order }) => {
      const colors: Record<string, unknown>[] = [
        ...weights.map((weight, i) => ({ name: `live-${i}`, image: `shop:${i}`, weight })),
        ...Array.from({ length: retired }, (_, i) => ({
          name: `old-${i}`,
          image: 'shop:0',
          weight: 0,
          state: 'retired',
        })),
      ];
      const raw: Record<string, any> = {
        ...rawSpec(),
        ...(pinned ? { routing: { pinHeader: 'x-color' } } : {}),
        colors: order.map((i) => colors[i]),
      };
      if (router !== 'gateway-api') {
        delete raw.kubernetes.gateway;
        raw.kubernetes = {
          ...raw.kubernetes,
          router,
          ...(router === 'istio' ? { istioGateways: ['infra/public'] } : {}),
        };
      }
      return raw;
    });

/** Service name → share of the traffic, as the synthesized router would send it. */
function effectiveWeights(router: Router, json: any): Map<string, number> {
  if (router === 'nginx') {
    const ingresses = Object.values(json.resource.kubernetes_ingress_v1) as any[];
    const service = (i: any) => i.spec.rule[0].http.path[0].backend.service.name as string;
    const primary = ingresses.find((i) => i.metadata.name === 'shop');
    const canary = ingresses.find((i) => i.metadata.name === 'shop-canary');
    const canaryWeight =
      canary === undefined ? 0 : Number(canary.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']);
    const weights = new Map([[service(primary), 100 - canaryWeight]]);
    if (canary !== undefined) weights.set(service(canary), canaryWeight);
    return weights;
  }
  const manifest = (Object.values(json.resource.kubernetes_manifest) as any[])[0].manifest;
  if (router === 'istio') {
    const weighted = manifest.spec.http.find((r: any) => r.name === 'weighted');
    return new Map(weighted.route.map((r: any) => [r.destination.host.split('.')[0], r.weight]));
  }
  return new Map(manifest.spec.rules[0].backendRefs.map((r: any) => [r.name, r.weight]));
}

describe.each<Router>(['gateway-api', 'nginx', 'istio'])('router weights with %s (property)', (router) => {
  it('every color gets exactly its spec weight, the total is 100, and retired colors get nothing', () => {
    fc.assert(
      fc.property(validSpec(router), (raw) => {
        const { spec, problems } = validateSpec(raw);
        expect(problems).toEqual([]);
        const weights = effectiveWeights(router, synthJson(new RouterStack(testApp(), 'shop-router', { spec: spec! })));
        const colors = raw.colors as { name: string; weight: number; state?: string }[];
        // One comparison over all colors rather than a matcher call per color (up to 19 a run, 180 runs).
        expect(
          colors.map((c) => ({
            color: c.name,
            weight: weights.get(`shop-${c.name}`) ?? (c.state === 'retired' || router !== 'nginx' ? undefined : 0),
          })),
        ).toEqual(colors.map((c) => ({ color: c.name, weight: c.state === 'retired' ? undefined : c.weight })));
        expect([...weights.values()].reduce((a, b) => a + b, 0)).toBe(100);
        if (router !== 'nginx') expect(weights.size).toBe(colors.filter((c) => c.state !== 'retired').length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('weights (property)', () => {
  it('any weights over the colors that are not retired other than a total of 100 are refused', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 }), (weights) => {
        fc.pre(weights.reduce((a, b) => a + b, 0) !== 100);
        const raw = { ...rawSpec(), colors: weights.map((weight, i) => ({ name: `c${i}`, image: 'shop:1', weight })) };
        const problems = validateSpec(raw).problems;
        expect(problems.map((p) => p.path)).toEqual(['colors']);
        expect(problems[0].message).toMatch(
          /^the weights of the colors that are not retired add up to \d+ \(.*\); expected exactly 100$/,
        );
      }),
    );
  });

  it('the gateway-api router gives every color that is not retired exactly one weighted backend and, with a pin header, one pin rule', () => {
    fc.assert(
      fc.property(validSpec('gateway-api'), (raw) => {
        const { spec } = validateSpec(raw);
        const route = (
          Object.values(
            synthJson(new RouterStack(testApp(), 'shop-router', { spec: spec! })).resource.kubernetes_manifest,
          )[0] as any
        ).manifest;
        const live = (raw.colors as { name: string; state?: string }[])
          .filter((c) => c.state !== 'retired')
          .map((c) => `shop-${c.name}`);
        expect(route.spec.rules[0].backendRefs.map((r: any) => r.name)).toEqual(live);
        expect(route.spec.rules.slice(1).map((r: any) => r.backendRefs[0].name)).toEqual(
          raw.routing === undefined ? [] : live,
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe('router weights with an ALB (property)', () => {
  it('the forward action gives every color that is not retired exactly its spec weight, adding up to 100; with stickiness, only those above 0', () => {
    const spec = fc
      .record({ live: fc.integer({ min: 1, max: 5 }), retired: fc.integer({ min: 0, max: 2 }), sticky: fc.boolean() })
      .chain(({ live, retired, sticky }) =>
        fc.record({
          weights: weightsOf(live, live),
          retired: fc.constant(retired),
          sticky: fc.constant(sticky),
        }),
      )
      .map(({ weights, retired, sticky }) => {
        const names = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet'];
        const raw: Record<string, any> = rawEcsSpec();
        raw.colors = [
          ...weights.map((weight, i) => ({ name: names[i], image: 'shop:1', weight })),
          ...Array.from({ length: retired }, (_, i) => ({
            name: names[5 + i],
            image: 'shop:0',
            weight: 0,
            state: 'retired',
          })),
        ];
        if (sticky) raw.routing = { stickySeconds: 3600 };
        return raw;
      });
    fc.assert(
      fc.property(spec, (raw) => {
        const { spec: resolved, problems } = validateSpec(raw);
        expect(problems).toEqual([]);
        const json = synthJson(new RouterStack(testApp(), 'shop-router', { spec: resolved! }));
        const names = new Map(
          Object.entries(json.data.aws_lb_target_group).map(([id, d]: [string, any]) => [
            `\${data.aws_lb_target_group.${id}.arn}`,
            d.name,
          ]),
        );
        const rule = Object.values(json.resource.aws_lb_listener_rule)[0] as any;
        const forwarded = rule.action[0].forward.target_group.map((t: any) => [names.get(t.arn), t.weight]);
        const live = (raw.colors as { name: string; weight: number; state?: string }[]).filter(
          (c) => c.state !== 'retired',
        );
        const expected = raw.routing?.stickySeconds === undefined ? live : live.filter((c) => c.weight > 0);
        expect(forwarded).toEqual(expected.map((c) => [`shop-${c.name}`, c.weight]));
        expect(forwarded.reduce((sum: number, [, w]: [string, number]) => sum + w, 0)).toBe(100);
      }),
      { numRuns: 60 },
    );
  });
});
