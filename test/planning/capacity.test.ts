import { RainbowSpec } from '../../model/types';
import { formatPercent, isUnderCapacity } from '../../planning/capacity';
import { planChange } from '../../planning/plan';
import { validateSpec } from '../../spec-file/validate';

type Color = {
  name: string;
  image?: string;
  weight: number;
  replicas?: number;
  autoscaling?: { min: number; max: number };
};

function spec(
  colors: Color[],
  extra: Record<string, any> = {},
  platform: 'kubernetes' | 'ecs' = 'kubernetes',
): RainbowSpec {
  const target =
    platform === 'kubernetes'
      ? { kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' } }
      : {
          ecs: {
            region: 'eu-west-1',
            cluster: 'shop',
            vpcId: 'vpc-0abc1234',
            subnetIds: ['subnet-0a1b2c3d'],
            securityGroupIds: ['sg-01234567'],
            listenerArn:
              'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
            host: 'shop.example.com',
            rulePriority: 100,
          },
        };
  const { spec: resolved, problems } = validateSpec({
    app: 'shop',
    platform,
    ...target,
    ...extra,
    progression: { maxStepPercent: 100, ...extra.progression },
    colors: colors.map((c) => ({ image: 'ghcr.io/acme/shop:1', ...c })),
  });
  if (resolved === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolved;
}

const capacityMessages = (previous: RainbowSpec | undefined, current: RainbowSpec) =>
  planChange(previous, current)
    .violations.filter((v) => v.rule === 'under-capacity')
    .map((v) => `${v.color}: ${v.message}`);

describe('the under-capacity rule', () => {
  const start = spec([
    { name: 'blue', weight: 0, replicas: 1 },
    { name: 'green', weight: 100, replicas: 3 },
  ]);

  it('allows traffic of exactly maxLoadFactor times the capacity share (1 pod of 4: 25%, so 50%)', () => {
    expect(
      capacityMessages(
        start,
        spec([
          { name: 'blue', weight: 50, replicas: 1 },
          { name: 'green', weight: 50, replicas: 3 },
        ]),
      ),
    ).toEqual([]);
  });

  it('refuses one percent more, and says by how much to scale up or how far to step', () => {
    expect(
      capacityMessages(
        start,
        spec([
          { name: 'blue', weight: 51, replicas: 1 },
          { name: 'green', weight: 49, replicas: 3 },
        ]),
      ),
    ).toEqual([
      'blue: blue gets 51% of the traffic with 25% of the serving capacity after the change: more than progression.maxLoadFactor 2 × 25% = 50%; scale blue up first (replicas 1 → at least 2), or take a smaller step (at most 50% of the traffic with this capacity)',
    ]);
  });

  it('passes once the color was scaled to the capacity the message names', () => {
    expect(
      capacityMessages(
        start,
        spec([
          { name: 'blue', weight: 51, replicas: 2 },
          { name: 'green', weight: 49, replicas: 3 },
        ]),
      ),
    ).toEqual([]);
  });

  it('holds at a factor that is not whole: 1.5 × 50% = 75% passes, 76% does not', () => {
    const progression = { maxLoadFactor: 1.5 };
    const from = spec(
      [
        { name: 'blue', weight: 50 },
        { name: 'green', weight: 50 },
      ],
      { progression },
    );
    expect(
      capacityMessages(
        from,
        spec(
          [
            { name: 'blue', weight: 75 },
            { name: 'green', weight: 25 },
          ],
          { progression },
        ),
      ),
    ).toEqual([]);
    expect(
      capacityMessages(
        from,
        spec(
          [
            { name: 'blue', weight: 76 },
            { name: 'green', weight: 24 },
          ],
          { progression },
        ),
      ),
    ).toEqual([
      'blue: blue gets 76% of the traffic with 50% of the serving capacity after the change: more than progression.maxLoadFactor 1.5 × 50% = 75%; scale blue up first (replicas 2 → at least 3), or take a smaller step (at most 75% of the traffic with this capacity)',
    ]);
  });

  it('holds a change to the lower of the previous and the new maxLoadFactor', () => {
    const raised = spec(
      [
        { name: 'blue', weight: 51, replicas: 1 },
        { name: 'green', weight: 49, replicas: 3 },
      ],
      { progression: { maxLoadFactor: 3 } },
    );
    expect(capacityMessages(start, raised)).toHaveLength(1);
  });

  it('counts an autoscaled color at its maximum, and names autoscaling.max to raise', () => {
    const autoscaled = (max: number) =>
      spec([
        { name: 'blue', weight: 30, replicas: 2 },
        { name: 'green', weight: 70, autoscaling: { min: 1, max } },
      ]);
    const from = spec([
      { name: 'blue', weight: 60, replicas: 2 },
      { name: 'green', weight: 40, autoscaling: { min: 1, max: 6 } },
    ]);
    expect(capacityMessages(from, autoscaled(6))).toEqual([]);
    expect(capacityMessages(from, autoscaled(1))).toEqual([
      'green: green gets 70% of the traffic with 33.3% of the serving capacity after the change: more than progression.maxLoadFactor 2 × 33.3% = 66.7%; scale green up first (autoscaling.max 1 → at least 2), or take a smaller step (at most 66% of the traffic with this capacity)',
    ]);
  });

  it('counts ECS tasks by their desired count', () => {
    const from = spec(
      [
        { name: 'blue', weight: 100, replicas: 3 },
        { name: 'green', weight: 0, replicas: 1 },
      ],
      {},
      'ecs',
    );
    expect(
      capacityMessages(
        from,
        spec(
          [
            { name: 'blue', weight: 50, replicas: 3 },
            { name: 'green', weight: 50, replicas: 1 },
          ],
          {},
          'ecs',
        ),
      ),
    ).toEqual([]);
    expect(
      capacityMessages(
        from,
        spec(
          [
            { name: 'blue', weight: 49, replicas: 3 },
            { name: 'green', weight: 51, replicas: 1 },
          ],
          {},
          'ecs',
        ),
      ),
    ).toEqual([
      'green: green gets 51% of the traffic with 25% of the serving capacity after the change: more than progression.maxLoadFactor 2 × 25% = 50%; scale green up first (replicas 1 → at least 2), or take a smaller step (at most 50% of the traffic with this capacity)',
    ]);
  });

  it('does not refuse a color whose load per pod the change lowers: a canary entering with more pods than it has', () => {
    const from = spec([
      { name: 'blue', weight: 100, replicas: 2 },
      { name: 'teal', weight: 0, replicas: 3 },
    ]);
    expect(
      capacityMessages(
        from,
        spec([
          { name: 'blue', weight: 90, replicas: 2 },
          { name: 'teal', weight: 10, replicas: 3 },
        ]),
      ),
    ).toEqual([]);
  });

  it('does not refuse a change that relieves an overloaded color, though it stays beyond the factor', () => {
    const from = spec([
      { name: 'blue', weight: 60, replicas: 1 },
      { name: 'green', weight: 40, replicas: 9 },
    ]);
    expect(
      capacityMessages(
        from,
        spec([
          { name: 'blue', weight: 55, replicas: 1 },
          { name: 'green', weight: 45, replicas: 9 },
        ]),
      ),
    ).toEqual([]);
    expect(
      capacityMessages(
        from,
        spec([
          { name: 'blue', weight: 61, replicas: 1 },
          { name: 'green', weight: 39, replicas: 9 },
        ]),
      ),
    ).toHaveLength(1);
  });

  describe('during a rolling update', () => {
    const rolled = (maxUnavailable: string) => {
      const rollingUpdate = { maxSurge: 0, maxUnavailable };
      return [
        spec([{ name: 'red', weight: 100, replicas: 4 }], { rollingUpdate }),
        spec([{ name: 'red', image: 'ghcr.io/acme/shop:2', weight: 100, replicas: 4 }], { rollingUpdate }),
      ] as const;
    };

    it('allows the color that carries the traffic to dip to its share over maxLoadFactor (2 of 4 pods at 100%)', () => {
      expect(capacityMessages(...rolled('50%'))).toEqual([]);
    });

    it('refuses a deeper dip, and names maxUnavailable', () => {
      expect(capacityMessages(...rolled('75%'))).toEqual([
        'red: red gets 100% of the traffic with 25% of the serving capacity during its rolling update (deploy phase 1, step 1: 1 of 4 pods ready): more than progression.maxLoadFactor 2 × 25% = 50%; lower rollingUpdate.maxUnavailable (3 pods of red here), or scale red up in an earlier change, so that enough pods serve while it rolls',
      ]);
    });

    it('lets a color with little traffic dip further', () => {
      const rollingUpdate = { maxSurge: 0, maxUnavailable: '75%' };
      const before = spec(
        [
          { name: 'red', weight: 90, replicas: 4 },
          { name: 'blue', weight: 10, replicas: 4 },
        ],
        { rollingUpdate },
      );
      const after = spec(
        [
          { name: 'red', weight: 90, replicas: 4 },
          { name: 'blue', image: 'ghcr.io/acme/shop:2', weight: 10, replicas: 4 },
        ],
        { rollingUpdate },
      );
      expect(capacityMessages(before, after)).toEqual([]);
    });
  });

  it('refuses shrinking a color in the change that moves its traffic away: the colors deploy before the router', () => {
    const before = spec([
      { name: 'red', weight: 50, replicas: 10 },
      { name: 'blue', weight: 50, replicas: 10 },
    ]);
    const after = spec([
      { name: 'red', weight: 10, replicas: 2 },
      { name: 'blue', weight: 90, replicas: 10 },
    ]);
    expect(capacityMessages(before, after)).toEqual([
      "red: red gets 50% of the traffic with 16.7% of the serving capacity in deploy phase 1 (step 1), before the router moves its traffic: more than progression.maxLoadFactor 2 × 16.7% = 33.3%; move red's traffic in one change and shrink it in the next, or keep more of its capacity",
    ]);
  });

  it('applies to a first deploy', () => {
    expect(
      capacityMessages(
        undefined,
        spec([
          { name: 'red', weight: 90, replicas: 1 },
          { name: 'blue', weight: 10, replicas: 10 },
        ]),
      ),
    ).toHaveLength(1);
  });

  it('says nothing when nothing deploys', () => {
    const s = spec([
      { name: 'red', weight: 90, replicas: 1 },
      { name: 'blue', weight: 10, replicas: 10 },
    ]);
    expect(capacityMessages(s, s)).toEqual([]);
  });

  it('compares exactly at the limit and prints shares to one decimal', () => {
    expect(isUnderCapacity(2 * (100 / 3), 100 / 3, 2)).toBe(false);
    expect(isUnderCapacity(67, 100 / 3, 2)).toBe(true);
    expect([formatPercent(25), formatPercent(100 / 3), formatPercent(200 / 3), formatPercent(99.96)]).toEqual([
      '25',
      '33.3',
      '66.7',
      '100',
    ]);
  });
});
