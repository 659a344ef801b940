import { formatProblem, Problem } from '../spec/problem';

/** Exit codes: a public contract. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Every problem on its own line, `<path>: <message>`. */
export function reportProblems(io: Io, problems: readonly Problem[]): number {
  for (const problem of problems) io.err(formatProblem(problem));
  return EXIT.invalid;
}
