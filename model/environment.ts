import { EXPECTED, MESSAGES, received } from './messages';
import { formatPath, Problem } from './problem';
import { FIELDS, isEnvName } from './fields';
import { SECRET_LIKE_NAME, SecretKeySelector } from './types';

/**
 * Problems of one level's `env` and `secretEnv` (the spec's, or a color's): variable names, and a
 * variable in both blocks. Paths: `env.<NAME>`, `secretEnv.<NAME>`.
 */
export function environmentProblems(env: unknown, secretEnv: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const [block, value] of [
    ['env', env],
    ['secretEnv', secretEnv],
  ] as const) {
    for (const name of keysOf(value)) {
      if (!isEnvName(name))
        problems.push({ path: formatPath([block, name]), message: received(name, EXPECTED.envName) });
    }
  }
  const secretNames = new Set(keysOf(secretEnv));
  for (const name of keysOf(env)) {
    if (secretNames.has(name) && isEnvName(name))
      problems.push({ path: `secretEnv.${name}`, message: MESSAGES.envInBoth(name) });
  }
  return problems;
}

/**
 * Problems of the values of `env` and `secretEnv` given as construct props, by the rules the spec
 * file's schema applies to them (fields.ts): a string or boolean, and a `{ secret, key }`
 * reference. `isToken` tells the values only known at apply time, which are not judged.
 */
export function environmentValueProblems(
  env: unknown,
  secretEnv: unknown,
  isToken: (value: unknown) => boolean,
): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of entries(env)) {
    if (!isToken(value) && !FIELDS.envValue.test(value))
      problems.push({
        path: formatPath(['env', name]),
        message: received(value, FIELDS.envValue.expected, isSecretPath(['env', name])),
      });
  }
  for (const [name, ref] of entries(secretEnv)) {
    if (isToken(ref)) continue;
    if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
      problems.push({
        path: formatPath(['secretEnv', name]),
        message: received(ref, EXPECTED.object(['secret', 'key']), true),
      });
      continue;
    }
    const { secret, key } = ref as { secret?: unknown; key?: unknown };
    if (!isToken(secret) && !FIELDS.objectName.test(secret))
      problems.push({
        path: formatPath(['secretEnv', name, 'secret']),
        message: received(secret, FIELDS.objectName.expected, true),
      });
    if (!isToken(key) && !FIELDS.secretKey.test(key))
      problems.push({
        path: formatPath(['secretEnv', name, 'key']),
        message: received(key, FIELDS.secretKey.expected, true),
      });
  }
  return problems;
}

function entries(value: unknown): Array<[string, unknown]> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/**
 * A color's variables: the spec's, then the color's. A name the color defines, in either block,
 * replaces the spec's definition of that name in both.
 */
export function mergeEnvironment(
  spec: { env?: Record<string, string | boolean>; secretEnv?: Record<string, SecretKeySelector> },
  color: { env?: Record<string, string | boolean>; secretEnv?: Record<string, SecretKeySelector> },
): { env: Record<string, string>; secretEnv: Record<string, SecretKeySelector> } {
  const overridden = new Set([...Object.keys(color.env ?? {}), ...Object.keys(color.secretEnv ?? {})]);
  const keep = <T>(entries: Record<string, T> | undefined) =>
    Object.entries(entries ?? {}).filter(([name]) => !overridden.has(name));
  const env = Object.fromEntries(
    [...keep(spec.env), ...Object.entries(color.env ?? {})].map(([k, v]) => [k, String(v)]),
  );
  const secretEnv = Object.fromEntries(
    [...keep(spec.secretEnv), ...Object.entries(color.secretEnv ?? {})].map(([k, v]) => [
      k,
      { secret: v.secret, key: v.key },
    ]),
  );
  return { env, secretEnv };
}

function keysOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

/**
 * Whether a value at this path may be a secret, and so is never shown: anything under `secretEnv`,
 * an `env` block that is not an object, the value of a variable with a secret-like name, and user
 * data (a script may hold anything).
 */
export function isSecretPath(path: ReadonlyArray<PropertyKey>): boolean {
  return path.some(
    (segment, i) =>
      segment === 'secretEnv' ||
      segment === 'userData' ||
      (segment === 'env' &&
        (i === path.length - 1 || (typeof path[i + 1] === 'string' && SECRET_LIKE_NAME.test(path[i + 1] as string)))),
  );
}
