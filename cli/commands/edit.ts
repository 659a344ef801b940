import { formatProblem } from '../../model/problem';
import { TransitionResult } from '../../model/transitions';
import { RainbowSpec } from '../../model/types';
import { applyEdits, EditError } from '../../spec-file/edit-text';
import { parseSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';
import { EXIT, Io, reportProblems } from '../output';
import { isJsonSpec, lockSpec, readSpec, WriteHooks, writeSpecAtomically } from '../../engine/spec-store';
import { trafficTable, useColor } from '../table';
import { printEditVerdict } from './plan';

/**
 * Runs one editing command: reads the spec, applies the change, validates the result, and only
 * then writes the file, in place and atomically, keeping everything but the changed values.
 * Prints the new traffic table. The whole read-modify-write holds the spec's edit lock, so that
 * two edits at once both land, one after the other.
 */
export function editCommand(
  io: Io,
  specFile: string,
  change: (spec: RainbowSpec) => TransitionResult,
  hooks: WriteHooks = {},
  options: EditOptions = {},
): number {
  const lock = lockSpec(specFile, { purpose: options.purpose });
  if ('problems' in lock) return reportProblems(io, lock.problems);
  try {
    return editLocked(io, specFile, change, hooks, options);
  } finally {
    lock.release();
  }
}

export interface EditOptions {
  /** What the lock says holds it, such as `rainbow shift` (default `rainbow edit`). */
  readonly purpose?: string;
  /** Whether to print the safety verdict against git HEAD after the edit (default true); `release` checks each step against the one before instead. */
  readonly verdict?: boolean;
  /** What to say when the change changes nothing (default "nothing to change"). */
  readonly unchanged?: () => string;
}

function editLocked(
  io: Io,
  specFile: string,
  change: (spec: RainbowSpec) => TransitionResult,
  hooks: WriteHooks,
  options: EditOptions,
): number {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  const result = change(loaded.spec);
  if ('refused' in result) return reportProblems(io, [result.refused]);
  if (result.edits.length === 0) {
    io.err(`${specFile}: ${options.unchanged?.() ?? 'nothing to change'}`);
    for (const line of trafficTable(loaded.spec, useColor(process.stdout))) io.out(line);
    return EXIT.ok;
  }
  let text: string;
  try {
    text = applyEdits(loaded.text, result.edits, isJsonSpec(specFile, loaded.text));
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    io.err(`${specFile}: ${error.message}; nothing written: make this change by hand`);
    return EXIT.invalid;
  }
  const parsed = parseSpecText(text, specFile);
  const { spec, problems } =
    parsed.problems.length > 0 ? { spec: undefined, problems: parsed.problems } : validateSpec(parsed.document);
  if (spec === undefined) {
    io.err(`${specFile}: the change would make the spec invalid; nothing written:`);
    for (const problem of problems) io.err(formatProblem(problem));
    return EXIT.invalid;
  }
  if (writeSpecAtomically(specFile, loaded.text, text, hooks) === 'changed-on-disk') {
    io.err(`${specFile}: changed on disk since it was read; nothing written: run the command again`);
    return EXIT.invalid;
  }
  for (const line of trafficTable(spec, useColor(process.stdout))) io.out(line);
  if (options.verdict !== false) printEditVerdict(io, specFile, spec);
  return EXIT.ok;
}
