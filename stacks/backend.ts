import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { BackendSettings } from '../spec/types';

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
 * Gives a stack its own state. Local: `<state folder>/<stack>.tfstate`, relative to the stack's
 * working directory (cdktf's default would be an absolute path of this machine). S3:
 * `<keyPrefix>/<stack>.tfstate`, encrypted, locked with an S3 lock file (Terraform 1.10 or later).
 */
export function addBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): void {
  if (backend.type === 'local') {
    const folder = (stack.node.tryGetContext(LOCAL_STATE_CONTEXT) as string | undefined) ?? DEFAULT_LOCAL_STATE_DIRECTORY;
    new LocalBackend(stack, { path: `${folder}/${stackName}.tfstate`, workspaceDir: `${folder}/${stackName}.tfstate.d` });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    region: backend.region,
    key: `${backend.keyPrefix}/${stackName}.tfstate`,
    encrypt: true,
  });
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
