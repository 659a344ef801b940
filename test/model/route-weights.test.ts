import fc from 'fast-check';
import { weightSumProblems } from '../../model/route-weights';

describe('weightSumProblems', () => {
  it('fails when the weights do not add up to 100, naming each term', () => {
    expect(
      weightSumProblems([
        { name: 'red', weight: 60 },
        { name: 'orange', weight: 30 },
      ]),
    ).toEqual([
      {
        path: 'colors',
        message:
          'the weights of the colors that are not retired add up to 90 (red 60 + orange 30); expected exactly 100',
      },
    ]);
  });

  it('accepts exactly the lists of whole percents that add up to 100 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 }), (weights) => {
        const problems = weightSumProblems(weights.map((weight, i) => ({ name: `c${i}`, weight })));
        expect(problems.length === 0).toBe(weights.reduce((a, b) => a + b, 0) === 100);
      }),
    );
  });
});
