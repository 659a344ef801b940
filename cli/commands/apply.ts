import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { EXIT, Io } from '../output';
import { deployCalls } from '../../spec/plan';
import { computePlan, PlanOptions } from './plan';

export interface ApplyOptions extends PlanOptions {
  readonly autoApprove?: boolean;
}

/**
 * `rainbow apply`: the plan's phases in order, each with `cdktf deploy <stacks...>` (from PATH,
 * in the current directory, whose cdktf.json app reads RAINBOW_SPEC), stopping at the first
 * failure, with progress and the time each call took. Stacks that hold a migration deploy one a
 * call, so that two migrations never run at once.
 */
export function applyCommand(io: Io, specFile: string, options: ApplyOptions): number {
  const result = computePlan(io, specFile, options);
  if (typeof result === 'number') return result;
  if (!result.allowed) {
    io.err('apply: unsafe; nothing deployed. Fix the spec, or pass --force to override the rules named above');
    return EXIT.invalid;
  }
  const phases = result.plan.phases;
  for (const [i, phase] of phases.entries()) {
    const calls = deployCalls(phase, result.spec);
    for (const [j, stacks] of calls.entries()) {
      const label = `phase ${i + 1}/${phases.length} (${phase.title}${calls.length > 1 ? `, ${j + 1}/${calls.length}` : ''})`;
      io.out(`${label}: cdktf deploy ${stacks.join(' ')}`);
      const started = process.hrtime.bigint();
      const args = ['deploy', ...stacks, ...(options.autoApprove === true ? ['--auto-approve'] : [])];
      const run = spawnSync('cdktf', args, { stdio: 'inherit', env: { ...process.env, RAINBOW_SPEC: resolve(specFile) } });
      const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
      if (run.error !== undefined || run.status !== 0) {
        const why = run.error !== undefined ? run.error.message : `cdktf exited with ${run.status ?? run.signal}`;
        const skipped = calls.slice(j + 1).flat();
        const later = phases.length - i - 1;
        io.err(`${label} failed after ${seconds} s (${why}); ${skipped.length === 0 ? '' : `${skipped.join(' ')} not deployed; `}${later} later ${later === 1 ? 'phase' : 'phases'} not run`);
        return EXIT.invalid;
      }
      io.out(`${label} done in ${seconds} s`);
    }
  }
  io.out(phases.length === 0 ? 'apply: nothing to deploy' : `apply: ${phases.length} ${phases.length === 1 ? 'phase' : 'phases'} deployed`);
  return EXIT.ok;
}
