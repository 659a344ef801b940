import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { KubernetesSettings, MANAGED_BY } from '../model/types';

// Each provider is loaded only when a spec uses its platform: a synth pays for one provider's
// bindings, not both (bench/README.md, "Why the targets are missed").

/**
 * The Kubernetes provider of a stack. The cluster comes from the environment that runs
 * `cdktf deploy` (KUBE_CONFIG_PATH, or the provider's other variables), never from a path
 * of the machine that synthesized; `context` picks a kubeconfig context. Annotation and label
 * keys matching `ignoreAnnotations` / `ignoreLabels` (regular expressions) belong to other
 * controllers: Terraform leaves them alone on the root metadata of the typed resources.
 */
export function addKubernetesProvider(
  scope: Construct,
  settings: Pick<KubernetesSettings, 'context'> &
    Partial<Pick<KubernetesSettings, 'ignoreAnnotations' | 'ignoreLabels'>>,
): KubernetesProvider {
  const { KubernetesProvider: Provider } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@cdktf/provider-kubernetes/lib/provider') as typeof import('@cdktf/provider-kubernetes/lib/provider');
  return new Provider(scope, 'kubernetes', {
    ...(settings.context === undefined ? {} : { configContext: settings.context }),
    ...(settings.ignoreAnnotations === undefined || settings.ignoreAnnotations.length === 0
      ? {}
      : { ignoreAnnotations: [...settings.ignoreAnnotations] }),
    ...(settings.ignoreLabels === undefined || settings.ignoreLabels.length === 0
      ? {}
      : { ignoreLabels: [...settings.ignoreLabels] }),
  });
}

/**
 * The AWS provider of a stack, for one region. Credentials come from the environment that runs
 * `cdktf deploy` (AWS_PROFILE, role, ...). Every resource is tagged with the app (and color).
 */
export function addAwsProvider(scope: Construct, region: string, tags: Record<string, string>): AwsProvider {
  const { AwsProvider: Provider } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
  return new Provider(scope, 'aws', { region, defaultTags: [{ tags: { ...tags, 'managed-by': MANAGED_BY } }] });
}
