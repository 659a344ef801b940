import { validateSpecText } from '../../spec-file/load';
import { formatProblem } from '../../model/problem';
import { ecsMinReadyProblems } from '../../model/rolling';
import { problemLines, rawEcsSpec } from '../spec-helpers';
import { rawEc2Spec } from '../fixtures/ec2';

const ECS = [
  'app: shop',
  'platform: ecs',
  'ecs:',
  '  region: eu-west-1',
  '  cluster: shop',
  '  vpcId: vpc-0abc1234',
  '  subnetIds: [subnet-0a1b2c3d]',
  '  securityGroupIds: [sg-01234567]',
  '  listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
  '  host: shop.example.com',
  '  rulePriority: 100',
];
const COLORS = ['colors:', '  - {name: red, image: "shop:1", weight: 100}'];

/** The printed lines for a spec text read from `rainbow.yaml`. */
const lines = (...text: string[]) =>
  validateSpecText(`${text.join('\n')}\n`, 'rainbow.yaml').problems.map(formatProblem);

const MESSAGE =
  'expected 0 (or nothing) with ECS: no setting of an ECS service keeps a healthy new task waiting, so this would do nothing. ' +
  "For the time a new task may take to start before failed health checks count, set healthCheck.startupSeconds (the service's health_check_grace_period_seconds)";

describe('minReadySeconds on ECS', () => {
  it('fails for a value above 0, at the value, naming the field that gives a new task time to start', () => {
    expect(
      lines(
        ...ECS,
        'rollingUpdate:',
        '  maxSurge: 1',
        '  minReadySeconds: 30   # health check grace period',
        ...COLORS,
      ),
    ).toEqual([`rainbow.yaml:14:20: rollingUpdate.minReadySeconds: received 30; ${MESSAGE}`]);
    expect(lines(...ECS, 'rollingUpdate: {minReadySeconds: 5}', ...COLORS)).toEqual([
      `rainbow.yaml:12:34: rollingUpdate.minReadySeconds: received 5; ${MESSAGE}`,
    ]);
  });

  it('takes 0, or no value, and the grace period where it belongs', () => {
    expect(
      lines(...ECS, 'rollingUpdate: {minReadySeconds: 0}', 'healthCheck: {startupSeconds: 90}', ...COLORS),
    ).toEqual([]);
    expect(lines(...ECS, ...COLORS)).toEqual([]);
  });

  it("reports a value out of range once, by the field's own rule", () => {
    const raw = rawEcsSpec();
    raw.rollingUpdate = { minReadySeconds: 3601 };
    expect(problemLines(raw)).toEqual([
      'rollingUpdate.minReadySeconds: received 3601; expected a whole number of seconds from 0 to 3600',
    ]);
  });

  it('is reported with the other problems of the spec, at once', () => {
    const raw = rawEcsSpec();
    raw.rollingUpdate = { minReadySeconds: 10, maxSurge: 'lots' };
    expect(problemLines(raw)).toEqual([
      'rollingUpdate.maxSurge: received "lots"; expected a whole number of at least 0, or a percent "N%" with N a whole number from 0 to 100',
      `rollingUpdate.minReadySeconds: received 10; ${MESSAGE}`,
    ]);
  });

  it("stays the warm-up between batches on ec2, and the pods' minimum ready time on kubernetes", () => {
    const raw = rawEc2Spec();
    raw.rollingUpdate = { minReadySeconds: 60 };
    expect(problemLines(raw)).toEqual([]);
  });

  it('is one rule, for spec files and props alike', () => {
    expect(ecsMinReadyProblems(30)).toEqual([{ path: 'minReadySeconds', message: `received 30; ${MESSAGE}` }]);
    expect([
      ecsMinReadyProblems(0),
      ecsMinReadyProblems(undefined),
      ecsMinReadyProblems(-1),
      ecsMinReadyProblems(1.5),
      ecsMinReadyProblems('30'),
    ]).toEqual([[], [], [], [], []]);
  });
});
