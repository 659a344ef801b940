import { colorStackName, RainbowSpec, routerStackName } from '../spec/types';

export interface DeployPhase {
  readonly title: string;
  readonly stacks: string[];
}

/**
 * The order to deploy a spec's stacks in: the colors that run (Terraform waits for each
 * rollout), then the router, then the retired colors, whose empty stacks destroy what they had
 * once no traffic reaches them. Empty phases are left out.
 */
export function deployPhases(spec: RainbowSpec): DeployPhase[] {
  const names = (state: 'live' | 'retired') => spec.colors.filter((c) => c.state === state).map((c) => colorStackName(spec.app, c.name));
  const phases: DeployPhase[] = [
    { title: 'colors', stacks: names('live') },
    { title: 'router', stacks: [routerStackName(spec.app)] },
    { title: 'retired colors', stacks: names('retired') },
  ];
  return phases.filter((p) => p.stacks.length > 0);
}
