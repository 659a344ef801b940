import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { KubernetesSettings } from '../spec/types';

/**
 * The Kubernetes provider of a stack. The cluster comes from the environment that runs
 * `cdktf deploy` (KUBE_CONFIG_PATH, or the provider's other variables), never from a path
 * of the machine that synthesized; `context` picks a kubeconfig context.
 */
export function addKubernetesProvider(scope: Construct, settings: Pick<KubernetesSettings, 'context'>): KubernetesProvider {
  return new KubernetesProvider(scope, 'kubernetes', settings.context === undefined ? {} : { configContext: settings.context });
}

/**
 * The AWS provider of a stack, for one region. Credentials come from the environment that runs
 * `cdktf deploy` (AWS_PROFILE, role, ...). Every resource is tagged with the app (and color).
 */
export function addAwsProvider(scope: Construct, region: string, tags: Record<string, string>): AwsProvider {
  return new AwsProvider(scope, 'aws', { region, defaultTags: [{ tags: { ...tags, 'managed-by': 'cdktf-rainbow' } }] });
}
