import { dirname, resolve } from 'node:path';
import { runCheck } from '../../engine/checks';
import { commitSpec } from '../../engine/git';
import { previousSpec } from '../../engine/previous-spec';
import { fileReleaseStore } from '../../engine/release-record';
import { RollbackOutcome, runRollback } from '../../engine/rollback';
import { onTerminationSignals } from '../../engine/signals';
import { lockSpec } from '../../engine/spec-store';
import { EXIT, Io } from '../output';
import { engineDeploy, missingPrerequisite } from './apply';
import { EXIT_ROLLBACK_NOT_DEPLOYED } from './release';

export interface RollbackCommandOptions {
  /** The color that gets all the traffic; by default the one with the most before the latest release. */
  readonly to?: string;
  /** Pass `--auto-approve` to `cdktf deploy`. */
  readonly yes?: boolean;
  /** `git commit` the spec after the deploy. */
  readonly commit?: boolean;
  /** ANSI colors in the plan apply prints. */
  readonly color?: boolean;
}

/** Exit codes: 0 rolled back (or all traffic was there already), 1 refused or stopped, 4 written but not deployed. */
export const ROLLBACK_EXIT: Record<RollbackOutcome, number> = {
  'rolled-back': EXIT.ok,
  done: EXIT.ok,
  refused: EXIT.invalid,
  stopped: EXIT.invalid,
  'rollback-failed': EXIT_ROLLBACK_NOT_DEPLOYED,
};

/**
 * `rainbow rollback [--to <color>] [--yes] [--commit]`: the engine's rollback (engine/rollback.ts)
 * with the spec file, its record, git, `cdktf deploy` and the checks of this machine: all traffic
 * on one warm color, every other at 0, in one router deploy that no signal interrupts, then the
 * onRollback hooks and the `rolled-back` notification.
 */
export async function rollbackCommand(
  io: Io,
  specFile: string,
  options: RollbackCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
  onInterrupt = onTerminationSignals,
): Promise<number> {
  const outcome = await runRollback(
    io,
    specFile,
    { to: options.to, commit: options.commit },
    {
      store: fileReleaseStore(specFile),
      lock: () => lockSpec(specFile, { waitMs: 0, purpose: 'rainbow rollback' }),
      previous: () => previousSpec(specFile, undefined),
      deploy: engineDeploy(io, specFile, options, env),
      commit: (text, message) => commitSpec(specFile, text, message, env),
      prerequisite: () => missingPrerequisite(env),
      runCheck,
      env,
      cwd: dirname(resolve(specFile)),
      // A rollback is not interrupted: a signal is heard and said, and the deploy goes on.
      onInterrupt,
    },
  );
  return ROLLBACK_EXIT[outcome];
}
