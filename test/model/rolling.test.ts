import { Quantity } from '../../model/quantity';
import {
  disruptionBudgetMaxUnavailable,
  kubernetesRollingUpdate,
  ROLLING_UPDATE_DEFAULTS,
  validateRollingUpdate,
} from '../../model/rolling';

describe('rolling update policy', () => {
  it('defaults to zero downtime: maxSurge 25%, maxUnavailable 0, deadline 600 s', () => {
    expect(kubernetesRollingUpdate(ROLLING_UPDATE_DEFAULTS)).toEqual({ maxSurge: '25%', maxUnavailable: '0' });
    expect(ROLLING_UPDATE_DEFAULTS.progressDeadlineSeconds).toBe(600);
    expect(validateRollingUpdate(ROLLING_UPDATE_DEFAULTS)).toEqual([]);
  });

  it('fails when maxSurge and maxUnavailable are both zero, in any form', () => {
    const settings = { ...ROLLING_UPDATE_DEFAULTS, maxSurge: Quantity.percent(0), maxUnavailable: Quantity.count(0) };
    expect(validateRollingUpdate(settings)).toEqual([
      {
        path: 'maxSurge',
        message:
          'received 0% with maxUnavailable 0; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced',
      },
    ]);
  });

  it('fails when the progress deadline is not after minReadySeconds', () => {
    const settings = { ...ROLLING_UPDATE_DEFAULTS, minReadySeconds: 30, progressDeadlineSeconds: 30 };
    expect(validateRollingUpdate(settings)).toEqual([
      {
        path: 'progressDeadlineSeconds',
        message:
          'received 30 with minReadySeconds 30; expected more than minReadySeconds, or every rollout would time out',
      },
    ]);
  });

  it('fails for seconds out of range', () => {
    const settings = { ...ROLLING_UPDATE_DEFAULTS, minReadySeconds: -1, progressDeadlineSeconds: 0 };
    expect(validateRollingUpdate(settings)).toEqual([
      { path: 'minReadySeconds', message: 'received -1; expected a whole number of seconds from 0 to 3600' },
      { path: 'progressDeadlineSeconds', message: 'received 0; expected a whole number of seconds from 1 to 86400' },
    ]);
  });

  describe('disruption budget', () => {
    it.each([
      [Quantity.count(0), 1, 1],
      [Quantity.count(0), 5, 1],
      [Quantity.count(2), 5, 2],
      [Quantity.percent(25), 3, 1],
      [Quantity.percent(50), 4, 2],
      [Quantity.percent(50), 5, 2],
      [Quantity.percent(100), 1, 1],
    ])('allows max(1, maxUnavailable=%s resolved down) at %d replicas: %d', (maxUnavailable, replicas, expected) => {
      expect(disruptionBudgetMaxUnavailable({ ...ROLLING_UPDATE_DEFAULTS, maxUnavailable }, replicas)).toBe(expected);
    });
  });
});
