import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { validateGatewayApiRoute } from '../../spec/gateway-api';
import { EXPECTED, MESSAGES, received } from '../../spec/messages';
import { Problem, throwIfProblems } from '../../spec/problem';
import { isColorName, isDnsLabel, isDnsSubdomain, isWholeNumber } from '../../spec/schema';
import { colorStackName, DEFAULT_PORT } from '../../spec/types';
import { validateWorkload } from '../../spec/workload';
import { unlessToken, withoutTokens } from '../tokens';

export interface GatewayReference {
  /** Name of the Gateway the route attaches to. */
  readonly name: string;
  /** @default - the route's namespace */
  readonly namespace?: string;
  /**
   * One listener of the Gateway.
   * @default - every listener that accepts the route
   */
  readonly sectionName?: string;
}

export interface WeightedColor {
  /** The color; its Service is `<app>-<color>` in the route's namespace. */
  readonly color: string;
  /** Whole percent of the traffic, 0 to 100. A color at 0 is listed with weight 0 and is still reachable by pin header. */
  readonly weight: number;
}

export interface GatewayApiRouterProps {
  readonly app: string;
  /** Hostname the route answers for, such as `shop.example.com`. */
  readonly host: string;
  readonly gateway: GatewayReference;
  /** Colors that are not retired, in order, with weights adding up to 100. */
  readonly colors: WeightedColor[];
  /**
   * Namespace of the HTTPRoute and of the colors' Services.
   * @default - the app name
   */
  readonly namespace?: string;
  /**
   * The Services' port.
   * @default 8080
   */
  readonly port?: number;
  /**
   * A request whose header of this name equals a color's name goes to that color, whatever its weight.
   * @default - no pin rules
   */
  readonly pinHeader?: string;
}

/**
 * Splits the traffic of one host between any number of colors with a Gateway API HTTPRoute
 * (gateway.networking.k8s.io/v1), applied with `kubernetes_manifest`.
 *
 * One rule sends every request to the colors by weight; with `pinHeader`, one more rule per color
 * matches the header exactly and wins over the weighted rule (more header matches take precedence).
 * Colors are found by their Service name, never by a cross-stack reference.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 */
export class GatewayApiRouter extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The HTTPRoute as sent to the cluster. */
  public readonly routeManifest: Record<string, unknown>;
  public readonly manifest: Manifest;

  constructor(scope: Construct, id: string, props: GatewayApiRouterProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `GatewayApiRouter ${this.node.path}`);
    this.name = props.app;
    this.namespace = props.namespace ?? props.app;
    this.routeManifest = httpRoute({ ...props, namespace: this.namespace, port: props.port ?? DEFAULT_PORT });
    this.manifest = new Manifest(this, 'Resource', { manifest: this.routeManifest });
  }
}

function httpRoute(props: GatewayApiRouterProps & { namespace: string; port: number }): Record<string, unknown> {
  const backend = (color: string, weight: number) => ({ name: colorStackName(props.app, color), port: props.port, weight });
  const everything = { path: { type: 'PathPrefix', value: '/' } };
  const rules: Record<string, unknown>[] = [
    { matches: [everything], backendRefs: props.colors.map((c) => backend(c.color, c.weight)) },
  ];
  if (props.pinHeader !== undefined) {
    for (const c of props.colors) {
      rules.push({
        matches: [{ ...everything, headers: [{ type: 'Exact', name: props.pinHeader, value: c.color }] }],
        backendRefs: [backend(c.color, 1)],
      });
    }
  }
  const parentRef = {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    name: props.gateway.name,
    namespace: props.gateway.namespace ?? props.namespace,
    ...(props.gateway.sectionName === undefined ? {} : { sectionName: props.gateway.sectionName }),
  };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: props.app,
      namespace: props.namespace,
      labels: { 'app.kubernetes.io/name': props.app, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' },
    },
    spec: { parentRefs: [parentRef], hostnames: [props.host], rules },
  };
}

function validateProps(props: GatewayApiRouterProps): Problem[] {
  const problems = validateWorkload(withoutTokens({ app: props.app, namespace: props.namespace, port: props.port, host: props.host, pinHeader: props.pinHeader }));
  if (!isDnsSubdomain(props.gateway.name)) problems.push({ path: 'gateway.name', message: received(props.gateway.name, EXPECTED.objectName) });
  if (unlessToken(props.gateway.namespace) !== undefined && !isDnsLabel(props.gateway.namespace)) {
    problems.push({ path: 'gateway.namespace', message: received(props.gateway.namespace, EXPECTED.namespace) });
  }
  if (props.gateway.sectionName !== undefined && !isDnsSubdomain(props.gateway.sectionName)) {
    problems.push({ path: 'gateway.sectionName', message: received(props.gateway.sectionName, EXPECTED.sectionName) });
  }
  if (props.colors.length === 0) problems.push({ path: 'colors', message: received(props.colors, EXPECTED.colors) });
  const seen = new Map<string, number>();
  props.colors.forEach((c, i) => {
    if (!isColorName(c.color)) problems.push({ path: `colors[${i}].color`, message: received(c.color, EXPECTED.colorName) });
    else if (seen.has(c.color)) problems.push({ path: `colors[${i}].color`, message: MESSAGES.duplicateColor(c.color, `colors[${seen.get(c.color)}]`) });
    else seen.set(c.color, i);
    if (!isWholeNumber(0, 100)(c.weight)) problems.push({ path: `colors[${i}].weight`, message: received(c.weight, EXPECTED.weight) });
  });
  if (props.colors.length > 0 && props.colors.every((c) => isWholeNumber(0, 100)(c.weight))) {
    const total = props.colors.reduce((sum, c) => sum + c.weight, 0);
    if (total !== 100) problems.push({ path: 'colors', message: MESSAGES.weightsDoNotAddUp(total, props.colors.map((c) => `${c.color} ${c.weight}`).join(' + ')) });
  }
  problems.push(...validateGatewayApiRoute(props.colors.length, props.pinHeader !== undefined));
  return problems;
}
