import fc from 'fast-check';
import { startupProbeTiming } from '../../model/probes';
import { MAX_STARTUP_SECONDS } from '../../model/types';

describe('startupProbeTiming', () => {
  it('allows at least startupSeconds, and less than one probe period more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_STARTUP_SECONDS }), (seconds) => {
        const timing = startupProbeTiming(seconds)!;
        const allowance = timing.periodSeconds * timing.failureThreshold;
        expect(allowance).toBeGreaterThanOrEqual(seconds);
        expect(allowance).toBeLessThan(seconds + timing.periodSeconds);
        expect(Number.isInteger(timing.failureThreshold) && timing.failureThreshold >= 1).toBe(true);
      }),
    );
  });

  it('probes every 10 s, or every second below 10 s', () => {
    expect(startupProbeTiming(60)).toEqual({ periodSeconds: 10, failureThreshold: 6 });
    expect(startupProbeTiming(9)).toEqual({ periodSeconds: 1, failureThreshold: 9 });
  });

  it('has no startup probe for 0', () => {
    expect(startupProbeTiming(0)).toBeUndefined();
  });
});
