import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { expiryWarnings } from '../../model/expiry';
import { sameImageWarnings } from '../../model/images';
import { formatProblem, Problem } from '../../model/problem';
import { commandCheckSummaries } from '../../model/release';
import { SafetyRule } from '../../model/safety-rules';
import { colorStackName, RainbowSpec } from '../../model/types';
import { deployCalls } from '../../planning/phases';
import { Plan, planChange } from '../../planning/plan';
import { CLI_MESSAGES } from '../messages';
import { EXIT, Io, reportProblems } from '../output';
import { cdktfCommand } from '../../engine/cdktf-binary';
import { shellWord } from '../../engine/messages';
import { PreviousSpec, previousSpec } from '../../engine/previous-spec';
import { readSpec } from '../../engine/spec-store';
import { stateDirectory } from '../../stacks/local-state';
import { ansiOf, paint, STYLE } from '../table';

export interface PlanOptions {
  readonly from?: string;
  readonly force?: boolean;
  /**
   * The only rules this plan may go past, as `--force` would, and no other: a release's rollback
   * moves a color back by more than maxStepPercent at once, and nothing else.
   */
  readonly forceRules?: readonly SafetyRule[];
  /** ANSI colors in the printed plan (a terminal without NO_COLOR). */
  readonly color?: boolean;
  /** The time expiries are judged at, in milliseconds since the epoch (default: now). */
  readonly now?: number;
  /** The previous spec itself, instead of `from`: `rainbow release` plans each step against the one before. */
  readonly previous?: PreviousSpec;
}

export interface PlannedChange {
  readonly spec: RainbowSpec;
  readonly plan: Plan;
  /** True when the safety rules allow it, or `--force` overrides them. */
  readonly allowed: boolean;
}

/** A plan with what it was computed from, before anything is printed. */
interface ComputedPlan extends PlannedChange {
  readonly source: string;
  readonly previous?: RainbowSpec;
  /** The git object of the previous spec, when git gave it (PreviousSpec.object). */
  readonly object?: string;
}

/** Reads both specs and plans the change; reports the problems and returns 1 when either cannot be read. */
function planOf(io: Io, specFile: string, options: PlanOptions): ComputedPlan | number {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  const previous = options.previous ?? previousSpec(specFile, options.from);
  if ('problems' in previous) return reportProblems(io, previous.problems);
  const plan = planChange(previous.spec, loaded.spec);
  return {
    spec: loaded.spec,
    plan,
    allowed: plan.violations.every((v) => forced(options, v.rule)),
    source: previous.source,
    previous: previous.spec,
    object: previous.object,
  };
}

/** Whether the options go past a broken `rule`: `--force` goes past all, `forceRules` past those named. */
function forced(options: PlanOptions, rule: SafetyRule): boolean {
  return options.force === true || (options.forceRules ?? []).includes(rule);
}

/**
 * Compares the spec with the previous one and prints what happens, the safety verdict and the
 * deploy phases. Returns the plan, or an exit code when the specs could not be read.
 */
export function computePlan(io: Io, specFile: string, options: PlanOptions): PlannedChange | number {
  const planned = planOf(io, specFile, options);
  if (typeof planned === 'number') return planned;
  printPlan(io, specFile, planned, options);
  return { spec: planned.spec, plan: planned.plan, allowed: planned.allowed };
}

const KIND_STYLE: Record<string, string | undefined> = {
  new: STYLE.green,
  updated: STYLE.yellow,
  retired: STYLE.dim,
  removed: STYLE.red,
};

function printPlan(io: Io, specFile: string, planned: ComputedPlan, options: PlanOptions): void {
  const { plan, spec, previous, source } = planned;
  const color = options.color === true;
  io.out(`plan: ${specFile} against ${previous === undefined ? `${source} (none there: a first deploy)` : source}`);
  const width = Math.max(0, ...plan.changes.map((c) => c.name.length));
  for (const change of plan.changes) {
    const parts: string[] = [];
    if (change.kind === 'new')
      parts.push(
        `new${change.reasons.length > 0 ? ` (${change.reasons.join(', ')})` : ''}, weight ${spec.colors.find((c) => c.name === change.name)!.weight}`,
      );
    if (change.kind === 'updated') parts.push(`rolling update (${change.reasons.join(', ')})`);
    if (change.kind === 'retired') parts.push('retired: its stack is deployed empty');
    if (change.kind === 'removed') parts.push('removed from the file');
    if (change.weight !== undefined) parts.push(`weight ${change.weight.from} → ${change.weight.to}`);
    if (parts.length === 0) parts.push('unchanged');
    io.out(
      `  ${paint(color, ansiOf(change.name), change.name.padEnd(width))}  ${paint(color, KIND_STYLE[change.kind], parts.join(', '))}`,
    );
  }
  const force = plan.violations.length > 0 && plan.violations.every((v) => forced(options, v.rule));
  for (const line of safetyLines('safety', plan, force, color, options.force === true ? '--force' : 'rollback'))
    io.out(line);
  if (options.force === true && previous !== undefined) {
    for (const v of plan.violations.filter((x) => x.rule === 'removed-before-retired')) {
      const stack = colorStackName(previous.app, v.color);
      io.out(`  left behind: ${CLI_MESSAGES.forcedRemoval(v.color, stack, destroyCommand(planned, specFile, stack))}`);
    }
  }
  for (const w of expiryWarnings(spec, options.now ?? Date.now()))
    io.out(`${paint(color, STYLE.yellow, 'warning:')} ${w.message}`);
  for (const w of sameImageWarnings(spec)) io.out(`${paint(color, STYLE.yellow, 'warning:')} ${w.message}`);
  if (plan.phases.length === 0) io.out('deploy: nothing to deploy');
  else {
    io.out(paint(color, STYLE.bold, 'deploy phases:'));
    plan.phases.forEach((p, i) => {
      const calls = deployCalls(p, spec);
      const stacks =
        calls.length > 1
          ? `${calls.map((c) => c.join(' ')).join(', then ')} (one migration at a time)`
          : p.stacks.join(' ');
      io.out(`  ${i + 1}. ${paint(color, STYLE.bold, p.title)}: ${stacks}`);
    });
    const cloud = spec.backend.cloud;
    if (cloud !== undefined) io.out(CLI_MESSAGES.cloudWorkspaces(cloud.workspacePrefix));
  }
}

/**
 * The plan for pipelines (`plan --json`), a documented and stable shape (docs/workflows.md):
 * version 1; what was compared; the verdict (`ok`, `unsafe`, or `forced` past broken rules) and
 * the broken rules; every color's change with its weight before and after (null where it had
 * none); the deploy phases with the `cdktf deploy` calls of each, in order.
 */
function planJson(specFile: string, planned: ComputedPlan, force: boolean, now: number): Record<string, unknown> {
  const { plan, spec, previous, source } = planned;
  const weightIn = (s: RainbowSpec | undefined, name: string) => {
    const found = s?.colors.find((c) => c.name === name);
    return found === undefined ? null : found.state === 'retired' ? 0 : found.weight;
  };
  const broken = plan.violations.length;
  return {
    version: 1,
    spec: specFile,
    from: source,
    firstDeploy: previous === undefined,
    verdict: broken === 0 ? 'ok' : force ? 'forced' : 'unsafe',
    violations: plan.violations.map((v) => ({ rule: v.rule, color: v.color, message: v.message })),
    changes: plan.changes.map((c) => ({
      color: c.name,
      kind: c.kind,
      reasons: c.reasons,
      weight: { from: weightIn(previous, c.name), to: weightIn(spec, c.name) },
    })),
    phases: plan.phases.map((p) => ({ title: p.title, stacks: p.stacks, calls: deployCalls(p, spec) })),
    warnings: [
      ...expiryWarnings(spec, now).map((w) => ({
        kind: w.kind,
        color: w.color,
        expires: w.expires,
        message: w.message,
      })),
      ...sameImageWarnings(spec).map((w) => ({ kind: w.kind, image: w.image, colors: w.colors, message: w.message })),
    ],
  };
}

/**
 * `cdktf destroy <stack>` run with the previous spec, which still synthesizes the stack, as a line
 * to paste where rainbow ran (where cdktf.json is): `npx cdktf` when cdktf is the project's own
 * install (engine/cdktf-binary.ts), every path quoted for the shell. Local state lives in
 * `rainbow-state/` beside the file RAINBOW_SPEC names (stacks/local-state.ts), so the previous
 * spec is read from a file beside the spec: git's copy written there (from the commit it was
 * read from, which stays put when HEAD moves), a `--from` file in another folder copied there,
 * and either removed afterwards. A `--from` file whose state folder is the spec's is used as it is.
 */
function destroyCommand(planned: ComputedPlan, specFile: string, stack: string): string {
  const cdktf = cdktfCommand(process.cwd(), process.env);
  const spec = resolve(specFile);
  const shown = (path: string) => shellWord(relative(process.cwd(), path) || '.');
  const destroy = (file: string) => `RAINBOW_SPEC=${shown(file)} ${cdktf} destroy ${stack}`;
  const { source, object } = planned;
  const fromGit = object !== undefined || source.startsWith('git:');
  if (!fromGit && stateDirectory(source, '.') === stateDirectory(spec, '.')) return destroy(resolve(source));
  const extension = extname(spec);
  const copy = join(dirname(spec), `.${basename(spec, extension)}.previous${extension}`);
  const folder = relative(process.cwd(), dirname(spec));
  const write = fromGit
    ? `git ${folder === '' ? '' : `-C ${shellWord(folder)} `}show ${shellWord(object ?? `${source.slice(4).split(' ')[0]}:./${basename(spec)}`)} > ${shown(copy)}`
    : `cp ${shown(resolve(source))} ${shown(copy)}`;
  return `${write} && ${destroy(copy)}; rm -f ${shown(copy)}`;
}

/** The safety verdict and one line per broken rule, the first line starting with `label`. */
function safetyLines(label: string, plan: Plan, force: boolean, color = false, why = '--force'): string[] {
  const broken = plan.violations.length;
  const verdict =
    broken === 0
      ? 'ok'
      : `${force ? 'FORCED past' : 'UNSAFE,'} ${broken} ${broken === 1 ? 'rule' : 'rules'} broken${force ? ` (${why})` : ''}`;
  const style = broken === 0 ? STYLE.green : force ? STYLE.yellow : STYLE.red;
  return [
    `${label}: ${paint(color, style, verdict)}`,
    ...plan.violations.map((v) => `  ${paint(color, style, `[${v.rule}]`)} ${v.message}`),
  ];
}

/**
 * The safety verdict of an edit: the plan from the previous spec to the edited one; `notChecked`
 * and why, outside any git repository (nothing to compare with); or `unreadable` with the problems,
 * when there is a previous spec to compare with that cannot be read.
 */
export type EditVerdict =
  | { readonly label: string; readonly plan: Plan }
  | { readonly notChecked: string }
  | { readonly unreadable: readonly Problem[] };

/**
 * The safety verdict of `spec`, the result of an edit, against the previous spec (git HEAD, as
 * `plan` compares), so that an edit that `plan` and `apply` would refuse is refused at once. Only
 * a spec in no git repository goes unchecked; any other failure (git missing, an unsafe
 * repository, a spec at HEAD that does not validate, a rename git does not see) is one that
 * `plan` stops on too.
 */
export function editVerdict(specFile: string, spec: RainbowSpec): EditVerdict {
  const previous = previousSpec(specFile, undefined);
  if ('problems' in previous) {
    if (previous.notInRepository === true) return { notChecked: previous.problems.map(formatProblem).join('; ') };
    return { unreadable: previous.problems };
  }
  const label = `safety against ${previous.source}${previous.spec === undefined ? ' (none there: a first deploy)' : ''}`;
  return { label, plan: planChange(previous.spec, spec) };
}

/**
 * Why an edit is refused without `--force`: `unsafe`, it breaks a safety rule; `unchecked`, the
 * previous spec to check it against cannot be read. Undefined when it may be written (it is safe,
 * or there is nothing to compare with).
 */
export function editRefusal(verdict: EditVerdict): 'unsafe' | 'unchecked' | undefined {
  if ('unreadable' in verdict) return 'unchecked';
  return 'plan' in verdict && verdict.plan.violations.length > 0 ? 'unsafe' : undefined;
}

/**
 * The verdict of an edit on stderr: ok, UNSAFE (or FORCED past, with `--force`) and one line per
 * broken rule; or why it was not checked, with one line per problem.
 */
export function printEditVerdict(io: Io, verdict: EditVerdict, force: boolean): void {
  if ('notChecked' in verdict) {
    io.err(CLI_MESSAGES.verdictNotChecked(verdict.notChecked));
    return;
  }
  if ('unreadable' in verdict) {
    io.err(CLI_MESSAGES.verdictUnreadable);
    for (const problem of verdict.unreadable) io.err(formatProblem(problem));
    return;
  }
  for (const line of safetyLines(verdict.label, verdict.plan, force)) io.err(line);
}

/** `rainbow plan [--from REF] [--force] [--json]`: exit 1 when unsafe. Loads no cdktf. */
export function planCommand(io: Io, specFile: string, options: PlanOptions & { readonly json?: boolean }): number {
  const planned = planOf(io, specFile, options);
  if (typeof planned === 'number') return planned;
  if (options.json === true)
    io.out(JSON.stringify(planJson(specFile, planned, options.force === true, options.now ?? Date.now()), null, 2));
  else {
    printPlan(io, specFile, planned, options);
    // What a release of this spec would run on this machine, for the reviewer of the change.
    const commands = commandCheckSummaries(planned.spec.progression.checks);
    if (commands.length > 0) io.out(CLI_MESSAGES.commandChecks(commands));
  }
  if (!planned.allowed) io.err('plan: unsafe; fix the spec, or pass --force to override the rules named above');
  return planned.allowed ? EXIT.ok : EXIT.invalid;
}
