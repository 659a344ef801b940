import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSpec } from '../spec-file/load';
import { synthesizeSpec } from '../stacks/synthesize';

const ROOT = resolve(__dirname, '..');
const EXAMPLES = join(ROOT, 'examples');
const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** Each spec example synthesized once, by whichever test reads it first. */
const synthesized = new Map<string, { out: string; stackNames: string[] }>();
function synthesizedExample(name: string): { stackNames: string[]; stack: (stack: string) => any } {
  let found = synthesized.get(name);
  if (found === undefined) {
    const out = join(mkdtempSync(join(tmpdir(), `rainbow-example-${name}-`)), 'cdktf.out');
    const { spec, problems } = loadSpec(join(EXAMPLES, name, 'rainbow.yaml'));
    expect(problems).toEqual([]);
    found = { out, stackNames: synthesizeSpec(spec!, out).stackNames };
    synthesized.set(name, found);
  }
  const { out, stackNames } = found;
  return { stackNames, stack: (stack) => JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')) };
}

describe('examples', () => {
  it('has the examples the docs point to', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'kubernetes-gateway',
        'kubernetes-nginx-blue-green',
        'kubernetes-istio-rainbow',
        'aws-ecs-rainbow',
        'aws-ec2-rainbow',
        'compose-in-existing-stack',
        'eks-node-group-rolling',
        'gcs-state',
        'dns-cluster-upgrade',
        'kubernetes-cohorts',
      ]),
    );
  });

  it.each(examples)('%s synthesizes', (name) => {
    const dir = join(EXAMPLES, name);
    if (existsSync(join(dir, 'rainbow.yaml'))) {
      const { stackNames, stack } = synthesizedExample(name);
      expect(stackNames.length).toBeGreaterThan(0);
      for (const stackName of stackNames) expect(stack(stackName).terraform).toBeDefined();
    } else {
      const out = join(mkdtempSync(join(tmpdir(), `rainbow-example-${name}-`)), 'cdktf.out');
      // A library-mode app: run it the way its cdktf.json does, from the compiled output.
      const app = JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8')).app as string;
      const [command, script] = app.split(' ');
      expect(command).toBe('node');
      const result = spawnSync(process.execPath, [script], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CDKTF_OUTDIR: out },
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(readdirSync(join(out, 'stacks')).length).toBeGreaterThan(0);
    }
  });
});

describe('compose-in-existing-stack', () => {
  it('puts two colors and the router into the existing stack, after its namespace', () => {
    const { ShopStack } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../examples/compose-in-existing-stack/main') as typeof import('../examples/compose-in-existing-stack/main');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Testing } = require('cdktf') as typeof import('cdktf');
    const json = JSON.parse(Testing.synth(new ShopStack(Testing.app(), 'shop'), true));
    expect(Object.keys(json.resource.kubernetes_deployment_v1)).toHaveLength(2);
    const route = (Object.values(json.resource.kubernetes_manifest)[0] as any).manifest;
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'shop-blue', port: 8080, weight: 100 },
      { name: 'shop-green', port: 8080, weight: 0 },
    ]);
    expect(route.metadata.namespace).toBe('${kubernetes_namespace_v1.Namespace.metadata[0].name}');
  });
});

describe('gcs-state', () => {
  it("keeps each stack's state in its own folder of the bucket", () => {
    const { stackNames, stack } = synthesizedExample('gcs-state');
    expect(stackNames.map((name) => stack(name).terraform.backend)).toEqual(
      ['shop-blue', 'shop-green', 'shop-router'].map((name) => ({
        gcs: { bucket: 'acme-tf-state', prefix: `shop/gke-prod/${name}` },
      })),
    );
  });
});

describe('the Kubernetes examples', () => {
  const synth = (name: string) => synthesizedExample(name).stack;

  it('kubernetes-nginx-blue-green keeps green at weight 0, pinned by header, previewed, after its migration', () => {
    const stack = synth('kubernetes-nginx-blue-green');
    const ingresses = Object.values(stack('shop-router').resource.kubernetes_ingress_v1) as any[];
    expect(ingresses.map((i) => i.metadata.name).sort()).toEqual(['shop', 'shop-canary', 'shop-preview']);
    const canary = ingresses.find((i) => i.metadata.name === 'shop-canary');
    expect(canary.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']).toBe('0');
    expect(canary.metadata.annotations['nginx.ingress.kubernetes.io/canary-by-header-value']).toBe('green');
    const green = stack('shop-green').resource;
    expect(Object.keys(green.kubernetes_job_v1)).toHaveLength(1);
    const container = (Object.values(green.kubernetes_deployment_v1)[0] as any).spec.template.spec.container[0];
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DATABASE_URL', value_from: { secret_key_ref: { name: 'shop-db', key: 'url' } } },
    ]);
  });

  it('kubernetes-istio-rainbow splits 20/70/10 over three colors and tears the retired one down', () => {
    const stack = synth('kubernetes-istio-rainbow');
    const manifests = (Object.values(stack('shop-router').resource.kubernetes_manifest) as any[]).map(
      (m) => m.manifest,
    );
    const vs = manifests.find((m) => m.kind === 'VirtualService' && m.metadata.name === 'shop');
    const weighted = vs.spec.http.find((r: any) => r.name === 'weighted');
    expect(weighted.route.map((r: any) => [r.destination.host, r.weight])).toEqual([
      ['shop-red.shop.svc.cluster.local', 20],
      ['shop-orange.shop.svc.cluster.local', 70],
      ['shop-yellow.shop.svc.cluster.local', 10],
    ]);
    expect(stack('shop-green').resource).toBeUndefined();
    const yellowScaler = Object.values(stack('shop-yellow').resource.kubernetes_horizontal_pod_autoscaler_v2)[0] as any;
    expect([yellowScaler.spec.min_replicas, yellowScaler.spec.max_replicas]).toEqual([1, 3]);
  });
});

describe('the AWS example', () => {
  it('aws-ecs-rainbow forwards 25/70/5 to three Fargate services, each stack with its own S3 key', () => {
    const { stackNames, stack } = synthesizedExample('aws-ecs-rainbow');
    expect(stackNames).toEqual(['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
    const rule = Object.values(stack('shop-router').resource.aws_lb_listener_rule)[0] as any;
    expect(rule.action[0].forward.target_group.map((t: any) => t.weight)).toEqual([25, 70, 5]);
    expect(rule.action[0].forward.stickiness).toEqual({ enabled: true, duration: 3600 });
    const service = Object.values(stack('shop-yellow').resource.aws_ecs_service)[0] as any;
    expect([
      service.desired_count,
      service.deployment_minimum_healthy_percent,
      service.deployment_maximum_percent,
    ]).toEqual([1, 100, 200]);
    expect(stack('shop-orange').terraform.backend.s3.key).toBe('shop/shop-orange.tfstate');
  });
});

describe('the EC2 example', () => {
  it('aws-ec2-rainbow forwards 25/70/5 to three Auto Scaling groups, whose launch template rainbow apply rolls out', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rainbow-example-ec2-')), 'out');
    const { stackNames } = synthesizeSpec(loadSpec(join(EXAMPLES, 'aws-ec2-rainbow', 'rainbow.yaml')).spec!, out);
    const stack = (name: string) => JSON.parse(readFileSync(join(out, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    expect(stackNames).toEqual(['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
    const rule = Object.values(stack('shop-router').resource.aws_lb_listener_rule)[0] as any;
    expect(rule.action[0].forward.target_group.map((t: any) => t.weight)).toEqual([25, 70, 5]);
    const groups = ['shop-red', 'shop-orange', 'shop-yellow'].map(
      (name) => Object.values(stack(name).resource.aws_autoscaling_group)[0] as any,
    );
    // maxSurge 50%: 4 instances launch 2 more at a time, 1 instance 1 more. The refresh is the engine's
    // (engine/ec2-refresh.ts).
    expect(groups.map((g) => [g.desired_capacity, g.max_size, g.lifecycle.ignore_changes, g.instance_refresh])).toEqual(
      [
        [4, 6, ['launch_template'], undefined],
        [4, 6, ['launch_template'], undefined],
        [1, 2, ['launch_template'], undefined],
      ],
    );
    const templates = ['shop-orange', 'shop-yellow'].map(
      (name) => Object.values(stack(name).resource.aws_launch_template)[0] as any,
    );
    expect(templates.map((t) => [t.image_id, t.instance_type, t.metadata_options.http_tokens])).toEqual([
      ['ami-0fedcba9876543210', 't3.small', 'required'],
      ['ami-00112233445566778', 't3.medium', 'required'],
    ]);
    expect(Buffer.from(templates[0].user_data, 'base64').toString()).toBe('#!/bin/bash\nsystemctl start shop\n');
  });

  it('eks-node-group-rolling rolls its nodes two at a time with each version of its launch template', () => {
    const { NodesStack } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../examples/eks-node-group-rolling/main') as typeof import('../examples/eks-node-group-rolling/main');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Testing } = require('cdktf') as typeof import('cdktf');
    const json = JSON.parse(Testing.synth(new NodesStack(Testing.app(), 'shop-nodes'), true));
    const group = Object.values(json.resource.aws_eks_node_group)[0] as any;
    expect(group.update_config).toEqual({ max_unavailable: 2 });
    expect(group.launch_template.version).toBe('${aws_launch_template.NodeTemplate.latest_version}');
  });
});

describe('the dns example', () => {
  it('dns-cluster-upgrade weighs two clusters 90/10 with health-checked alias records, and keeps the retired one out', () => {
    const { stackNames, stack } = synthesizedExample('dns-cluster-upgrade');
    expect(stackNames).toEqual(['shop-purple', 'shop-blue', 'shop-green', 'shop-router']);
    const router = stack('shop-router');
    const records = Object.values(router.resource.aws_route53_record) as any[];
    expect(
      records.map((r) => [
        r.set_identifier,
        r.type,
        r.weighted_routing_policy.weight,
        r.alias.evaluate_target_health,
        r.ttl,
      ]),
    ).toEqual([
      ['blue', 'A', 90, true, undefined],
      ['green', 'A', 10, true, undefined],
    ]);
    expect(Object.keys(router.resource.aws_route53_health_check)).toHaveLength(2);
    expect(router.provider.aws[0].region).toBe('us-east-1');
    for (const color of ['shop-purple', 'shop-blue', 'shop-green']) expect(stack(color).resource).toBeUndefined();
  });
});

describe('kubernetes-cohorts', () => {
  it('sends the beta cohort to violet, whatever the weights', () => {
    const { stack } = synthesizedExample('kubernetes-cohorts');
    const route = (Object.values(stack('shop-router').resource.kubernetes_manifest)[0] as any).manifest;
    expect(route.spec.rules[1]).toEqual({
      matches: [
        {
          path: { type: 'PathPrefix', value: '/' },
          headers: [
            { type: 'Exact', name: 'x-beta-user', value: 'true' },
            { type: 'RegularExpression', name: 'Cookie', value: '^(.*;\\s*)?cohort=beta(;.*)?$' },
          ],
        },
      ],
      backendRefs: [{ name: 'shop-violet', port: 8080, weight: 1 }],
    });
  });
});
