import { Construct } from 'constructs';
import { DataTerraformRemoteStateConfig, TerraformBackend, TerraformRemoteState } from '../constructs/core';

/**
 * Terraform's `kubernetes` backend, which cdktf has no class for: the state in the Secret
 * `tfstate-<workspace>-<secretSuffix>` of `namespace`, locked with a Lease. The cluster comes
 * from the environment that deploys (KUBE_CONFIG_PATH and the backend's other variables), like
 * the Kubernetes provider's; `configContext` picks a kubeconfig context.
 * @see https://developer.hashicorp.com/terraform/language/backend/kubernetes
 */
export interface KubernetesBackendConfig {
  /** The backend's `secret_suffix`. */
  readonly secretSuffix: string;
  /** The namespace of the Secret and the Lease. */
  readonly namespace: string;
  /**
   * The backend's `config_context`.
   * @default - KUBE_CTX, or the kubeconfig's current context
   */
  readonly configContext?: string;
}

/** A backend block `terraform.backend.kubernetes`, as cdktf's own backend classes make theirs. */
export class KubernetesBackend extends TerraformBackend {
  constructor(
    scope: Construct,
    private readonly config: KubernetesBackendConfig,
  ) {
    super(scope, 'backend', 'kubernetes');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return attributes(this.config);
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return attributes(this.config);
  }

  /** A `terraform_remote_state` reading this backend's state, for references from another stack. */
  public getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string): TerraformRemoteState {
    return new KubernetesRemoteState(scope, name, { ...this.config, workspace: '${terraform.workspace}' });
  }
}

class KubernetesRemoteState extends TerraformRemoteState {
  constructor(scope: Construct, id: string, config: KubernetesBackendConfig & DataTerraformRemoteStateConfig) {
    super(scope, id, 'kubernetes', config);
  }
}

function attributes(config: KubernetesBackendConfig): Record<string, unknown> {
  return {
    secret_suffix: config.secretSuffix,
    namespace: config.namespace,
    ...(config.configContext === undefined ? {} : { config_context: config.configContext }),
  };
}
