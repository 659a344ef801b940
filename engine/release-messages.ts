import { describeValue } from '../model/messages';
import { shellWord } from './messages';

/** The texts of `rainbow release` that the engine writes: each says what is deployed and what to do. */
export const RELEASE_TEXT = {
  recordNotWritten: (why: string) =>
    `the release record could not be written (${why}); the release goes on, but a killed run of it could not resume from what is deployed`,
  recordSource: 'the release record',
  recordUnreadable:
    'the release record beside the spec holds a spec that no longer validates; remove it (the .<spec>.release.json file) once you know what is deployed',
  otherReleaseRecorded: (recorded: string, name: string, startedAt: string) =>
    `received ${name}; a release of ${recorded} started at ${startedAt} has not ended (its record is beside the spec): finish it first with rainbow release ${recorded}`,
  alreadyRollingBack: "already rolling back; the rollback's deploy is not interrupted: wait for it to finish",
  alreadyStopping: 'already stopping; the deploy in flight was asked to stop, then the release rolls back',
  resuming: (file: string, color: string, weight: number, source: string, from: number) =>
    `${file} holds ${color} at ${weight}%, which is not deployed (${source}: ${color} at ${from}%): deploying and baking it first`,
  resumingOtherText: (file: string) =>
    `${file} no longer holds what the interrupted release wrote: it is planned against what is deployed, under every safety rule`,
  resumeRefused: (step: string) =>
    `the spec's change at ${step} breaks the safety rules against what is deployed (above); nothing deployed`,
  changedByOther: (file: string, step: string, what: string, deployed: string, color: string) =>
    `${file} changed during the release, not by it (${what}); stopped at ${step} without writing or deploying anything more: deployed is ${deployed}. ` +
    `Review the change, then deploy it (rainbow apply) or go on (rainbow release ${color})`,
  changedDuringRollback: (file: string, what: string, deployed: string, color: string) =>
    `${file} changed during the release, not by it (${what}), so the rollback is neither written nor deployed: deployed is ${deployed}. ` +
    `Put back what the release wrote (git diff shows the other change), then run rainbow release ${color} to finish the rollback`,
  changedAfterLastStep: (file: string) =>
    `${file} changed during the last step, not by the release; that change is not deployed: review it, then deploy it (rainbow apply)`,
  textOnly: 'its text, not its meaning',
  rollbackNotWritten: (color: string, deployed: string) =>
    `the rollback could not be written (above), so it is not deployed: deployed is ${deployed}; drain ${color} by hand (rainbow drain ${color}, then rainbow apply)`,
  resumingRollback: (color: string, reason: string) =>
    `finishing the rollback of ${color} that an earlier run wrote but did not deploy (${reason})`,
  resumingUnwrittenRollback: (color: string, reason: string) =>
    `finishing the rollback of ${color} that an earlier run decided but could not write (${reason}): writing it, then deploying it`,
  /** `cdktf`: the command that runs cdktf here (engine/cdktf-binary.ts), `npx cdktf` for a local install. */
  rollbackNotDeployed: (
    file: string,
    deployed: string,
    written: string,
    color: string,
    stacks: readonly string[],
    cdktf: string,
  ) =>
    `the rollback (${written}) is written to ${file} but NOT deployed: deployed is ${deployed}. ` +
    `Run rainbow release ${color} again to deploy it${stacks.length === 0 ? '' : `, or deploy it yourself: RAINBOW_SPEC=${shellWord(file)} ${cdktf} deploy ${stacks.join(' ')}`}`,
  // why a release does not start, and why a step stops it
  releaseNoColor: (color: string, names: readonly string[]) =>
    `received ${describeValue(color)}; expected one of the colors in the spec: ${names.join(', ')}`,
  releaseNotDeployed: (color: string, source: string) =>
    `${color} is not in the previous spec (${source}), so its stack is not deployed; add it, deploy it (rainbow apply) and commit, then release it`,
  releaseRetiredBefore: (color: string, source: string) =>
    `${color} is retired in the previous spec (${source}), so its stack is empty; deploy it live (rainbow apply) and commit, then release it`,
  releaseUndeployed: (color: string, why: string, source: string) =>
    `${color} has changes that are not deployed (${why}, against ${source}); deploy them first (rainbow apply) and commit, then release it`,
  releaseNoSteps: (color: string) =>
    `received nothing; expected the weights rainbow release moves ${color} through, in order: add them to the spec, such as progression: { steps: [10, 50, 100] }, or [10, pause, 50, 100] to stop after 10% until rainbow release ${color} is run again`,
  releaseDone: (color: string, weight: number, steps: readonly number[]) =>
    `release: ${color} is at ${weight}%, already at or past the last of progression.steps [${steps.join(', ')}]; nothing to do`,
  releaseCheckFailed: (check: string, what: string, step: string, failures: number, limit: number) =>
    `check ${check} failed at ${step}: ${what} (${failures} failed ${failures === 1 ? 'run' : 'runs'}, progression.failureLimit ${limit})`,
  releaseCheckErrors: (check: string, what: string, step: string, inRow: number, limit: number) =>
    `check ${check} could not reach its source at ${step}: ${what} (${inRow} runs in a row, progression.consecutiveErrorLimit ${limit})`,
  releaseCheckInconclusive: (check: string, what: string, step: string, count: number, limit: number) =>
    `check ${check} was inconclusive at ${step}: ${what} (${count} inconclusive ${count === 1 ? 'run' : 'runs'}, progression.inconclusiveLimit ${limit})`,
  pastTheBake: (over: string) => `${over} past the bake, until every check passes`,
  verdictWords: {
    pass: 'passed',
    fail: 'failed',
    error: 'could not reach its source',
    inconclusive: 'was inconclusive',
  },
  // pauses
  pauseStep: 'progression.steps says pause here',
  paused: (step: string, why: string, deployed: string, color: string, bakeAgain: boolean) =>
    `paused at ${step}: ${why}; deployed is ${deployed}. Run rainbow release ${color} to go on from there${bakeAgain ? ' (the step bakes again first)' : ''}`,
  goingOn: (color: string, weight: number, why: string, bakeAgain: boolean) =>
    `going on from the pause at ${color} ${weight}% (${why})${bakeAgain ? ': baking that step again first' : ''}`,
  goingOnAfterPromotion: (color: string, weight: number, pausedBecause: string | undefined, watch: boolean) =>
    `going on after promotion (${color} at ${weight}%, deployed): ${pausedBecause === undefined ? 'an earlier run of this release ended there before it finished' : `an earlier run paused there (${pausedBecause})`}; ` +
    `${watch ? 'the watch after the last step runs again from its start, then the post-promotion hooks' : 'the post-promotion hooks run'}`,
  bakingLastAgain: (color: string, weight: number) =>
    `an earlier run of this release ended during the bake of the last step (${color} at ${weight}%, deployed): baking it again first`,
  dryRunPause: (step: string) => `a release pauses after ${step} (progression.steps: pause) until it is run again`,
  postPromotionLabel: (color: string, weight: number) => `after promotion (${color} at ${weight}%)`,
  postPromotionStart: (color: string, weight: number, duration: string) =>
    `${color} at ${weight}%, the last step: the checks keep running for ${duration} (progression.postPromotionSeconds); a failure rolls back`,
  releaseApplyFailed: (step: string) => `the deploy of ${step} failed (above)`,
  releaseEditFailed: (step: string) => `the spec could not be changed for ${step} (above)`,
  releaseCommitFailed: (step: string, why: string) => `git commit after ${step} failed: ${why}`,
  releaseInterrupted: (signal: string, step: string) => `interrupted by ${signal} at ${step}`,
  // hooks and notifications
  hookLabel: { preRollout: 'pre-rollout', postPromotion: 'post-promotion', onRollback: 'on-rollback' },
  preRolloutStart: (color: string, checks: readonly string[], pinned: string | undefined) =>
    `pre-rollout hooks at ${color} 0%: ${checks.join(', ')}${pinned === undefined ? '' : ` (HTTP checks with ${pinned})`}`,
  hookFailed: (moment: string, check: string, verdict: string, what: string) =>
    `${moment} hook ${check} ${verdict}: ${what}`,
  preRolloutFailed: (why: string) => `${why}; nothing shifted`,
  preRolloutSkipped: 'pre-rollout hooks passed in an earlier run of this release (its record says so); not run again',
  onRollbackFailed: (why: string) => `warning: ${why}; the rollback stays deployed, nothing else changes`,
  /** `command`: the command that sends the events. */
  notifyFailed: (event: string, host: string, attempts: number, why: string, command: 'release' | 'rollback') =>
    `warning: notification ${event} to ${host} not delivered (${attempts} tries): ${why}; ${command === 'release' ? 'the release goes on' : 'the rollback stays deployed'}`,
  notifyAbandoned: (ms: number, command: 'release' | 'rollback') =>
    `still under way ${ms} ms after the ${command} ended, abandoned`,
  releaseResumedDrain: (color: string) =>
    `the colors changed since the release started, so their weights before it cannot be restored: rolling back drains ${color} as rainbow drain does`,
} as const;

/** The texts of `rainbow rollback` the engine writes. */
export const ROLLBACK_TEXT = {
  noRelease:
    'no release is recorded beside the spec, so there is no color to go back to; name one: rainbow rollback --to <color>',
  nothingToDo: (color: string, source: string) =>
    `all traffic is on ${color} already, and deployed (${source}); nothing to do`,
  unsafe: (color: string) =>
    `all traffic on ${color} breaks the safety rules above (a rollback may only move more than maxStepPercent at once); nothing changed`,
  notRouterOnly: (stacks: readonly string[], source: string) =>
    `the spec holds changes that are not deployed (${stacks.join(', ')} against ${source}), and a rollback deploys the router only; deploy or undo them first; nothing changed`,
  colorNotDeployed: (color: string, source: string) =>
    `${color} is not deployed (not in ${source}, or retired there), so it cannot take traffic; nothing changed`,
  changedColor: (color: string, why: string, source: string) =>
    `${color} has changes that are not deployed (${why}, against ${source}), so it is not the warm color it was; nothing changed`,
  start: (color: string, from: string, to: string) => `all traffic to ${color}: ${from} → ${to}; deploying the router`,
  reason: (color: string) => `rainbow rollback: all traffic to ${color}`,
  changed: (file: string) =>
    `${file} changed while the rollback was computed; nothing written or deployed: run rainbow rollback again`,
  notDeployed: (file: string, deployed: string, written: string, stacks: readonly string[], cdktf: string) =>
    `the rollback (${written}) is written to ${file} but NOT deployed: deployed is ${deployed}. Run rainbow rollback again to deploy it, or deploy it yourself: RAINBOW_SPEC=${shellWord(file)} ${cdktf} deploy ${stacks.join(' ')}`,
  commitFailed: (why: string) =>
    `warning: git commit after the rollback failed: ${why}; the rollback is deployed: commit the spec yourself`,
  done: (weights: string) => `rolled back: ${weights}; deployed`,
  servingNow: (serving: string) =>
    `against the capacity that serves the traffic now (${serving === '' ? 'none' : serving})`,
  scaleUp: (color: string, field: string, from: number, to: number) =>
    `scale ${color} up first (${field} ${from} → at least ${to}), or roll back to another color; nothing changed`,
  otherColor: 'roll back to another color, or raise progression.maxLoadFactor; nothing changed',
  signalIgnored: (signal: string) => `${signal} came during the rollback, which was not interrupted`,
} as const;
