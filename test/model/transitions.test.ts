import fc from 'fast-check';
import {
  addColor,
  drainColor,
  promoteColor,
  pruneColors,
  retireColor,
  shiftColor,
  stepColor,
  TransitionResult,
} from '../../model/transitions';
import { RainbowSpec } from '../../model/types';
import { applyEdits } from '../../spec-file/edit-text';
import { parseSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';
import { rawSpec, resolvedSpec } from '../spec-helpers';

const SPEC = `# the shop, three colors
app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }   # attached here
  host: shop.example.com
progression:
  steps: [5, 25, 50, 100]
colors:
  - name: red          # stable
    image: ghcr.io/acme/shop:1.4.0
    weight: 60
  - name: orange
    image: "ghcr.io/acme/shop:1.5.0"
    weight: 30
    replicas: 3
  - name: yellow
    image: ghcr.io/acme/shop:1.6.0
    weight: 10
`;

function specOf(text: string): RainbowSpec {
  const { spec, problems } = validateSpec(parseSpecText(text, 'rainbow.yaml').document);
  if (spec === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return spec;
}

/** Applies a transition to the text, as the command does. */
function apply(text: string, change: (spec: RainbowSpec) => TransitionResult): string {
  const result = change(specOf(text));
  if ('refused' in result) throw new Error(`${result.refused.path}: ${result.refused.message}`);
  return applyEdits(text, result.edits, false);
}

function refusal(change: (spec: RainbowSpec) => TransitionResult, text = SPEC): string {
  const result = change(specOf(text));
  return 'refused' in result ? `${result.refused.path}: ${result.refused.message}` : 'not refused';
}

const weightsOf = (text: string) =>
  Object.fromEntries(specOf(text).colors.map((c) => [c.name, c.state === 'retired' ? 'retired' : c.weight]));

describe('transitions', () => {
  it('shift changes only the weights, byte for byte elsewhere, comments included', () => {
    const after = apply(SPEC, (s) => shiftColor(s, 'yellow', 40));
    expect(weightsOf(after)).toEqual({ red: 40, orange: 20, yellow: 40 });
    expect(after).toBe(
      SPEC.replace('weight: 60', 'weight: 40').replace('weight: 30', 'weight: 20').replace('weight: 10', 'weight: 40'),
    );
  });

  it('shift --from takes the difference from one color', () => {
    expect(weightsOf(apply(SPEC, (s) => shiftColor(s, 'yellow', 25, 'red')))).toEqual({
      red: 45,
      orange: 30,
      yellow: 25,
    });
  });

  it('step moves to the next of progression.steps', () => {
    expect(weightsOf(apply(SPEC, (s) => stepColor(s, 'yellow')))).toEqual({ red: 50, orange: 25, yellow: 25 });
  });

  it('promote gives a color everything', () => {
    expect(weightsOf(apply(SPEC, (s) => promoteColor(s, 'orange')))).toEqual({ red: 0, orange: 100, yellow: 0 });
  });

  it("drain shares a color's traffic with the others in proportion", () => {
    expect(weightsOf(apply(SPEC, (s) => drainColor(s, 'red')))).toEqual({ red: 0, orange: 75, yellow: 25 });
  });

  it('add appends a color at weight 0 in the style of the others', () => {
    const after = apply(SPEC, (s) => addColor(s, 'green', 'ghcr.io/acme/shop:1.7.0', 2));
    expect(after).toBe(`${SPEC}  - name: green\n    image: ghcr.io/acme/shop:1.7.0\n    weight: 0\n    replicas: 2\n`);
  });

  it('retire marks a drained color retired', () => {
    const drained = apply(SPEC, (s) => drainColor(s, 'red'));
    const after = apply(drained, (s) => retireColor(s, 'red'));
    expect(after).toBe(drained.replace('    weight: 0\n', '    weight: 0\n    state: retired\n'));
  });

  it('prune removes only the colors already retired in the previous spec', () => {
    const retiredRed = apply(
      apply(SPEC, (s) => drainColor(s, 'red')),
      (s) => retireColor(s, 'red'),
    );
    const retiredBoth = apply(
      apply(retiredRed, (s) => drainColor(s, 'yellow')),
      (s) => retireColor(s, 'yellow'),
    );
    const result = pruneColors(specOf(retiredBoth), specOf(retiredRed));
    expect(result.removed).toEqual(['red']);
    const after = applyEdits(retiredBoth, (result as { edits: never[] }).edits, false);
    expect(specOf(after).colors.map((c) => c.name)).toEqual(['orange', 'yellow']);
    expect(after.startsWith('# the shop, three colors\n')).toBe(true);
    expect(after).not.toContain('# stable');
  });

  it('prune removes nothing without a previous spec', () => {
    expect(pruneColors(specOf(SPEC), undefined)).toEqual({ edits: [], removed: [] });
  });

  it.each<[string, (s: RainbowSpec) => TransitionResult, string]>([
    [
      'shift of an unknown color',
      (s) => shiftColor(s, 'pink', 10),
      'color: received "pink"; expected one of the colors in the spec: red, orange, yellow',
    ],
    [
      'shift above 100',
      (s) => shiftColor(s, 'red', 150),
      'percent: received 150; expected a whole number from 0 to 100',
    ],
    [
      'shift by a word',
      (s) => shiftColor(s, 'red', 'half' as unknown as number),
      'percent: received "half"; expected a whole number from 0 to 100',
    ],
    [
      'shift from itself',
      (s) => shiftColor(s, 'red', 10, 'red'),
      '--from: received "red", the color being shifted; expected another color to take the difference from',
    ],
    [
      'shift from a color that has too little',
      (s) => shiftColor(s, 'yellow', 50, 'orange'),
      '--from: orange has 30%; it cannot give yellow 40 more',
    ],
    [
      'add of an existing color',
      (s) => addColor(s, 'red', 'x'),
      'color: received "red", already a color of the spec; expected a new name',
    ],
    [
      'add with a bad name',
      (s) => addColor(s, 'Green', 'x'),
      'color: received "Green"; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters',
    ],
    [
      'add with a bad image',
      (s) => addColor(s, 'green', 'a b'),
      '--image: received "a b"; expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
    ],
    [
      'add with negative replicas',
      (s) => addColor(s, 'green', 'x', -1),
      '--replicas: received -1; expected a whole number from 0 to 10000',
    ],
    [
      'retire of a color with traffic',
      (s) => retireColor(s, 'yellow'),
      'color: yellow still has 10%; drain it to 0 (and deploy) before retiring it',
    ],
  ])('refuses %s', (_name, change, line) => {
    expect(refusal(change)).toBe(line);
  });

  it('refuses step past the last step', () => {
    expect(
      refusal(
        (s) => stepColor(s, 'red'),
        apply(SPEC, (s) => promoteColor(s, 'red')),
      ),
    ).toBe('color: red is at 100%, already at or past the last of progression.steps [5, 25, 50, 100]');
  });

  it('refuses step without progression.steps', () => {
    expect(refusal((s) => stepColor(s, 'red'), SPEC.replace('progression:\n  steps: [5, 25, 50, 100]\n', ''))).toBe(
      'progression.steps: received nothing; expected progression.steps in the spec, such as [5, 25, 50, 100], for step to follow',
    );
  });

  it('refuses to drain or retire the only live color, or touch a retired one', () => {
    const raw = rawSpec();
    raw.colors = [
      { name: 'blue', image: 'x:1', weight: 100 },
      { name: 'green', image: 'x:1', weight: 0, state: 'retired' },
    ];
    const spec = resolvedSpec(raw);
    expect(drainColor(spec, 'blue')).toEqual({
      refused: {
        path: 'color',
        message: 'blue is the only color that is not retired; no other color could take its traffic (add one first)',
      },
    });
    expect(shiftColor(spec, 'green', 10)).toEqual({
      refused: { path: 'color', message: 'green is retired; expected a color that is not' },
    });
    expect(shiftColor(spec, 'blue', 50)).toEqual({
      refused: { path: 'percent', message: 'blue is the only color that is not retired; it must keep 100%' },
    });
  });
});

describe('transitions (property)', () => {
  type Op = { op: 'add' | 'shift' | 'step' | 'promote' | 'drain' | 'retire'; color: string; percent: number };
  const names = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo'];
  const op = fc.record({
    op: fc.constantFrom('add', 'shift', 'step', 'promote', 'drain', 'retire') as fc.Arbitrary<Op['op']>,
    color: fc.constantFrom(...names),
    percent: fc.integer({ min: -5, max: 105 }),
  });

  it('any sequence of commands is refused with a message or leaves a valid spec whose weights add up to 100', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        let text = SPEC;
        // The spec of the current text: a refused command leaves the text as it was.
        let current = specOf(text);
        for (const o of ops) {
          const change = (s: RainbowSpec): TransitionResult => {
            switch (o.op) {
              case 'add':
                return addColor(s, o.color, `ghcr.io/acme/shop:${o.percent}`);
              case 'shift':
                return shiftColor(s, o.color, o.percent);
              case 'step':
                return stepColor(s, o.color);
              case 'promote':
                return promoteColor(s, o.color);
              case 'drain':
                return drainColor(s, o.color);
              default:
                return retireColor(s, o.color);
            }
          };
          const result = change(current);
          if ('refused' in result) {
            expect(result.refused.message.length).toBeGreaterThan(0);
            continue;
          }
          text = applyEdits(text, result.edits, false);
          current = specOf(text);
          const live = current.colors.filter((c) => c.state !== 'retired');
          expect(live.reduce((sum, c) => sum + c.weight, 0)).toBe(100);
        }
        expect(text.startsWith('# the shop, three colors\napp: shop\n')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
