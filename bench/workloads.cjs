'use strict';
// The benchmark's workloads, as plain data: one place that the spec files (bench/make-specs.mjs),
// the hand-written cdktf baseline (bench/baseline/cdktf.cjs), the cdk8s program
// (bench/cdk8s/kubernetes.cjs) and the library-mode script (bench/library/rainbow.cjs) all read, so
// that every program builds the same application. No dependencies: loading it costs nothing.

/** The app-wide settings of the Kubernetes workloads (the kubernetes-gateway example's). */
const KUBERNETES = {
  app: 'shop',
  namespace: 'shop',
  gateway: { name: 'public', namespace: 'infra' },
  host: 'shop.example.com',
  port: 8080,
  rollingUpdate: { maxSurge: '25%', maxUnavailable: 0, minReadySeconds: 10, progressDeadlineSeconds: 600 },
  healthCheck: { path: '/healthz', periodSeconds: 10, failureThreshold: 3 },
  // The spec's defaults, spelled out for the programs that do not read a spec.
  drainSeconds: 30,
  resources: { requests: { cpu: '100m', memory: '128Mi' } },
};

/** The app-wide settings of the ECS workloads: the aws-ecs-rainbow example's, unchanged. */
const ECS = {
  app: 'shop',
  ecs: {
    region: 'eu-west-1',
    cluster: 'shop',
    vpcId: 'vpc-0abc1234',
    subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
    securityGroupIds: ['sg-01234567'],
    listenerArn:
      'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
    host: 'shop.example.com',
    rulePriority: 100,
    port: 8080,
    cpu: 512,
    memory: 1024,
    logRetentionDays: 30,
  },
  rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
  healthCheck: { path: '/healthz', periodSeconds: 10, failureThreshold: 3 },
  routing: { pinHeader: 'x-rainbow-color', stickySeconds: 3600 },
  drainSeconds: 60,
  env: { LOG_LEVEL: 'info' },
  backend: { bucket: 'acme-terraform-state', region: 'eu-west-1', keyPrefix: 'shop' },
};

const PALETTE = [
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'indigo',
  'violet',
  'cyan',
  'magenta',
  'teal',
  'lime',
  'amber',
  'coral',
  'navy',
  'olive',
  'plum',
];

/** The 16-color list: weights 4 x 7 + 12 x 6 = 100, 2 replicas each, one image tag per color. */
const SIXTEEN = PALETTE.map((name, i) => ({
  name,
  image: `ghcr.io/acme/shop:1.${i}.0`,
  weight: i < 4 ? 7 : 6,
  replicas: 2,
}));

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop';

/**
 * Every workload. `kind` says which programs run it:
 * - gateway: `rainbow synth --spec <spec>` (one stack per color + shop-router), baseline, cdk8s, floor;
 * - library: N KubernetesColor constructs in one TerraformStack, no router, no spec file;
 * - ecs: `rainbow synth --spec <spec>` (one stack per color + shop-router), baseline, floor.
 */
const WORKLOADS = {
  'gateway-1': {
    kind: 'gateway',
    spec: 'bench/specs/gateway-1-color.yaml',
    settings: KUBERNETES,
    pinHeader: 'x-rainbow-color',
    colors: [{ name: 'red', image: 'ghcr.io/acme/shop:1.4.0', weight: 100, replicas: 3 }],
  },
  'gateway-4': {
    kind: 'gateway',
    spec: 'bench/specs/gateway-4-colors.yaml',
    settings: KUBERNETES,
    pinHeader: 'x-rainbow-color',
    colors: [
      { name: 'red', image: 'ghcr.io/acme/shop:1.4.0', weight: 40, replicas: 3 },
      { name: 'orange', image: 'ghcr.io/acme/shop:1.5.0', weight: 30, replicas: 2 },
      { name: 'yellow', image: 'ghcr.io/acme/shop:1.6.0', weight: 20, replicas: 2 },
      { name: 'green', image: 'ghcr.io/acme/shop:1.7.0-rc.1', weight: 10, replicas: 1 },
    ],
  },
  'gateway-16': {
    kind: 'gateway',
    spec: 'bench/specs/gateway-16-colors.yaml',
    settings: KUBERNETES,
    // No pinHeader: 16 weighted backends plus 16 pin rules exceed the HTTPRoute's 16-rule limit.
    pinHeader: undefined,
    colors: SIXTEEN,
  },
  'library-100': { kind: 'library', settings: KUBERNETES, colors: libraryColors(100) },
  'library-1000': { kind: 'library', settings: KUBERNETES, colors: libraryColors(1000) },
  'ecs-1': {
    kind: 'ecs',
    spec: 'bench/specs/ecs-1-color.yaml',
    settings: ECS,
    colors: [{ name: 'red', image: `${ECR}:1.4.0`, weight: 100, replicas: 3 }],
  },
  'ecs-5': {
    kind: 'ecs',
    spec: 'bench/specs/ecs-5-colors.yaml',
    settings: ECS,
    colors: [
      { name: 'red', image: `${ECR}:1.4.0`, weight: 30, replicas: 3 },
      { name: 'orange', image: `${ECR}:1.5.0`, weight: 25, replicas: 3 },
      { name: 'yellow', image: `${ECR}:1.6.0`, weight: 20, replicas: 2 },
      { name: 'green', image: `${ECR}:1.7.0`, weight: 15, replicas: 2 },
      { name: 'blue', image: `${ECR}:1.8.0-rc.1`, weight: 10, replicas: 1 },
    ],
  },
};

/** `c0001`, `c0002`, ...: valid color names (DNS labels of at most 20 characters), 2 or 3 replicas. */
function libraryColors(count) {
  const colors = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(4, '0');
    colors.push({ name: `c${n}`, image: `ghcr.io/acme/shop:2.${i}.0`, weight: 0, replicas: 2 + (i % 2) });
  }
  return colors;
}

/** The workload named, or an Error listing the names. */
function workload(name) {
  const w = WORKLOADS[name];
  if (w === undefined) throw new Error(`unknown workload ${name}; one of ${Object.keys(WORKLOADS).join(', ')}`);
  return w;
}

/** Name of the one stack of a library-mode workload. */
const LIBRARY_STACK = 'shop-library';

module.exports = { WORKLOADS, KUBERNETES, ECS, LIBRARY_STACK, workload };
