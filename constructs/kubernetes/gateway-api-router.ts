import type { DataKubernetesResources } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resources';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Lazy, TerraformResource } from '../core';
import { Construct } from 'constructs';
import { CohortColor, cookieRegex, gatewayApiCohortProblems } from '../../model/cohorts';
import { gatewayApiChannelProblems, validateGatewayApiRoute } from '../../model/gateway-api';
import { FIELDS } from '../../model/fields';
import { received } from '../../model/messages';
import { Problem } from '../../model/problem';
import { DEFAULT_GATEWAY_API_CHANNEL, GatewayApiChannel, GatewayReference, previewHost } from '../../model/types';
import { unlessToken } from '../tokens';
import { IKubernetesColor } from '../common/color';
import { duration, KubernetesRouterProps, RoutedColor, routerLabels } from '../common/router-options';
import { KubernetesRouterBase } from './kubernetes-router-base';
import {
  ROUTE_STATUS_TIMEOUT,
  ROUTE_STATUS_WAIT_ANNOTATION,
  ROUTER_FIELD_MANAGER,
  routeAcceptedCheck,
  routeStatusWait,
} from './status-checks';

// The Gateway reference is part of the one model (the spec's `kubernetes.gateway`): model/types.ts.
export type { GatewayReference } from '../../model/types';

/** What a GatewayApiRouter takes: what every Kubernetes router takes, and the Gateway to attach to. */
export interface GatewayApiRouterProps extends KubernetesRouterProps {
  /** The Gateway the HTTPRoutes attach to. */
  readonly gateway: GatewayReference;
  /**
   * The Gateway API CRD channel installed in the cluster: `standard` or `experimental`.
   * `stickySeconds` needs `experimental` (sessionPersistence is not in the standard CRDs).
   * @default "standard"
   */
  readonly gatewayApiChannel?: string;
}

/**
 * Splits the traffic of one host between any number of colors with a Gateway API HTTPRoute
 * (gateway.networking.k8s.io/v1), applied with `kubernetes_manifest`.
 *
 * One rule sends every request to the colors by weight; with `pinHeader`, one more rule per color
 * matches the header exactly and wins over the weighted rule (more header matches take precedence).
 * `stickySeconds` sets the weighted rule's cookie session persistence (an extended feature of the
 * experimental channel: the Gateway implementation must support it). Session persistence outlives
 * weights (GEP-1619: "MUST be maintained across services, even if the weight is set to 0"), so with
 * it a color at weight 0 is left out of the weighted rule; it stays reachable by its pin-header rule
 * and preview host. A color with a cohort (`match`) gets one more rule with its header matches, its
 * cookies as one `RegularExpression` match on the Cookie header (implementation-specific support);
 * it wins over the weighted rule, which has no header match, and a tie with a pin rule goes to the
 * pin rule, listed first. `previewHosts` adds one HTTPRoute per color for `<color>.<host>`. Colors come
 * from `addColor` (or `colors`, by name): each backend is the color's Service on its port.
 *
 * Every HTTPRoute is applied with forced server-side apply; the apply of a changed route waits (at
 * most 5 minutes) until a Gateway has reported on the change, and then reads the route back: the
 * plan or apply fails unless its status is of its current generation and its Gateway has it
 * Accepted with ResolvedRefs.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 */
export class GatewayApiRouter extends KubernetesRouterBase {
  /** The HTTPRoute's name: the app name. */
  public readonly name: string;
  /** The HTTPRoute `<app>`: the weighted rule, and a rule per color with `pinHeader`. */
  public readonly manifest: Manifest;
  /** One HTTPRoute per color, for its preview host. Empty without `previewHosts`. */
  public readonly previewManifests: Manifest[] = [];
  /** The Gateway API CRD channel the routes are written for. */
  public readonly gatewayApiChannel: GatewayApiChannel;
  /**
   * One `kubernetes_resources` read per HTTPRoute, whose postcondition fails unless the route's status is current and
   * it is accepted.
   */
  public readonly acceptanceChecks: DataKubernetesResources[] = [];
  private readonly props: GatewayApiRouterProps;
  private readonly gateway: string;

  constructor(scope: Construct, id: string, props: GatewayApiRouterProps) {
    super(scope, id, 'GatewayApiRouter', props);
    this.props = props;
    this.name = props.app;
    this.gatewayApiChannel = (props.gatewayApiChannel ?? DEFAULT_GATEWAY_API_CHANNEL) as GatewayApiChannel;
    this.gateway = `${props.gateway.namespace ?? this._namespaceValue}/${props.gateway.name}`;
    this.manifest = this.waitFor(
      this.apply(
        'Resource',
        props.app,
        Lazy.anyValue({ produce: () => this.routeManifest }) as unknown as Record<string, unknown>,
        Lazy.anyValue({ produce: () => this.routeManifest.spec }),
      ),
    );
    this.acceptanceChecks.push(
      routeAcceptedCheck(this, 'Accepted', this.manifest, props.app, this._namespaceValue, this.gateway),
    );
    this._renderListedColors();
  }

  /** The HTTPRoute as sent to the cluster, from the colors added so far. */
  public get routeManifest(): Record<string, unknown> {
    const props = this.props;
    const colors = this._routedColors();
    // A sticky rule would keep sending a drained color its sessions (GEP-1619), so it lists only colors above 0.
    const weightedColors = props.stickySeconds === undefined ? colors : colors.filter((c) => c.weight > 0);
    const weighted: Record<string, unknown> = {
      matches: [EVERYTHING],
      backendRefs: weightedColors.map((c) => backend(c, c.weight)),
    };
    if (props.stickySeconds !== undefined) {
      weighted.sessionPersistence = {
        sessionName: `${props.app}-color`,
        type: 'Cookie',
        absoluteTimeout: duration(props.stickySeconds),
        cookieConfig: { lifetimeType: 'Permanent' },
      };
    }
    const pins =
      props.pinHeader === undefined
        ? []
        : colors.map((c) => ({
            matches: [{ ...EVERYTHING, headers: [{ type: 'Exact', name: props.pinHeader, value: c.color }] }],
            backendRefs: [backend(c, 1)],
          }));
    // After the pin rules: a tie in header matches goes to the first rule, the pin.
    const cohorts = colors
      .filter((c) => c.match !== undefined)
      .map((c) => ({ matches: [{ ...EVERYTHING, headers: cohortHeaders(c) }], backendRefs: [backend(c, 1)] }));
    return this.route(props.app, [props.host], [weighted, ...pins, ...cohorts], this.namespace);
  }

  /** @internal */
  protected _colorAdded(color: IKubernetesColor): void {
    if (this.props.previewHosts !== true || this.node.tryFindChild(`Preview-${color.color}`) !== undefined) return;
    const name = `${color.name}-preview`;
    const routed = { service: color.name, port: color.port };
    const route = this.route(
      name,
      [previewHost(color.color, this.props.host)],
      [{ matches: [EVERYTHING], backendRefs: [backend(routed, 1)] }],
      this._namespaceValue,
    );
    const manifest = this.waitFor(this.apply(`Preview-${color.color}`, name, route, route.spec));
    this.previewManifests.push(manifest);
    this.acceptanceChecks.push(
      routeAcceptedCheck(this, `Preview-${color.color}-Accepted`, manifest, name, this._namespaceValue, this.gateway),
    );
  }

  /** @internal */
  protected _cohortRouterProblems(colors: CohortColor[]): Problem[] {
    return gatewayApiCohortProblems(colors, this.props.pinHeader !== undefined);
  }

  /** @internal */
  protected _routerProblems(whole: boolean): Problem[] {
    return validateProps(this._routerProps as GatewayApiRouterProps, this._colorWeights.length, whole);
  }

  private parentRef(namespace: string) {
    const gateway = this.props.gateway;
    return {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: gateway.name,
      namespace: gateway.namespace ?? namespace,
      ...(gateway.sectionName === undefined ? {} : { sectionName: gateway.sectionName }),
    };
  }

  private route(
    name: string,
    hostnames: string[],
    rules: Record<string, unknown>[],
    namespace: string,
  ): Record<string, unknown> {
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name,
        namespace,
        labels: routerLabels(this.props.app),
        annotations: { [ROUTE_STATUS_WAIT_ANNOTATION.key]: ROUTE_STATUS_WAIT_ANNOTATION.value },
      },
      spec: { parentRefs: [this.parentRef(namespace)], hostnames, rules },
    };
  }

  private apply(id: string, name: string, manifest: Record<string, unknown>, spec: unknown): Manifest {
    return new Manifest(this, id, {
      manifest,
      fieldManager: ROUTER_FIELD_MANAGER,
      // `Previous` and `Generation` for the route <app>, `Preview-<color>-Previous` ... for a preview route.
      wait: routeStatusWait(this, id === 'Resource' ? '' : `${id}-`, name, this._namespaceValue, spec),
      timeouts: { create: ROUTE_STATUS_TIMEOUT, update: ROUTE_STATUS_TIMEOUT },
    });
  }

  private waitFor<T extends TerraformResource>(resource: T): T {
    this._waitForRollouts(resource);
    return resource;
  }
}

const EVERYTHING = { path: { type: 'PathPrefix', value: '/' } };

/** A cohort's header matches: each header exactly, and its cookies as one regular expression on the Cookie header. */
function cohortHeaders(c: RoutedColor): Array<Record<string, string>> {
  const headers = Object.entries(c.match?.headers ?? {}).map(([name, value]) => ({ type: 'Exact', name, value }));
  const cookies = c.match?.cookies ?? {};
  return Object.keys(cookies).length === 0
    ? headers
    : [...headers, { type: 'RegularExpression', name: 'Cookie', value: cookieRegex(cookies) }];
}

function backend(c: Pick<RoutedColor, 'service' | 'port'>, weight: number) {
  return { name: c.service, port: c.port, weight };
}

function validateProps(props: GatewayApiRouterProps, colorCount: number, whole: boolean): Problem[] {
  const problems: Problem[] = [];
  if (unlessToken(props.gateway.name) !== undefined && !FIELDS.objectName.test(props.gateway.name)) {
    problems.push({ path: 'gateway.name', message: received(props.gateway.name, FIELDS.objectName.expected) });
  }
  if (unlessToken(props.gateway.namespace) !== undefined && !FIELDS.namespace.test(props.gateway.namespace)) {
    problems.push({ path: 'gateway.namespace', message: received(props.gateway.namespace, FIELDS.namespace.expected) });
  }
  if (props.gateway.sectionName !== undefined && !FIELDS.sectionName.test(props.gateway.sectionName)) {
    problems.push({
      path: 'gateway.sectionName',
      message: received(props.gateway.sectionName, FIELDS.sectionName.expected),
    });
  }
  if (whole) problems.push(...validateGatewayApiRoute(colorCount, props.pinHeader !== undefined));
  const channel = props.gatewayApiChannel ?? DEFAULT_GATEWAY_API_CHANNEL;
  if (!FIELDS.gatewayApiChannel.test(channel))
    problems.push({ path: 'gatewayApiChannel', message: received(channel, FIELDS.gatewayApiChannel.expected) });
  // As the spec does: a stickySeconds out of range is its own problem, not one of the channel.
  else if (FIELDS.stickySeconds.test(props.stickySeconds))
    problems.push(...gatewayApiChannelProblems(props.stickySeconds, channel as GatewayApiChannel));
  return problems;
}
