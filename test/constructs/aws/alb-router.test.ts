import { AlbRouter, AlbRouterProps } from '../../../constructs/aws/alb-router';
import { Testing } from 'cdktf';
import { EcsColor } from '../../../constructs/aws/ecs-color';
import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { awsStack, onlyResource, synthJson } from '../../helpers';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

const base: AlbRouterProps = {
  app: 'shop',
  listenerArn: LISTENER,
  host: 'shop.example.com',
  rulePriority: 100,
  colors: [
    { color: 'red', weight: 70 },
    { color: 'orange', weight: 20 },
    { color: 'yellow', weight: 10 },
  ],
};

function router(props: Partial<AlbRouterProps> = {}) {
  const stack = awsStack();
  const construct = new AlbRouter(stack, 'Router', { ...base, ...props });
  return { construct, json: synthJson(stack) };
}

describe('AlbRouter', () => {
  it('looks the target groups up by name, with no cross-stack reference', () => {
    const { json } = router();
    expect((Object.values(json.data.aws_lb_target_group) as any[]).map((d) => d.name).sort()).toEqual([
      'shop-orange',
      'shop-red',
      'shop-yellow',
    ]);
  });

  it('forwards 70/20/10 with one weighted rule after every color rule', () => {
    const { construct, json } = router();
    expect(construct.priority).toBe(1100);
    expect(construct.rule.node.id).toBe('Resource');
    const rule = onlyResource(json, 'aws_lb_listener_rule');
    expect(rule).toEqual(
      expect.objectContaining({
        listener_arn: LISTENER,
        priority: 1100,
        condition: [{ host_header: { values: ['shop.example.com'] } }],
      }),
    );
    expect(rule.action).toEqual([
      {
        type: 'forward',
        forward: {
          target_group: [
            {
              arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-red_[0-9A-F]+\.arn\}$/),
              weight: 70,
            },
            {
              arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-orange_[0-9A-F]+\.arn\}$/),
              weight: 20,
            },
            {
              arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-yellow_[0-9A-F]+\.arn\}$/),
              weight: 10,
            },
          ],
          stickiness: { enabled: false, duration: 1 },
        },
      },
    ]);
  });

  it('keeps a client on its target group with forward stickiness', () => {
    const rule = onlyResource(router({ stickySeconds: 86400 }).json, 'aws_lb_listener_rule');
    expect(rule.action[0].forward.stickiness).toEqual({ enabled: true, duration: 86400 });
  });

  it('keeps a color at weight 0 in the forward action without stickiness', () => {
    const { construct, json } = router({
      colors: [
        { color: 'red', weight: 100 },
        { color: 'orange', weight: 0 },
      ],
    });
    expect(construct.forwardedColors.map((c) => c.color)).toEqual(['red', 'orange']);
    expect(onlyResource(json, 'aws_lb_listener_rule').action[0].forward.target_group.map((t: any) => t.weight)).toEqual(
      [100, 0],
    );
  });

  it('leaves a color at weight 0 out of a sticky forward action, so that its sticky clients move on', () => {
    const { construct, json } = router({
      stickySeconds: 3600,
      colors: [
        { color: 'red', weight: 0 },
        { color: 'orange', weight: 90 },
        { color: 'yellow', weight: 10 },
      ],
    });
    expect(construct.forwardedColors).toEqual([
      { color: 'orange', weight: 90 },
      { color: 'yellow', weight: 10 },
    ]);
    expect(onlyResource(json, 'aws_lb_listener_rule').action[0].forward).toEqual({
      target_group: [
        {
          arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-orange_[0-9A-F]+\.arn\}$/),
          weight: 90,
        },
        {
          arn: expect.stringMatching(/^\$\{data\.aws_lb_target_group\.Router_TargetGroup-yellow_[0-9A-F]+\.arn\}$/),
          weight: 10,
        },
      ],
      stickiness: { enabled: true, duration: 3600 },
    });
    expect((Object.values(json.data.aws_lb_target_group) as any[]).map((d) => d.name).sort()).toEqual([
      'shop-orange',
      'shop-yellow',
    ]);
  });

  it('fails for six colors, naming the five target groups limit', () => {
    const colors = ['a', 'b', 'c', 'd', 'e', 'f'].map((color, i) => ({ color, weight: i === 0 ? 100 : 0 }));
    expect(() => router({ colors })).toThrow(
      'colors: received 6 colors that are not retired; an ALB forward action holds at most 5 target groups, so at most 5 colors with platform ecs',
    );
  });

  it('fails for a bad listener, priority and sticky duration', () => {
    expect(() => router({ listenerArn: 'shop', rulePriority: 50000, stickySeconds: 604801 })).toThrow(
      'AlbRouter test/Router:\n' +
        'stickySeconds: received 604801; expected a whole number of seconds from 1 to 604800\n' +
        'listenerArn: received "shop"; expected an ALB listener ARN: arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<16 hex>/<16 hex>\n' +
        'rulePriority: received 50000; expected a whole number from 1 to 49000 (the app uses this priority and the next 1000)',
    );
  });
});

describe('AlbRouter.addColor', () => {
  const colorProps = (color: string) => ({
    app: 'shop',
    color,
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0',
    region: 'eu-west-1',
    cluster: 'shop',
    vpcId: 'vpc-0abc1234',
    subnetIds: ['subnet-0a1b2c3d'],
    securityGroupIds: ['sg-01234567'],
    listenerRule: { listenerArn: LISTENER, host: 'shop.example.com', priority: color === 'blue' ? 101 : 102 },
  });
  const routerProps = { app: 'shop', listenerArn: LISTENER, host: 'shop.example.com', rulePriority: 100 };

  it('forwards 90/10 to two ECS colors of the same stack, once their services are steady', () => {
    const stack = awsStack();
    const blue = new EcsColor(stack, 'Blue', colorProps('blue'));
    const green = new EcsColor(stack, 'Green', colorProps('green'));
    const router = new AlbRouter(stack, 'Router', routerProps);
    router.addColor(blue, 90);
    router.addColor(green, 10);
    const json = synthJson(stack);
    const services = Object.keys(json.resource.aws_ecs_service).map((id) => `aws_ecs_service.${id}`);
    const rule = Object.entries(json.resource.aws_lb_listener_rule).find(([id]) => id.startsWith('Router_'))![1] as any;
    expect(rule.action[0].forward.target_group.map((t: any) => t.weight)).toEqual([90, 10]);
    expect(rule.depends_on).toEqual(services);
    const lookups = Object.values(json.data.aws_lb_target_group) as any[];
    expect(lookups.map((d) => [d.name, d.depends_on])).toEqual([
      ['shop-blue', services],
      ['shop-green', services],
    ]);
    expect(router.forwardedColors).toEqual([
      { color: 'blue', weight: 90 },
      { color: 'green', weight: 10 },
    ]);
  });

  it('looks up a color of another stack by name only', () => {
    const stack = awsStack();
    const router = new AlbRouter(stack, 'Router', routerProps);
    router.addColor(EcsColor.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 100);
    const json = synthJson(stack);
    expect(Object.values(json.data.aws_lb_target_group)).toEqual([{ name: 'shop-blue' }]);
    expect(onlyResource(json, 'aws_lb_listener_rule').depends_on).toBeUndefined();
  });

  it('refuses a Kubernetes color, a color of another app and a color added twice', () => {
    const stack = awsStack();
    const router = new AlbRouter(stack, 'Router', routerProps);
    router.addColor(EcsColor.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 50);
    router.addColor(EcsColor.fromName(stack, 'Again', { app: 'shop', color: 'blue' }), 0);
    router.addColor(EcsColor.fromName(stack, 'Cart', { app: 'cart', color: 'green' }), 0);
    router.addColor(KubernetesColor.fromName(stack, 'Pod', { app: 'shop', color: 'red' }), 50);
    expect(() => synthJson(stack)).toThrow(
      'AlbRouter test/Router:\n' +
        'addColor(test/Again): received the color blue again, already added as addColor(test/Blue); expected each color once\n' +
        'addColor(test/Cart): received the color green of the app cart; expected a color of shop, the app this router routes\n' +
        'addColor(test/Pod): received the color red on kubernetes; expected a color on ecs: AlbRouter test/Router routes ecs colors only',
    );
  });

  it('refuses a target group name over 32 characters, naming the color', () => {
    const stack = awsStack();
    const router = new AlbRouter(stack, 'Router', { ...routerProps, app: 'shopping-cart-apps' });
    router.addColor(EcsColor.fromName(stack, 'Long', { app: 'shopping-cart-apps', color: 'a-long-color-name' }), 100);
    expect(() => synthJson(stack)).toThrow(
      'AlbRouter test/Router:\naddColor(test/Long): received "a-long-color-name" with app "shopping-cart-apps": the target group name "shopping-cart-apps-a-long-color-name" is 36 characters; AWS allows at most 32, so shorten the app or the color name',
    );
  });

  it('refuses a router without colors', () => {
    const stack = awsStack();
    new AlbRouter(stack, 'Router', routerProps);
    expect(() => synthJson(stack)).toThrow(
      'AlbRouter test/Router:\ncolors: received an empty list; expected a list of at least one color',
    );
  });
});

describe('AlbRouter: HCL output', () => {
  it("renders the forward action's target groups as blocks", () => {
    const stack = awsStack();
    const router = new AlbRouter(stack, 'Router', {
      app: 'shop',
      listenerArn: LISTENER,
      host: 'shop.example.com',
      rulePriority: 100,
    });
    router.addColor(EcsColor.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 100);
    expect(Testing.synthHcl(stack)).toMatch(
      /forward \{\n(.|\n)*target_group \{\narn = "\$\{data\.aws_lb_target_group\.Router_TargetGroup-blue_[0-9A-F]+\.arn\}"\nweight = 100\n\}/,
    );
  });
});
