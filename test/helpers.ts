import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';
import { validateSpec } from '../spec/validate';
import { RainbowSpec } from '../spec/types';

/** One output folder for every test app of a test file: the tests synthesize stacks in memory (Testing.synth). */
let outdir: string | undefined;

/**
 * `Testing.app()` with the test file's one output folder. Without an outdir, Testing.app() makes
 * a temporary folder per app, which the tests never write to: over a thousand a run, each
 * created and removed on disk.
 */
export function testApp(): App {
  outdir ??= mkdtempSync(join(tmpdir(), 'cdktf-testing-'));
  return Testing.app({ outdir });
}

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
  if (spec === undefined) throw new Error(`test spec is invalid:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return spec;
}

/** Problems of a raw document, as the `<path>: <message>` lines the command prints. */
export function problemLines(raw: unknown): string[] {
  return validateSpec(raw).problems.map((p) => `${p.path}: ${p.message}`);
}

/** The synthesized JSON of a stack, with addValidation checks run. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** The one resource of a type in synthesized JSON (fails when there is not exactly one). */
export function onlyResource(json: any, type: string): any {
  const all = Object.values(json.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** An empty stack with a Kubernetes provider, for constructs in library mode. */
export function kubernetesStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
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
      listenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
      host: 'shop.example.com',
      rulePriority: 100,
    },
    colors: [
      { name: 'red', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0', weight: 90, replicas: 3 },
      { name: 'orange', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.5.0', weight: 10 },
    ],
  };
}

/** An empty stack with an AWS provider, for constructs in library mode. */
export function awsStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}
