import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AlbRouter } from '../constructs/aws/alb-router';
import { SecureDefaults } from '../constructs/common/secure-defaults';
import { GatewayApiRouter } from '../constructs/kubernetes/gateway-api-router';
import { IstioRouter } from '../constructs/kubernetes/istio-router';
import { NginxIngressRouter } from '../constructs/kubernetes/nginx-ingress-router';
import { KubernetesRouterProps } from '../constructs/common/router-options';
import { liveColors, RainbowSpec, routerStackName } from '../spec/types';
import { addBackend } from './backend';
import { addAwsProvider, addKubernetesProvider } from './providers';

/**
 * The stack `<app>-router`: the weighted split between every color that is not retired, with
 * the router the spec names. Moving traffic re-applies only this stack.
 */
export class RouterStack extends TerraformStack {
  public readonly stackName: string;
  /** An AlbRouter for ecs; a GatewayApiRouter, NginxIngressRouter or IstioRouter after `kubernetes.router`. */
  public readonly router: Construct;

  constructor(scope: Construct, spec: RainbowSpec) {
    const stackName = routerStackName(spec.app);
    super(scope, stackName);
    this.stackName = stackName;
    addBackend(this, stackName, spec.backend);
    SecureDefaults.enforce(this, spec.security);
    const colors = liveColors(spec).map((c) => ({ color: c.name, weight: c.weight }));
    if (spec.ecs !== undefined) {
      addAwsProvider(this, spec.ecs.region, { app: spec.app });
      this.router = new AlbRouter(this, 'Router', {
        app: spec.app,
        listenerArn: spec.ecs.listenerArn,
        host: spec.ecs.host,
        rulePriority: spec.ecs.rulePriority,
        colors,
        stickySeconds: spec.routing.stickySeconds,
      });
      return;
    }
    const k = spec.kubernetes!;
    addKubernetesProvider(this, k);
    const common: KubernetesRouterProps = {
      app: spec.app,
      namespace: k.namespace,
      host: k.host,
      port: k.port,
      colors,
      pinHeader: spec.routing.pinHeader,
      stickySeconds: spec.routing.stickySeconds,
      previewHosts: spec.routing.previewHosts,
    };
    switch (k.router) {
      case 'nginx':
        this.router = new NginxIngressRouter(this, 'Router', { ...common, ingressClassName: k.ingressClassName, tlsSecretName: k.tlsSecretName });
        break;
      case 'istio':
        this.router = new IstioRouter(this, 'Router', { ...common, gateways: [...(k.istioGateways ?? [])] });
        break;
      default:
        this.router = new GatewayApiRouter(this, 'Router', { ...common, gateway: k.gateway! });
    }
  }
}
