import fc from 'fast-check';
import { Quantity } from '../../model/quantity';
import { ecsDeploymentPercents, ROLLING_UPDATE_DEFAULTS } from '../../model/rolling';
import { Platform, RainbowSpec } from '../../model/types';
import { planChange, simulatePlan } from '../../planning/plan';
import { estimateSteps, rollingBounds, rollingUpdateSteps } from '../../planning/simulate';
import { validateSpec } from '../../spec-file/validate';

type Color = {
  name: string;
  image?: string;
  weight: number;
  state?: string;
  replicas?: number;
  autoscaling?: { min: number; max: number };
};

/** A valid Kubernetes (or ECS) spec with these colors; no cdktf is loaded. */
function spec(
  colors: Color[],
  extra: Record<string, unknown> = {},
  platform: 'kubernetes' | 'ecs' = 'kubernetes',
): RainbowSpec {
  const target =
    platform === 'kubernetes'
      ? { kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' } }
      : {
          ecs: {
            region: 'eu-west-1',
            cluster: 'shop',
            vpcId: 'vpc-0abc1234',
            subnetIds: ['subnet-0a1b2c3d'],
            securityGroupIds: ['sg-01234567'],
            listenerArn:
              'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
            host: 'shop.example.com',
            rulePriority: 100,
          },
        };
  const { spec: resolved, problems } = validateSpec({
    app: 'shop',
    platform,
    ...target,
    ...extra,
    colors: colors.map((c) => ({ image: 'ghcr.io/acme/shop:1', ...c })),
  });
  if (resolved === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolved;
}

const simulate = (previous: RainbowSpec | undefined, current: RainbowSpec) =>
  simulatePlan(previous, current, planChange(previous, current));

const policy = (maxSurge: Quantity, maxUnavailable: Quantity) => ({
  ...ROLLING_UPDATE_DEFAULTS,
  maxSurge,
  maxUnavailable,
});
const quantity = fc.oneof(
  fc.integer({ min: 0, max: 10 }).map(Quantity.count),
  fc.integer({ min: 0, max: 100 }).map(Quantity.percent),
);

/** The pods of each step as [old, new, new ready]. */
const triples = (r: ReturnType<typeof rollingUpdateSteps>) => ({
  steps: r.steps.map((p) => [p.old, p.fresh, p.freshReady]),
  end: [r.end.old, r.end.fresh, r.end.freshReady],
});

describe('rollingUpdateSteps', () => {
  it('replaces 4 pods one at a time with maxSurge 25% and maxUnavailable 0, never below 4 serving', () => {
    expect(triples(rollingUpdateSteps(4, 4, { surge: 1, unavailable: 0 }))).toEqual({
      steps: [
        [4, 1, 0],
        [3, 2, 1],
        [2, 3, 2],
        [1, 4, 3],
      ],
      end: [0, 4, 4],
    });
  });

  it('takes one old pod down before starting each new one with maxSurge 0 and maxUnavailable 1', () => {
    expect(triples(rollingUpdateSteps(3, 3, { surge: 0, unavailable: 1 }))).toEqual({
      steps: [
        [2, 1, 0],
        [1, 2, 1],
        [0, 3, 2],
      ],
      end: [0, 3, 3],
    });
  });

  it('scales as the Deployment controller documents it: 2 desired, unavailable 1%, surge 0% goes old -1, new +1, old -1, new +1', () => {
    const bounds = rollingBounds(
      { platform: Platform.KUBERNETES, rollingUpdate: policy(Quantity.percent(0), Quantity.percent(1)) },
      2,
    );
    expect(bounds).toEqual({ surge: 0, unavailable: 1 });
    expect(triples(rollingUpdateSteps(2, 2, bounds))).toEqual({
      steps: [
        [1, 1, 0],
        [0, 2, 1],
      ],
      end: [0, 2, 2],
    });
  });

  it('replaces everything in one step when the surge covers every pod', () => {
    expect(triples(rollingUpdateSteps(3, 3, { surge: 3, unavailable: 0 }))).toEqual({
      steps: [[3, 3, 0]],
      end: [0, 3, 3],
    });
  });

  it('takes the old pods away at once when the desired count is 0', () => {
    expect(triples(rollingUpdateSteps(3, 0, { surge: 0, unavailable: 0 }))).toEqual({ steps: [], end: [0, 0, 0] });
  });

  it('on Kubernetes, never runs more than desired + maxSurge (rounded up) nor serves with fewer than desired - maxUnavailable (rounded down), and ends with every pod new and ready (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), quantity, quantity, (desired, maxSurge, maxUnavailable) => {
        fc.pre(!(maxSurge.isZero && maxUnavailable.isZero));
        // Kubernetes' own rounding, written out here rather than read from the model.
        const surge = maxSurge.isPercent ? Math.ceil((maxSurge.value * desired) / 100) : maxSurge.value;
        let unavailable = Math.min(
          desired,
          maxUnavailable.isPercent ? Math.floor((maxUnavailable.value * desired) / 100) : maxUnavailable.value,
        );
        if (surge === 0 && unavailable === 0) unavailable = 1;
        const bounds = rollingBounds(
          { platform: Platform.KUBERNETES, rollingUpdate: policy(maxSurge, maxUnavailable) },
          desired,
        );
        expect(bounds).toEqual({ surge, unavailable });
        const { steps, end } = rollingUpdateSteps(desired, desired, bounds);
        for (const p of steps) {
          expect(p.old + p.fresh).toBeLessThanOrEqual(desired + surge);
          expect(p.old + p.freshReady).toBeGreaterThanOrEqual(desired - unavailable);
          expect(p.fresh).toBeLessThanOrEqual(desired);
        }
        expect(end).toEqual({ old: 0, fresh: desired, freshReady: desired });
        expect(steps.length).toBeLessThanOrEqual(desired + 1);
      }),
      { numRuns: 400 },
    );
  });

  it('on ECS, keeps within the deployment percents as ECS rounds them: running at most the maximum rounded down, healthy at least the minimum rounded up (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), quantity, quantity, (desired, maxSurge, maxUnavailable) => {
        fc.pre(!(maxSurge.isZero && maxUnavailable.isZero));
        const settings = policy(maxSurge, maxUnavailable);
        const percents = ecsDeploymentPercents(settings, desired);
        const running = Math.floor((desired * percents.maximumPercent) / 100);
        const healthy = Math.ceil((desired * percents.minimumHealthyPercent) / 100);
        const { steps, end } = rollingUpdateSteps(
          desired,
          desired,
          rollingBounds({ platform: Platform.ECS, rollingUpdate: settings }, desired),
        );
        for (const p of steps) {
          expect(p.old + p.fresh).toBeLessThanOrEqual(running);
          expect(p.old + p.freshReady).toBeGreaterThanOrEqual(healthy);
        }
        expect(end).toEqual({ old: 0, fresh: desired, freshReady: desired });
      }),
      { numRuns: 400 },
    );
  });

  it('resizing while it rolls: never more than desired + surge, never fewer serving than the old count or desired - unavailable allow (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        quantity,
        quantity,
        (old, desired, maxSurge, maxUnavailable) => {
          fc.pre(!(maxSurge.isZero && maxUnavailable.isZero));
          const bounds = rollingBounds(
            { platform: Platform.KUBERNETES, rollingUpdate: policy(maxSurge, maxUnavailable) },
            desired,
          );
          const { steps, end } = rollingUpdateSteps(old, desired, bounds);
          for (const p of steps) {
            expect(p.old + p.fresh).toBeLessThanOrEqual(desired + bounds.surge);
            expect(p.old + p.freshReady).toBeGreaterThanOrEqual(Math.min(old, desired - bounds.unavailable));
          }
          expect(end).toEqual({ old: 0, fresh: desired, freshReady: desired });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('simulateChange on any change (property)', () => {
  const color = (name: string) =>
    fc.record({
      name: fc.constant(name),
      image: fc.constantFrom('ghcr.io/acme/shop:1', 'ghcr.io/acme/shop:2'),
      replicas: fc.integer({ min: 1, max: 12 }),
    });
  const weights = fc.integer({ min: 0, max: 100 }).map((w) => [w, 100 - w]);
  const policy = fc
    .record({
      maxSurge: fc.oneof(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
      ),
      maxUnavailable: fc.oneof(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`),
      ),
    })
    .filter(
      (p) => !(Number.parseInt(String(p.maxSurge), 10) === 0 && Number.parseInt(String(p.maxUnavailable), 10) === 0),
    );
  const side = fc.tuple(color('red'), color('blue'), weights);
  const build = ([red, blue, [wr, wb]]: [any, any, number[]], rollingUpdate: object, platform: 'kubernetes' | 'ecs') =>
    spec(
      [
        { ...red, weight: wr },
        { ...blue, weight: wb },
      ],
      { rollingUpdate },
      platform,
    );

  it('never runs more than replicas + maxSurge nor serves fewer than the old pods or replicas - maxUnavailable allow, as each platform rounds them', () => {
    fc.assert(
      fc.property(
        side,
        side,
        policy,
        fc.constantFrom('kubernetes' as const, 'ecs' as const),
        (a, b, rollingUpdate, platform) => {
          const previous = build(a, rollingUpdate, platform);
          const current = build(b, rollingUpdate, platform);
          const sim = simulate(previous, current);
          for (const summary of sim.colors.filter((c) => c.rollout === 'rolling update')) {
            const replicas = current.colors.find((c) => c.name === summary.color)!.replicas;
            const old = previous.colors.find((c) => c.name === summary.color)!.replicas;
            for (const step of sim.phases.flatMap((p) => p.steps)) {
              const own = step.colors.find((c) => c.color === summary.color)!;
              expect(own.running).toBeLessThanOrEqual(replicas + summary.maxSurgePods!);
              expect(own.ready).toBeGreaterThanOrEqual(Math.min(old, replicas - summary.maxUnavailablePods!));
              expect(own.capacityPercent).toBeLessThanOrEqual(100 + 1e-9);
            }
          }
          for (const c of sim.after) expect(c.ready).toBe(current.colors.find((x) => x.name === c.color)!.replicas);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('estimateSteps', () => {
  it('on Kubernetes: minReadySeconds + periodSeconds × failureThreshold a step, the grace period to leave', () => {
    const s = spec([{ name: 'red', weight: 100 }], {
      rollingUpdate: { minReadySeconds: 10 },
      healthCheck: { periodSeconds: 5, failureThreshold: 4 },
      drainSeconds: 20,
    });
    expect(estimateSteps(s)).toEqual({
      stepSeconds: 30,
      createSeconds: 30,
      removeSeconds: 30,
      basis: 'minReadySeconds 10 + periodSeconds 5 × failureThreshold 4',
    });
  });

  it("on ECS: a round of the service timeouts' model (start, grace, minReadySeconds, two checks; then drain and stop)", () => {
    // ECS refuses minReadySeconds (nothing in ECS uses it): 0.
    const s = spec([{ name: 'red', weight: 100 }], { healthCheck: { startupSeconds: 70 }, drainSeconds: 20 }, 'ecs');
    // 120 start + 70 grace + 0 + 2 × 10; 20 drain + 30 stop.
    expect(estimateSteps(s)).toMatchObject({ stepSeconds: 260, createSeconds: 210, removeSeconds: 50 });
  });
});

describe('simulateChange', () => {
  const cells = (
    steps: ReadonlyArray<{
      colors: ReadonlyArray<{
        color: string;
        ready: number;
        running: number;
        trafficPercent: number;
        capacityPercent: number;
      }>;
    }>,
  ) =>
    steps.map((s) =>
      s.colors
        .map((c) => `${c.color} ${c.ready}/${c.running} t${c.trafficPercent} c${Math.round(c.capacityPercent)}`)
        .join(', '),
    );

  it('rolls a color step by step, then moves traffic, then removes a retired one', () => {
    const before = spec([
      { name: 'red', weight: 100, replicas: 3 },
      { name: 'orange', weight: 0, replicas: 2 },
      { name: 'yellow', weight: 0 },
    ]);
    const after = spec([
      { name: 'red', weight: 90, replicas: 3 },
      { name: 'orange', image: 'ghcr.io/acme/shop:2', weight: 10, replicas: 2 },
      { name: 'yellow', weight: 0, state: 'retired' },
    ]);
    const sim = simulate(before, after);
    expect(sim.phases.map((p) => [p.title, p.steps.length, p.startSeconds, p.endSeconds])).toEqual([
      ['colors', 2, 0, 60],
      ['router', 1, 60, 60],
      ['retired colors', 1, 60, 100],
    ]);
    expect(cells([{ colors: sim.before }])).toEqual(['red 3/3 t100 c100, orange 2/2 t0 c40, yellow 2/2 t0 c40']);
    expect(cells(sim.phases[0].steps)).toEqual([
      'red 3/3 t100 c100, orange 2/3 t0 c40, yellow 2/2 t0 c40',
      'red 3/3 t100 c100, orange 2/3 t0 c40, yellow 2/2 t0 c40',
    ]);
    expect(sim.phases[0].steps.map((s) => [s.colors[1].old, s.colors[1].new, s.colors[1].surge])).toEqual([
      [2, 1, 1],
      [1, 2, 1],
    ]);
    expect(cells(sim.phases[1].steps)).toEqual(['red 3/3 t90 c60, orange 2/2 t10 c40, yellow 2/2 t0 c29']);
    expect(cells(sim.phases[2].steps)).toEqual(['red 3/3 t90 c60, orange 2/2 t10 c40, yellow 0/0 t0 c0']);
    expect(cells([{ colors: sim.after }])).toEqual(['red 3/3 t90 c60, orange 2/2 t10 c40, yellow 0/0 t0 c0']);
    expect(sim.totalSeconds).toBe(100);
    expect(
      sim.colors.map((c) => [
        c.color,
        c.change,
        c.rollout,
        c.maxSurgePods,
        c.maxUnavailablePods,
        c.lowest?.capacityPercent,
      ]),
    ).toEqual([
      ['red', 'unchanged', 'none', undefined, undefined, 60],
      ['orange', 'updated', 'rolling update', 1, 0, 40],
      ['yellow', 'retired', 'removed', undefined, undefined, undefined],
    ]);
  });

  it('shows the dip of a color that carries traffic while maxUnavailable takes its pods down', () => {
    const before = spec([{ name: 'red', weight: 100, replicas: 4 }], {
      rollingUpdate: { maxSurge: 0, maxUnavailable: '50%' },
    });
    const after = spec([{ name: 'red', image: 'ghcr.io/acme/shop:2', weight: 100, replicas: 4 }], {
      rollingUpdate: { maxSurge: 0, maxUnavailable: '50%' },
    });
    const sim = simulate(before, after);
    expect(cells(sim.phases[0].steps)).toEqual(['red 2/4 t100 c50', 'red 2/4 t100 c50']);
    expect(sim.colors[0].lowest).toEqual({ capacityPercent: 50, ready: 2, desired: 4, phase: 1, step: 1 });
  });

  it("creates a new color's pods at once, and gives it traffic only in the router phase", () => {
    const before = spec([{ name: 'blue', weight: 100 }]);
    const after = spec([
      { name: 'blue', weight: 100 },
      { name: 'green', weight: 0, replicas: 3 },
    ]);
    const sim = simulate(before, after);
    expect(sim.phases.map((p) => p.title)).toEqual(['colors', 'router']);
    expect(cells(sim.phases[0].steps)).toEqual(['blue 2/2 t100 c100, green 0/3 t0 c0']);
    expect(cells([{ colors: sim.after }])).toEqual(['blue 2/2 t100 c100, green 3/3 t0 c60']);
  });

  it('counts an autoscaled color at its maximum', () => {
    const s = spec([
      { name: 'blue', weight: 50, replicas: 2 },
      { name: 'green', weight: 50, autoscaling: { min: 2, max: 6 } },
    ]);
    const sim = simulate(undefined, s);
    expect(cells([{ colors: sim.after }])).toEqual(['blue 2/2 t50 c25, green 2/2 t50 c75']);
  });

  it('scales a color without replacing its pods when only its replicas changed', () => {
    const before = spec([{ name: 'red', weight: 100, replicas: 2 }]);
    const after = spec([{ name: 'red', weight: 100, replicas: 5 }]);
    const sim = simulate(before, after);
    expect(sim.colors[0].rollout).toBe('scaled');
    expect(sim.phases[0].steps.map((s) => [s.colors[0].old, s.colors[0].new, s.colors[0].ready])).toEqual([[0, 5, 2]]);
    expect(cells([{ colors: sim.before }])).toEqual(['red 2/2 t100 c100']);
  });

  it('has no phase and the same state before and after when nothing deploys', () => {
    const s = spec([{ name: 'red', weight: 100 }]);
    const sim = simulate(s, s);
    expect(sim.phases).toEqual([]);
    expect(sim.after).toEqual(sim.before);
  });
});
