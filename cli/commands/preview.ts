import { FileWriteError, replaceFileAtomically } from '../../engine/files';
import { formatPercent, maxLoadFactorOf } from '../../planning/capacity';
import { systemReason } from '../../spec-file/load';
import { planChange, simulatePlan } from '../../planning/plan';
import { ColorStep, Simulation, WorkloadUnit } from '../../planning/simulate';
import { escapeInvisible } from '../../model/text';
import { Ec2RefreshPreferences, resolveRollingUpdate } from '../../model/rolling';
import { Platform, RainbowSpec } from '../../model/types';
import { EXIT, Io, reportProblems } from '../output';
import { previousSpec } from '../../engine/previous-spec';
import { clock, duration, Preview, previewSvg, stepDuration, unitCount } from '../preview-svg';
import { readSpec } from '../../engine/spec-store';
import { ansiOf, paint, STYLE } from '../table';
import { CLI_MESSAGES } from '../messages';

export interface PreviewOptions {
  readonly from?: string;
  readonly json?: boolean;
  /** Also draw the preview into this SVG file. */
  readonly svg?: string;
  /** ANSI colors in the printed timeline (a terminal without NO_COLOR). */
  readonly color?: boolean;
}

/**
 * `rainbow preview [--from REF] [--json] [--svg FILE]`: the deploy of the change, step by step,
 * as a timeline, JSON, or a picture. It only shows: the exit code is 0 whatever the safety
 * verdict (plan and apply refuse an unsafe change), 1 when a spec cannot be read or the picture
 * cannot be written. Loads no cdktf.
 */
export function previewCommand(io: Io, specFile: string, options: PreviewOptions): number {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  const previous = previousSpec(specFile, options.from);
  if ('problems' in previous) return reportProblems(io, previous.problems);
  const plan = planChange(previous.spec, loaded.spec);
  const preview: Preview = {
    spec: loaded.spec,
    specFile,
    from: previous.source,
    previous: previous.spec,
    plan,
    simulation: simulatePlan(previous.spec, loaded.spec, plan),
  };
  if (options.svg !== undefined) {
    const failure = writeFileAtomically(options.svg, previewSvg(preview));
    if (failure !== undefined) {
      io.err(`${options.svg}: ${CLI_MESSAGES.svgUnwritable(failure)}`);
      return EXIT.invalid;
    }
  }
  if (options.json === true) io.out(JSON.stringify(previewJson(preview), null, 2));
  else for (const line of previewLines(preview, options.color === true)) io.out(line);
  return EXIT.ok;
}

/**
 * Writes beside the target and renames over it, every byte or nothing: a reader never sees half a
 * picture, and a full disk leaves the old one. Returns why it failed, if it did.
 */
function writeFileAtomically(file: string, text: string): string | undefined {
  try {
    replaceFileAtomically(file, Buffer.from(text, 'utf8'));
    return undefined;
  } catch (error) {
    return error instanceof FileWriteError ? error.reason : systemReason(error as NodeJS.ErrnoException);
  }
}

/**
 * The policy and how the platform carries it out; on ec2, one more line for each color's instance
 * refresh, with the preferences the engine starts it with (docs/ec2.md, "What the refresh starts with").
 */
export function policyLines(spec: RainbowSpec, simulation: Simulation): string[] {
  const { maxSurge, maxUnavailable } = resolveRollingUpdate(spec.rollingUpdate);
  const policy = `rolling update: maxSurge ${maxSurge.toString()}, maxUnavailable ${maxUnavailable.toString()}`;
  if (spec.platform === Platform.DNS)
    return ["rolling update: none on dns: each color is an endpoint that exists, and only the router's weights change"];
  if (spec.platform === Platform.EC2) {
    return [
      `${policy}, as an instance refresh of each color's Auto Scaling group (healthy percents that give the same instance counts: surge rounded up, unavailable down)`,
      ...simulation.colors.flatMap((c) => {
        const color = spec.colors.find((s) => s.name === c.color);
        return c.refresh === undefined || color === undefined
          ? []
          : [refreshLine(simulation.unit, c.color, color.replicas, c.refresh)];
      }),
    ];
  }
  const rounding =
    spec.platform === Platform.KUBERNETES
      ? 'Kubernetes rounds a percent surge up and a percent unavailable down'
      : 'ECS gets the percents that give the same task counts: surge rounded up, unavailable down';
  return [`${policy} (${rounding})`];
}

/** One color's instance refresh: its healthy percents, its warm-up, and what rolls it back. */
function refreshLine(unit: WorkloadUnit, color: string, replicas: number, refresh: Ec2RefreshPreferences): string {
  const alarms = refresh.alarms === undefined ? '' : ` or alarm ${refresh.alarms.map(escapeInvisible).join(', ')}`;
  return (
    `instance refresh of ${escapeInvisible(color)} (${unitCount(unit, replicas)}): ` +
    `minHealthyPercentage ${refresh.minHealthyPercentage}, maxHealthyPercentage ${refresh.maxHealthyPercentage}, ` +
    `warm-up ${refresh.instanceWarmupSeconds} s, no checkpoints, auto rollback on a failed refresh${alarms}`
  );
}

/** What the estimate rests on, and that it is one. */
export function estimateLine(simulation: Simulation): string {
  return `estimate: about ${stepDuration(simulation)} (${simulation.estimate.basis}); ${duration(simulation.totalSeconds)} in all, not counting migrations and the router's own apply: estimated, not measured`;
}

/** What a color's cells show. */
function perColorLine(simulation: Simulation): string {
  if (simulation.platform === Platform.DNS)
    return 'per color: its share of the traffic (an endpoint has no replicas that rainbow counts: -)';
  return `per color: ${simulation.unit.many} ready of replicas (+ starting above them; how many ready ones are new while both versions run), and its share of the traffic`;
}

/**
 * A color's pods (tasks, instances) in a cell: `3/4` ready of replicas, `+1` starting above them; `-` when it has none.
 */
function podsCell(c: ColorStep): string {
  if (c.desired === 0 && c.running === 0) return '-';
  // While both versions run, how many of the ready pods are new.
  const mixed = c.old > 0 && c.new > 0 ? ` ${c.ready - c.old} new` : '';
  return `${c.ready}/${c.desired}${c.surge > 0 ? ` +${c.surge}` : ''}${mixed}`;
}

/** Steps printed at each end of a long phase. */
const SHOWN_STEPS = 8;

/** The timeline as text: one row a step, one column a color (pods, traffic). */
export function previewLines(preview: Preview, color: boolean): string[] {
  const { simulation, plan } = preview;
  const names = simulation.colors.map((c) => c.color);
  const rows: Array<{ label: string; cells: ColorStep[]; title?: string }> = [
    { label: 'before', cells: simulation.before },
  ];
  const clockWidth = Math.max(5, clock(simulation.totalSeconds).length);
  simulation.phases.forEach((phase, p) => {
    rows.push({ label: '', cells: [], title: `${p + 1}. ${phase.title}: ${phase.stacks.join(' ')}` });
    phase.steps.forEach((step, s) => {
      // A long rollout (a pod at a time of many) keeps its first and last steps; --json has them all.
      const hidden = phase.steps.length - 2 * SHOWN_STEPS;
      if (hidden > 1 && s >= SHOWN_STEPS && s < phase.steps.length - SHOWN_STEPS) {
        if (s === SHOWN_STEPS)
          rows.push({ label: '', cells: [], title: `  ... ${hidden} more steps (preview --json lists every one)` });
        return;
      }
      rows.push({ label: `  ${clock(step.startSeconds).padStart(clockWidth)}  step ${s + 1}`, cells: step.colors });
    });
  });
  rows.push({ label: 'after', cells: simulation.after });

  const pods = (c: ColorStep) => podsCell(c);
  const traffic = (c: ColorStep) => `${c.trafficPercent}%`;
  const podWidth = Math.max(4, ...rows.flatMap((r) => r.cells.map((c) => pods(c).length)));
  const labelWidth = Math.max(6, ...rows.map((r) => r.label.length));
  const cellWidth = podWidth + 6;
  const columns = names.map((n) => Math.max(cellWidth, escapeInvisible(n).length));
  const cell = (c: ColorStep, i: number) => {
    const text = `${pods(c).padEnd(podWidth)} ${traffic(c).padStart(5)}`.padEnd(columns[i]);
    const style = c.ready < c.desired ? STYLE.yellow : c.desired === 0 && c.running === 0 ? STYLE.dim : undefined;
    return paint(color, style, text);
  };

  const lines = [
    `preview: ${preview.specFile} against ${preview.previous === undefined ? `${preview.from} (none there: a first deploy)` : preview.from}`,
    ...policyLines(preview.spec, simulation),
    estimateLine(simulation),
    perColorLine(simulation),
    `${' '.repeat(labelWidth)}  ${names.map((n, i) => paint(color, ansiOf(n) ?? STYLE.bold, escapeInvisible(n).padEnd(columns[i]))).join('  ')}`.trimEnd(),
  ];
  for (const row of rows) {
    if (row.title !== undefined)
      lines.push(row.title.startsWith(' ') ? paint(color, STYLE.dim, row.title) : paint(color, STYLE.bold, row.title));
    else lines.push(`${row.label.padEnd(labelWidth)}  ${row.cells.map(cell).join('  ')}`.trimEnd());
  }
  if (simulation.phases.length === 0) lines.push('deploy: nothing to deploy');
  const lowest = simulation.colors
    .filter((c) => c.lowest !== undefined)
    .map(
      (c) =>
        `${paint(color, ansiOf(c.color), escapeInvisible(c.color))} ${formatPercent(c.lowest!.capacityPercent)}% (${c.lowest!.ready} of ${unitCount(simulation.unit, c.lowest!.desired)}, phase ${c.lowest!.phase} step ${c.lowest!.step})`,
    );
  // On dns the under-capacity rule does not apply: an endpoint scales on its own, unseen (planning/capacity.ts).
  if (lowest.length > 0 && simulation.platform !== Platform.DNS)
    lines.push(
      `lowest share of the serving capacity while it gets traffic (limit: ${maxLoadFactorOf(preview.previous, preview.spec)} × that share): ${lowest.join(', ')}`,
    );
  const broken = plan.violations.length;
  const style = broken === 0 ? STYLE.green : STYLE.red;
  lines.push(
    `safety: ${paint(color, style, broken === 0 ? 'ok' : `UNSAFE, ${broken} ${broken === 1 ? 'rule' : 'rules'} broken: plan and apply refuse this change`)}`,
  );
  for (const v of plan.violations) lines.push(`  ${paint(color, style, `[${v.rule}]`)} ${v.message}`);
  return lines;
}

const stepJson = (c: ColorStep) => ({
  color: c.color,
  replicas: c.desired,
  old: c.old,
  new: c.new,
  ready: c.ready,
  running: c.running,
  surge: c.surge,
  unavailable: c.unavailable,
  trafficPercent: c.trafficPercent,
  capacityPercent: Math.round(c.capacityPercent * 10) / 10,
});

/** The preview for machines (`preview --json`), documented in docs/workflows.md: version 1. */
export function previewJson(preview: Preview): Record<string, unknown> {
  const { simulation, plan, spec } = preview;
  const { maxSurge, maxUnavailable } = resolveRollingUpdate(spec.rollingUpdate);
  return {
    version: 1,
    spec: preview.specFile,
    from: preview.from,
    firstDeploy: preview.previous === undefined,
    platform: spec.platform,
    unit: simulation.unit,
    rollingUpdate: {
      maxSurge: maxSurge.toString(),
      maxUnavailable: maxUnavailable.toString(),
    },
    maxLoadFactor: maxLoadFactorOf(preview.previous, spec),
    estimate: {
      stepSeconds: simulation.estimate.stepSeconds,
      createSeconds: simulation.estimate.createSeconds,
      removeSeconds: simulation.estimate.removeSeconds,
      basis: simulation.estimate.basis,
      totalSeconds: simulation.totalSeconds,
      note: "estimated from the spec, not measured; migrations and the router's own apply are not counted",
    },
    verdict: plan.violations.length === 0 ? 'ok' : 'unsafe',
    violations: plan.violations.map((v) => ({ rule: v.rule, color: v.color, message: v.message })),
    colors: simulation.colors.map((c) => ({
      color: c.color,
      change: c.change,
      rollout: c.rollout,
      maxSurgePods: c.maxSurgePods ?? null,
      maxUnavailablePods: c.maxUnavailablePods ?? null,
      refresh: c.refresh ?? null,
      lowest:
        c.lowest === undefined
          ? null
          : {
              capacityPercent: Math.round(c.lowest.capacityPercent * 10) / 10,
              ready: c.lowest.ready,
              replicas: c.lowest.desired,
              phase: c.lowest.phase,
              step: c.lowest.step,
            },
    })),
    before: simulation.before.map(stepJson),
    phases: simulation.phases.map((p) => ({
      title: p.title,
      stacks: p.stacks,
      startSeconds: p.startSeconds,
      endSeconds: p.endSeconds,
      steps: p.steps.map((s, i) => ({
        step: i + 1,
        startSeconds: s.startSeconds,
        seconds: s.seconds,
        colors: s.colors.map(stepJson),
      })),
    })),
    after: simulation.after.map(stepJson),
  };
}
