import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Lazy, TerraformResource } from '../core';
import { Construct } from 'constructs';
import { cookieRegex } from '../../model/cohorts';
import { FIELDS } from '../../model/fields';
import { EXPECTED, received } from '../../model/messages';
import { Problem } from '../../model/problem';
import { previewHost } from '../../model/types';
import { IKubernetesColor } from '../common/color';
import { KubernetesRouterProps, RoutedColor, routerLabels } from '../common/router-options';
import { KubernetesRouterBase } from './kubernetes-router-base';
import { ROUTER_FIELD_MANAGER } from './status-checks';

/** What an IstioRouter takes: what every Kubernetes router takes, and the Istio Gateways to bind to. */
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
 * A color with a cohort (`match`) gets a route `cohort-<color>` after the pin routes and before the
 * sticky and weighted ones: its headers `exact`, its cookies as one `regex` on the cookie header.
 *
 * Every object is applied with forced server-side apply (the spec owns the weights). A
 * VirtualService has no acceptance status to check: istiod's validating webhook refuses an invalid
 * one at apply time, and nothing tells whether a Gateway serves it.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class IstioRouter extends KubernetesRouterBase {
  /** The VirtualService `<app>` that splits the host's traffic between the colors. */
  public readonly virtualService: Manifest;
  /** One per color when `stickySeconds` is set. */
  public readonly destinationRules: Manifest[] = [];
  /** One VirtualService per color for `<color>.<host>` when `previewHosts` is set. */
  public readonly previewVirtualServices: Manifest[] = [];
  private readonly props: IstioRouterProps;

  constructor(scope: Construct, id: string, props: IstioRouterProps) {
    super(scope, id, 'IstioRouter', props);
    this.props = props;
    this.virtualService = this.waitFor(
      new Manifest(this, 'Resource', {
        manifest: Lazy.anyValue({ produce: () => this.virtualServiceManifest }),
        fieldManager: ROUTER_FIELD_MANAGER,
      }),
    );
    this._renderListedColors();
  }

  /** The VirtualService as sent to the cluster, from the colors added so far. */
  public get virtualServiceManifest(): Record<string, unknown> {
    const props = this.props;
    const colors = this._routedColors();
    const cookie = `${props.app}-color`;
    // Istio matches header names in lowercase.
    const pinHeader = props.pinHeader?.toLowerCase();
    const pins =
      pinHeader === undefined
        ? []
        : colors.map((c) => ({
            name: `pin-${c.color}`,
            match: [{ headers: { [pinHeader]: { exact: c.color } } }],
            route: [{ destination: destination(c) }],
          }));
    const sticky =
      props.stickySeconds === undefined
        ? []
        : colors
            .filter((c) => c.weight > 0)
            .map((c) => ({
              name: `sticky-${c.color}`,
              match: [{ headers: { cookie: { regex: `^(.*;\\s*)?${cookie}=${c.color}(;.*)?$` } } }],
              route: [{ destination: destination(c) }],
            }));
    const setCookie = (c: RoutedColor) =>
      props.stickySeconds === undefined
        ? {}
        : {
            headers: {
              response: {
                add: { 'set-cookie': `${cookie}=${c.color}; Max-Age=${props.stickySeconds}; Path=/; HttpOnly` },
              },
            },
          };
    const weighted = {
      name: 'weighted',
      route: colors.map((c) => ({ destination: destination(c), weight: c.weight, ...setCookie(c) })),
    };
    // After the pins, before the sticky cookie routes: a cohort wins over an earlier weighted choice.
    const cohorts = colors
      .filter((c) => c.match !== undefined)
      .map((c) => ({
        name: `cohort-${c.color}`,
        match: [{ headers: cohortHeaders(c) }],
        route: [{ destination: destination(c) }],
      }));
    return this.virtualServiceOf(props.app, [props.host], [...pins, ...cohorts, ...sticky, weighted], this.namespace);
  }

  /** @internal */
  protected _colorAdded(color: IKubernetesColor): void {
    const props = this.props;
    const c = { color: color.color, service: color.name, namespace: color.namespace, port: color.port };
    if (props.stickySeconds !== undefined && this.node.tryFindChild(`DestinationRule-${c.color}`) === undefined) {
      this.destinationRules.push(
        this.waitFor(
          new Manifest(this, `DestinationRule-${c.color}`, {
            fieldManager: ROUTER_FIELD_MANAGER,
            manifest: {
              apiVersion: 'networking.istio.io/v1',
              kind: 'DestinationRule',
              metadata: this.metadata(c.service, this._namespaceValue),
              spec: {
                host: fqdn(c),
                trafficPolicy: {
                  loadBalancer: {
                    consistentHash: {
                      httpCookie: { name: `${props.app}-pod`, path: '/', ttl: `${props.stickySeconds}s` },
                    },
                  },
                },
              },
            },
          }),
        ),
      );
    }
    if (props.previewHosts === true && this.node.tryFindChild(`Preview-${c.color}`) === undefined) {
      this.previewVirtualServices.push(
        this.waitFor(
          new Manifest(this, `Preview-${c.color}`, {
            fieldManager: ROUTER_FIELD_MANAGER,
            manifest: this.virtualServiceOf(
              `${c.service}-preview`,
              [previewHost(c.color, props.host)],
              [{ name: 'preview', route: [{ destination: destination(c) }] }],
              this._namespaceValue,
            ),
          }),
        ),
      );
    }
  }

  /** @internal */
  protected _routerProblems(): Problem[] {
    return validateProps(this._routerProps as IstioRouterProps);
  }

  private metadata(name: string, namespace: string) {
    return { name, namespace, labels: routerLabels(this.props.app) };
  }

  private virtualServiceOf(
    name: string,
    hosts: string[],
    http: Record<string, unknown>[],
    namespace: string,
  ): Record<string, unknown> {
    return {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: this.metadata(name, namespace),
      spec: { hosts, gateways: [...this.props.gateways], http },
    };
  }

  private waitFor<T extends TerraformResource>(resource: T): T {
    this._waitForRollouts(resource);
    return resource;
  }
}

type Destination = Pick<RoutedColor, 'service' | 'namespace' | 'port'>;

/**
 * A cohort's header matches (names in lowercase, as Istio requires): each header exact, its cookies as one regex on the
 * cookie header.
 */
function cohortHeaders(c: RoutedColor): Record<string, Record<string, string>> {
  const headers: Record<string, Record<string, string>> = {};
  for (const [name, value] of Object.entries(c.match?.headers ?? {})) headers[name.toLowerCase()] = { exact: value };
  const cookies = c.match?.cookies ?? {};
  if (Object.keys(cookies).length > 0) headers.cookie = { regex: cookieRegex(cookies) };
  return headers;
}

function fqdn(c: Destination): string {
  return `${c.service}.${c.namespace}.svc.cluster.local`;
}

function destination(c: Destination) {
  return { host: fqdn(c), port: { number: c.port } };
}

function validateProps(props: IstioRouterProps): Problem[] {
  const problems: Problem[] = [];
  if (props.gateways.length === 0)
    problems.push({ path: 'gateways', message: received(props.gateways, EXPECTED.istioGateways) });
  props.gateways.forEach((g, i) => {
    if (!FIELDS.istioGateway.test(g))
      problems.push({ path: `gateways[${i}]`, message: received(g, FIELDS.istioGateway.expected) });
  });
  return problems;
}
