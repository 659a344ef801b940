import { planChange } from '../../planning/plan';
import { rawEc2Spec } from '../fixtures/ec2';
import { resolvedSpec } from '../spec-helpers';

function spec(mutate: (raw: Record<string, any>) => void = () => undefined) {
  const raw = rawEc2Spec();
  mutate(raw);
  return resolvedSpec(raw);
}

describe('planChange: ec2', () => {
  it('refreshes every color when the user data they share changes, without touching the router', () => {
    const plan = planChange(
      spec(),
      spec((s) => {
        s.ec2.userData = '#!/bin/sh\nsystemctl start shop\n';
      }),
    );
    expect(plan.changes.map((c) => [c.name, c.kind, c.reasons])).toEqual([
      ['red', 'updated', ['ec2 changed']],
      ['orange', 'updated', ['ec2 changed']],
    ]);
    expect(plan.phases).toEqual([{ title: 'colors', stacks: ['shop-red', 'shop-orange'] }]);
  });

  it('refreshes only the color whose AMI or instance type changed', () => {
    const plan = planChange(
      spec(),
      spec((s) => {
        s.colors[1].image = 'ami-00112233445566778';
        s.colors[0].instanceType = 't3.medium';
      }),
    );
    expect(plan.changes.map((c) => [c.name, c.reasons])).toEqual([
      ['red', ['instanceType changed']],
      ['orange', ['image ami-0fedcba9876543210 → ami-00112233445566778']],
    ]);
  });

  it('moves traffic by re-applying only the router, and re-applies it for a new pin header', () => {
    expect(
      planChange(
        spec(),
        spec((s) => {
          s.colors[0].weight = 60;
          s.colors[1].weight = 40;
        }),
      ).phases,
    ).toEqual([{ title: 'router', stacks: ['shop-router'] }]);
    const pinned = planChange(
      spec(),
      spec((s) => {
        s.routing = { pinHeader: 'x-color' };
      }),
    );
    expect(pinned.phases.map((p) => p.stacks)).toEqual([['shop-red', 'shop-orange'], ['shop-router']]);
  });
});
