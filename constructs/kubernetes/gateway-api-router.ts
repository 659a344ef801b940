import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { validateGatewayApiRoute } from '../../spec/gateway-api';
import { EXPECTED, received } from '../../spec/messages';
import { Problem, throwIfProblems } from '../../spec/problem';
import { isDnsLabel, isDnsSubdomain } from '../../spec/schema';
import { DEFAULT_PORT } from '../../spec/types';
import { unlessToken } from '../tokens';
import { duration, KubernetesRouterProps, RoutedColor, routedColors, routerLabels, validateRouterProps } from '../common/router-options';

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

export interface GatewayApiRouterProps extends KubernetesRouterProps {
  readonly gateway: GatewayReference;
}

/**
 * Splits the traffic of one host between any number of colors with a Gateway API HTTPRoute
 * (gateway.networking.k8s.io/v1), applied with `kubernetes_manifest`.
 *
 * One rule sends every request to the colors by weight; with `pinHeader`, one more rule per color
 * matches the header exactly and wins over the weighted rule (more header matches take precedence).
 * `stickySeconds` sets the weighted rule's cookie session persistence (an extended feature: the
 * Gateway implementation must support it). `previewHosts` adds one HTTPRoute per color for
 * `<color>.<host>`. Colors are found by their Service name, never by a cross-stack reference.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 */
export class GatewayApiRouter extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** The HTTPRoute as sent to the cluster. */
  public readonly routeManifest: Record<string, unknown>;
  public readonly manifest: Manifest;
  /** One HTTPRoute per color, for its preview host; empty without `previewHosts`. */
  public readonly previewManifests: Manifest[];

  constructor(scope: Construct, id: string, props: GatewayApiRouterProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `GatewayApiRouter ${this.node.path}`);
    this.name = props.app;
    this.namespace = props.namespace ?? props.app;
    const port = props.port ?? DEFAULT_PORT;
    const colors = routedColors(props);
    const parentRef = {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: props.gateway.name,
      namespace: props.gateway.namespace ?? this.namespace,
      ...(props.gateway.sectionName === undefined ? {} : { sectionName: props.gateway.sectionName }),
    };
    const route = (name: string, hostnames: string[], rules: Record<string, unknown>[]) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: this.namespace, labels: routerLabels(props.app) },
      spec: { parentRefs: [parentRef], hostnames, rules },
    });
    const backend = (c: RoutedColor, weight: number) => ({ name: c.service, port, weight });
    const everything = { path: { type: 'PathPrefix', value: '/' } };

    const weighted: Record<string, unknown> = { matches: [everything], backendRefs: colors.map((c) => backend(c, c.weight)) };
    if (props.stickySeconds !== undefined) {
      weighted.sessionPersistence = {
        sessionName: `${props.app}-color`,
        type: 'Cookie',
        absoluteTimeout: duration(props.stickySeconds),
        cookieConfig: { lifetimeType: 'Permanent' },
      };
    }
    const pins = props.pinHeader === undefined ? [] : colors.map((c) => ({
      matches: [{ ...everything, headers: [{ type: 'Exact', name: props.pinHeader, value: c.color }] }],
      backendRefs: [backend(c, 1)],
    }));
    this.routeManifest = route(props.app, [props.host], [weighted, ...pins]);
    this.manifest = new Manifest(this, 'Resource', { manifest: this.routeManifest });

    this.previewManifests = props.previewHosts === true
      ? colors.map((c) => new Manifest(this, `Preview-${c.color}`, {
        manifest: route(`${c.service}-preview`, [c.previewHost], [{ matches: [everything], backendRefs: [backend(c, 1)] }]),
      }))
      : [];
  }
}

function validateProps(props: GatewayApiRouterProps): Problem[] {
  const problems = validateRouterProps(props);
  if (unlessToken(props.gateway.name) !== undefined && !isDnsSubdomain(props.gateway.name)) {
    problems.push({ path: 'gateway.name', message: received(props.gateway.name, EXPECTED.objectName) });
  }
  if (unlessToken(props.gateway.namespace) !== undefined && !isDnsLabel(props.gateway.namespace)) {
    problems.push({ path: 'gateway.namespace', message: received(props.gateway.namespace, EXPECTED.namespace) });
  }
  if (props.gateway.sectionName !== undefined && !isDnsSubdomain(props.gateway.sectionName)) {
    problems.push({ path: 'gateway.sectionName', message: received(props.gateway.sectionName, EXPECTED.sectionName) });
  }
  problems.push(...validateGatewayApiRoute(props.colors.length, props.pinHeader !== undefined));
  return problems;
}
