import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { Construct } from 'constructs';
import { EXPECTED, MESSAGES, received } from '../../spec/messages';
import { Problem, throwIfProblems } from '../../spec/problem';
import { isNginxHeaderName, validateNginxRoute } from '../../spec/routers';
import { isDnsSubdomain } from '../../spec/schema';
import { DEFAULT_PORT } from '../../spec/types';
import { unlessToken } from '../tokens';
import { KubernetesRouterProps, RoutedColor, routedColors, routerLabels, validateRouterProps } from '../common/router-options';

export interface NginxIngressRouterProps extends KubernetesRouterProps {
  /** @default "nginx" */
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
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary
 */
export class NginxIngressRouter extends Construct {
  public readonly primaryColor: string;
  public readonly canaryColor?: string;
  public readonly primaryIngress: IngressV1;
  public readonly canaryIngress?: IngressV1;
  /** One Ingress with a rule per color's preview host; undefined without `previewHosts`. */
  public readonly previewIngress?: IngressV1;

  constructor(scope: Construct, id: string, props: NginxIngressRouterProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `NginxIngressRouter ${this.node.path}`);
    const namespace = props.namespace ?? props.app;
    const port = props.port ?? DEFAULT_PORT;
    const ingressClassName = props.ingressClassName ?? 'nginx';
    const colors = routedColors(props);
    const primary = colors.reduce((best, c) => (c.weight > best.weight ? c : best));
    const others = colors.filter((c) => c !== primary);
    const canary = others.find((c) => c.weight > 0) ?? (props.pinHeader === undefined ? undefined : others[0]);
    this.primaryColor = primary.color;
    this.canaryColor = canary?.color;

    const rule = (host: string, c: RoutedColor) => ({
      host,
      http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: c.service, port: { number: port } } } }] },
    });
    const tls = (hosts: string[]) => (props.tlsSecretName === undefined ? {} : { tls: [{ hosts, secretName: props.tlsSecretName }] });
    const affinity: Record<string, string> = props.stickySeconds === undefined ? {} : {
      [`${ANNOTATION}/affinity`]: 'cookie',
      [`${ANNOTATION}/affinity-mode`]: 'persistent',
      [`${ANNOTATION}/affinity-canary-behavior`]: 'sticky',
      [`${ANNOTATION}/session-cookie-name`]: `${props.app}-affinity`,
      [`${ANNOTATION}/session-cookie-max-age`]: String(props.stickySeconds),
    };

    this.primaryIngress = new IngressV1(this, 'Resource', {
      metadata: { name: props.app, namespace, labels: routerLabels(props.app), annotations: { ...affinity } },
      spec: { ingressClassName, rule: [rule(props.host, primary)], ...tls([props.host]) },
    });

    if (canary !== undefined) {
      const pin: Record<string, string> = props.pinHeader === undefined ? {} : {
        [`${ANNOTATION}/canary-by-header`]: props.pinHeader,
        [`${ANNOTATION}/canary-by-header-value`]: canary.color,
      };
      this.canaryIngress = new IngressV1(this, 'Canary', {
        metadata: {
          name: `${props.app}-canary`,
          namespace,
          labels: routerLabels(props.app),
          annotations: {
            [`${ANNOTATION}/canary`]: 'true',
            [`${ANNOTATION}/canary-weight`]: String(canary.weight),
            [`${ANNOTATION}/canary-weight-total`]: '100',
            ...pin,
            ...affinity,
          },
        },
        spec: { ingressClassName, rule: [rule(props.host, canary)], ...tls([props.host]) },
      });
    }

    if (props.previewHosts === true) {
      this.previewIngress = new IngressV1(this, 'Preview', {
        metadata: { name: `${props.app}-preview`, namespace, labels: routerLabels(props.app) },
        spec: { ingressClassName, rule: colors.map((c) => rule(c.previewHost, c)), ...tls(colors.map((c) => c.previewHost)) },
      });
    }
  }
}

function validateProps(props: NginxIngressRouterProps): Problem[] {
  const problems = validateRouterProps(props);
  for (const field of ['ingressClassName', 'tlsSecretName'] as const) {
    const value = props[field];
    if (value !== undefined && unlessToken(value) !== undefined && !isDnsSubdomain(value)) problems.push({ path: field, message: received(value, EXPECTED.objectName) });
  }
  problems.push(...validateNginxRoute(props.colors.map((c) => ({ name: c.color, weight: c.weight }))));
  if (props.stickySeconds !== undefined && props.pinHeader !== undefined) problems.push({ path: 'stickySeconds', message: MESSAGES.nginxStickyPin });
  if (props.pinHeader !== undefined && !isNginxHeaderName(props.pinHeader)) problems.push({ path: 'pinHeader', message: MESSAGES.nginxHeader(props.pinHeader) });
  return problems;
}
