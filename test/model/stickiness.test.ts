import fc from 'fast-check';
import { weightedBackends } from '../../model/stickiness';

describe('weightedBackends', () => {
  const colors = [
    { name: 'red', weight: 0 },
    { name: 'orange', weight: 70 },
    { name: 'yellow', weight: 30 },
  ];

  it('lists every color, weight 0 included, without stickiness', () => {
    expect(weightedBackends(colors, undefined)).toEqual(colors);
  });

  it('lists only the colors above weight 0 with stickiness', () => {
    expect(weightedBackends(colors, 60)).toEqual([
      { name: 'orange', weight: 70 },
      { name: 'yellow', weight: 30 },
    ]);
  });

  it('keeps every weight and the file order, and never drops a color with traffic (property)', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 16 });
    fc.assert(
      fc.property(weights, fc.option(fc.integer({ min: 1, max: 604800 }), { nil: undefined }), (ws, sticky) => {
        const list = ws.map((weight, i) => ({ name: `c${i}`, weight }));
        const backends = weightedBackends(list, sticky);
        expect(backends.reduce((sum, c) => sum + c.weight, 0)).toBe(ws.reduce((sum, w) => sum + w, 0));
        expect(list.filter((c) => backends.includes(c))).toEqual(backends);
        if (sticky !== undefined) expect(backends.every((c) => c.weight > 0)).toBe(true);
      }),
    );
  });
});
