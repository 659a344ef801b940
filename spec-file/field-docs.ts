import { ALB_PREVIEW_LIMITS } from '../model/alb-preview';
import { MAX_ANNOTATIONS_BYTES } from '../model/annotations';
import { AWS_LIMITS, FARGATE_SIZES, MAX_INSTANCE_REFRESH_ALARMS } from '../model/aws';
import { FIELDS } from '../model/fields';
import { Shape, ShapeField, shapeFields } from '../model/shape';
import { specShape } from './schema';

/**
 * The docs' tables of spec fields (the README's "The spec file", the "Spec" sections of
 * docs/aws.md, docs/ec2.md and docs/dns.md), generated from the shape that `rainbow validate`
 * checks (schema.ts): each row's field, whether it is required, its default and what it allows
 * come from the shape and its rules; this file holds only what the shape cannot know, the notes
 * and links of each row. `npm run docs:tables` (scripts/docs-tables.js) writes the tables between
 * their markers; test/spec-file/field-docs.test.ts fails when a checked-in table differs.
 */

/** What a table's row says of a field besides what the shape says. */
export interface FieldDoc {
  /**
   * The "allowed" column, in Markdown: `{allowed}` stands for what the shape allows there (its
   * rule's text; a list's, a map's or a union's text; an object's fields, as `{ a, b? (default) }`),
   * `{item}` for what each item of a list, or each value of a map, allows.
   * @default '{allowed}'
   */
  readonly text?: string;
  /**
   * When a field the shape leaves optional is required, in Markdown: ``for `gateway-api` ``.
   * @default - the shape's: `yes`, or nothing for an optional field
   */
  readonly required?: string;
  /**
   * The default of a field whose default is no one value, in Markdown: `the app name`.
   * @default - the shape's (`withDefault`), or `none`
   */
  readonly defaultText?: string;
  /**
   * `true`: the row says what a leaf allows in its own words, without its rule's text (for a
   * field whose platform holds it to another rule, such as an AMI id for an ec2 color's image).
   * @default false
   */
  readonly ownWords?: boolean;
}

/**
 * One table of a Markdown file: its rows by field path (`kubernetes.port`, `colors[].name`), shown in the shape's
 * order.
 */
export interface FieldTable {
  /** The name its markers give it: `<!-- spec-fields:begin <name> -->`. */
  readonly name: string;
  /** The Markdown file it is in, from the repository's root. */
  readonly file: string;
  /**
   * A row covers the fields inside its field (its text says what they hold), unless some of them
   * have rows of their own: then each of them needs one.
   */
  readonly rows: Readonly<Record<string, FieldDoc>>;
}

/** Plain text (a rule's text) as Markdown that shows it as it is. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_<>|~[\]]/g, (c) => `\\${c}`);
}

/** Text as Markdown code, in a table cell. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\|/g, '\\|')}${fence}`;
}

/**
 * Fargate's task sizes, each cpu with the memory it allows:
 * `256 → 512, 1024, 2048; 512 → 1024..4096 (steps of 1024); ...`.
 */
function fargateSizes(): string {
  return Object.entries(FARGATE_SIZES)
    .map(([cpu, sizes]) => {
      const allowed =
        sizes.length <= 3
          ? sizes.join(', ')
          : `${sizes[0]}..${sizes[sizes.length - 1]} (steps of ${sizes[1] - sizes[0]})`;
      return `${cpu} → ${allowed}`;
    })
    .join('; ');
}

const HIGHEST_PREVIEW_PRIORITY = AWS_LIMITS.maxPriority - ALB_PREVIEW_LIMITS.slots;

/** The README's table: every field but the platform blocks of ecs, ec2 and dns, which their pages hold. */
const SPEC_TABLE: FieldTable = {
  name: 'spec',
  file: 'README.md',
  rows: {
    app: {},
    platform: {
      text:
        '{allowed}: ECS Fargate behind an ALB is the `ecs` block of [docs/aws.md](docs/aws.md#spec), EC2 Auto Scaling ' +
        'groups the `ec2` block of [docs/ec2.md](docs/ec2.md#spec), existing endpoints behind Route 53 weighted records ' +
        'the `dns` block of [docs/dns.md](docs/dns.md#spec)',
    },
    kubernetes: {
      required: 'with `platform: kubernetes`',
      text: 'the block of the fields below; refused with another platform',
    },
    'kubernetes.namespace': { defaultText: 'the app name', text: '{allowed}; it must exist' },
    'kubernetes.router': {},
    'kubernetes.gateway': { required: 'for `gateway-api`', text: '{allowed}: the Gateway the HTTPRoute attaches to' },
    'kubernetes.ingressClassName': { text: 'nginx router only: the IngressClass, {allowed}' },
    'kubernetes.tlsSecretName': {
      text: 'nginx router only: a TLS Secret for the host (and `*.<host>` with preview hosts), {allowed}',
    },
    'kubernetes.istioGateways': { required: 'for `istio`', text: '{allowed}' },
    'kubernetes.host': { text: '{allowed}; not an IP address' },
    'kubernetes.port': { text: '{allowed}: the container port and the Service port' },
    'kubernetes.context': { defaultText: "the kubeconfig's current context" },
    'kubernetes.serviceAccountName': {
      defaultText: "the namespace's `default`",
      text: 'a ServiceAccount (its token is not mounted), {allowed}',
    },
    'kubernetes.imagePullSecrets': { text: '{allowed} ({item})' },
    'kubernetes.gatewayApiChannel': {
      text: '{allowed} (gateway-api router only); `routing.stickySeconds` needs `experimental`',
    },
    'kubernetes.ignoreAnnotations': {
      text:
        'annotation keys other controllers own, which the provider leaves alone (its `ignore_annotations`, ' +
        '[docs](docs/kubernetes.md#annotations-and-labels-other-controllers-add)): {allowed}',
    },
    'kubernetes.ignoreLabels': { text: "the same for label keys (the provider's `ignore_labels`): {allowed}" },
    'rollingUpdate.maxSurge': {},
    'rollingUpdate.maxUnavailable': { text: '{allowed}; `maxSurge` and `maxUnavailable` cannot both be zero' },
    'rollingUpdate.minReadySeconds': {},
    'rollingUpdate.progressDeadlineSeconds': { text: '{allowed}, greater than `minReadySeconds`' },
    'healthCheck.path': {},
    'healthCheck.periodSeconds': {},
    'healthCheck.failureThreshold': {},
    'healthCheck.startupSeconds': {
      text: '{allowed} (the Kubernetes startup probe; the ECS grace period); 0 turns it off',
    },
    'resources.requests.cpu': {},
    'resources.requests.memory': {},
    'resources.limits.cpu': { text: '{allowed}, not below the request' },
    'resources.limits.memory': { text: '{allowed}, not below the request' },
    'routing.pinHeader': { text: "{allowed}: a request with it set to a color's name goes to that color" },
    'routing.stickySeconds': { text: '{allowed}: a client keeps its color this long (a cookie)' },
    'routing.previewHosts': {
      text:
        '`true`: every color that is not retired is also served at `<color>.<host>` (Kubernetes routers; on ecs and ' +
        `ec2 a listener rule per color, \`rulePriority\` at most ${HIGHEST_PREVIEW_PRIORITY}, \`<color>.<host>\` at ` +
        `most ${ALB_PREVIEW_LIMITS.hostValueLength} characters: [docs/aws.md](docs/aws.md#preview-hosts))`,
    },
    'security.allowRunAsRoot': { text: 'Kubernetes: containers may run as root' },
    'security.allowWritableRootFilesystem': { text: 'the root filesystem is writable' },
    'security.allowServiceAccountToken': { text: 'Kubernetes: the service account token is mounted' },
    'security.allowPublicIp': { text: 'ECS and EC2: tasks or instances get a public IP' },
    'security.allowPlainSecretEnv': {
      text:
        '`env` may hold a plain value under a secret-like name (`*PASS*`, `*PWD*`, `*SECRET*`, `*TOKEN*`, `*KEY*`, ' +
        '`*AUTH*`, `*CREDENTIAL*`, any case), or a URL with credentials (`postgres://user:password@host`) under any ' +
        'name; references such as `postgres://shop:$(DB_PASSWORD)@db` need no allowance',
    },
    'security.allowMutableTags': {
      text:
        "kubernetes and ecs: a live color's image (or migration image) may have no tag or the tag `latest`, which can " +
        'change under the color on its next restart; without it such images are refused (pin a version tag or a ' +
        '`@sha256:` digest)',
    },
    drainSeconds: { text: "{allowed}: a leaving pod's preStop pause; it then gets 10 s more to exit" },
    'progression.steps': {
      text:
        '{allowed}, and `pause` between two of them: the weights `rainbow step` and `rainbow release` go through ' +
        '([Release](docs/workflows.md#release))',
    },
    'progression.maxStepPercent': {
      text: '{allowed}: the most a weight may move in one change before `plan` calls it unsafe',
    },
    'progression.maxLoadFactor': {
      text: '{allowed}, before `plan` calls it unsafe ([the under-capacity rule](docs/workflows.md#the-under-capacity-rule))',
    },
    'progression.defaultExpiry': { text: '{allowed}: `rainbow add` gives each new color `expires` that long from now' },
    'progression.bakeSeconds': {
      text: '{allowed}: how long `rainbow release` watches each step; 0 checks once, without waiting',
    },
    'progression.checkIntervalSeconds': {
      text: '{allowed}, at most `bakeSeconds` (unless that is 0): how often every check runs while a step bakes',
    },
    'progression.initialDelaySeconds': {
      text: '{allowed}, at most `bakeSeconds` (unless that is 0): the first check run of a step comes this long after its deploy',
    },
    'progression.failureLimit': {
      text: '{allowed}: failed runs of one check a step tolerates before the release rolls back',
    },
    'progression.consecutiveErrorLimit': {
      text: '{allowed}: runs of one check in a row, in one step, that could not reach their source; one more rolls back',
    },
    'progression.inconclusiveLimit': {
      text: '{allowed}: inconclusive runs of one check in one step; one more pauses the release (exit 3)',
    },
    'progression.postPromotionSeconds': {
      text: '{allowed}: the checks keep running this long after the last step; a failure rolls back',
    },
    'progression.checks': {
      text:
        '{allowed}: what `rainbow release` checks at each step, each as {item}, its `name` unique; ' +
        '`{{color}}` and the other placeholders are filled in ' +
        '([Release](docs/workflows.md#release))',
    },
    'progression.checkEnv': {},
    'progression.hooks': {
      text:
        '{allowed}: lists of checks as in `checks`, each run once: `preRollout` before the first step, ' +
        '`postPromotion` after the last, `onRollback` after a rollback ([Release](docs/workflows.md#release))',
    },
    'progression.notify': {
      text: '{allowed}: `rainbow release` POSTs each of its events to every one, as JSON',
    },
    env: {
      text:
        'refused with `platform: ec2` ([why](docs/ec2.md#env-is-refused)); {allowed} (`NAME: value`), each value ' +
        '{item}; a tab is the only control character allowed; `__proto__` is refused as a name',
    },
    secretEnv: {
      text: '{allowed}: references to Kubernetes Secrets, never values; nothing under it is ever printed',
    },
    migration: {
      text:
        '{allowed}: a Job run before the color starts, once per change of its pod; `ttlSeconds` is refused (a deleted ' +
        'Job would run again)',
    },
    autoscaling: { text: '{allowed}: a CPU HorizontalPodAutoscaler; replicas come from `min`' },
    podAnnotations: {
      text:
        `Kubernetes: {allowed}, the annotations of every color's pods (\`key: "value"\`; keys as Kubernetes allows, ` +
        `${MAX_ANNOTATIONS_BYTES / 1024} KiB in all); not \`proxy.istio.io/config\` with the istio router`,
    },
    backend: {
      defaultText: 'a local backend per stack',
      text:
        'where each stack keeps its state: exactly one of the blocks below; names their services refuse are refused ' +
        'at synth ([State backends](docs/state.md))',
    },
    'backend.s3': {
      text:
        '{allowed}; `keyPrefix` defaults to the app and its target: context and namespace, or the ALB listener ' +
        '([State keys](docs/workflows.md#state-keys))',
    },
    'backend.gcs': { text: "{allowed}; `prefix` defaults as `s3`'s `keyPrefix` does" },
    'backend.azurerm': { text: "{allowed}; `keyPrefix` defaults as `s3`'s does" },
    'backend.cloud': { text: '{allowed}: a workspace per stack' },
    'backend.kubernetes': { text: '{allowed}: a Secret per stack; `context` defaults to `kubernetes.context`' },
    colors: {},
    'colors[].name': { text: '{allowed}, unique; `router` is reserved' },
    'colors[].image': {
      required: 'yes, except on `dns`',
      text: `{allowed}; with \`platform: ec2\` ${markdownText(FIELDS.ami.expected)}`,
    },
    'colors[].weight': { text: "{allowed}: the color's percent of the traffic" },
    'colors[].replicas': { text: '{allowed}; at least 1 when the weight is above 0; not with `autoscaling`' },
    'colors[].state': {},
    'colors[].resources': {
      defaultText: "the spec's `resources`",
      text: "{allowed}: overrides the spec's field by field",
    },
    'colors[].env': {
      defaultText: "the spec's",
      text: "as `env`; a name the color sets, here or in its `secretEnv`, replaces the spec's",
    },
    'colors[].secretEnv': {
      defaultText: "the spec's",
      text: "as `secretEnv`; a name the color sets, here or in its `env`, replaces the spec's",
    },
    'colors[].migration': { defaultText: "the spec's", text: "as `migration`; replaces the spec's block whole" },
    'colors[].autoscaling': { defaultText: "the spec's", text: "as `autoscaling`; replaces the spec's block whole" },
    'colors[].podAnnotations': {
      defaultText: "the spec's",
      text: "as `podAnnotations`, merged over the spec's by key",
    },
    'colors[].instanceType': {
      defaultText: '`ec2.instanceType`',
      text: "ec2 only: the color's own instance type, {allowed}",
    },
    'colors[].expires': {
      text:
        '{allowed}: from then on `rainbow expire` retires the color once it is at weight 0 ' +
        '([Colors that expire](docs/workflows.md#colors-that-expire))',
    },
    'colors[].match': {
      text:
        'a cohort: `headers` and `cookies`, each a map of names (HTTP tokens) to exact printable values, all must ' +
        'match; such a request goes to this color whatever the weights. Overlapping matches of two colors are ' +
        'refused; per router: Gateway API and Istio (cookies as a regex on the Cookie header, at most 3), nginx (one ' +
        'canary color, one header or one cookie with value `always`), ALB (5 condition values per rule: 1 host, 1 per ' +
        'header, 4 per cookie; no `*` or `?`), refused on `dns` ([docs/kubernetes.md](docs/kubernetes.md#cohorts), ' +
        '[docs/aws.md](docs/aws.md#cohorts))',
    },
  },
};

/** The rows the ecs and ec2 blocks share (`albFields` in schema.ts), as each page says them. */
function albRows(block: 'ecs' | 'ec2', rows: Readonly<Record<string, FieldDoc>>): Record<string, FieldDoc> {
  return {
    [`${block}.region`]: { text: '{allowed}; the listener must be in it' },
    [`${block}.vpcId`]: {},
    [`${block}.listenerArn`]: {},
    [`${block}.host`]: { text: 'the host-header condition of the listener rules, {allowed}' },
    [`${block}.rulePriority`]: { text: '{allowed}: the first listener priority of the app' },
    ...rows,
  };
}

const ECS_TABLE: FieldTable = {
  name: 'ecs',
  file: 'docs/aws.md',
  rows: albRows('ecs', {
    'ecs.cluster': { text: 'an existing cluster, {allowed}; a name is looked up with a data source' },
    'ecs.subnetIds': { text: '{allowed} ({item})' },
    'ecs.securityGroupIds': { text: '{allowed} ({item}); only these are attached to the tasks' },
    'ecs.port': { text: '{allowed}: the container port and the target group port' },
    'ecs.cpu': {
      text: `{allowed}; with \`ecs.memory\`, one of Fargate's task sizes (cpu → memory in MiB): ${fargateSizes()}`,
    },
    'ecs.memory': { text: '{allowed}, in MiB, one that `ecs.cpu` allows (above)' },
    'ecs.logRetentionDays': {},
    'ecs.taskRoleArn': { text: "the role of the application's own AWS calls, {allowed}" },
    'ecs.alarms': {
      text:
        "{allowed} ({item}), each given once: ECS fails and rolls back a deployment of any color's service when one of " +
        'them goes into `ALARM` ([below](#deployment-alarms))',
    },
  }),
};

const EC2_TABLE: FieldTable = {
  name: 'ec2',
  file: 'docs/ec2.md',
  rows: albRows('ec2', {
    'ec2.subnetIds': { text: '{allowed} ({item}); the group spreads its instances over their Availability Zones' },
    'ec2.securityGroupIds': {
      text: '{allowed} ({item}); the only security groups of the instances, which must let the ALB reach `port`',
    },
    'ec2.port': { text: "{allowed}: the port the application listens on in each instance, and the target group's" },
    'ec2.instanceType': { text: '{allowed}; colors may override it' },
    'ec2.userData': {
      text:
        '{allowed} ([user data](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html)); passed on ' +
        'unchanged (base64-encoded), never printed in a message, and refused if it holds a URL with credentials',
    },
    'ec2.instanceProfile': { text: "{allowed}: the instances' AWS permissions; without it they have none" },
    'ec2.alarms': {
      text:
        `{allowed} ({item}), at most ${MAX_INSTANCE_REFRESH_ALARMS} (an instance refresh takes no more), each given ` +
        'once: an instance refresh of any color fails and rolls back to the previous launch template version when ' +
        'one of them goes into `ALARM` ([below](#what-a-plain-cdktf-deploy-does-and-what-rainbow-apply-adds))',
    },
    'colors[].image': { required: 'yes', ownWords: true, text: markdownText(FIELDS.ami.expected) },
    'colors[].replicas': { text: "{allowed}: the group's desired instance count" },
    'colors[].instanceType': {
      defaultText: '`ec2.instanceType`',
      text: "the color's own instance type (refused with another platform), {allowed}",
    },
  }),
};

const DNS_TABLE: FieldTable = {
  name: 'dns',
  file: 'docs/dns.md',
  rows: {
    'dns.zoneId': { text: '{allowed}; the zone must exist' },
    'dns.name': { text: "the name in that zone every color's record answers for, {allowed}" },
    'dns.ttl': {
      text: '{allowed}; refused when every endpoint is an alias (Route 53 refuses a TTL on an alias record)',
    },
    'dns.healthCheck.protocol': { text: '{allowed}; HTTPS with SNI, the certificate not validated' },
    'dns.healthCheck.port': { defaultText: '443 for HTTPS, 80 otherwise' },
    'dns.healthCheck.path': { text: '{allowed}; HTTP and HTTPS only' },
    'colors[].endpoint': {
      required: 'yes',
      text: "{allowed}; for an ALB, its `dualstack.` name and its region's zone id",
    },
  },
};

/** Every table of spec fields in the docs. */
export const FIELD_TABLES: readonly FieldTable[] = [SPEC_TABLE, ECS_TABLE, EC2_TABLE, DNS_TABLE];

/** The Markdown files that hold a table of spec fields. */
export const FIELD_TABLE_FILES: readonly string[] = [...new Set(FIELD_TABLES.map((t) => t.file))];

/** The texts of what is wrong with a table's rows or markers: for the maintainer who changes them. */
export const FIELD_DOCS_MESSAGES = {
  notAField: (file: string, path: string) =>
    `${file}: the row \`${path}\` names no field of the spec's shape (spec-file/schema.ts); remove it from spec-file/field-docs.ts`,
  noRow: (path: string) =>
    `no table has a row for \`${path}\`: give it one (or a row for a field it is in) in spec-file/field-docs.ts`,
  requiredAnyway: (file: string, path: string) =>
    `${file}: \`${path}\` is required in the spec's shape, so its row cannot say when it is required`,
  twoDefaults: (file: string, path: string) =>
    `${file}: \`${path}\` has a default in the spec's shape, so its row cannot describe another`,
  defaultOfRequired: (file: string, path: string) =>
    `${file}: \`${path}\` is required, so it has no default to describe`,
  notSaid: (file: string, path: string) =>
    `${file}: the row \`${path}\` does not say what the field allows: put {allowed} in its text (or set ownWords)`,
  noItems: (file: string, path: string) =>
    `${file}: the row \`${path}\` says {item}, but the field is neither a list nor a map`,
  unescapedBar: (file: string, path: string) =>
    `${file}: the row \`${path}\` has a "|" that would split its cell: write it as "\\|"`,
  unknownTable: (file: string, name: string) =>
    `${file}: the markers name the table "${name}", which spec-file/field-docs.ts does not have for this file`,
  noEnd: (file: string, name: string) => `${file}: the table "${name}" has no "${END}" after its begin marker`,
  missingTable: (file: string, name: string) =>
    `${file}: the table "${name}" has no markers here: put "${beginMarker(name)}" and "${END}" where it goes`,
  twice: (file: string, name: string) => `${file}: the table "${name}" is there twice`,
};

const BEGIN = /^<!-- spec-fields:begin (\S+)\b.*-->$/;
const END = '<!-- spec-fields:end -->';

function beginMarker(name: string): string {
  return `<!-- spec-fields:begin ${name} (generated from spec-file/field-docs.ts: npm run docs:tables) -->`;
}

/** The field at each path of the spec's shape. */
function fieldsByPath(shape: Shape<unknown>): Map<string, ShapeField> {
  return new Map(shapeFields(shape).map((field) => [field.path, field]));
}

/** `inner` is `outer` or a field inside it (`colors` holds `colors[].name`). */
function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[]`);
}

/** What the shape of a field allows, as Markdown: a rule's text, or an object's fields as `{ a, b? (2) }`. */
function allowed(shape: Shape<unknown>): string {
  switch (shape.kind) {
    case 'leaf':
      return markdownText(shape.rule.expected);
    case 'anything':
      return typeof shape.json.description === 'string' ? markdownText(shape.json.description) : '';
    case 'array':
    case 'record':
      return markdownText(shape.options.expected);
    case 'union':
      return markdownText(shape.expected);
    case 'optional':
      return allowed(shape.inner);
    case 'object':
      return code(fieldList(shape));
  }
}

/**
 * An object's fields as a spec writes them, `?` after an optional one, its default after that; a field that refuses
 * every value left out.
 */
function fieldList(shape: Shape<unknown>): string {
  if (shape.kind === 'optional') return fieldList(shape.inner);
  if (shape.kind === 'array') return '[...]';
  if (shape.kind === 'record') return '{...}';
  if (shape.kind !== 'object') return '';
  const fields = Object.entries(shape.fields)
    .filter(([, field]) => !refusesAll(field))
    .map(([key, field]) => {
      const optional = field.kind === 'optional';
      const inner = optional ? field.inner : field;
      const name = `${key}${optional ? '?' : ''}`;
      const given = optional && field.defaultValue !== undefined ? ` (${inlineValue(field.defaultValue)})` : '';
      const nested = fieldList(inner);
      return nested === '' ? `${name}${given}` : `${name}: ${nested}${given}`;
    });
  return `{ ${fields.join(', ')} }`;
}

/** A field kept in the shape only to refuse it with a reason (a deprecated field). */
function refusesAll(shape: Shape<unknown>): boolean {
  const inner = shape.kind === 'optional' ? shape.inner : shape;
  return inner.kind === 'anything' && JSON.stringify(inner.json.not) === '{}';
}

/** A default inside a field list: a string as it is, a list in YAML's flow style. */
function inlineValue(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v))).join(', ')}]`;
  return String(value);
}

/** The default column: the shape's value as code (an empty list is none), or the described one, or none. */
function defaultCell(field: ShapeField, doc: FieldDoc): string {
  if (doc.required !== undefined || field.required) return '';
  if (field.defaultValue !== undefined) {
    if (Array.isArray(field.defaultValue) && field.defaultValue.length === 0) return 'none';
    return code(inlineValue(field.defaultValue));
  }
  return doc.defaultText ?? 'none';
}

function textCell(field: ShapeField, doc: FieldDoc): string {
  const shape = field.shape;
  const item = shape.kind === 'array' ? shape.item : shape.kind === 'record' ? shape.value : undefined;
  return (doc.text ?? '{allowed}')
    .replaceAll('{allowed}', allowed(shape))
    .replaceAll('{item}', item === undefined ? '{item}' : allowed(item));
}

function rowLine(field: ShapeField, doc: FieldDoc): string {
  const required = doc.required ?? (field.required ? 'yes' : '');
  const cells = [code(field.path), required, defaultCell(field, doc), textCell(field, doc)];
  return `|${cells.map((cell) => (cell === '' ? ' ' : ` ${cell} `)).join('|')}|`;
}

/** The table's Markdown lines, its rows in the order of the shape. */
export function renderFieldTable(table: FieldTable, shape: Shape<unknown> = specShape): string[] {
  const lines = ['| field | required | default | allowed |', '|---|---|---|---|'];
  for (const field of shapeFields(shape)) {
    const doc = table.rows[field.path];
    if (doc !== undefined) lines.push(rowLine(field, doc));
  }
  return lines;
}

/**
 * What is wrong with the tables against the shape: a row that names no field, a field that no
 * row covers, a row that says what the shape says otherwise, or that does not say what a field
 * allows. Empty when the tables can be written.
 */
export function fieldTableProblems(
  tables: readonly FieldTable[] = FIELD_TABLES,
  shape: Shape<unknown> = specShape,
): string[] {
  const fields = fieldsByPath(shape);
  const problems: string[] = [];
  const covered = new Set<string>();
  for (const { file, rows } of tables) {
    const paths = Object.keys(rows);
    for (const path of paths) {
      const field = fields.get(path);
      if (field === undefined) {
        problems.push(FIELD_DOCS_MESSAGES.notAField(file, path));
        continue;
      }
      problems.push(...rowProblems(file, field, rows[path]));
      // A row covers the fields inside its own unless one of them has a row in this table.
      const whole = !paths.some((other) => other !== path && fields.has(other) && isWithin(other, path));
      for (const inside of fields.keys()) if (inside === path || (whole && isWithin(inside, path))) covered.add(inside);
    }
  }
  const all = [...fields.keys()];
  for (const path of all) {
    const hasFields = all.some((other) => other !== path && isWithin(other, path));
    if (!hasFields && !covered.has(path)) problems.push(FIELD_DOCS_MESSAGES.noRow(path));
  }
  return problems;
}

function rowProblems(file: string, field: ShapeField, doc: FieldDoc): string[] {
  const problems: string[] = [];
  const { path, shape } = field;
  if (doc.required !== undefined && field.required) problems.push(FIELD_DOCS_MESSAGES.requiredAnyway(file, path));
  if (doc.defaultText !== undefined && field.defaultValue !== undefined)
    problems.push(FIELD_DOCS_MESSAGES.twoDefaults(file, path));
  if (
    (doc.defaultText !== undefined || field.defaultValue !== undefined) &&
    (field.required || doc.required !== undefined)
  )
    problems.push(FIELD_DOCS_MESSAGES.defaultOfRequired(file, path));
  const text = doc.text ?? '{allowed}';
  if (shape.kind === 'leaf' && shape.rule !== FIELDS.boolean && !doc.ownWords && !text.includes('{allowed}'))
    problems.push(FIELD_DOCS_MESSAGES.notSaid(file, path));
  if (text.includes('{item}') && shape.kind !== 'array' && shape.kind !== 'record')
    problems.push(FIELD_DOCS_MESSAGES.noItems(file, path));
  // Five bars make the four cells; GFM splits at every bar not escaped, in code too.
  if (rowLine(field, doc).match(/(?<!\\)\|/g)?.length !== 5)
    problems.push(FIELD_DOCS_MESSAGES.unescapedBar(file, path));
  return problems;
}

/**
 * The Markdown of `file` with each of its tables of spec fields written anew between its markers
 * (`<!-- spec-fields:begin <name> ... -->` and `<!-- spec-fields:end -->`), and what stops that:
 * markers of a table the file does not have, a begin without an end, a table without markers.
 */
export function withFieldTables(
  file: string,
  markdown: string,
  tables: readonly FieldTable[] = FIELD_TABLES,
  shape: Shape<unknown> = specShape,
): { markdown: string; problems: string[] } {
  const own = tables.filter((t) => t.file === file);
  const lines = markdown.split('\n');
  const out: string[] = [];
  const problems: string[] = [];
  const written = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]);
    if (begin === null) {
      out.push(lines[i]);
      continue;
    }
    const name = begin[1];
    const table = own.find((t) => t.name === name);
    const end = lines.indexOf(END, i + 1);
    if (table === undefined) problems.push(FIELD_DOCS_MESSAGES.unknownTable(file, name));
    else if (end === -1) problems.push(FIELD_DOCS_MESSAGES.noEnd(file, name));
    else if (written.has(name)) problems.push(FIELD_DOCS_MESSAGES.twice(file, name));
    if (table === undefined || end === -1 || written.has(name)) {
      out.push(lines[i]);
      continue;
    }
    written.add(name);
    out.push(beginMarker(name), '', ...renderFieldTable(table, shape), '', END);
    i = end;
  }
  for (const table of own)
    if (!written.has(table.name)) problems.push(FIELD_DOCS_MESSAGES.missingTable(file, table.name));
  return { markdown: out.join('\n'), problems };
}
