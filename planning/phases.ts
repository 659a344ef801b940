import { colorStackName, ColorState, RainbowSpec, routerStackName } from '../model/types';

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
  const names = (state: 'live' | 'retired') =>
    spec.colors.filter((c) => c.state === state).map((c) => colorStackName(spec.app, c.name));
  return phasesOf(names('live'), true, routerStackName(spec.app), names('retired'));
}

/** The phases of a deploy, in order, empty ones left out. */
export function phasesOf(colors: string[], router: boolean, routerStack: string, retired: string[]): DeployPhase[] {
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
  const migrating = new Set(
    spec.colors
      .filter((c) => c.migration !== undefined && c.state !== ColorState.RETIRED)
      .map((c) => colorStackName(spec.app, c.name)),
  );
  const serial = phase.stacks.filter((s) => migrating.has(s));
  if (serial.length <= 1) return phase.stacks.length === 0 ? [] : [[...phase.stacks]];
  return [phase.stacks.filter((s) => !migrating.has(s) || s === serial[0]), ...serial.slice(1).map((s) => [s])];
}
