/**
 * Library mode: the rainbow constructs inside a stack you already have, with no spec file.
 *
 * This stack owns its namespace, runs two colors (blue serving everything, green deployed and
 * reachable only with the header `x-color: green`) and routes between them with the Gateway API.
 * In your own project, import from "cdktf-rainbow/kubernetes" instead of "../../kubernetes".
 *
 *   npm run build && cd examples/compose-in-existing-stack && npx cdktf synth
 */
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayApiRouter, KubernetesColor, Quantity, RollingUpdatePolicy, SecureDefaults } from '../../kubernetes';

export class ShopStack extends TerraformStack {
  public readonly colors: KubernetesColor[];
  public readonly router: GatewayApiRouter;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new KubernetesProvider(this, 'kubernetes', {});

    // What the stack already had: its namespace. Referring to its name makes Terraform create it first.
    const namespace = new NamespaceV1(this, 'Namespace', { metadata: { name: 'shop' } });

    // One node at a time, each pod ready for 15 s before the next is replaced.
    const rollingUpdate = RollingUpdatePolicy.of({
      maxSurge: Quantity.count(1),
      maxUnavailable: Quantity.count(0),
      minReadySeconds: 15,
    });

    const color = (name: string, image: string) =>
      new KubernetesColor(this, name, {
        app: 'shop',
        color: name,
        image,
        namespace: namespace.metadata.name,
        replicas: 3,
        rollingUpdate,
        healthCheck: { path: '/ready' },
      });
    const blue = color('blue', 'ghcr.io/acme/shop:2.0.0');
    const green = color('green', 'ghcr.io/acme/shop:2.1.0');
    this.colors = [blue, green];

    // The router takes each color's Service, namespace and port from the color, and the route waits
    // for both rollouts. (`colors: [{ color: 'blue', weight: 100 }, ...]` by name still works.)
    this.router = new GatewayApiRouter(this, 'router', {
      app: 'shop',
      host: 'shop.example.com',
      gateway: { name: 'public', namespace: 'infra' },
      pinHeader: 'x-color',
    });
    this.router.addColor(blue, 100);
    this.router.addColor(green, 0);
    // Fail synth if anything in this stack, ours or not, weakens the secure defaults.
    SecureDefaults.enforce(this);
  }
}

if (require.main === module) {
  const app = new App();
  new ShopStack(app, 'shop');
  app.synth();
}
