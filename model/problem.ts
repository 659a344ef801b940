import { escapeInvisible, quoteText } from './text';

/**
 * One thing wrong with the input: where it is and what is wrong.
 *
 * `path` names the field the way a person would write it (`colors[1].weight`), or the file
 * (`rainbow.yaml:3:5`) for a problem with the document itself.
 */
export interface Problem {
  /** Where the problem is: a field (`colors[1].weight`), or a place in the file (`rainbow.yaml:3:5`). */
  readonly path: string;
  /** What was received and what is allowed. */
  readonly message: string;
  /**
   * The file the problem is in, when it was found in a file after parsing (with `line` and `column`).
   * @default - not placed in a file
   */
  readonly file?: string;
  /**
   * Where in `file` the field is: its line, from 1.
   * @default - not placed in a file
   */
  readonly line?: number;
  /**
   * Where on `line` the field starts, from 1.
   * @default - not placed in a file
   */
  readonly column?: number;
}

/**
 * `colors[1].weight` from `['colors', 1, 'weight']`. A key that is not a plain word (empty, with
 * spaces or dots) is quoted, escaped and cut short as values are: `env["my var"]`.
 */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    const key = String(segment);
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (!/^[\w$-]+$/.test(key)) out += `[${quoteText(key)}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

/** The line printed for a problem; whatever input reached it, nothing in it can act on a terminal. */
export function formatProblem(problem: Problem): string {
  const line = problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
  const place =
    problem.file === undefined || problem.line === undefined
      ? ''
      : `${problem.file}:${problem.line}:${problem.column ?? 1}: `;
  return escapeInvisible(`${place}${line}`);
}

/**
 * Thrown by constructs and loaders when their input has problems; the message lists every one.
 *
 * TypeScript and JavaScript only (`instanceof`, `problems`): jsii cannot carry an Error subclass,
 * so in Python, Java, C# and Go it arrives as the runtime's error with the same message.
 *
 * @jsii ignore
 */
export class RainbowValidationError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[], context?: string) {
    const lines = problems.map(formatProblem).join('\n');
    super(context === undefined ? lines : `${context}:\n${lines}`);
    this.name = 'RainbowValidationError';
    this.problems = problems;
  }
}

/** Throws a RainbowValidationError when there is at least one problem. */
export function throwIfProblems(problems: readonly Problem[], context?: string): void {
  if (problems.length > 0) throw new RainbowValidationError(problems, context);
}

/** Prefixes every problem's path, so a construct's `maxSurge` becomes the spec's `rollingUpdate.maxSurge`. */
export function prefixProblems(prefix: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({
    path: p.path === '' ? prefix : p.path.startsWith('[') ? `${prefix}${p.path}` : `${prefix}.${p.path}`,
    message: p.message,
  }));
}
