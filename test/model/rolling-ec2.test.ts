import fc from 'fast-check';
import { Quantity } from '../../model/quantity';
import {
  ec2InstanceRefresh,
  ec2InstanceRefreshProblems,
  eksUpdateConfig,
  eksUpdateProblems,
  INSTANCE_REFRESH_LIMITS,
  ROLLING_UPDATE_DEFAULTS,
} from '../../model/rolling';

const settings = (maxSurge: Quantity, maxUnavailable: Quantity) => ({
  ...ROLLING_UPDATE_DEFAULTS,
  maxSurge,
  maxUnavailable,
});
const quantity = fc.oneof(
  fc.integer({ min: 0, max: 120 }).map(Quantity.count),
  fc.integer({ min: 0, max: 100 }).map(Quantity.percent),
);

/**
 * Instances Auto Scaling keeps with the percents: the minimum healthy rounds up (RefreshPreferences), the maximum down.
 */
const asgCounts = (desired: number, p: { minHealthyPercentage: number; maxHealthyPercentage: number }) => ({
  healthy: Math.ceil((desired * p.minHealthyPercentage) / 100),
  inService: Math.floor((desired * p.maxHealthyPercentage) / 100),
});

describe('ec2InstanceRefresh', () => {
  it.each([
    // desired, maxSurge, maxUnavailable, min_healthy_percentage, max_healthy_percentage, max_size
    [1, Quantity.percent(25), Quantity.count(0), 100, 200, 2],
    [2, Quantity.percent(25), Quantity.count(0), 100, 150, 3],
    [3, Quantity.percent(25), Quantity.count(0), 100, 134, 4],
    [1, Quantity.count(1), Quantity.count(0), 100, 200, 2],
    [2, Quantity.count(1), Quantity.count(0), 100, 150, 3],
    [3, Quantity.count(1), Quantity.count(0), 100, 134, 4],
    [2, Quantity.count(2), Quantity.count(0), 100, 200, 4],
    [1, Quantity.count(0), Quantity.count(1), 0, 100, 1],
    [2, Quantity.count(0), Quantity.count(1), 50, 100, 2],
    [3, Quantity.count(0), Quantity.count(1), 66, 100, 3],
    [3, Quantity.count(0), Quantity.count(3), 0, 100, 3],
    [2, Quantity.count(1), Quantity.count(1), 50, 150, 3],
    [1, Quantity.percent(100), Quantity.count(0), 100, 200, 2],
    [2, Quantity.percent(100), Quantity.count(0), 100, 200, 4],
    [3, Quantity.percent(100), Quantity.count(0), 100, 200, 6],
    [1, Quantity.percent(50), Quantity.percent(50), 100, 200, 2],
    [2, Quantity.percent(50), Quantity.percent(50), 50, 150, 3],
    [2, Quantity.count(0), Quantity.percent(10), 50, 100, 2],
    [3, Quantity.count(0), Quantity.percent(100), 0, 100, 3],
    [0, Quantity.percent(25), Quantity.count(0), 100, 200, 1],
  ])(
    'with %d instances, maxSurge %s and maxUnavailable %s gives min %d%%, max %d%% and max_size %d',
    (desired, maxSurge, maxUnavailable, min, max, maxSize) => {
      const values = ec2InstanceRefresh(settings(maxSurge, maxUnavailable), desired);
      expect([values.minHealthyPercentage, values.maxHealthyPercentage, values.maxSize]).toEqual([min, max, maxSize]);
      expect(ec2InstanceRefreshProblems(settings(maxSurge, maxUnavailable), desired, 'red')).toEqual([]);
    },
  );

  it('raises the minimum to 100 below the maximum when only rounding puts them 101 apart: one instance fewer may be unavailable', () => {
    // 3 instances, surge 1 and unavailable 2: 133.3% and 33.3% are 134 and 33 as whole percents.
    expect(ec2InstanceRefresh(settings(Quantity.count(1), Quantity.count(2)), 3)).toEqual({
      minHealthyPercentage: 34,
      maxHealthyPercentage: 134,
      surge: 1,
      unavailable: 2,
      maxSize: 4,
    });
    expect(asgCounts(3, { minHealthyPercentage: 34, maxHealthyPercentage: 134 })).toEqual({ healthy: 2, inService: 4 });
    expect(ec2InstanceRefresh(settings(Quantity.percent(50), Quantity.percent(50)), 3)).toEqual({
      minHealthyPercentage: 67,
      maxHealthyPercentage: 167,
      surge: 2,
      unavailable: 1,
      maxSize: 5,
    });
  });

  it('refuses a surge and unavailable count above the instance count, naming the limit, for 1 to 3 instances', () => {
    expect(ec2InstanceRefreshProblems(settings(Quantity.count(1), Quantity.count(1)), 1, 'red')).toEqual([
      {
        path: '',
        message:
          'received maxSurge 1 and maxUnavailable 1, 1 + 1 of the 1 instance of red; an EC2 instance refresh allows max_healthy_percentage 100 to 200 and at most 100 between it and min_healthy_percentage, so expected maxSurge + maxUnavailable of at most 1 (more replicas, or a smaller maxSurge or maxUnavailable)',
      },
    ]);
    expect(ec2InstanceRefreshProblems(settings(Quantity.count(3), Quantity.count(0)), 2, 'orange')[0].message).toBe(
      'received maxSurge 3 and maxUnavailable 0, 3 + 0 of the 2 instances of orange; an EC2 instance refresh allows max_healthy_percentage 100 to 200 and at most 100 between it and min_healthy_percentage, so expected maxSurge + maxUnavailable of at most 2 (more replicas, or a smaller maxSurge or maxUnavailable)',
    );
    expect(
      ec2InstanceRefreshProblems(settings(Quantity.percent(100), Quantity.percent(50)), 3, 'yellow')[0].message,
    ).toMatch(/^received maxSurge 100% and maxUnavailable 50%, 3 \+ 1 of the 3 instances of yellow; /);
    expect(
      ec2InstanceRefreshProblems(settings(Quantity.percent(60), Quantity.percent(60)), 2, 'red')[0].message,
    ).toMatch(/^received maxSurge 60% and maxUnavailable 60%, 2 \+ 1 of the 2 instances of red; /);
  });

  it('gives percents AWS takes and keeps the counts Kubernetes would, for any policy it does not refuse, up to 100 instances (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), quantity, quantity, (desired, maxSurge, maxUnavailable) => {
        fc.pre(!(maxSurge.isZero && maxUnavailable.isZero));
        const policy = settings(maxSurge, maxUnavailable);
        const surge = maxSurge.resolve(desired, true);
        let unavailable = Math.min(desired, maxUnavailable.resolve(desired, false));
        if (surge === 0 && unavailable === 0) unavailable = 1;
        const refused = ec2InstanceRefreshProblems(policy, desired, 'red').length > 0;
        expect(refused).toBe(surge + unavailable > desired);
        if (refused) return;
        const values = ec2InstanceRefresh(policy, desired);
        const { maxHealthyPercentage: max, minHealthyPercentage: min } = values;
        expect(max).toBeGreaterThanOrEqual(INSTANCE_REFRESH_LIMITS.maxHealthyPercentage.min);
        expect(max).toBeLessThanOrEqual(INSTANCE_REFRESH_LIMITS.maxHealthyPercentage.max);
        expect(min).toBeGreaterThanOrEqual(INSTANCE_REFRESH_LIMITS.minHealthyPercentage.min);
        expect(min).toBeLessThanOrEqual(INSTANCE_REFRESH_LIMITS.minHealthyPercentage.max);
        expect(max - min).toBeLessThanOrEqual(INSTANCE_REFRESH_LIMITS.spread);
        expect(values.maxSize).toBe(desired + surge);
        const counts = asgCounts(desired, values);
        expect(counts.inService).toBe(desired + surge);
        // Never fewer healthy than asked; at most one more, where whole percents cannot say it.
        expect(counts.healthy - (desired - unavailable)).toBeGreaterThanOrEqual(0);
        expect(counts.healthy - (desired - unavailable)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('eksUpdateConfig', () => {
  it.each([
    [Quantity.count(0), { maxUnavailable: 1 }],
    [Quantity.count(1), { maxUnavailable: 1 }],
    [Quantity.count(2), { maxUnavailable: 2 }],
    [Quantity.count(3), { maxUnavailable: 3 }],
    [Quantity.count(100), { maxUnavailable: 100 }],
    [Quantity.percent(0), { maxUnavailable: 1 }],
    [Quantity.percent(1), { maxUnavailablePercentage: 1 }],
    [Quantity.percent(33), { maxUnavailablePercentage: 33 }],
    [Quantity.percent(100), { maxUnavailablePercentage: 100 }],
  ])('maps maxUnavailable %s to %j', (maxUnavailable, expected) => {
    const policy = settings(ROLLING_UPDATE_DEFAULTS.maxSurge, maxUnavailable);
    expect(eksUpdateConfig(policy)).toEqual(expected);
    expect(eksUpdateProblems(policy)).toEqual([]);
  });

  it('refuses more than 100 nodes at once, naming the limit', () => {
    expect(eksUpdateProblems(settings(ROLLING_UPDATE_DEFAULTS.maxSurge, Quantity.count(101)))).toEqual([
      {
        path: 'maxUnavailable',
        message:
          'received 101; expected at most 100: an EKS managed node group updates at most 100 nodes in parallel (update_config.max_unavailable is 1 to 100)',
      },
    ]);
  });

  it.each([Quantity.count(1), Quantity.count(0), Quantity.percent(50), Quantity.percent(26)])(
    'refuses maxSurge %s, which EKS does not take',
    (maxSurge) => {
      expect(eksUpdateProblems(settings(maxSurge, Quantity.count(1)))).toEqual([
        {
          path: 'maxSurge',
          message: `received ${maxSurge.toString()}; expected the default 25%: an EKS managed node group chooses its own surge (up to twice its Availability Zones, or maxUnavailable nodes, launched before any node is drained), so no other maxSurge can be honoured`,
        },
      ]);
    },
  );
});
