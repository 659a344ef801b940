import type { Violation } from '../model/safety-rules';
import { ColorState, RainbowSpec } from '../model/types';
import { PLAN_MESSAGES } from './messages';
import { ColorStep, serviceCapacity, Simulation } from './simulate';

/**
 * The under-capacity rule: a color's share of the traffic may not exceed `maxLoadFactor` times its
 * share of the serving capacity of the colors above weight 0 (serviceCapacity: replicas, the
 * autoscaling maximum where set, the desired count on ECS), after the change and at every step of
 * the simulated deploy, where a rolling update's unavailable pods count.
 *
 * Only where the change loads the color more than before, per serving pod: shares are relative,
 * so a canary that enters the traffic with many pods lowers the share of a color whose own load
 * it lowers too, and a change that relieves an overloaded color must not be refused for it.
 */

// Shares are fractions of whole numbers: a limit met exactly must not fail on rounding.
const EPSILON = 1e-9;

/** A percent as messages print it: whole when it is, else to one decimal. */
export function formatPercent(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** The factor a change is held to: raising it in the same change does not let that change through. */
export function maxLoadFactorOf(previous: RainbowSpec | undefined, current: RainbowSpec): number {
  return Math.min(current.progression.maxLoadFactor, previous?.progression.maxLoadFactor ?? Number.POSITIVE_INFINITY);
}

/** Whether `traffic` percent on `capacity` percent of the serving capacity is more than `factor` allows. */
export function isUnderCapacity(trafficPercent: number, capacityPercent: number, factor: number): boolean {
  return trafficPercent > factor * capacityPercent + EPSILON;
}

/**
 * Whether a color in a step of this deploy (or after it) breaks the rule: its traffic beyond
 * `factor` times its capacity share, and more traffic per serving pod than before the change.
 */
export function underCapacityTest(simulation: Simulation, factor: number): (c: ColorStep) => boolean {
  const before = new Map(simulation.before.map((c) => [c.color, perPod(c)]));
  return (c) =>
    isUnderCapacity(c.trafficPercent, c.capacityPercent, factor) && perPod(c) > (before.get(c.color) ?? 0) + EPSILON;
}

/** Traffic percent per serving pod: infinite for traffic with nothing serving it. */
function perPod(c: ColorStep): number {
  if (c.trafficPercent === 0) return 0;
  return c.serving === 0 ? Number.POSITIVE_INFINITY : c.trafficPercent / c.serving;
}

interface Breach {
  readonly own: ColorStep;
  /** 1-based phase and step; undefined after the change. */
  readonly phase?: number;
  readonly step?: number;
  readonly title?: string;
}

/**
 * One violation per color that breaks the rule: where the state after the change breaks it, that
 * (it lasts); else the step of the deploy where its traffic is furthest beyond its capacity.
 * Nothing when nothing is deployed.
 */
export function underCapacityViolations(
  simulation: Simulation,
  previous: RainbowSpec | undefined,
  current: RainbowSpec,
): Violation[] {
  // dns: a color is a whole endpoint (a cluster, a region) that scales on its own; the spec does
  // not know its capacity, so there is nothing to compare its share of the traffic with.
  if (simulation.phases.length === 0 || current.dns !== undefined) return [];
  const factor = maxLoadFactorOf(previous, current);
  const breaks = underCapacityTest(simulation, factor);
  const load = (c: ColorStep) =>
    c.capacityPercent === 0 ? Number.POSITIVE_INFINITY : c.trafficPercent / c.capacityPercent;
  return simulation.after.flatMap((final): Violation[] => {
    let breach: Breach | undefined = breaks(final) ? { own: final } : undefined;
    if (breach === undefined) {
      simulation.phases.forEach((phase, p) =>
        phase.steps.forEach((step, s) => {
          const own = step.colors.find((c) => c.color === final.color)!;
          if (breaks(own) && (breach === undefined || load(own) > load(breach.own)))
            breach = { own, phase: p + 1, step: s + 1, title: phase.title };
        }),
      );
    }
    return breach === undefined
      ? []
      : [{ rule: 'under-capacity', color: final.color, message: messageOf(breach, simulation, current, factor) }];
  });
}

function messageOf(breach: Breach, simulation: Simulation, spec: RainbowSpec, factor: number): string {
  const { own } = breach;
  const capacity = formatPercent(own.capacityPercent);
  const limit = formatPercent(factor * own.capacityPercent);
  const text = (when: string, advice: string) =>
    PLAN_MESSAGES.ruleUnderCapacity(
      own.color,
      formatPercent(own.trafficPercent),
      capacity,
      factor,
      limit,
      when,
      advice,
    );
  if (breach.phase === undefined || breach.title !== 'colors')
    return text(PLAN_MESSAGES.underCapacityAfter, scaleUpAdvice(own, spec, factor));
  const summary = simulation.colors.find((c) => c.color === own.color);
  if (summary?.rollout === 'rolling update' && own.ready < own.desired) {
    return text(
      PLAN_MESSAGES.underCapacityRolling(breach.phase, breach.step!, own.ready, own.desired),
      PLAN_MESSAGES.underCapacityRollingAdvice(own.color, summary.maxUnavailablePods ?? 0),
    );
  }
  return text(
    PLAN_MESSAGES.underCapacityBeforeRouter(breach.phase, breach.step!),
    PLAN_MESSAGES.underCapacityBeforeRouterAdvice(own.color),
  );
}

/**
 * Scale the color up to the capacity that carries its traffic, or give it no more than its
 * capacity carries. With weight w, capacity c of the total C, and factor f, the rule holds from
 * c' ≥ w (C - c) / (100 f - w); f ≥ 1 keeps the divisor positive for any color that breaks it.
 */
function scaleUpAdvice(own: ColorStep, spec: RainbowSpec, factor: number): string {
  const color = spec.colors.find((c) => c.name === own.color);
  const serving = spec.colors
    .filter((c) => c.state !== ColorState.RETIRED && c.weight > 0)
    .reduce((sum, c) => sum + serviceCapacity(c), 0);
  const capacity = color === undefined ? 0 : serviceCapacity(color);
  const w = own.trafficPercent;
  const needed = Math.max(capacity + 1, Math.ceil((w * (serving - capacity)) / (100 * factor - w) - EPSILON));
  const most = Math.floor(factor * own.capacityPercent + EPSILON);
  return PLAN_MESSAGES.underCapacityScaleUp(
    own.color,
    color?.autoscaling === undefined ? 'replicas' : 'autoscaling.max',
    capacity,
    needed,
    most,
  );
}
