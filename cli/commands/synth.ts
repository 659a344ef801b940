import { formatProblem, RainbowValidationError } from '../../model/problem';
import { loadSpec } from '../../spec-file/load';
import { EXIT, Io, reportProblems } from '../output';
import type { PlanOptions } from './plan';

/**
 * `rainbow synth`: validates, then writes `<out>/stacks/<stack>/cdk.tf.json` all or nothing.
 * Prints the stack names in deploy order on stdout, one a line. Refuses (exit 1, nothing
 * touched) an `<out>` that is not absent, empty or its own earlier output.
 */
export async function synthCommand(
  io: Io,
  specFile: string,
  outdir: string,
  safety: PlanOptions = {},
): Promise<number> {
  const { spec, problems } = loadSpec(specFile);
  if (spec === undefined) return reportProblems(io, problems);
  if (safety.from !== undefined) {
    // The plan goes to stderr: stdout stays the list of stacks. Its code loads only with --from.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { computePlan } = require('./plan') as typeof import('./plan');
    const planned = computePlan({ out: io.err, err: io.err }, specFile, safety);
    if (typeof planned === 'number') return planned;
    if (!planned.allowed) {
      io.err('synth: unsafe; nothing written. Fix the spec, or pass --force to override the rules named above');
      return EXIT.invalid;
    }
  }
  // cdktf and the providers load only here: validate and the other spec commands stay fast.
  const { synthesizeSpec } = await import('../../stacks/synthesize');
  const { withoutTokenCreationStacks } = await import('../../constructs/core');
  try {
    // Nothing reads the tokens' creation stacks in a synth that succeeds, and the output is the same.
    const result = withoutTokenCreationStacks(() =>
      synthesizeSpec(spec, outdir, { specFile }, (note) => io.err(formatProblem(note))),
    );
    for (const phase of result.phases) for (const stack of phase.stacks) io.out(stack);
    const order = result.phases.map((p) => `${p.title} (${p.stacks.join(', ')})`).join(', then ');
    io.err(`wrote ${result.stackNames.length} stacks to ${outdir}/stacks; deploy ${order}`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RainbowValidationError) return reportProblems(io, error.problems);
    throw error;
  }
}
