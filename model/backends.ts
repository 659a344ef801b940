/**
 * The names each state backend's own service accepts, with the source of each rule: fields.ts
 * makes spec fields and props checks of them, state-keys.ts checks the names a stack's state gets
 * (a workspace, a Secret) against the same limits. A name refused here is one the backend or its
 * service would refuse at `terraform init` or at the first write of the state. Each length is a
 * named constant that both the pattern and the text of model/messages.ts are built from.
 */

import { DNS_NAME_LIMITS, KUBERNETES_NAME_LIMITS } from './types';

/**
 * S3 bucket names (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit first and last (and no
 * two dots in a row, which model/fields.ts refuses besides this pattern).
 */
export const S3_BUCKET_LENGTH = { min: 3, max: 63 } as const;
export const S3_BUCKET = new RegExp(
  `^[a-z0-9][a-z0-9.-]{${S3_BUCKET_LENGTH.min - 2},${S3_BUCKET_LENGTH.max - 2}}[a-z0-9]$`,
);

/**
 * Google Cloud Storage bucket names (https://cloud.google.com/storage/docs/buckets#naming):
 * lowercase letters, digits, `-`, `_` and `.`, a letter or digit first and last; 3 to 63
 * characters, or up to 222 with dots, each dot-separated part at most 63; not an IP address in
 * dotted-decimal notation; not starting with "goog" nor containing "google" or a close
 * misspelling of it (this refuses "g00gle", "go0gle" and "g0ogle"). An empty part ("a..b") is
 * refused too: a bucket name with dots is a DNS name.
 */
export const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;
export const GCS_BUCKET_PART_LENGTH = 63;
export const GCS_BUCKET_PARTS = new RegExp(
  `^[^.]{1,${GCS_BUCKET_PART_LENGTH}}(\\.[^.]{1,${GCS_BUCKET_PART_LENGTH}})*$`,
);
export const GCS_BUCKET_GOOGLE = /^goog|g[o0][o0]gle/;
export const IPV4_ADDRESS = /^\d+(\.\d+){3}$/;
export const GCS_BUCKET_LENGTH = { min: 3, max: 222 } as const;

export function isGcsBucket(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    v.length >= GCS_BUCKET_LENGTH.min &&
    v.length <= GCS_BUCKET_LENGTH.max &&
    GCS_BUCKET.test(v) &&
    GCS_BUCKET_PARTS.test(v) &&
    !GCS_BUCKET_GOOGLE.test(v) &&
    !IPV4_ADDRESS.test(v)
  );
}

/**
 * An object name prefix, for S3 keys, GCS objects and Azure blobs: the characters S3 calls safe
 * (letters, digits and `!-_.*'()`), in parts separated by "/", at most 200 characters. The
 * services accept more (any UTF-8 up to 1024 bytes), but the Terraform GCS backend strips a leading "/",
 * and Azure advises against blob names ending in "." or "/" and against URL-reserved characters
 * (https://cloud.google.com/storage/docs/objects#naming,
 * https://learn.microsoft.com/en-us/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#blob-names).
 */
export const OBJECT_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
export const MAX_OBJECT_PREFIX_LENGTH = 200;

/**
 * Azure names (https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/resource-name-rules):
 * - a storage account (Microsoft.Storage/storageAccounts): 3 to 24 lowercase letters and digits;
 * - a blob container: 3 to 63 lowercase letters, digits and hyphens, a letter or digit first and
 *   last, no two hyphens in a row
 *   (https://learn.microsoft.com/en-us/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names);
 * - a resource group (Microsoft.Resources/resourcegroups): 1 to 90 letters, digits, `_`, `-`,
 *   `.`, `(` and `)`, not ending in "."; Azure also allows non-ASCII letters and digits, which
 *   this refuses (a spec file's names stay ASCII).
 */
export const STORAGE_ACCOUNT_LENGTH = { min: 3, max: 24 } as const;
export const STORAGE_ACCOUNT = new RegExp(`^[a-z0-9]{${STORAGE_ACCOUNT_LENGTH.min},${STORAGE_ACCOUNT_LENGTH.max}}$`);
export const BLOB_CONTAINER = /^[a-z0-9](-?[a-z0-9])+$/;
export const BLOB_CONTAINER_LENGTH = { min: 3, max: 63 } as const;
export const RESOURCE_GROUP_LENGTH = { min: 1, max: 90 } as const;
export const RESOURCE_GROUP = new RegExp(
  `^[-A-Za-z0-9_.()]{${RESOURCE_GROUP_LENGTH.min - 1},${RESOURCE_GROUP_LENGTH.max - 1}}[-A-Za-z0-9_()]$`,
);

/**
 * HCP Terraform names:
 * - a workspace: letters, digits, `-` and `_`
 *   (https://developer.hashicorp.com/terraform/cloud-docs/api-docs/workspaces#request-body), at most
 *   90 characters (https://developer.hashicorp.com/terraform/cloud-docs/workspaces/create#workspace-naming);
 * - an organization: letters, digits, `-`, `_` and `.`, the names the API client go-tfe
 *   accepts (`validStringID`, https://github.com/hashicorp/go-tfe);
 * - a project: 3 to 40 letters, digits, spaces, `-` and `_`, no space first or last
 *   (https://developer.hashicorp.com/terraform/cloud-docs/api-docs/projects#request-body).
 */
export const WORKSPACE_NAME = /^[A-Za-z0-9_-]+$/;
export const MAX_WORKSPACE_NAME_LENGTH = 90;
export const ORGANIZATION_NAME = /^[A-Za-z0-9._-]+$/;
export const PROJECT_NAME_LENGTH = { min: 3, max: 40 } as const;
export const PROJECT_NAME = new RegExp(
  `^[A-Za-z0-9_-][A-Za-z0-9 _-]{${PROJECT_NAME_LENGTH.min - 2},${PROJECT_NAME_LENGTH.max - 2}}[A-Za-z0-9_-]$`,
);
/** What `cloud.hostname` is without one: HCP Terraform. */
export const DEFAULT_CLOUD_HOSTNAME = 'app.terraform.io';

/**
 * The Kubernetes backend (Terraform's internal/backend/remote-state/kubernetes): the state of a
 * stack is the Secret `tfstate-<workspace>-<secret_suffix>` in the backend's namespace, locked
 * with the Lease `lock-<Secret name>`; cdktf deploys the workspace "default".
 * - The Secret name must be a DNS subdomain name, at most 253 characters (the backend checks it
 *   with IsDNS1123Subdomain; https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names),
 *   and so must the Lease's name, 5 characters longer.
 * - The backend labels the Secret `tfstateSecretSuffix: <secret_suffix>`, so the suffix must be
 *   a label value: at most 63 characters
 *   (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set).
 *   This is the limit that binds: with it, the Lease's name has at most 84 characters (and the
 *   numbered Secrets of a state split over several a few more), far below 253.
 * - The backend refuses a `secret_suffix` ending in "-<number>", which it keeps for the Secrets
 *   of a state split over several (https://developer.hashicorp.com/terraform/language/backend/kubernetes).
 */
export const SECRET_SUFFIX_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const KUBERNETES_BACKEND_LIMITS = {
  labelValueLength: KUBERNETES_NAME_LIMITS.labelValueLength,
  objectNameLength: DNS_NAME_LIMITS.nameLength,
  leasePrefix: 'lock-',
  workspace: 'default',
} as const;
/** A `secret_suffix` the backend refuses: "-" then digits at its end. */
export const NUMBERED_SUFFIX = /-\d+$/;
