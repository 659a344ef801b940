import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { GatewayApiRouter, GatewayApiRouterProps } from '../../../constructs/kubernetes/gateway-api-router';
import { aboveGeneration, generationBefore, routePostcondition } from '../../../constructs/kubernetes/status-checks';
import { kubernetesStack, onlyResource, synthJson } from '../../helpers';

const base: GatewayApiRouterProps = {
  app: 'shop',
  host: 'shop.example.com',
  gateway: { name: 'public', namespace: 'infra' },
  colors: [
    { color: 'red', weight: 90 },
    { color: 'orange', weight: 10 },
  ],
};

function router(props: Partial<GatewayApiRouterProps> = {}) {
  const stack = kubernetesStack();
  const construct = new GatewayApiRouter(stack, 'Router', { ...base, ...props });
  return { construct, manifest: onlyResource(synthJson(stack), 'kubernetes_manifest').manifest };
}

/** Validates against the upstream Gateway API CRD schema; throws with the schema's message. */
function validateUpstream(manifest: unknown): void {
  (new HTTPRoute(manifest as ConstructorParameters<typeof HTTPRoute>[0]) as unknown as { validate(): void }).validate();
}

describe('GatewayApiRouter', () => {
  it('routes 90/10 between red and orange with one weighted rule', () => {
    const { manifest } = router();
    expect(manifest).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'shop',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/managed-by': 'cdktf-rainbow' },
        annotations: { 'cdktf-rainbow/status-wait': 'generation' },
      },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra' }],
        hostnames: ['shop.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [
              { name: 'shop-red', port: 8080, weight: 90 },
              { name: 'shop-orange', port: 8080, weight: 10 },
            ],
          },
        ],
      },
    });
    validateUpstream(manifest);
  });

  it('exposes the manifest it applies, with the id Resource', () => {
    const { construct, manifest } = router();
    expect(construct.routeManifest).toEqual(manifest);
    expect(construct.manifest.node.id).toBe('Resource');
    expect(construct.name).toBe('shop');
    expect(construct.namespace).toBe('shop');
  });

  it('keeps a color at weight 0 listed with weight 0', () => {
    const { manifest } = router({
      colors: [
        { color: 'red', weight: 100 },
        { color: 'orange', weight: 0 },
      ],
    });
    expect(manifest.spec.rules[0].backendRefs).toEqual([
      { name: 'shop-red', port: 8080, weight: 100 },
      { name: 'shop-orange', port: 8080, weight: 0 },
    ]);
    validateUpstream(manifest);
  });

  it('adds one exact header rule per color with a pin header, including colors at weight 0', () => {
    const { manifest } = router({
      pinHeader: 'x-rainbow-color',
      colors: [
        { color: 'red', weight: 100 },
        { color: 'orange', weight: 0 },
      ],
    });
    expect(manifest.spec.rules.slice(1)).toEqual([
      {
        matches: [
          {
            path: { type: 'PathPrefix', value: '/' },
            headers: [{ type: 'Exact', name: 'x-rainbow-color', value: 'red' }],
          },
        ],
        backendRefs: [{ name: 'shop-red', port: 8080, weight: 1 }],
      },
      {
        matches: [
          {
            path: { type: 'PathPrefix', value: '/' },
            headers: [{ type: 'Exact', name: 'x-rainbow-color', value: 'orange' }],
          },
        ],
        backendRefs: [{ name: 'shop-orange', port: 8080, weight: 1 }],
      },
    ]);
    validateUpstream(manifest);
  });

  it('uses the namespace, port, listener and gateway namespace given', () => {
    const { manifest } = router({ namespace: 'web', port: 9090, gateway: { name: 'edge', sectionName: 'https' } });
    expect(manifest.metadata.namespace).toBe('web');
    expect(manifest.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'web', sectionName: 'https' },
    ]);
    expect(manifest.spec.rules[0].backendRefs[0].port).toBe(9090);
    validateUpstream(manifest);
  });

  it('produces a route the upstream schema accepts at its limits: 16 colors, or 15 with pin rules', () => {
    const colors = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ color: `c${i}`, weight: i === 0 ? 100 - (n - 1) * 6 : 6 }));
    validateUpstream(router({ colors: colors(16) }).manifest);
    validateUpstream(router({ colors: colors(15), pinHeader: 'x-color' }).manifest);
  });

  it('is checked by a schema that would refuse what we refuse', () => {
    const { manifest } = router();
    const tooMany = {
      ...manifest,
      spec: { ...manifest.spec, rules: Array.from({ length: 17 }, () => manifest.spec.rules[0]) },
    };
    expect(() => validateUpstream(tooMany)).toThrow(/rules/);
    const refs = Array.from({ length: 17 }, (_, i) => ({ name: `shop-c${i}`, port: 8080, weight: 1 }));
    const tooManyRefs = {
      ...manifest,
      spec: { ...manifest.spec, rules: [{ ...manifest.spec.rules[0], backendRefs: refs }] },
    };
    expect(() => validateUpstream(tooManyRefs)).toThrow(/backendRefs/);
  });

  it('makes the weighted rule sticky with cookie session persistence on the experimental channel', () => {
    const { construct, manifest } = router({ stickySeconds: 604800, gatewayApiChannel: 'experimental' });
    expect(construct.gatewayApiChannel).toBe('experimental');
    expect(manifest.spec.rules[0].sessionPersistence).toEqual({
      sessionName: 'shop-color',
      type: 'Cookie',
      absoluteTimeout: '168h',
      cookieConfig: { lifetimeType: 'Permanent' },
    });
    validateUpstream(manifest);
  });

  it('serves every color at its preview host from its own HTTPRoute', () => {
    const stack = kubernetesStack();
    const construct = new GatewayApiRouter(stack, 'Router', { ...base, previewHosts: true });
    expect(construct.previewManifests).toHaveLength(2);
    const manifests = (Object.values(synthJson(stack).resource.kubernetes_manifest) as any[]).map((m) => m.manifest);
    const preview = manifests.find((m) => m.metadata.name === 'shop-orange-preview');
    expect(preview.spec.hostnames).toEqual(['orange.shop.example.com']);
    expect(preview.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: 'shop-orange', port: 8080, weight: 1 }],
      },
    ]);
    for (const m of manifests) validateUpstream(m);
  });

  it('fails for 17 colors, naming the 16 backendRefs limit', () => {
    const colors = Array.from({ length: 17 }, (_, i) => ({ color: `c${i}`, weight: i === 0 ? 100 : 0 }));
    expect(() => router({ colors })).toThrow(
      'colors: received 17 colors that are not retired; a Gateway API HTTPRoute rule holds at most 16 backendRefs',
    );
  });

  it('fails for 16 colors with a pin header, naming the 16 rules limit', () => {
    const colors = Array.from({ length: 16 }, (_, i) => ({ color: `c${i}`, weight: i === 0 ? 100 : 0 }));
    expect(() => router({ colors, pinHeader: 'x-color' })).toThrow(
      'pinHeader: received 17 rules (1 weighted rule and 1 pin-header rule per color that is not retired); a Gateway API HTTPRoute holds at most 16 rules, so with pinHeader at most 15 colors',
    );
  });

  it('fails when the weights do not add up to 100', () => {
    expect(() =>
      router({
        colors: [
          { color: 'red', weight: 60 },
          { color: 'orange', weight: 30 },
        ],
      }),
    ).toThrow(
      'colors: the weights of the colors that are not retired add up to 90 (red 60 + orange 30); expected exactly 100',
    );
  });

  it('fails for bad props, listing every problem', () => {
    expect(() =>
      router({
        host: 'Shop.Example.com',
        gateway: { name: '' },
        colors: [
          { color: 'red', weight: 100.5 },
          { color: 'red', weight: -1 },
        ],
      }),
    ).toThrow(
      'GatewayApiRouter test/Router:\n' +
        'host: received "Shop.Example.com"; expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters\n' +
        'colors[0].weight: received 100.5; expected a whole number from 0 to 100\n' +
        'colors[1].color: received "red", already the name of colors[0]; expected a unique name\n' +
        'colors[1].weight: received -1; expected a whole number from 0 to 100\n' +
        'gateway.name: received ""; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
    );
  });

  it('fails without colors', () => {
    expect(() => router({ colors: [] })).toThrow(
      'colors: received an empty list; expected a list of at least one color',
    );
  });

  it('fails for stickiness on the standard channel, whose CRDs have no sessionPersistence', () => {
    expect(() => router({ stickySeconds: 3600 })).toThrow(
      'stickySeconds: received 3600 with the Gateway API standard channel; expected kubernetes.gatewayApiChannel: experimental first: sessionPersistence exists only in the experimental-channel CRDs (v1.1 or later), and the standard CRDs would reject the route',
    );
  });

  it('fails for an unknown channel', () => {
    expect(() => router({ gatewayApiChannel: 'beta' })).toThrow(
      'gatewayApiChannel: received "beta"; expected "standard" or "experimental": the Gateway API CRD channel installed in the cluster',
    );
  });
});

describe('GatewayApiRouter: sticky sessions and weight 0', () => {
  const colors = [
    { color: 'red', weight: 100 },
    { color: 'orange', weight: 0 },
  ];

  it('leaves a color at weight 0 out of the sticky weighted rule, so its sessions move to the colors above 0', () => {
    const { manifest } = router({ colors, stickySeconds: 3600, gatewayApiChannel: 'experimental' });
    expect(manifest.spec.rules[0].backendRefs).toEqual([{ name: 'shop-red', port: 8080, weight: 100 }]);
    expect(manifest.spec.rules[0].sessionPersistence.sessionName).toBe('shop-color');
    validateUpstream(manifest);
  });

  it('still reaches a drained sticky color by its pin header and its preview host', () => {
    const stack = kubernetesStack();
    new GatewayApiRouter(stack, 'Router', {
      ...base,
      colors,
      stickySeconds: 3600,
      gatewayApiChannel: 'experimental',
      pinHeader: 'x-color',
      previewHosts: true,
    });
    const manifests = (Object.values(synthJson(stack).resource.kubernetes_manifest) as any[]).map((m) => m.manifest);
    const main = manifests.find((m) => m.metadata.name === 'shop');
    expect(main.spec.rules.slice(1).map((r: any) => [r.matches[0].headers[0].value, r.backendRefs[0].name])).toEqual([
      ['red', 'shop-red'],
      ['orange', 'shop-orange'],
    ]);
    expect(manifests.find((m) => m.metadata.name === 'shop-orange-preview').spec.rules[0].backendRefs).toEqual([
      { name: 'shop-orange', port: 8080, weight: 1 },
    ]);
  });
});

describe('GatewayApiRouter: apply and acceptance', () => {
  const snake = ({ condition, errorMessage }: { condition: string; errorMessage: string }) => ({
    condition,
    error_message: errorMessage,
  });

  function synthesized(props: Partial<GatewayApiRouterProps> = {}) {
    const stack = kubernetesStack();
    const construct = new GatewayApiRouter(stack, 'Router', { ...base, ...props });
    const json = synthJson(stack);
    const reads = Object.entries(json.data.kubernetes_resources) as Array<[string, any]>;
    return {
      construct,
      manifests: Object.entries(json.resource.kubernetes_manifest) as Array<[string, any]>,
      checks: reads.filter(([, r]) => r.lifecycle !== undefined),
      previous: reads.filter(([, r]) => r.lifecycle === undefined),
      generations: Object.entries(json.resource.terraform_data) as Array<[string, any]>,
    };
  }

  it("takes ownership of its fields with forced server-side apply, as the provider's Terraform manager", () => {
    for (const [, m] of synthesized({ previewHosts: true }).manifests)
      expect(m.field_manager).toEqual({ name: 'Terraform', force_conflicts: true });
  });

  it("waits after create and update, for at most 5 minutes, until a Gateway has reported on the route's new generation", () => {
    const { manifests, previous, generations } = synthesized({ previewHosts: true });
    expect(previous.map(([id]) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'Router_Preview-orange-Previous',
      'Router_Preview-red-Previous',
      'Router_Previous',
    ]);
    expect(generations.map(([id]) => id.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'Router_Generation',
      'Router_Preview-orange-Generation',
      'Router_Preview-red-Generation',
    ]);
    for (const [, m] of manifests) {
      const name = m.manifest.metadata.name;
      // The route as it is before the apply: read at plan time, as nothing it depends on changes.
      const [previousId, read] = previous.find(([, r]) => r.field_selector === `metadata.name=${name}`)!;
      expect(read).toEqual({
        api_version: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: 'shop',
        field_selector: `metadata.name=${name}`,
      });
      // Its generation, kept until the route's spec changes.
      const [generationId, generation] = generations.find(([, g]) => g.input.includes(previousId))!;
      expect(generation).toEqual({
        input: `\${${generationBefore(`data.kubernetes_resources.${previousId}.objects`)}}`,
        triggers_replace: m.manifest.spec,
        lifecycle: { ignore_changes: ['input'] },
      });
      expect(m.wait).toEqual({
        fields: {
          'status.parents[0].conditions[0].observedGeneration': `\${${aboveGeneration(`terraform_data.${generationId}.output`)}}`,
        },
      });
      expect(m.timeouts).toEqual({ create: '5m', update: '5m' });
      expect(m.manifest.metadata.annotations).toEqual({ 'cdktf-rainbow/status-wait': 'generation' });
    }
  });

  it('reads every HTTPRoute back after applying it and fails unless its status is current and it is Accepted with ResolvedRefs', () => {
    const { construct, manifests, checks } = synthesized({ previewHosts: true });
    expect(construct.acceptanceChecks).toHaveLength(3);
    expect(checks.map(([, r]) => r.field_selector).sort()).toEqual([
      'metadata.name=shop',
      'metadata.name=shop-orange-preview',
      'metadata.name=shop-red-preview',
    ]);
    for (const [, read] of checks) {
      const name = read.field_selector.replace('metadata.name=', '');
      const [id] = manifests.find(([, m]) => m.manifest.metadata.name === name)!;
      expect(read).toEqual({
        api_version: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: 'shop',
        field_selector: `metadata.name=${name}`,
        depends_on: [`kubernetes_manifest.${id}`],
        // Evaluated by Terraform on sample routes in test/terraform/read-back-checks.test.ts.
        lifecycle: { postcondition: [snake(routePostcondition(name, 'shop', 'infra/public'))] },
      });
    }
  });
});
