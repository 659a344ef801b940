import { isSecretPath } from './environment';
import { MESSAGES } from './messages';
import { formatPath, Problem } from './problem';
import { codePointName, firstControlCharacter, hasUrlCredentials } from './text';

type Path = ReadonlyArray<string | number>;

/**
 * The fields whose text may hold whitespace, and so a tab: an `env` value and a migration
 * command's argument. Every other field's own rule refuses whitespace.
 */
function allowsTab(path: Path): boolean {
  const n = path.length;
  return (n >= 2 && path[n - 2] === 'env') || (n >= 3 && path[n - 3] === 'migration' && path[n - 2] === 'command');
}

/**
 * User data (`ec2.userData`, the `userData` prop): a script, whose lines are its point; and a
 * check's PromQL (`prometheus.query`), which may span lines (a YAML `|` block).
 */
const allowsLineFeed = (path: Path): boolean =>
  path.length >= 1 &&
  (path[path.length - 1] === 'userData' ||
    (path[path.length - 1] === 'query' && path[path.length - 2] === 'prometheus'));

/** A plain `env` value: credentials there are the allowance's business (`security.allowPlainSecretEnv`). */
const isEnvValue = (path: Path): boolean => path.length >= 2 && path[path.length - 2] === 'env';

/**
 * Problems of the text of a whole document, whatever its shape, before any field rule: control
 * characters in any string or key (a tab only where the field allows whitespace), the key
 * `__proto__` (which a JavaScript object would drop without a word), and URLs with credentials
 * outside `env`. Each at the path of the string or key, in document order.
 */
export function textProblems(document: unknown): Problem[] {
  const problems: Problem[] = [];
  // Depth first with an explicit stack: a deep document cannot overflow the call stack.
  const stack: Array<{ value: unknown; path: Path; key?: string }> = [{ value: document, path: [] }];
  // Each object once: a document built in code may hold itself (a spec file that does is refused
  // when read), and one shared by several fields is reported at the first.
  const seen = new WeakSet<object>();
  while (stack.length > 0) {
    const { value, path, key } = stack.pop()!;
    if (key !== undefined) {
      const control = firstControlCharacter(key, false);
      if (key === '__proto__') problems.push({ path: formatPath(path), message: MESSAGES.protoKey });
      else if (control !== undefined)
        problems.push({
          path: formatPath(path),
          message: MESSAGES.controlCharacterInKey(codePointName(control.codePoint), control.index),
        });
    }
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    if (typeof value === 'string') {
      const control = firstControlCharacter(value, allowsTab(path) || allowsLineFeed(path), allowsLineFeed(path));
      if (control !== undefined) {
        problems.push({
          path: formatPath(path),
          message: MESSAGES.controlCharacter(
            value,
            isSecretPath(path),
            codePointName(control.codePoint),
            control.index,
          ),
        });
      } else if (!isEnvValue(path) && hasUrlCredentials(value)) {
        problems.push({ path: formatPath(path), message: MESSAGES.credentialsInSpec(value) });
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({ value: (value as Record<string, unknown>)[keys[i]], path: [...path, keys[i]], key: keys[i] });
    }
  }
  return problems;
}

/**
 * The problems of a document or of construct props: those of its text first, then the field
 * problems at other paths, so that a string with a control character is reported once, for that.
 */
export function withTextProblems(value: unknown, fieldProblems: readonly Problem[]): Problem[] {
  const text = textProblems(value);
  const textPaths = new Set(text.map((p) => p.path));
  return [...text, ...fieldProblems.filter((p) => !textPaths.has(p.path))];
}
