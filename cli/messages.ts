import { describeValue, shortText } from '../model/messages';

/**
 * The texts only the command prints: apply's prerequisites, plan's verdicts, expire and preview. Those of
 * `rainbow init` are in commands/init.ts.
 */
export const CLI_MESSAGES = {
  forcedRemoval: (color: string, stack: string, destroy: string) =>
    `${color}'s resources are left running and unmanaged: the spec no longer has the stack ${stack}, so no deploy updates or destroys them. Destroy them with the previous spec, which still has it: ${destroy} (or put ${color} back with state: retired and deploy, which empties ${stack})`,
  verdictNotChecked: (why: string) => `safety: not checked: ${why}`,
  verdictUnreadable:
    'safety: cannot be checked: the previous spec cannot be read, and plan and apply stop on this too:',
  editRefused: (file: string) =>
    `${file}: nothing written: plan and apply would refuse this change; each rule above says what to do, or pass --force to write it anyway`,
  editUnchecked: (file: string) =>
    `${file}: nothing written: the change cannot be checked against the safety rules without the previous spec; fix the problem above, or pass --force to write it unchecked`,
  editForced:
    'the change is written past the rules above (--force); plan and apply refuse it until they are given --force too',
  editForcedUnchecked:
    'the change is written unchecked (--force); plan and apply stop on the problem above until it is fixed, or until they are given --from FILE',
  dryRun: (file: string, verdict: 'safe' | 'refused' | 'forced' | 'unchecked' | 'forced-unchecked') =>
    `dry run: nothing written to ${file}${
      verdict === 'refused'
        ? '; without --dry-run the change is refused: each rule above says what to do, or pass --force'
        : verdict === 'forced'
          ? '; with --force the change is written past the rules above, and plan and apply then need --force too'
          : verdict === 'unchecked'
            ? '; without --dry-run the change is refused, since it cannot be checked: fix the problem above, or pass --force'
            : verdict === 'forced-unchecked'
              ? '; with --force the change is written unchecked'
              : ''
    }`,
  cdktfJsonMissing: (dir: string, app: string, verb: 'deploy' | 'destroy' = 'deploy') =>
    `no cdktf.json in ${dir}; cdktf ${verb} reads it to synthesize the stacks. Run rainbow ${verb === 'deploy' ? 'apply' : 'destroy'} in the folder that holds it, or create it: rainbow init writes one (in a folder without a rainbow.yaml), or write {"language": "typescript", "app": "${app}"}; nothing ${verb === 'deploy' ? 'deployed' : 'destroyed'}`,
  expiredWithTraffic: (color: string, expires: string, weight: number) =>
    `${color} expired at ${expires} but still gets ${weight}% of the traffic; expire never moves traffic: drain it first (rainbow drain ${color}) and run expire again, or set a later expires if it should keep serving`,
  expireNothing: (now: string) => `no live color has expired at ${now}; nothing to do`,
  expireRetired: (color: string, expires: string, dryRun = false) =>
    `${dryRun ? 'would retire' : 'retired'} ${color}: it expired at ${expires}`,
  svgUnwritable: (reason: string) => `could not be written: ${reason}; nothing else changed`,
  cloudWorkspaces: (prefix: string) =>
    `HCP Terraform creates the workspace of a stack (${prefix}-<stack>) on its first deploy, with the CLI-driven workflow (docs/state.md)`,
  commandChecks: (summaries: readonly string[]) => `checks that run commands: ${summaries.join(', ')}`,
  releaseOpen: (color: string, state: string, since: string) =>
    `release of ${color}: ${state} (since ${since}); rainbow release ${color} goes on, rainbow rollback ends it`,
  releaseLast: (color: string, outcome: string, at: string, to: string | undefined) =>
    `last release: ${color} ${outcome === 'promoted' ? 'promoted' : outcome === 'rolled-back' ? 'rolled back' : `rolled back by hand to ${to ?? 'another color'}`} at ${at}`,
  // the spec as an argument, and options that say the same thing twice
  specTwice: (option: string, argument: string) =>
    `the spec is given twice, as --spec ${shortText(option, 100)} and as the argument ${shortText(argument, 100)}; give it once`,
  takeFromTwice: (takeFrom: string, from: string) =>
    `--take-from ${shortText(takeFrom, 40)} and --from ${shortText(from, 40)} name different colors; give one (--from is the older name of --take-from)`,
  // status
  statusSource: (file: string) => `(from ${file}; rainbow does not ask the platform)`,
  // destroy
  destroyOrder: (app: string, steps: ReadonlyArray<{ title: string; stacks: readonly string[] }>) =>
    `destroy: every stack of ${app}, in this order: ${steps.map((s, i) => `${i + 1}. ${s.title}: ${s.stacks.join(' ')}`).join(', ')} (the router first, so that no traffic reaches a color being destroyed)`,
  destroyTakesTraffic: (file: string, colors: readonly string[]) =>
    `${file}: the app takes traffic (${colors.join(', ')}, as the spec file says; rainbow does not ask the platform), and destroying it cuts that traffic off. Pass --force to destroy an app that takes traffic; nothing destroyed`,
  destroyForced: (colors: readonly string[], router: string) =>
    `destroy: the app takes traffic (${colors.join(', ')}); destroying it anyway (--force): that traffic stops once ${router} is destroyed`,
  destroyNeedsTerminal:
    'destroy: asks for confirmation, and stdin is not a terminal; pass --yes (or -y, --auto-approve) to destroy without asking; nothing destroyed',
  destroyQuestion: (app: string) => `Destroy every resource of ${app}? Only 'yes' destroys them: `,
  destroyCancelled: (answer: string) =>
    `destroy: cancelled (${answer === '' ? 'no answer' : `answered ${describeValue(answer)}`}; only 'yes' destroys); nothing destroyed`,
  destroyInterrupted: (signal: string) =>
    `destroy: ${signal}: stopping the destroy in flight; no later stack is destroyed`,
  destroyStopped: (signal: string, notRun: readonly string[]) =>
    `destroy: interrupted by ${signal}; ${notRun.length === 0 ? 'no later stack was left' : `${notRun.join(' ')} not destroyed`}`,
  destroyDone: (count: number) => `destroy: ${count} ${count === 1 ? 'stack' : 'stacks'} destroyed`,
  destroyReleaseOpen: (file: string, color: string, since: string) =>
    `${file}: a release of ${color} has not ended (since ${since}; its record is beside the spec), and the next rainbow release ${color} would go on from it, against stacks this destroys. Finish it first (rainbow release ${color} goes on, rainbow rollback ends it), or pass --force to destroy anyway and end it; nothing destroyed`,
  destroyEndsRelease: (color: string) =>
    `destroy: a release of ${color} has not ended; destroying anyway (--force): its record is removed once every stack is destroyed, so that no later release goes on from it`,
  destroyRecordNotEnded: (why: string) =>
    `destroy: every stack is destroyed, but the release record could not be removed (${why}); remove it by hand, or a later rainbow release goes on against stacks that no longer exist`,
} as const;
