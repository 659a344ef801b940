import { underCapacityViolations } from './capacity';
import { MESSAGES } from './messages';
import { simulateChange, Simulation } from './simulate';
import { escapeInvisible } from './text';
import { ColorSpec, colorStackName, liveColors, RainbowSpec, routerStackName } from './types';

/** One step of the deploy order: stacks deployed after those of the phases before. */
export interface DeployPhase {
  /** What the phase deploys: `colors`, `router` or `retired colors`. */
  readonly title: string;
  /** The names of the phase's stacks, in file order. */
  readonly stacks: string[];
}

/**
 * The order to deploy all of a spec's stacks in, as for a first deploy: the colors that run
 * (Terraform waits for each rollout), then the router, then the retired colors, whose empty stacks
 * destroy what they had once no traffic reaches them. Empty phases are left out.
 */
export function deployPhases(spec: RainbowSpec): DeployPhase[] {
  const names = (state: 'live' | 'retired') => spec.colors.filter((c) => c.state === state).map((c) => colorStackName(spec.app, c.name));
  return phases(names('live'), true, routerStackName(spec.app), names('retired'));
}

function phases(colors: string[], router: boolean, routerStack: string, retired: string[]): DeployPhase[] {
  const all: DeployPhase[] = [
    { title: 'colors', stacks: colors },
    { title: 'router', stacks: router ? [routerStack] : [] },
    { title: 'retired colors', stacks: retired },
  ];
  return all.filter((p) => p.stacks.length > 0);
}

/**
 * The `cdktf deploy` calls that deploy one phase, in order. cdktf deploys the stacks of one call
 * in parallel (`--parallelism` defaults to unlimited), and two migrations must never run at once:
 * so the stacks of colors that hold a migration go one a call, in file order; the other stacks
 * of the phase deploy together with the first of them.
 */
export function deployCalls(phase: DeployPhase, spec: RainbowSpec): string[][] {
  const migrating = new Set(spec.colors.filter((c) => c.migration !== undefined && c.state !== 'retired').map((c) => colorStackName(spec.app, c.name)));
  const serial = phase.stacks.filter((s) => migrating.has(s));
  if (serial.length <= 1) return phase.stacks.length === 0 ? [] : [[...phase.stacks]];
  return [phase.stacks.filter((s) => !migrating.has(s) || s === serial[0]), ...serial.slice(1).map((s) => [s])];
}

export type ChangeKind = 'new' | 'updated' | 'retired' | 'removed' | 'unchanged';

export interface ColorChange {
  readonly name: string;
  readonly kind: ChangeKind;
  /** Set when the weight moved. */
  readonly weight?: { readonly from: number; readonly to: number };
  /** Why an `updated` color rolls: what changed. */
  readonly reasons: string[];
}

export type SafetyRule = 'removed-before-retired' | 'retired-with-traffic' | 'step-too-large' | 'new-color-with-traffic'
  // preview, capacity, expiry
  | 'under-capacity';

export interface Violation {
  readonly rule: SafetyRule;
  readonly color: string;
  readonly message: string;
}

export interface Plan {
  readonly changes: ColorChange[];
  readonly violations: Violation[];
  readonly phases: DeployPhase[];
}

/** A weight that moves by more than `maxStepPercent` in one change breaks the step-too-large rule. */
export function isStepTooLarge(from: number, to: number, maxStepPercent: number): boolean {
  return Math.abs(to - from) > maxStepPercent;
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
    const returning = known !== undefined && known.state === 'retired' && c.state !== 'retired';
    const old = returning ? undefined : known;
    const reasons = returning ? ['back from retirement'] : old === undefined ? [] : rollReasons(previous!, old, current, c);
    const weightFrom = old === undefined ? 0 : old.state === 'retired' ? 0 : old.weight;
    const weightTo = c.state === 'retired' ? 0 : c.weight;
    const weight = old !== undefined && weightFrom !== weightTo ? { from: weightFrom, to: weightTo } : undefined;
    let kind: ChangeKind;
    if (old === undefined) kind = 'new';
    else if (c.state === 'retired' && old.state !== 'retired') kind = 'retired';
    else if (c.state !== 'retired' && reasons.length > 0) kind = 'updated';
    else kind = 'unchanged';
    changes.push({ name: c.name, kind, ...(weight === undefined ? {} : { weight }), reasons });

    if (kind === 'retired' && old!.weight > 0) violations.push({ rule: 'retired-with-traffic', color: c.name, message: MESSAGES.ruleRetiredWithTraffic(c.name, old!.weight) });
    if (old === undefined && previous !== undefined && previous.colors.length > 0 && c.weight > 0) {
      violations.push({ rule: 'new-color-with-traffic', color: c.name, message: MESSAGES.ruleNewWithTraffic(c.name, c.weight) });
    }
    if (old !== undefined && isStepTooLarge(weightFrom, weightTo, maxStep)) {
      violations.push({ rule: 'step-too-large', color: c.name, message: MESSAGES.ruleStepTooLarge(c.name, weightFrom, weightTo, maxStep) });
    }
  }
  const names = new Set(current.colors.map((c) => c.name));
  for (const old of previous?.colors ?? []) {
    if (names.has(old.name)) continue;
    changes.push({ name: old.name, kind: 'removed', reasons: [] });
    if (old.state !== 'retired') violations.push({ rule: 'removed-before-retired', color: old.name, message: MESSAGES.ruleRemovedBeforeRetired(old.name) });
  }

  const stack = (name: string) => colorStackName(current.app, name);
  const colorsToDeploy = changes.filter((c) => c.kind === 'new' || c.kind === 'updated').map((c) => stack(c.name))
    .filter((name) => current.colors.some((c) => stack(c.name) === name && c.state !== 'retired'));
  const retiredNow = changes.filter((c) => c.kind === 'retired').map((c) => stack(c.name));
  const routerChanged = previous === undefined || JSON.stringify(routerFingerprint(previous)) !== JSON.stringify(routerFingerprint(current));
  const deploy = phases(colorsToDeploy, routerChanged, routerStackName(current.app), retiredNow);
  // preview, capacity, expiry: the fifth rule reads the simulated deploy.
  violations.push(...underCapacityViolations(simulatePlan(previous, current, { changes, phases: deploy }), previous, current));
  return { changes, violations, phases: deploy };
}

/** The deploy of a plan, simulated step by step (simulate.ts): what `rainbow preview` shows. */
export function simulatePlan(previous: RainbowSpec | undefined, current: RainbowSpec, plan: Pick<Plan, 'changes' | 'phases'>): Simulation {
  return simulateChange(previous, current, plan.changes, plan.phases.map((p) => ({ ...p, calls: deployCalls(p, current) })));
}

/** What a color's stack is made of, besides its weight and state: a change rolls the color. */
function colorFingerprint(spec: RainbowSpec, color: ColorSpec): Record<string, unknown> {
  // An expiry is the spec's bookkeeping: changing it rolls nothing.
  const { weight: _weight, state: _state, expires: _expires, ...own } = color;
  return {
    ...own,
    platform: spec.platform,
    kubernetes: spec.kubernetes === undefined ? undefined : { ...spec.kubernetes, router: undefined, gateway: undefined, ingressClassName: undefined, tlsSecretName: undefined, istioGateways: undefined },
    ecs: spec.ecs,
    ec2: spec.ec2,
    rollingUpdate: { ...spec.rollingUpdate, maxSurge: spec.rollingUpdate.maxSurge.toString(), maxUnavailable: spec.rollingUpdate.maxUnavailable.toString() },
    healthCheck: spec.healthCheck,
    drainSeconds: spec.drainSeconds,
    backend: spec.backend,
    security: spec.security,
    app: spec.app,
    pinHeader: spec.ecs === undefined && spec.ec2 === undefined ? undefined : spec.routing.pinHeader,
  };
}

function rollReasons(previous: RainbowSpec, old: ColorSpec, current: RainbowSpec, color: ColorSpec): string[] {
  const a = colorFingerprint(previous, old);
  const b = colorFingerprint(current, color);
  const reasons: string[] = [];
  // Printed on a terminal: an invisible character must not make one image look like another.
  if (old.image !== color.image) reasons.push(`image ${escapeInvisible(old.image)} → ${escapeInvisible(color.image)}`);
  for (const key of Object.keys({ ...a, ...b })) {
    if (key === 'image') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) reasons.push(`${key} changed`);
  }
  return color.state === 'retired' ? [] : reasons;
}

/** What the router stack is made of: a change re-applies it. */
function routerFingerprint(spec: RainbowSpec): unknown {
  return {
    live: liveColors(spec).map((c) => [c.name, c.weight]),
    routing: spec.routing,
    kubernetes: spec.kubernetes,
    ecs: spec.ecs === undefined ? undefined : { region: spec.ecs.region, listenerArn: spec.ecs.listenerArn, host: spec.ecs.host, rulePriority: spec.ecs.rulePriority },
    ec2: spec.ec2 === undefined ? undefined : { region: spec.ec2.region, listenerArn: spec.ec2.listenerArn, host: spec.ec2.host, rulePriority: spec.ec2.rulePriority },
    backend: spec.backend,
    security: spec.security,
    app: spec.app,
  };
}
