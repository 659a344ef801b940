import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { IstioRouter, IstioRouterProps } from '../../../constructs/kubernetes/istio-router';
import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { kubernetesStack, synthJson } from '../../helpers';

const base: IstioRouterProps = {
  app: 'shop',
  host: 'shop.example.com',
  gateways: ['infra/public'],
  colors: [
    { color: 'red', weight: 50 },
    { color: 'orange', weight: 30 },
    { color: 'yellow', weight: 20 },
    { color: 'green', weight: 0 },
  ],
};

function router(props: Partial<IstioRouterProps> = {}) {
  const stack = kubernetesStack();
  const construct = new IstioRouter(stack, 'Router', { ...base, ...props });
  const manifests = (Object.values(synthJson(stack).resource.kubernetes_manifest) as any[]).map((m) => m.manifest);
  const byName = Object.fromEntries(manifests.map((m) => [`${m.kind}/${m.metadata.name}`, m]));
  return { construct, manifests, byName };
}

/** Validates against the upstream Istio CRD schemas; throws with the schema's message. */
function validateUpstream(manifest: any): void {
  const Model = manifest.kind === 'VirtualService' ? VirtualService : DestinationRule;
  (new Model(manifest) as unknown as { validate(): void }).validate();
}

const destination = (color: string) => ({ host: `shop-${color}.shop.svc.cluster.local`, port: { number: 8080 } });

describe('IstioRouter', () => {
  it('splits traffic between four colors by weight in one VirtualService', () => {
    const { construct, manifests } = router();
    expect(manifests).toHaveLength(1);
    expect(construct.virtualService.node.id).toBe('Resource');
    expect(manifests[0]).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: {
        name: 'shop',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/managed-by': 'cdktf-rainbow' },
      },
      spec: {
        hosts: ['shop.example.com'],
        gateways: ['infra/public'],
        http: [
          {
            name: 'weighted',
            route: [
              { destination: destination('red'), weight: 50 },
              { destination: destination('orange'), weight: 30 },
              { destination: destination('yellow'), weight: 20 },
              { destination: destination('green'), weight: 0 },
            ],
          },
        ],
      },
    });
    validateUpstream(manifests[0]);
  });

  it('puts one header route per color, in lowercase, before the weighted route', () => {
    const { manifests } = router({ pinHeader: 'X-Rainbow-Color' });
    const http = manifests[0].spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['pin-red', 'pin-orange', 'pin-yellow', 'pin-green', 'weighted']);
    expect(http[3]).toEqual({
      name: 'pin-green',
      match: [{ headers: { 'x-rainbow-color': { exact: 'green' } } }],
      route: [{ destination: destination('green') }],
    });
    validateUpstream(manifests[0]);
  });

  it('makes the weighted choice sticky with a color cookie, and pods sticky with a DestinationRule per color', () => {
    const { construct, manifests, byName } = router({ stickySeconds: 86400 });
    const http = byName['VirtualService/shop'].spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['sticky-red', 'sticky-orange', 'sticky-yellow', 'weighted']);
    expect(http[0].match).toEqual([{ headers: { cookie: { regex: '^(.*;\\s*)?shop-color=red(;.*)?$' } } }]);
    expect(http[3].route[0]).toEqual({
      destination: destination('red'),
      weight: 50,
      headers: { response: { add: { 'set-cookie': 'shop-color=red; Max-Age=86400; Path=/; HttpOnly' } } },
    });
    expect(construct.destinationRules).toHaveLength(4);
    expect(byName['DestinationRule/shop-red'].spec).toEqual({
      host: 'shop-red.shop.svc.cluster.local',
      trafficPolicy: {
        loadBalancer: { consistentHash: { httpCookie: { name: 'shop-pod', path: '/', ttl: '86400s' } } },
      },
    });
    for (const m of manifests) validateUpstream(m);
  });

  it('matches the sticky cookie anywhere in the Cookie header, and only that color', () => {
    const { byName } = router({ stickySeconds: 60 });
    const regex = new RegExp(byName['VirtualService/shop'].spec.http[1].match[0].headers.cookie.regex);
    expect(regex.test('shop-color=orange')).toBe(true);
    expect(regex.test('a=1; shop-color=orange; b=2')).toBe(true);
    expect(regex.test('shop-color=orange-2')).toBe(false);
    expect(regex.test('myshop-color=orange')).toBe(false);
    expect(regex.test('shop-color=red')).toBe(false);
  });

  it('serves every color at its preview host from its own VirtualService', () => {
    const { construct, byName } = router({ previewHosts: true });
    expect(construct.previewVirtualServices).toHaveLength(4);
    expect(byName['VirtualService/shop-green-preview'].spec).toEqual({
      hosts: ['green.shop.example.com'],
      gateways: ['infra/public'],
      http: [{ name: 'preview', route: [{ destination: destination('green') }] }],
    });
    validateUpstream(byName['VirtualService/shop-green-preview']);
  });

  it('fails without gateways, or with a gateway that is not namespace/name', () => {
    expect(() => router({ gateways: [] })).toThrow(
      'gateways: received an empty list; expected a list of at least one Istio gateway, each "namespace/name" or "mesh"',
    );
    expect(() => router({ gateways: ['public'] })).toThrow(
      'gateways[0]: received "public"; expected an Istio gateway as "namespace/name" (each lowercase letters, digits and hyphens), or "mesh"',
    );
  });

  it('takes ownership of every field it sets with forced server-side apply, and reads nothing back (a VirtualService has no acceptance status)', () => {
    const stack = kubernetesStack();
    new IstioRouter(stack, 'Router', { ...base, stickySeconds: 60, previewHosts: true });
    const json = synthJson(stack);
    const manifests = Object.values(json.resource.kubernetes_manifest) as any[];
    expect(manifests).toHaveLength(1 + 4 + 4);
    for (const m of manifests) expect(m.field_manager).toEqual({ name: 'Terraform', force_conflicts: true });
    expect(json.data).toBeUndefined();
  });
});

describe('IstioRouter.addColor', () => {
  it("routes to each color's Service in its namespace, on its port, after its rollout", () => {
    const stack = kubernetesStack();
    const blue = new KubernetesColor(stack, 'Blue', {
      app: 'shop',
      color: 'blue',
      image: 'ghcr.io/acme/shop:1.4.0',
      namespace: 'web',
      port: 9090,
    });
    const router = new IstioRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      gateways: ['infra/public'],
      stickySeconds: 60,
    });
    router.addColor(blue, 100);
    router.addColor(
      KubernetesColor.fromName(stack, 'Green', { app: 'shop', color: 'green', namespace: 'web', port: 9090 }),
      0,
    );
    const json = synthJson(stack);
    const all = Object.values(json.resource.kubernetes_manifest) as any[];
    const vs = all.find((m) => m.manifest.kind === 'VirtualService').manifest;
    expect(vs.metadata.namespace).toBe('web');
    expect(
      vs.spec.http.find((r: any) => r.name === 'weighted').route.map((r: any) => [r.destination, r.weight]),
    ).toEqual([
      [{ host: 'shop-blue.web.svc.cluster.local', port: { number: 9090 } }, 100],
      [{ host: 'shop-green.web.svc.cluster.local', port: { number: 9090 } }, 0],
    ]);
    expect(router.destinationRules).toHaveLength(2);
    const deployment = `kubernetes_deployment_v1.${Object.keys(json.resource.kubernetes_deployment_v1)[0]}`;
    for (const m of all) expect(m.depends_on).toContain(deployment);
    for (const m of all) validateUpstream(m.manifest);
  });
});
