import fc from 'fast-check';
import { circuitBreakerThreshold, ecsServiceTimeouts, EcsTimeoutInputs } from '../../model/ecs-timeouts';
import { Quantity } from '../../model/quantity';
import { ROLLING_UPDATE_DEFAULTS } from '../../model/rolling';

const inputs = (over: Partial<EcsTimeoutInputs> = {}): EcsTimeoutInputs => ({
  rollingUpdate: ROLLING_UPDATE_DEFAULTS,
  replicas: 4,
  drainSeconds: 3600,
  graceSeconds: 60,
  healthCheck: { periodSeconds: 10, failureThreshold: 3 },
  ...over,
});

describe('circuitBreakerThreshold', () => {
  it.each([
    [1, 3],
    [2, 3],
    [6, 3],
    [7, 4],
    [10, 5],
    [400, 200],
    [1000, 200],
  ])('with %d tasks is %d failed tasks', (replicas, threshold) => {
    expect(circuitBreakerThreshold(replicas)).toBe(threshold);
  });
});

describe('ecsServiceTimeouts', () => {
  it('gives a one-hour drain, one task at a time, the time of the rollout and of a rollback', () => {
    // One task per round (25% of 4 rounds up to 1, none unavailable): 4 rounds.
    // A round: start 120 + grace 60 + minReady 0 + 2 checks of 10 s, then drain 3600 + stop 30 = 3830 s.
    // Update: 4 rounds, then 3 failed tasks one at a time (120 + 60 + 3 × 10 + 30 = 240 s each), then 4 rounds back.
    expect(ecsServiceTimeouts(inputs())).toEqual({
      createSeconds: 1200,
      updateSeconds: 4 * 3830 + 3 * 240 + 4 * 3830,
      deleteSeconds: 3630 + 300,
    });
  });

  it('counts rounds of surge plus unavailable tasks', () => {
    const rollingUpdate = {
      ...ROLLING_UPDATE_DEFAULTS,
      maxSurge: Quantity.count(2),
      maxUnavailable: Quantity.count(1),
    };
    // 3 tasks a round: 10 tasks in 4 rounds of 120 + 60 + 20 + 630 = 830 s; 5 failures in 2 rounds of 240 s.
    expect(ecsServiceTimeouts(inputs({ rollingUpdate, replicas: 10, drainSeconds: 600 })).updateSeconds).toBe(
      4 * 830 + 2 * 240 + 4 * 830,
    );
  });

  it("never goes below the provider's 20 minutes", () => {
    expect(ecsServiceTimeouts(inputs({ replicas: 1, drainSeconds: 0, graceSeconds: 0 }))).toEqual({
      createSeconds: 1200,
      updateSeconds: 1200,
      deleteSeconds: 1200,
    });
  });

  it('waits longer for every extra second of drain, grace or soak (property)', () => {
    const quantity = fc.oneof(
      fc.integer({ min: 0, max: 5 }).map(Quantity.count),
      fc.integer({ min: 0, max: 100 }).map(Quantity.percent),
    );
    const arbitrary = fc.record({
      maxSurge: quantity,
      maxUnavailable: quantity,
      minReadySeconds: fc.integer({ min: 0, max: 3600 }),
      replicas: fc.integer({ min: 1, max: 200 }),
      drainSeconds: fc.integer({ min: 0, max: 3600 }),
      graceSeconds: fc.integer({ min: 0, max: 3600 }),
      periodSeconds: fc.integer({ min: 5, max: 300 }),
      failureThreshold: fc.integer({ min: 2, max: 10 }),
    });
    fc.assert(
      fc.property(arbitrary, (a) => {
        fc.pre(!(a.maxSurge.isZero && a.maxUnavailable.isZero));
        const of = (over: Partial<typeof a> = {}) => {
          const b = { ...a, ...over };
          return ecsServiceTimeouts({
            rollingUpdate: {
              ...ROLLING_UPDATE_DEFAULTS,
              maxSurge: b.maxSurge,
              maxUnavailable: b.maxUnavailable,
              minReadySeconds: b.minReadySeconds,
            },
            replicas: b.replicas,
            drainSeconds: b.drainSeconds,
            graceSeconds: b.graceSeconds,
            healthCheck: { periodSeconds: b.periodSeconds, failureThreshold: b.failureThreshold },
          });
        };
        const t = of();
        for (const seconds of [t.createSeconds, t.updateSeconds, t.deleteSeconds])
          expect(seconds).toBeGreaterThanOrEqual(1200);
        // A deletion outlasts the drain; an update outlasts two drains (the rollout's and the rollback's).
        expect(t.deleteSeconds).toBeGreaterThan(a.drainSeconds + 30);
        expect(t.updateSeconds).toBeGreaterThan(2 * a.drainSeconds);
        for (const more of [
          { drainSeconds: a.drainSeconds + 1 },
          { graceSeconds: a.graceSeconds + 1 },
          { minReadySeconds: a.minReadySeconds + 1 },
        ]) {
          expect(of(more).updateSeconds).toBeGreaterThanOrEqual(t.updateSeconds);
        }
      }),
      { numRuns: 300 },
    );
  });
});
