import fc from 'fast-check';
import { AlbRouter } from '../../../constructs/aws/alb-router';
import { Ec2Color } from '../../../constructs/aws/ec2-color';
import { EcsColor } from '../../../constructs/aws/ecs-color';
import { validateSpec } from '../../../spec-file/validate';
import { Platform } from '../../../model/types';
import { RainbowStacks } from '../../../stacks/rainbow-app';
import { RouterStack } from '../../../stacks/router-stack';
import { EC2_LISTENER, rawEc2Spec } from '../../fixtures/ec2';
import { awsStack, rawEcsSpec, synthJson, testApp } from '../../helpers';

// The ALB side of a color (target group, listener rule) and the router are one piece of code for
// ECS and EC2 (constructs/aws/alb-color.ts, AlbRouter): these tests run the same checks on both.

type AlbPlatform = 'ecs' | 'ec2';
const PLATFORMS: AlbPlatform[] = ['ecs', 'ec2'];
const IMAGES: Record<AlbPlatform, string> = {
  ecs: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0',
  ec2: 'ami-0123456789abcdef0',
};

/** The same app on either platform: the same listener, host, priority, routing and colors. */
function rawSpec(
  platform: AlbPlatform,
  colors: Array<{ name: string; weight: number; state?: string }>,
  routing?: Record<string, unknown>,
): Record<string, any> {
  const raw = platform === 'ecs' ? rawEcsSpec() : rawEc2Spec();
  Object.assign(raw[platform], { listenerArn: EC2_LISTENER, host: 'shop.example.com', rulePriority: 100 });
  raw.colors = colors.map((c) => ({ ...c, image: IMAGES[platform], replicas: 2 }));
  if (routing !== undefined) raw.routing = routing;
  return raw;
}

function stacksOf(
  platform: AlbPlatform,
  colors: Array<{ name: string; weight: number; state?: string }>,
  routing?: Record<string, unknown>,
) {
  const { spec, problems } = validateSpec(rawSpec(platform, colors, routing));
  expect(problems).toEqual([]);
  const stacks = new RainbowStacks(testApp(), spec!);
  const json = (name: string) =>
    synthJson([...stacks.colorStacks, stacks.routerStack].find((s) => s.stackName === name)!);
  return { stacks, json };
}

const RAINBOW = [
  { name: 'red', weight: 25 },
  { name: 'orange', weight: 70 },
  { name: 'yellow', weight: 5 },
];
const all = (json: any, type: string) => Object.values(json.resource?.[type] ?? {}) as any[];
const withoutMetadata = (value: any) => JSON.parse(JSON.stringify(value, (key, v) => (key === '//' ? undefined : v)));

describe.each(PLATFORMS)('the shared ALB side of a color and the router, with platform %s', (platform) => {
  it('forwards 25/70/5 with one weighted rule after every color rule, the target groups found by name', () => {
    const { json } = stacksOf(platform, RAINBOW, { pinHeader: 'x-color', stickySeconds: 3600 });
    const router = json('shop-router');
    const [rule] = all(router, 'aws_lb_listener_rule');
    expect(rule.priority).toBe(1100);
    expect(rule.condition).toEqual([{ host_header: { values: ['shop.example.com'] } }]);
    expect(rule.action[0].forward.target_group.map((t: any) => t.weight)).toEqual([25, 70, 5]);
    expect(rule.action[0].forward.stickiness).toEqual({ enabled: true, duration: 3600 });
    expect(
      Object.values(router.data.aws_lb_target_group)
        .map((d: any) => d.name)
        .sort(),
    ).toEqual(['shop-orange', 'shop-red', 'shop-yellow']);
  });

  it('gives each color its target group <app>-<color> and its own pin rule at the priority its name gives', () => {
    const { json } = stacksOf(platform, RAINBOW, { pinHeader: 'x-color' });
    const red = json('shop-red');
    const [tg] = all(red, 'aws_lb_target_group');
    expect(tg).toEqual(
      expect.objectContaining({
        name: 'shop-red',
        target_type: platform === 'ecs' ? 'ip' : 'instance',
        port: 8080,
        deregistration_delay: '30',
      }),
    );
    const [rule] = all(red, 'aws_lb_listener_rule');
    expect(rule.priority).toBe(696);
    expect(rule.condition[1]).toEqual({ http_header: { http_header_name: 'x-color', values: ['red'] } });
  });

  it("empties a retired color's stack, which leaves the router", () => {
    const { stacks, json } = stacksOf(platform, [
      { name: 'red', weight: 100 },
      { name: 'orange', weight: 0, state: 'retired' },
    ]);
    expect(stacks.stackNames).toEqual(['shop-red', 'shop-orange', 'shop-router']);
    expect(json('shop-orange').resource).toBeUndefined();
    expect(all(json('shop-router'), 'aws_lb_listener_rule')[0].action[0].forward.target_group).toHaveLength(1);
  });
});

describe('the ALB router and color rules are the same for ECS and EC2', () => {
  it('synthesizes the same router stack for both platforms', () => {
    const [ecs, ec2] = PLATFORMS.map((p) =>
      withoutMetadata(stacksOf(p, RAINBOW, { pinHeader: 'x-color' }).json('shop-router')),
    );
    expect(ec2).toEqual(ecs);
  });

  it('synthesizes the same target group (but its target type) and listener rule for a color of either platform', () => {
    const [ecs, ec2] = PLATFORMS.map((p) => withoutMetadata(stacksOf(p, RAINBOW).json('shop-orange')));
    expect(all(ec2, 'aws_lb_listener_rule')).toEqual(all(ecs, 'aws_lb_listener_rule'));
    expect(all(ec2, 'aws_lb_target_group')).toEqual(
      all(ecs, 'aws_lb_target_group').map((tg) => ({ ...tg, target_type: 'instance' })),
    );
  });

  it('gives every color exactly its spec weight on either platform, adding up to 100; with stickiness, only those above 0 (property)', () => {
    const names = ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet'];
    const spec = fc
      .record({
        platform: fc.constantFrom<AlbPlatform>(...PLATFORMS),
        cuts: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 0, maxLength: 4 }),
        retired: fc.integer({ min: 0, max: 2 }),
        sticky: fc.boolean(),
      })
      .map(({ platform, cuts, retired, sticky }) => {
        const sorted = [0, ...cuts.sort((a, b) => a - b), 100];
        const weights = sorted.slice(1).map((v, i) => v - sorted[i]);
        const colors: Array<{ name: string; weight: number; state?: string }> = [
          ...weights.map((weight, i) => ({ name: names[i], weight })),
          ...Array.from({ length: retired }, (_, i) => ({ name: names[5 + i], weight: 0, state: 'retired' })),
        ];
        return { platform, colors, sticky };
      });
    fc.assert(
      fc.property(spec, ({ platform, colors, sticky }) => {
        const { spec: resolved, problems } = validateSpec(
          rawSpec(platform, colors, sticky ? { stickySeconds: 3600 } : undefined),
        );
        expect(problems).toEqual([]);
        const json = synthJson(new RouterStack(testApp(), 'shop-router', { spec: resolved! }));
        const byArn = new Map(
          Object.entries(json.data.aws_lb_target_group).map(([id, d]: [string, any]) => [
            `\${data.aws_lb_target_group.${id}.arn}`,
            d.name,
          ]),
        );
        const forwarded = (
          Object.values(json.resource.aws_lb_listener_rule)[0] as any
        ).action[0].forward.target_group.map((t: any) => [byArn.get(t.arn), t.weight]);
        const live = colors.filter((c) => c.state !== 'retired');
        expect(forwarded).toEqual(
          (sticky ? live.filter((c) => c.weight > 0) : live).map((c) => [`shop-${c.name}`, c.weight]),
        );
        expect(forwarded.reduce((sum: number, [, w]: [string, number]) => sum + w, 0)).toBe(100);
      }),
      { numRuns: 40 },
    );
  });
});

describe('AlbRouter with EC2 colors', () => {
  const ec2Props = (color: string, priority: number) => ({
    app: 'shop',
    color,
    image: 'ami-0123456789abcdef0',
    instanceType: 't3.small',
    vpcId: 'vpc-0abc1234',
    subnetIds: ['subnet-0a1b2c3d'],
    securityGroupIds: ['sg-0123abcd'],
    listenerRule: { listenerArn: EC2_LISTENER, host: 'shop.example.com', priority },
  });
  const routerProps = {
    app: 'shop',
    listenerArn: EC2_LISTENER,
    host: 'shop.example.com',
    rulePriority: 100,
    platform: Platform.EC2,
  };

  it('forwards 90/10 to two EC2 colors of the same stack once their groups have healthy capacity', () => {
    const stack = awsStack();
    const blue = new Ec2Color(stack, 'Blue', ec2Props('blue', 101));
    const green = new Ec2Color(stack, 'Green', ec2Props('green', 102));
    const router = new AlbRouter(stack, 'Router', routerProps);
    router.addColor(blue, 90);
    router.addColor(green, 10);
    const json = synthJson(stack);
    const groups = Object.keys(json.resource.aws_autoscaling_group).map((id) => `aws_autoscaling_group.${id}`);
    const rule = Object.entries(json.resource.aws_lb_listener_rule).find(([id]) => id.startsWith('Router_'))![1] as any;
    expect(rule.action[0].forward.target_group.map((t: any) => t.weight)).toEqual([90, 10]);
    expect(rule.depends_on).toEqual(groups);
    expect(router.platform).toBe('ec2');
  });

  it('refuses an ECS color in an EC2 router and an EC2 color in an ECS router', () => {
    const stack = awsStack();
    const ec2Router = new AlbRouter(stack, 'Ec2Router', routerProps);
    ec2Router.addColor(Ec2Color.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 100);
    ec2Router.addColor(EcsColor.fromName(stack, 'Green', { app: 'shop', color: 'green' }), 0);
    expect(() => synthJson(stack)).toThrow(
      'AlbRouter test/Ec2Router:\naddColor(test/Green): received the color green on ecs; expected a color on ec2: AlbRouter test/Ec2Router routes ec2 colors only',
    );
    const other = awsStack();
    const ecsRouter = new AlbRouter(other, 'Router', { ...routerProps, platform: undefined });
    ecsRouter.addColor(Ec2Color.fromName(other, 'Blue', { app: 'shop', color: 'blue' }), 100);
    expect(() => synthJson(other)).toThrow(
      'addColor(test/Blue): received the color blue on ec2; expected a color on ecs: AlbRouter test/Router routes ecs colors only',
    );
  });

  it('refuses six EC2 colors, naming the limit and the platform, and a Kubernetes platform', () => {
    const colors = ['a', 'b', 'c', 'd', 'e', 'f'].map((color, i) => ({ color, weight: i === 0 ? 100 : 0 }));
    const stack = awsStack();
    new AlbRouter(stack, 'Router', { ...routerProps, colors });
    expect(() => synthJson(stack)).toThrow(
      'colors: received 6 colors that are not retired; an ALB forward action holds at most 5 target groups, so at most 5 colors with platform ec2',
    );
    expect(
      () =>
        new AlbRouter(awsStack(), 'Router', {
          ...routerProps,
          platform: Platform.KUBERNETES,
          colors: [{ color: 'a', weight: 100 }],
        }),
    ).toThrow(
      'AlbRouter test/Router:\nplatform: received "kubernetes"; expected Platform.ECS or Platform.EC2: an ALB routes ECS and EC2 colors',
    );
  });
});
