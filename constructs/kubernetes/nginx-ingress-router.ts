import { IngressV1, IngressV1SpecRule } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { Lazy, TerraformResource } from '../core';
import { Construct } from 'constructs';
import { CohortColor, nginxCohortProblems } from '../../model/cohorts';
import { FIELDS } from '../../model/fields';
import { MESSAGES, received } from '../../model/messages';
import { Problem } from '../../model/problem';
import { isNginxHeaderName, validateNginxRoute } from '../../model/routers';
import { DEFAULT_INGRESS_CLASS_NAME, previewHost } from '../../model/types';
import { unlessToken } from '../tokens';
import { IKubernetesColor } from '../common/color';
import { KubernetesRouterProps, RoutedColor, routerLabels } from '../common/router-options';
import { KubernetesRouterBase } from './kubernetes-router-base';

/** What a NginxIngressRouter takes: what every Kubernetes router takes, the IngressClass and TLS. */
export interface NginxIngressRouterProps extends KubernetesRouterProps {
  /**
   * The IngressClass of the ingress-nginx controller.
   * @default "nginx"
   */
  readonly ingressClassName?: string;
  /**
   * A TLS Secret for the host (and, with preview hosts, for `*.<host>`).
   * @default - no TLS on the Ingresses
   */
  readonly tlsSecretName?: string;
}

const ANNOTATION = 'nginx.ingress.kubernetes.io';

/**
 * Splits traffic between two colors with ingress-nginx: a primary Ingress `<app>` for the color
 * with the highest weight (ties: the first), and a canary Ingress `<app>-canary` carrying
 * `canary-weight` for the second color above weight 0. ingress-nginx allows one canary per host,
 * so at most two colors can be above weight 0.
 *
 * With `pinHeader`, the canary also answers `canary-by-header`: a request whose header equals the
 * canary color's name goes to it. When only one color is above 0, the first color at weight 0
 * becomes the canary at weight 0, so a new color can be pinned before it gets traffic. Only the
 * canary color can be pinned; the primary receives every request that is not sent to the canary.
 *
 * A cohort (`match`) is the canary's: one color besides the primary, with one header
 * (`canary-by-header` and `canary-by-header-value`, not with `pinHeader`) or one cookie whose value
 * is "always" (`canary-by-cookie`: ingress-nginx routes to the canary only on that value). nginx
 * sends a request to the canary when the header or the cookie matches, before `canary-weight`.
 *
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary
 */
export class NginxIngressRouter extends KubernetesRouterBase {
  /** The primary Ingress `<app>`, for the color with the highest weight. */
  public readonly primaryIngress: IngressV1;
  /** One Ingress with a rule per color's preview host. Undefined without `previewHosts`. */
  public readonly previewIngress?: IngressV1;
  private readonly props: NginxIngressRouterProps;
  private readonly ingressClassName: string;
  private readonly affinity: Record<string, string>;
  private canary?: IngressV1;
  private readonly previewColors: IKubernetesColor[] = [];

  constructor(scope: Construct, id: string, props: NginxIngressRouterProps) {
    super(scope, id, 'NginxIngressRouter', props);
    this.props = props;
    this.ingressClassName = props.ingressClassName ?? DEFAULT_INGRESS_CLASS_NAME;
    this.affinity =
      props.stickySeconds === undefined
        ? {}
        : {
            [`${ANNOTATION}/affinity`]: 'cookie',
            [`${ANNOTATION}/affinity-mode`]: 'persistent',
            [`${ANNOTATION}/affinity-canary-behavior`]: 'sticky',
            [`${ANNOTATION}/session-cookie-name`]: `${props.app}-affinity`,
            [`${ANNOTATION}/session-cookie-max-age`]: String(props.stickySeconds),
          };
    this.primaryIngress = this.waitFor(
      new IngressV1(this, 'Resource', {
        metadata: {
          name: props.app,
          namespace: this._namespaceValue,
          labels: routerLabels(props.app),
          annotations: { ...this.affinity },
        },
        spec: {
          ingressClassName: this.ingressClassName,
          rule: [
            rule(
              props.host,
              this.chosen(() => this.selection().primary),
            ),
          ],
          ...this.tls([props.host]),
        },
      }),
    );
    if (props.previewHosts === true) {
      this.previewIngress = this.waitFor(
        new IngressV1(this, 'Preview', {
          metadata: { name: `${props.app}-preview`, namespace: this._namespaceValue, labels: routerLabels(props.app) },
          // Its rules come with the colors (colorAdded).
          spec: { ingressClassName: this.ingressClassName },
        }),
      );
    }
    this._renderListedColors();
  }

  /** The color of the primary Ingress: the highest weight (ties: the first). */
  public get primaryColor(): string {
    return this.selection().primary.color;
  }

  /** The color of the canary Ingress, if there is one. */
  public get canaryColor(): string | undefined {
    return this.selection().canary?.color;
  }

  /** The canary Ingress `<app>-canary`: made once two colors are above 0, or two colors with `pinHeader`. */
  public get canaryIngress(): IngressV1 | undefined {
    return this.canary;
  }

  /** @internal */
  protected _colorAdded(color: IKubernetesColor): void {
    const props = this.props;
    if (this.previewIngress !== undefined && !this.previewColors.some((c) => c.color === color.color)) {
      // Every preview rule is known once its color is: the Ingress is written again with each.
      this.previewColors.push(color);
      const hosts = this.previewColors.map((c) => previewHost(c.color, props.host));
      this.previewIngress.putSpec({
        ingressClassName: this.ingressClassName,
        rule: this.previewColors.map((c, i) => rule(hosts[i], { service: c.name, port: c.port })),
        ...this.tls(hosts),
      });
    }
    // Whether there is a canary only grows with the colors, so it is made as soon as it is needed;
    // which color it serves, and with what weight, is chosen at synth.
    const colors = this._colorWeights;
    const cohort = colors.some((c) => this._matchOf(c.color) !== undefined);
    const needed =
      colors.filter((c) => c.weight > 0).length >= 2 ||
      ((props.pinHeader !== undefined || cohort) && colors.length >= 2);
    if (this.canary !== undefined) {
      // A cohort's annotations are known once its color is: the metadata is written again with it.
      if (this._matchOf(color.color) !== undefined) this.canary.putMetadata(this.canaryMetadata());
      return;
    }
    if (!needed) return;
    const canary = () => this.selection().canary!;
    this.canary = this.waitFor(
      new IngressV1(this, 'Canary', {
        metadata: this.canaryMetadata(),
        spec: {
          ingressClassName: this.ingressClassName,
          rule: [rule(props.host, this.chosen(canary))],
          ...this.tls([props.host]),
        },
      }),
    );
  }

  /**
   * The canary's metadata: its weight, the pin header, and the cohort's header or cookie, from the colors added so far.
   */
  private canaryMetadata() {
    const props = this.props;
    const canary = () => this.selection().canary!;
    const pin: Record<string, string> =
      props.pinHeader === undefined
        ? {}
        : {
            [`${ANNOTATION}/canary-by-header`]: props.pinHeader,
            [`${ANNOTATION}/canary-by-header-value`]: Lazy.stringValue({ produce: () => canary().color }),
          };
    // One cohort at most, with one header or one cookie (nginxCohortProblems); the router refuses the rest at synth.
    const match = this._colorWeights.map((c) => this._matchOf(c.color)).find((m) => m !== undefined);
    const [header] = Object.entries(match?.headers ?? {});
    const [cookie] = Object.keys(match?.cookies ?? {});
    const cohort: Record<string, string> = {
      ...(header === undefined
        ? {}
        : { [`${ANNOTATION}/canary-by-header`]: header[0], [`${ANNOTATION}/canary-by-header-value`]: header[1] }),
      ...(cookie === undefined ? {} : { [`${ANNOTATION}/canary-by-cookie`]: cookie }),
    };
    return {
      name: `${props.app}-canary`,
      namespace: this._namespaceValue,
      labels: routerLabels(props.app),
      annotations: {
        [`${ANNOTATION}/canary`]: 'true',
        [`${ANNOTATION}/canary-weight`]: Lazy.stringValue({ produce: () => String(canary().weight) }),
        [`${ANNOTATION}/canary-weight-total`]: '100',
        ...pin,
        ...cohort,
        ...this.affinity,
      },
    };
  }

  /** @internal */
  protected _cohortRouterProblems(colors: CohortColor[]): Problem[] {
    return nginxCohortProblems(colors, this.props.pinHeader);
  }

  /** @internal */
  protected _routerProblems(whole: boolean): Problem[] {
    return validateProps(
      this._routerProps,
      this._colorWeights.map((c) => ({ name: c.color, weight: c.weight })),
      whole,
    );
  }

  private selection(): { primary: RoutedColor; canary?: RoutedColor } {
    const colors = this._routedColors();
    const primary = colors.reduce((best, c) => (c.weight > best.weight ? c : best));
    const others = colors.filter((c) => c !== primary);
    // A cohort's color is the canary (nginxCohortProblems refuses it on the primary, or beside another canary).
    const cohort = others.find((c) => c.match !== undefined);
    return {
      primary,
      canary:
        cohort ?? others.find((c) => c.weight > 0) ?? (this.props.pinHeader === undefined ? undefined : others[0]),
    };
  }

  /** The Service and port of the color `choose` picks once every color is in. */
  private chosen(choose: () => RoutedColor): Pick<RoutedColor, 'service' | 'port'> {
    return {
      service: Lazy.stringValue({ produce: () => choose().service }),
      port: Lazy.numberValue({ produce: () => choose().port }),
    };
  }

  private tls(hosts: string[]) {
    return this.props.tlsSecretName === undefined ? {} : { tls: [{ hosts, secretName: this.props.tlsSecretName }] };
  }

  private waitFor<T extends TerraformResource>(resource: T): T {
    this._waitForRollouts(resource);
    return resource;
  }
}

function rule(host: string, c: Pick<RoutedColor, 'service' | 'port'>): IngressV1SpecRule {
  return {
    host,
    http: {
      path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: c.service, port: { number: c.port } } } }],
    },
  };
}

function validateProps(
  props: NginxIngressRouterProps,
  colors: Array<{ name: string; weight: number }>,
  whole: boolean,
): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['ingressClassName', 'tlsSecretName'] as const) {
    const value = props[field];
    if (value !== undefined && unlessToken(value) !== undefined && !FIELDS.objectName.test(value))
      problems.push({ path: field, message: received(value, FIELDS.objectName.expected) });
  }
  if (whole) problems.push(...validateNginxRoute(colors));
  if (props.stickySeconds !== undefined && props.pinHeader !== undefined)
    problems.push({ path: 'stickySeconds', message: MESSAGES.nginxStickyPin });
  if (props.pinHeader !== undefined && !isNginxHeaderName(props.pinHeader))
    problems.push({ path: 'pinHeader', message: MESSAGES.nginxHeader(props.pinHeader) });
  return problems;
}
