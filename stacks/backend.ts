import { LocalBackend, S3Backend, TerraformStack } from '../constructs/core';
import { IConstruct } from 'constructs';
import { RainbowValidationError } from '../model/problem';
import { stateKey } from '../model/state-keys';
import { BackendSettings, BackendType } from '../model/types';
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
 * Gives a stack its own state. Local: `<state folder>/<stack>.tfstate`, relative to the stack's
 * working directory (cdktf's default would be an absolute path of this machine). S3:
 * `<keyPrefix>/<stack>.tfstate`, encrypted, locked with an S3 lock file (Terraform 1.10 or later);
 * a second stack of the same app with the same bucket and key is refused.
 */
export function addBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): void {
  if (backend.type === BackendType.S3 && backend.s3 === undefined) {
    throw new RainbowValidationError([{ path: 'backend', message: STACK_MESSAGES.s3BackendWithoutSettings }], `stack ${stackName}`);
  }
  if (backend.type !== BackendType.S3 || backend.s3 === undefined) {
    const folder = (stack.node.tryGetContext(LOCAL_STATE_CONTEXT) as string | undefined) ?? DEFAULT_LOCAL_STATE_DIRECTORY;
    new LocalBackend(stack, { path: `${folder}/${stackName}.tfstate`, workspaceDir: `${folder}/${stackName}.tfstate.d` });
    return;
  }
  const { bucket, region, keyPrefix } = backend.s3;
  const key = stateKey(keyPrefix, stackName);
  claimStateKey(stack, `s3://${bucket}/${key}`, stackName);
  new S3Backend(stack, {
    bucket,
    region,
    key,
    encrypt: true,
  });
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

/** The state locations taken in each app (the root construct), with the stack that took each. */
const takenKeys = new WeakMap<IConstruct, Map<string, string>>();

/** Two stacks sharing one state would overwrite each other's resources: the second is refused. */
function claimStateKey(stack: TerraformStack, location: string, stackName: string): void {
  const taken = takenKeys.get(stack.node.root) ?? new Map<string, string>();
  takenKeys.set(stack.node.root, taken);
  const other = taken.get(location);
  if (other !== undefined) throw new RainbowValidationError([{ path: 'backend.s3', message: STACK_MESSAGES.stateKeyTaken(location, stack.node.path, other) }], `stack ${stackName}`);
  taken.set(location, stack.node.path);
}
