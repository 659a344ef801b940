import { App } from 'cdktf';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RainbowStacks } from '../../stacks/rainbow-app';
import { synthesizeSpec } from '../../stacks/synthesize';
import { rawEcsSpec, rawSpec, resolvedSpec, synthJson, testApp } from '../helpers';

function withRetiredYellow() {
  const raw = rawSpec();
  raw.colors.push({ name: 'yellow', image: 'ghcr.io/acme/shop:1.3.0', weight: 0, state: 'retired' });
  return raw;
}

function stacksOf(raw = withRetiredYellow()) {
  const app = testApp();
  return new RainbowStacks(app, resolvedSpec(raw));
}

describe('RainbowStacks', () => {
  it('creates one stack per color and one router stack, named by contract', () => {
    const stacks = stacksOf();
    expect(stacks.stackNames).toEqual(['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
  });

  it('puts the colors first, the router second and retired colors last in the deploy order', () => {
    expect(stacksOf().phases).toEqual([
      { title: 'colors', stacks: ['shop-red', 'shop-orange'] },
      { title: 'router', stacks: ['shop-router'] },
      { title: 'retired colors', stacks: ['shop-yellow'] },
    ]);
  });

  it('synthesizes a color stack with its Deployment, Service and disruption budget', () => {
    const json = synthJson(stacksOf().colorStacks[0]);
    expect(Object.keys(json.resource).sort()).toEqual([
      'kubernetes_deployment_v1',
      'kubernetes_pod_disruption_budget_v1',
      'kubernetes_service_v1',
    ]);
    const deployment = Object.values(json.resource.kubernetes_deployment_v1)[0] as any;
    expect(deployment.spec.template.spec.container[0].image).toBe('ghcr.io/acme/shop:1.4.0');
    expect(deployment.spec.replicas).toBe('3');
  });

  it('leaves only the provider and the backend in a retired color stack', () => {
    const json = synthJson(stacksOf().colorStacks[2]);
    expect(json.resource).toBeUndefined();
    expect(json.data).toBeUndefined();
    expect(json.provider).toEqual({
      kubernetes: [{ ignore_annotations: ['^cloud\\.google\\.com/neg(-status)?$', '^field\\.cattle\\.io/'] }],
    });
    expect(json.terraform.backend).toEqual({
      local: {
        path: '../../../rainbow-state/shop-yellow.tfstate',
        workspace_dir: '../../../rainbow-state/shop-yellow.tfstate.d',
      },
    });
  });

  it('routes only the colors that are not retired', () => {
    const json = synthJson(stacksOf().routerStack);
    const route = (Object.values(json.resource.kubernetes_manifest)[0] as any).manifest;
    expect(route.spec.rules[0].backendRefs.map((r: any) => r.name)).toEqual(['shop-red', 'shop-orange']);
  });

  it('finds colors by name, with no cross-stack reference', () => {
    const stacks = stacksOf();
    for (const stack of [...stacks.colorStacks, stacks.routerStack]) {
      const json = synthJson(stack);
      // The only reads are the stack's own status checks, never another stack's state.
      expect(Object.keys(json.data ?? {}).filter((type) => type !== 'kubernetes_resources')).toEqual([]);
      expect(json.output).toBeUndefined();
      expect(stack.dependencies).toEqual([]);
    }
  });

  it('gives every stack its own local state in rainbow-state/ beside the output, with a relative path', () => {
    const stacks = stacksOf();
    expect([...stacks.colorStacks, stacks.routerStack].map((s) => synthJson(s).terraform.backend.local.path)).toEqual([
      '../../../rainbow-state/shop-red.tfstate',
      '../../../rainbow-state/shop-orange.tfstate',
      '../../../rainbow-state/shop-yellow.tfstate',
      '../../../rainbow-state/shop-router.tfstate',
    ]);
  });

  it('gives every stack its own key in the S3 backend, encrypted and locked with a lock file', () => {
    const raw = withRetiredYellow();
    raw.backend = { s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'teams/shop' } };
    const stacks = stacksOf(raw);
    expect(synthJson(stacks.routerStack).terraform.backend).toEqual({
      s3: {
        bucket: 'tf-state',
        region: 'eu-west-1',
        key: 'teams/shop/shop-router.tfstate',
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(synthJson(stacks.colorStacks[0]).terraform.backend.s3.key).toBe('teams/shop/shop-red.tfstate');
  });

  it('passes the kubeconfig context to the provider', () => {
    const raw = rawSpec();
    raw.kubernetes.context = 'prod';
    const stacks = stacksOf(raw);
    expect(synthJson(stacks.colorStacks[0]).provider.kubernetes[0].config_context).toBe('prod');
    expect(synthJson(stacks.routerStack).provider.kubernetes[0].config_context).toBe('prod');
  });
});

describe('RainbowStacks: Kubernetes day 2', () => {
  const deploymentOf = (json: any) => Object.values(json.resource.kubernetes_deployment_v1)[0] as any;

  it('gives the provider the annotation and label keys other controllers own', () => {
    const raw = rawSpec();
    raw.kubernetes.ignoreAnnotations = ['^example\\.com/'];
    raw.kubernetes.ignoreLabels = ['^team$'];
    const stacks = stacksOf(raw);
    for (const stack of [...stacks.colorStacks, stacks.routerStack]) {
      expect(synthJson(stack).provider.kubernetes).toEqual([
        { ignore_annotations: ['^example\\.com/'], ignore_labels: ['^team$'] },
      ]);
    }
  });

  it('sets no provider ignore list when the spec empties it', () => {
    const raw = rawSpec();
    raw.kubernetes.ignoreAnnotations = [];
    expect(synthJson(stacksOf(raw).routerStack).provider).toEqual({ kubernetes: [{}] });
  });

  it('passes the start-up allowance and the merged pod annotations to each color', () => {
    const raw = rawSpec();
    raw.healthCheck = { startupSeconds: 120 };
    raw.podAnnotations = { 'example.com/team': 'shop' };
    raw.colors[1].podAnnotations = { 'example.com/team': 'checkout' };
    const stacks = stacksOf(raw);
    const [red, orange] = stacks.colorStacks.slice(0, 2).map((s) => deploymentOf(synthJson(s)).spec.template);
    expect(red.metadata.annotations).toEqual({ 'example.com/team': 'shop' });
    expect(orange.metadata.annotations).toEqual({ 'example.com/team': 'checkout' });
    expect(red.spec.container[0].startup_probe).toEqual({
      http_get: { path: '/healthz', port: 'http' },
      period_seconds: 10,
      failure_threshold: 12,
    });
  });

  it('makes Istio sidecars drain as long as the pods with the istio router, and only with it', () => {
    const raw = rawSpec();
    raw.kubernetes.router = 'istio';
    delete raw.kubernetes.gateway;
    raw.kubernetes.istioGateways = ['infra/public'];
    raw.drainSeconds = 300;
    expect(deploymentOf(synthJson(stacksOf(raw).colorStacks[0])).spec.template.metadata.annotations).toEqual({
      'proxy.istio.io/config': 'terminationDrainDuration: 310s',
    });
    expect(deploymentOf(synthJson(stacksOf().colorStacks[0])).spec.template.metadata.annotations).toBeUndefined();
  });

  it('makes the route sticky on the experimental channel, without the colors at weight 0', () => {
    const raw = rawSpec();
    raw.kubernetes.gatewayApiChannel = 'experimental';
    raw.routing = { stickySeconds: 3600, pinHeader: 'x-color' };
    raw.colors = [raw.colors[0], { ...raw.colors[1], weight: 0 }];
    raw.colors[0].weight = 100;
    const route = (Object.values(synthJson(stacksOf(raw).routerStack).resource.kubernetes_manifest)[0] as any).manifest;
    expect(route.spec.rules[0].backendRefs.map((r: any) => r.name)).toEqual(['shop-red']);
    expect(route.spec.rules.slice(1).map((r: any) => r.backendRefs[0].name)).toEqual(['shop-red', 'shop-orange']);
  });

  it('gives an ECS service the start-up allowance as its health check grace period', () => {
    const raw = rawEcsSpec();
    raw.healthCheck = { startupSeconds: 90 };
    const service = Object.values(synthJson(stacksOf(raw).colorStacks[0]).resource.aws_ecs_service)[0] as any;
    expect(service.health_check_grace_period_seconds).toBe(90);
  });
});

describe('synthesizeSpec', () => {
  it('writes <out>/stacks/<stack>/cdk.tf.json for every stack, with no absolute path of this machine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-synth-'));
    const out = join(dir, 'cdktf.out');
    const result = synthesizeSpec(resolvedSpec(withRetiredYellow()), out);
    expect(result.stackNames).toEqual(['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router', 'shop-yellow']);
    for (const stack of result.stackNames) {
      const text = readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      expect(text).not.toContain(dir);
      expect(text).not.toContain(process.cwd());
    }
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).not.toContain(dir);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  it('replaces the previous output whole, so a removed color leaves no stale stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-synth-'));
    const out = join(dir, 'out');
    synthesizeSpec(resolvedSpec(withRetiredYellow()), out);
    synthesizeSpec(resolvedSpec(rawSpec()), out);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('leaves the previous output untouched and no temporary directory when synthesis fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-synth-'));
    const out = join(dir, 'out');
    synthesizeSpec(resolvedSpec(withRetiredYellow()), out);
    const before = readFileSync(join(out, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8');
    const synth = jest.spyOn(App.prototype, 'synth').mockImplementation(() => {
      throw new Error('disk full');
    });
    try {
      expect(() => synthesizeSpec(resolvedSpec(rawSpec()), out)).toThrow('disk full');
    } finally {
      synth.mockRestore();
    }
    expect(readFileSync(join(out, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router', 'shop-yellow']);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('creates nothing when synthesis fails and there was no previous output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-synth-'));
    const synth = jest.spyOn(App.prototype, 'synth').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      expect(() => synthesizeSpec(resolvedSpec(rawSpec()), join(dir, 'nested', 'out'))).toThrow('boom');
    } finally {
      synth.mockRestore();
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('synthesizeSpec and Terraform working files', () => {
  it('keeps .terraform/ in the stack directories across a re-synth, even for a stack that left, and state outside the output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-synth-'));
    const out = join(dir, 'out');
    synthesizeSpec(resolvedSpec(withRetiredYellow()), out);
    mkdirSync(join(dir, 'rainbow-state'));
    writeFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), '{"serial": 7}');
    mkdirSync(join(out, 'stacks', 'shop-red', '.terraform', 'providers'), { recursive: true });
    mkdirSync(join(out, 'stacks', 'shop-yellow', '.terraform'));

    synthesizeSpec(resolvedSpec(rawSpec()), out);

    expect(readFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(existsSync(join(out, 'stacks', 'shop-red', '.terraform', 'providers'))).toBe(true);
    expect(readdirSync(join(out, 'stacks', 'shop-yellow'))).toEqual(['.terraform']);
    expect(readdirSync(dir).sort()).toEqual(['out', 'rainbow-state']);
  });
});

describe('RainbowStacks on ECS', () => {
  const ecsStacks = () => {
    const raw = rawEcsSpec();
    raw.colors.push({ name: 'yellow', image: 'x', weight: 0, state: 'retired' });
    return new RainbowStacks(testApp(), resolvedSpec(raw));
  };

  it('creates the same stacks as on Kubernetes, with the AWS provider for the region and tags', () => {
    const stacks = ecsStacks();
    expect(stacks.stackNames).toEqual(['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
    expect(synthJson(stacks.colorStacks[0]).provider).toEqual({
      aws: [
        {
          region: 'eu-west-1',
          default_tags: [{ tags: { app: 'shop', 'rainbow-color': 'red', 'managed-by': 'cdktf-rainbow' } }],
        },
      ],
    });
  });

  it('gives each color a listener rule at the priority its name gives', () => {
    const stacks = ecsStacks();
    const rule = Object.values(synthJson(stacks.colorStacks[1]).resource.aws_lb_listener_rule)[0] as any;
    expect(rule.priority).toBe(159);
  });

  it('leaves a retired color stack empty, and the router forwards to the others only', () => {
    const stacks = ecsStacks();
    expect(synthJson(stacks.colorStacks[2]).resource).toBeUndefined();
    const router = synthJson(stacks.routerStack);
    expect((Object.values(router.data.aws_lb_target_group) as any[]).map((d) => d.name).sort()).toEqual([
      'shop-orange',
      'shop-red',
    ]);
  });
});

describe('synthesizeSpec on a full disk', () => {
  it('leaves the previous output untouched when a write fails half way (ENOSPC)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-synth-'));
    const out = join(dir, 'out');
    synthesizeSpec(resolvedSpec(withRetiredYellow()), out);
    const before = readFileSync(join(out, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8');
    const real = fs.writeFileSync;
    let calls = 0;
    const write = jest.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      calls += 1;
      if (calls === 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return real(...args);
    });
    try {
      expect(() => synthesizeSpec(resolvedSpec(rawSpec()), out)).toThrow('ENOSPC: no space left on device, write');
    } finally {
      write.mockRestore();
    }
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(readFileSync(join(out, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router', 'shop-yellow']);
    expect(readdirSync(dir)).toEqual(['out']);
  });
});
