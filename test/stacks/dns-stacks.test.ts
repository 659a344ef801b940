import { Testing } from 'cdktf';
import { Route53Router } from '../../constructs/aws/route53-router';
import { deployPhases } from '../../planning/phases';
import { RainbowStacks } from '../../stacks/rainbow-app';
import { resolvedSpec, testApp } from '../helpers';

const OLD = 'k8s-old-1234.elb.eu-west-1.amazonaws.com';
const NEW = 'k8s-new-5678.elb.eu-west-1.amazonaws.com';

function dnsSpec(colors: Record<string, unknown>[]) {
  return resolvedSpec({
    app: 'shop',
    platform: 'dns',
    dns: { zoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com', ttl: 120 },
    colors,
  });
}

describe('the stacks of a dns spec', () => {
  const spec = dnsSpec([
    { name: 'blue', endpoint: OLD, weight: 100 },
    { name: 'green', endpoint: NEW, weight: 0 },
    { name: 'red', endpoint: 'k8s-older-42.elb.eu-west-1.amazonaws.com', weight: 0, state: 'retired' },
  ]);
  const stacks = new RainbowStacks(testApp(), spec);
  const json = (stack: any) => JSON.parse(Testing.synth(stack, true));

  it("gives each color a stack that holds only its backend: the records and checks are the router's", () => {
    for (const stack of stacks.colorStacks) {
      const synthesized = json(stack);
      expect(synthesized.resource).toBeUndefined();
      expect(synthesized.provider).toBeUndefined();
      expect(synthesized.terraform.backend.local.path).toMatch(new RegExp(`${stack.stackName}\\.tfstate$`));
      expect(stack.color).toBeUndefined();
    }
  });

  it("routes the colors that are not retired, a weight-0 color at weight 0, with the spec's TTL", () => {
    expect(stacks.routerStack.router).toBeInstanceOf(Route53Router);
    const records = Object.values(json(stacks.routerStack).resource.aws_route53_record) as any[];
    expect(records.map((r) => [r.set_identifier, r.weighted_routing_policy.weight, r.records, r.ttl])).toEqual([
      ['blue', 100, [OLD], 120],
      ['green', 0, [NEW], 120],
    ]);
  });

  it('deploys in the phases of every platform: colors, router, retired colors', () => {
    expect(deployPhases(spec)).toEqual([
      { title: 'colors', stacks: ['shop-blue', 'shop-green'] },
      { title: 'router', stacks: ['shop-router'] },
      { title: 'retired colors', stacks: ['shop-red'] },
    ]);
  });
});
