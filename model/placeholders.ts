import { MESSAGES } from './messages';
import { formatPath, Problem } from './problem';
import { Platform } from './types';

/**
 * The placeholders `rainbow init` writes for what it cannot know (the host, the image, the
 * network), and how a spec that still holds one is refused. Each placeholder is a value that is
 * valid in form but unmistakably not real: the word `replace-me` where the field takes letters, an
 * account or resource id of zeros where it takes only digits, so that no real spec (nor the
 * examples, which use example.com hosts and AWS's documentation ids) is ever taken for one.
 * The template writes the values listed here (cli/commands/init-templates.ts), so the two cannot drift.
 */

/** The word marking a placeholder wherever a field takes letters. */
export const PLACEHOLDER_WORD = 'replace-me';
/** An AWS account id no account has. */
export const PLACEHOLDER_ACCOUNT = '000000000000';

/** What `rainbow init` writes for each value it cannot know. */
export const PLACEHOLDERS = {
  host: (app: string) => `${app}.${PLACEHOLDER_WORD}.invalid`,
  containerImage: (app: string) => `ghcr.io/${PLACEHOLDER_WORD}/${app}:1.0.0`,
  ecrImage: (app: string) => `${PLACEHOLDER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${PLACEHOLDER_WORD}/${app}:1.0.0`,
  ami: 'ami-00000000000000000',
  vpcId: 'vpc-00000000000000000',
  subnetIds: ['subnet-00000000000000000', 'subnet-00000000000000001'],
  securityGroupIds: ['sg-00000000000000000'],
  listenerArn: `arn:aws:elasticloadbalancing:eu-west-1:${PLACEHOLDER_ACCOUNT}:listener/app/${PLACEHOLDER_WORD}/0000000000000000/0000000000000000`,
  cluster: PLACEHOLDER_WORD,
  gateway: { name: PLACEHOLDER_WORD, namespace: PLACEHOLDER_WORD },
  istioGateways: [`${PLACEHOLDER_WORD}/${PLACEHOLDER_WORD}`],
} as const;

const WORD = new RegExp(`(^|[^a-z0-9])${PLACEHOLDER_WORD}([^a-z0-9]|$)`, 'i');
const ACCOUNT = new RegExp(`(^|[:/])${PLACEHOLDER_ACCOUNT}([:.])`);
// A resource id of zeros, but for a last digit that tells two apart (subnet-...0, subnet-...1).
const ZERO_ID = /^(vpc|subnet|sg|ami)-(0{7}|0{16})[0-9]$/;

/** Whether a value is one of the placeholders above, or made like one. */
export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && (WORD.test(value) || ACCOUNT.test(value) || ZERO_ID.test(value));
}

/** Blocks that hold the user's own text (variables, annotations, a boot script): never judged. */
const FREE_TEXT = new Set(['env', 'secretEnv', 'podAnnotations', 'userData', 'checks']);

/** What to put in place of a placeholder, by the field that holds it. */
function whatToPut(field: string, platform: unknown, parent: string | undefined): string {
  if (field === 'image') return platform === Platform.EC2 ? MESSAGES.placeholderFor.ami : MESSAGES.placeholderFor.image;
  if (parent === 'gateway') return MESSAGES.placeholderFor.gateway;
  return (MESSAGES.placeholderFor as Record<string, string>)[field] ?? MESSAGES.placeholderFor.other;
}

/** A placeholder left in a parsed spec document: where it is, what it holds, and what to put there. */
export interface PlaceholderUse {
  readonly path: ReadonlyArray<string | number>;
  readonly value: string;
  readonly what: string;
}

/** Every placeholder left in a parsed spec document, in document order. */
export function findPlaceholders(doc: Record<string, unknown>): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  const visit = (value: unknown, path: Array<string | number>) => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) if (!FREE_TEXT.has(key)) visit(inner, [...path, key]);
    } else if (isPlaceholder(value)) {
      const names = path.filter((s): s is string => typeof s === 'string');
      uses.push({ path, value, what: whatToPut(names[names.length - 1], doc.platform, names[names.length - 2]) });
    }
  };
  visit(doc, []);
  return uses;
}

/** Every placeholder left in a parsed spec document, each at its path, naming what to put there. */
export function placeholderProblems(doc: Record<string, unknown>): Problem[] {
  return findPlaceholders(doc).map((use) => ({
    path: formatPath(use.path),
    message: MESSAGES.placeholder(use.value, use.what),
  }));
}

/** A field that holds a placeholder, as a person names it, and what to put there. */
export interface PlaceholderField {
  readonly field: string;
  readonly what: string;
}

/**
 * The fields that hold placeholders, one line each as a person lists them: the elements of one
 * list (`ecs.subnetIds`) and the fields of one object (`kubernetes.gateway`'s name and namespace)
 * that take the same kind of value are one field.
 */
export function placeholderFields(doc: Record<string, unknown>): PlaceholderField[] {
  const fields: Array<{ segments: Array<string | number>; what: string }> = [];
  for (const use of findPlaceholders(doc)) {
    const segments = [...use.path];
    while (typeof segments[segments.length - 1] === 'number') segments.pop();
    const last = fields[fields.length - 1];
    if (last !== undefined && last.what === use.what) {
      let common = 0;
      while (common < Math.min(last.segments.length, segments.length) && last.segments[common] === segments[common])
        common++;
      // Siblings, or the same field: one line for both.
      if (common > 0 && common >= last.segments.length - 1 && common >= segments.length - 1) {
        last.segments = segments.slice(0, common);
        continue;
      }
    }
    fields.push({ segments, what: use.what });
  }
  return fields.map((f) => ({ field: formatPath(f.segments), what: f.what }));
}
