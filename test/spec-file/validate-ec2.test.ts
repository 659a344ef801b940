import { rawEc2Spec, EC2_LISTENER } from '../fixtures/ec2';
import { problemLines, resolvedSpec } from '../spec-helpers';

type Mutate = (s: Record<string, any>) => void;

function problemsAfter(mutate: Mutate): string[] {
  const raw = rawEc2Spec();
  mutate(raw);
  return problemLines(raw);
}

const TOO_WIDE = (surge: string, s: number, unavailable: string, u: number, n: number, color: string) =>
  `rollingUpdate: received maxSurge ${surge} and maxUnavailable ${unavailable}, ${s} + ${u} of the ${n} ${n === 1 ? 'instance' : 'instances'} of ${color}; ` +
  `an EC2 instance refresh allows max_healthy_percentage 100 to 200 and at most 100 between it and min_healthy_percentage, so expected maxSurge + maxUnavailable of at most ${n} (more replicas, or a smaller maxSurge or maxUnavailable)`;

describe('validateSpec: ec2', () => {
  it("fills in the EC2 defaults, and each color's instance type", () => {
    const raw = rawEc2Spec();
    raw.colors[1].instanceType = 't3.medium';
    const spec = resolvedSpec(raw);
    expect(spec.platform).toBe('ec2');
    expect(spec.ecs).toBeUndefined();
    expect(spec.ec2).toEqual({
      region: 'eu-west-1',
      vpcId: 'vpc-0abc1234',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'],
      securityGroupIds: ['sg-0123abcd'],
      listenerArn: EC2_LISTENER,
      host: 'shop.example.com',
      rulePriority: 200,
      port: 8080,
      instanceType: 't3.small',
    });
    expect(spec.colors.map((c) => [c.name, c.instanceType, c.replicas, c.env])).toEqual([
      ['red', 't3.small', 3, {}],
      ['orange', 't3.medium', 2, {}],
    ]);
  });

  it('keeps user data as written, line breaks and tabs included, and the instance profile', () => {
    const raw = rawEc2Spec();
    Object.assign(raw.ec2, {
      userData: '#!/bin/bash\n\tsystemctl start shop\n',
      instanceProfile: 'shop-app',
      port: 80,
    });
    const spec = resolvedSpec(raw);
    expect([spec.ec2!.userData, spec.ec2!.instanceProfile, spec.ec2!.port]).toEqual([
      '#!/bin/bash\n\tsystemctl start shop\n',
      'shop-app',
      80,
    ]);
  });

  it('keeps the state of each spec apart by its listener, as with ecs', () => {
    const raw = rawEc2Spec();
    raw.backend = { s3: { bucket: 'acme-state', region: 'eu-west-1' } };
    expect(resolvedSpec(raw).backend.s3!.keyPrefix).toBe('shop/123456789012-eu-west-1/shop-f2f7dc8efc522ab2');
  });

  it('accepts instance types of every shape and public IPs when allowed', () => {
    for (const type of [
      't3.small',
      'm7g.2xlarge',
      'u-6tb1.metal',
      'mac2-m2pro.metal',
      'i4i.metal-24xl',
      'c7gn.16xlarge',
    ]) {
      expect({
        type,
        problems: problemsAfter((s) => {
          s.ec2.instanceType = type;
        }),
      }).toEqual({ type, problems: [] });
    }
    expect(
      problemsAfter((s) => {
        s.security = { allowPublicIp: true };
      }),
    ).toEqual([]);
  });

  it('accepts a policy every color can follow, and does not judge retired colors', () => {
    expect(
      problemsAfter((s) => {
        s.rollingUpdate = { maxSurge: 2, maxUnavailable: 1 };
        s.colors[1].replicas = 3;
      }),
    ).toEqual([]);
    expect(
      problemsAfter((s) => {
        s.rollingUpdate = { maxSurge: 3, maxUnavailable: 0 };
        s.colors[0].weight = 100;
        s.colors[1] = { name: 'orange', image: 'ami-0fedcba9876543210', weight: 0, replicas: 1, state: 'retired' };
      }),
    ).toEqual([]);
  });

  it.each<[string, Mutate, string]>([
    [
      'a missing ec2 block',
      (s) => {
        delete s.ec2;
      },
      'ec2: received nothing; expected the ec2 settings (platform is ec2)',
    ],
    [
      'an ecs block',
      (s) => {
        s.ecs = { ...s.ec2, cluster: 'shop', instanceType: undefined };
        delete s.ecs.instanceType;
      },
      'ecs: received an object; expected nothing: only the ecs platform uses it, and platform is ec2',
    ],
    [
      'a kubernetes block',
      (s) => {
        s.kubernetes = { host: 'x' };
      },
      'kubernetes: received an object; expected nothing: only the kubernetes platform uses it, and platform is ec2',
    ],
    [
      'a missing instance type',
      (s) => {
        delete s.ec2.instanceType;
      },
      'ec2.instanceType: received nothing; expected an EC2 instance type such as t3.small or m7g.2xlarge: a family with a digit, a dot and a size, in lowercase letters, digits and hyphens, at most 64 characters',
    ],
    [
      'an instance type without a size',
      (s) => {
        s.ec2.instanceType = 't3';
      },
      'ec2.instanceType: received "t3"; expected an EC2 instance type such as t3.small or m7g.2xlarge: a family with a digit, a dot and a size, in lowercase letters, digits and hyphens, at most 64 characters',
    ],
    [
      'an instance type in capitals',
      (s) => {
        s.colors[0].instanceType = 'T3.Small';
      },
      'colors[0].instanceType: received "T3.Small"; expected an EC2 instance type such as t3.small or m7g.2xlarge: a family with a digit, a dot and a size, in lowercase letters, digits and hyphens, at most 64 characters',
    ],
    [
      'an image that is a container image',
      (s) => {
        s.colors[1].image = 'ghcr.io/acme/shop:1.5.0';
      },
      'colors[1].image: received "ghcr.io/acme/shop:1.5.0" (23 characters); expected an AMI id: "ami-" and 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0: with platform ec2 a color\'s image is the machine image its instances start from',
    ],
    [
      'an AMI id of 9 digits',
      (s) => {
        s.colors[0].image = 'ami-012345678';
      },
      'colors[0].image: received "ami-012345678"; expected an AMI id: "ami-" and 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0: with platform ec2 a color\'s image is the machine image its instances start from',
    ],
    [
      'an AMI id in capitals',
      (s) => {
        s.colors[0].image = 'ami-0123456789ABCDEF0';
      },
      'colors[0].image: received "ami-0123456789ABCDEF0" (21 characters); expected an AMI id: "ami-" and 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0: with platform ec2 a color\'s image is the machine image its instances start from',
    ],
    [
      'an instance profile ARN instead of its name',
      (s) => {
        s.ec2.instanceProfile = 'arn:aws:iam::123456789012:instance-profile/shop';
      },
      'ec2.instanceProfile: received "arn:aws:iam::123456789012:instance-profile/shop" (47 characters); expected an IAM instance profile name: 1 to 128 letters, digits and +=,.@_-',
    ],
    [
      'empty user data',
      (s) => {
        s.ec2.userData = '';
      },
      'ec2.userData: received an empty string; expected a user data script or cloud-init document of 1 to 16384 bytes (the EC2 limit, before base64), without control characters but tab and line feed',
    ],
    [
      'user data of 16385 bytes',
      (s) => {
        s.ec2.userData = `#!/bin/sh\n${'x'.repeat(16375)}`;
      },
      'ec2.userData: received a string of 16385 characters; expected a user data script or cloud-init document of 1 to 16384 bytes (the EC2 limit, before base64), without control characters but tab and line feed',
    ],
    [
      'user data of 16384 characters but more bytes',
      (s) => {
        s.ec2.userData = `#!/bin/sh\n${'é'.repeat(16374)}`;
      },
      'ec2.userData: received a string of 16384 characters; expected a user data script or cloud-init document of 1 to 16384 bytes (the EC2 limit, before base64), without control characters but tab and line feed',
    ],
    [
      'user data with a carriage return, never echoed',
      (s) => {
        s.ec2.userData = '#!/bin/sh\r\nexport PASSWORD=hunter2\n';
      },
      'ec2.userData: received a string of 35 characters, with the control character U+000D at character 10; expected text without control characters (U+0000 to U+001F, U+007F to U+009F, U+202A to U+202E, U+2066 to U+2069)',
    ],
    [
      'user data with credentials in a URL',
      (s) => {
        s.ec2.userData = '#!/bin/sh\ncurl https://deploy:hunter2@repo.example.com/shop\n';
      },
      'ec2.userData: received a URL with credentials (60 characters); expected no credentials in the spec: keep them in a Secret and reference it',
    ],
    [
      'env',
      (s) => {
        s.env = { LOG_LEVEL: 'info' };
      },
      "env: received an object; expected nothing: with platform ec2 an instance's configuration comes from its AMI and ec2.userData, which cdktf-rainbow passes on unchanged; put the variables there (a new AMI or user data is a new color, or a refresh of one)",
    ],
    [
      'env on a color',
      (s) => {
        s.colors[1].env = { API_KEY: 'abc' };
      },
      "colors[1].env: received an object; expected nothing: with platform ec2 an instance's configuration comes from its AMI and ec2.userData, which cdktf-rainbow passes on unchanged; put the variables there (a new AMI or user data is a new color, or a refresh of one)",
    ],
    [
      'secretEnv',
      (s) => {
        s.secretEnv = { A: { secret: 'x', key: 'y' } };
      },
      'secretEnv: received an object; expected nothing: only the kubernetes platform uses it, and platform is ec2',
    ],
    [
      'Kubernetes resources',
      (s) => {
        s.resources = { requests: { cpu: '1' } };
      },
      'resources: received an object; expected nothing: only the kubernetes platform uses it, and platform is ec2',
    ],
    [
      'autoscaling on a color',
      (s) => {
        s.colors[0].autoscaling = { min: 1, max: 2 };
        delete s.colors[0].replicas;
      },
      'colors[0].autoscaling: received an object; expected nothing: only the kubernetes platform uses it, and platform is ec2',
    ],
    [
      'preview rules beyond priority 50000',
      (s) => {
        s.routing = { previewHosts: true };
        s.ec2.rulePriority = 49000;
      },
      'ec2.rulePriority: received 49000 with routing.previewHosts; expected at most 48000: preview rules take the priorities up to rulePriority + 2000, and an ALB allows at most 50000',
    ],
    [
      'a writable root filesystem allowance',
      (s) => {
        s.security = { allowWritableRootFilesystem: true };
      },
      'security.allowWritableRootFilesystem: received true; expected nothing: it applies to kubernetes and ecs only, and platform is ec2',
    ],
    [
      'a region that is not one',
      (s) => {
        s.ec2.region = 'ireland';
      },
      'ec2.region: received "ireland"; expected an AWS region such as eu-west-1',
    ],
    [
      'no subnets',
      (s) => {
        s.ec2.subnetIds = [];
      },
      'ec2.subnetIds: received an empty list; expected a list of at least one subnet id',
    ],
    [
      'a security group name instead of its id',
      (s) => {
        s.ec2.securityGroupIds = ['web'];
      },
      'ec2.securityGroupIds[0]: received "web"; expected a security group id: "sg-" and 8 or 17 hexadecimal digits',
    ],
    [
      'a listener in another region',
      (s) => {
        s.ec2.listenerArn = s.ec2.listenerArn.replace('eu-west-1', 'us-east-1');
      },
      'ec2.listenerArn: received a listener in us-east-1; expected one in ec2.region eu-west-1: the ALB and the instances must be in the same region',
    ],
    [
      'priority 49001',
      (s) => {
        s.ec2.rulePriority = 49001;
      },
      'ec2.rulePriority: received 49001; expected a whole number from 1 to 49000 (the app uses this priority and the next 1000)',
    ],
    [
      'six colors: five target groups per forward action',
      (s) => {
        s.colors = ['red', 'orange', 'yellow', 'green', 'blue', 'violet'].map((name, i) => ({
          name,
          image: 'ami-0123456789abcdef0',
          weight: i === 0 ? 100 : 0,
        }));
      },
      'colors: received 6 colors that are not retired; an ALB forward action holds at most 5 target groups, so at most 5 colors with platform ec2',
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
          { name: 'c29', image: 'ami-01234567', weight: 100 },
          { name: 'c32', image: 'ami-01234567', weight: 0 },
        ];
      },
      'colors[1].name: received "c32", whose listener rule priority 315 is already that of colors[0] "c29"; expected another color name (rule priorities follow from the names)',
    ],
    [
      'a pin header on Host',
      (s) => {
        s.routing = { pinHeader: 'Host' };
      },
      'routing.pinHeader: received "Host"; expected an HTTP header name an ALB can match: letters, digits and !#$%&\'*+-.^_`|~, at most 40 characters, not Host',
    ],
    [
      'a health check every 2 s',
      (s) => {
        s.healthCheck = { periodSeconds: 2 };
      },
      'healthCheck.periodSeconds: received 2; an ALB target group health check allows an interval from 5 to 300 seconds',
    ],
    [
      'a surge above a single instance',
      (s) => {
        s.rollingUpdate = { maxSurge: 2 };
        s.colors[0].replicas = 1;
        s.colors[1].replicas = 2;
      },
      TOO_WIDE('2', 2, '0', 0, 1, 'red'),
    ],
    [
      'a surge and unavailable above the default 2 instances',
      (s) => {
        s.rollingUpdate = { maxSurge: 1, maxUnavailable: 2 };
        s.colors[0].replicas = 4;
      },
      TOO_WIDE('1', 1, '2', 2, 2, 'orange'),
    ],
    [
      'percents above the instance count',
      (s) => {
        s.rollingUpdate = { maxSurge: '100%', maxUnavailable: '50%' };
        s.colors[1].replicas = 1;
      },
      TOO_WIDE('100%', 3, '50%', 1, 3, 'red'),
    ],
  ])('fails for %s', (_name, mutate, line) => {
    expect(problemsAfter(mutate)).toEqual([line]);
  });

  it('names every color whose instance refresh the policy does not fit', () => {
    expect(
      problemsAfter((s) => {
        s.rollingUpdate = { maxSurge: 2, maxUnavailable: 1 };
      }),
    ).toEqual([TOO_WIDE('2', 2, '1', 1, 2, 'orange')]);
    expect(
      problemsAfter((s) => {
        s.rollingUpdate = { maxSurge: 3, maxUnavailable: 1 };
      }),
    ).toEqual([TOO_WIDE('3', 3, '1', 1, 3, 'red'), TOO_WIDE('3', 3, '1', 1, 2, 'orange')]);
  });

  it('refuses an instance type on a color of another platform', () => {
    const raw = rawEc2Spec();
    raw.platform = 'ecs';
    raw.ecs = { ...raw.ec2, cluster: 'shop' };
    delete raw.ecs.instanceType;
    delete raw.ec2;
    raw.colors = [{ name: 'red', image: 'shop:1', weight: 100, instanceType: 't3.small' }];
    expect(problemLines(raw)).toEqual([
      'colors[0].instanceType: received "t3.small"; expected nothing: only the ec2 platform uses it, and platform is ecs',
    ]);
  });
});
