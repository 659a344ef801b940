import { App, TerraformStack, Testing } from 'cdktf';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EcsColor } from '../../../constructs/aws/ecs-color';
import { IKubernetesColor } from '../../../constructs/common/color';
import { GatewayApiRouter } from '../../../constructs/kubernetes/gateway-api-router';
import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { kubernetesStack, synthJson, testApp } from '../../helpers';

const gateway = { name: 'public', namespace: 'infra' };

/** The example: two colors and a router in one stack. */
function shop(stack: TerraformStack = kubernetesStack()) {
  const blue = new KubernetesColor(stack, 'Blue', {
    app: 'shop',
    color: 'blue',
    image: 'ghcr.io/acme/shop:1.4.0',
    replicas: 3,
  });
  const green = new KubernetesColor(stack, 'Green', { app: 'shop', color: 'green', image: 'ghcr.io/acme/shop:1.5.0' });
  const router = new GatewayApiRouter(stack, 'Router', { app: 'shop', host: 'shop.example.com', gateway });
  return { stack, blue, green, router };
}

const manifests = (json: any) => Object.entries(json.resource.kubernetes_manifest) as Array<[string, any]>;

/** What synth refuses for `path`, exactly: the router's message out of cdktf's validation report. */
function refusalOf(stack: TerraformStack, path = 'test/Router'): string {
  try {
    synthJson(stack);
  } catch (e) {
    const report = (e as Error).message;
    const start = report.indexOf(`[${path}] `);
    return start < 0 ? report : report.slice(start + path.length + 3).split('\n\nIf you wish')[0];
  }
  throw new Error('synth did not refuse');
}

describe('GatewayApiRouter.addColor', () => {
  it('routes 90/10 to the colors it was given, to their Services in their namespace and on their port', () => {
    const stack = kubernetesStack();
    const blue = new KubernetesColor(stack, 'Blue', {
      app: 'shop',
      color: 'blue',
      image: 'ghcr.io/acme/shop:1.4.0',
      namespace: 'web',
      port: 9090,
    });
    const green = new KubernetesColor(stack, 'Green', {
      app: 'shop',
      color: 'green',
      image: 'ghcr.io/acme/shop:1.5.0',
      namespace: 'web',
      port: 9090,
    });
    const router = new GatewayApiRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      gateway: { name: 'public' },
    });
    router.addColor(blue, 90);
    router.addColor(green, 10);
    const [, route] = manifests(synthJson(stack)).find(([, m]) => m.manifest.metadata.name === 'shop')!;
    expect(router.namespace).toBe('web');
    expect(route.manifest.metadata.namespace).toBe('web');
    expect(route.manifest.spec.parentRefs[0].namespace).toBe('web');
    expect(route.manifest.spec.rules[0].backendRefs).toEqual([
      { name: 'shop-blue', port: 9090, weight: 90 },
      { name: 'shop-green', port: 9090, weight: 10 },
    ]);
  });

  it('makes the route wait for both Deployments and their rollout checks', () => {
    const { stack, blue, green, router } = shop();
    router.addColor(blue, 90);
    router.addColor(green, 10);
    const json = synthJson(stack);
    const [, route] = manifests(json).find(([, m]) => m.manifest.metadata.name === 'shop')!;
    const deployments = Object.keys(json.resource.kubernetes_deployment_v1);
    const checks = Object.keys(json.data.kubernetes_resources).filter((id) => id.includes('RolloutComplete'));
    expect(route.depends_on).toEqual([
      `kubernetes_deployment_v1.${deployments.find((id) => id.startsWith('Blue_'))}`,
      `data.kubernetes_resources.${checks.find((id) => id.startsWith('Blue_'))}`,
      `kubernetes_deployment_v1.${deployments.find((id) => id.startsWith('Green_'))}`,
      `data.kubernetes_resources.${checks.find((id) => id.startsWith('Green_'))}`,
    ]);
    expect(blue.rolloutDependencies).toEqual([blue.deployment, blue.rolloutCheck]);
  });

  it('makes every preview route wait for the rollouts too, including colors added after it', () => {
    const stack = kubernetesStack();
    const blue = new KubernetesColor(stack, 'Blue', { app: 'shop', color: 'blue', image: 'ghcr.io/acme/shop:1.4.0' });
    const router = new GatewayApiRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      gateway,
      previewHosts: true,
    });
    router.addColor(blue, 100);
    const green = new KubernetesColor(stack, 'Green', {
      app: 'shop',
      color: 'green',
      image: 'ghcr.io/acme/shop:1.5.0',
    });
    router.addColor(green, 0);
    const json = synthJson(stack);
    const greenDeployment = `kubernetes_deployment_v1.${Object.keys(json.resource.kubernetes_deployment_v1).find((id) => id.startsWith('Green_'))}`;
    for (const [, m] of manifests(json)) expect(m.depends_on).toContain(greenDeployment);
    expect(router.previewManifests).toHaveLength(2);
  });

  it('keeps the colors prop working, before the colors added', () => {
    const stack = kubernetesStack();
    const green = new KubernetesColor(stack, 'Green', {
      app: 'shop',
      color: 'green',
      image: 'ghcr.io/acme/shop:1.5.0',
    });
    const router = new GatewayApiRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      gateway,
      colors: [{ color: 'blue', weight: 90 }],
    });
    router.addColor(green, 10);
    const [, route] = manifests(synthJson(stack)).find(([, m]) => m.manifest.metadata.name === 'shop')!;
    expect(route.manifest.spec.rules[0].backendRefs).toEqual([
      { name: 'shop-blue', port: 8080, weight: 90 },
      { name: 'shop-green', port: 8080, weight: 10 },
    ]);
  });

  it('routes to a color of another stack by name, with no dependency and no reference across stacks', () => {
    const app = testApp();
    const colorStack = new TerraformStack(app, 'shop-blue');
    new KubernetesProvider(colorStack, 'kubernetes', {});
    new KubernetesColor(colorStack, 'Color', { app: 'shop', color: 'blue', image: 'ghcr.io/acme/shop:1.4.0' });
    const routerStack = new TerraformStack(app, 'shop-router');
    new KubernetesProvider(routerStack, 'kubernetes', {});
    const router = new GatewayApiRouter(routerStack, 'Router', { app: 'shop', host: 'shop.example.com', gateway });
    const blue = KubernetesColor.fromName(routerStack, 'Blue', {
      app: 'shop',
      color: 'blue',
      namespace: 'web',
      port: 9090,
    });
    router.addColor(blue, 100);
    const json = synthJson(routerStack);
    const [, route] = manifests(json).find(([, m]) => m.manifest.metadata.name === 'shop')!;
    expect(route.manifest.spec.rules[0].backendRefs).toEqual([{ name: 'shop-blue', port: 9090, weight: 100 }]);
    expect(route.manifest.metadata.namespace).toBe('web');
    expect(route.depends_on).toBeUndefined();
    expect(json.data.terraform_remote_state).toBeUndefined();
    expect(blue).toEqual(
      expect.objectContaining({
        app: 'shop',
        color: 'blue',
        platform: 'kubernetes',
        name: 'shop-blue',
        namespace: 'web',
        port: 9090,
        rolloutDependencies: [],
      }),
    );
  });

  it('adds no dependency on a color object of another stack', () => {
    const app = testApp();
    const colorStack = new TerraformStack(app, 'colors');
    new KubernetesProvider(colorStack, 'kubernetes', {});
    const blue = new KubernetesColor(colorStack, 'Blue', {
      app: 'shop',
      color: 'blue',
      image: 'ghcr.io/acme/shop:1.4.0',
    });
    const routerStack = kubernetesStack('router');
    const router = new GatewayApiRouter(routerStack, 'Router', { app: 'shop', host: 'shop.example.com', gateway });
    router.addColor(blue, 100);
    const [, route] = manifests(synthJson(routerStack))[0];
    expect(route.depends_on).toBeUndefined();
  });
});

describe('GatewayApiRouter.addColor refusals', () => {
  const refusal = (lines: string[]) => `GatewayApiRouter test/Router:\n${lines.join('\n')}`;

  it('refuses a color of another app, naming both', () => {
    const { stack, blue, router } = shop();
    const cart = new KubernetesColor(stack, 'Cart', {
      app: 'cart',
      color: 'green',
      image: 'ghcr.io/acme/cart:1.0.0',
      namespace: 'shop',
    });
    router.addColor(blue, 90);
    router.addColor(cart, 10);
    expect(refusalOf(stack)).toBe(
      refusal([
        'addColor(test/Cart): received the color green of the app cart; expected a color of shop, the app this router routes',
      ]),
    );
  });

  it("refuses a color in another namespace than the router's", () => {
    const { stack, blue, router } = shop();
    const green = new KubernetesColor(stack, 'Web', {
      app: 'shop',
      color: 'green',
      image: 'ghcr.io/acme/shop:1.5.0',
      namespace: 'web',
    });
    router.addColor(blue, 90);
    router.addColor(green, 10);
    expect(refusalOf(stack)).toBe(
      refusal([
        "addColor(test/Web): received the color green in the namespace web; expected one in shop, the namespace of the router's objects and of its other colors: a route sends traffic to Services of its own namespace",
      ]),
    );
  });

  it('refuses a color in another namespace than the one the router was given', () => {
    const { stack, blue } = shop();
    const router = new GatewayApiRouter(stack, 'Other', {
      app: 'shop',
      host: 'shop.example.com',
      gateway,
      namespace: 'web',
    });
    router.addColor(blue, 100);
    expect(refusalOf(stack, 'test/Other')).toBe(
      "GatewayApiRouter test/Other:\naddColor(test/Blue): received the color blue in the namespace shop; expected one in web, the namespace of the router's objects and of its other colors: a route sends traffic to Services of its own namespace",
    );
  });

  it('refuses a color of another platform', () => {
    const { stack, blue, router } = shop();
    const ecs = EcsColor.fromName(stack, 'Ecs', { app: 'shop', color: 'green' });
    router.addColor(blue, 90);
    router.addColor(ecs as unknown as IKubernetesColor, 10);
    expect(refusalOf(stack)).toBe(
      refusal([
        'addColor(test/Ecs): received the color green on ecs; expected a color on kubernetes: GatewayApiRouter test/Router routes kubernetes colors only',
      ]),
    );
  });

  it('refuses a color added twice, naming both', () => {
    const { stack, blue, router } = shop();
    const again = KubernetesColor.fromName(stack, 'BlueAgain', { app: 'shop', color: 'blue' });
    router.addColor(blue, 50);
    router.addColor(again, 50);
    expect(refusalOf(stack)).toBe(
      refusal([
        'addColor(test/BlueAgain): received the color blue again, already added as addColor(test/Blue); expected each color once',
      ]),
    );
  });

  it('refuses a color added that the colors prop already lists', () => {
    const stack = kubernetesStack();
    const router = new GatewayApiRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      gateway,
      colors: [{ color: 'blue', weight: 50 }],
    });
    router.addColor(KubernetesColor.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 50);
    expect(refusalOf(stack)).toBe(
      refusal([
        'addColor(test/Blue): received the color blue again, already added as colors[0]; expected each color once',
      ]),
    );
  });

  it('refuses weights that do not add up to 100, and a weight out of range', () => {
    const { stack, blue, green, router } = shop();
    router.addColor(blue, 60);
    router.addColor(green, 30);
    expect(refusalOf(stack)).toBe(
      refusal([
        'colors: the weights of the colors that are not retired add up to 90 (blue 60 + green 30); expected exactly 100',
      ]),
    );
    const other = shop();
    other.router.addColor(other.blue, 100);
    other.router.addColor(other.green, 100.5);
    expect(refusalOf(other.stack)).toBe(
      refusal(['addColor(test/Green).weight: received 100.5; expected a whole number from 0 to 100']),
    );
  });

  it('refuses a router without colors', () => {
    const { stack } = shop();
    expect(refusalOf(stack)).toBe(refusal(['colors: received an empty list; expected a list of at least one color']));
  });

  it('refuses the Gateway API limit over the colors added', () => {
    const stack = kubernetesStack();
    const router = new GatewayApiRouter(stack, 'Router', { app: 'shop', host: 'shop.example.com', gateway });
    for (let i = 0; i < 17; i++)
      router.addColor(KubernetesColor.fromName(stack, `C${i}`, { app: 'shop', color: `c${i}` }), i === 0 ? 100 : 0);
    expect(refusalOf(stack)).toBe(
      refusal([
        'colors: received 17 colors that are not retired; a Gateway API HTTPRoute rule holds at most 16 backendRefs',
      ]),
    );
  });

  it('refuses when the resources are rendered, even without validations', () => {
    const { stack, blue, router } = shop();
    router.addColor(blue, 90);
    expect(() => Testing.synth(stack)).toThrow(
      refusal(['colors: the weights of the colors that are not retired add up to 90 (blue 90); expected exactly 100']),
    );
  });

  it('refuses in App.synth, before it writes the stack', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'rainbow-linking-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'test');
    new KubernetesProvider(stack, 'kubernetes', {});
    const { blue, router } = shop(stack);
    router.addColor(blue, 90);
    expect(() => app.synth()).toThrow(
      refusal(['colors: the weights of the colors that are not retired add up to 90 (blue 90); expected exactly 100']),
    );
    expect(existsSync(join(outdir, 'stacks', 'test'))).toBe(false);
  });
});

describe('KubernetesColor.fromName', () => {
  it('refuses names that are not a color, app, namespace or port', () => {
    const stack = kubernetesStack();
    expect(() =>
      KubernetesColor.fromName(stack, 'Bad', { app: 'Shop', color: 'blue', namespace: 'Web', port: 0 }),
    ).toThrow(
      'KubernetesColor.fromName test/Bad:\n' +
        'app: received "Shop"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters\n' +
        'namespace: received "Web"; expected a Kubernetes namespace: lowercase letters, digits and hyphens, alphanumeric first and last, at most 63 characters\n' +
        'port: received 0; expected a whole number from 1 to 65535',
    );
  });

  it('defaults the namespace to the app and the port to 8080, as KubernetesColor does', () => {
    const ref = KubernetesColor.fromName(kubernetesStack(), 'Blue', { app: 'shop', color: 'blue' });
    expect([ref.namespace, ref.port, ref.name]).toEqual(['shop', 8080, 'shop-blue']);
  });
});
