import { dirname, resolve } from 'node:path';
import { runCheck } from '../../engine/checks';
import { SYSTEM_CLOCK } from '../../engine/clock';
import { commitSpec } from '../../engine/git';
import { ReleaseClock, ReleaseOutcome, runRelease } from '../../engine/release';
import { fileReleaseStore } from '../../engine/release-record';
import { publishReport, ReleaseReport } from '../../engine/release-report';
import { onTerminationSignals } from '../../engine/signals';
import { EXIT, Io } from '../output';
import { previousSpec } from '../../engine/previous-spec';
import { lockSpec } from '../../engine/spec-store';
import { engineDeploy, missingPrerequisite } from './apply';

export { formatDuration } from '../../engine/release';
export type { ReleaseClock } from '../../engine/release';

export interface ReleaseOptions {
  /** Pass `--auto-approve` to every `cdktf deploy`, the rollback's included. */
  readonly yes?: boolean;
  /** `git commit` the spec after each deployed step, and after a deployed rollback. */
  readonly commit?: boolean;
  /** Run the checks once per step and print the edits, writing and deploying nothing. */
  readonly dryRun?: boolean;
  /** ANSI colors in the plans apply prints. */
  readonly color?: boolean;
  /** Write what the release did as JSON to this file (and a summary to $GITHUB_STEP_SUMMARY when set). */
  readonly report?: string;
}

export interface ReleaseDeps {
  readonly clock: ReleaseClock;
  /** Calls `listener` with the signal's name on SIGINT, SIGTERM and SIGHUP, until the returned function is called. */
  readonly onInterrupt: (listener: (signal: string) => void) => () => void;
  /** The environment of cdktf, git and the command checks. */
  readonly env: NodeJS.ProcessEnv;
}

/** The exit code of a release that paused (a `pause` step, or inconclusive checks): run it again to go on. */
export const EXIT_PAUSED = 3;

/** The exit code of a release whose rollback is not deployed: traffic is not where the spec says. */
export const EXIT_ROLLBACK_NOT_DEPLOYED = 4;

export function systemDeps(): ReleaseDeps {
  return { clock: SYSTEM_CLOCK, onInterrupt: onTerminationSignals, env: process.env };
}

const EXIT_OF: Record<ReleaseOutcome, number> = {
  promoted: EXIT.ok,
  done: EXIT.ok,
  'dry-run-passed': EXIT.ok,
  refused: EXIT.invalid,
  stopped: EXIT.invalid,
  'rolled-back': EXIT.invalid,
  'dry-run-failed': EXIT.invalid,
  'rollback-failed': EXIT_ROLLBACK_NOT_DEPLOYED,
  paused: EXIT_PAUSED,
};

/**
 * `rainbow release <color>`: the engine's release (engine/release.ts) with the spec file, git,
 * `cdktf deploy` and the checks of this machine. Exit 0 when promoted (or nothing was left), 1
 * when it refused, stopped or rolled back, 3 when it paused, 4 when a rollback is not deployed.
 */
export async function releaseCommand(
  io: Io,
  specFile: string,
  name: string,
  options: ReleaseOptions,
  deps: ReleaseDeps = systemDeps(),
): Promise<number> {
  const onReport =
    options.dryRun === true
      ? undefined
      : (report: ReleaseReport) => {
          publishReport(io, report, options.report, deps.env);
        };
  const outcome = await runRelease(
    io,
    specFile,
    name,
    { commit: options.commit, dryRun: options.dryRun, onReport },
    {
      clock: deps.clock,
      onInterrupt: deps.onInterrupt,
      env: deps.env,
      cwd: dirname(resolve(specFile)),
      store: fileReleaseStore(specFile),
      // A second release is refused at once, naming the first; an edit waits for the release to end.
      lock: () => lockSpec(specFile, { waitMs: 0, purpose: `rainbow release ${name}` }),
      previous: () => previousSpec(specFile, undefined),
      deploy: engineDeploy(io, specFile, options, deps.env),
      commit: (text, message) => commitSpec(specFile, text, message, deps.env),
      runCheck,
      prerequisite: () => missingPrerequisite(deps.env),
    },
  );
  return EXIT_OF[outcome];
}
