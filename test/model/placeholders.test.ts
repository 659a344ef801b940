import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPlaceholder, PLACEHOLDERS, placeholderProblems } from '../../model/placeholders';
import { formatProblem } from '../../model/problem';
import { validateSpecText } from '../../spec-file/load';

const ROOT = resolve(__dirname, '..', '..');

/** A spec as rainbow init would write it with the model's placeholders (the template the lead wires). */
const ECS_TEMPLATE = `app: shop
platform: ecs
ecs:
  region: eu-west-1
  cluster: ${PLACEHOLDERS.cluster}
  vpcId: ${PLACEHOLDERS.vpcId}
  subnetIds: [${PLACEHOLDERS.subnetIds.join(', ')}]
  securityGroupIds: [${PLACEHOLDERS.securityGroupIds.join(', ')}]
  listenerArn: ${PLACEHOLDERS.listenerArn}
  host: ${PLACEHOLDERS.host('shop')}
  rulePriority: 100
  port: 8080
colors:
  - name: blue
    image: ${PLACEHOLDERS.ecrImage('shop')}
    weight: 100
    replicas: 2
`;

describe('placeholders of rainbow init', () => {
  it('refuses every placeholder, each at its line, saying what to put there', () => {
    expect(validateSpecText(ECS_TEMPLATE, 'rainbow.yaml').problems.map(formatProblem)).toEqual([
      'rainbow.yaml:5:12: ecs.cluster: received "replace-me", a placeholder that rainbow init wrote; expected the name or ARN of your ECS cluster',
      'rainbow.yaml:6:10: ecs.vpcId: received "vpc-00000000000000000" (21 characters), a placeholder that rainbow init wrote; expected the id of your VPC (vpc-...)',
      'rainbow.yaml:7:15: ecs.subnetIds[0]: received "subnet-00000000000000000" (24 characters), a placeholder that rainbow init wrote; expected the ids of the private subnets the workload runs in (subnet-...), in two Availability Zones',
      'rainbow.yaml:7:41: ecs.subnetIds[1]: received "subnet-00000000000000001" (24 characters), a placeholder that rainbow init wrote; expected the ids of the private subnets the workload runs in (subnet-...), in two Availability Zones',
      'rainbow.yaml:8:22: ecs.securityGroupIds[0]: received "sg-00000000000000000", a placeholder that rainbow init wrote; expected the ids of the security groups that let the ALB reach the port (sg-...)',
      'rainbow.yaml:9:16: ecs.listenerArn: received "arn:aws:elasticloadbalancing:eu-west-1:000000000000:liste..." (109 characters), ' +
        "a placeholder that rainbow init wrote; expected the ARN of your ALB's HTTPS listener (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/...)",
      'rainbow.yaml:10:9: ecs.host: received "shop.replace-me.invalid" (23 characters), a placeholder that rainbow init wrote; expected the host name your clients use, such as shop.acme.com',
      'rainbow.yaml:15:12: colors[0].image: received "000000000000.dkr.ecr.eu-west-1.amazonaws.com/replace-me/s..." (66 characters), a placeholder that rainbow init wrote; ' +
        "expected your application's image with its version tag, such as ghcr.io/acme/shop:1.4.0",
    ]);
  });

  it('names the Gateway, the Istio gateways and the AMI placeholders', () => {
    const doc = {
      platform: 'ec2',
      kubernetes: { gateway: PLACEHOLDERS.gateway, istioGateways: PLACEHOLDERS.istioGateways },
      colors: [{ image: PLACEHOLDERS.ami }],
    };
    expect(placeholderProblems(doc).map((p) => `${p.path}: ${p.message.replace(/.*expected /, '')}`)).toEqual([
      'kubernetes.gateway.name: the name and namespace of the Gateway your HTTPRoute attaches to (kubectl get gateways -A)',
      'kubernetes.gateway.namespace: the name and namespace of the Gateway your HTTPRoute attaches to (kubectl get gateways -A)',
      'kubernetes.istioGateways[0]: the Istio Gateways that serve the host, as namespace/name (kubectl get gateways.networking.istio.io -A), or mesh',
      'colors[0].image: the id of the AMI your release is built into, such as ami-0fedcba9876543210',
    ]);
  });

  it.each([
    'shop.example.com',
    'vpc-0123456789abcdef0',
    'ami-0123456789abcdef0',
    'ami-00112233445566778',
    'subnet-0a1b2c3d',
    'sg-01234567',
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0',
    'replacement',
    'no-replace-meant',
    'vpc-10000000000000000',
  ])('does not take the real-looking %s for a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });

  it('leaves free text alone: env, annotations, user data', () => {
    expect(
      placeholderProblems({
        env: { A: 'replace-me' },
        podAnnotations: { b: 'replace-me' },
        ec2: { userData: 'replace-me' },
      }),
    ).toEqual([]);
  });

  it("finds none in the repository's examples", () => {
    const dir = join(ROOT, 'examples');
    for (const example of readdirSync(dir)) {
      let text: string;
      try {
        text = readFileSync(join(dir, example, 'rainbow.yaml'), 'utf8');
      } catch {
        continue;
      }
      expect({
        example,
        problems: validateSpecText(text, example).problems.filter((p) =>
          p.message.includes('placeholder that rainbow init'),
        ),
      }).toEqual({ example, problems: [] });
    }
  });
});
