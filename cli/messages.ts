/**
 * The texts only the command prints: apply's prerequisites, plan's verdicts, expire and preview. Those of `rainbow init` are in
 * commands/init.ts.
 */
export const CLI_MESSAGES = {
  forcedRemoval: (color: string, stack: string, destroy: string) =>
    `${color}'s resources are left running and unmanaged: the spec no longer has the stack ${stack}, so no deploy updates or destroys them. Destroy them with the previous spec, which still has it: ${destroy} (or put ${color} back with state: retired and deploy, which empties ${stack})`,
  verdictNotChecked: (why: string) => `safety: not checked: ${why}`,
  editUnsafe:
    'the change is written, but plan and apply refuse it as it stands: each rule above says what to do (or edit again)',
  cdktfJsonMissing: (dir: string, app: string) =>
    `no cdktf.json in ${dir}; cdktf deploy reads it to synthesize the stacks. Run rainbow apply in the folder that holds it, or create it: rainbow init writes one (in a folder without a rainbow.yaml), or write {"language": "typescript", "app": "${app}"}; nothing deployed`,
  expiredWithTraffic: (color: string, expires: string, weight: number) =>
    `${color} expired at ${expires} but still gets ${weight}% of the traffic; expire never moves traffic: drain it first (rainbow drain ${color}) and run expire again, or set a later expires if it should keep serving`,
  expireNothing: (now: string) => `no live color has expired at ${now}; nothing to do`,
  expireRetired: (color: string, expires: string) => `retired ${color}: it expired at ${expires}`,
  svgUnwritable: (reason: string) => `could not be written: ${reason}; nothing else changed`,
  cloudWorkspaces: (prefix: string) =>
    `HCP Terraform creates the workspace of a stack (${prefix}-<stack>) on its first deploy, with the CLI-driven workflow (docs/state.md)`,
  commandChecks: (summaries: readonly string[]) => `checks that run commands: ${summaries.join(', ')}`,
  releaseOpen: (color: string, state: string, since: string) =>
    `release of ${color}: ${state} (since ${since}); rainbow release ${color} goes on, rainbow rollback ends it`,
  releaseLast: (color: string, outcome: string, at: string, to: string | undefined) =>
    `last release: ${color} ${outcome === 'promoted' ? 'promoted' : outcome === 'rolled-back' ? 'rolled back' : `rolled back by hand to ${to ?? 'another color'}`} at ${at}`,
} as const;
