import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { AlbRouter } from '../constructs/aws/alb-router';
import { Ec2Color, Ec2ColorProps } from '../constructs/aws/ec2-color';
import { EcsColor, EcsColorProps } from '../constructs/aws/ecs-color';
import { GatewayApiRouter } from '../constructs/kubernetes/gateway-api-router';
import { IstioRouter } from '../constructs/kubernetes/istio-router';
import { KubernetesColor, KubernetesColorProps } from '../constructs/kubernetes/kubernetes-color';
import { NginxIngressRouter } from '../constructs/kubernetes/nginx-ingress-router';
import { RollingUpdatePolicy } from '../constructs/rolling/rolling-update-policy';
import { colorRulePriority } from '../model/aws';
import { prefixProblems, Problem, RainbowValidationError } from '../model/problem';
import { Quantity } from '../model/quantity';
import { Platform } from '../model/types';
import { validateSpec } from '../spec-file/validate';
import { kubernetesStack, rawSpec, resolvedSpec, synthJson, testApp } from './helpers';

/**
 * One model: every invalid fixture that concerns a color's own fields is refused the same way by
 * the spec file and by the constructs given the same values as props. Each construct problem's
 * prop path is mapped back to the spec path it came from; the sets must be equal, message text
 * included.
 */

const DIR = resolve(__dirname, 'fixtures', 'invalid');

type Raw = Record<string, any>;
const asObject = (v: unknown): Raw | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;

/** Fixtures that are about a color's fields but whose rule belongs to another part, on purpose. */
const NOT_COLOR_PROPS: Record<string, string> = {
  'color-name-router.yaml':
    'the name "router" is reserved for the spec\'s router stack <app>-router: a stack naming rule of spec mode',
  'backend-kubernetes-numbered-suffix.yaml':
    "the Secret suffix is the backend's, made from the stack name: library mode refuses it in addBackend (test/stacks/backends.test.ts)",
  'env-plain-secret.yaml':
    'library mode enforces secure defaults on the stack (SecureDefaults.enforce), not on the props',
  'env-pwd-name.yaml': 'library mode enforces secure defaults on the stack (SecureDefaults.enforce), not on the props',
  'env-url-credentials.yaml':
    'library mode enforces secure defaults on the stack (SecureDefaults.enforce), not on the props',
  'ecs-plain-secret.yaml':
    'library mode enforces secure defaults on the stack (SecureDefaults.enforce), not on the props',
  'color-name-duplicate.yaml':
    "unique names are a rule between colors: the router's (ROUTER_FIXTURES below) and the spec's",
  'ecs-priority-collision.yaml':
    'listener rule priorities collide between colors of one app: the spec derives them from the names',
  'no-replicas-with-traffic.yaml': "weights are the router's: a color has no weight prop",
  'ecs-kubernetes-resources.yaml': 'EcsColorProps has no resources prop: TypeScript refuses it',
  'ecs-migration.yaml': 'EcsColorProps has no migration prop: TypeScript refuses it',
  'ecs-pod-annotations.yaml': 'EcsColorProps has no podAnnotations prop: TypeScript refuses it',
  'max-surge-over-100.yaml': 'a Quantity cannot hold 150%: Quantity.percent(150) throws before any prop is checked',
  'max-unavailable-negative.yaml': 'a Quantity cannot hold -1: Quantity.count(-1) throws before any prop is checked',
  'ec2-env.yaml':
    "Ec2ColorProps has no env prop (an instance's configuration is its AMI's and its user data's): TypeScript refuses it",
  'ec2-listener-other-region.yaml':
    "Ec2ColorProps has no region: in library mode the instances are in the region of the stack's provider",
};

/**
 * Where a problem of a color's props came from in the spec: its spec path, or undefined when no spec field maps to it.
 */
type PathMap = (propPath: string) => string | undefined;

/** Merged blocks (env, resources, ...) come from the color's own block when it has one, else from the spec's. */
function blockPath(color: Raw, i: number, block: string, key?: string): string {
  const own = asObject(color[block]);
  const fromColor = own !== undefined && (key === undefined || key in own);
  return fromColor ? `colors[${i}].${block}` : block;
}

function mapTail(propPath: string, prop: string, to: string): string | undefined {
  if (propPath === prop) return to;
  if (propPath.startsWith(`${prop}.`) || propPath.startsWith(`${prop}[`)) return `${to}${propPath.slice(prop.length)}`;
  return undefined;
}

function commonMap(color: Raw, i: number, propPath: string): string | undefined {
  const direct: Record<string, string> = {
    app: 'app',
    color: `colors[${i}].name`,
    image: `colors[${i}].image`,
    replicas: `colors[${i}].replicas`,
    drainSeconds: 'drainSeconds',
  };
  if (direct[propPath] !== undefined) return direct[propPath];
  for (const prop of ['healthCheck', 'rollingUpdate']) {
    const mapped = mapTail(propPath, prop, prop);
    if (mapped !== undefined) return mapped;
  }
  for (const block of ['env', 'secretEnv']) {
    if (propPath === block) return blockPath(color, i, block);
    const m = new RegExp(`^${block}(\\.|\\[)`).exec(propPath);
    if (m === null) continue;
    const name = propPath
      .slice(block.length + 1)
      .split('.')[0]
      .replace(/^"|"\]$/g, '');
    return mapTail(propPath, block, blockPath(color, i, block, name));
  }
  for (const block of ['resources', 'migration', 'autoscaling', 'podAnnotations']) {
    const mapped = mapTail(propPath, block, blockPath(color, i, block));
    if (mapped !== undefined) return mapped;
  }
  return undefined;
}

/** Rolling update props are a RollingUpdatePolicy: its factory reports their problems, under `rollingUpdate`. */
function rollingUpdate(doc: Raw): RollingUpdatePolicy | undefined {
  const raw = asObject(doc.rollingUpdate);
  if (raw === undefined) return undefined;
  const quantity = (v: unknown) => (v === undefined ? undefined : Quantity.parse(v));
  return RollingUpdatePolicy.of({
    maxSurge: quantity(raw.maxSurge),
    maxUnavailable: quantity(raw.maxUnavailable),
    minReadySeconds: raw.minReadySeconds,
    progressDeadlineSeconds: raw.progressDeadlineSeconds,
  });
}

function merged(doc: Raw, color: Raw, block: string): Raw | undefined {
  const spec = asObject(doc[block]);
  const own = asObject(color[block]);
  return spec === undefined && own === undefined ? undefined : { ...spec, ...own };
}

function kubernetesProps(doc: Raw, color: Raw): KubernetesColorProps {
  const k = asObject(doc.kubernetes) ?? {};
  const resources = (['requests', 'limits'] as const).reduce<Raw>((out, group) => {
    const values = { ...asObject(asObject(doc.resources)?.[group]), ...asObject(asObject(color.resources)?.[group]) };
    return Object.keys(values).length === 0 ? out : { ...out, [group]: values };
  }, {});
  const autoscaling = color.autoscaling ?? doc.autoscaling;
  return {
    app: doc.app,
    color: color.name,
    image: color.image,
    namespace: k.namespace,
    replicas: color.replicas,
    port: k.port,
    rollingUpdate: rollingUpdate(doc),
    healthCheck: doc.healthCheck,
    resources: doc.resources === undefined && color.resources === undefined ? undefined : resources,
    drainSeconds: doc.drainSeconds,
    env: merged(doc, color, 'env'),
    secretEnv: merged(doc, color, 'secretEnv'),
    serviceAccountName: k.serviceAccountName,
    imagePullSecrets: k.imagePullSecrets,
    migration: color.migration ?? doc.migration,
    autoscaling,
    podAnnotations: merged(doc, color, 'podAnnotations'),
    istioSidecar: k.router === 'istio',
    security: doc.security,
  };
}

function kubernetesMap(color: Raw, i: number): PathMap {
  const kubernetesOnly: Record<string, string> = {
    namespace: 'kubernetes.namespace',
    port: 'kubernetes.port',
    serviceAccountName: 'kubernetes.serviceAccountName',
  };
  return (p) =>
    commonMap(color, i, p) ?? kubernetesOnly[p] ?? mapTail(p, 'imagePullSecrets', 'kubernetes.imagePullSecrets');
}

function ecsProps(doc: Raw, color: Raw): EcsColorProps {
  const e = asObject(doc.ecs) ?? {};
  const priority =
    typeof e.rulePriority === 'number' && typeof color.name === 'string'
      ? colorRulePriority(e.rulePriority, color.name)
      : 1;
  return {
    app: doc.app,
    color: color.name,
    image: color.image,
    region: e.region,
    cluster: e.cluster,
    vpcId: e.vpcId,
    subnetIds: e.subnetIds,
    securityGroupIds: e.securityGroupIds,
    listenerRule: { listenerArn: e.listenerArn, host: e.host, priority, pinHeader: asObject(doc.routing)?.pinHeader },
    replicas: color.replicas,
    port: e.port,
    cpu: e.cpu,
    memory: e.memory,
    rollingUpdate: rollingUpdate(doc),
    healthCheck: doc.healthCheck,
    drainSeconds: doc.drainSeconds,
    env: merged(doc, color, 'env'),
    logRetentionDays: e.logRetentionDays,
    taskRoleArn: e.taskRoleArn,
    alarms: e.alarms,
    security: doc.security,
  };
}

function ecsMap(color: Raw, i: number): PathMap {
  const ecsOnly: Record<string, string> = {
    region: 'ecs.region',
    cluster: 'ecs.cluster',
    vpcId: 'ecs.vpcId',
    port: 'ecs.port',
    cpu: 'ecs.cpu',
    memory: 'ecs.memory',
    logRetentionDays: 'ecs.logRetentionDays',
    taskRoleArn: 'ecs.taskRoleArn',
    subnetIds: 'ecs.subnetIds',
    securityGroupIds: 'ecs.securityGroupIds',
    'listenerRule.listenerArn': 'ecs.listenerArn',
    'listenerRule.host': 'ecs.host',
    'listenerRule.pinHeader': 'routing.pinHeader',
  };
  return (p) =>
    commonMap(color, i, p) ??
    ecsOnly[p] ??
    mapTail(p, 'subnetIds', 'ecs.subnetIds') ??
    mapTail(p, 'securityGroupIds', 'ecs.securityGroupIds') ??
    mapTail(p, 'alarms', 'ecs.alarms');
}

function ec2Props(doc: Raw, color: Raw): Ec2ColorProps {
  const e = asObject(doc.ec2) ?? {};
  const priority =
    typeof e.rulePriority === 'number' && typeof color.name === 'string'
      ? colorRulePriority(e.rulePriority, color.name)
      : 1;
  return {
    app: doc.app,
    color: color.name,
    image: color.image,
    instanceType: color.instanceType ?? e.instanceType,
    vpcId: e.vpcId,
    subnetIds: e.subnetIds,
    securityGroupIds: e.securityGroupIds,
    listenerRule: { listenerArn: e.listenerArn, host: e.host, priority, pinHeader: asObject(doc.routing)?.pinHeader },
    replicas: color.replicas,
    port: e.port,
    userData: e.userData,
    instanceProfile: e.instanceProfile,
    alarms: e.alarms,
    rollingUpdate: rollingUpdate(doc),
    healthCheck: doc.healthCheck,
    drainSeconds: doc.drainSeconds,
  };
}

function ec2Map(color: Raw, i: number): PathMap {
  const ec2Only: Record<string, string> = {
    vpcId: 'ec2.vpcId',
    port: 'ec2.port',
    userData: 'ec2.userData',
    instanceProfile: 'ec2.instanceProfile',
    instanceType: color.instanceType === undefined ? 'ec2.instanceType' : `colors[${i}].instanceType`,
    subnetIds: 'ec2.subnetIds',
    securityGroupIds: 'ec2.securityGroupIds',
    'listenerRule.listenerArn': 'ec2.listenerArn',
    'listenerRule.host': 'ec2.host',
    'listenerRule.pinHeader': 'routing.pinHeader',
  };
  return (p) =>
    commonMap(color, i, p) ??
    ec2Only[p] ??
    mapTail(p, 'subnetIds', 'ec2.subnetIds') ??
    mapTail(p, 'securityGroupIds', 'ec2.securityGroupIds') ??
    mapTail(p, 'alarms', 'ec2.alarms');
}

/** The path map of a color of the platform of `doc`. */
const colorMap = (doc: Raw, color: Raw, i: number): PathMap =>
  doc.platform === 'ecs' ? ecsMap(color, i) : doc.platform === 'ec2' ? ec2Map(color, i) : kubernetesMap(color, i);

/** What the constructs of every color say about the same values, at spec paths. */
function constructProblems(doc: Raw): { problems: string[]; unmapped: Problem[] } {
  const problems: Problem[] = [];
  const unmapped: Problem[] = [];
  (doc.colors as Raw[]).forEach((color, i) => {
    const map = colorMap(doc, color, i);
    let found: readonly Problem[] = [];
    try {
      const stack = new TerraformStack(testApp(), 'one-model');
      if (doc.platform === 'ecs') new EcsColor(stack, 'Color', ecsProps(doc, color));
      else if (doc.platform === 'ec2') new Ec2Color(stack, 'Color', ec2Props(doc, color));
      else new KubernetesColor(stack, 'Color', kubernetesProps(doc, color));
    } catch (error) {
      if (!(error instanceof RainbowValidationError)) throw error;
      // RollingUpdatePolicy.of reports the policy's own field names.
      found = error.message.startsWith('RollingUpdatePolicy')
        ? prefixProblems('rollingUpdate', error.problems)
        : error.problems;
    }
    for (const p of found) {
      const path = map(p.path);
      if (path === undefined) unmapped.push(p);
      else problems.push({ path, message: p.message });
    }
  });
  return { problems: unique(problems), unmapped };
}

/** Problems as sorted, distinct lines: every color reports a problem of a field the spec shares between colors. */
const unique = (problems: readonly Problem[]): string[] =>
  [...new Set(problems.map((p) => `${p.path}: ${p.message}`))].sort();

/**
 * The fixtures whose every spec problem is at a path some color's props map to: those concern a
 * color's own fields. The rest (weights, names across colors, routers, backends, ...) are the
 * router's or the spec's own rules.
 */
function colorFixtures(): Array<{ name: string; doc: Raw; expected: string[] }> {
  const out: Array<{ name: string; doc: Raw; expected: string[] }> = [];
  for (const name of readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    if (existsSync(join(DIR, name.replace(/\.yaml$/, '.expected'))) || NOT_COLOR_PROPS[name] !== undefined) continue;
    const doc = asObject(parse(readFileSync(join(DIR, name), 'utf8')));
    if (
      doc === undefined ||
      (doc.platform !== 'kubernetes' && doc.platform !== 'ecs' && doc.platform !== 'ec2') ||
      !Array.isArray(doc.colors)
    )
      continue;
    const specProblems = validateSpec(doc).problems;
    const colors = doc.colors as unknown[];
    if (!colors.every((c) => asObject(c) !== undefined)) continue;
    const maps = (colors as Raw[]).map((c, i) => colorMap(doc, c, i));
    const reachable = (path: string) =>
      maps.some((map) =>
        COLOR_PROP_PATHS.some(
          (prop) =>
            map(prop) !== undefined &&
            (path === map(prop) || path.startsWith(`${map(prop)}.`) || path.startsWith(`${map(prop)}[`)),
        ),
      );
    if (specProblems.length > 0 && specProblems.every((p) => reachable(p.path)))
      out.push({ name, doc, expected: unique(specProblems) });
  }
  return out;
}

/** Every prop path a color takes (its top-level props, and listenerRule's fields). */
const COLOR_PROP_PATHS = [
  'app',
  'color',
  'image',
  'replicas',
  'drainSeconds',
  'healthCheck',
  'rollingUpdate',
  'env',
  'secretEnv',
  'resources',
  'migration',
  'autoscaling',
  'podAnnotations',
  'namespace',
  'port',
  'serviceAccountName',
  'imagePullSecrets',
  'region',
  'cluster',
  'vpcId',
  'cpu',
  'memory',
  'logRetentionDays',
  'taskRoleArn',
  'subnetIds',
  'securityGroupIds',
  'listenerRule.listenerArn',
  'listenerRule.host',
  'listenerRule.pinHeader',
  'alarms',
  'instanceType',
  'userData',
  'instanceProfile',
];

const fixtures = colorFixtures();

describe('one model: a color refused the same way as a spec and as construct props', () => {
  it("finds the fixtures about a color's own fields: at least 55", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(55);
  });

  it('names only fixtures that exist among those it leaves to other parts', () => {
    for (const name of Object.keys(NOT_COLOR_PROPS))
      expect({ name, exists: existsSync(join(DIR, name)) }).toEqual({ name, exists: true });
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "%s: the constructs report exactly the spec's problems",
    (_name, fixture) => {
      const { problems, unmapped } = constructProblems(fixture.doc);
      expect(unmapped).toEqual([]);
      expect(problems).toEqual(fixture.expected);
    },
  );
});

/** The router a spec would make, from a fixture's raw values as props (its colors listed by name). */
function buildRouter(doc: Raw): Construct {
  const alb = doc.platform === 'ecs' || doc.platform === 'ec2';
  const stack = alb ? new TerraformStack(testApp(), 'one-model') : kubernetesStack();
  const routing = asObject(doc.routing) ?? {};
  const colors = (doc.colors as Raw[]).map((c) => ({ color: c.name, weight: c.weight }));
  if (alb) {
    const e = asObject(doc[doc.platform]) ?? {};
    return new AlbRouter(stack, 'Router', {
      app: doc.app,
      listenerArn: e.listenerArn,
      host: e.host,
      rulePriority: e.rulePriority,
      colors,
      stickySeconds: routing.stickySeconds,
      platform: doc.platform as Platform,
    });
  }
  const k = asObject(doc.kubernetes) ?? {};
  const common = {
    app: doc.app,
    host: k.host,
    namespace: k.namespace,
    port: k.port,
    colors,
    pinHeader: routing.pinHeader,
    stickySeconds: routing.stickySeconds,
    previewHosts: routing.previewHosts,
  };
  if (k.router === 'nginx')
    return new NginxIngressRouter(stack, 'Router', {
      ...common,
      ingressClassName: k.ingressClassName,
      tlsSecretName: k.tlsSecretName,
    });
  if (k.router === 'istio') return new IstioRouter(stack, 'Router', { ...common, gateways: k.istioGateways });
  return new GatewayApiRouter(stack, 'Router', {
    ...common,
    gateway: k.gateway,
    gatewayApiChannel: k.gatewayApiChannel,
  });
}

/** Where a router's prop path is in the spec. */
function routerMap(platform: string): PathMap {
  const block = platform === 'ecs' || platform === 'ec2' ? platform : 'kubernetes';
  return (p) => {
    const color = /^(colors\[\d+\])\.color$/.exec(p);
    if (color !== null) return `${color[1]}.name`;
    if (p === 'app' || /^colors(\[\d+\]\.weight)?$/.test(p)) return p;
    for (const prop of ['pinHeader', 'stickySeconds', 'previewHosts']) if (p === prop) return `routing.${prop}`;
    const own = mapTail(p, 'gateways', `${block}.istioGateways`);
    if (own !== undefined) return own;
    for (const prop of [
      'gateway',
      'gatewayApiChannel',
      'ingressClassName',
      'tlsSecretName',
      'host',
      'namespace',
      'port',
      'listenerArn',
      'rulePriority',
    ]) {
      const mapped = mapTail(p, prop, `${block}.${prop}`);
      if (mapped !== undefined) return mapped;
    }
    return undefined;
  };
}

/** A router's problems: those its constructor throws, else those synth refuses, at spec paths. */
function routerProblems(doc: Raw): string[] {
  let found: Problem[];
  try {
    const router = buildRouter(doc);
    // Synth's refusal is the error's message: a context line, then one `<path>: <message>` line each.
    found = router.node
      .validate()
      .flatMap((text) => text.split('\n').slice(1))
      .map((line) => {
        const at = line.indexOf(': ');
        return { path: line.slice(0, at), message: line.slice(at + 2) };
      });
  } catch (error) {
    if (!(error instanceof RainbowValidationError)) throw error;
    found = [...error.problems];
  }
  const map = routerMap(doc.platform);
  return unique(found.map((p) => ({ path: map(p.path) ?? `unmapped ${p.path}`, message: p.message })));
}

/** Fixtures whose rule is a router's: between colors, or of the router's own fields. */
const ROUTER_FIXTURES = [
  'color-name-duplicate.yaml',
  'color-name-invalid.yaml',
  'preview-host-too-long.yaml',
  'ecs-priority-too-high.yaml',
  'ecs-listener-invalid.yaml',
  'gateway-16-colors-pinned.yaml',
  'gateway-17-colors.yaml',
  'gateway-channel-invalid.yaml',
  'gateway-name-invalid.yaml',
  'gateway-section-invalid.yaml',
  'gateway-sticky-standard-channel.yaml',
  'host-invalid.yaml',
  'host-ip-address.yaml',
  'istio-gateway-invalid.yaml',
  'istio-gateways-empty.yaml',
  'nginx-ingress-class-invalid.yaml',
  'nginx-sticky-and-pin.yaml',
  'nginx-three-colors-weighted.yaml',
  'pin-header-invalid.yaml',
  'sticky-over-a-week.yaml',
  'sticky-zero.yaml',
  'weight-over-100.yaml',
  'weights-not-100.yaml',
  'ecs-host-invalid.yaml',
  'app-too-long.yaml',
  'app-trailing-hyphen.yaml',
  'app-uppercase.yaml',
  'colors-empty.yaml',
  'ecs-six-colors.yaml',
  'namespace-invalid.yaml',
  'port-zero.yaml',
  'ec2-six-colors.yaml',
];

describe('one model: a router refused the same way as a spec and as construct props', () => {
  it.each(ROUTER_FIXTURES)("%s: the router reports exactly the spec's problems", (name) => {
    const doc = parse(readFileSync(join(DIR, name), 'utf8')) as Raw;
    const expected = unique(validateSpec(doc).problems);
    expect(expected.length).toBeGreaterThan(0);
    expect(routerProblems(doc)).toEqual(expected);
  });

  it("puts a router without a namespace or an ingress class where the spec's defaults put it", () => {
    const raw = rawSpec();
    delete raw.kubernetes.namespace;
    delete raw.kubernetes.gateway;
    raw.kubernetes.router = 'nginx';
    const k = resolvedSpec(raw).kubernetes!;
    const stack = kubernetesStack();
    new NginxIngressRouter(stack, 'Router', { app: raw.app, host: k.host, colors: [{ color: 'red', weight: 100 }] });
    const ingress = Object.values(synthJson(stack).resource.kubernetes_ingress_v1 as Record<string, any>)[0];
    expect([ingress.metadata.namespace, ingress.spec.ingress_class_name]).toEqual([k.namespace, k.ingressClassName]);
    expect(k.namespace).toBe('shop');
    expect(k.ingressClassName).toBe('nginx');
  });

  it("names a color referenced without a namespace in the spec's default namespace", () => {
    const raw = rawSpec();
    delete raw.kubernetes.namespace;
    const stack = new TerraformStack(testApp(), 'one-model');
    expect(KubernetesColor.fromName(stack, 'Red', { app: raw.app, color: 'red' }).namespace).toBe(
      resolvedSpec(raw).kubernetes!.namespace,
    );
  });
});
