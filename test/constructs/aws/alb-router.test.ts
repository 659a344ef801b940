import { AlbRouter, AlbRouterProps } from '../../../constructs/aws/alb-router';
import { awsStack, onlyResource, synthJson } from '../../helpers';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

const base: AlbRouterProps = {
  app: 'shop',
  listenerArn: LISTENER,
  host: 'shop.example.com',
  rulePriority: 100,
  colors: [{ color: 'red', weight: 70 }, { color: 'orange', weight: 20 }, { color: 'yellow', weight: 10 }],
};

function router(props: Partial<AlbRouterProps> = {}) {
  const stack = awsStack();
  const construct = new AlbRouter(stack, 'Router', { ...base, ...props });
  return { construct, json: synthJson(stack) };
}

describe('AlbRouter', () => {
  it('looks the target groups up by name, with no cross-stack reference', () => {
    const { json } = router();
    expect((Object.values(json.data.aws_lb_target_group) as any[]).map((d) => d.name).sort()).toEqual(['shop-orange', 'shop-red', 'shop-yellow']);
  });

  it('forwards 70/20/10 with one weighted rule after every color rule', () => {
    const { construct, json } = router();
    expect(construct.priority).toBe(1100);
    expect(construct.rule.node.id).toBe('Resource');
    const rule = onlyResource(json, 'aws_lb_listener_rule');
    expect(rule).toEqual(expect.objectContaining({ listener_arn: LISTENER, priority: 1100, condition: [{ host_header: { values: ['shop.example.com'] } }] }));
    expect(rule.action).toEqual([{
      type: 'forward',
      forward: {
        target_group: [
          { arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-red_[0-9A-F]+\.arn\}$/), weight: 70 },
          { arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-orange_[0-9A-F]+\.arn\}$/), weight: 20 },
          { arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-yellow_[0-9A-F]+\.arn\}$/), weight: 10 },
        ],
        stickiness: { enabled: false, duration: 1 },
      },
    }]);
  });

  it('keeps a client on its target group with forward stickiness', () => {
    const rule = onlyResource(router({ stickySeconds: 86400 }).json, 'aws_lb_listener_rule');
    expect(rule.action[0].forward.stickiness).toEqual({ enabled: true, duration: 86400 });
  });

  it('keeps a color at weight 0 in the forward action without stickiness', () => {
    const { construct, json } = router({ colors: [{ color: 'red', weight: 100 }, { color: 'orange', weight: 0 }] });
    expect(construct.forwardedColors.map((c) => c.color)).toEqual(['red', 'orange']);
    expect(onlyResource(json, 'aws_lb_listener_rule').action[0].forward.target_group.map((t: any) => t.weight)).toEqual([100, 0]);
  });

  it('leaves a color at weight 0 out of a sticky forward action, so that its sticky clients move on', () => {
    const { construct, json } = router({ stickySeconds: 3600, colors: [{ color: 'red', weight: 0 }, { color: 'orange', weight: 90 }, { color: 'yellow', weight: 10 }] });
    expect(construct.forwardedColors).toEqual([{ color: 'orange', weight: 90 }, { color: 'yellow', weight: 10 }]);
    expect(onlyResource(json, 'aws_lb_listener_rule').action[0].forward).toEqual({
      target_group: [
        { arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-orange_[0-9A-F]+\.arn\}$/), weight: 90 },
        { arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-yellow_[0-9A-F]+\.arn\}$/), weight: 10 },
      ],
      stickiness: { enabled: true, duration: 3600 },
    });
    expect((Object.values(json.data.aws_lb_target_group) as any[]).map((d) => d.name).sort()).toEqual(['shop-orange', 'shop-yellow']);
  });

  it('fails for six colors, naming the five target groups limit', () => {
    const colors = ['a', 'b', 'c', 'd', 'e', 'f'].map((color, i) => ({ color, weight: i === 0 ? 100 : 0 }));
    expect(() => router({ colors })).toThrow('colors: received 6 colors that are not retired; an ALB forward action holds at most 5 target groups, so at most 5 colors with platform ecs');
  });

  it('fails for a bad listener, priority and sticky duration', () => {
    expect(() => router({ listenerArn: 'shop', rulePriority: 50000, stickySeconds: 604801 })).toThrow(
      'AlbRouter test/Router:\n'
      + 'stickySeconds: received 604801; expected a whole number of seconds from 1 to 604800\n'
      + 'listenerArn: received "shop"; expected an ALB listener ARN: arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<16 hex>/<16 hex>\n'
      + 'rulePriority: received 50000; expected a whole number from 1 to 49000 (the app uses this priority and the next 1000)',
    );
  });
});
