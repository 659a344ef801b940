import { relative, resolve } from 'node:path';
import { MESSAGES } from '../../spec/messages';
import { deployCalls, Plan, planChange } from '../../spec/plan';
import { formatProblem } from '../../spec/problem';
import { colorStackName, RainbowSpec } from '../../spec/types';
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
  for (const line of safetyLines('safety', plan, options.force === true)) io.out(line);
  if (options.force === true && previous.spec !== undefined) {
    for (const v of plan.violations.filter((x) => x.rule === 'removed-before-retired')) {
      const stack = colorStackName(previous.spec.app, v.color);
      io.out(`  left behind: ${MESSAGES.forcedRemoval(v.color, stack, destroyCommand(previous.source, specFile, stack))}`);
    }
  }
  if (plan.phases.length === 0) io.out('deploy: nothing to deploy');
  else {
    io.out('deploy phases:');
    plan.phases.forEach((p, i) => {
      const calls = deployCalls(p, loaded.spec);
      const stacks = calls.length > 1 ? `${calls.map((c) => c.join(' ')).join(', then ')} (one migration at a time)` : p.stacks.join(' ');
      io.out(`  ${i + 1}. ${p.title}: ${stacks}`);
    });
  }
  return { spec: loaded.spec, plan, allowed: broken === 0 || options.force === true };
}

/** `cdktf destroy <stack>` run with the previous spec, which still synthesizes the stack. */
function destroyCommand(source: string, specFile: string, stack: string): string {
  if (!source.startsWith('git:')) return `RAINBOW_SPEC=${source} cdktf destroy ${stack}`;
  return `git show ${source.slice(4)}:./${relative(process.cwd(), resolve(specFile))} > previous.yaml && RAINBOW_SPEC=previous.yaml cdktf destroy ${stack}`;
}

/** The safety verdict and one line per broken rule, the first line starting with `label`. */
function safetyLines(label: string, plan: Plan, force: boolean): string[] {
  const broken = plan.violations.length;
  const verdict = broken === 0 ? 'ok' : `${force ? 'FORCED past' : 'UNSAFE,'} ${broken} ${broken === 1 ? 'rule' : 'rules'} broken${force ? ' (--force)' : ''}`;
  return [`${label}: ${verdict}`, ...plan.violations.map((v) => `  [${v.rule}] ${v.message}`)];
}

/**
 * After an edit, on stderr: the safety verdict of the spec now in the file against the previous
 * one (git HEAD, as `plan` compares), so that an unsafe edit shows at once. It informs only: the
 * edit is made either way.
 */
export function printEditVerdict(io: Io, specFile: string, spec: RainbowSpec): void {
  const previous = previousSpec(specFile, undefined);
  if ('problems' in previous) {
    io.err(MESSAGES.verdictNotChecked(previous.problems.map(formatProblem).join('; ')));
    return;
  }
  const label = `safety against ${previous.source}${previous.spec === undefined ? ' (none there: a first deploy)' : ''}`;
  const plan = planChange(previous.spec, spec);
  for (const line of safetyLines(label, plan, false)) io.err(line);
  if (plan.violations.length > 0) io.err(MESSAGES.editUnsafe);
}

/** `rainbow plan [--from REF] [--force]`: exit 1 when unsafe. Loads no cdktf. */
export function planCommand(io: Io, specFile: string, options: PlanOptions): number {
  const result = computePlan(io, specFile, options);
  if (typeof result === 'number') return result;
  if (!result.allowed) io.err('plan: unsafe; fix the spec, or pass --force to override the rules named above');
  return result.allowed ? EXIT.ok : EXIT.invalid;
}
