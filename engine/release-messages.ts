/** The texts of `rainbow release` that the engine writes: each says what is deployed and what to do. */
export const RELEASE_TEXT = {
  recordNotWritten: (why: string) => `the release record could not be written (${why}); the release goes on, but a killed run of it could not resume from what is deployed`,
  recordSource: 'the release record',
  recordUnreadable: 'the release record beside the spec holds a spec that no longer validates; remove it (the .<spec>.release.json file) once you know what is deployed',
  otherReleaseRecorded: (recorded: string, name: string, startedAt: string) =>
    `received ${name}; a release of ${recorded} started at ${startedAt} has not ended (its record is beside the spec): finish it first with rainbow release ${recorded}`,
  alreadyRollingBack: 'already rolling back; the rollback\'s deploy is not interrupted: wait for it to finish',
  alreadyStopping: 'already stopping; the deploy in flight was asked to stop, then the release rolls back',
  resuming: (file: string, color: string, weight: number, source: string, from: number) =>
    `${file} holds ${color} at ${weight}%, which is not deployed (${source}: ${color} at ${from}%): deploying and baking it first`,
  resumingOtherText: (file: string) =>
    `${file} no longer holds what the interrupted release wrote: it is planned against what is deployed, under every safety rule`,
  resumeRefused: (step: string) => `the spec's change at ${step} breaks the safety rules against what is deployed (above); nothing deployed`,
  changedByOther: (file: string, step: string, what: string, deployed: string, color: string) =>
    `${file} changed during the release, not by it (${what}); stopped at ${step} without writing or deploying anything more: deployed is ${deployed}. `
    + `Review the change, then deploy it (rainbow apply) or go on (rainbow release ${color})`,
  changedDuringRollback: (file: string, what: string, deployed: string, color: string) =>
    `${file} changed during the release, not by it (${what}), so the rollback is neither written nor deployed: deployed is ${deployed}. `
    + `Put back what the release wrote (git diff shows the other change), then run rainbow release ${color} to finish the rollback`,
  changedAfterLastStep: (file: string) =>
    `${file} changed during the last step, not by the release; that change is not deployed: review it, then deploy it (rainbow apply)`,
  textOnly: 'its text, not its meaning',
  rollbackNotWritten: (color: string, deployed: string) =>
    `the rollback could not be written (above), so it is not deployed: deployed is ${deployed}; drain ${color} by hand (rainbow drain ${color}, then rainbow apply)`,
  resumingRollback: (color: string, reason: string) => `finishing the rollback of ${color} that an earlier run wrote but did not deploy (${reason})`,
  rollbackNotDeployed: (file: string, deployed: string, written: string, color: string, stacks: readonly string[]) =>
    `the rollback (${written}) is written to ${file} but NOT deployed: deployed is ${deployed}. `
    + `Run rainbow release ${color} again to deploy it${stacks.length === 0 ? '' : `, or deploy it yourself: RAINBOW_SPEC=${file} cdktf deploy ${stacks.join(' ')}`}`,
} as const;
