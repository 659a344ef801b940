import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { MESSAGES } from '../../spec/messages';
import { deployCalls } from '../../spec/plan';
import { MAX_PARALLELISM } from '../options';
import { EXIT, Io } from '../output';
import { paint, STYLE } from '../table';
import { CDKTF_APP } from './init-templates';
import { computePlan, PlanOptions } from './plan';

export interface ApplyOptions extends PlanOptions {
  readonly autoApprove?: boolean;
  /** Stacks of one call that cdktf deploys at once; 1 deploys them one after another. */
  readonly parallelism?: number;
}

/** `--parallelism` without a value: one stack per CPU. */
export function defaultParallelism(): number {
  return Math.min(MAX_PARALLELISM, availableParallelism());
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
  const parallelism = options.parallelism ?? defaultParallelism();
  const cache = phases.length > 0 ? pluginCache(env) : { env: {} };
  if (cache.note !== undefined) io.out(cache.note);
  let cacheWarm = cache.shared !== true || parallelism === 1;
  for (const [i, phase] of phases.entries()) {
    let calls = deployCalls(phase, result.spec);
    if (!cacheWarm && calls[0].length > 1) {
      // Terraform's plugin cache is not safe for concurrent installs (hashicorp/terraform#31964):
      // the first stack fills it alone, the others then only link what it holds.
      calls = [[calls[0][0]], calls[0].slice(1), ...calls.slice(1)];
    }
    cacheWarm = true;
    for (const [j, stacks] of calls.entries()) {
      const label = `phase ${i + 1}/${phases.length} (${phase.title}${calls.length > 1 ? `, ${j + 1}/${calls.length}` : ''})`;
      const atOnce = Math.min(parallelism, stacks.length);
      io.out(`${paint(color, STYLE.bold, label)}: cdktf deploy ${stacks.join(' ')}${stacks.length > 1 ? ` (${atOnce} at a time)` : ''}`);
      const started = process.hrtime.bigint();
      const args = [
        'deploy', ...stacks, ...(options.autoApprove === true ? ['--auto-approve'] : []), ...(stacks.length > 1 ? ['--parallelism', String(atOnce)] : []),
      ];
      const run = spawnSync('cdktf', args, { stdio: 'inherit', env: { ...env, ...cache.env, RAINBOW_SPEC: resolve(specFile) } });
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

/** The environment variable that names Terraform's plugin cache folder. */
const PLUGIN_CACHE_VARIABLE = 'TF_PLUGIN_CACHE_DIR';

interface PluginCache {
  /** What to add to cdktf's environment. */
  readonly env: Record<string, string>;
  /** Whether every stack's Terraform shares one plugin cache (the user's or this one). */
  readonly shared?: boolean;
  /** A line saying which cache the stacks use, when apply chose it. */
  readonly note?: string;
}

/**
 * One Terraform plugin cache for every stack, so that each provider is downloaded once per machine
 * rather than once per stack: `~/.terraform.d/plugin-cache`, created if absent. A cache the user
 * set (TF_PLUGIN_CACHE_DIR, or plugin_cache_dir in the Terraform CLI configuration, which the
 * environment variable would override) is kept as it is.
 */
export function pluginCache(env: NodeJS.ProcessEnv): PluginCache {
  if ((env[PLUGIN_CACHE_VARIABLE] ?? '') !== '' || cliConfigSetsPluginCache(env)) return { env: {}, shared: true };
  const home = env.HOME ?? env.USERPROFILE;
  if (home === undefined || home === '') return { env: {} };
  const folder = join(home, '.terraform.d', 'plugin-cache');
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    return { env: {}, note: MESSAGES.pluginCacheUnavailable(folder, (error as NodeJS.ErrnoException).code ?? 'error') };
  }
  return { env: { [PLUGIN_CACHE_VARIABLE]: folder }, shared: true, note: MESSAGES.pluginCacheUsed(folder) };
}

/**
 * Whether a Terraform CLI configuration file sets plugin_cache_dir: TF_CLI_CONFIG_FILE, else
 * ~/.terraformrc (terraform.rc in %APPDATA% on Windows) and the *.tfrc files of ~/.terraform.d
 * (Terraform's own order: internal/command/cliconfig, LoadConfig).
 */
function cliConfigSetsPluginCache(env: NodeJS.ProcessEnv): boolean {
  const setsIt = (file: string) => {
    try {
      return /^\s*plugin_cache_dir\s*=/m.test(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  };
  const override = env.TF_CLI_CONFIG_FILE ?? '';
  if (override !== '') return setsIt(override);
  const home = env.HOME ?? '';
  const files = process.platform === 'win32'
    ? [join(env.APPDATA ?? '', 'terraform.rc')]
    : home === '' ? [] : [join(home, '.terraformrc')];
  const dir = process.platform === 'win32' ? join(env.APPDATA ?? '', 'terraform.d') : join(home, '.terraform.d');
  try {
    files.push(...readdirSync(dir).filter((f) => f.endsWith('.tfrc')).map((f) => join(dir, f)));
  } catch {
    // no configuration folder
  }
  return files.some(setsIt);
}

/** Why `cdktf deploy` cannot run here, or undefined: no cdktf.json in this folder, no cdktf on PATH. */
export function missingPrerequisite(env: NodeJS.ProcessEnv): string | undefined {
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
