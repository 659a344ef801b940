import { RollingUpdatePolicy } from '../../../constructs/rolling/rolling-update-policy';
import { Quantity } from '../../../model/quantity';

describe('RollingUpdatePolicy', () => {
  it('resolves the zero-downtime defaults into its fields', () => {
    const policy = RollingUpdatePolicy.of();
    expect(policy.maxSurge).toEqual(Quantity.percent(25));
    expect(policy.maxUnavailable).toEqual(Quantity.count(0));
    expect(policy.minReadySeconds).toBe(0);
    expect(policy.progressDeadlineSeconds).toBe(600);
    expect(RollingUpdatePolicy.zeroDowntime()).toEqual(policy);
  });

  it('maps onto a Kubernetes rolling update', () => {
    const policy = RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.percent(10) });
    expect(policy.kubernetesRollingUpdate()).toEqual({ maxSurge: '1', maxUnavailable: '10%' });
  });

  it('never gives a disruption budget that blocks every eviction', () => {
    expect(RollingUpdatePolicy.zeroDowntime().disruptionBudgetMaxUnavailable(1)).toBe(1);
  });

  it('fails when maxSurge and maxUnavailable are both zero, listing every problem', () => {
    expect(() =>
      RollingUpdatePolicy.of({ maxSurge: Quantity.count(0), minReadySeconds: 60, progressDeadlineSeconds: 30 }),
    ).toThrow(
      'RollingUpdatePolicy:\n' +
        'progressDeadlineSeconds: received 30 with minReadySeconds 60; expected more than minReadySeconds, or every rollout would time out\n' +
        'maxSurge: received 0 with maxUnavailable 0; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced',
    );
  });
});
