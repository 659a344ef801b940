import { isColorName, isHostname, isWholeNumber } from './fields';
import { gatewayApiChannelProblems, validateGatewayApiRoute } from './gateway-api';
import { EXPECTED, MESSAGES } from './messages';
import { prefixProblems, Problem } from './problem';
import {
  DEFAULT_GATEWAY_API_CHANNEL,
  DEFAULT_KUBERNETES_ROUTER,
  GatewayApiChannel,
  KubernetesRouter,
  MAX_PERCENT,
  MAX_STICKY_SECONDS,
  previewHost,
} from './types';

/** The `kubernetes` fields that belong to one router; setting one for another router is an error. */
const ROUTER_FIELDS: Record<string, KubernetesRouter> = {
  gateway: KubernetesRouter.GATEWAY_API,
  ingressClassName: KubernetesRouter.NGINX,
  tlsSecretName: KubernetesRouter.NGINX,
  istioGateways: KubernetesRouter.ISTIO,
  gatewayApiChannel: KubernetesRouter.GATEWAY_API,
};

/** ingress-nginx allows one canary Ingress per host: a primary and one canary. */
export const NGINX_MAX_WEIGHTED_COLORS = 2;

/** A header name ingress-nginx passes on with its default settings (no underscores, no other symbols). */
export const isNginxHeaderName = (v: string): boolean => /^[A-Za-z0-9-]{1,256}$/.test(v);

/** Problems of an nginx route over colors (those not retired); path `colors`. */
export function validateNginxRoute(colors: ReadonlyArray<{ name: string; weight: number }>): Problem[] {
  const weighted = colors.filter((c) => c.weight > 0);
  if (weighted.length <= NGINX_MAX_WEIGHTED_COLORS) return [];
  return [
    {
      path: 'colors',
      message: MESSAGES.nginxTooManyWeighted(weighted.length, weighted.map((c) => `${c.name} ${c.weight}`).join(', ')),
    },
  ];
}

/**
 * Every color's preview host `<color>.<host>` is a DNS name (path ``, the previewHosts switch).
 * Names that are not color names, and a host that is not a hostname, are other rules' problems.
 */
export function previewHostProblems(host: unknown, colors: readonly unknown[]): Problem[] {
  if (!isHostname(host)) return [];
  return colors
    .filter(isColorName)
    .map((color) => previewHost(color, host))
    .filter((name) => !isHostname(name))
    .map((name) => ({ path: '', message: MESSAGES.previewHostTooLong(name) }));
}

/**
 * A color name used twice (paths `[i]`, the later ones), each naming where it was first. Names that are not color names
 * are skipped.
 */
export function duplicateNameProblems(names: readonly unknown[]): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  names.forEach((name, i) => {
    if (!isColorName(name)) return;
    const at = first.get(name);
    if (at === undefined) first.set(name, i);
    else problems.push({ path: `[${i}]`, message: MESSAGES.duplicateColor(name, `colors[${at}]`) });
  });
  return problems;
}

type Raw = Record<string, unknown>;

/**
 * Rules that depend on the router: its own fields present and the others' absent, and the
 * limits of what it can express. `live` are the raw colors that are not retired.
 */
export function routerProblems(kubernetes: Raw, routing: Raw | undefined, live: readonly Raw[]): Problem[] {
  const router = kubernetes.router ?? DEFAULT_KUBERNETES_ROUTER;
  if (router !== KubernetesRouter.GATEWAY_API && router !== KubernetesRouter.NGINX && router !== KubernetesRouter.ISTIO)
    return [];
  const problems: Problem[] = [];
  for (const [field, owner] of Object.entries(ROUTER_FIELDS)) {
    if (kubernetes[field] !== undefined && owner !== router) {
      problems.push({ path: `kubernetes.${field}`, message: MESSAGES.notForRouter(kubernetes[field], router, owner) });
    }
  }
  if (router === KubernetesRouter.GATEWAY_API && kubernetes.gateway === undefined) {
    problems.push({
      path: 'kubernetes.gateway',
      message: MESSAGES.requiredForRouter(
        EXPECTED.object(['name', 'namespace', 'sectionName']),
        router,
        'attaches its HTTPRoute to it',
      ),
    });
  }
  if (router === KubernetesRouter.ISTIO && kubernetes.istioGateways === undefined) {
    problems.push({
      path: 'kubernetes.istioGateways',
      message: MESSAGES.requiredForRouter(EXPECTED.istioGateways, router, 'binds its VirtualService to them'),
    });
  }

  const pinned = routing?.pinHeader !== undefined;
  if (router === KubernetesRouter.GATEWAY_API) {
    for (const p of validateGatewayApiRoute(live.length, pinned)) {
      problems.push({ path: p.path === 'pinHeader' ? 'routing.pinHeader' : p.path, message: p.message });
    }
    const channel = kubernetes.gatewayApiChannel ?? DEFAULT_GATEWAY_API_CHANNEL;
    if (
      isWholeNumber(1, MAX_STICKY_SECONDS)(routing?.stickySeconds) &&
      (channel === GatewayApiChannel.STANDARD || channel === GatewayApiChannel.EXPERIMENTAL)
    ) {
      for (const p of gatewayApiChannelProblems(routing.stickySeconds, channel))
        problems.push({ path: `routing.${p.path}`, message: p.message });
    }
  }
  if (router === KubernetesRouter.NGINX && live.every((c) => isWholeNumber(0, MAX_PERCENT)(c.weight))) {
    problems.push(
      ...validateNginxRoute(
        live.map((c) => ({ name: typeof c.name === 'string' ? c.name : '?', weight: c.weight as number })),
      ),
    );
  }

  if (router === KubernetesRouter.NGINX) {
    if (routing?.stickySeconds !== undefined && routing.pinHeader !== undefined)
      problems.push({ path: 'routing.stickySeconds', message: MESSAGES.nginxStickyPin });
    if (typeof routing?.pinHeader === 'string' && !isNginxHeaderName(routing.pinHeader))
      problems.push({ path: 'routing.pinHeader', message: MESSAGES.nginxHeader(routing.pinHeader) });
  }

  if (routing?.previewHosts === true)
    problems.push(
      ...prefixProblems(
        'routing.previewHosts',
        previewHostProblems(
          kubernetes.host,
          live.map((c) => c.name),
        ),
      ),
    );
  return problems;
}
