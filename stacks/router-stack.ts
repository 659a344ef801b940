import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayApiRouter } from '../constructs/kubernetes/gateway-api-router';
import { liveColors, RainbowSpec, routerStackName } from '../spec/types';
import { addBackend } from './backend';
import { addKubernetesProvider } from './kubernetes-provider';

/**
 * The stack `<app>-router`: the weighted split between every color that is not retired.
 * Moving traffic re-applies only this stack.
 */
export class RouterStack extends TerraformStack {
  public readonly stackName: string;
  public readonly router: GatewayApiRouter;

  constructor(scope: Construct, spec: RainbowSpec) {
    const stackName = routerStackName(spec.app);
    super(scope, stackName);
    this.stackName = stackName;
    addBackend(this, stackName, spec.backend);
    addKubernetesProvider(this, spec.kubernetes);
    this.router = new GatewayApiRouter(this, 'Router', {
      app: spec.app,
      namespace: spec.kubernetes.namespace,
      host: spec.kubernetes.host,
      port: spec.kubernetes.port,
      gateway: spec.kubernetes.gateway,
      colors: liveColors(spec).map((c) => ({ color: c.name, weight: c.weight })),
      ...(spec.routing.pinHeader === undefined ? {} : { pinHeader: spec.routing.pinHeader }),
    });
  }
}
