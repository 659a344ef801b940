import { TerraformStack } from '../constructs/core';
import { Construct } from 'constructs';
import { SecureDefaults } from '../constructs/common/secure-defaults';
import { KubernetesRouterProps } from '../constructs/common/router-options';
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
  /** An AlbRouter for ecs and ec2; a GatewayApiRouter, NginxIngressRouter or IstioRouter after `kubernetes.router`. */
  public readonly router: Construct;

  constructor(scope: Construct, id: string, props: RouterStackProps) {
    super(scope, id);
    const { spec } = props;
    this.stackName = id;
    addBackend(this, id, spec.backend);
    SecureDefaults.enforce(this, spec.security);
    const colors = liveColors(spec);
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
        platform: spec.platform,
      });
      // The same router for both platforms: each color's target group is found by its name.
      const fromName = spec.ec2 === undefined
        ? (require('../constructs/aws/ecs-color') as typeof import('../constructs/aws/ecs-color')).EcsColor.fromName
        : (require('../constructs/aws/ec2-color') as typeof import('../constructs/aws/ec2-color')).Ec2Color.fromName;
      for (const c of colors) router.addColor(fromName(this, `Color-${c.name}`, { app: spec.app, color: c.name }), c.weight);
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
        const { NginxIngressRouter } = require('../constructs/kubernetes/nginx-ingress-router') as typeof import('../constructs/kubernetes/nginx-ingress-router');
        router = new NginxIngressRouter(this, 'Router', { ...common, ingressClassName: k.ingressClassName, tlsSecretName: k.tlsSecretName });
        break;
      }
      case KubernetesRouter.ISTIO: {
        const { IstioRouter } = require('../constructs/kubernetes/istio-router') as typeof import('../constructs/kubernetes/istio-router');
        router = new IstioRouter(this, 'Router', { ...common, gateways: [...(k.istioGateways ?? [])] });
        break;
      }
      default: {
        const { GatewayApiRouter } = require('../constructs/kubernetes/gateway-api-router') as typeof import('../constructs/kubernetes/gateway-api-router');
        router = new GatewayApiRouter(this, 'Router', { ...common, gateway: k.gateway!, gatewayApiChannel: k.gatewayApiChannel });
      }
    }
    const { KubernetesColor } = require('../constructs/kubernetes/kubernetes-color') as typeof import('../constructs/kubernetes/kubernetes-color');
    for (const c of colors) {
      router.addColor(KubernetesColor.fromName(this, `Color-${c.name}`, { app: spec.app, color: c.name, namespace: k.namespace, port: k.port }), c.weight);
    }
    this.router = router;
  }
}
