import { planChange, simulatePlan } from '../../planning/plan';
import { resolvedSpec } from '../spec-helpers';

const OLD = 'k8s-old-1234.elb.eu-west-1.amazonaws.com';
const NEW = 'k8s-new-5678.elb.eu-west-1.amazonaws.com';

function spec(mutate: (raw: Record<string, any>) => void = () => undefined) {
  const raw: Record<string, any> = {
    app: 'shop',
    platform: 'dns',
    dns: { zoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com', ttl: 120 },
    colors: [{ name: 'blue', endpoint: OLD, weight: 100 }],
  };
  mutate(raw);
  return resolvedSpec(raw);
}

const withGreen =
  (weight: number, blue = 100 - weight) =>
  (s: Record<string, any>) => {
    s.colors[0].weight = blue;
    s.colors.push({ name: 'green', endpoint: NEW, weight });
  };

describe('planChange: dns', () => {
  it("adds a new cluster at 0 in the usual phases, its stack empty, its record the router's", () => {
    const plan = planChange(spec(), spec(withGreen(0)));
    expect(plan.changes.map((c) => [c.name, c.kind])).toEqual([
      ['blue', 'unchanged'],
      ['green', 'new'],
    ]);
    expect(plan.phases).toEqual([
      { title: 'colors', stacks: ['shop-green'] },
      { title: 'router', stacks: ['shop-router'] },
    ]);
    expect(plan.violations).toEqual([]);
  });

  it('moves traffic by re-applying only the router, under the step rule but never the capacity rule', () => {
    const plan = planChange(spec(withGreen(0)), spec(withGreen(60)));
    expect(plan.phases).toEqual([{ title: 'router', stacks: ['shop-router'] }]);
    expect(plan.violations.map((v) => [v.rule, v.color])).toEqual([
      ['step-too-large', 'blue'],
      ['step-too-large', 'green'],
    ]);
    // A color has no replicas on dns: with the capacity rule, any traffic would break it.
    expect(planChange(spec(withGreen(0)), spec(withGreen(40))).violations).toEqual([]);
  });

  it('says which endpoint changed, and re-applies the router for it', () => {
    const plan = planChange(
      spec(withGreen(0)),
      spec((s) => {
        withGreen(0)(s);
        s.colors[1].endpoint = 'k8s-new-9999.elb.eu-west-1.amazonaws.com';
      }),
    );
    expect(plan.changes[1].reasons).toEqual([`endpoint ${NEW} → k8s-new-9999.elb.eu-west-1.amazonaws.com`]);
    expect(plan.phases.map((p) => p.title)).toEqual(['colors', 'router']);
  });

  it("counts the TTL in the estimate: resolvers keep the old weights that long after the router's deploy", () => {
    const previous = spec(withGreen(0));
    const current = spec(withGreen(10));
    const simulation = simulatePlan(previous, current, planChange(previous, current));
    expect(simulation.estimate).toEqual({
      stepSeconds: 0,
      createSeconds: 0,
      removeSeconds: 0,
      routerSeconds: 120,
      basis:
        "dns: nothing rolls (each color is an endpoint that exists); resolvers keep the previous weights up to the TTL, 120 s, after the router's deploy. " +
        'The under-capacity rule does not apply: each endpoint scales on its own, and rainbow cannot see its capacity',
    });
    expect(simulation.totalSeconds).toBe(120);
  });
});
