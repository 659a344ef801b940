import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayApiRouter } from '../constructs/kubernetes/gateway-api-router';
import { IstioRouter } from '../constructs/kubernetes/istio-router';
import { NginxIngressRouter } from '../constructs/kubernetes/nginx-ingress-router';
import { KubernetesRouterProps } from '../constructs/kubernetes/router-options';
import { liveColors, RainbowSpec, routerStackName } from '../spec/types';
import { addBackend } from './backend';
import { addKubernetesProvider } from './kubernetes-provider';

/**
 * The stack `<app>-router`: the weighted split between every color that is not retired, with
 * the router the spec names. Moving traffic re-applies only this stack.
 */
export class RouterStack extends TerraformStack {
  public readonly stackName: string;
  /** A GatewayApiRouter, NginxIngressRouter or IstioRouter, after `kubernetes.router`. */
  public readonly router: Construct;

  constructor(scope: Construct, spec: RainbowSpec) {
    const stackName = routerStackName(spec.app);
    super(scope, stackName);
    this.stackName = stackName;
    addBackend(this, stackName, spec.backend);
    addKubernetesProvider(this, spec.kubernetes);
    const k = spec.kubernetes;
    const common: KubernetesRouterProps = {
      app: spec.app,
      namespace: k.namespace,
      host: k.host,
      port: k.port,
      colors: liveColors(spec).map((c) => ({ color: c.name, weight: c.weight })),
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
