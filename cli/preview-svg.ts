import { resolveRollingUpdate } from '../model/rolling';
import { escapeInvisible } from '../model/text';
import { Platform, RainbowSpec } from '../model/types';
import { formatPercent, maxLoadFactorOf, underCapacityTest } from '../planning/capacity';
import type { Plan } from '../planning/plan';
import { ColorStep, Simulation, WorkloadUnit } from '../planning/simulate';

/** What a preview shows: the change, its plan and its simulated deploy. */
export interface Preview {
  readonly spec: RainbowSpec;
  readonly specFile: string;
  readonly from: string;
  readonly previous?: RainbowSpec;
  readonly plan: Plan;
  readonly simulation: Simulation;
}

/** Hues for the usual color names, dark enough on white; other names take the palette in turn. */
const HUES: Record<string, string> = {
  red: '#d62728',
  orange: '#f07f0e',
  yellow: '#d4a600',
  green: '#2ca02c',
  blue: '#1f77b4',
  indigo: '#4b3c9e',
  violet: '#9b4dca',
  purple: '#7b2d8b',
  magenta: '#c2185b',
  cyan: '#0fa5b5',
  teal: '#00897b',
  pink: '#d6589b',
  brown: '#8c564b',
  gray: '#6f6f6f',
  grey: '#6f6f6f',
  black: '#333333',
};
const PALETTE = ['#1f77b4', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#17becf', '#bcbd22'];

const WIDTH = 960;
const LEFT = 132;
const RIGHT = 24;
const PHASE_BAR = 26;
const LANE = 84;
const GAP = 24;
const LANE_PAD = 8;
const MIN_ALONE = 64;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

const escapeXml = (text: string) =>
  escapeInvisible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (value: number) => String(Math.round(value * 10) / 10);

interface Slot {
  readonly colors: ColorStep[];
  /** 0 for before, the phase's number, or phases + 1 for after. */
  readonly phase: number;
  readonly label?: string;
  readonly startSeconds?: number;
}

/** `1:05`, `12:00`, `1:02:03`: minutes and seconds from the start of the deploy. */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * The preview drawn: time across (one column a step, before and after at the ends), one lane a
 * color. In each lane, a band for the color's share of the serving capacity and a line for its
 * share of the traffic, both 0 to 100%; the deploy phases marked across the lanes; the lowest
 * capacity share of each color while it gets traffic labelled; a step where a color's traffic is
 * beyond maxLoadFactor times its capacity share outlined in red. Deterministic: the same preview
 * gives the same bytes, so a committed picture can be checked.
 */
export function previewSvg(preview: Preview): string {
  const { simulation } = preview;
  const { unit } = simulation;
  const factor = maxLoadFactorOf(preview.previous, preview.spec);
  // The rule's own test: the steps of the deploy, and after it, where it would refuse the change.
  const breaks = underCapacityTest(simulation, factor);
  const slots: Slot[] = [
    { colors: simulation.before, phase: 0, label: 'before' },
    ...simulation.phases.flatMap((phase, p) =>
      phase.steps.map((step): Slot => ({ colors: step.colors, phase: p + 1, startSeconds: step.startSeconds })),
    ),
    { colors: simulation.after, phase: simulation.phases.length + 1, label: 'after' },
  ];
  const estimate = wrap(
    `ESTIMATE, not a measurement: about ${stepDuration(simulation)}, ${duration(simulation.totalSeconds)} in all; a step is ${simulation.estimate.basis}`,
  );
  // Below the title and its lines: the estimate, then the policy and the verdict.
  const TOP = 46 + 18 * (estimate.length + 1) - 4;
  const names = simulation.colors.map((c) => c.color);
  const plotWidth = WIDTH - LEFT - RIGHT;
  // Equal columns; when they get narrow, a phase of one step and the before and after columns keep
  // MIN_ALONE pixels, so that their titles and numbers stay readable, and the long phases share the rest.
  const alone = slots.map(
    (s) =>
      s.phase === 0 || s.phase === simulation.phases.length + 1 || simulation.phases[s.phase - 1].steps.length === 1,
  );
  const even = plotWidth / slots.length;
  const aloneCount = alone.filter(Boolean).length;
  const widths =
    even >= MIN_ALONE || aloneCount === slots.length
      ? slots.map(() => even)
      : alone.map((a) => (a ? MIN_ALONE : (plotWidth - MIN_ALONE * aloneCount) / (slots.length - aloneCount)));
  const starts = widths.reduce<number[]>((acc, w) => [...acc, acc[acc.length - 1] + w], [LEFT]);
  const x = (i: number) => starts[i];
  const width = (i: number) => widths[i];
  const span = (first: number, last: number) => x(last + 1) - x(first);
  const lanesTop = TOP + PHASE_BAR + 6;
  const lanesBottom = lanesTop + names.length * (LANE + GAP) - GAP;
  const height = lanesBottom + 112;
  const hue = (name: string, i: number) => (Object.hasOwn(HUES, name) ? HUES[name] : PALETTE[i % PALETTE.length]);
  const out: string[] = [];
  const text = (tx: number, ty: number, body: string, attrs = '') =>
    out.push(`<text x="${n(tx)}" y="${n(ty)}"${attrs}>${escapeXml(body)}</text>`);

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${n(height)}" viewBox="0 0 ${WIDTH} ${n(height)}" font-family="${FONT}" font-size="12" fill="#222">`,
  );
  out.push(
    `<title>${escapeXml(`Preview of the deploy of ${preview.specFile}: each color's serving capacity and traffic share, step by step (estimated times)`)}</title>`,
  );
  out.push(`<rect width="${WIDTH}" height="${n(height)}" fill="#ffffff"/>`);
  out.push(
    '<defs><pattern id="starting" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="6" fill="#9a9a9a" fill-opacity="0.55"/></pattern></defs>',
  );

  const firstDeploy = preview.previous === undefined;
  text(
    16,
    26,
    fit(
      `${preview.spec.app}: deploying ${preview.specFile} after ${firstDeploy ? 'nothing (a first deploy)' : preview.from}`,
      WIDTH - 32,
      9.6,
    ),
    ' font-size="16" font-weight="bold"',
  );
  const broken = preview.plan.violations.length;
  const header = [
    ...estimate.map((line) => ({ line, fill: '#555' })),
    {
      line: `${policyHeader(preview.spec)}, maxLoadFactor ${factor}; safety: ${broken === 0 ? 'ok' : `UNSAFE, ${broken} ${broken === 1 ? 'rule' : 'rules'} broken`}`,
      fill: broken === 0 ? '#555' : '#c62828',
    },
  ];
  header.forEach((h, i) => text(16, 46 + 18 * i, h.line, ` font-size="12" fill="${h.fill}"`));

  // Phases: a tinted header over their columns, and a dashed line where each starts.
  const boundaries: number[] = [];
  const phaseTitles = ['before', ...simulation.phases.map((p, i) => `${i + 1}. ${p.title}`), 'after'];
  for (let phase = 0; phase < phaseTitles.length; phase++) {
    const first = slots.findIndex((s) => s.phase === phase);
    if (first < 0) continue;
    const last = slots.length - 1 - [...slots].reverse().findIndex((s) => s.phase === phase);
    const shade = phase === 0 || phase === phaseTitles.length - 1 ? '#f1f1f1' : phase % 2 === 1 ? '#e4ecf7' : '#eef3fa';
    out.push(
      `<rect x="${n(x(first))}" y="${TOP}" width="${n(span(first, last))}" height="${PHASE_BAR}" fill="${shade}"/>`,
    );
    const title = fit(phaseTitles[phase], span(first, last) - 6);
    text(
      x(first) + span(first, last) / 2,
      TOP + 17,
      title,
      ' text-anchor="middle" font-size="12" font-weight="bold" fill="#334"',
    );
    if (phase > 0) boundaries.push(x(first));
  }

  names.forEach((name, i) => {
    const top = lanesTop + i * (LANE + GAP);
    const base = top + LANE - LANE_PAD;
    const color = hue(name, i);
    const cells = slots.map((s) => s.colors.find((c) => c.color === name)!);
    // Pods starting above a full share reach past 100%: the lane grows to show them.
    const top100 = Math.max(100, ...cells.map((c) => c.capacityPercent + startingPercent(c)));
    const y = (percent: number) => base - (Math.max(0, percent) / top100) * (LANE - 2 * LANE_PAD);
    out.push(
      `<rect x="${LEFT}" y="${n(top)}" width="${n(plotWidth)}" height="${LANE}" fill="#fafafa" stroke="#d0d0d0"/>`,
    );
    for (const p of [50, 100])
      out.push(`<line x1="${LEFT}" y1="${n(y(p))}" x2="${n(LEFT + plotWidth)}" y2="${n(y(p))}" stroke="#e2e2e2"/>`);
    text(LEFT - 6, y(100) + 4, '100%', ' text-anchor="end" font-size="10" fill="#777"');
    text(LEFT - 6, y(0) + 4, '0', ' text-anchor="end" font-size="10" fill="#777"');
    text(12, top + LANE / 2 - 2, fit(name, LEFT - 52), ` font-size="14" font-weight="bold" fill="${color}"`);
    const summary = simulation.colors[i];
    text(
      12,
      top + LANE / 2 + 14,
      summary.rollout === 'none'
        ? summary.change
        : summary.rollout === 'rolling update'
          ? unit.rollout
          : summary.rollout,
      ' font-size="10" fill="#666"',
    );
    // ec2: the healthy percents of the color's own refresh, which depend on its instance count.
    if (summary.refresh !== undefined)
      text(
        12,
        top + LANE / 2 + 28,
        `healthy ${summary.refresh.minHealthyPercentage}-${summary.refresh.maxHealthyPercentage}%`,
        ' font-size="10" fill="#666"',
      );

    // Over capacity: the steps where its traffic is beyond maxLoadFactor times its capacity share.
    cells.forEach((c, s) => {
      if (s > 0 && breaks(c)) {
        out.push(
          `<rect x="${n(x(s) + 1)}" y="${n(top + 1)}" width="${n(width(s) - 2)}" height="${LANE - 2}" fill="#fdecea" stroke="#c62828" stroke-width="1.5"/>`,
        );
      }
    });
    // Pods starting above what serves, hatched on top of the capacity band.
    cells.forEach((c, s) => {
      const starting = startingPercent(c);
      if (starting > 0)
        out.push(
          `<rect x="${n(x(s))}" y="${n(y(c.capacityPercent + starting))}" width="${n(width(s))}" height="${n(y(c.capacityPercent) - y(c.capacityPercent + starting))}" fill="url(#starting)"/>`,
        );
    });
    // The band: pods of the version after the change (solid) under those of the version it replaces (pale).
    out.push(
      `<path d="${stepPath(
        cells.map((c) => y(c.capacityPercent)),
        x,
        base,
      )}" fill="${color}" fill-opacity="0.16" stroke="${color}" stroke-opacity="0.6"/>`,
    );
    out.push(
      `<path d="${stepPath(
        cells.map((c) => y(newPercent(c))),
        x,
        base,
      )}" fill="${color}" fill-opacity="0.32"/>`,
    );
    out.push(
      `<path d="${stepLine(
        cells.map((c) => y(c.trafficPercent)),
        x,
      )}" fill="none" stroke="${color}" stroke-width="3" stroke-linejoin="round"/>`,
    );
    // The traffic where it starts and wherever it changes, above its line (below it at the top).
    cells.forEach((c, s) => {
      const was = s === 0 ? undefined : cells[s - 1].trafficPercent;
      if (was === c.trafficPercent || (c.trafficPercent === 0 && !(was !== undefined && was > 0))) return;
      const ty = y(c.trafficPercent);
      text(
        x(s) + 4,
        ty - 5 > top + 10 ? ty - 5 : ty + 13,
        `${c.trafficPercent}% traffic`,
        ` font-size="10" font-weight="bold" fill="${color}"`,
      );
    });
    // Pods under the lane, a column each.
    cells.forEach((c, s) => {
      if (width(s) >= 7 * counts(c).length)
        text(x(s) + width(s) / 2, top + LANE + 12, counts(c), ' text-anchor="middle" font-size="10" fill="#555"');
    });
    const lowest = summary.lowest;
    // On dns the under-capacity rule does not apply: an endpoint scales on its own, unseen (planning/capacity.ts).
    if (lowest !== undefined && simulation.platform !== Platform.DNS) {
      const at = slots.findIndex((s) => s.phase === lowest.phase) + lowest.step - 1;
      const cx = x(at) + width(at) / 2;
      const cy = y(lowest.capacityPercent);
      out.push(
        `<path d="M${n(cx - 5)},${n(cy - 9)} L${n(cx + 5)},${n(cy - 9)} L${n(cx)},${n(cy - 2)} Z" fill="#222"/>`,
      );
      const label = `lowest ${formatPercent(lowest.capacityPercent)}% (${lowest.ready} of ${unitCount(unit, lowest.desired)})`;
      const anchor = cx > LEFT + plotWidth - 170 ? ' text-anchor="end"' : '';
      // Halfway down the band when it is tall enough, clear of the traffic's label by the line; else above it.
      text(
        anchor === '' ? cx + 8 : cx - 8,
        base - cy >= 24 ? (cy + base) / 2 + 4 : Math.max(top + 13, cy - 6),
        label,
        `${anchor} font-size="11" font-weight="bold" fill="#222"`,
      );
    }
  });

  // Phase boundaries on top of the lanes, so that they cross the bands.
  for (const bx of boundaries)
    out.push(
      `<line x1="${n(bx)}" y1="${TOP}" x2="${n(bx)}" y2="${n(lanesBottom + 6)}" stroke="#44546a" stroke-opacity="0.7" stroke-width="1.2" stroke-dasharray="5 3"/>`,
    );

  // Time: the estimated clock where each phase starts, and at the end.
  const axis = lanesBottom + 30;
  const marks = simulation.phases.map((phase, p) => ({
    at: slots.findIndex((s) => s.phase === p + 1),
    seconds: phase.startSeconds,
  }));
  if (simulation.phases.length > 0) marks.push({ at: slots.length - 1, seconds: simulation.totalSeconds });
  // A phase that takes no time (the router's) would repeat the clock of the next mark: it is said once.
  marks.forEach((mark, i) => {
    if (i > 0 && mark.seconds === marks[i - 1].seconds) return;
    text(x(mark.at), axis, clock(mark.seconds), ' text-anchor="middle" font-size="11" fill="#444"');
  });
  text(LEFT - 6, axis, 'est. time', ' text-anchor="end" font-size="11" fill="#444"');

  const legend = axis + 26;
  const trafficKey = () => {
    out.push(
      `<line x1="${LEFT}" y1="${legend + 14}" x2="${LEFT + 22}" y2="${legend + 14}" stroke="#777" stroke-width="3"/>`,
    );
    text(LEFT + 28, legend + 18, 'traffic share', ' font-size="11"');
  };
  // On dns nothing rolls and no capacity is known: the traffic is all there is to read.
  if (simulation.platform === Platform.DNS) {
    trafficKey();
    out.push('</svg>');
    return `${out.join('\n')}\n`;
  }
  out.push(`<rect x="${LEFT}" y="${legend - 10}" width="11" height="12" fill="#777" fill-opacity="0.48"/>`);
  out.push(`<rect x="${LEFT + 11}" y="${legend - 10}" width="11" height="12" fill="#777" fill-opacity="0.16"/>`);
  out.push(
    `<rect x="${LEFT}" y="${legend - 10}" width="22" height="12" fill="none" stroke="#777" stroke-opacity="0.6"/>`,
  );
  text(
    LEFT + 28,
    legend,
    `serving capacity, new ${unit.many} solid, old pale: ready ${unit.many} as a share of the capacity of the colors that get traffic`,
    ' font-size="11"',
  );
  trafficKey();
  out.push(`<rect x="${LEFT + 130}" y="${legend + 8}" width="22" height="12" fill="url(#starting)" stroke="#bbb"/>`);
  const starting = `${unit.many} starting`;
  text(LEFT + 158, legend + 18, starting, ' font-size="11"');
  // The next key after the longest unit name ("instances starting"), where the pods' keeps its place.
  const over = LEFT + 262 + Math.max(0, textWidth(starting) - textWidth('pods starting'));
  out.push(
    `<rect x="${n(over)}" y="${legend + 8}" width="22" height="12" fill="#fdecea" stroke="#c62828" stroke-width="1.5"/>`,
  );
  text(
    over + 28,
    legend + 18,
    `under capacity: traffic beyond ${factor} × capacity share, and more per ${unit.one} than before`,
    ' font-size="11"',
  );
  text(
    LEFT + 28,
    legend + 36,
    `numbers under a lane: ${unit.many} ready/replicas (+ starting above replicas)`,
    ' font-size="11" fill="#555"',
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * How long a step takes, as the estimate's first words: on dns, where nothing rolls, the router's
 * step (resolvers keep the previous weights up to the TTL).
 */
export function stepDuration(simulation: Simulation): string {
  const { stepSeconds, routerSeconds } = simulation.estimate;
  return stepSeconds === 0 && routerSeconds !== undefined
    ? `${duration(routerSeconds)} a router step`
    : `${duration(stepSeconds)} a step`;
}

/** The rolling update as a short phrase: the policy, and on ec2 the refresh it is carried out by. */
function policyHeader(spec: RainbowSpec): string {
  const { maxSurge, maxUnavailable, minReadySeconds } = resolveRollingUpdate(spec.rollingUpdate);
  if (spec.platform === Platform.DNS) return 'dns, nothing rolls';
  const policy = `maxSurge ${maxSurge.toString()}, maxUnavailable ${maxUnavailable.toString()}`;
  // The refresh's InstanceWarmup is minReadySeconds (ec2RefreshPreferences, model/rolling.ts).
  return spec.platform === Platform.EC2
    ? `ec2 instance refresh, ${policy}, warm-up ${minReadySeconds} s, no checkpoints`
    : `${spec.platform}, ${policy}`;
}

/** About how wide 11 px text is, in pixels (DejaVu Sans averages a little over half the size). */
function textWidth(label: string): number {
  return label.length * 6.2;
}

/** The part of the capacity share that pods of the version after the change serve. */
function newPercent(c: ColorStep): number {
  return c.ready > 0 ? (c.capacityPercent * (c.ready - c.old)) / c.ready : 0;
}

/** Pods starting, in the units of the capacity share: each counts as much as a ready one. */
function startingPercent(c: ColorStep): number {
  return c.ready > 0 ? (c.capacityPercent * (c.running - c.ready)) / c.ready : 0;
}

/** A color's pods (tasks, instances) under its lane: ready/replicas, +starting above them; `-` when it has none. */
function counts(c: ColorStep): string {
  if (c.desired === 0 && c.running === 0) return '-';
  return `${c.ready}/${c.desired}${c.surge > 0 ? `+${c.surge}` : ''}`;
}

/** A filled step shape: flat across each column at its value, down to the base. */
function stepPath(values: readonly number[], x: (i: number) => number, base: number): string {
  const parts = [`M${n(x(0))},${n(base)}`];
  values.forEach((v, i) => parts.push(`L${n(x(i))},${n(v)}`, `L${n(x(i + 1))},${n(v)}`));
  parts.push(`L${n(x(values.length))},${n(base)}`, 'Z');
  return parts.join(' ');
}

/** A line flat across each column at its value, with a vertical where it changes. */
function stepLine(values: readonly number[], x: (i: number) => number): string {
  const parts = [`M${n(x(0))},${n(values[0])}`];
  values.forEach((v, i) => parts.push(`L${n(x(i))},${n(v)}`, `L${n(x(i + 1))},${n(v)}`));
  return parts.join(' ');
}

/** Lines of at most about 136 characters (910 pixels at 12 px), broken between words. */
function wrap(textLine: string, max = 136): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of textLine.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** Text cut to about `width` pixels at `perCharacter` pixels a character (12 px text: 7), with an ellipsis. */
function fit(label: string, width: number, perCharacter = 7): string {
  const max = Math.max(3, Math.floor(width / perCharacter));
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** `1 pod`, `3 pods`; `1 instance`, `3 instances` on ec2: what the platform's counts count. */
export function unitCount(unit: WorkloadUnit, count: number): string {
  return `${count} ${count === 1 ? unit.one : unit.many}`;
}

/** `40 s`, `3 min 20 s`, `1 h 5 min`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round((s % 3600) / 60);
  return minutes === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${minutes} min`;
}
