import { colorRulePriority, weightedRulePriority } from '../../model/aws';
import { problemLines, rawEcsSpec, resolvedSpec } from '../spec-helpers';

type Mutate = (s: Record<string, any>) => void;

function problemsAfter(mutate: Mutate): string[] {
  const raw = rawEcsSpec();
  mutate(raw);
  return problemLines(raw);
}

describe('validateSpec: ecs', () => {
  it('fills in the ECS defaults', () => {
    const spec = resolvedSpec(rawEcsSpec());
    expect(spec.kubernetes).toBeUndefined();
    expect(spec.ecs).toEqual({
      region: 'eu-west-1',
      cluster: 'shop',
      vpcId: 'vpc-0abc1234',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
      securityGroupIds: ['sg-01234567'],
      listenerArn:
        'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
      host: 'shop.example.com',
      rulePriority: 100,
      port: 8080,
      cpu: 256,
      memory: 512,
      logRetentionDays: 30,
    });
  });

  it('accepts a cluster ARN, a task role and the largest Fargate size', () => {
    const raw = rawEcsSpec();
    Object.assign(raw.ecs, {
      cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
      taskRoleArn: 'arn:aws:iam::123456789012:role/shop-task',
      cpu: 16384,
      memory: 122880,
    });
    expect(problemLines(raw)).toEqual([]);
  });

  it('gives each color a rule priority that follows from its name, and the weighted rule 1000 after the first', () => {
    expect(colorRulePriority(100, 'red')).toBe(696);
    expect(colorRulePriority(100, 'orange')).toBe(159);
    expect(weightedRulePriority(100)).toBe(1100);
  });

  it.each<[string, Mutate, string]>([
    [
      'a missing ecs block',
      (s) => {
        delete s.ecs;
      },
      'ecs: received nothing; expected the ecs settings (platform is ecs)',
    ],
    [
      'a kubernetes block',
      (s) => {
        s.kubernetes = { host: 'x' };
      },
      'kubernetes: received an object; expected nothing: only the kubernetes platform uses it, and platform is ecs',
    ],
    [
      'a region that is not one',
      (s) => {
        s.ecs.region = 'ireland';
      },
      'ecs.region: received "ireland"; expected an AWS region such as eu-west-1',
    ],
    [
      'a cluster with a slash',
      (s) => {
        s.ecs.cluster = 'team/shop';
      },
      'ecs.cluster: received "team/shop"; expected an ECS cluster name (letters, digits, "-" and "_", at most 255) or ARN (arn:aws:ecs:<region>:<account>:cluster/<name>)',
    ],
    [
      'a short VPC id',
      (s) => {
        s.ecs.vpcId = 'vpc-0abc';
      },
      'ecs.vpcId: received "vpc-0abc"; expected a VPC id: "vpc-" and 8 or 17 hexadecimal digits',
    ],
    [
      'no subnets',
      (s) => {
        s.ecs.subnetIds = [];
      },
      'ecs.subnetIds: received an empty list; expected a list of at least one subnet id',
    ],
    [
      'a subnet id from the docs',
      (s) => {
        s.ecs.subnetIds = ['subnet-0a'];
      },
      'ecs.subnetIds[0]: received "subnet-0a"; expected a subnet id: "subnet-" and 8 or 17 hexadecimal digits',
    ],
    [
      'a security group name instead of its id',
      (s) => {
        s.ecs.securityGroupIds = ['web'];
      },
      'ecs.securityGroupIds[0]: received "web"; expected a security group id: "sg-" and 8 or 17 hexadecimal digits',
    ],
    [
      'a load balancer ARN instead of a listener ARN',
      (s) => {
        s.ecs.listenerArn =
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188';
      },
      'ecs.listenerArn: received "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadb..." (90 characters); expected an ALB listener ARN: arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<16 hex>/<16 hex>',
    ],
    [
      'a listener in another region',
      (s) => {
        s.ecs.listenerArn = s.ecs.listenerArn.replace('eu-west-1', 'us-east-1');
      },
      'ecs.listenerArn: received a listener in us-east-1; expected one in ecs.region eu-west-1: the ALB and the services must be in the same region',
    ],
    [
      'priority 0',
      (s) => {
        s.ecs.rulePriority = 0;
      },
      'ecs.rulePriority: received 0; expected a whole number from 1 to 49000 (the app uses this priority and the next 1000)',
    ],
    [
      'priority 49001',
      (s) => {
        s.ecs.rulePriority = 49001;
      },
      'ecs.rulePriority: received 49001; expected a whole number from 1 to 49000 (the app uses this priority and the next 1000)',
    ],
    [
      'cpu 300',
      (s) => {
        s.ecs.cpu = 300;
      },
      'ecs.cpu: received 300; expected a Fargate cpu size: 256, 512, 1024, 2048, 4096, 8192 or 16384',
    ],
    [
      'memory that does not fit the cpu',
      (s) => {
        s.ecs.cpu = 256;
        s.ecs.memory = 4096;
      },
      'ecs.memory: received 4096 with cpu 256; expected a Fargate memory size for that cpu: 512, 1024, 2048',
    ],
    [
      'memory between steps',
      (s) => {
        s.ecs.cpu = 1024;
        s.ecs.memory = 3000;
      },
      'ecs.memory: received 3000 with cpu 1024; expected a Fargate memory size for that cpu: 2048 to 8192 in steps of 1024',
    ],
    [
      'a log retention CloudWatch refuses',
      (s) => {
        s.ecs.logRetentionDays = 2;
      },
      'ecs.logRetentionDays: received 2; expected a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days',
    ],
    [
      'a task role that is a policy',
      (s) => {
        s.ecs.taskRoleArn = 'arn:aws:iam::123456789012:policy/shop';
      },
      'ecs.taskRoleArn: received "arn:aws:iam::123456789012:policy/shop" (37 characters); expected an IAM role ARN: arn:aws:iam::<account>:role/<name>',
    ],
    [
      'six colors: five target groups per forward action',
      (s) => {
        s.colors = ['red', 'orange', 'yellow', 'green', 'blue', 'violet'].map((name, i) => ({
          name,
          image: 'x:1',
          weight: i === 0 ? 100 : 0,
        }));
      },
      'colors: received 6 colors that are not retired; an ALB forward action holds at most 5 target groups, so at most 5 colors with platform ecs',
    ],
    [
      'a target group name over 32 characters',
      (s) => {
        s.app = 'shop-frontend-web';
        s.colors[1].name = 'orange-canary-2';
      },
      'colors[1].name: received "orange-canary-2" with app "shop-frontend-web": the target group name "shop-frontend-web-orange-canary-2" is 33 characters; AWS allows at most 32, so shorten the app or the color name',
    ],
    [
      'two colors whose rules would share a priority',
      (s) => {
        s.colors = [
          { name: 'c29', image: 'x:1', weight: 100 },
          { name: 'c32', image: 'x:1', weight: 0 },
        ];
      },
      'colors[1].name: received "c32", whose listener rule priority 215 is already that of colors[0] "c29"; expected another color name (rule priorities follow from the names)',
    ],
    [
      'a pin header on Host',
      (s) => {
        s.routing = { pinHeader: 'Host' };
      },
      'routing.pinHeader: received "Host"; expected an HTTP header name an ALB can match: letters, digits and !#$%&\'*+-.^_`|~, at most 40 characters, not Host',
    ],
    [
      'a pin header of 41 characters',
      (s) => {
        s.routing = { pinHeader: 'x'.repeat(41) };
      },
      `routing.pinHeader: received "${'x'.repeat(41)}" (41 characters); expected an HTTP header name an ALB can match: letters, digits and !#$%&'*+-.^_\`|~, at most 40 characters, not Host`,
    ],
    [
      'a health check every 2 s',
      (s) => {
        s.healthCheck = { periodSeconds: 2 };
      },
      'healthCheck.periodSeconds: received 2; an ALB target group health check allows an interval from 5 to 300 seconds',
    ],
    [
      'a failure threshold of 1',
      (s) => {
        s.healthCheck = { failureThreshold: 1 };
      },
      'healthCheck.failureThreshold: received 1; an ALB target group health check allows an unhealthy threshold from 2 to 10',
    ],
    [
      'Kubernetes resources',
      (s) => {
        s.resources = { requests: { cpu: '1' } };
      },
      'resources: received an object; expected nothing: only the kubernetes platform uses it, and platform is ecs',
    ],
    [
      'secretEnv',
      (s) => {
        s.secretEnv = { A: { secret: 'x', key: 'y' } };
      },
      'secretEnv: received an object; expected nothing: only the kubernetes platform uses it, and platform is ecs',
    ],
    [
      'a migration on a color',
      (s) => {
        s.colors[0].migration = { command: ['m'] };
      },
      'colors[0].migration: received an object; expected nothing: only the kubernetes platform uses it, and platform is ecs',
    ],
    [
      'autoscaling',
      (s) => {
        s.autoscaling = { min: 1, max: 2 };
        delete s.colors[0].replicas;
      },
      'autoscaling: received an object; expected nothing: only the kubernetes platform uses it, and platform is ecs',
    ],
    [
      'preview rules beyond priority 50000',
      (s) => {
        s.routing = { previewHosts: true };
        s.ecs.rulePriority = 48001;
      },
      'ecs.rulePriority: received 48001 with routing.previewHosts; expected at most 48000: preview rules take the priorities up to rulePriority + 2000, and an ALB allows at most 50000',
    ],
    [
      'a preview host too long for a host-header condition',
      (s) => {
        s.routing = { previewHosts: true };
        s.ecs.host = `${'a'.repeat(60)}.${'b'.repeat(49)}.example.com`;
      },
      `routing.previewHosts: received true, but the preview host "orange.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." (129 characters) is too long for an ALB host-header condition; expected <color>.<host> of at most 128 characters`,
    ],
  ])('fails for %s', (_name, mutate, line) => {
    expect(problemsAfter(mutate)).toEqual([line]);
  });

  it('accepts five colors and retired ones beyond them', () => {
    expect(
      problemsAfter((s) => {
        s.colors = ['red', 'orange', 'yellow', 'green', 'blue'].map((name, i) => ({
          name,
          image: 'x:1',
          weight: i === 0 ? 100 : 0,
        }));
        s.colors.push({ name: 'violet', image: 'x:1', weight: 0, state: 'retired' });
      }),
    ).toEqual([]);
  });

  it('accepts a target group name of exactly 32 characters', () => {
    expect(
      problemsAfter((s) => {
        s.app = 'shop-frontend-web';
        s.colors[1].name = 'orange-canary1';
      }),
    ).toEqual([]);
  });
});
