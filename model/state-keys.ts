import { listenerParts } from './aws';

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
    if (parts !== undefined) return [target.app, `${parts.account}-${parts.region}`, `${parts.loadBalancer}-${parts.listenerId}`].join('/');
    return [target.app, segment(alb.listenerArn)].join('/');
  }
  const k = target.kubernetes;
  if (k === undefined) return target.app;
  return [target.app, ...(k.context === undefined ? [] : [segment(k.context)]), segment(k.namespace)].join('/');
}

/** The S3 key of a stack's state: `<keyPrefix>/<stack>.tfstate`. */
export function stateKey(keyPrefix: string, stackName: string): string {
  return `${keyPrefix}/${stackName}.tfstate`;
}

function segment(value: string): string {
  const kept = value.replace(/[^A-Za-z0-9._-]+/g, '-');
  return /^\.*$/.test(kept) ? '-' : kept;
}
