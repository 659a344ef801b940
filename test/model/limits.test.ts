import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { isAnnotationKey } from '../../model/annotations';
import { AWS_LIMITS } from '../../model/aws';
import {
  GCS_BUCKET_LENGTH,
  GCS_BUCKET_PART_LENGTH,
  KUBERNETES_BACKEND_LIMITS,
  MAX_OBJECT_PREFIX_LENGTH,
  PROJECT_NAME_LENGTH,
  RESOURCE_GROUP_LENGTH,
  S3_BUCKET_LENGTH,
  STORAGE_ACCOUNT_LENGTH,
  BLOB_CONTAINER_LENGTH,
} from '../../model/backends';
import { EC2_LIMITS } from '../../model/ec2';
import { FieldName, FIELDS, MAX_APP_NAME_LENGTH, MAX_DURATION_COUNT, MAX_HEADER_NAME_LENGTH } from '../../model/fields';
import { EXPECTED, MESSAGES } from '../../model/messages';
import { Quantity } from '../../model/quantity';
import { PLACEHOLDERS } from '../../model/release';
import {
  EKS_UPDATE_LIMITS,
  eksUpdateProblems,
  ec2InstanceRefreshProblems,
  INSTANCE_REFRESH_LIMITS,
  resolveRollingUpdate,
} from '../../model/rolling';
import { weightSumProblems } from '../../model/route-weights';
import { ROUTE53_LIMITS } from '../../model/route53';
import { previewHostProblems } from '../../model/routers';
import {
  DNS_NAME_LIMITS,
  EC2_ID_DIGITS,
  KUBERNETES_NAME_LIMITS,
  MAX_ENV_NAME_LENGTH,
  MAX_PERCENT,
} from '../../model/types';

const MESSAGES_FILE = path.join(__dirname, '../../model/messages.ts');

/**
 * Every piece of text in a TypeScript source: string literals, and the literal parts of template
 * literals. What is inside `${...}` is code, where a limit is a parameter or a named constant.
 */
function textsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      texts.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** A number of two or more digits on its own: not part of a word such as sha256, k8s-old, t3.small or 100m. */
const BARE_NUMBER = /(?<!\w)\d{2,}(?!\w)/g;

/**
 * Texts with numbers that are no limit, each with why: examples, names of standards and services,
 * code points. Nothing else in a text of model/messages.ts may hold a number of two or more digits.
 */
const NOT_LIMITS: ReadonlyArray<readonly [text: string, why: string]> = [
  ['Route 53', "the service's name"],
  ['ISO 8601', "the standard's name"],
  ['RFC 6265', "the standard's name"],
  ['2025-07-01T18:00:00Z', 'an example date-time'],
  ['2025-07-01', 'an example date'],
  ['00:00 UTC', 'the start of a day'],
  ['[5, 25, 50, 100]', 'example steps'],
  ['("8080", "1.10")', 'example values that YAML would read as numbers'],
  ['k8s-old-1234.elb.eu-west-1.amazonaws.com', 'an example hostname'],
  ['http://prometheus.monitoring:9090', "an example URL, on Prometheus's own port"],
  [
    'U+0000 to U+001F, U+007F to U+009F, U+202A to U+202E, U+2066 to U+2069',
    'the characters refused, by their code points (model/text.ts)',
  ],
];

/** A DNS name of `length` characters: labels of the longest length, the last one cut (never to nothing here). */
const dnsName = (length: number) =>
  Array.from({ length: Math.ceil(length / 64) }, () => 'a'.repeat(DNS_NAME_LIMITS.labelLength))
    .join('.')
    .slice(0, length);

describe('the limits of the model', () => {
  it('writes no limit in a text of model/messages.ts: each number of two or more digits is an example or a name', () => {
    const texts = textsOf(MESSAGES_FILE);
    for (const [allowed] of NOT_LIMITS) expect(texts.some((text) => text.includes(allowed))).toBe(true);
    const restated = texts.flatMap((text) => {
      const rest = NOT_LIMITS.reduce((left, [allowed]) => left.split(allowed).join(' '), text);
      return [...rest.matchAll(BARE_NUMBER)].map((m) => `${m[0]} in ${JSON.stringify(text)}`);
    });
    expect(restated).toEqual([]);
  });

  it('finds a restated limit in a text, and passes it once it is a parameter', () => {
    const restated = (text: string) => text.match(BARE_NUMBER) ?? [];
    expect(restated('a lowercase letter first, at most 20 characters')).toEqual(['20']);
    expect(restated('an IAM instance profile name: 1 to 128 letters')).toEqual(['128']);
    expect(restated('received 5; expected the default 25%:')).toEqual(['25']);
    expect(restated('such as ghcr.io/acme/shop@sha256:..., 100m or 128Mi on a t3.small')).toEqual([]);
  });

  it('builds every text from limits that are defined: none says undefined or NaN', () => {
    const texts = [
      ...Object.values(FIELDS).map((field) => field.expected),
      ...Object.values<unknown>(EXPECTED).filter((text): text is string => typeof text === 'string'),
      ...Object.values<unknown>(MESSAGES).filter((text): text is string => typeof text === 'string'),
    ];
    expect(texts.length).toBeGreaterThan(150);
    expect(texts.filter((text) => /undefined|NaN/.test(text))).toEqual([]);
  });

  it('reads the limits of its texts from modules that never load model/messages.ts back', () => {
    // The modules a file loads when it runs: its imports, without `import type` and type-only names.
    const loads = (file: string): string[] => {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      return source.statements
        .filter(ts.isImportDeclaration)
        .filter((statement) => statement.importClause?.isTypeOnly !== true)
        .map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => path.join(path.dirname(file), `${specifier}.ts`));
    };
    const seen = new Set<string>();
    const queue = loads(MESSAGES_FILE);
    expect(queue.length).toBeGreaterThan(0);
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...loads(file));
    }
    expect(seen.has(MESSAGES_FILE)).toBe(false);
  });

  // Each row: a field, values at its limits that it takes, values just past them that it refuses,
  // and the words of its text that name the same limits.
  const FIELD_LIMITS: ReadonlyArray<[FieldName, unknown[], unknown[], string]> = [
    [
      'app',
      ['a'.repeat(MAX_APP_NAME_LENGTH)],
      ['a'.repeat(MAX_APP_NAME_LENGTH + 1)],
      `at most ${MAX_APP_NAME_LENGTH} characters`,
    ],
    [
      'namespace',
      ['a'.repeat(DNS_NAME_LIMITS.labelLength)],
      ['a'.repeat(DNS_NAME_LIMITS.labelLength + 1)],
      `at most ${DNS_NAME_LIMITS.labelLength} characters`,
    ],
    [
      'checkName',
      ['a'.repeat(DNS_NAME_LIMITS.labelLength)],
      ['a'.repeat(DNS_NAME_LIMITS.labelLength + 1)],
      `at most ${DNS_NAME_LIMITS.labelLength} characters`,
    ],
    [
      'objectName',
      [dnsName(DNS_NAME_LIMITS.nameLength)],
      [dnsName(DNS_NAME_LIMITS.nameLength + 1)],
      `at most ${DNS_NAME_LIMITS.nameLength} characters`,
    ],
    [
      'sectionName',
      [dnsName(DNS_NAME_LIMITS.nameLength)],
      [dnsName(DNS_NAME_LIMITS.nameLength + 1)],
      `at most ${DNS_NAME_LIMITS.nameLength} characters`,
    ],
    [
      'host',
      [dnsName(DNS_NAME_LIMITS.nameLength)],
      [dnsName(DNS_NAME_LIMITS.nameLength + 1), `${'a'.repeat(DNS_NAME_LIMITS.labelLength + 1)}.com`],
      `at most ${DNS_NAME_LIMITS.nameLength} characters`,
    ],
    [
      'secretKey',
      ['k'.repeat(DNS_NAME_LIMITS.nameLength)],
      ['k'.repeat(DNS_NAME_LIMITS.nameLength + 1)],
      `at most ${DNS_NAME_LIMITS.nameLength} characters`,
    ],
    [
      'envName',
      ['A'.repeat(MAX_ENV_NAME_LENGTH)],
      ['A'.repeat(MAX_ENV_NAME_LENGTH + 1)],
      `at most ${MAX_ENV_NAME_LENGTH} characters`,
    ],
    [
      'pinHeader',
      ['x'.repeat(MAX_HEADER_NAME_LENGTH)],
      ['x'.repeat(MAX_HEADER_NAME_LENGTH + 1)],
      `at most ${MAX_HEADER_NAME_LENGTH} characters`,
    ],
    ['weight', [0, MAX_PERCENT], [-1, MAX_PERCENT + 1], `from 0 to ${MAX_PERCENT}`],
    ['step', [1, MAX_PERCENT], [0, MAX_PERCENT + 1], `from 1 to ${MAX_PERCENT}`],
    ['progressionStep', [1, MAX_PERCENT, 'pause'], [0, MAX_PERCENT + 1], `from 1 to ${MAX_PERCENT}`],
    ['maxStepPercent', [1, MAX_PERCENT], [0, MAX_PERCENT + 1], `from 1 to ${MAX_PERCENT}`],
    ['quantity', ['0%', `${MAX_PERCENT}%`, 0], [`${MAX_PERCENT + 1}%`, -1], `from 0 to ${MAX_PERCENT}`],
    [
      'bucket',
      ['a'.repeat(S3_BUCKET_LENGTH.min), 'a'.repeat(S3_BUCKET_LENGTH.max)],
      ['a'.repeat(S3_BUCKET_LENGTH.min - 1), 'a'.repeat(S3_BUCKET_LENGTH.max + 1)],
      `${S3_BUCKET_LENGTH.min} to ${S3_BUCKET_LENGTH.max} lowercase letters`,
    ],
    ...(['keyPrefix', 'gcsPrefix', 'blobKeyPrefix'] as const).map(
      (field): [FieldName, unknown[], unknown[], string] => [
        field,
        ['p'.repeat(MAX_OBJECT_PREFIX_LENGTH)],
        ['p'.repeat(MAX_OBJECT_PREFIX_LENGTH + 1)],
        `at most ${MAX_OBJECT_PREFIX_LENGTH} characters`,
      ],
    ),
    [
      'gcsBucket',
      ['a'.repeat(GCS_BUCKET_LENGTH.min), 'a'.repeat(GCS_BUCKET_PART_LENGTH), dnsName(GCS_BUCKET_LENGTH.max)],
      [
        'a'.repeat(GCS_BUCKET_LENGTH.min - 1),
        'a'.repeat(GCS_BUCKET_PART_LENGTH + 1),
        dnsName(GCS_BUCKET_LENGTH.max + 1),
      ],
      `${GCS_BUCKET_LENGTH.min} to ${GCS_BUCKET_PART_LENGTH} lowercase letters, digits, "-", "_" or "." (up to ${GCS_BUCKET_LENGTH.max} with dots, at most ${GCS_BUCKET_PART_LENGTH} between two)`,
    ],
    [
      'storageAccount',
      ['a'.repeat(STORAGE_ACCOUNT_LENGTH.min), 'a'.repeat(STORAGE_ACCOUNT_LENGTH.max)],
      ['a'.repeat(STORAGE_ACCOUNT_LENGTH.min - 1), 'a'.repeat(STORAGE_ACCOUNT_LENGTH.max + 1)],
      `${STORAGE_ACCOUNT_LENGTH.min} to ${STORAGE_ACCOUNT_LENGTH.max} lowercase letters`,
    ],
    [
      'blobContainer',
      ['a'.repeat(BLOB_CONTAINER_LENGTH.min), 'a'.repeat(BLOB_CONTAINER_LENGTH.max)],
      ['a'.repeat(BLOB_CONTAINER_LENGTH.min - 1), 'a'.repeat(BLOB_CONTAINER_LENGTH.max + 1)],
      `${BLOB_CONTAINER_LENGTH.min} to ${BLOB_CONTAINER_LENGTH.max} lowercase letters`,
    ],
    [
      'resourceGroup',
      ['r'.repeat(RESOURCE_GROUP_LENGTH.min), 'r'.repeat(RESOURCE_GROUP_LENGTH.max)],
      ['', 'r'.repeat(RESOURCE_GROUP_LENGTH.max + 1)],
      `${RESOURCE_GROUP_LENGTH.min} to ${RESOURCE_GROUP_LENGTH.max} ASCII letters`,
    ],
    [
      'project',
      ['p'.repeat(PROJECT_NAME_LENGTH.min), 'p'.repeat(PROJECT_NAME_LENGTH.max)],
      ['p'.repeat(PROJECT_NAME_LENGTH.min - 1), 'p'.repeat(PROJECT_NAME_LENGTH.max + 1)],
      `${PROJECT_NAME_LENGTH.min} to ${PROJECT_NAME_LENGTH.max} letters`,
    ],
    [
      'cluster',
      [
        'c'.repeat(AWS_LIMITS.clusterNameLength),
        `arn:aws:ecs:eu-west-1:123456789012:cluster/${'c'.repeat(AWS_LIMITS.clusterNameLength)}`,
      ],
      [
        'c'.repeat(AWS_LIMITS.clusterNameLength + 1),
        `arn:aws:ecs:eu-west-1:123456789012:cluster/${'c'.repeat(AWS_LIMITS.clusterNameLength + 1)}`,
      ],
      `at most ${AWS_LIMITS.clusterNameLength})`,
    ],
    ...(
      [
        ['vpcId', 'vpc'],
        ['subnetId', 'subnet'],
        ['securityGroupId', 'sg'],
        ['ami', 'ami'],
        ['launchTemplateId', 'lt'],
      ] as const
    ).map(([field, prefix]): [FieldName, unknown[], unknown[], string] => [
      field,
      EC2_ID_DIGITS.map((digits) => `${prefix}-${'0'.repeat(digits)}`),
      EC2_ID_DIGITS.map((digits) => `${prefix}-${'0'.repeat(digits + 1)}`),
      `"${prefix}-" and ${EC2_ID_DIGITS.join(' or ')} hexadecimal digits`,
    ]),
    [
      'listenerArn',
      [
        `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/${'a'.repeat(AWS_LIMITS.albIdDigits)}/${'b'.repeat(AWS_LIMITS.albIdDigits)}`,
      ],
      [
        `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/${'a'.repeat(AWS_LIMITS.albIdDigits)}/${'b'.repeat(AWS_LIMITS.albIdDigits + 1)}`,
      ],
      `<${AWS_LIMITS.albIdDigits} hex>/<${AWS_LIMITS.albIdDigits} hex>`,
    ],
    [
      'instanceType',
      [`m7g.${'x'.repeat(EC2_LIMITS.instanceTypeLength - 4)}`],
      [`m7g.${'x'.repeat(EC2_LIMITS.instanceTypeLength - 3)}`],
      `at most ${EC2_LIMITS.instanceTypeLength} characters`,
    ],
    [
      'instanceProfile',
      ['i'.repeat(EC2_LIMITS.instanceProfileNameLength)],
      ['', 'i'.repeat(EC2_LIMITS.instanceProfileNameLength + 1)],
      `1 to ${EC2_LIMITS.instanceProfileNameLength} letters`,
    ],
    [
      'zoneId',
      [`Z${'A'.repeat(ROUTE53_LIMITS.zoneIdLength - 1)}`],
      [`Z${'A'.repeat(ROUTE53_LIMITS.zoneIdLength)}`],
      `at most ${ROUTE53_LIMITS.zoneIdLength} characters`,
    ],
    [
      'defaultExpiry',
      ['1d', `${MAX_DURATION_COUNT}w`],
      ['0d', `${MAX_DURATION_COUNT + 1}h`],
      `from 1 to ${MAX_DURATION_COUNT} and h`,
    ],
  ];

  it.each(FIELD_LIMITS)('%s: its rule and its text share each limit', (field, takes, refuses, says) => {
    const rule = FIELDS[field];
    for (const value of takes) expect([value, rule.test(value)]).toEqual([value, true]);
    for (const value of refuses) expect([value, rule.test(value)]).toEqual([value, false]);
    expect(rule.expected).toContain(says);
  });

  it('states the limits of the rules outside the field table as those rules hold them', () => {
    // The weights of the colors that are not retired add up to exactly MAX_PERCENT.
    expect(weightSumProblems([{ name: 'blue', weight: MAX_PERCENT }])).toEqual([]);
    expect(weightSumProblems([{ name: 'blue', weight: MAX_PERCENT - 1 }])[0].message).toContain(
      `expected exactly ${MAX_PERCENT}`,
    );
    expect(EXPECTED.specFile).toContain(`weights add up to ${MAX_PERCENT}`);
    // A Quantity's percent.
    expect(Quantity.percent(MAX_PERCENT).value).toBe(MAX_PERCENT);
    expect(() => Quantity.percent(MAX_PERCENT + 1)).toThrow(`from 0 to ${MAX_PERCENT}`);
    expect(Quantity.parse(`${MAX_PERCENT + 1}%`)).toBeUndefined();
    // The name of an annotation key after its prefix.
    const name = KUBERNETES_NAME_LIMITS.qualifiedNameLength;
    expect(isAnnotationKey(`example.com/${'a'.repeat(name)}`)).toBe(true);
    expect(isAnnotationKey(`example.com/${'a'.repeat(name + 1)}`)).toBe(false);
    expect(EXPECTED.annotationKey).toContain(`a name of at most ${name} letters`);
    // A preview host <color>.<host> is a DNS name.
    const host = dnsName(DNS_NAME_LIMITS.nameLength - 'blue.'.length + 1);
    expect(previewHostProblems(host, ['blue'])[0].message).toContain(
      `a DNS name of at most ${DNS_NAME_LIMITS.nameLength} characters`,
    );
    // The Kubernetes backend's names are Kubernetes names.
    expect(KUBERNETES_BACKEND_LIMITS.labelValueLength).toBe(KUBERNETES_NAME_LIMITS.labelValueLength);
    expect(KUBERNETES_BACKEND_LIMITS.objectNameLength).toBe(DNS_NAME_LIMITS.nameLength);
  });

  it('states the limits of EKS and of an instance refresh as the rolling rules hold them', () => {
    const { max } = EKS_UPDATE_LIMITS.maxUnavailable;
    expect(eksUpdateProblems(resolveRollingUpdate({ maxUnavailable: Quantity.count(max) }))).toEqual([]);
    expect(
      eksUpdateProblems(resolveRollingUpdate({ maxUnavailable: Quantity.count(max + 1), maxSurge: Quantity.count(2) })),
    ).toEqual([
      {
        path: 'maxSurge',
        message: `received 2; expected the default ${resolveRollingUpdate({}).maxSurge.toString()}: an EKS managed node group chooses its own surge (up to twice its Availability Zones, or maxUnavailable nodes, launched before any node is drained), so no other maxSurge can be honoured`,
      },
      {
        path: 'maxUnavailable',
        message: `received ${max + 1}; expected at most ${max}: an EKS managed node group updates at most ${max} nodes in parallel (update_config.max_unavailable is ${EKS_UPDATE_LIMITS.maxUnavailable.min} to ${max})`,
      },
    ]);
    const { maxHealthyPercentage, spread } = INSTANCE_REFRESH_LIMITS;
    const [wide] = ec2InstanceRefreshProblems(
      resolveRollingUpdate({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.count(1) }),
      1,
      'orange',
    );
    expect(wide.message).toContain(
      `allows max_healthy_percentage ${maxHealthyPercentage.min} to ${maxHealthyPercentage.max} and at most ${spread} between it and min_healthy_percentage`,
    );
  });

  it('names every placeholder a check can use where a check field says what is filled in', () => {
    for (const text of [FIELDS.checkUrl.expected, FIELDS.promql.expected, MESSAGES.unknownPlaceholder('{{x}}')])
      for (const placeholder of PLACEHOLDERS) expect(text).toContain(`{{${placeholder}}}`);
    expect(FIELDS.promql.expected).toBe(
      'a PromQL query: text that is not blank, at most 10000 characters ({{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}} are filled in)',
    );
  });
});
