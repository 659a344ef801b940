import { escapeInvisible } from '../model/text';
import { ColorSpec, ColorState, liveColors, RainbowSpec } from '../model/types';

/** What changed between two specs, color by color, and whether the router stack changed. */

export type ChangeKind = 'new' | 'updated' | 'retired' | 'removed' | 'unchanged';

export interface ColorChange {
  readonly name: string;
  readonly kind: ChangeKind;
  /** Set when the weight moved. */
  readonly weight?: { readonly from: number; readonly to: number };
  /** Why an `updated` color rolls: what changed. */
  readonly reasons: string[];
}

/** What a color's stack is made of, besides its weight and state: a change rolls the color. */
function colorFingerprint(spec: RainbowSpec, color: ColorSpec): Record<string, unknown> {
  // dns: the stack holds only its backend; the endpoint is the router's, and shown as the image.
  if (spec.dns !== undefined || color.endpoint !== undefined)
    return { platform: spec.platform, backend: spec.backend, app: spec.app };
  // An expiry is the spec's bookkeeping: changing it rolls nothing.
  const { weight: _weight, state: _state, expires: _expires, ...own } = color;
  return {
    ...own,
    platform: spec.platform,
    kubernetes:
      spec.kubernetes === undefined
        ? undefined
        : {
            ...spec.kubernetes,
            router: undefined,
            gateway: undefined,
            ingressClassName: undefined,
            tlsSecretName: undefined,
            istioGateways: undefined,
          },
    ecs: spec.ecs,
    ec2: spec.ec2,
    rollingUpdate: {
      ...spec.rollingUpdate,
      maxSurge: spec.rollingUpdate.maxSurge?.toString(),
      maxUnavailable: spec.rollingUpdate.maxUnavailable?.toString(),
    },
    healthCheck: spec.healthCheck,
    drainSeconds: spec.drainSeconds,
    backend: spec.backend,
    security: spec.security,
    app: spec.app,
    pinHeader: spec.ecs === undefined && spec.ec2 === undefined ? undefined : spec.routing.pinHeader,
  };
}

/**
 * Why a color that stays in the spec rolls: its image, or what else of its stack changed. Nothing for a retired color.
 */
export function rollReasons(previous: RainbowSpec, old: ColorSpec, current: RainbowSpec, color: ColorSpec): string[] {
  const a = colorFingerprint(previous, old);
  const b = colorFingerprint(current, color);
  const reasons: string[] = [];
  // Printed on a terminal: an invisible character must not make one image look like another.
  const what = color.endpoint === undefined ? 'image' : 'endpoint';
  if (old.image !== color.image)
    reasons.push(`${what} ${escapeInvisible(old.image)} → ${escapeInvisible(color.image)}`);
  for (const key of Object.keys({ ...a, ...b })) {
    if (key === 'image') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) reasons.push(`${key} changed`);
  }
  return color.state === ColorState.RETIRED ? [] : reasons;
}

/** What the router stack is made of: a change re-applies it. */
function routerFingerprint(spec: RainbowSpec): unknown {
  return {
    live: liveColors(spec).map((c) => (c.endpoint === undefined ? [c.name, c.weight] : [c.name, c.weight, c.endpoint])),
    dns: spec.dns,
    routing: spec.routing,
    kubernetes: spec.kubernetes,
    ecs:
      spec.ecs === undefined
        ? undefined
        : {
            region: spec.ecs.region,
            listenerArn: spec.ecs.listenerArn,
            host: spec.ecs.host,
            rulePriority: spec.ecs.rulePriority,
          },
    ec2:
      spec.ec2 === undefined
        ? undefined
        : {
            region: spec.ec2.region,
            listenerArn: spec.ec2.listenerArn,
            host: spec.ec2.host,
            rulePriority: spec.ec2.rulePriority,
          },
    backend: spec.backend,
    security: spec.security,
    app: spec.app,
  };
}

/** Whether the router stack changes: always on a first deploy. */
export function routerChanged(previous: RainbowSpec | undefined, current: RainbowSpec): boolean {
  return (
    previous === undefined || JSON.stringify(routerFingerprint(previous)) !== JSON.stringify(routerFingerprint(current))
  );
}
