import { formatProblem, Problem } from '../../model/problem';
import { TransitionResult } from '../../model/transitions';
import { RainbowSpec } from '../../model/types';
import { applyEdits, EditError } from '../../spec-file/edit-text';
import { parseSpecText, readSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';
import { EXIT, Io, reportProblems } from '../output';
import { isJsonSpec, LoadedSpec, lockSpec, readSpec, WriteHooks, writeSpecAtomically } from '../../engine/spec-store';
import { trafficTable, useColor } from '../table';
import { CLI_MESSAGES } from '../messages';
import { editRefusal, editVerdict, printEditVerdict } from './plan';

/**
 * Runs one editing command: reads the spec, applies the change, validates the result, checks it
 * against the safety rules (as `plan` would, against git HEAD), and only then writes the file, in
 * place and atomically, keeping everything but the changed values. Prints the new traffic table.
 * A change that breaks a safety rule is refused, exit 1, unless `force`, and so is one that cannot
 * be checked because the previous spec cannot be read (only a spec in no git repository is written
 * unchecked); `dryRun` prints the table and the verdict and writes nothing. A file that breaks
 * only policy rules (startingSpec) may be edited into a valid one. The whole read-modify-write
 * holds the spec's edit lock, so that two edits at once both land, one after the other; a dry run
 * takes no lock.
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
  /**
   * Write a change that breaks safety rules (the verdict says FORCED past them), or that cannot be
   * checked against them.
   */
  readonly force?: boolean;
}

/**
 * The spec an edit starts from: the file, valid; or, when it breaks only policy rules (a `:latest`
 * image, a placeholder of `rainbow init`, a query the PromQL parser refuses: spec-file/validate.ts
 * ValidateOptions), the file read without them, with its problems. Such an edit is written only
 * when its result is valid, that is when it removes every one of them (`set-image` replacing the
 * `:latest` image); else the file's problems are reported, as for any invalid file.
 */
function startingSpec(
  specFile: string,
): (LoadedSpec & { problems: readonly Problem[] }) | { problems: readonly Problem[] } {
  const loaded = readSpec(specFile);
  if (!('problems' in loaded)) return { ...loaded, problems: [] };
  const read = readSpecText(specFile);
  if (read.text === undefined) return loaded;
  const parsed = parseSpecText(read.text, specFile);
  if (parsed.problems.length > 0) return loaded;
  const { spec } = validateSpec(parsed.document, { policyRules: false });
  return spec === undefined ? loaded : { text: read.text, spec, problems: loaded.problems };
}

function editLocked(
  io: Io,
  specFile: string,
  change: (spec: RainbowSpec) => TransitionResult,
  hooks: WriteHooks,
  options: EditOptions,
): number {
  const loaded = startingSpec(specFile);
  if (!('spec' in loaded)) return reportProblems(io, loaded.problems);
  // A file that breaks policy rules: the edit must remove them all, or the file's problems are what to fix.
  const invalid = loaded.problems.length > 0;
  const result = change(loaded.spec);
  if ('refused' in result) return reportProblems(io, [result.refused]);
  if (invalid && result.edits.length === 0) return reportProblems(io, loaded.problems);
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
  if (spec === undefined && invalid) return reportProblems(io, loaded.problems);
  if (spec === undefined) {
    io.err(`${specFile}: the change would make the spec invalid; nothing written:`);
    for (const problem of problems) io.err(formatProblem(problem));
    return EXIT.invalid;
  }
  const force = options.force === true;
  const verdict = options.verdict === false ? undefined : editVerdict(specFile, spec);
  const refusal = verdict === undefined ? undefined : editRefusal(verdict);
  if (verdict !== undefined && refusal !== undefined && !force && options.dryRun !== true) {
    printEditVerdict(io, verdict, false);
    io.err(refusal === 'unsafe' ? CLI_MESSAGES.editRefused(specFile) : CLI_MESSAGES.editUnchecked(specFile));
    return EXIT.invalid;
  }
  if (options.dryRun === true) {
    for (const line of trafficTable(spec, useColor(process.stdout))) io.out(line);
    if (verdict !== undefined) printEditVerdict(io, verdict, force);
    io.err(CLI_MESSAGES.dryRun(specFile, DRY_RUN_VERDICT[`${refusal ?? 'safe'}${force ? '-forced' : ''}`]));
    return refusal !== undefined && !force ? EXIT.invalid : EXIT.ok;
  }
  if (writeSpecAtomically(specFile, loaded.text, text, hooks) === 'changed-on-disk') {
    io.err(`${specFile}: changed on disk since it was read; nothing written: run the command again`);
    return EXIT.invalid;
  }
  for (const line of trafficTable(spec, useColor(process.stdout))) io.out(line);
  if (verdict !== undefined) printEditVerdict(io, verdict, force);
  if (refusal === 'unsafe') io.err(CLI_MESSAGES.editForced);
  if (refusal === 'unchecked') io.err(CLI_MESSAGES.editForcedUnchecked);
  return EXIT.ok;
}

/** What a dry run says it would have done, by the refusal and `--force`. */
const DRY_RUN_VERDICT = {
  safe: 'safe',
  'safe-forced': 'safe',
  unsafe: 'refused',
  'unsafe-forced': 'forced',
  unchecked: 'unchecked',
  'unchecked-forced': 'forced-unchecked',
} as const;
