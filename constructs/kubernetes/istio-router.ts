import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { EXPECTED, received } from '../../spec/messages';
import { Problem, throwIfProblems } from '../../spec/problem';
import { isIstioGateway } from '../../spec/schema';
import { DEFAULT_PORT } from '../../spec/types';
import { KubernetesRouterProps, RoutedColor, routedColors, routerLabels, validateRouterProps } from '../common/router-options';
import { ROUTER_FIELD_MANAGER } from './status-checks';

export interface IstioRouterProps extends KubernetesRouterProps {
  /** Istio Gateways the VirtualService binds to, as `namespace/name`, or `mesh` for sidecars. */
  readonly gateways: string[];
}

/**
 * Splits the traffic of one host between any number of colors with an Istio VirtualService
 * (networking.istio.io/v1) `<app>`: a header route per color when `pinHeader` is set, then a
 * default route whose destinations are the colors' Services with the spec weights.
 *
 * `stickySeconds` makes the weighted choice stick: each weighted destination sets a cookie
 * `<app>-color=<color>` on its responses, and one route per color above weight 0 sends requests
 * carrying that cookie back to the same color. A color drained to weight 0 loses its cookie route,
 * so its clients are spread again by weight. A DestinationRule per color also keeps a client on
 * the same pod with a consistent-hash cookie.
 *
 * Every object is applied with forced server-side apply (the spec owns the weights). A
 * VirtualService has no acceptance status to check: istiod's validating webhook refuses an invalid
 * one at apply time, and nothing tells whether a Gateway serves it.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class IstioRouter extends Construct {
  public readonly virtualServiceManifest: Record<string, unknown>;
  public readonly virtualService: Manifest;
  /** One per color when `stickySeconds` is set. */
  public readonly destinationRules: Manifest[];
  /** One VirtualService per color for `<color>.<host>` when `previewHosts` is set. */
  public readonly previewVirtualServices: Manifest[];

  constructor(scope: Construct, id: string, props: IstioRouterProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `IstioRouter ${this.node.path}`);
    const namespace = props.namespace ?? props.app;
    const port = props.port ?? DEFAULT_PORT;
    const colors = routedColors(props);
    const fqdn = (c: RoutedColor) => `${c.service}.${namespace}.svc.cluster.local`;
    const destination = (c: RoutedColor) => ({ host: fqdn(c), port: { number: port } });
    const cookie = `${props.app}-color`;
    const metadata = (name: string) => ({ name, namespace, labels: routerLabels(props.app) });
    const virtualService = (name: string, hosts: string[], http: Record<string, unknown>[]) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: metadata(name),
      spec: { hosts, gateways: [...props.gateways], http },
    });

    // Istio matches header names in lowercase.
    const pinHeader = props.pinHeader?.toLowerCase();
    const pins = pinHeader === undefined ? [] : colors.map((c) => ({
      name: `pin-${c.color}`,
      match: [{ headers: { [pinHeader]: { exact: c.color } } }],
      route: [{ destination: destination(c) }],
    }));
    const sticky = props.stickySeconds === undefined ? [] : colors.filter((c) => c.weight > 0).map((c) => ({
      name: `sticky-${c.color}`,
      match: [{ headers: { cookie: { regex: `^(.*;\\s*)?${cookie}=${c.color}(;.*)?$` } } }],
      route: [{ destination: destination(c) }],
    }));
    const setCookie = (c: RoutedColor) => (props.stickySeconds === undefined ? {} : {
      headers: { response: { add: { 'set-cookie': `${cookie}=${c.color}; Max-Age=${props.stickySeconds}; Path=/; HttpOnly` } } },
    });
    const weighted = { name: 'weighted', route: colors.map((c) => ({ destination: destination(c), weight: c.weight, ...setCookie(c) })) };

    this.virtualServiceManifest = virtualService(props.app, [props.host], [...pins, ...sticky, weighted]);
    this.virtualService = new Manifest(this, 'Resource', { manifest: this.virtualServiceManifest, fieldManager: ROUTER_FIELD_MANAGER });

    this.destinationRules = props.stickySeconds === undefined ? [] : colors.map((c) => new Manifest(this, `DestinationRule-${c.color}`, {
      fieldManager: ROUTER_FIELD_MANAGER,
      manifest: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: metadata(c.service),
        spec: {
          host: fqdn(c),
          trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: `${props.app}-pod`, path: '/', ttl: `${props.stickySeconds}s` } } } },
        },
      },
    }));

    this.previewVirtualServices = props.previewHosts === true
      ? colors.map((c) => new Manifest(this, `Preview-${c.color}`, {
        fieldManager: ROUTER_FIELD_MANAGER,
        manifest: virtualService(`${c.service}-preview`, [c.previewHost], [{ name: 'preview', route: [{ destination: destination(c) }] }]),
      }))
      : [];
  }
}

function validateProps(props: IstioRouterProps): Problem[] {
  const problems = validateRouterProps(props);
  if (props.gateways.length === 0) problems.push({ path: 'gateways', message: received(props.gateways, EXPECTED.istioGateways) });
  props.gateways.forEach((g, i) => {
    if (!isIstioGateway(g)) problems.push({ path: `gateways[${i}]`, message: received(g, EXPECTED.istioGateway) });
  });
  return problems;
}
