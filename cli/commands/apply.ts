import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { MESSAGES } from '../../spec/messages';
import { deployCalls } from '../../spec/plan';
import { EXIT, Io } from '../output';
import { paint, STYLE } from '../table';
import { CDKTF_APP } from './init-templates';
import { computePlan, PlanOptions } from './plan';

export interface ApplyOptions extends PlanOptions {
  readonly autoApprove?: boolean;
}

/**
 * `rainbow apply`: the plan's phases in order, each with `cdktf deploy <stacks...>` (from PATH,
 * in the current directory, whose cdktf.json app reads RAINBOW_SPEC), stopping at the first
 * failure, with progress and the time each call took. Stacks that hold a migration deploy one a
 * call, so that two migrations never run at once. Before the first call it checks that cdktf
 * can run at all (the CLI on PATH, a cdktf.json here), so that a missing piece is named, not a
 * spawn error halfway through.
 */
export function applyCommand(io: Io, specFile: string, options: ApplyOptions, env: NodeJS.ProcessEnv = process.env): number {
  const result = computePlan(io, specFile, options);
  if (typeof result === 'number') return result;
  const color = options.color === true;
  if (!result.allowed) {
    io.err('apply: unsafe; nothing deployed. Fix the spec, or pass --force to override the rules named above');
    return EXIT.invalid;
  }
  const phases = result.plan.phases;
  if (phases.length > 0) {
    const missing = missingPrerequisite(env);
    if (missing !== undefined) {
      io.err(`apply: ${missing}`);
      return EXIT.invalid;
    }
  }
  for (const [i, phase] of phases.entries()) {
    const calls = deployCalls(phase, result.spec);
    for (const [j, stacks] of calls.entries()) {
      const label = `phase ${i + 1}/${phases.length} (${phase.title}${calls.length > 1 ? `, ${j + 1}/${calls.length}` : ''})`;
      io.out(`${paint(color, STYLE.bold, label)}: cdktf deploy ${stacks.join(' ')}`);
      const started = process.hrtime.bigint();
      const args = ['deploy', ...stacks, ...(options.autoApprove === true ? ['--auto-approve'] : [])];
      const run = spawnSync('cdktf', args, { stdio: 'inherit', env: { ...env, RAINBOW_SPEC: resolve(specFile) } });
      const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
      if (run.error !== undefined || run.status !== 0) {
        const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
        const why = code === 'ENOENT' ? MESSAGES.cdktfNotFound : run.error !== undefined ? run.error.message : `cdktf exited with ${run.status ?? run.signal}`;
        const skipped = calls.slice(j + 1).flat();
        const later = phases.length - i - 1;
        // Plain: `color` says whether stdout is a terminal, and this line goes to stderr.
        io.err(`${label} failed after ${seconds} s (${why}); ${skipped.length === 0 ? '' : `${skipped.join(' ')} not deployed; `}${later} later ${later === 1 ? 'phase' : 'phases'} not run`);
        return EXIT.invalid;
      }
      io.out(`${paint(color, STYLE.bold, label)} ${paint(color, STYLE.green, `done in ${seconds} s`)}`);
    }
  }
  io.out(phases.length === 0 ? 'apply: nothing to deploy' : paint(color, STYLE.green, `apply: ${phases.length} ${phases.length === 1 ? 'phase' : 'phases'} deployed`));
  return EXIT.ok;
}

/** Why `cdktf deploy` cannot run here, or undefined: no cdktf.json in this folder, no cdktf on PATH. */
function missingPrerequisite(env: NodeJS.ProcessEnv): string | undefined {
  if (!existsSync('cdktf.json')) return MESSAGES.cdktfJsonMissing(process.cwd(), CDKTF_APP);
  if (findOnPath('cdktf', env) === undefined) return MESSAGES.cdktfNotFound;
  return undefined;
}

/** The executable `name` as the shell would find it on PATH (with PATHEXT on Windows). */
function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const candidate = join(dir, `${name}${extension}`);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // absent or not executable here: the shell would look further along PATH
      }
    }
  }
  return undefined;
}
