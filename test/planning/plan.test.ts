import fc from 'fast-check';
import { deployCalls } from '../../planning/phases';
import { planChange } from '../../planning/plan';
import { rawSpec, resolvedSpec } from '../spec-helpers';

type Color = { name: string; image?: string; weight: number; state?: string; replicas?: number };

function spec(colors: Color[], extra: Record<string, unknown> = {}) {
  return resolvedSpec({ ...rawSpec(), ...extra, colors: colors.map((c) => ({ image: 'ghcr.io/acme/shop:1', ...c })) });
}

describe('planChange', () => {
  it('moves traffic by re-applying only the router', () => {
    const plan = planChange(
      spec([
        { name: 'red', weight: 90 },
        { name: 'orange', weight: 10 },
      ]),
      spec([
        { name: 'red', weight: 60 },
        { name: 'orange', weight: 40 },
      ]),
    );
    expect(plan.changes).toEqual([
      { name: 'red', kind: 'unchanged', weight: { from: 90, to: 60 }, reasons: [] },
      { name: 'orange', kind: 'unchanged', weight: { from: 10, to: 40 }, reasons: [] },
    ]);
    expect(plan.violations).toEqual([]);
    expect(plan.phases).toEqual([{ title: 'router', stacks: ['shop-router'] }]);
  });

  it('rolls a color whose image changed, without touching the router', () => {
    const plan = planChange(
      spec([{ name: 'red', weight: 100 }]),
      spec([{ name: 'red', image: 'ghcr.io/acme/shop:2', weight: 100 }]),
    );
    expect(plan.changes).toEqual([
      { name: 'red', kind: 'updated', reasons: ['image ghcr.io/acme/shop:1 → ghcr.io/acme/shop:2'] },
    ]);
    expect(plan.phases).toEqual([{ title: 'colors', stacks: ['shop-red'] }]);
  });

  it('rolls every color when a setting they share changed', () => {
    const plan = planChange(
      spec([{ name: 'red', weight: 100 }]),
      spec([{ name: 'red', weight: 100 }], { rollingUpdate: { maxSurge: 1 } }),
    );
    expect(plan.changes[0]).toEqual({ name: 'red', kind: 'updated', reasons: ['rollingUpdate changed'] });
  });

  it('deploys a new color first, then the router, then a retired color, and lists a removed one', () => {
    const before = spec([
      { name: 'red', weight: 0 },
      { name: 'orange', weight: 100 },
      { name: 'old', weight: 0, state: 'retired' },
    ]);
    const after = spec([
      { name: 'red', weight: 0, state: 'retired' },
      { name: 'orange', weight: 100 },
      { name: 'yellow', weight: 0 },
    ]);
    const plan = planChange(before, after);
    expect(plan.changes.map((c) => [c.name, c.kind])).toEqual([
      ['red', 'retired'],
      ['orange', 'unchanged'],
      ['yellow', 'new'],
      ['old', 'removed'],
    ]);
    expect(plan.violations).toEqual([]);
    expect(plan.phases).toEqual([
      { title: 'colors', stacks: ['shop-yellow'] },
      { title: 'router', stacks: ['shop-router'] },
      { title: 'retired colors', stacks: ['shop-red'] },
    ]);
  });

  it('plans everything as new for a first deploy, with no new-color rule', () => {
    const plan = planChange(undefined, spec([{ name: 'red', weight: 100 }]));
    expect(plan.changes).toEqual([{ name: 'red', kind: 'new', reasons: [] }]);
    expect(plan.violations).toEqual([]);
    expect(plan.phases.map((p) => p.title)).toEqual(['colors', 'router']);
  });

  it('has nothing to deploy when nothing changed', () => {
    const s = spec([{ name: 'red', weight: 100 }]);
    expect(planChange(s, s).phases).toEqual([]);
  });

  describe('safety rules', () => {
    it('1: a color removed without having been retired', () => {
      const plan = planChange(
        spec([
          { name: 'red', weight: 100 },
          { name: 'blue', weight: 0 },
        ]),
        spec([{ name: 'red', weight: 100 }]),
      );
      expect(plan.violations).toEqual([
        {
          rule: 'removed-before-retired',
          color: 'blue',
          message: 'blue left the file without having been retired in the previous spec; retire it (and deploy) first',
        },
      ]);
    });

    it('2: a color retired while it still had traffic', () => {
      const plan = planChange(
        spec([
          { name: 'red', weight: 90 },
          { name: 'blue', weight: 10 },
        ]),
        spec([
          { name: 'red', weight: 100 },
          { name: 'blue', weight: 0, state: 'retired' },
        ]),
      );
      expect(plan.violations).toEqual([
        {
          rule: 'retired-with-traffic',
          color: 'blue',
          message: 'blue is retired although it had 10% in the previous spec; drain it to 0 (and deploy) first',
        },
      ]);
    });

    it('3: a weight that moves more than progression.maxStepPercent', () => {
      const plan = planChange(
        spec([
          { name: 'red', weight: 100 },
          { name: 'blue', weight: 0 },
        ]),
        spec(
          [
            { name: 'red', weight: 40 },
            { name: 'blue', weight: 60 },
          ],
          { progression: { maxStepPercent: 50 } },
        ),
      );
      expect(plan.violations.map((v) => v.message)).toEqual([
        'red moves from 100% to 40%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        'blue moves from 0% to 60%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
      ]);
    });

    it('4: a new color that already gets traffic', () => {
      const plan = planChange(
        spec([{ name: 'red', weight: 100 }]),
        spec([
          { name: 'red', weight: 90 },
          { name: 'blue', weight: 10 },
        ]),
      );
      expect(plan.violations).toEqual([
        {
          rule: 'new-color-with-traffic',
          color: 'blue',
          message:
            'blue is new and already gets 10%; add it at 0, check it through the pin header or preview host, then give it traffic',
        },
      ]);
    });
  });
});

describe('planChange, edge cases', () => {
  it('brings a color back from retirement as a new one: its stack first, and at weight 0', () => {
    const before = spec([
      { name: 'red', weight: 100 },
      { name: 'yellow', weight: 0, state: 'retired' },
    ]);
    const after = spec([
      { name: 'red', weight: 90 },
      { name: 'yellow', weight: 10 },
    ]);
    const plan = planChange(before, after);
    expect(plan.changes[1]).toEqual({ name: 'yellow', kind: 'new', reasons: ['back from retirement'] });
    expect(plan.violations.map((v) => v.rule)).toEqual(['new-color-with-traffic']);
    expect(plan.phases[0]).toEqual({ title: 'colors', stacks: ['shop-yellow'] });
  });

  it('rolls the colors when the security allowances change', () => {
    const plan = planChange(
      spec([{ name: 'red', weight: 100 }]),
      spec([{ name: 'red', weight: 100 }], { security: { allowRunAsRoot: true } }),
    );
    expect(plan.changes[0]).toEqual({ name: 'red', kind: 'updated', reasons: ['security changed'] });
    expect(plan.phases.map((p) => p.title)).toEqual(['colors', 'router']);
  });

  it('does not let a change raise maxStepPercent and pass with it', () => {
    const plan = planChange(
      spec([
        { name: 'red', weight: 100 },
        { name: 'blue', weight: 0 },
      ]),
      spec(
        [
          { name: 'red', weight: 0 },
          { name: 'blue', weight: 100 },
        ],
        { progression: { maxStepPercent: 100 } },
      ),
    );
    expect(plan.violations.map((v) => v.rule)).toEqual(['step-too-large', 'step-too-large']);
  });
});

describe('deployCalls', () => {
  const migration = { command: ['./migrate'] };
  const migrating = (names: string[]) =>
    resolvedSpec({
      ...rawSpec(),
      colors: ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({
        name,
        image: 'ghcr.io/acme/shop:1',
        weight: i === 0 ? 100 : 0,
        ...(names.includes(name) ? { migration } : {}),
      })),
    });

  it('deploys a phase in one call when at most one of its stacks holds a migration', () => {
    expect(deployCalls({ title: 'colors', stacks: ['shop-a', 'shop-b', 'shop-c'] }, migrating(['b']))).toEqual([
      ['shop-a', 'shop-b', 'shop-c'],
    ]);
    expect(deployCalls({ title: 'router', stacks: ['shop-router'] }, migrating(['a', 'b']))).toEqual([['shop-router']]);
  });

  it('deploys the stacks that hold a migration one a call, in file order, the others with the first', () => {
    const spec = migrating(['b', 'd', 'e']);
    expect(deployCalls({ title: 'colors', stacks: ['shop-a', 'shop-b', 'shop-c', 'shop-d', 'shop-e'] }, spec)).toEqual([
      ['shop-a', 'shop-b', 'shop-c'],
      ['shop-d'],
      ['shop-e'],
    ]);
  });

  it('never puts two stacks that hold a migration in one call, and deploys every stack once (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray(['a', 'b', 'c', 'd', 'e']),
        fc.subarray(['a', 'b', 'c', 'd', 'e'], { minLength: 1 }),
        (withMigration, deployed) => {
          const spec = migrating(withMigration);
          const stacks = deployed.map((n) => `shop-${n}`);
          const calls = deployCalls({ title: 'colors', stacks }, spec);
          expect(calls.flat().sort()).toEqual([...stacks].sort());
          for (const call of calls)
            expect(call.filter((s) => withMigration.includes(s.slice(5))).length).toBeLessThanOrEqual(1);
          const order = calls.flat().filter((s) => withMigration.includes(s.slice(5)));
          expect(order).toEqual(stacks.filter((s) => withMigration.includes(s.slice(5))));
        },
      ),
      { numRuns: 200 },
    );
  });
});
