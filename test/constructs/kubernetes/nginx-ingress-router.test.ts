import { NginxIngressRouter, NginxIngressRouterProps } from '../../../constructs/kubernetes/nginx-ingress-router';
import { Testing } from 'cdktf';
import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { kubernetesStack, synthJson } from '../../helpers';

const base: NginxIngressRouterProps = {
  app: 'shop',
  host: 'shop.example.com',
  colors: [
    { color: 'blue', weight: 100 },
    { color: 'green', weight: 0 },
  ],
};

function router(props: Partial<NginxIngressRouterProps> = {}) {
  const stack = kubernetesStack();
  const construct = new NginxIngressRouter(stack, 'Router', { ...base, ...props });
  const ingresses = synthJson(stack).resource.kubernetes_ingress_v1 as Record<string, any>;
  const byName = Object.fromEntries(Object.values(ingresses).map((i: any) => [i.metadata.name, i]));
  return { construct, byName };
}

const canary = 'nginx.ingress.kubernetes.io';

describe('NginxIngressRouter', () => {
  it('sends everything to the only color above 0 with a primary Ingress, and no canary without a pin header', () => {
    const { construct, byName } = router();
    expect(Object.keys(byName)).toEqual(['shop']);
    expect(construct.primaryColor).toBe('blue');
    expect(construct.canaryColor).toBeUndefined();
    expect(construct.primaryIngress.node.id).toBe('Resource');
    expect(byName.shop.spec).toEqual({
      ingress_class_name: 'nginx',
      rule: [
        {
          host: 'shop.example.com',
          http: {
            path: [
              { path: '/', path_type: 'Prefix', backend: { service: { name: 'shop-blue', port: { number: 8080 } } } },
            ],
          },
        },
      ],
    });
  });

  it('routes 90/10 with a canary Ingress carrying the second color weight out of 100', () => {
    const { construct, byName } = router({
      colors: [
        { color: 'blue', weight: 10 },
        { color: 'green', weight: 90 },
      ],
    });
    expect(construct.primaryColor).toBe('green');
    expect(construct.canaryColor).toBe('blue');
    expect(byName.shop.spec.rule[0].http.path[0].backend.service.name).toBe('shop-green');
    expect(byName['shop-canary'].metadata.annotations).toEqual({
      [`${canary}/canary`]: 'true',
      [`${canary}/canary-weight`]: '10',
      [`${canary}/canary-weight-total`]: '100',
    });
    expect(byName['shop-canary'].spec.rule[0].http.path[0].backend.service.name).toBe('shop-blue');
  });

  it('breaks a 50/50 tie by file order: the first color is the primary', () => {
    const { construct } = router({
      colors: [
        { color: 'blue', weight: 50 },
        { color: 'green', weight: 50 },
      ],
    });
    expect(construct.primaryColor).toBe('blue');
    expect(construct.canaryColor).toBe('green');
  });

  it('pins the canary by header, even at weight 0 so a new color can be checked first', () => {
    const { construct, byName } = router({
      pinHeader: 'x-color',
      colors: [
        { color: 'blue', weight: 100 },
        { color: 'green', weight: 0 },
        { color: 'teal', weight: 0 },
      ],
    });
    expect(construct.canaryColor).toBe('green');
    expect(byName['shop-canary'].metadata.annotations).toEqual({
      [`${canary}/canary`]: 'true',
      [`${canary}/canary-weight`]: '0',
      [`${canary}/canary-weight-total`]: '100',
      [`${canary}/canary-by-header`]: 'x-color',
      [`${canary}/canary-by-header-value`]: 'green',
    });
  });

  it('uses the ingress class and TLS secret given', () => {
    const { byName } = router({
      ingressClassName: 'public-nginx',
      tlsSecretName: 'shop-tls',
      colors: [
        { color: 'blue', weight: 60 },
        { color: 'green', weight: 40 },
      ],
    });
    for (const name of ['shop', 'shop-canary']) {
      expect(byName[name].spec.ingress_class_name).toBe('public-nginx');
      expect(byName[name].spec.tls).toEqual([{ hosts: ['shop.example.com'], secret_name: 'shop-tls' }]);
    }
  });

  it('keeps a client on its color with cookie affinity on both Ingresses', () => {
    const { byName } = router({
      stickySeconds: 3600,
      colors: [
        { color: 'blue', weight: 60 },
        { color: 'green', weight: 40 },
      ],
    });
    const affinity = {
      [`${canary}/affinity`]: 'cookie',
      [`${canary}/affinity-mode`]: 'persistent',
      [`${canary}/affinity-canary-behavior`]: 'sticky',
      [`${canary}/session-cookie-name`]: 'shop-affinity',
      [`${canary}/session-cookie-max-age`]: '3600',
    };
    expect(byName.shop.metadata.annotations).toEqual(affinity);
    expect(byName['shop-canary'].metadata.annotations).toEqual(expect.objectContaining(affinity));
  });

  it('serves every color at its preview host from one more Ingress', () => {
    const { construct, byName } = router({ previewHosts: true, tlsSecretName: 'shop-tls' });
    expect(construct.previewIngress).toBeDefined();
    expect(byName['shop-preview'].spec.rule.map((r: any) => [r.host, r.http.path[0].backend.service.name])).toEqual([
      ['blue.shop.example.com', 'shop-blue'],
      ['green.shop.example.com', 'shop-green'],
    ]);
    expect(byName['shop-preview'].spec.tls).toEqual([
      { hosts: ['blue.shop.example.com', 'green.shop.example.com'], secret_name: 'shop-tls' },
    ]);
  });

  it('fails for stickiness with a pin header, and a header ingress-nginx would drop', () => {
    expect(() => router({ pinHeader: 'x_color', stickySeconds: 60 })).toThrow(
      'stickySeconds: received stickySeconds together with pinHeader; the nginx router cannot have both: ingress-nginx follows its affinity cookie before the canary header, so pinned and drained colors would keep sticky clients\n' +
        'pinHeader: received "x_color"; expected letters, digits and "-" only with the nginx router: ingress-nginx drops other header names by default',
    );
  });

  it('fails for three colors above weight 0, naming the one-canary limit', () => {
    expect(() =>
      router({
        colors: [
          { color: 'a', weight: 50 },
          { color: 'b', weight: 30 },
          { color: 'c', weight: 20 },
        ],
      }),
    ).toThrow(
      'colors: received 3 colors above weight 0 (a 50, b 30, c 20); the nginx router allows at most 2, because ingress-nginx supports one canary Ingress per host',
    );
  });

  it('fails for a bad ingress class and sticky duration', () => {
    expect(() => router({ ingressClassName: 'NGINX', stickySeconds: 0 })).toThrow(
      'NginxIngressRouter test/Router:\n' +
        'stickySeconds: received 0; expected a whole number of seconds from 1 to 604800\n' +
        'ingressClassName: received "NGINX"; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
    );
  });

  it('routes a sticky color drained to 0 nowhere but its preview host: no canary Ingress holds it', () => {
    const stack = kubernetesStack();
    new NginxIngressRouter(stack, 'Router', { ...base, stickySeconds: 3600, previewHosts: true });
    const json = synthJson(stack);
    const ingresses = Object.values(json.resource.kubernetes_ingress_v1) as any[];
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['shop', 'shop-preview']);
    const backends = (i: any) => i.spec.rule.map((r: any) => r.http.path[0].backend.service.name);
    expect(backends(ingresses[0])).toEqual(['shop-blue']);
    expect(backends(ingresses[1])).toEqual(['shop-blue', 'shop-green']);
    expect(json.data).toBeUndefined();
  });
});

describe('NginxIngressRouter.addColor', () => {
  function linked(weights: [number, number], props: Partial<NginxIngressRouterProps> = {}) {
    const stack = kubernetesStack();
    const blue = new KubernetesColor(stack, 'Blue', {
      app: 'shop',
      color: 'blue',
      image: 'ghcr.io/acme/shop:1.4.0',
      port: 9090,
    });
    const green = new KubernetesColor(stack, 'Green', {
      app: 'shop',
      color: 'green',
      image: 'ghcr.io/acme/shop:1.5.0',
      port: 9090,
    });
    const router = new NginxIngressRouter(stack, 'Router', { app: 'shop', host: 'shop.example.com', ...props });
    router.addColor(blue, weights[0]);
    router.addColor(green, weights[1]);
    const json = synthJson(stack);
    const byName = Object.fromEntries(
      Object.values(json.resource.kubernetes_ingress_v1).map((i: any) => [i.metadata.name, i]),
    );
    return { router, json, byName };
  }

  it("makes the canary once a second color is above 0, on the colors' port, after both rollouts", () => {
    const { router, json, byName } = linked([80, 20]);
    expect([router.primaryColor, router.canaryColor]).toEqual(['blue', 'green']);
    expect(byName['shop-canary'].metadata.annotations[`${canary}/canary-weight`]).toBe('20');
    expect(byName['shop-canary'].spec.rule[0].http.path[0].backend.service).toEqual({
      name: 'shop-green',
      port: { number: 9090 },
    });
    const deployments = Object.keys(json.resource.kubernetes_deployment_v1).map(
      (id) => `kubernetes_deployment_v1.${id}`,
    );
    for (const ingress of Object.values(byName) as any[])
      expect(ingress.depends_on).toEqual(expect.arrayContaining(deployments));
  });

  it('makes no canary for 100/0 without a pin header', () => {
    const { router, byName } = linked([100, 0]);
    expect(Object.keys(byName)).toEqual(['shop']);
    expect(router.canaryIngress).toBeUndefined();
  });

  it('refuses three colors above 0 added one by one', () => {
    const stack = kubernetesStack();
    const router = new NginxIngressRouter(stack, 'Router', { app: 'shop', host: 'shop.example.com' });
    for (const [color, weight] of [
      ['red', 50],
      ['orange', 30],
      ['yellow', 20],
    ] as const)
      router.addColor(KubernetesColor.fromName(stack, color, { app: 'shop', color }), weight);
    expect(() => synthJson(stack)).toThrow(
      'NginxIngressRouter test/Router:\ncolors: received 3 colors above weight 0 (red 50, orange 30, yellow 20); the nginx router allows at most 2, because ingress-nginx supports one canary Ingress per host',
    );
  });
});

describe('NginxIngressRouter: HCL output', () => {
  it('renders the rules of the colors added as blocks', () => {
    const stack = kubernetesStack();
    const router = new NginxIngressRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      previewHosts: true,
    });
    router.addColor(KubernetesColor.fromName(stack, 'Blue', { app: 'shop', color: 'blue' }), 100);
    const hcl = Testing.synthHcl(stack);
    expect(hcl).toContain('rule {\nhost = "shop.example.com"\nhttp {\npath {');
    expect(hcl).toContain('rule {\nhost = "blue.shop.example.com"\nhttp {\npath {');
  });
});
