import fc from 'fast-check';
import { Quantity } from '../../model/quantity';
import { ecsDeploymentPercents, ROLLING_UPDATE_DEFAULTS } from '../../model/rolling';

const settings = (maxSurge: Quantity, maxUnavailable: Quantity) => ({
  ...ROLLING_UPDATE_DEFAULTS,
  maxSurge,
  maxUnavailable,
});

/** What ECS does with the percents: the maximum rounds down, the minimum up. */
const ecsCounts = (desired: number, p: { minimumHealthyPercent: number; maximumPercent: number }) => ({
  healthy: Math.ceil((desired * p.minimumHealthyPercent) / 100),
  running: Math.floor((desired * p.maximumPercent) / 100),
});

describe('ecsDeploymentPercents', () => {
  it.each([
    // desired, maxSurge, maxUnavailable, minimumHealthyPercent, maximumPercent
    [1, Quantity.percent(25), Quantity.count(0), 100, 200],
    [2, Quantity.percent(25), Quantity.count(0), 100, 150],
    [3, Quantity.percent(25), Quantity.count(0), 100, 134],
    [1, Quantity.count(1), Quantity.count(0), 100, 200],
    [2, Quantity.count(1), Quantity.count(0), 100, 150],
    [3, Quantity.count(1), Quantity.count(0), 100, 134],
    [1, Quantity.count(0), Quantity.count(1), 0, 100],
    [2, Quantity.count(0), Quantity.count(1), 50, 100],
    [3, Quantity.count(0), Quantity.count(1), 66, 100],
    [3, Quantity.percent(50), Quantity.percent(50), 66, 167],
    [2, Quantity.count(0), Quantity.percent(10), 50, 100],
    [3, Quantity.count(2), Quantity.count(5), 0, 167],
    [0, Quantity.percent(25), Quantity.count(0), 100, 200],
  ])(
    'with %d tasks, maxSurge %s and maxUnavailable %s gives minimum %d%% and maximum %d%%',
    (desired, maxSurge, maxUnavailable, min, max) => {
      expect(ecsDeploymentPercents(settings(maxSurge, maxUnavailable), desired)).toEqual({
        minimumHealthyPercent: min,
        maximumPercent: max,
      });
    },
  );

  it('makes ECS keep the same task counts as Kubernetes, for any policy and up to 100 tasks (property)', () => {
    const quantity = fc.oneof(
      fc.integer({ min: 0, max: 10 }).map(Quantity.count),
      fc.integer({ min: 0, max: 100 }).map(Quantity.percent),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), quantity, quantity, (desired, maxSurge, maxUnavailable) => {
        fc.pre(!(maxSurge.isZero && maxUnavailable.isZero));
        const surge = maxSurge.resolve(desired, true);
        let unavailable = Math.min(desired, maxUnavailable.resolve(desired, false));
        if (surge === 0 && unavailable === 0) unavailable = 1;
        const counts = ecsCounts(desired, ecsDeploymentPercents(settings(maxSurge, maxUnavailable), desired));
        expect(counts).toEqual({ healthy: desired - unavailable, running: desired + surge });
      }),
      { numRuns: 500 },
    );
  });
});
