import { listenerParts } from './aws';
import {
  DEFAULT_CLOUD_HOSTNAME,
  KUBERNETES_BACKEND_LIMITS,
  MAX_WORKSPACE_NAME_LENGTH,
  NUMBERED_SUFFIX,
} from './backends';
import { FieldRule, FIELDS } from './fields';
import { MESSAGES, received } from './messages';
import { Problem } from './problem';
import { Backend, BackendSettings, BackendType, colorStackName, routerStackName } from './types';

/** Where a spec deploys to, as far as its state key is concerned. */
export interface StateTarget {
  readonly app: string;
  /** Set for the kubernetes platform. */
  readonly kubernetes?: { readonly namespace: string; readonly context?: string };
  /** Set for the ecs platform. */
  readonly ecs?: { readonly listenerArn: string };
  /** Set for the ec2 platform. */
  readonly ec2?: { readonly listenerArn: string };
}

/**
 * The S3 key prefix of a spec without `backend.s3.keyPrefix`: the app, then where it deploys, so
 * that two specs of one app for different clusters or accounts never share state.
 *
 * - kubernetes: `<app>/<context>/<namespace>`, or `<app>/<namespace>` without `kubernetes.context`
 *   (the cluster then comes from the deploying environment, which synthesis cannot see);
 * - ecs and ec2: `<app>/<account>-<region>/<load balancer>-<listener id>`, from the listener ARN.
 *
 * Every part is kept to letters, digits, `.`, `_` and `-` (anything else becomes `-`), so a
 * context such as an EKS ARN stays one readable path segment.
 */
export function defaultKeyPrefix(target: StateTarget): string {
  const alb = target.ecs ?? target.ec2;
  if (alb !== undefined) {
    const parts = listenerParts(alb.listenerArn);
    if (parts !== undefined)
      return [target.app, `${parts.account}-${parts.region}`, `${parts.loadBalancer}-${parts.listenerId}`].join('/');
    return [target.app, segment(alb.listenerArn)].join('/');
  }
  const k = target.kubernetes;
  if (k === undefined) return target.app;
  return [target.app, ...(k.context === undefined ? [] : [segment(k.context)]), segment(k.namespace)].join('/');
}

/** The S3 key, or Azure blob name, of a stack's state: `<keyPrefix>/<stack>.tfstate`. */
export function stateKey(keyPrefix: string, stackName: string): string {
  return `${keyPrefix}/${stackName}.tfstate`;
}

function segment(value: string): string {
  const kept = value.replace(/[^A-Za-z0-9._-]+/g, '-');
  return /^\.*$/.test(kept) ? '-' : kept;
}

/** A spec's `backend` block as its shape check leaves it: each backend's fields, the defaulted ones optional. */
export interface BackendInput {
  readonly s3?: { readonly bucket: string; readonly region: string; readonly keyPrefix?: string };
  readonly gcs?: { readonly bucket: string; readonly prefix?: string };
  readonly azurerm?: {
    readonly resourceGroupName: string;
    readonly storageAccountName: string;
    readonly containerName: string;
    readonly keyPrefix?: string;
  };
  readonly cloud?: {
    readonly organization: string;
    readonly workspacePrefix: string;
    readonly hostname?: string;
    readonly project?: string;
  };
  readonly kubernetes?: { readonly namespace: string; readonly secretSuffixPrefix: string; readonly context?: string };
}

/** The backends a spec's `backend` block may name, each with its BackendType. */
const BACKEND_KEYS = {
  s3: BackendType.S3,
  gcs: BackendType.GCS,
  azurerm: BackendType.AZURERM,
  cloud: BackendType.CLOUD,
  kubernetes: BackendType.KUBERNETES,
} as const;
type BackendKey = keyof typeof BACKEND_KEYS;
const KEYS = Object.keys(BACKEND_KEYS) as BackendKey[];

/**
 * The backend of a checked spec, with its defaults: no block is a local state per stack; the S3,
 * GCS and Azure prefixes default to defaultKeyPrefix (the app and where it deploys); the
 * Kubernetes backend's context to the platform's `kubernetes.context`, so the Secrets live in the
 * cluster the colors deploy to.
 */
export function resolveBackend(input: BackendInput | undefined, target: StateTarget): BackendSettings {
  const prefix = () => defaultKeyPrefix(target);
  if (input?.s3 !== undefined) return Backend.s3({ ...input.s3, keyPrefix: input.s3.keyPrefix ?? prefix() });
  if (input?.gcs !== undefined) return Backend.gcs({ ...input.gcs, prefix: input.gcs.prefix ?? prefix() });
  if (input?.azurerm !== undefined)
    return Backend.azurerm({ ...input.azurerm, keyPrefix: input.azurerm.keyPrefix ?? prefix() });
  if (input?.cloud !== undefined) return Backend.cloud(input.cloud);
  if (input?.kubernetes !== undefined)
    return Backend.kubernetes({ ...input.kubernetes, context: input.kubernetes.context ?? target.kubernetes?.context });
  return Backend.local();
}

/** The GCS prefix of a stack's state folder: `<prefix>/<stack>`, holding `default.tfstate` and `default.tflock`. */
export function gcsStatePrefix(prefix: string, stackName: string): string {
  return `${prefix}/${stackName}`;
}

/** The HCP Terraform workspace of a stack: `<workspacePrefix>-<stack>`. */
export function cloudWorkspaceName(workspacePrefix: string, stackName: string): string {
  return `${workspacePrefix}-${stackName}`;
}

/** The Kubernetes backend's `secret_suffix` of a stack: `<secretSuffixPrefix>-<stack>`. */
export function secretSuffix(secretSuffixPrefix: string, stackName: string): string {
  return `${secretSuffixPrefix}-${stackName}`;
}

/**
 * The Secret the Kubernetes backend keeps a stack's state in: `tfstate-default-<secret_suffix>` (cdktf deploys the
 * workspace "default").
 */
export function stateSecretName(secretSuffixPrefix: string, stackName: string): string {
  return `tfstate-${KUBERNETES_BACKEND_LIMITS.workspace}-${secretSuffix(secretSuffixPrefix, stackName)}`;
}

/**
 * Where a stack's state lives, written so that two stacks with the same text share one state
 * (undefined for the local backend, whose files are per stack by construction).
 */
export function stateLocation(backend: BackendSettings, stackName: string): string | undefined {
  const { s3, gcs, azurerm, cloud, kubernetes } = backend;
  switch (backend.type) {
    case BackendType.S3:
      return s3 === undefined ? undefined : `s3://${s3.bucket}/${stateKey(s3.keyPrefix, stackName)}`;
    case BackendType.GCS:
      return gcs === undefined
        ? undefined
        : `gs://${gcs.bucket}/${gcsStatePrefix(gcs.prefix, stackName)}/default.tfstate`;
    case BackendType.AZURERM:
      return azurerm === undefined
        ? undefined
        : `azurerm://${azurerm.storageAccountName}/${azurerm.containerName}/${stateKey(azurerm.keyPrefix, stackName)}`;
    case BackendType.CLOUD:
      return cloud === undefined
        ? undefined
        : `https://${cloud.hostname ?? DEFAULT_CLOUD_HOSTNAME}/app/${cloud.organization}/workspaces/${cloudWorkspaceName(cloud.workspacePrefix, stackName)}`;
    case BackendType.KUBERNETES:
      return kubernetes === undefined
        ? undefined
        : `kubernetes://${kubernetes.context ?? '(current context)'}/${kubernetes.namespace}/secrets/${stateSecretName(kubernetes.secretSuffixPrefix, stackName)}`;
    default:
      return undefined;
  }
}

/** The fields each backend's factory takes, for the message of a type without its settings. */
const FACTORY_FIELDS: Record<BackendKey, string> = {
  s3: 'bucket, region, keyPrefix',
  gcs: 'bucket, prefix',
  azurerm: 'resourceGroupName, storageAccountName, containerName, keyPrefix',
  cloud: 'organization, workspacePrefix',
  kubernetes: 'namespace, secretSuffixPrefix',
};

/**
 * Each backend's fields with their rules, in the order a spec writes them: `optional` ones may be
 * left out anywhere, `defaulted` ones only in a spec file (resolveBackend fills them in).
 */
const BACKEND_FIELDS: Record<BackendKey, ReadonlyArray<readonly [string, FieldRule, ('optional' | 'defaulted')?]>> = {
  s3: [
    ['bucket', FIELDS.bucket],
    ['region', FIELDS.region],
    ['keyPrefix', FIELDS.keyPrefix, 'defaulted'],
  ],
  gcs: [
    ['bucket', FIELDS.gcsBucket],
    ['prefix', FIELDS.gcsPrefix, 'defaulted'],
  ],
  azurerm: [
    ['resourceGroupName', FIELDS.resourceGroup],
    ['storageAccountName', FIELDS.storageAccount],
    ['containerName', FIELDS.blobContainer],
    ['keyPrefix', FIELDS.blobKeyPrefix, 'defaulted'],
  ],
  cloud: [
    ['organization', FIELDS.organization],
    ['workspacePrefix', FIELDS.workspacePrefix],
    ['hostname', FIELDS.host, 'optional'],
    ['project', FIELDS.project, 'optional'],
  ],
  kubernetes: [
    ['namespace', FIELDS.namespace],
    ['secretSuffixPrefix', FIELDS.secretSuffixPrefix],
    ['context', FIELDS.context, 'optional'],
  ],
};

/**
 * What is wrong with a backend built in code (library mode) for the given stacks: a type with no
 * settings or with another type's, every field as the spec file's rules would refuse it, and the
 * names the stacks' states would get (stackNameProblems). Paths are the spec's (`backend.gcs.bucket`).
 */
export function backendProblems(backend: BackendSettings, stackNames: readonly string[]): Problem[] {
  if (backend.type === BackendType.LOCAL) {
    return KEYS.filter((key) => backend[key] !== undefined).map((key) => ({
      path: `backend.${key}`,
      message: MESSAGES.backendOtherSettings('LOCAL', key),
    }));
  }
  const key = KEYS.find((k) => BACKEND_KEYS[k] === backend.type);
  if (key === undefined)
    return [{ path: 'backend.type', message: MESSAGES.backendTypeUnknown(backend.type, Object.values(BackendType)) }];
  const type = key.toUpperCase();
  const settings = backend[key] as Record<string, unknown> | undefined;
  if (settings === undefined)
    return [{ path: 'backend', message: MESSAGES.backendWithoutSettings(type, key, FACTORY_FIELDS[key]) }];
  const problems: Problem[] = KEYS.filter((k) => k !== key && backend[k] !== undefined).map((k) => ({
    path: `backend.${k}`,
    message: MESSAGES.backendOtherSettings(type, k),
  }));
  for (const [field, rule, optional] of BACKEND_FIELDS[key]) {
    const value = settings[field];
    if (value === undefined && optional === 'optional') continue;
    if (!rule.test(value)) problems.push({ path: `backend.${key}.${field}`, message: received(value, rule.expected) });
  }
  if (problems.length > 0) return problems;
  return stackNameProblems(backend, stackNames).map((p) => ({ path: p.path, message: p.message }));
}

/** A problem of the name a stack's state gets, with the stack it is about. */
interface StackNameProblem extends Problem {
  readonly stack: string;
}

/**
 * The names the stacks' states would get that the backend's service refuses (model/backends.ts):
 * an HCP Terraform workspace above 90 characters; a Kubernetes `secret_suffix` above the 63
 * characters of a label value, or ending in "-<number>". One problem per rule, for the longest
 * name, except the numbered suffix, which names its stack. The fields must be valid already.
 */
function stackNameProblems(backend: BackendSettings, stackNames: readonly string[]): StackNameProblem[] {
  const longest = stackNames.reduce((a, b) => (b.length > a.length ? b : a), '');
  const problems: StackNameProblem[] = [];
  if (backend.type === BackendType.CLOUD && backend.cloud !== undefined && longest !== '') {
    const { workspacePrefix } = backend.cloud;
    const workspace = cloudWorkspaceName(workspacePrefix, longest);
    if (workspace.length > MAX_WORKSPACE_NAME_LENGTH) {
      problems.push({
        path: 'backend.cloud.workspacePrefix',
        stack: longest,
        message: MESSAGES.workspaceNameTooLong(workspacePrefix, workspace, longest, MAX_WORKSPACE_NAME_LENGTH),
      });
    }
  }
  if (backend.type === BackendType.KUBERNETES && backend.kubernetes !== undefined && longest !== '') {
    const { secretSuffixPrefix } = backend.kubernetes;
    const suffix = secretSuffix(secretSuffixPrefix, longest);
    const max = KUBERNETES_BACKEND_LIMITS.labelValueLength;
    if (suffix.length > max)
      problems.push({
        path: 'backend.kubernetes.secretSuffixPrefix',
        stack: longest,
        message: MESSAGES.secretSuffixTooLong(secretSuffixPrefix, suffix, longest, max),
      });
    for (const stack of stackNames) {
      const own = secretSuffix(secretSuffixPrefix, stack);
      if (NUMBERED_SUFFIX.test(own))
        problems.push({ path: 'backend.kubernetes', stack, message: MESSAGES.secretSuffixNumbered(own, stack) });
    }
  }
  return problems;
}

/**
 * The backend rules of a spec document, run on it as parsed (spec-rules.ts): exactly one backend
 * in a `backend` block, and the names its stacks' states would get (stackNameProblems), once the
 * app, the color names and the backend's fields are valid. A numbered Secret suffix is reported
 * at the name of the color whose stack it is.
 */
export function specBackendProblems(doc: Readonly<Record<string, unknown>>): Problem[] {
  const block = doc.backend;
  if (typeof block !== 'object' || block === null || Array.isArray(block)) return [];
  const found = KEYS.filter((key) => (block as Record<string, unknown>)[key] !== undefined);
  // A block with nothing but unknown fields is the shape check's to report.
  if (found.length > 1 || Object.keys(block).length === 0)
    return [{ path: 'backend', message: MESSAGES.backendNotOne(found, KEYS) }];
  if (found.length === 0) return [];
  const key = found[0];
  const settings = (block as Record<string, unknown>)[key];
  const colors = Array.isArray(doc.colors) ? (doc.colors as unknown[]) : [];
  const names = colors.map((c) =>
    typeof c === 'object' && c !== null ? (c as Record<string, unknown>).name : undefined,
  );
  if (
    !FIELDS.app.test(doc.app) ||
    !names.every((n) => FIELDS.colorName.test(n)) ||
    typeof settings !== 'object' ||
    settings === null
  )
    return [];
  const fields = settings as Record<string, unknown>;
  if (
    !BACKEND_FIELDS[key].every(
      ([field, rule, optional]) => (fields[field] === undefined && optional !== undefined) || rule.test(fields[field]),
    )
  )
    return [];
  const app = doc.app as string;
  const stacks = [...(names as string[]).map((n) => colorStackName(app, n)), routerStackName(app)];
  const backend = { type: BACKEND_KEYS[key], [key]: fields } as BackendSettings;
  return stackNameProblems(backend, stacks).map((p) => {
    const color = (names as string[]).findIndex((n) => colorStackName(app, n) === p.stack);
    return p.path === 'backend.kubernetes' && color >= 0
      ? { path: `colors[${color}].name`, message: p.message }
      : { path: p.path, message: p.message };
  });
}
