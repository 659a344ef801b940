import {
  AzurermBackend,
  CloudBackend,
  GcsBackend,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformStack,
} from '../constructs/core';
import { IConstruct } from 'constructs';
import { RainbowValidationError } from '../model/problem';
import {
  backendProblems,
  cloudWorkspaceName,
  gcsStatePrefix,
  secretSuffix,
  stateKey,
  stateLocation,
} from '../model/state-keys';
import { BackendSettings, BackendType } from '../model/types';
import { KubernetesBackend } from './kubernetes-backend';
import { STACK_MESSAGES } from './messages';

/**
 * The construct context key holding the state folder as seen from a stack's working directory
 * (`<out>/stacks/<stack>/`), a relative path; rainbowApp and main.ts set it.
 */
export const LOCAL_STATE_CONTEXT = 'cdktf-rainbow:localStateDirectory';

/**
 * Without the context: a `rainbow-state/` folder beside the output directory. The folder lies
 * outside the output that synth replaces; non-default workspaces go to `<stack>.tfstate.d/` in it.
 */
export const DEFAULT_LOCAL_STATE_DIRECTORY = '../../../rainbow-state';

/**
 * Gives a stack its own state (docs/state.md has each layout and its sources):
 * - local: `<state folder>/<stack>.tfstate`, relative to the stack's working directory (cdktf's
 *   default would be an absolute path of this machine);
 * - s3: `<keyPrefix>/<stack>.tfstate`, encrypted, locked with an S3 lock file (Terraform 1.10 or later);
 * - gcs: the folder `<prefix>/<stack>/` (`default.tfstate`, locked by `default.tflock`);
 * - azurerm: the blob `<keyPrefix>/<stack>.tfstate`, locked with a blob lease;
 * - cloud: the HCP Terraform workspace `<workspacePrefix>-<stack>`;
 * - kubernetes: the Secret `tfstate-default-<secretSuffixPrefix>-<stack>`, locked with a Lease.
 *
 * A backend the model refuses (model/state-keys.ts backendProblems: the spec file's rules, and the
 * names the stack's state would get) throws, as does a second stack of the same app with the same
 * state location.
 */
export function addBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): void {
  const problems = backendProblems(backend, [stackName]);
  if (problems.length > 0) throw new RainbowValidationError(problems, `stack ${stackName}`);
  const location = stateLocation(backend, stackName);
  if (location !== undefined) claimStateKey(stack, location, stackName, backend.type);
  const { s3, gcs, azurerm, cloud, kubernetes } = backend;
  if (s3 !== undefined) {
    new S3Backend(stack, {
      bucket: s3.bucket,
      region: s3.region,
      key: stateKey(s3.keyPrefix, stackName),
      encrypt: true,
    });
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  } else if (gcs !== undefined) {
    new GcsBackend(stack, { bucket: gcs.bucket, prefix: gcsStatePrefix(gcs.prefix, stackName) });
  } else if (azurerm !== undefined) {
    const { resourceGroupName, storageAccountName, containerName, keyPrefix } = azurerm;
    new AzurermBackend(stack, {
      resourceGroupName,
      storageAccountName,
      containerName,
      key: stateKey(keyPrefix, stackName),
    });
  } else if (cloud !== undefined) {
    new CloudBackend(stack, {
      organization: cloud.organization,
      ...(cloud.hostname === undefined ? {} : { hostname: cloud.hostname }),
      workspaces: new NamedCloudWorkspace(cloudWorkspaceName(cloud.workspacePrefix, stackName), cloud.project),
    });
  } else if (kubernetes !== undefined) {
    new KubernetesBackend(stack, {
      secretSuffix: secretSuffix(kubernetes.secretSuffixPrefix, stackName),
      namespace: kubernetes.namespace,
      ...(kubernetes.context === undefined ? {} : { configContext: kubernetes.context }),
    });
  } else {
    const folder =
      (stack.node.tryGetContext(LOCAL_STATE_CONTEXT) as string | undefined) ?? DEFAULT_LOCAL_STATE_DIRECTORY;
    new LocalBackend(stack, {
      path: `${folder}/${stackName}.tfstate`,
      workspaceDir: `${folder}/${stackName}.tfstate.d`,
    });
  }
}

/** The state locations taken in each app (the root construct), with the stack that took each. */
const takenKeys = new WeakMap<IConstruct, Map<string, string>>();

/** Two stacks sharing one state would overwrite each other's resources: the second is refused. */
function claimStateKey(stack: TerraformStack, location: string, stackName: string, type: BackendType): void {
  const taken = takenKeys.get(stack.node.root) ?? new Map<string, string>();
  takenKeys.set(stack.node.root, taken);
  const other = taken.get(location);
  if (other !== undefined) {
    throw new RainbowValidationError(
      [{ path: `backend.${type}`, message: STACK_MESSAGES.stateKeyTaken(location, stack.node.path, other, type) }],
      `stack ${stackName}`,
    );
  }
  taken.set(location, stack.node.path);
}
