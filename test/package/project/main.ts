// A user's cdktf program (tsconfig.json is the `cdktf init --template=typescript` one, unchanged)
// that composes the installed package in library mode. Only the Kubernetes provider is installed:
// the package root also loads the AWS constructs, so this program imports `cdktf-rainbow/kubernetes`.
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  GatewayApiRouter,
  IKubernetesColor,
  KubernetesColor,
  Quantity,
  RollingUpdatePolicy,
  SecureDefaults,
} from 'cdktf-rainbow/kubernetes';

class ShopStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new KubernetesProvider(this, 'kubernetes', {});
    const rollingUpdate = RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.count(0) });
    const blue = new KubernetesColor(this, 'blue', {
      app: 'shop',
      color: 'blue',
      image: 'ghcr.io/acme/shop:2.0.0',
      replicas: 3,
      rollingUpdate,
    });
    const green = new KubernetesColor(this, 'green', {
      app: 'shop',
      color: 'green',
      image: 'ghcr.io/acme/shop:2.1.0',
      rollingUpdate,
    });
    const router: GatewayApiRouter = new GatewayApiRouter(this, 'router', {
      app: 'shop',
      host: 'shop.example.com',
      gateway: { name: 'public', namespace: 'infra' },
    });
    router.addColor(blue, 90);
    router.addColor(green, 10);
    // A color of another stack, by name, as spec mode's router stack gets it.
    const colors: IKubernetesColor[] = [
      blue,
      green,
      KubernetesColor.fromName(this, 'red', { app: 'shop', color: 'red' }),
    ];
    SecureDefaults.enforce(this);
    if (colors.length !== 3 || router.name !== 'shop' || router.namespace !== 'shop')
      throw new Error('unexpected construct fields');
  }
}

const app = new App({ outdir: process.env.OUTDIR ?? 'cdktf.out' });
new ShopStack(app, 'shop');
app.synth();
