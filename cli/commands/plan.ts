import { Plan, planChange } from '../../spec/plan';
import { RainbowSpec } from '../../spec/types';
import { EXIT, Io, reportProblems } from '../output';
import { previousSpec } from '../previous-spec';
import { readSpec } from '../spec-file';

export interface PlanOptions {
  readonly from?: string;
  readonly force?: boolean;
}

export interface PlannedChange {
  readonly spec: RainbowSpec;
  readonly plan: Plan;
  /** True when the safety rules allow it, or `--force` overrides them. */
  readonly allowed: boolean;
}

/**
 * Compares the spec with the previous one and prints what happens, the safety verdict and the
 * deploy phases. Returns the plan, or an exit code when the specs could not be read.
 */
export function computePlan(io: Io, specFile: string, options: PlanOptions): PlannedChange | number {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  const previous = previousSpec(specFile, options.from);
  if ('problems' in previous) return reportProblems(io, previous.problems);
  const plan = planChange(previous.spec, loaded.spec);
  io.out(`plan: ${specFile} against ${previous.spec === undefined ? `${previous.source} (none there: a first deploy)` : previous.source}`);
  const width = Math.max(0, ...plan.changes.map((c) => c.name.length));
  for (const change of plan.changes) {
    const parts: string[] = [];
    if (change.kind === 'new') parts.push(`new${change.reasons.length > 0 ? ` (${change.reasons.join(', ')})` : ''}, weight ${loaded.spec.colors.find((c) => c.name === change.name)!.weight}`);
    if (change.kind === 'updated') parts.push(`rolling update (${change.reasons.join(', ')})`);
    if (change.kind === 'retired') parts.push('retired: its stack is deployed empty');
    if (change.kind === 'removed') parts.push('removed from the file');
    if (change.weight !== undefined) parts.push(`weight ${change.weight.from} → ${change.weight.to}`);
    if (parts.length === 0) parts.push('unchanged');
    io.out(`  ${change.name.padEnd(width)}  ${parts.join(', ')}`);
  }
  const broken = plan.violations.length;
  if (broken === 0) io.out('safety: ok');
  else io.out(`safety: ${options.force === true ? 'FORCED past' : 'UNSAFE,'} ${broken} ${broken === 1 ? 'rule' : 'rules'} broken${options.force === true ? ' (--force)' : ''}`);
  for (const v of plan.violations) io.out(`  [${v.rule}] ${v.message}`);
  if (plan.phases.length === 0) io.out('deploy: nothing to deploy');
  else {
    io.out('deploy phases:');
    plan.phases.forEach((p, i) => io.out(`  ${i + 1}. ${p.title}: ${p.stacks.join(' ')}`));
  }
  return { spec: loaded.spec, plan, allowed: broken === 0 || options.force === true };
}

/** `rainbow plan [--from REF] [--force]`: exit 1 when unsafe. Loads no cdktf. */
export function planCommand(io: Io, specFile: string, options: PlanOptions): number {
  const result = computePlan(io, specFile, options);
  if (typeof result === 'number') return result;
  if (!result.allowed) io.err('plan: unsafe; fix the spec, or pass --force to override the rules named above');
  return result.allowed ? EXIT.ok : EXIT.invalid;
}
