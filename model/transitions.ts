import { replicasWithAutoscalingProblems } from './color';
import { Edit } from './edits';
import { stampedExpiry } from './expiry';
import { FIELDS, isColorName, isImage, isWholeNumber } from './fields';
import { mutableImageProblems } from './images';
import { EXPECTED, MESSAGES, received } from './messages';
import { Problem } from './problem';
import { ColorState, liveColors, MAX_PERCENT, MAX_REPLICAS, Platform, RainbowSpec } from './types';
import { shiftWeights } from './weights';

/**
 * The changes people and pipelines make to a spec, as edits of its file. Each takes a valid spec
 * and returns the edits, or a refusal (`path` names the argument, as the command line says it).
 * The command applies the edits, validates the result, and only then writes.
 */
export type TransitionResult = { readonly edits: Edit[] } | { readonly refused: Problem };

const refuse = (path: string, message: string): TransitionResult => ({ refused: { path, message } });

function indexOf(spec: RainbowSpec, name: string): number {
  return spec.colors.findIndex((c) => c.name === name);
}

/** The color named, if it exists and is not retired; or the refusal saying why not. */
function liveColor(spec: RainbowSpec, name: string, path = 'color'): Problem | undefined {
  const color = spec.colors.find((c) => c.name === name);
  if (color === undefined)
    return { path, message: received(name, MESSAGES.oneOfColors(spec.colors.map((c) => c.name))) };
  if (color.state === ColorState.RETIRED) return { path, message: MESSAGES.colorRetired(name) };
  return undefined;
}

/** Sets the weights that moved. */
function weightEdits(spec: RainbowSpec, weights: Map<string, number>): Edit[] {
  return spec.colors.flatMap((c, i) => {
    const next = weights.get(c.name);
    return next === undefined || next === c.weight
      ? []
      : [{ kind: 'set' as const, path: ['colors', i, 'weight'], value: next }];
  });
}

/**
 * `add <color> --image IMG [--replicas N]`: a new color at weight 0, expiring `progression.defaultExpiry` after `now`
 * when the spec sets one.
 */
export function addColor(
  spec: RainbowSpec,
  name: string,
  image: string | undefined,
  replicas?: number,
  now: number = Date.now(),
  endpoint?: AddedEndpoint,
): TransitionResult {
  if (!isColorName(name)) return refuse('color', received(name, FIELDS.colorName.expected));
  if (indexOf(spec, name) >= 0) return refuse('color', MESSAGES.colorExists(name));
  const expires = stampedExpiry(spec, now);
  const stamped: Record<string, string> = expires === undefined ? {} : { expires };
  if (spec.platform === Platform.DNS) {
    // On dns a color is an existing endpoint: it has no image and no replicas of its own.
    if (image !== undefined) return refuse('--image', MESSAGES.addImageOnDns);
    if (replicas !== undefined) return refuse('--replicas', MESSAGES.addReplicasOnDns);
    if (endpoint === undefined) return refuse('--endpoint', MESSAGES.addNeedsEndpoint);
    const value =
      endpoint.aliasZoneId === undefined
        ? endpoint.host
        : { alias: { name: endpoint.host, zoneId: endpoint.aliasZoneId } };
    return { edits: [{ kind: 'append', path: ['colors'], value: { name, endpoint: value, weight: 0, ...stamped } }] };
  }
  if (endpoint !== undefined) return refuse('--endpoint', MESSAGES.addEndpointOffDns(spec.platform));
  if (image === undefined) return refuse('--image', MESSAGES.addNeedsImage);
  if (!isImage(image)) return refuse('--image', received(image, EXPECTED.image));
  if (replicas !== undefined && !isWholeNumber(0, MAX_REPLICAS)(replicas))
    return refuse('--replicas', received(replicas, EXPECTED.count(0, MAX_REPLICAS)));
  return {
    edits: [
      {
        kind: 'append',
        path: ['colors'],
        value: { name, image, weight: 0, ...(replicas === undefined ? {} : { replicas }), ...stamped },
      },
    ],
  };
}

/** What `rainbow add --endpoint <host> [--alias-zone <id>]` gives a color on dns. */
export interface AddedEndpoint {
  /** A hostname (a CNAME), or the alias target's DNS name. */
  readonly host: string;
  /** Makes `host` an alias target in this hosted zone. */
  readonly aliasZoneId?: string;
}

/** `shift <color> <percent> [--from <other>]`. */
export function shiftColor(spec: RainbowSpec, name: string, percent: number, from?: string): TransitionResult {
  const problem = liveColor(spec, name);
  if (problem !== undefined) return { refused: problem };
  if (!isWholeNumber(0, MAX_PERCENT)(percent)) return refuse('percent', received(percent, EXPECTED.weight));
  if (from !== undefined) {
    const fromProblem = liveColor(spec, from, '--from');
    if (fromProblem !== undefined) return { refused: fromProblem };
    if (from === name) return refuse('--from', MESSAGES.fromItself(name));
  }
  const result = shiftWeights(liveColors(spec), name, percent, from);
  if ('refused' in result) return refuse(from === undefined ? 'percent' : '--from', result.refused);
  return { edits: weightEdits(spec, result.weights) };
}

/** `step <color>`: to the next of progression.steps above its weight. */
export function stepColor(spec: RainbowSpec, name: string): TransitionResult {
  const problem = liveColor(spec, name);
  if (problem !== undefined) return { refused: problem };
  const steps = spec.progression.steps;
  if (steps === undefined) return refuse('progression.steps', MESSAGES.noSteps);
  const current = spec.colors[indexOf(spec, name)].weight;
  const next = steps.find((s) => s > current);
  if (next === undefined) return refuse('color', MESSAGES.lastStep(name, current, steps));
  return shiftColor(spec, name, next);
}

/** `promote <color>`: all the traffic to it. */
export function promoteColor(spec: RainbowSpec, name: string): TransitionResult {
  return shiftColor(spec, name, MAX_PERCENT);
}

/** `drain <color>`: no traffic to it; the rest shared as in shift. */
export function drainColor(spec: RainbowSpec, name: string): TransitionResult {
  const problem = liveColor(spec, name);
  if (problem !== undefined) return { refused: problem };
  if (liveColors(spec).length === 1) return refuse('color', MESSAGES.nobodyToTakeTraffic(name));
  return shiftColor(spec, name, 0);
}

/** `retire <color>`: only at weight 0. */
export function retireColor(spec: RainbowSpec, name: string): TransitionResult {
  const problem = liveColor(spec, name);
  if (problem !== undefined) return { refused: problem };
  const color = spec.colors[indexOf(spec, name)];
  if (color.weight > 0) return refuse('color', MESSAGES.retireWithWeight(name, color.weight));
  if (liveColors(spec).length === 1) return refuse('color', MESSAGES.lastLiveColor(name));
  return { edits: [{ kind: 'set', path: ['colors', indexOf(spec, name), 'state'], value: 'retired' }] };
}

/**
 * `prune`: removes the colors retired in both the previous spec and this one (their stacks were
 * deployed empty), never others. Last first, so the indices of the others stay right.
 */
export function pruneColors(
  spec: RainbowSpec,
  previous: RainbowSpec | undefined,
): TransitionResult & { removed?: string[] } {
  const wasRetired = new Set((previous?.colors ?? []).filter((c) => c.state === ColorState.RETIRED).map((c) => c.name));
  const removable = spec.colors
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.state === ColorState.RETIRED && wasRetired.has(c.name));
  return {
    edits: removable.reverse().map(({ i }) => ({ kind: 'remove' as const, path: ['colors', i] })),
    removed: removable.map(({ c }) => c.name).reverse(),
  };
}

/**
 * `release` rolling back: every live color back to its weight in `before` (the weights when the
 * release started, the released color's own included), so that a finished rollback leaves the
 * traffic where the release found it. When that is no longer a valid split of the traffic (a color
 * came or went since), the color is drained as `drain` does.
 */
export function rollbackColor(
  spec: RainbowSpec,
  name: string,
  before: ReadonlyMap<string, number>,
): TransitionResult & { restored?: boolean } {
  const live = liveColors(spec);
  const restored = new Map(live.map((c) => [c.name, before.get(c.name)]));
  const weights = [...restored.values()];
  if (
    weights.every((w) => w !== undefined) &&
    weights.reduce((a, b) => a + b, 0) === 100 &&
    live.some((c) => c.name === name)
  ) {
    return { edits: weightEdits(spec, restored as Map<string, number>), restored: true };
  }
  return { ...drainColor(spec, name), restored: false };
}

/**
 * `set-image <color> <image>`: the color's image, checked as the spec's image field is (its
 * pattern, and the mutable-tag rule unless `security.allowMutableTags`), with the same texts; the
 * command then validates the edited spec whole (an AMI on ec2, say). Changing the image of a
 * color rolls it: `plan` shows a rolling update.
 */
export function setImage(spec: RainbowSpec, name: string, image: string): TransitionResult {
  const problem = liveColor(spec, name);
  if (problem !== undefined) return { refused: problem };
  if (spec.platform === Platform.DNS) return refuse('image', MESSAGES.imageOnDns);
  if (!FIELDS.image.test(image)) return refuse('image', received(image, FIELDS.image.expected));
  const mutable = mutableImageProblems({ platform: spec.platform, security: spec.security, colors: [{ image }] });
  if (mutable.length > 0) return refuse('image', mutable[0].message);
  const index = indexOf(spec, name);
  if (spec.colors[index].image === image) return { edits: [] };
  return { edits: [{ kind: 'set', path: ['colors', index, 'image'], value: image }] };
}

/**
 * `scale <color> <replicas>`: the color's replicas, within the spec field's bounds and with its
 * texts. A color that autoscales takes its replicas from autoscaling.min, so it is refused, as
 * the spec refuses both; on dns a color is an endpoint with no replicas. The command then
 * validates the edited spec whole (no traffic on 0 replicas), and the safety rules judge it as
 * `plan` would: a color left with too little capacity for its traffic breaks the under-capacity rule.
 */
export function scaleColor(spec: RainbowSpec, name: string, replicas: number): TransitionResult {
  const problem = liveColor(spec, name);
  if (problem !== undefined) return { refused: problem };
  if (spec.platform === Platform.DNS) return refuse('replicas', MESSAGES.addReplicasOnDns);
  if (!FIELDS.replicas.test(replicas)) return refuse('replicas', received(replicas, FIELDS.replicas.expected));
  const index = indexOf(spec, name);
  const color = spec.colors[index];
  const autoscaled = replicasWithAutoscalingProblems(replicas, color.autoscaling !== undefined);
  if (autoscaled.length > 0) return { refused: autoscaled[0] };
  if (color.replicas === replicas) return { edits: [] };
  return { edits: [{ kind: 'set', path: ['colors', index, 'replicas'], value: replicas }] };
}
