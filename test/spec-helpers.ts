// Spec documents for tests: pure, like spec/ itself. Importing test/helpers.ts instead would load
// cdktf and two provider packages into a test that needs neither (about half a second a file).
import { RainbowSpec } from '../model/types';
import { validateSpec } from '../spec-file/validate';

/** A valid raw spec document (as read from YAML); each call returns a fresh copy to mutate. */
export function rawSpec(): Record<string, any> {
  return {
    app: 'shop',
    platform: 'kubernetes',
    kubernetes: {
      namespace: 'shop',
      router: 'gateway-api',
      gateway: { name: 'public', namespace: 'infra' },
      host: 'shop.example.com',
      port: 8080,
    },
    colors: [
      { name: 'red', image: 'ghcr.io/acme/shop:1.4.0', weight: 90, replicas: 3 },
      { name: 'orange', image: 'ghcr.io/acme/shop:1.5.0', weight: 10 },
    ],
  };
}

/** The resolved spec of a raw document that must be valid. */
export function resolvedSpec(raw: Record<string, any> = rawSpec()): RainbowSpec {
  const { spec, problems } = validateSpec(raw);
  if (spec === undefined)
    throw new Error(`test spec is invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return spec;
}

/** Problems of a raw document, as the `<path>: <message>` lines the command prints. */
export function problemLines(raw: unknown): string[] {
  return validateSpec(raw).problems.map((p) => `${p.path}: ${p.message}`);
}

/** A valid raw ECS spec document; each call returns a fresh copy to mutate. */
export function rawEcsSpec(): Record<string, any> {
  return {
    app: 'shop',
    platform: 'ecs',
    ecs: {
      region: 'eu-west-1',
      cluster: 'shop',
      vpcId: 'vpc-0abc1234',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
      securityGroupIds: ['sg-01234567'],
      listenerArn:
        'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
      host: 'shop.example.com',
      rulePriority: 100,
    },
    colors: [
      { name: 'red', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0', weight: 90, replicas: 3 },
      { name: 'orange', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.5.0', weight: 10 },
    ],
  };
}
