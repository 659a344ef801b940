import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { BackendSettings } from '../spec/types';

/**
 * Gives a stack its own state. Local: `terraform.<stack>.tfstate`, relative to the stack's
 * working directory (cdktf's default would be an absolute path of this machine). S3:
 * `<keyPrefix>/<stack>.tfstate`, encrypted, locked with an S3 lock file (Terraform 1.10 or later).
 */
export function addBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): void {
  if (backend.type === 'local') {
    new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
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
