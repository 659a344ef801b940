import fc from 'fast-check';
import { apportion, shiftWeights } from '../../model/weights';

const weights = (result: ReturnType<typeof shiftWeights>) =>
  'weights' in result ? Object.fromEntries(result.weights) : result;

describe('apportion', () => {
  it('splits in proportion with the largest remainders, ties broken by name', () => {
    expect(
      Object.fromEntries(
        apportion(10, [
          { name: 'b', weight: 1 },
          { name: 'a', weight: 1 },
          { name: 'c', weight: 1 },
        ]),
      ),
    ).toEqual({ a: 4, b: 3, c: 3 });
    expect(
      Object.fromEntries(
        apportion(50, [
          { name: 'red', weight: 60 },
          { name: 'blue', weight: 30 },
        ]),
      ),
    ).toEqual({ red: 33, blue: 17 });
  });

  it('splits evenly when every share is 0', () => {
    expect(
      Object.fromEntries(
        apportion(100, [
          { name: 'x', weight: 0 },
          { name: 'y', weight: 0 },
          { name: 'z', weight: 0 },
        ]),
      ),
    ).toEqual({ x: 34, y: 33, z: 33 });
  });

  it('always hands out exactly the total, whatever the shares (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 }),
        (total, shares) => {
          const result = apportion(
            total,
            shares.map((weight, i) => ({ name: `c${i}`, weight })),
          );
          expect([...result.values()].reduce((a, b) => a + b, 0)).toBe(total);
          expect([...result.values()].every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
        },
      ),
    );
  });

  it('does not depend on the order of the colors (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.uniqueArray(
          fc.record({ name: fc.stringMatching(/^[a-z]{1,6}$/), weight: fc.integer({ min: 0, max: 100 }) }),
          { selector: (c) => c.name, minLength: 1, maxLength: 8 },
        ),
        (total, shares) => {
          expect(Object.fromEntries(apportion(total, shares))).toEqual(
            Object.fromEntries(apportion(total, [...shares].reverse())),
          );
        },
      ),
    );
  });
});

describe('shiftWeights', () => {
  const rainbow = [
    { name: 'red', weight: 60 },
    { name: 'orange', weight: 30 },
    { name: 'yellow', weight: 10 },
  ];

  it('gives the color its percent and the others the rest in proportion', () => {
    expect(weights(shiftWeights(rainbow, 'yellow', 40))).toEqual({ red: 40, orange: 20, yellow: 40 });
  });

  it('takes the difference from one color with from', () => {
    expect(weights(shiftWeights(rainbow, 'yellow', 25, 'red'))).toEqual({ red: 45, orange: 30, yellow: 25 });
  });

  it('refuses when the color given with from cannot give enough', () => {
    expect(shiftWeights(rainbow, 'yellow', 50, 'orange')).toEqual({
      refused: 'orange has 30%; it cannot give yellow 40 more',
    });
  });

  it('shares evenly between colors at 0 when no other color has traffic', () => {
    expect(
      weights(
        shiftWeights(
          [
            { name: 'blue', weight: 100 },
            { name: 'green', weight: 0 },
            { name: 'teal', weight: 0 },
          ],
          'blue',
          50,
        ),
      ),
    ).toEqual({ blue: 50, green: 25, teal: 25 });
  });

  it('refuses to move traffic away from the only color', () => {
    expect(shiftWeights([{ name: 'blue', weight: 100 }], 'blue', 50)).toEqual({
      refused: 'blue is the only color that is not retired; it must keep 100%',
    });
  });

  it('always leaves whole weights adding up to 100, the target at its percent (property)', () => {
    const colors = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 16 }).map((parts) => {
      const sum = parts.reduce((a, b) => a + b, 0) || 1;
      const scaled = apportion(
        100,
        parts.map((w, i) => ({ name: `c${i}`, weight: sum === 0 ? 1 : w })),
      );
      return [...scaled].map(([name, weight]) => ({ name, weight }));
    });
    fc.assert(
      fc.property(colors, fc.integer({ min: 0, max: 100 }), fc.nat(), (cs, percent, pick) => {
        const target = cs[pick % cs.length].name;
        const result = shiftWeights(cs, target, percent);
        if (!('weights' in result)) throw new Error(result.refused);
        expect(result.weights.get(target)).toBe(percent);
        expect([...result.weights.values()].reduce((a, b) => a + b, 0)).toBe(100);
      }),
    );
  });
});
