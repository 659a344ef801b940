import type { KubernetesColor } from '../../constructs/kubernetes/kubernetes-color';
import { ColorStack } from '../../stacks/color-stack';
import { onlyResource, rawEcsSpec, rawSpec, resolvedSpec, synthJson, testApp } from '../helpers';

function kubernetesColorOf(raw: Record<string, any>, index = 0) {
  const spec = resolvedSpec(raw);
  const stack = new ColorStack(testApp(), `shop-${spec.colors[index].name}`, { spec, color: spec.colors[index] });
  return { spec, stack, color: stack.color as KubernetesColor };
}

describe('ColorStack', () => {
  it('takes (scope, id, props) like every construct, and its id is the name of the stack and its state', () => {
    const spec = resolvedSpec(rawSpec());
    const stack = new ColorStack(testApp(), 'shop-red', { spec, color: spec.colors[0] });
    expect([stack.stackName, stack.node.id]).toEqual(['shop-red', 'shop-red']);
  });

  it('hands the resolved replicas and autoscaler to KubernetesColor as they are', () => {
    const raw = rawSpec();
    raw.autoscaling = { min: 2, max: 6, cpuPercent: 70 };
    delete raw.colors[0].replicas;
    const { spec, stack, color } = kubernetesColorOf(raw);
    expect([color.replicas, color.autoscaling]).toEqual([spec.colors[0].replicas, spec.colors[0].autoscaling]);
    const json = synthJson(stack);
    const deployment = Object.values(json.resource.kubernetes_deployment_v1 as Record<string, any>)[0];
    const autoscaler = Object.values(json.resource.kubernetes_horizontal_pod_autoscaler_v2 as Record<string, any>)[0];
    expect([deployment.spec.replicas, autoscaler.spec.min_replicas, autoscaler.spec.max_replicas]).toEqual(['2', 2, 6]);
  });

  it('hands a fixed replica count to KubernetesColor without an autoscaler', () => {
    const { spec, stack, color } = kubernetesColorOf(rawSpec());
    expect([color.replicas, color.autoscaling]).toEqual([spec.colors[0].replicas, undefined]);
    expect(synthJson(stack).resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
  });

  it("hands ecs.alarms to every ECS color's service, which ECS rolls back when one of them fires", () => {
    const raw = rawEcsSpec();
    raw.ecs.alarms = ['shop-5xx', 'shop-latency'];
    const spec = resolvedSpec(raw);
    expect(spec.ecs!.alarms).toEqual(['shop-5xx', 'shop-latency']);
    for (const color of spec.colors) {
      const service = onlyResource(
        synthJson(new ColorStack(testApp(), `shop-${color.name}`, { spec, color })),
        'aws_ecs_service',
      );
      expect(service.alarms).toEqual({ alarm_names: ['shop-5xx', 'shop-latency'], enable: true, rollback: true });
    }
  });
});
