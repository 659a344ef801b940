import { isStepTooLarge, Violation } from '../model/safety-rules';
import { colorStackName, ColorState, RainbowSpec, routerStackName } from '../model/types';
import { underCapacityViolations } from './capacity';
import { ChangeKind, ColorChange, rollReasons, routerChanged } from './changes';
import { PLAN_MESSAGES } from './messages';
import { deployCalls, DeployPhase, phasesOf } from './phases';
import { simulateChange, Simulation } from './simulate';

export interface Plan {
  readonly changes: ColorChange[];
  readonly violations: Violation[];
  readonly phases: DeployPhase[];
}

/**
 * What deploying `current` after `previous` does, color by color; the safety rules it breaks;
 * and the deploy phases (docs/architecture.md, "Deploy order"). Without a previous spec (a first deploy),
 * every color is new and the new-color rule does not apply.
 */
export function planChange(previous: RainbowSpec | undefined, current: RainbowSpec): Plan {
  const before = new Map((previous?.colors ?? []).map((c) => [c.name, c]));
  const changes: ColorChange[] = [];
  const violations: Violation[] = [];
  // Raising the limit in the same change does not let that change through.
  const maxStep = Math.min(current.progression.maxStepPercent, previous?.progression.maxStepPercent ?? 100);

  for (const c of current.colors) {
    const known = before.get(c.name);
    // A color back from retirement has an empty stack: it comes back like a new one.
    const returning = known !== undefined && known.state === ColorState.RETIRED && c.state !== ColorState.RETIRED;
    const old = returning ? undefined : known;
    const reasons = returning
      ? ['back from retirement']
      : old === undefined
        ? []
        : rollReasons(previous!, old, current, c);
    const weightFrom = old === undefined ? 0 : old.state === ColorState.RETIRED ? 0 : old.weight;
    const weightTo = c.state === ColorState.RETIRED ? 0 : c.weight;
    const weight = old !== undefined && weightFrom !== weightTo ? { from: weightFrom, to: weightTo } : undefined;
    let kind: ChangeKind;
    if (old === undefined) kind = 'new';
    else if (c.state === ColorState.RETIRED && old.state !== ColorState.RETIRED) kind = 'retired';
    else if (c.state !== ColorState.RETIRED && reasons.length > 0) kind = 'updated';
    else kind = 'unchanged';
    changes.push({ name: c.name, kind, ...(weight === undefined ? {} : { weight }), reasons });

    if (kind === 'retired' && old!.weight > 0)
      violations.push({
        rule: 'retired-with-traffic',
        color: c.name,
        message: PLAN_MESSAGES.ruleRetiredWithTraffic(c.name, old!.weight),
      });
    if (old === undefined && previous !== undefined && previous.colors.length > 0 && c.weight > 0) {
      violations.push({
        rule: 'new-color-with-traffic',
        color: c.name,
        message: PLAN_MESSAGES.ruleNewWithTraffic(c.name, c.weight),
      });
    }
    if (old !== undefined && isStepTooLarge(weightFrom, weightTo, maxStep)) {
      violations.push({
        rule: 'step-too-large',
        color: c.name,
        message: PLAN_MESSAGES.ruleStepTooLarge(c.name, weightFrom, weightTo, maxStep),
      });
    }
  }
  const names = new Set(current.colors.map((c) => c.name));
  for (const old of previous?.colors ?? []) {
    if (names.has(old.name)) continue;
    changes.push({ name: old.name, kind: 'removed', reasons: [] });
    if (old.state !== ColorState.RETIRED)
      violations.push({
        rule: 'removed-before-retired',
        color: old.name,
        message: PLAN_MESSAGES.ruleRemovedBeforeRetired(old.name),
      });
  }

  const stack = (name: string) => colorStackName(current.app, name);
  const colorsToDeploy = changes
    .filter((c) => c.kind === 'new' || c.kind === 'updated')
    .map((c) => stack(c.name))
    .filter((name) => current.colors.some((c) => stack(c.name) === name && c.state !== ColorState.RETIRED));
  const retiredNow = changes.filter((c) => c.kind === 'retired').map((c) => stack(c.name));
  const deploy = phasesOf(colorsToDeploy, routerChanged(previous, current), routerStackName(current.app), retiredNow);
  // preview, capacity, expiry: the fifth rule reads the simulated deploy.
  violations.push(
    ...underCapacityViolations(simulatePlan(previous, current, { changes, phases: deploy }), previous, current),
  );
  return { changes, violations, phases: deploy };
}

/** The deploy of a plan, simulated step by step (simulate.ts): what `rainbow preview` shows. */
export function simulatePlan(
  previous: RainbowSpec | undefined,
  current: RainbowSpec,
  plan: Pick<Plan, 'changes' | 'phases'>,
): Simulation {
  return simulateChange(
    previous,
    current,
    plan.changes,
    plan.phases.map((p) => ({ ...p, calls: deployCalls(p, current) })),
  );
}
