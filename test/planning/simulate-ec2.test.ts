import { Quantity } from '../../model/quantity';
import { ROLLING_UPDATE_DEFAULTS } from '../../model/rolling';
import { planChange, simulatePlan } from '../../planning/plan';
import { estimateSteps, refreshBounds, rollingBounds } from '../../planning/simulate';
import { rawEc2Spec } from '../fixtures/ec2';
import { resolvedSpec } from '../spec-helpers';

function spec(mutate: (raw: Record<string, any>) => void = () => undefined) {
  const raw = rawEc2Spec();
  raw.colors[0].replicas = 4;
  raw.healthCheck = { periodSeconds: 10, startupSeconds: 120 };
  raw.rollingUpdate = { maxSurge: '50%', maxUnavailable: 0, minReadySeconds: 60 };
  raw.drainSeconds = 30;
  mutate(raw);
  return resolvedSpec(raw);
}

/** A new instance type for red: its launch template changes, and the engine refreshes its instances. */
const refreshRed = (raw: Record<string, any>) => {
  raw.colors[0].instanceType = 't3.medium';
};

describe('the preview of an ec2 color: an instance refresh, not an ECS deployment', () => {
  it('estimates a round of the refresh: start, grace, two checks, the warm-up, then the drain', () => {
    expect(estimateSteps(spec())).toEqual({
      stepSeconds: 300 + 120 + 2 * 10 + 60 + 30,
      createSeconds: 300 + 120 + 2 * 10,
      removeSeconds: 30,
      basis:
        'instance refresh, no checkpoints: instance start 300 + grace 120 + 2 × periodSeconds 10 + warm-up 60 (minReadySeconds), then drain 30',
    });
  });

  it('counts instances as the refresh percents allow them, Auto Scaling rounding the minimum up', () => {
    const policy = (maxSurge: Quantity, maxUnavailable: Quantity) => ({
      platform: spec().platform,
      rollingUpdate: { ...ROLLING_UPDATE_DEFAULTS, maxSurge, maxUnavailable },
    });
    expect(rollingBounds(policy(Quantity.percent(25), Quantity.count(0)), 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(rollingBounds(policy(Quantity.count(0), Quantity.count(1)), 3)).toEqual({ surge: 0, unavailable: 1 });
    // 3 instances, 50% and 50%: min 67% (raised so that max - min ≤ 100), so no instance below 3.
    expect(rollingBounds(policy(Quantity.percent(50), Quantity.percent(50)), 3)).toEqual({ surge: 2, unavailable: 0 });
    expect(refreshBounds({ minHealthyPercentage: 100, maxHealthyPercentage: 100 }, 2)).toEqual({
      surge: 0,
      unavailable: 1,
    });
  });

  it("replaces red's 4 instances 2 at a time, launched first, at 530 s a round", () => {
    const previous = spec();
    const current = spec(refreshRed);
    const simulation = simulatePlan(previous, current, planChange(previous, current));
    expect(simulation.unit).toEqual({ one: 'instance', many: 'instances', rollout: 'instance refresh' });
    const red = simulation.colors.find((c) => c.color === 'red')!;
    expect(red).toMatchObject({
      rollout: 'rolling update',
      maxSurgePods: 2,
      maxUnavailablePods: 0,
      refresh: { minHealthyPercentage: 100, maxHealthyPercentage: 150, instanceWarmupSeconds: 60 },
    });
    const phase = simulation.phases[0];
    expect(phase.title).toBe('colors');
    expect(
      phase.steps.map((s) => {
        const c = s.colors.find((x) => x.color === 'red')!;
        return [s.startSeconds, c.old, c.new, c.ready];
      }),
    ).toEqual([
      [0, 4, 2, 4],
      [530, 2, 4, 4],
    ]);
    expect(phase.endSeconds).toBe(2 * 530);
  });

  it('shows the preferences the engine starts the refresh with, alarms included', () => {
    const previous = spec();
    const current = spec((raw) => {
      refreshRed(raw);
      raw.ec2.alarms = ['shop-5xx'];
    });
    const red = simulatePlan(previous, current, planChange(previous, current)).colors.find((c) => c.color === 'red')!;
    expect(red.refresh).toEqual({
      minHealthyPercentage: 100,
      maxHealthyPercentage: 150,
      instanceWarmupSeconds: 60,
      alarms: ['shop-5xx'],
    });
  });
});
