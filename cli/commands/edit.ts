import { formatProblem } from '../../model/problem';
import { TransitionResult } from '../../model/transitions';
import { RainbowSpec } from '../../model/types';
import { applyEdits, EditError } from '../../spec-file/edit-text';
import { parseSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';
import { EXIT, Io, reportProblems } from '../output';
import { isJsonSpec, lockSpec, readSpec, WriteHooks, writeSpecAtomically } from '../../engine/spec-store';
import { trafficTable, useColor } from '../table';
import { CLI_MESSAGES } from '../messages';
import { editIsUnsafe, editVerdict, printEditVerdict } from './plan';

/**
 * Runs one editing command: reads the spec, applies the change, validates the result, checks it
 * against the safety rules (as `plan` would, against git HEAD), and only then writes the file, in
 * place and atomically, keeping everything but the changed values. Prints the new traffic table.
 * A change that breaks a safety rule is refused, exit 1, unless `force`; `dryRun` prints the
 * table and the verdict and writes nothing. The whole read-modify-write holds the spec's edit
 * lock, so that two edits at once both land, one after the other; a dry run takes no lock.
 */
export function editCommand(
  io: Io,
  specFile: string,
  change: (spec: RainbowSpec) => TransitionResult,
  hooks: WriteHooks = {},
  options: EditOptions = {},
): number {
  if (options.dryRun === true) return editLocked(io, specFile, change, hooks, options);
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
  /**
   * Whether to check the result against the safety rules before writing (default true), against
   * git HEAD as `plan` compares.
   */
  readonly verdict?: boolean;
  /** What to say when the change changes nothing (default "nothing to change"). */
  readonly unchanged?: () => string;
  /** Print the new table and the safety verdict, and write nothing. */
  readonly dryRun?: boolean;
  /** Write a change that breaks safety rules (the verdict says FORCED past them). */
  readonly force?: boolean;
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
  const force = options.force === true;
  const verdict = options.verdict === false ? undefined : editVerdict(specFile, spec);
  const unsafe = verdict !== undefined && editIsUnsafe(verdict);
  if (unsafe && !force && options.dryRun !== true) {
    printEditVerdict(io, verdict, false);
    io.err(CLI_MESSAGES.editRefused(specFile));
    return EXIT.invalid;
  }
  if (options.dryRun === true) {
    for (const line of trafficTable(spec, useColor(process.stdout))) io.out(line);
    if (verdict !== undefined) printEditVerdict(io, verdict, force);
    io.err(CLI_MESSAGES.dryRun(specFile, !unsafe ? 'safe' : force ? 'forced' : 'refused'));
    return unsafe && !force ? EXIT.invalid : EXIT.ok;
  }
  if (writeSpecAtomically(specFile, loaded.text, text, hooks) === 'changed-on-disk') {
    io.err(`${specFile}: changed on disk since it was read; nothing written: run the command again`);
    return EXIT.invalid;
  }
  for (const line of trafficTable(spec, useColor(process.stdout))) io.out(line);
  if (verdict !== undefined) printEditVerdict(io, verdict, force);
  if (unsafe) io.err(CLI_MESSAGES.editForced);
  return EXIT.ok;
}
