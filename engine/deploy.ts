import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { colorStackName, Platform, RainbowSpec } from '../model/types';
import { deployCalls, DeployPhase } from '../planning/phases';
import {
  ec2RefreshRequest,
  InstanceRefreshRequest,
  readRefreshOutputs,
  RefreshClock,
  refreshInstances,
  RefreshOptions,
  RefreshResult,
} from './ec2-refresh';
import { SYSTEM_CLOCK } from './clock';
import { Io } from './io';
import { ENGINE_MESSAGES } from './messages';
import { ProcessResult, RunningProcess, startProcess } from './process';

/**
 * The deploys of `rainbow apply` and `rainbow release`: the plan's phases in order, each call a
 * `cdktf deploy <stacks...>` in a process group of its own (engine/process.ts), so that a signal
 * meant for rainbow reaches cdktf only when the engine passes it on.
 */

export interface DeployOptions {
  /** The spec file, handed to cdktf's app as RAINBOW_SPEC. */
  readonly specFile: string;
  readonly autoApprove?: boolean;
  /** Stacks of one call that cdktf deploys at once; 1 deploys them one after another. */
  readonly parallelism: number;
  /** The environment of cdktf. */
  readonly env: NodeJS.ProcessEnv;
  /** How phase labels and their outcome are drawn (ANSI styles on a terminal). */
  readonly style?: { readonly bold: (text: string) => string; readonly green: (text: string) => string };
  /**
   * Aborting asks the cdktf call in flight to stop as Ctrl-C would (SIGINT to its group, which
   * Terraform answers by finishing what it is doing and saving state), and runs no further call.
   * Without it, nothing stops a deploy but its end: a rollback's deploy is shielded so.
   */
  readonly stop?: AbortSignal;
  /** Starts cdktf: a test's stand-in may replace it. */
  readonly start?: (args: readonly string[], env: NodeJS.ProcessEnv) => RunningProcess;
  /** Runs the instance refresh of an ec2 color: a test's stand-in may replace it. */
  readonly refresh?: (request: InstanceRefreshRequest, options: RefreshOptions) => Promise<RefreshResult>;
  /** The time an instance refresh is followed by. @default the system's */
  readonly clock?: RefreshClock;
}

/**
 * The ec2 color stacks among `stacks`: a deploy of one only makes its new launch template version
 * (the group ignores it in Terraform: terraform-provider-aws#34189), and the engine then rolls the
 * instances to it with an instance refresh that can roll back (engine/ec2-refresh.ts).
 */
function ec2ColorStacks(spec: RainbowSpec, stacks: readonly string[]): Array<{ stack: string; color: string }> {
  if (spec.platform !== Platform.EC2) return [];
  return spec.colors
    .filter((c) => c.state !== 'retired')
    .map((c) => ({ stack: colorStackName(spec.app, c.name), color: c.name }))
    .filter((c) => stacks.includes(c.stack));
}

export type DeployResult =
  | { readonly outcome: 'deployed'; readonly phases: number }
  | {
      readonly outcome: 'failed' | 'stopped';
      readonly failedStacks: readonly string[];
      readonly notRun: readonly string[];
    };

const startCdktf = (args: readonly string[], env: NodeJS.ProcessEnv) =>
  startProcess('cdktf', args, { env, stdio: 'inherit', killGroupOnExit: false });

/** What one cdktf call needs besides its arguments: `deploy` and `destroy` (engine/destroy.ts) alike. */
export interface CdktfCallOptions {
  /** The spec file, handed to cdktf's app as RAINBOW_SPEC. */
  readonly specFile: string;
  /** The environment of cdktf. */
  readonly env: NodeJS.ProcessEnv;
  /** Aborting sends SIGINT to the call's process group, as Ctrl-C would. */
  readonly stop?: AbortSignal;
  /** Starts cdktf: a test's stand-in may replace it. */
  readonly start?: (args: readonly string[], env: NodeJS.ProcessEnv) => RunningProcess;
}

/**
 * Runs one cdktf call, such as `deploy shop-red shop-orange`, from PATH in a process group of its
 * own (engine/process.ts), with the spec in RAINBOW_SPEC, and waits for it to exit. Aborting
 * `stop` asks it to stop as Ctrl-C would (SIGINT to its group), which Terraform answers by
 * finishing what it is doing and saving state; nothing else reaches it.
 */
export async function runCdktf(args: readonly string[], options: CdktfCallOptions): Promise<ProcessResult> {
  const child = (options.start ?? startCdktf)(args, { ...options.env, RAINBOW_SPEC: resolve(options.specFile) });
  const stop = () => child.signalGroup('SIGINT');
  if (options.stop?.aborted === true) stop();
  else options.stop?.addEventListener('abort', stop, { once: true });
  try {
    return await child.result;
  } finally {
    options.stop?.removeEventListener('abort', stop);
  }
}

/** Why a cdktf call failed, or undefined when it succeeded; `notFound` says what to do when cdktf is not on PATH. */
export function cdktfFailure(run: ProcessResult, notFound: string = ENGINE_MESSAGES.cdktfNotFound): string | undefined {
  if (run.error === undefined && run.code === 0) return undefined;
  if (run.error?.code === 'ENOENT') return notFound;
  return run.error !== undefined ? run.error.message : `cdktf exited with ${run.code ?? run.signal}`;
}

/** Seconds since `started` (process.hrtime.bigint()), to one decimal, as progress lines print them. */
export function secondsSince(started: bigint): string {
  return (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
}

/** Deploys the phases in order, stopping at the first failure. */
export async function deployPhases(
  io: Io,
  phases: readonly DeployPhase[],
  spec: RainbowSpec,
  options: DeployOptions,
): Promise<DeployResult> {
  const bold = options.style?.bold ?? ((t: string) => t);
  const green = options.style?.green ?? ((t: string) => t);
  const cache = phases.length > 0 ? pluginCache(options.env) : { env: {} };
  if (cache.note !== undefined) io.out(cache.note);
  let cacheWarm = cache.shared !== true || options.parallelism === 1;
  const stopped = () => options.stop?.aborted === true;
  for (const [i, phase] of phases.entries()) {
    let calls = deployCalls(phase, spec);
    if (!cacheWarm && calls[0].length > 1) {
      // Terraform's plugin cache is not safe for concurrent installs (hashicorp/terraform#31964):
      // the first stack fills it alone, the others then only link what it holds.
      calls = [[calls[0][0]], calls[0].slice(1), ...calls.slice(1)];
    }
    cacheWarm = true;
    for (const [j, stacks] of calls.entries()) {
      const label = `phase ${i + 1}/${phases.length} (${phase.title}${calls.length > 1 ? `, ${j + 1}/${calls.length}` : ''})`;
      const notRun = [...calls.slice(j + 1).flat(), ...phases.slice(i + 1).flatMap((p) => p.stacks)];
      if (stopped()) return { outcome: 'stopped', failedStacks: [], notRun: [...stacks, ...notRun] };
      const atOnce = Math.min(options.parallelism, stacks.length);
      io.out(`${bold(label)}: cdktf deploy ${stacks.join(' ')}${stacks.length > 1 ? ` (${atOnce} at a time)` : ''}`);
      const started = process.hrtime.bigint();
      const refreshed = ec2ColorStacks(spec, stacks);
      const outputsDir = refreshed.length === 0 ? undefined : mkdtempSync(join(tmpdir(), 'rainbow-outputs-'));
      const outputsFile = outputsDir === undefined ? undefined : join(outputsDir, 'outputs.json');
      const args = [
        'deploy',
        ...stacks,
        ...(options.autoApprove === true ? ['--auto-approve'] : []),
        ...(stacks.length > 1 ? ['--parallelism', String(atOnce)] : []),
        ...(outputsFile === undefined ? [] : ['--outputs-file', outputsFile]),
      ];
      const run = await runCdktf(args, { ...options, env: { ...options.env, ...cache.env } });
      let refreshFailure: string | undefined;
      try {
        if (run.error === undefined && run.code === 0 && outputsFile !== undefined)
          refreshFailure = await refreshGroups(io, spec, refreshed, outputsFile, options);
      } finally {
        if (outputsDir !== undefined) rmSync(outputsDir, { recursive: true, force: true });
      }
      if (refreshFailure !== undefined) {
        const seconds = secondsSince(started);
        const later = phases.length - i - 1;
        io.err(
          `${label} ${stopped() ? 'stopped' : 'failed'} after ${seconds} s (${refreshFailure}); ${later} later ${later === 1 ? 'phase' : 'phases'} not run`,
        );
        return { outcome: stopped() ? 'stopped' : 'failed', failedStacks: stacks, notRun };
      }
      const seconds = secondsSince(started);
      const why = cdktfFailure(run);
      if (why !== undefined) {
        const later = phases.length - i - 1;
        const skipped = calls.slice(j + 1).flat();
        io.err(
          `${label} ${stopped() ? 'stopped' : 'failed'} after ${seconds} s (${why}); ${skipped.length === 0 ? '' : `${skipped.join(' ')} not deployed; `}${later} later ${later === 1 ? 'phase' : 'phases'} not run`,
        );
        return { outcome: stopped() ? 'stopped' : 'failed', failedStacks: stacks, notRun };
      }
      io.out(`${bold(label)} ${green(`done in ${seconds} s`)}`);
      if (stopped() && notRun.length > 0) return { outcome: 'stopped', failedStacks: [], notRun };
    }
  }
  return { outcome: 'deployed', phases: phases.length };
}

/**
 * Rolls each ec2 color just deployed to its launch template's latest version, all at once, and
 * waits for every refresh to end; undefined when all succeeded, else what went wrong.
 */
async function refreshGroups(
  io: Io,
  spec: RainbowSpec,
  colors: ReadonlyArray<{ stack: string; color: string }>,
  outputsFile: string,
  options: DeployOptions,
): Promise<string | undefined> {
  let outputs: Record<string, unknown>;
  try {
    outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    return `the outputs cdktf deploy wrote cannot be read (${(error as Error).message.split('\n')[0]}), so no instance refresh was started`;
  }
  const refresh = options.refresh ?? refreshInstances;
  const signal = options.stop ?? new AbortController().signal;
  const results = await Promise.all(
    colors.map(async ({ stack, color }) => {
      let request: InstanceRefreshRequest;
      try {
        request = ec2RefreshRequest(spec, color, readRefreshOutputs(stack, outputs[stack]));
      } catch (error) {
        return `${stack}: ${(error as Error).message}`;
      }
      const result = await refresh(request, {
        clock: options.clock ?? SYSTEM_CLOCK,
        onProgress: (line) => io.out(`  ${line}`),
        signal,
      });
      if (result.outcome === 'succeeded') return undefined;
      const asked = 'rollbackRequested' in result && result.rollbackRequested ? '; a rollback was asked for' : '';
      return `instance refresh of ${stack} ${result.outcome === 'rolled-back' ? 'rolled back' : result.outcome}: ${result.reason}${asked}`;
    }),
  );
  const failures = results.filter((r): r is string => r !== undefined);
  return failures.length === 0 ? undefined : failures.join('; ');
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
    return {
      env: {},
      note: ENGINE_MESSAGES.pluginCacheUnavailable(folder, (error as NodeJS.ErrnoException).code ?? 'error'),
    };
  }
  return { env: { [PLUGIN_CACHE_VARIABLE]: folder }, shared: true, note: ENGINE_MESSAGES.pluginCacheUsed(folder) };
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
  const files =
    process.platform === 'win32'
      ? [join(env.APPDATA ?? '', 'terraform.rc')]
      : home === ''
        ? []
        : [join(home, '.terraformrc')];
  const dir = process.platform === 'win32' ? join(env.APPDATA ?? '', 'terraform.d') : join(home, '.terraform.d');
  try {
    files.push(
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.tfrc'))
        .map((f) => join(dir, f)),
    );
  } catch {
    // no configuration folder
  }
  return files.some(setsIt);
}
