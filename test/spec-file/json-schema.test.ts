import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parseDocument } from 'yaml';
import { schemaCommand } from '../../cli/commands/schema';
import { JSON_SCHEMA_FILE, specJsonSchema, specJsonSchemaText } from '../../spec-file/json-schema';
import { parseSpecText } from '../../spec-file/load';
import type { JsonFragment } from '../../model/fields';
import { Quantity } from '../../model/quantity';
import { fitsShape, LeafShape, Shape, shapeFields, shapeJsonSchema } from '../../model/shape';
import { stateLocation } from '../../model/state-keys';
import type { RainbowSpec } from '../../model/types';
import { specShape } from '../../spec-file/schema';
import { validateSpec } from '../../spec-file/validate';

const ROOT = resolve(__dirname, '..', '..');
const SCHEMA_LINE = /^# yaml-language-server: \$schema=(\S+)$/;

const yamlFiles = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(join(ROOT, 'examples', e.name)).includes('rainbow.yaml'))
  .map((e) => join('examples', e.name, 'rainbow.yaml'));
const invalidFixtures = yamlFiles(join('test', 'fixtures', 'invalid'));
/** Every valid spec in the repo: the examples, the benchmark specs. */
const validSpecs = [...examples, ...yamlFiles(join('bench', 'specs'))];

function documentOf(file: string): unknown {
  const parsed = parseSpecText(readFileSync(join(ROOT, file), 'utf8'), file);
  expect(parsed.problems).toEqual([]);
  return parsed.document;
}

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(specJsonSchema());

const errorsOf = (document: unknown) =>
  validate(document) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);

const minimal = () => ({
  app: 'shop',
  platform: 'kubernetes',
  kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' },
  colors: [{ name: 'red', image: 'ghcr.io/acme/shop:1.4.0', weight: 100 }],
});

describe('the JSON Schema of the spec file', () => {
  it('is the file the package ships, as generated from the spec schema (run `npm run build && npm run build:schema` after changing spec-file/schema.ts)', () => {
    expect(readFileSync(join(ROOT, JSON_SCHEMA_FILE), 'utf8')).toBe(specJsonSchemaText());
  });

  it('is what `rainbow schema` prints, exit 0', () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = schemaCommand({ out: (l) => out.push(l), err: (l) => err.push(l) });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(JSON.parse(out.join('\n'))).toEqual(specJsonSchema());
  });

  it('is a draft 2020-12 schema that ajv compiles in strict mode', () => {
    expect(specJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof validate).toBe('function');
  });

  it.each(examples)('%s starts with the yaml-language-server line pointing at the schema', (file) => {
    const first = readFileSync(join(ROOT, file), 'utf8').split('\n')[0];
    expect(first).toMatch(SCHEMA_LINE);
    expect(resolve(ROOT, dirname(file), SCHEMA_LINE.exec(first)![1])).toBe(join(ROOT, JSON_SCHEMA_FILE));
  });

  it.each(validSpecs)('accepts %s, which the validator accepts', (file) => {
    const document = documentOf(file);
    expect(validateSpec(document).problems).toEqual([]);
    expect(errorsOf(document)).toEqual([]);
  });

  it('refuses every invalid fixture that has a problem in a single field', () => {
    const fieldProblems = invalidFixtures.filter((file) => {
      const parsed = parseSpecText(readFileSync(join(ROOT, file), 'utf8'), file);
      return parsed.problems.length === 0 && !fitsShape(specShape, parsed.document);
    });
    expect(fieldProblems.length).toBeGreaterThan(40);
    expect(fieldProblems.filter((file) => errorsOf(documentOf(file)).length === 0)).toEqual([]);
  });

  it('refuses an unknown field at the top, in a block and in a color', () => {
    expect(errorsOf({ ...minimal(), colours: [] })).toContain(' must NOT have additional properties');
    const spec = minimal();
    expect(errorsOf({ ...spec, kubernetes: { ...spec.kubernetes, hots: 'x' } })).toContain(
      '/kubernetes must NOT have additional properties',
    );
    expect(errorsOf({ ...spec, colors: [{ ...spec.colors[0], wieght: 10 }] })).toContain(
      '/colors/0 must NOT have additional properties',
    );
  });

  it('refuses wrong types and values out of bounds, as the validator does', () => {
    const spec = minimal();
    const color = spec.colors[0];
    const cases: Array<[string, unknown, string]> = [
      ['a weight as a string', { ...spec, colors: [{ ...color, weight: '100' }] }, '/colors/0/weight must be integer'],
      ['a weight above 100', { ...spec, colors: [{ ...color, weight: 150 }] }, '/colors/0/weight must be <= 100'],
      [
        'a fractional replica count',
        { ...spec, colors: [{ ...color, replicas: 1.5 }] },
        '/colors/0/replicas must be integer',
      ],
      ['an unknown platform', { ...spec, platform: 'k8s' }, '/platform must be equal to one of the allowed values'],
      [
        'an uppercase app name',
        { ...spec, app: 'Shop' },
        '/app must match pattern "^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$"',
      ],
      ['an unquoted number as an env value', { ...spec, env: { PORT: 8080 } }, '/env/PORT must be string,boolean'],
      ['colors as an object', { ...spec, colors: { red: color } }, '/colors must be array'],
      ['no colors', { ...spec, colors: [] }, '/colors must NOT have fewer than 1 items'],
      [
        'a missing app',
        { platform: spec.platform, kubernetes: spec.kubernetes, colors: spec.colors },
        " must have required property 'app'",
      ],
      [
        'a migration TTL, which was removed',
        { ...spec, migration: { command: ['migrate'], ttlSeconds: 60 } },
        '/migration/ttlSeconds must NOT be valid',
      ],
      [
        'a checkEnv name given twice',
        { ...spec, progression: { checkEnv: ['AWS_PROFILE', 'AWS_PROFILE'] } },
        '/progression/checkEnv must NOT have duplicate items (items ## 1 and 0 are identical)',
      ],
      [
        'an initial delay above an hour',
        { ...spec, progression: { initialDelaySeconds: 3601 } },
        '/progression/initialDelaySeconds must be <= 3600',
      ],
      [
        'a negative initial delay',
        { ...spec, progression: { initialDelaySeconds: -1 } },
        '/progression/initialDelaySeconds must be >= 0',
      ],
      [
        'a fractional initial delay',
        { ...spec, progression: { initialDelaySeconds: 1.5 } },
        '/progression/initialDelaySeconds must be integer',
      ],
      [
        'a checkEnv name that is none',
        { ...spec, progression: { checkEnv: ['1ST'] } },
        '/progression/checkEnv/0 must match pattern "^[A-Za-z_][A-Za-z0-9_]{0,255}$"',
      ],
      [
        'two backends',
        { ...spec, backend: { s3: { bucket: 'tf-state', region: 'eu-west-1' }, gcs: { bucket: 'acme-tf-state' } } },
        '/backend must NOT have more than 1 properties',
      ],
      ['an empty backend block', { ...spec, backend: {} }, '/backend must NOT have fewer than 1 properties'],
      [
        'a step that is neither a weight nor pause',
        { ...spec, progression: { steps: [25, 'wait', 100] } },
        '/progression/steps/1 must match a schema in anyOf',
      ],
      [
        'a consecutive error limit above 100',
        { ...spec, progression: { consecutiveErrorLimit: 101 } },
        '/progression/consecutiveErrorLimit must be <= 100',
      ],
      [
        'a negative inconclusive limit',
        { ...spec, progression: { inconclusiveLimit: -1 } },
        '/progression/inconclusiveLimit must be >= 0',
      ],
      [
        'a post-promotion watch above a day',
        { ...spec, progression: { postPromotionSeconds: 86401 } },
        '/progression/postPromotionSeconds must be <= 86400',
      ],
      [
        'a notify URL with a placeholder',
        { ...spec, progression: { notify: [{ url: 'https://hooks.example.com/{{color}}' }] } },
        '/progression/notify/0/url must match pattern "^https?:\\/\\/[^\\s/?#@{}]+([/?#][^\\s{}]*)?$"',
      ],
      [
        'an empty hook list',
        { ...spec, progression: { hooks: { preRollout: [] } } },
        '/progression/hooks/preRollout must NOT have fewer than 1 items',
      ],
      [
        'an onEmpty none of the three',
        {
          ...spec,
          progression: {
            checks: [{ name: 'x', prometheus: { url: 'http://p:9090', query: 'up', max: 1, onEmpty: 'skip' } }],
          },
        },
        '/progression/checks/0/prometheus/onEmpty must be equal to one of the allowed values',
      ],
    ];
    for (const [what, document, error] of cases) {
      expect(validateSpec(document).problems).not.toEqual([]);
      expect({ what, errors: errorsOf(document) }).toEqual({ what, errors: expect.arrayContaining([error]) });
    }
  });

  it('accepts pause between steps, onEmpty inconclusive and the limits of a release', () => {
    const spec = minimal();
    const progression = {
      steps: [5, 25, 'pause', 50, 100],
      consecutiveErrorLimit: 0,
      inconclusiveLimit: 2,
      postPromotionSeconds: 600,
      checks: [
        {
          name: 'error-rate',
          prometheus: {
            url: 'http://p:9090',
            query: 'x{color="{{canary}}"} / x{color="{{baseline}}"}',
            max: 1.2,
            onEmpty: 'inconclusive',
          },
        },
      ],
    };
    expect(validateSpec({ ...spec, progression }).problems).toEqual([]);
    expect(errorsOf({ ...spec, progression })).toEqual([]);
  });

  it('accepts hooks of the three kinds and notify targets', () => {
    const progression = {
      hooks: {
        preRollout: [{ name: 'smoke', http: { url: 'https://{{color}}.shop.example.com/healthz' } }],
        postPromotion: [
          { name: 'error-rate', prometheus: { url: 'http://p:9090', query: 'x{color="{{color}}"}', max: 0.01 } },
        ],
        onRollback: [{ name: 'page', command: ['./page.sh', '{{color}}'] }],
      },
      notify: [{ url: 'https://hooks.example.com/rainbow' }],
    };
    expect(validateSpec({ ...minimal(), progression }).problems).toEqual([]);
    expect(errorsOf({ ...minimal(), progression })).toEqual([]);
  });

  it('says what each field allows in the words of the validator', () => {
    const properties = specJsonSchema().properties as Record<string, { description?: string }>;
    expect(properties.app.description).toMatch(/^a lowercase letter first/);
    expect(properties.platform.description).toBe('"kubernetes", "ecs", "ec2" or "dns"');
  });
});

/** Every leaf of the spec's shape with its JSON Schema fragment. */
function leaves(
  shape: Shape,
  path: string,
  out: Array<{ path: string; leaf: LeafShape<unknown>; fragment: JsonFragment }>,
) {
  if (shape.kind === 'optional') leaves(shape.inner, path, out);
  else if (shape.kind === 'object')
    for (const [key, inner] of Object.entries(shape.fields)) leaves(inner, `${path}.${key}`, out);
  else if (shape.kind === 'array') leaves(shape.item, `${path}[]`, out);
  else if (shape.kind === 'record') leaves(shape.value, `${path}.*`, out);
  else if (shape.kind === 'union') shape.options.forEach((option, i) => leaves(option, `${path}|${i}`, out));
  else if (shape.kind === 'leaf') out.push({ path, leaf: shape, fragment: shapeJsonSchema(shape) });
  return out;
}

/** Scalars written in the repo's specs, and values at the edges of the rules. */
function sampleValues(): unknown[] {
  const values = new Set<unknown>([
    '',
    ' ',
    'a',
    'A',
    '-a',
    'a-',
    'a.b',
    '.',
    '..',
    '..a',
    '.a',
    'a..b',
    'mesh',
    'istio-system/gw',
    'a/b/c',
    '1.2.3.4',
    'a b',
    'x*',
    'x?',
    '007%',
    '100%',
    '101%',
    '0%',
    '5%',
    '1000%',
    '%',
    '100m',
    '0.5',
    '1e3',
    '+1',
    '.5',
    '1.',
    '128Mi',
    '1Gi',
    'Mi',
    '1Xi',
    '/',
    '/healthz',
    'healthz',
    '/a b',
    'x'.repeat(20),
    'x'.repeat(21),
    'x'.repeat(63),
    'x'.repeat(64),
    'a'.repeat(200),
    'a'.repeat(254),
    'a'.repeat(1025),
    `${'a'.repeat(63)}.com`,
    `${'a'.repeat(64)}.com`,
    'eu-west-1',
    'us-gov-west-1',
    'eu-west',
    'vpc-0123abcd',
    'vpc-0123abcd0123abcd0',
    'vpc-0123ABCD',
    'subnet-0123abcd',
    'sg-0123abcd',
    'arn:aws:iam::123456789012:role/app',
    'arn:aws:ecs:eu-west-1:123456789012:cluster/main',
    'main',
    'main cluster',
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/0123456789abcdef/0123456789abcdef',
    '^example\\.com/',
    '(?=x)',
    '(a)\\1',
    '[',
    'a|b',
    'x-color',
    'x_color',
    'X-Color',
    'FOO',
    'foo_1',
    '1FOO',
    'a\tb',
    'my-bucket',
    'my..bucket',
    'ab',
    'state/shop',
    '/state',
    'state/',
    'live',
    'retired',
    'gateway-api',
    'nginx',
    'istio',
    'standard',
    'experimental',
    'kubernetes',
    'ecs',
    0,
    1,
    -1,
    100,
    101,
    1.5,
    256,
    300,
    512,
    16384,
    1e21,
    65535,
    65536,
    49000,
    49001,
    3653,
    7,
    8,
    true,
    false,
    null,
    [],
    {},
    ['a'],
    // state backends: names at the edges of each service's rules
    'goog-state',
    'acme-google',
    'acme-g00gle',
    'a_b',
    '192.168.5.4',
    `${'a'.repeat(63)}.${'b'.repeat(63)}`,
    `${'a'.repeat(64)}.b`,
    'state--prod',
    'tf.',
    'tf(1)',
    'acme corp',
    ' ab',
    'ab ',
    'a b c',
    'x'.repeat(90),
    'x'.repeat(91),
    'x'.repeat(223),
    'shop.prod',
    'Shop',
    'a.-b',
  ]);
  const collect = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(collect);
    else values.add(node);
  };
  for (const value of [...values])
    if (typeof value === 'string')
      for (const changed of [`${value}-`, value.toUpperCase(), ` ${value}`]) values.add(changed);
  for (const file of [...validSpecs, ...invalidFixtures])
    collect(parseDocument(readFileSync(join(ROOT, file), 'utf8')).toJS());
  return [...values];
}

describe('the JSON Schema fragment of each leaf', () => {
  const all = leaves(specShape, 'spec', []);
  const samples = sampleValues();

  it('exists for every leaf', () => {
    expect(all.length).toBeGreaterThan(60);
    for (const { path, fragment } of all)
      expect({ path, fragment: fragment !== undefined }).toEqual({ path, fragment: true });
  });

  it.each(all.map((l) => [l.path, l] as const))(
    '%s: accepts exactly the sample values its predicate accepts',
    (_, { leaf, fragment }) => {
      const check = ajv.compile({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...fragment });
      // The one thing JSON Schema cannot say: whether a regular expression compiles.
      const compiles = (v: unknown) => {
        try {
          new RegExp(String(v));
          return true;
        } catch {
          return false;
        }
      };
      const disagreements = samples.filter(
        (v) => fitsShape(leaf, v) !== check(v) && !(!fitsShape(leaf, v) && !compiles(v)),
      );
      expect(disagreements).toEqual([]);
    },
  );
});

/** Every subschema of `schema` that names a default, by its JSON pointer. */
function defaultsOf(schema: unknown, pointer = ''): Array<{ pointer: string; schema: Record<string, unknown> }> {
  if (typeof schema !== 'object' || schema === null) return [];
  const own =
    !Array.isArray(schema) && 'default' in schema ? [{ pointer, schema: schema as Record<string, unknown> }] : [];
  return [
    ...own,
    ...Object.entries(schema).flatMap(([key, value]) =>
      key === 'default' ? [] : defaultsOf(value, `${pointer}/${key}`),
    ),
  ];
}

/** A checked spec resolved, with its defaults filled in; fails the test on a problem. */
function resolved(document: unknown): RainbowSpec {
  const result = validateSpec(document);
  expect(result.problems).toEqual([]);
  return result.spec!;
}

/** The value at a docs path (`colors[].state`: the first color's), a rolling quantity as a spec writes it. */
function valueAt(spec: unknown, path: string): unknown {
  let at: unknown = spec;
  for (const segment of path.replace(/\[\]/g, '.0').split('.'))
    at = (at as Record<string, unknown> | undefined)?.[segment];
  if (at instanceof Quantity) return at.isPercent ? `${at.value}%` : at.value;
  return at;
}

const ALB = {
  region: 'eu-west-1',
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d'],
  securityGroupIds: ['sg-01234567'],
  listenerArn:
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2',
  host: 'shop.example.com',
  rulePriority: 100,
};
const checks = [
  { name: 'errors', prometheus: { url: 'http://prometheus:9090', query: 'up', max: 1 } },
  { name: 'smoke', http: { url: 'https://shop.example.com/healthz' } },
];
/** The smallest spec of each kind whose resolution fills in the defaults at some paths. */
const SPECS = {
  kubernetes: minimal(),
  nginx: { ...minimal(), kubernetes: { router: 'nginx', host: 'shop.example.com' } },
  blocks: {
    ...minimal(),
    migration: { command: ['migrate'] },
    autoscaling: { min: 2, max: 4 },
    progression: { checks, hooks: { preRollout: checks, postPromotion: checks, onRollback: checks } },
    backend: { cloud: { organization: 'acme', workspacePrefix: 'shop' } },
  },
  colorBlocks: {
    ...minimal(),
    colors: [{ ...minimal().colors[0], migration: { command: ['migrate'] }, autoscaling: { min: 2, max: 4 } }],
  },
  ecs: {
    app: 'shop',
    platform: 'ecs',
    ecs: { ...ALB, cluster: 'shop' },
    colors: [{ name: 'red', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0', weight: 100 }],
  },
  ec2: {
    app: 'shop',
    platform: 'ec2',
    ec2: { ...ALB, instanceType: 't3.small' },
    colors: [{ name: 'red', image: 'ami-0123456789abcdef0', weight: 100 }],
  },
  dns: {
    app: 'shop',
    platform: 'dns',
    dns: { zoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com', healthCheck: {} },
    colors: [{ name: 'blue', endpoint: 'k8s-old-1234.elb.eu-west-1.amazonaws.com', weight: 100 }],
  },
};
type SpecKind = keyof typeof SPECS;

/**
 * For each field with a default in the shape: the spec that leaves it out, and where its
 * resolution holds the value filled in (by default at the field's own path).
 */
const FILLED_IN: Record<string, SpecKind | [SpecKind, (spec: RainbowSpec) => unknown]> = {
  'ecs.port': 'ecs',
  'ecs.cpu': 'ecs',
  'ecs.memory': 'ecs',
  'ecs.logRetentionDays': 'ecs',
  'ec2.port': 'ec2',
  'dns.ttl': 'dns',
  'dns.healthCheck.protocol': 'dns',
  'dns.healthCheck.path': 'dns',
  'kubernetes.router': 'kubernetes',
  'kubernetes.ingressClassName': 'nginx',
  'kubernetes.port': 'kubernetes',
  'kubernetes.gatewayApiChannel': 'kubernetes',
  'kubernetes.ignoreAnnotations': 'kubernetes',
  'kubernetes.ignoreLabels': 'kubernetes',
  'rollingUpdate.maxSurge': 'kubernetes',
  'rollingUpdate.maxUnavailable': 'kubernetes',
  'rollingUpdate.minReadySeconds': 'kubernetes',
  'rollingUpdate.progressDeadlineSeconds': 'kubernetes',
  'healthCheck.path': 'kubernetes',
  'healthCheck.periodSeconds': 'kubernetes',
  'healthCheck.failureThreshold': 'kubernetes',
  'healthCheck.startupSeconds': 'kubernetes',
  'resources.requests.cpu': ['kubernetes', (spec) => spec.colors[0].resources?.requests?.cpu],
  'resources.requests.memory': ['kubernetes', (spec) => spec.colors[0].resources?.requests?.memory],
  'routing.previewHosts': 'kubernetes',
  'security.allowRunAsRoot': 'kubernetes',
  'security.allowWritableRootFilesystem': 'kubernetes',
  'security.allowServiceAccountToken': 'kubernetes',
  'security.allowPublicIp': 'kubernetes',
  'security.allowPlainSecretEnv': 'kubernetes',
  'security.allowMutableTags': 'kubernetes',
  drainSeconds: 'kubernetes',
  'progression.maxStepPercent': 'kubernetes',
  'progression.maxLoadFactor': 'kubernetes',
  'progression.bakeSeconds': 'kubernetes',
  'progression.checkIntervalSeconds': 'kubernetes',
  'progression.initialDelaySeconds': 'kubernetes',
  'progression.failureLimit': 'kubernetes',
  'progression.consecutiveErrorLimit': 'kubernetes',
  'progression.inconclusiveLimit': 'kubernetes',
  'progression.postPromotionSeconds': 'kubernetes',
  'progression.checks[].prometheus.onEmpty': 'blocks',
  'progression.checks[].http.expectStatus': [
    'blocks',
    (spec) => valueAt(spec, 'progression.checks.1.http.expectStatus'),
  ],
  'progression.checks[].http.timeoutSeconds': [
    'blocks',
    (spec) => valueAt(spec, 'progression.checks.1.http.timeoutSeconds'),
  ],
  ...Object.fromEntries(
    ['preRollout', 'postPromotion', 'onRollback'].flatMap((moment) => [
      [`progression.hooks.${moment}[].prometheus.onEmpty`, 'blocks'],
      [
        `progression.hooks.${moment}[].http.expectStatus`,
        ['blocks', (spec: RainbowSpec) => valueAt(spec, `progression.hooks.${moment}.1.http.expectStatus`)],
      ],
      [
        `progression.hooks.${moment}[].http.timeoutSeconds`,
        ['blocks', (spec: RainbowSpec) => valueAt(spec, `progression.hooks.${moment}.1.http.timeoutSeconds`)],
      ],
    ]),
  ),
  'migration.backoffLimit': ['blocks', (spec) => spec.colors[0].migration?.backoffLimit],
  'autoscaling.cpuPercent': ['blocks', (spec) => spec.colors[0].autoscaling?.cpuPercent],
  'backend.cloud.hostname': ['blocks', (spec) => new URL(stateLocation(spec.backend, 'shop-red')!).hostname],
  'colors[].replicas': 'kubernetes',
  'colors[].state': 'kubernetes',
  'colors[].migration.backoffLimit': 'colorBlocks',
  'colors[].autoscaling.cpuPercent': 'colorBlocks',
};

describe('the defaults of the spec file', () => {
  const withDefaults = shapeFields(specShape).filter((field) => field.defaultValue !== undefined);

  it('are in the JSON Schema, each valid for its own field', () => {
    const found = defaultsOf(specJsonSchema());
    expect(found.length).toBe(withDefaults.length);
    expect(found.length).toBeGreaterThan(50);
    const invalid = found.filter(({ schema }) => {
      const { default: value, ...rest } = schema;
      return !ajv.validate(rest, value);
    });
    expect(invalid).toEqual([]);
    const rolling = (specJsonSchema().properties as Record<string, { properties: Record<string, unknown> }>)
      .rollingUpdate.properties;
    expect(rolling.maxSurge).toHaveProperty('default', '25%');
    expect(rolling.maxUnavailable).toHaveProperty('default', 0);
  });

  it('are each tried below against what validateSpec fills in, no field with a default left out', () => {
    expect(Object.keys(FILLED_IN).sort()).toEqual(withDefaults.map((field) => field.path).sort());
  });

  it.each(withDefaults.map((field) => [field.path, field.defaultValue] as const))(
    '%s: the shape names %j, which validateSpec fills in for it left out',
    (path, value) => {
      const where = FILLED_IN[path];
      const [kind, pick] = typeof where === 'string' ? [where, (spec: RainbowSpec) => valueAt(spec, path)] : where;
      expect(pick(resolved(SPECS[kind]))).toEqual(value);
    },
  );
});
