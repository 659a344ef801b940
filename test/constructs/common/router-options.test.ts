import { duration } from '../../../constructs/common/router-options';

describe('duration', () => {
  it.each([
    [1, '1s'],
    [60, '1m'],
    [90, '1m30s'],
    [3600, '1h'],
    [3661, '1h1m1s'],
    [86400, '24h'],
    [604800, '168h'],
  ])('renders %d seconds as %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});
