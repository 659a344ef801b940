import { Testing, TerraformVariable } from 'cdktf';
import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { rolloutPostcondition } from '../../../constructs/kubernetes/status-checks';
import { RollingUpdatePolicy } from '../../../constructs/rolling/rolling-update-policy';
import { Quantity } from '../../../model/quantity';
import { kubernetesStack, onlyResource, synthJson } from '../../helpers';

function onlyDataSource(json: any, type: string): any {
  const all = Object.values(json.data?.[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

function colorStack(props: Partial<ConstructorParameters<typeof KubernetesColor>[2]> = {}) {
  const stack = kubernetesStack();
  const color = new KubernetesColor(stack, 'Color', {
    app: 'shop',
    color: 'red',
    image: 'ghcr.io/acme/shop:1.4.0',
    ...props,
  });
  return { stack, color, json: synthJson(stack) };
}

describe('KubernetesColor', () => {
  it('resolves its defaults into fields', () => {
    const { color } = colorStack();
    expect(color.name).toBe('shop-red');
    expect(color.namespace).toBe('shop');
    expect(color.replicas).toBe(2);
    expect(color.port).toBe(8080);
    expect(color.healthCheck).toEqual({ path: '/healthz', periodSeconds: 10, failureThreshold: 3, startupSeconds: 60 });
    expect(color.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: {} });
    expect(color.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' });
    expect(color.deployment.node.id).toBe('Resource');
  });

  it('creates a Deployment that waits for its rolling update', () => {
    const { json } = colorStack({
      replicas: 3,
      rollingUpdate: RollingUpdatePolicy.of({ minReadySeconds: 10, progressDeadlineSeconds: 300 }),
    });
    const deployment = onlyResource(json, 'kubernetes_deployment_v1');
    expect(deployment.wait_for_rollout).toBe(true);
    expect(deployment.metadata).toEqual(expect.objectContaining({ name: 'shop-red', namespace: 'shop' }));
    expect(deployment.spec).toEqual(
      expect.objectContaining({
        replicas: '3',
        min_ready_seconds: 10,
        progress_deadline_seconds: 300,
        strategy: { type: 'RollingUpdate', rolling_update: { max_surge: '25%', max_unavailable: '0' } },
        selector: { match_labels: { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' } },
      }),
    );
  });

  it('probes readiness over HTTP on the health path and the port', () => {
    const { json } = colorStack({ port: 9090, healthCheck: { path: '/ready', periodSeconds: 5, failureThreshold: 2 } });
    const container = onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec.container[0];
    expect(container.port).toEqual([{ name: 'http', container_port: 9090, protocol: 'TCP' }]);
    expect(container.readiness_probe).toEqual({
      http_get: { path: '/ready', port: 'http' },
      period_seconds: 5,
      failure_threshold: 2,
    });
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
    const services = Object.values<any>(synthJson(stack).resource.kubernetes_service_v1);
    expect(Object.fromEntries(services.map((s) => [s.metadata.name, s.spec.selector]))).toEqual({
      'shop-red': { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' },
      'shop-blue': { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'blue' },
    });
  });

  it('creates a ClusterIP Service on the port', () => {
    const { json } = colorStack({ namespace: 'web' });
    expect(onlyResource(json, 'kubernetes_service_v1')).toEqual(
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'shop-red', namespace: 'web' }),
        spec: {
          type: 'ClusterIP',
          selector: { 'app.kubernetes.io/name': 'shop', 'cdktf-rainbow/color': 'red' },
          port: [{ name: 'http', port: 8080, target_port: 'http', protocol: 'TCP' }],
        },
      }),
    );
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
      'KubernetesColor test/Color:\n' +
        'color: received "Red"; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters\n' +
        'image: received "a b"; expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0\n' +
        'replicas: received -1; expected a whole number from 0 to 10000\n' +
        'port: received 0; expected a whole number from 1 to 65535\n' +
        'healthCheck.path: received "x"; expected a URL path starting with "/", without whitespace',
    );
  });

  it('fails for a limit below its request', () => {
    expect(() => colorStack({ resources: { requests: { memory: '1Gi' }, limits: { memory: '1G' } } })).toThrow(
      'resources.limits.memory: received memory limit 1G below the request 1Gi; expected a limit at least as large as the request (Kubernetes refuses it)',
    );
  });
});

const MUTABLE = (image: string, reason: string) =>
  `received "${image}"${image.length > 20 ? ` (${image.length} characters)` : ''}, ${reason}: an old color would run a new version after its next restart, ` +
  'so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true';
const UNTAGGED = 'which has no tag (it is read as :latest)';
const LATEST = 'whose tag latest moves with every push';

/** The whole message a construct throws: its path, then one problem a line. */
function thrown(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('nothing thrown');
}

describe('KubernetesColor images', () => {
  it('fails for an image without a tag, as a spec does', () => {
    expect(thrown(() => colorStack({ image: 'nginx' }))).toBe(
      `KubernetesColor test/Color:\nimage: ${MUTABLE('nginx', UNTAGGED)}`,
    );
  });

  it('fails for an image tagged latest, as a spec does', () => {
    expect(thrown(() => colorStack({ image: 'nginx:latest' }))).toBe(
      `KubernetesColor test/Color:\nimage: ${MUTABLE('nginx:latest', LATEST)}`,
    );
  });

  it("fails for a migration image without a tag, and the color's own image tagged latest, each at its prop", () => {
    expect(
      thrown(() =>
        colorStack({
          image: 'ghcr.io/acme/shop:latest',
          migration: { command: ['./migrate'], image: 'ghcr.io/acme/migrate' },
        }),
      ),
    ).toBe(
      'KubernetesColor test/Color:\n' +
        `image: ${MUTABLE('ghcr.io/acme/shop:latest', LATEST)}\n` +
        `migration.image: ${MUTABLE('ghcr.io/acme/migrate', UNTAGGED)}`,
    );
  });

  it("reports an image once when the migration runs the color's image", () => {
    expect(thrown(() => colorStack({ image: 'nginx', migration: { command: ['./migrate'] } }))).toBe(
      `KubernetesColor test/Color:\nimage: ${MUTABLE('nginx', UNTAGGED)}`,
    );
  });

  it('accepts a mutable image with security.allowMutableTags, as written', () => {
    const { json } = colorStack({
      image: 'nginx',
      migration: { command: ['./migrate'], image: 'ghcr.io/acme/migrate:latest' },
      security: { allowMutableTags: true },
    });
    expect(onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec.container[0].image).toBe('nginx');
    expect(onlyResource(json, 'kubernetes_job_v1').spec.template.spec.container[0].image).toBe(
      'ghcr.io/acme/migrate:latest',
    );
  });

  it.each(['ghcr.io/acme/shop@sha256:0123', 'ghcr.io/acme/shop:latest@sha256:0123'])(
    'accepts the digest %s, with or without the tag latest beside it',
    (image) => {
      const { json } = colorStack({ image });
      expect(onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec.container[0].image).toBe(image);
    },
  );

  it('leaves an image known only at apply time to the API', () => {
    const stack = kubernetesStack();
    const image = new TerraformVariable(stack, 'image', { type: 'string' }).stringValue;
    new KubernetesColor(stack, 'Color', { app: 'shop', color: 'red', image });
    expect(onlyResource(synthJson(stack), 'kubernetes_deployment_v1').spec.template.spec.container[0].image).toBe(
      '${var.image}',
    );
  });
});

describe('KubernetesColor operations', () => {
  const deploymentOf = (json: any) => onlyResource(json, 'kubernetes_deployment_v1');

  it('passes plain variables and Secret references, never Secret values', () => {
    const { json } = colorStack({
      env: { LOG_LEVEL: 'info' },
      secretEnv: { API_KEY: { secret: 'shop-secrets', key: 'api-key' } },
    });
    expect(deploymentOf(json).spec.template.spec.container[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'API_KEY', value_from: { secret_key_ref: { name: 'shop-secrets', key: 'api-key' } } },
    ]);
  });

  it('sets the service account and image pull secrets, still without mounting a token', () => {
    const pod = deploymentOf(colorStack({ serviceAccountName: 'shop', imagePullSecrets: ['ghcr'] }).json).spec.template
      .spec;
    expect(pod.service_account_name).toBe('shop');
    expect(pod.image_pull_secrets).toEqual([{ name: 'ghcr' }]);
    expect(pod.automount_service_account_token).toBe(false);
  });

  it('drains for 30 s by default: a preStop pause, then 10 s to exit', () => {
    const { color, json } = colorStack();
    expect(color.drainSeconds).toBe(30);
    const pod = deploymentOf(json).spec.template.spec;
    expect(pod.termination_grace_period_seconds).toBe(40);
    expect(pod.container[0].lifecycle).toEqual({ pre_stop: [{ exec: { command: ['sleep', '30'] } }] });
  });

  it('has no preStop pause with drainSeconds 0', () => {
    const pod = deploymentOf(colorStack({ drainSeconds: 0 }).json).spec.template.spec;
    expect(pod.termination_grace_period_seconds).toBe(10);
    expect(pod.container[0].lifecycle).toBeUndefined();
  });

  it('runs a migration Job to completion before the Deployment', () => {
    const { color, json } = colorStack({ migration: { command: ['./migrate', 'up'] }, env: { DB: 'x' } });
    const job = onlyResource(json, 'kubernetes_job_v1');
    expect(job.metadata.name).toBe('shop-red-migrate');
    expect(job.wait_for_completion).toBe(true);
    expect(job.spec.backoff_limit).toBe(2);
    const pod = job.spec.template.spec;
    expect(pod.restart_policy).toBe('Never');
    expect(pod.container[0]).toEqual(
      expect.objectContaining({
        name: 'migrate',
        image: 'ghcr.io/acme/shop:1.4.0',
        command: ['./migrate', 'up'],
        env: [{ name: 'DB', value: 'x' }],
      }),
    );
    expect(deploymentOf(json).depends_on).toEqual([`kubernetes_job_v1.${color.migrationJob!.friendlyUniqueId}`]);
  });

  it('gives migration pods the restricted security settings and labels no Service selects', () => {
    const { color, json } = colorStack({
      migration: { command: ['m'], image: 'ghcr.io/acme/migrate:1', backoffLimit: 0 },
    });
    const job = onlyResource(json, 'kubernetes_job_v1');
    expect(job.spec.backoff_limit).toBe(0);
    expect(job.spec.active_deadline_seconds).toBe(1800);
    expect(job.timeouts).toEqual({ create: '1800s', update: '1800s' });
    const pod = job.spec.template.spec;
    expect(pod.security_context).toEqual({ run_as_non_root: true, seccomp_profile: { type: 'RuntimeDefault' } });
    expect(pod.container[0].security_context).toEqual(
      expect.objectContaining({
        read_only_root_filesystem: true,
        allow_privilege_escalation: false,
        capabilities: { drop: ['ALL'] },
      }),
    );
    expect(pod.automount_service_account_token).toBe(false);
    const podLabels = job.spec.template.metadata.labels;
    const selected = Object.entries(color.selectorLabels).every(([k, v]) => podLabels[k] === v);
    expect(selected).toBe(false);
  });

  it('scales with a CPU autoscaler, starting at its minimum and leaving the count to it', () => {
    const { color, json } = colorStack({ autoscaling: { minReplicas: 3, maxReplicas: 9 } });
    expect(color.replicas).toBe(3);
    const deployment = deploymentOf(json);
    expect(deployment.spec.replicas).toBe('3');
    expect(deployment.lifecycle.ignore_changes).toContain('spec[0].replicas');
    expect(onlyResource(json, 'kubernetes_horizontal_pod_autoscaler_v2').spec).toEqual({
      min_replicas: 3,
      max_replicas: 9,
      scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: 'shop-red' },
      metric: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', average_utilization: 80 } } },
      ],
    });
    expect(onlyResource(json, 'kubernetes_pod_disruption_budget_v1').spec.max_unavailable).toBe('1');
  });

  it('waits for a rollout long enough for every pod to become ready, and at least 10 minutes', () => {
    // 600 s deadline + 2 pods × (0 s ready + 3 probes × 10 s + 60 s startupSeconds)
    expect(deploymentOf(colorStack().json).timeouts).toEqual({ create: '780s', update: '780s' });
    const quick = RollingUpdatePolicy.of({ progressDeadlineSeconds: 60 });
    expect(deploymentOf(colorStack({ replicas: 1, rollingUpdate: quick }).json).timeouts).toEqual({
      create: '600s',
      update: '600s',
    });
    const slow = RollingUpdatePolicy.of({ minReadySeconds: 900, progressDeadlineSeconds: 1200 });
    expect(deploymentOf(colorStack({ replicas: 3, rollingUpdate: slow }).json).timeouts).toEqual({
      create: '4170s',
      update: '4170s',
    });
  });

  it('fails for a health-check path longer than 1024 characters, as a spec does', () => {
    const path = `/${'a'.repeat(2000)}`;
    expect(() => colorStack({ healthCheck: { path } })).toThrow(
      `healthCheck.path: received "/${'a'.repeat(56)}..." (2001 characters); expected a URL path starting with "/", without whitespace`,
    );
  });

  it("scales between autoscaling.min and autoscaling.max, the spec's names", () => {
    const { color, json } = colorStack({ autoscaling: { min: 2, max: 5, cpuPercent: 60 } });
    expect(color.autoscaling).toEqual({ min: 2, max: 5, cpuPercent: 60 });
    expect(color.autoscalingSettings).toBe(color.autoscaling);
    expect(onlyResource(json, 'kubernetes_horizontal_pod_autoscaler_v2').spec).toEqual(
      expect.objectContaining({ min_replicas: 2, max_replicas: 5 }),
    );
  });

  it('fails for an autoscaler without its bounds', () => {
    expect(() => colorStack({ autoscaling: { cpuPercent: 60 } })).toThrow(
      'autoscaling.min: received nothing; expected a whole number from 1 to 10000\n' +
        'autoscaling.max: received nothing; expected a whole number from 1 to 10000',
    );
  });

  it('fails for a control character in the image, naming it, as a spec does', () => {
    expect(() => colorStack({ image: 'ghcr.io/acme/shop:1.4.0\u001b[2K' })).toThrow(
      'image: received "ghcr.io/acme/shop:1.4.0\\u001b[2K" (27 characters), with the control character U+001B at character 24; expected text without control characters',
    );
  });

  it('fails for a migration TTL: a Job the TTL deleted would be created, and run, again', () => {
    expect(() => colorStack({ migration: { command: ['m'], ttlSeconds: 600 } })).toThrow(
      'migration.ttlSeconds: received 600; expected nothing: migration Jobs are no longer deleted after a TTL, because Terraform re-creates a deleted Job and so runs the migration again; remove the field',
    );
  });

  it("takes replicas equal to the autoscaler's minimum, as a resolved spec holds them, and renders the same as without", () => {
    const given = colorStack({ replicas: 3, autoscaling: { min: 3, max: 9 } });
    const derived = colorStack({ autoscaling: { min: 3, max: 9 } });
    expect(given.color.replicas).toBe(3);
    expect(Testing.synth(given.stack, true)).toBe(Testing.synth(derived.stack, true));
  });

  it('fails for replicas together with autoscaling, and min above max', () => {
    expect(() => colorStack({ replicas: 2, autoscaling: { minReplicas: 4, maxReplicas: 3 } })).toThrow(
      'replicas: received 2 together with autoscaling; expected one of them: with autoscaling, the replicas come from autoscaling.min\n' +
        'autoscaling.min: received 4, above max 3; expected min no larger than max',
    );
  });

  it('fails for bad variables, secrets and migration', () => {
    expect(() =>
      colorStack({
        env: { 'A-B': '1', X: '2' },
        secretEnv: { X: { secret: 'Bad', key: 'k k' } },
        imagePullSecrets: ['Nope'],
        drainSeconds: 4000,
        migration: { command: [] },
      }),
    ).toThrow(
      'drainSeconds: received 4000; expected a whole number of seconds from 0 to 3600\n' +
        'imagePullSecrets[0]: received "Nope"; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters\n' +
        'env.A-B: received "A-B"; expected an environment variable name: a letter or "_" first, then letters, digits or "_", at most 256 characters\n' +
        'secretEnv.X: received "X" in both env and secretEnv; expected each variable in one of them\n' +
        'secretEnv.X.secret: received a string of 3 characters; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters\n' +
        'secretEnv.X.key: received a string of 3 characters; expected a Secret key: letters, digits, "-", "_" or ".", not "." or "..", not starting with "..", at most 253 characters\n' +
        'migration.command: received an empty list; expected a list of at least one non-empty string: the command and its arguments',
    );
  });
});

describe('KubernetesColor: start-up, annotations and status checks', () => {
  const deploymentOf = (json: any) => onlyResource(json, 'kubernetes_deployment_v1');

  it('gives a new container 60 s to start by default with a startup probe on the health check', () => {
    const container = deploymentOf(colorStack().json).spec.template.spec.container[0];
    expect(container.startup_probe).toEqual({
      http_get: { path: '/healthz', port: 'http' },
      period_seconds: 10,
      failure_threshold: 6,
    });
    expect(container.readiness_probe).toEqual({
      http_get: { path: '/healthz', port: 'http' },
      period_seconds: 10,
      failure_threshold: 3,
    });
  });

  it('derives the startup probe from startupSeconds, and has none with 0', () => {
    const probe = (startupSeconds: number) =>
      deploymentOf(colorStack({ healthCheck: { path: '/ready', startupSeconds } }).json).spec.template.spec.container[0]
        .startup_probe;
    expect(probe(45)).toEqual({ http_get: { path: '/ready', port: 'http' }, period_seconds: 10, failure_threshold: 5 });
    expect(probe(5)).toEqual({ http_get: { path: '/ready', port: 'http' }, period_seconds: 1, failure_threshold: 5 });
    expect(probe(0)).toBeUndefined();
  });

  it('counts startupSeconds in the rollout timeout', () => {
    // 600 s deadline + 2 pods × (0 s ready + 3 probes × 10 s + 300 s startupSeconds)
    expect(deploymentOf(colorStack({ healthCheck: { startupSeconds: 300 } }).json).timeouts).toEqual({
      create: '1260s',
      update: '1260s',
    });
  });

  it('fails for a startup allowance beyond an hour', () => {
    expect(() => colorStack({ healthCheck: { startupSeconds: 3601 } })).toThrow(
      'healthCheck.startupSeconds: received 3601; expected a whole number of seconds from 0 to 3600: how long a new container may take to start answering its health check',
    );
  });

  it("annotates the Deployment's pods, not the migration Job's", () => {
    const { color, json } = colorStack({
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      migration: { command: ['m'] },
    });
    expect(color.podAnnotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(deploymentOf(json).spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(onlyResource(json, 'kubernetes_job_v1').spec.template.metadata.annotations).toBeUndefined();
  });

  it('makes an Istio sidecar drain for the whole termination grace period', () => {
    const { json } = colorStack({
      istioSidecar: true,
      drainSeconds: 120,
      podAnnotations: { 'sidecar.istio.io/proxyCPU': '100m' },
    });
    const pod = deploymentOf(json).spec.template;
    expect(pod.metadata.annotations).toEqual({
      'sidecar.istio.io/proxyCPU': '100m',
      'proxy.istio.io/config': 'terminationDrainDuration: 130s',
    });
    expect(pod.spec.termination_grace_period_seconds).toBe(130);
  });

  it('has no pod annotations by default', () => {
    expect(deploymentOf(colorStack().json).spec.template.metadata.annotations).toBeUndefined();
  });

  it('fails for annotation keys Kubernetes refuses, values that are not strings, and the key the Istio drain owns', () => {
    expect(() =>
      colorStack({
        istioSidecar: true,
        podAnnotations: {
          'bad key': 'x',
          [`${'a'.repeat(64)}`]: 'x',
          'Example.com/ok': 'x',
          'proxy.istio.io/config': 'concurrency: 2',
          count: 3 as unknown as string,
        },
      }),
    ).toThrow(
      'KubernetesColor test/Color:\n' +
        'podAnnotations["bad key"]: received "bad key"; expected an annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or ".", alphanumeric first and last\n' +
        `podAnnotations.${'a'.repeat(64)}: received "${'a'.repeat(57)}..." (64 characters); expected an annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or ".", alphanumeric first and last\n` +
        'podAnnotations["proxy.istio.io/config"]: received "proxy.istio.io/config" (21 characters); expected another annotation: with the istio router, cdktf-rainbow sets it (terminationDrainDuration from drainSeconds)\n' +
        'podAnnotations.count: received 3; expected a string: quote numbers and true/false',
    );
  });

  it('fails for annotations above the 256 KiB Kubernetes allows on one object', () => {
    expect(() => colorStack({ podAnnotations: { 'example.com/blob': 'x'.repeat(262144) } })).toThrow(
      'podAnnotations: received annotations of 262160 bytes in total (keys and values); Kubernetes allows at most 262144 bytes of annotations on one object',
    );
  });

  it('leaves the kubectl rollout restart annotation of the pod template alone', () => {
    expect(deploymentOf(colorStack().json).lifecycle).toEqual({
      ignore_changes: ['spec[0].template[0].metadata[0].annotations["kubectl.kubernetes.io/restartedAt"]'],
    });
  });

  it('keeps finished migration Jobs: no TTL, so Terraform never creates one again by itself', () => {
    const job = onlyResource(colorStack({ migration: { command: ['m'] } }).json, 'kubernetes_job_v1');
    expect(job.spec.ttl_seconds_after_finished).toBeUndefined();
    expect(job.wait_for_completion).toBe(true);
  });

  it('reads its Deployment back after every apply and at every plan, and fails while the rollout of its generation failed or has not finished', () => {
    const { color, json } = colorStack();
    const read = onlyDataSource(json, 'kubernetes_resources');
    expect(color.rolloutCheck.node.id).toBe('RolloutComplete');
    const { condition, errorMessage } = rolloutPostcondition('red', 'shop-red', 'shop');
    expect(read).toEqual({
      api_version: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      field_selector: 'metadata.name=shop-red',
      depends_on: [`kubernetes_deployment_v1.${color.deployment.friendlyUniqueId}`],
      // Evaluated by Terraform on sample Deployments in test/terraform/read-back-checks.test.ts.
      lifecycle: { postcondition: [{ condition, error_message: errorMessage }] },
    });
    expect(condition).toContain('== "NewReplicaSetAvailable"');
    expect(errorMessage).toMatch(/^%\{ if try\(length\(self\.objects\) > 0, false\) \}/);
  });
});
