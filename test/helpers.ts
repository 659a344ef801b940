import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';

// The spec documents, here too for the tests that build stacks; spec tests import spec-helpers.ts,
// which loads neither cdktf nor a provider.
export { problemLines, rawEcsSpec, rawSpec, resolvedSpec } from './spec-helpers';

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

/** An empty stack with an AWS provider, for constructs in library mode. */
export function awsStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(testApp(), id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}
