import { TerraformStack } from '../constructs/core';
import { Construct } from 'constructs';
import { SecureDefaults } from '../constructs/common/secure-defaults';
import { KubernetesRouterProps } from '../constructs/common/router-options';
import { ROUTE53_REGION } from '../model/route53';
import { KubernetesRouter, liveColors, RainbowSpec } from '../model/types';
import { addBackend } from './backend';
import { addAwsProvider, addKubernetesProvider } from './providers';

/* eslint-disable @typescript-eslint/no-require-imports -- each router loads only for a spec that uses it */

/** What a RouterStack takes: the resolved spec. */
export interface RouterStackProps {
  /** The spec, with every default filled in (`Rainbow.loadSpec`). */
  readonly spec: RainbowSpec;
}

/**
 * The stack of the router: the weighted split between every color that is not retired, with the
 * router the spec names. Moving traffic re-applies only this stack. Its id is the stack's name and
 * the name of its state: spec mode (RainbowStacks) gives it `<app>-router` (`routerStackName`).
 *
 * Built on the library API: each color lives in its own stack, so the router gets it by name
 * (`KubernetesColor.fromName` / `EcsColor.fromName` / `Ec2Color.fromName`), never by a cross-stack reference, which
 * would force the wrong order when a color is retired.
 */
export class RouterStack extends TerraformStack {
  /** The stack's name, and the name of its state: its id. */
  public readonly stackName: string;
  /**
   * An AlbRouter for ecs and ec2; a Route53Router for dns; a GatewayApiRouter, NginxIngressRouter or IstioRouter after
   * `kubernetes.router`.
   */
  public readonly router: Construct;

  constructor(scope: Construct, id: string, props: RouterStackProps) {
    super(scope, id);
    const { spec } = props;
    this.stackName = id;
    addBackend(this, id, spec.backend);
    SecureDefaults.enforce(this, spec.security);
    const colors = liveColors(spec);
    if (spec.dns !== undefined) {
      this.router = route53Router(this, spec);
      return;
    }
    const alb = spec.ecs ?? spec.ec2;
    if (alb !== undefined) {
      addAwsProvider(this, alb.region, { app: spec.app });
      const { AlbRouter } = require('../constructs/aws/alb-router') as typeof import('../constructs/aws/alb-router');
      const router = new AlbRouter(this, 'Router', {
        app: spec.app,
        listenerArn: alb.listenerArn,
        host: alb.host,
        rulePriority: alb.rulePriority,
        stickySeconds: spec.routing.stickySeconds,
        previewHosts: spec.routing.previewHosts,
        platform: spec.platform,
      });
      // The same router for both platforms: each color's target group is found by its name.
      const fromName =
        spec.ec2 === undefined
          ? (require('../constructs/aws/ecs-color') as typeof import('../constructs/aws/ecs-color')).EcsColor.fromName
          : (require('../constructs/aws/ec2-color') as typeof import('../constructs/aws/ec2-color')).Ec2Color.fromName;
      for (const c of colors)
        router.addColor(fromName(this, `Color-${c.name}`, { app: spec.app, color: c.name }), c.weight, c.match);
      this.router = router;
      return;
    }
    const k = spec.kubernetes!;
    addKubernetesProvider(this, k);
    const common: KubernetesRouterProps = {
      app: spec.app,
      namespace: k.namespace,
      host: k.host,
      pinHeader: spec.routing.pinHeader,
      stickySeconds: spec.routing.stickySeconds,
      previewHosts: spec.routing.previewHosts,
    };
    let router: import('../constructs/kubernetes/kubernetes-router-base').KubernetesRouterBase;
    switch (k.router) {
      case KubernetesRouter.NGINX: {
        const { NginxIngressRouter } =
          require('../constructs/kubernetes/nginx-ingress-router') as typeof import('../constructs/kubernetes/nginx-ingress-router');
        router = new NginxIngressRouter(this, 'Router', {
          ...common,
          ingressClassName: k.ingressClassName,
          tlsSecretName: k.tlsSecretName,
        });
        break;
      }
      case KubernetesRouter.ISTIO: {
        const { IstioRouter } =
          require('../constructs/kubernetes/istio-router') as typeof import('../constructs/kubernetes/istio-router');
        router = new IstioRouter(this, 'Router', { ...common, gateways: [...(k.istioGateways ?? [])] });
        break;
      }
      default: {
        const { GatewayApiRouter } =
          require('../constructs/kubernetes/gateway-api-router') as typeof import('../constructs/kubernetes/gateway-api-router');
        router = new GatewayApiRouter(this, 'Router', {
          ...common,
          gateway: k.gateway!,
          gatewayApiChannel: k.gatewayApiChannel,
        });
      }
    }
    const { KubernetesColor } =
      require('../constructs/kubernetes/kubernetes-color') as typeof import('../constructs/kubernetes/kubernetes-color');
    for (const c of colors) {
      router.addColor(
        KubernetesColor.fromName(this, `Color-${c.name}`, {
          app: spec.app,
          color: c.name,
          namespace: k.namespace,
          port: k.port,
        }),
        c.weight,
        c.match,
      );
    }
    this.router = router;
  }
}

/** dns: one weighted record per color that is not retired, in a global Route 53 provider. */
function route53Router(stack: RouterStack, spec: RainbowSpec): Construct {
  const dns = spec.dns!;
  addAwsProvider(stack, ROUTE53_REGION, { app: spec.app });
  const { Route53Router } =
    require('../constructs/aws/route53-router') as typeof import('../constructs/aws/route53-router');
  const router = new Route53Router(stack, 'Router', {
    app: spec.app,
    zoneId: dns.zoneId,
    name: dns.name,
    ttl: hostnameTtl(spec),
    healthCheck: dns.healthCheck,
  });
  for (const c of liveColors(spec)) router.addEndpoint(c.name, c.endpoint!, c.weight);
  return router;
}

/** The TTL the router is given: none when every record is an alias, which takes its target's. */
function hostnameTtl(spec: RainbowSpec): number | undefined {
  return liveColors(spec).every((c) => c.endpoint?.alias !== undefined) ? undefined : spec.dns!.ttl;
}
