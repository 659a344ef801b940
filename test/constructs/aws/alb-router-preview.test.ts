import { AlbRouter, AlbRouterProps } from '../../../constructs/aws/alb-router';
import { RainbowStacks } from '../../../stacks/rainbow-app';
import { awsStack, rawEcsSpec, resolvedSpec, synthJson, testApp } from '../../helpers';
import { Testing } from 'cdktf';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

const base: AlbRouterProps = {
  app: 'shop',
  listenerArn: LISTENER,
  host: 'shop.example.com',
  rulePriority: 100,
  previewHosts: true,
  colors: [
    { color: 'red', weight: 100 },
    { color: 'orange', weight: 0 },
  ],
};

const rulesOf = (json: any) => Object.values(json.resource.aws_lb_listener_rule) as any[];

describe('AlbRouter with preview hosts', () => {
  it('serves each color at <color>.<host> with a rule of its own, forwarding to its target group', () => {
    const stack = awsStack();
    const router = new AlbRouter(stack, 'Router', base);
    const json = synthJson(stack);
    expect(router.previewRules.map((r) => r.node.id)).toEqual(['PreviewRule-red', 'PreviewRule-orange']);
    const preview = rulesOf(json).filter((r) => r.condition[0].host_header.values[0] !== 'shop.example.com');
    // The synthesized JSON lists resources by construct id.
    expect(preview.map((r) => [r.condition, r.action[0].type, r.action[0].target_group_arn])).toEqual([
      [
        [{ host_header: { values: ['orange.shop.example.com'] } }],
        'forward',
        expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-orange_[0-9A-F]+\.arn\}$/),
      ],
      [
        [{ host_header: { values: ['red.shop.example.com'] } }],
        'forward',
        expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-red_[0-9A-F]+\.arn\}$/),
      ],
    ]);
  });

  it("gives preview rules the priorities after the weighted rule, each its color rule's plus 1001", () => {
    const stack = awsStack();
    new AlbRouter(stack, 'Router', {
      ...base,
      colors: [
        { color: 'red', weight: 50 },
        { color: 'orange', weight: 30 },
        { color: 'yellow', weight: 20 },
      ],
    });
    const rules = rulesOf(synthJson(stack));
    const priorities = rules.map((r) => r.priority);
    const preview = rules
      .filter((r) => r.condition[0].host_header.values[0] !== 'shop.example.com')
      .map((r) => r.priority);
    expect(preview).toHaveLength(3);
    expect(preview.every((p) => p > 1100 && p <= 2100)).toBe(true);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it('keeps a weight-0 color reachable at its preview host with stickiness, out of the forward action', () => {
    const stack = awsStack();
    new AlbRouter(stack, 'Router', { ...base, stickySeconds: 3600 });
    const rules = rulesOf(synthJson(stack));
    expect(
      rules.find((r) => r.action[0].type === 'forward' && r.action[0].forward !== undefined).action[0].forward
        .target_group,
    ).toHaveLength(1);
    expect(rules.map((r) => r.condition[0].host_header.values[0]).sort()).toEqual([
      'orange.shop.example.com',
      'red.shop.example.com',
      'shop.example.com',
    ]);
  });

  it('fails when preview rules would pass priority 50000, or a preview host is too long for a host-header value', () => {
    expect(() => new AlbRouter(awsStack(), 'Router', { ...base, rulePriority: 48001 })).toThrow(
      'rulePriority: received 48001 with routing.previewHosts; expected at most 48000: preview rules take the priorities up to rulePriority + 2000, and an ALB allows at most 50000',
    );
    const host = `${'a'.repeat(60)}.${'b'.repeat(49)}.example.com`;
    expect(() => new AlbRouter(awsStack(), 'Router', { ...base, host })).toThrow(
      'previewHosts: received true, but the preview host "orange.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." (129 characters) is too long for an ALB host-header condition; expected <color>.<host> of at most 128 characters',
    );
  });

  it('makes the preview rules in spec mode, in the router stack, for the colors that are not retired', () => {
    const raw = rawEcsSpec();
    raw.routing = { previewHosts: true };
    raw.colors.push({ name: 'yellow', image: raw.colors[0].image, weight: 0, state: 'retired' });
    const stacks = new RainbowStacks(testApp(), resolvedSpec(raw));
    const json = JSON.parse(Testing.synth(stacks.routerStack, true));
    expect(
      rulesOf(json)
        .map((r) => r.condition[0].host_header.values[0])
        .sort(),
    ).toEqual(['orange.shop.example.com', 'red.shop.example.com', 'shop.example.com']);
  });
});
