import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  Stats,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Problem, RainbowValidationError } from '../model/problem';
import { displayPath, holdsLegacyState, physicalPath, processAlive } from './local-state';
import { STACK_MESSAGES } from './messages';

/** The file synth writes into its output, so that the next synth knows the directory is its own. */
export const OUTPUT_MARKER = '.rainbow-synth';

const MARKER_TOOL = 'cdktf-rainbow';

export function writeOutputMarker(outdir: string): void {
  const body = {
    tool: MARKER_TOOL,
    note: 'rainbow synth wrote this directory and replaces it whole on the next synth; keep nothing else here',
  };
  writeFileSync(join(outdir, OUTPUT_MARKER), `${JSON.stringify(body, null, 2)}\n`);
}

export interface OutputContext {
  /** The spec file: the output may not hold it. */
  readonly specFile?: string;
  /** The state folder: the output may neither hold it nor lie inside it. */
  readonly stateDir: string;
  readonly onNote: (note: Problem) => void;
}

function refuse(path: string, message: string): never {
  throw new RainbowValidationError([{ path, message }]);
}

/** `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : `${outer}${sep}`);
}

/**
 * The directory that `--out <outdir>` names, after the checks that need nothing but paths: not
 * empty, not the current directory, the spec's directory, the state folder or any directory
 * holding them. A symbolic link is followed and said so; a dangling one is refused.
 */
export function outputTarget(outdir: string, context: OutputContext): string {
  if (outdir.trim() === '') refuse('--out', STACK_MESSAGES.outEmpty);
  const given = resolve(outdir);
  let target = physicalPath(given);
  const link = lstatOrUndefined(given);
  if (link?.isSymbolicLink() === true) {
    try {
      target = realpathSync(given);
    } catch {
      refuse(outdir, STACK_MESSAGES.outDanglingLink(readlinkSync(given)));
    }
    context.onNote({ path: outdir, message: STACK_MESSAGES.outLinkFollowed(target) });
  }
  const kept: Array<[string, string]> = [[physicalPath(process.cwd()), 'the current directory']];
  if (context.specFile !== undefined) {
    const spec = resolve(context.specFile);
    kept.push([join(physicalPath(dirname(spec)), basename(spec)), `the spec file ${displayPath(spec)}`]);
    kept.push([physicalPath(spec), `the spec file ${displayPath(physicalPath(spec))}`]);
  }
  kept.push([context.stateDir, `the state folder ${displayPath(context.stateDir)}`]);
  for (const [path, what] of kept)
    if (within(path, target)) refuse(outdir, STACK_MESSAGES.outHolds(path === target ? 'is' : 'holds', what));
  if (within(target, physicalPath(context.stateDir)))
    refuse(outdir, STACK_MESSAGES.outInsideState(displayPath(context.stateDir)));
  return target;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function describeKind(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

/** Whose a directory is: synth may replace all but a foreign one (listed by its entries). */
export type Ownership = 'absent' | 'empty' | 'marked' | 'legacy' | { readonly foreign: readonly string[] };

/**
 * Whether `dir` is synth's own: empty, marked, or an output of an earlier version or of
 * `cdktf synth` (only a cdktf `manifest.json` and a `stacks/` folder of directories).
 */
export function ownership(dir: string): Ownership | { readonly notDirectory: string } {
  const stats = lstatOrUndefined(dir);
  if (stats === undefined) return 'absent';
  if (!stats.isDirectory()) return { notDirectory: describeKind(stats) };
  const entries = readdirSync(dir).sort();
  if (entries.length === 0) return 'empty';
  if (hasMarker(dir)) return 'marked';
  return isCdktfOutput(dir, entries) ? 'legacy' : { foreign: entries };
}

function hasMarker(dir: string): boolean {
  const marker = join(dir, OUTPUT_MARKER);
  try {
    if (!lstatSync(marker).isFile()) return false;
    return (JSON.parse(readFileSync(marker, 'utf8')) as { tool?: unknown }).tool === MARKER_TOOL;
  } catch {
    return false;
  }
}

function isCdktfOutput(dir: string, entries: readonly string[]): boolean {
  if (!entries.includes('manifest.json') || entries.some((e) => e !== 'manifest.json' && e !== 'stacks')) return false;
  try {
    if (!lstatSync(join(dir, 'manifest.json')).isFile()) return false;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      version?: unknown;
      stacks?: unknown;
    };
    if (
      typeof manifest.version !== 'string' ||
      typeof manifest.stacks !== 'object' ||
      manifest.stacks === null ||
      Array.isArray(manifest.stacks)
    )
      return false;
    if (!entries.includes('stacks')) return true;
    const stacks = join(dir, 'stacks');
    return (
      lstatSync(stacks).isDirectory() && readdirSync(stacks, { withFileTypes: true }).every((e) => e.isDirectory())
    );
  } catch {
    return false;
  }
}

/** Refuses, with `<outdir>: <why>`, a target that synth may not replace. */
export function checkOwnership(outdir: string, target: string): Ownership {
  const found = ownership(target);
  if (typeof found === 'object' && 'notDirectory' in found)
    refuse(outdir, STACK_MESSAGES.outNotDirectory(found.notDirectory));
  if (typeof found === 'object' && 'foreign' in found) {
    const shown = found.foreign
      .slice(0, 3)
      .map((e) => JSON.stringify(e))
      .join(', ');
    const more = found.foreign.length > 3 ? ` and ${found.foreign.length - 3} more` : '';
    refuse(outdir, STACK_MESSAGES.outForeign(`${shown}${more}`));
  }
  return found;
}

/**
 * The temporary directories of a synth into `target`: `.<name>.synth-<pid>-<random>`, and the
 * previous output moved aside as `<that>.previous`. The pid tells a dead run's from a live one's.
 */
export function stagingPrefix(target: string): string {
  return join(dirname(target), `.${basename(target)}.synth-${process.pid}-`);
}

interface Leftover {
  readonly path: string;
  readonly previous: boolean;
  /** "pid 123", or "an earlier version" for the names without a pid. */
  readonly owner: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Temporary directories of runs that are gone; earlier versions named theirs `.<name>.tmp-XXXXXX`. */
function deadLeftovers(target: string): Leftover[] {
  const parent = dirname(target);
  if (!existsSync(parent)) return [];
  const name = escapeRegExp(basename(target));
  const current = new RegExp(`^\\.${name}\\.synth-(\\d+)-[A-Za-z0-9]{6}(\\.previous)?$`);
  const legacy = new RegExp(`^\\.${name}\\.tmp-[A-Za-z0-9]{6}(\\.previous)?$`);
  const found: Leftover[] = [];
  for (const entry of readdirSync(parent)) {
    const ours = current.exec(entry);
    if (ours !== null && !processAlive(Number(ours[1])))
      found.push({ path: join(parent, entry), previous: ours[2] !== undefined, owner: `pid ${ours[1]}` });
    const old = legacy.exec(entry);
    if (old !== null)
      found.push({ path: join(parent, entry), previous: old[1] !== undefined, owner: 'an earlier version' });
  }
  return found.filter((l) => lstatOrUndefined(l.path)?.isDirectory() === true);
}

/**
 * Finishes what killed runs left: when the output is missing and a run had moved it aside, it
 * is moved back; then each leftover's Terraform working files are moved into the output (where
 * it has none of its own) and the leftover is removed. A leftover that still holds state the
 * output has a different copy of is kept and named. Does nothing when the output is not synth's.
 */
export function recoverInterruptedSynth(outdir: string, target: string, onNote: (note: Problem) => void): void {
  const leftovers = deadLeftovers(target);
  if (leftovers.length === 0) return;
  let remaining = leftovers;
  if (lstatOrUndefined(target) === undefined) {
    const previous = leftovers
      .filter((l) => l.previous)
      .sort((a, b) => lstatSync(b.path).mtimeMs - lstatSync(a.path).mtimeMs)[0];
    if (previous !== undefined) {
      renameSync(previous.path, target);
      onNote({ path: outdir, message: STACK_MESSAGES.outRestored(displayPath(previous.path), previous.owner) });
      remaining = leftovers.filter((l) => l !== previous);
    }
  }
  const found = ownership(target);
  if (typeof found === 'object') return;
  for (const leftover of remaining) {
    if (found !== 'absent') carryOverWorkingFiles(leftover.path, target);
    const state = stackDirs(leftover.path)
      .map(holdsLegacyState)
      .find((s) => s !== undefined);
    if (state !== undefined) {
      onNote({ path: outdir, message: STACK_MESSAGES.outLeftoverKept(displayPath(leftover.path), displayPath(state)) });
      continue;
    }
    rmSync(leftover.path, { recursive: true, force: true });
    onNote({ path: outdir, message: STACK_MESSAGES.outLeftoverRemoved(displayPath(leftover.path), leftover.owner) });
  }
}

function stackDirs(outdir: string): string[] {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(stacks, e.name));
}

/** Files that synthesis writes into a stack's directory; everything else there belongs to Terraform or the user. */
const SYNTHESIZED = new Set(['cdk.tf.json', 'cdk.tf', 'metadata.json']);

/**
 * Moves what synthesis did not write (`.terraform/`, the lock file, plans) from each stack
 * directory of `from` into the same stack directory of `into`, where that has none of its own,
 * also for a stack that left the output. Each move is one rename, so a killed run can go on.
 */
export function carryOverWorkingFiles(from: string, into: string): void {
  for (const stackDir of stackDirs(from)) {
    for (const entry of readdirSync(stackDir)) {
      if (SYNTHESIZED.has(entry)) continue;
      const to = join(into, 'stacks', basename(stackDir), entry);
      if (lstatOrUndefined(to) !== undefined) continue;
      mkdirSync(dirname(to), { recursive: true });
      renameSync(join(stackDir, entry), to);
    }
  }
}

/**
 * Puts the fresh output `staging` in place of `target` with two renames in one directory; the
 * old output is removed only once the new one is in place and Terraform's working files have
 * moved over. A kill at any point leaves either the old output in place or a `.previous` that
 * the next run finishes with (recoverInterruptedSynth).
 */
export function swapIn(staging: string, target: string): void {
  if (lstatOrUndefined(target) === undefined) {
    renameSync(staging, target);
    return;
  }
  const previous = `${staging}.previous`;
  renameSync(target, previous);
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(previous, target);
    throw error;
  }
  carryOverWorkingFiles(previous, target);
  rmSync(previous, { recursive: true, force: true });
}
