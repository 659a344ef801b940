import { MESSAGES } from './messages';
import { Problem } from './problem';

/** Kubernetes resource quantities (`100m`, `128Mi`, `1e3`), as the API server reads them. */

/** The largest quantity text the spec and the props take. */
export const MAX_RESOURCE_QUANTITY_LENGTH = 64;
export const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)(([eE][-+]?\d+)|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

const MULTIPLIERS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function isResourceQuantity(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_RESOURCE_QUANTITY_LENGTH && QUANTITY.test(value);
}

/** The quantity's value in base units (cores, bytes), precise enough to compare a limit with a request. */
export function resourceQuantityValue(quantity: string): number {
  const match = QUANTITY.exec(quantity);
  if (match === null) throw new Error(`not a Kubernetes quantity: ${quantity}`);
  const number = Number(match[1]);
  const suffix = match[3] ?? '';
  if (match[4] !== undefined) return number * 10 ** Number(suffix.slice(1));
  return number * MULTIPLIERS[suffix];
}

/** A CPU and a memory quantity of one container, as Kubernetes writes them. */
export interface ResourceQuantities {
  /** A Kubernetes CPU quantity such as `100m`. @default - no value */
  readonly cpu?: string;
  /** A Kubernetes memory quantity such as `128Mi`. @default - no value */
  readonly memory?: string;
}

/** Requests and limits of one container: `resources` in the spec and the props. */
export interface ResourceRequirements {
  /**
   * What the scheduler reserves for the container. A value not given keeps its default.
   * @default { cpu: "100m", memory: "128Mi" }
   */
  readonly requests?: ResourceQuantities;
  /**
   * The most the container may use. A limit below its request is refused.
   * @default - no limits
   */
  readonly limits?: ResourceQuantities;
}

/** Requests and limits with the defaults merged in: a missing value is left to the cluster's defaults. */
type ResolvedResources = Required<ResourceRequirements>;

export const RESOURCE_DEFAULTS: ResolvedResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: {},
};

/**
 * A limit below its request, which Kubernetes refuses. Paths are `limits.<kind>`; values that are not quantities are
 * skipped.
 */
export function limitBelowRequestProblems(
  resources: ResolvedResources,
  kinds: ReadonlyArray<'cpu' | 'memory'> = ['cpu', 'memory'],
): Problem[] {
  const problems: Problem[] = [];
  for (const kind of kinds) {
    const request = resources.requests[kind];
    const limit = resources.limits[kind];
    if (!isResourceQuantity(request) || !isResourceQuantity(limit)) continue;
    if (resourceQuantityValue(limit) < resourceQuantityValue(request)) {
      problems.push({ path: `limits.${kind}`, message: MESSAGES.limitBelowRequest(kind, limit, request) });
    }
  }
  return problems;
}

/** Field by field: a color's value wins over the spec's, which wins over the default. */
export function mergeResources(
  base: ResourceRequirements | undefined,
  override: ResourceRequirements | undefined,
): ResolvedResources {
  return {
    requests: { ...RESOURCE_DEFAULTS.requests, ...definedOnly(base?.requests), ...definedOnly(override?.requests) },
    limits: { ...RESOURCE_DEFAULTS.limits, ...definedOnly(base?.limits), ...definedOnly(override?.limits) },
  };
}

function definedOnly(quantities: ResourceQuantities | undefined): ResourceQuantities {
  return Object.fromEntries(Object.entries(quantities ?? {}).filter(([, v]) => v !== undefined));
}
