import { Quantity } from '../../model/quantity';

describe('Quantity', () => {
  it('renders counts and percents the way Kubernetes reads IntOrString', () => {
    expect(Quantity.count(1).toString()).toBe('1');
    expect(Quantity.percent(25).toString()).toBe('25%');
  });

  it('parses the spec forms: a whole number or "N%"', () => {
    expect(Quantity.parse(3)).toEqual(Quantity.count(3));
    expect(Quantity.parse('0%')).toEqual(Quantity.percent(0));
    expect(Quantity.parse('100%')).toEqual(Quantity.percent(100));
  });

  it.each([[-1], [1.5], ['101%'], ['25'], ['25 %'], ['%'], [null], [true], [{}]])('does not parse %p', (value) => {
    expect(Quantity.parse(value)).toBeUndefined();
  });

  it('resolves a percent up for surge and down for unavailable, as Kubernetes does', () => {
    expect(Quantity.percent(25).resolve(3, true)).toBe(1);
    expect(Quantity.percent(25).resolve(3, false)).toBe(0);
    expect(Quantity.percent(50).resolve(4, false)).toBe(2);
    expect(Quantity.count(2).resolve(100, false)).toBe(2);
  });

  it('fails for a percent above 100', () => {
    expect(() => Quantity.percent(150)).toThrow(
      'Quantity.percent(150): received 150; expected a whole number from 0 to 100',
    );
  });

  it('fails for a negative or fractional count', () => {
    expect(() => Quantity.count(-1)).toThrow('Quantity.count(-1): received -1; expected a whole number of at least 0');
    expect(() => Quantity.count(0.5)).toThrow(
      'Quantity.count(0.5): received 0.5; expected a whole number of at least 0',
    );
  });
});
