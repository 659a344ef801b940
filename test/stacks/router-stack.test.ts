import { AlbRouter } from '../../constructs/aws/alb-router';
import { EcsColorReference } from '../../constructs/aws/ecs-color-reference';
import { KubernetesColorReference } from '../../constructs/kubernetes/kubernetes-color-reference';
import { GatewayApiRouter } from '../../constructs/kubernetes/gateway-api-router';
import { RouterStack } from '../../stacks/router-stack';
import { rawEcsSpec, rawSpec, resolvedSpec, synthJson, testApp } from '../helpers';

describe('RouterStack', () => {
  it('adds every color that is not retired to the router by name, as the library does', () => {
    const raw = rawSpec();
    raw.kubernetes.namespace = 'web';
    raw.kubernetes.port = 9090;
    raw.colors.push({ name: 'yellow', image: 'ghcr.io/acme/shop:1.3.0', weight: 0, state: 'retired' });
    const stack = new RouterStack(testApp(), 'shop-router', { spec: resolvedSpec(raw) });
    const refs = stack.node.children.filter(
      (c): c is KubernetesColorReference => c instanceof KubernetesColorReference,
    );
    expect(refs.map((r) => [r.node.id, r.name, r.namespace, r.port])).toEqual([
      ['Color-red', 'shop-red', 'web', 9090],
      ['Color-orange', 'shop-orange', 'web', 9090],
    ]);
    expect(stack.router).toBeInstanceOf(GatewayApiRouter);
    const json = synthJson(stack);
    const route = Object.values(json.resource.kubernetes_manifest)[0] as any;
    expect(route.manifest.spec.rules[0].backendRefs).toEqual([
      { name: 'shop-red', port: 9090, weight: 90 },
      { name: 'shop-orange', port: 9090, weight: 10 },
    ]);
    // Colors live in their own stacks: nothing here depends on them or reads their state.
    expect(route.depends_on).toBeUndefined();
    expect(json.data.terraform_remote_state).toBeUndefined();
  });

  it('adds ECS colors by name to the ALB router', () => {
    const stack = new RouterStack(testApp(), 'shop-router', { spec: resolvedSpec(rawEcsSpec()) });
    expect(stack.router).toBeInstanceOf(AlbRouter);
    expect(stack.node.children.filter((c) => c instanceof EcsColorReference).map((c) => c.name)).toEqual([
      'shop-red',
      'shop-orange',
    ]);
    expect((stack.router as AlbRouter).forwardedColors).toEqual([
      { color: 'red', weight: 90 },
      { color: 'orange', weight: 10 },
    ]);
  });
});
