import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { RollingUpdatePolicy } from '../../../constructs/rolling/rolling-update-policy';
import { Quantity } from '../../../spec/quantity';
import { kubernetesStack, onlyResource, synthJson } from '../../helpers';

function colorStack(props: Partial<ConstructorParameters<typeof KubernetesColor>[2]> = {}) {
  const stack = kubernetesStack();
  const color = new KubernetesColor(stack, 'Color', { app: 'shop', color: 'red', image: 'ghcr.io/acme/shop:1.4.0', ...props });
  return { stack, color, json: synthJson(stack) };
}

describe('KubernetesColor', () => {
  it('resolves its defaults into fields', () => {
    const { color } = colorStack();
    expect(color.name).toBe('shop-red');
    expect(color.namespace).toBe('shop');
    expect(color.replicas).toBe(2);
    expect(color.port).toBe(8080);
    expect(color.healthCheck).toEqual({ path: '/healthz', periodSeconds: 10, failureThreshold: 3 });
    expect(color.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: {} });
    expect(color.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' });
    expect(color.deployment.node.id).toBe('Resource');
  });

  it('creates a Deployment that waits for its rolling update', () => {
    const { json } = colorStack({ replicas: 3, rollingUpdate: RollingUpdatePolicy.of({ minReadySeconds: 10, progressDeadlineSeconds: 300 }) });
    const deployment = onlyResource(json, 'kubernetes_deployment_v1');
    expect(deployment.wait_for_rollout).toBe(true);
    expect(deployment.metadata).toEqual(expect.objectContaining({ name: 'shop-red', namespace: 'shop' }));
    expect(deployment.spec).toEqual(expect.objectContaining({
      replicas: '3',
      min_ready_seconds: 10,
      progress_deadline_seconds: 300,
      strategy: { type: 'RollingUpdate', rolling_update: { max_surge: '25%', max_unavailable: '0' } },
      selector: { match_labels: { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' } },
    }));
  });

  it('probes readiness over HTTP on the health path and the port', () => {
    const { json } = colorStack({ port: 9090, healthCheck: { path: '/ready', periodSeconds: 5, failureThreshold: 2 } });
    const container = onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec.container[0];
    expect(container.port).toEqual([{ name: 'http', container_port: 9090, protocol: 'TCP' }]);
    expect(container.readiness_probe).toEqual({ http_get: { path: '/ready', port: 'http' }, period_seconds: 5, failure_threshold: 2 });
  });

  it('meets the restricted Pod Security Standard', () => {
    const { json } = colorStack();
    const pod = onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec;
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.security_context).toEqual({ run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } });
    expect(pod.container[0].security_context).toEqual({
      run_as_non_root: true,
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(pod.container[0].volume_mount).toEqual([{ name: 'tmp', mount_path: '/tmp' }]);
    expect(pod.volume).toEqual([{ name: 'tmp', empty_dir: {} }]);
    expect(pod.container[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
  });

  it('sets requests and limits field by field over the defaults', () => {
    const { json } = colorStack({ resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } } });
    expect(onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec.container[0].resources).toEqual({
      requests: { cpu: '250m', memory: '128Mi' },
      limits: { memory: '512Mi' },
    });
  });

  it('selects only its own color, so two colors never overlap', () => {
    const stack = kubernetesStack();
    const red = new KubernetesColor(stack, 'Red', { app: 'shop', color: 'red', image: 'shop:1' });
    const blue = new KubernetesColor(stack, 'Blue', { app: 'shop', color: 'blue', image: 'shop:2' });
    expect(red.selectorLabels).not.toEqual(blue.selectorLabels);
    const services = Object.values(synthJson(stack).resource.kubernetes_service_v1) as any[];
    expect(Object.fromEntries(services.map((s) => [s.metadata.name, s.spec.selector]))).toEqual({
      'shop-red': { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' },
      'shop-blue': { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'blue' },
    });
  });

  it('creates a ClusterIP Service on the port', () => {
    const { json } = colorStack({ namespace: 'web' });
    expect(onlyResource(json, 'kubernetes_service_v1')).toEqual(expect.objectContaining({
      metadata: expect.objectContaining({ name: 'shop-red', namespace: 'web' }),
      spec: { type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' }, port: [{ name: 'http', port: 8080, target_port: 'http', protocol: 'TCP' }] },
    }));
  });

  it.each([
    [1, Quantity.count(0), '1'],
    [4, Quantity.percent(50), '2'],
    [10, Quantity.count(3), '3'],
  ])('gives %d replicas with maxUnavailable %s a disruption budget of %s', (replicas, maxUnavailable, budget) => {
    const { json } = colorStack({ replicas, rollingUpdate: RollingUpdatePolicy.of({ maxUnavailable }) });
    expect(onlyResource(json, 'kubernetes_pod_disruption_budget_v1').spec).toEqual({
      max_unavailable: budget,
      selector: { match_labels: { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' } },
    });
  });

  it('fails for invalid props, listing every problem with the construct path', () => {
    expect(() => colorStack({ color: 'Red', image: 'a b', replicas: -1, port: 0, healthCheck: { path: 'x' } })).toThrow(
      'KubernetesColor test/Color:\n'
      + 'color: received "Red"; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters\n'
      + 'image: received "a b"; expected a container image reference without whitespace, such as ghcr.io/acme/shop:1.4.0\n'
      + 'replicas: received -1; expected a whole number from 0 to 10000\n'
      + 'port: received 0; expected a whole number from 1 to 65535\n'
      + 'healthCheck.path: received "x"; expected a URL path starting with "/", without whitespace',
    );
  });

  it('fails for a limit below its request', () => {
    expect(() => colorStack({ resources: { requests: { memory: '1Gi' }, limits: { memory: '1G' } } })).toThrow(
      'resources.limits.memory: received memory limit 1G below the request 1Gi; expected a limit at least as large as the request (Kubernetes refuses it)',
    );
  });
});
