import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Problem, RainbowValidationError } from '../model/problem';
import { STACK_MESSAGES } from './messages';

/** The folder beside the spec file that holds local Terraform state; synth never moves it. */
export const STATE_FOLDER = 'rainbow-state';

/**
 * `path` with its existing part resolved through symbolic links and the rest appended as written:
 * the directory a process working there really is in, which Terraform resolves `..` from.
 */
export function physicalPath(path: string): string {
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(existing), ...missing);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const parent = dirname(existing);
    if (parent === existing) return join(existing, ...missing);
    missing.unshift(basename(existing));
    existing = parent;
  }
}

/**
 * The state folder: `rainbow-state/` beside the spec file, or beside the output directory when
 * there is no spec file (library use). The folder itself is not resolved, so it may be a link.
 */
export function stateDirectory(specFile: string | undefined, outdir: string): string {
  const base = specFile === undefined ? dirname(physicalPath(outdir)) : physicalPath(dirname(resolve(specFile)));
  return join(base, STATE_FOLDER);
}

/** The state folder as a stack's working directory `<outdir>/stacks/<stack>/` reaches it, with `/` separators. */
export function stateDirectoryFromStack(outdir: string, stateDir: string): string {
  return relative(join(physicalPath(outdir), 'stacks', 'stack'), stateDir)
    .split(sep)
    .join('/');
}

/** A path as the user should read it: relative to the current directory when inside it. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' ? '.' : shown.startsWith('..') ? path : shown;
}

/** Where earlier versions kept a stack's state in its directory, and where it goes in the state folder. */
function legacyStatePaths(stack: string): Array<[string, string]> {
  return [
    [`terraform.${stack}.tfstate`, `${stack}.tfstate`],
    [`terraform.${stack}.tfstate.backup`, `${stack}.tfstate.backup`],
    ['terraform.tfstate.d', `${stack}.tfstate.d`],
  ];
}

/** Whether a stack directory holds state of an earlier version (so a leftover holding it is kept). */
export function holdsLegacyState(stackDir: string): string | undefined {
  const stack = basename(stackDir);
  for (const [name] of legacyStatePaths(stack)) if (existsSync(join(stackDir, name))) return join(stackDir, name);
  return undefined;
}

function sameFile(a: string, b: string): boolean {
  const sa = lstatSync(a);
  const sb = lstatSync(b);
  return sa.isFile() && sb.isFile() && sa.size === sb.size && readFileSync(a).equals(readFileSync(b));
}

/**
 * Moves the local state that earlier versions kept inside `<outdir>/stacks/<stack>/` into the
 * state folder, before synth replaces the output. Checks every file first: when the state folder
 * already holds a different state for a stack, nothing moves and a RainbowValidationError names
 * both. An identical copy (left by a move across file systems that was interrupted) is removed.
 * Also drops the backend record Terraform keeps in `.terraform/terraform.tfstate` when it names
 * the old path, so that `terraform init` (and `cdktf deploy`) take the new path without asking
 * for `-migrate-state`; the record is only a copy of the backend settings, not state.
 */
export function moveLegacyState(outdir: string, stateDir: string, onNote: (note: Problem) => void): void {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) return;
  const moves: Array<[string, string]> = [];
  const duplicates: string[] = [];
  const problems: Problem[] = [];
  const stacks = readdirSync(stacksDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  for (const stack of stacks) {
    for (const [oldName, newName] of legacyStatePaths(stack)) {
      const from = join(stacksDir, stack, oldName);
      const to = join(stateDir, newName);
      if (!existsSync(from)) continue;
      if (!existsSync(to)) moves.push([from, to]);
      else if (sameFile(from, to)) duplicates.push(from);
      else problems.push({ path: displayPath(from), message: STACK_MESSAGES.stateConflict(displayPath(to)) });
    }
  }
  if (problems.length > 0) throw new RainbowValidationError(problems);
  if (moves.length > 0) mkdirSync(stateDir, { recursive: true });
  removeDeadCopies(stateDir);
  for (const from of duplicates) rmSync(from, { recursive: true, force: true });
  for (const [from, to] of moves) {
    moveAcrossFileSystems(from, to);
    onNote({ path: displayPath(from), message: STACK_MESSAGES.stateMoved(displayPath(to)) });
  }
  for (const stack of stacks) forgetOldBackendPath(join(stacksDir, stack), stack);
}

function forgetOldBackendPath(stackDir: string, stack: string): void {
  const record = join(stackDir, '.terraform', 'terraform.tfstate');
  if (!existsSync(record)) return;
  let backend: { type?: unknown; config?: { path?: unknown } } | undefined;
  try {
    backend = (JSON.parse(readFileSync(record, 'utf8')) as { backend?: typeof backend }).backend;
  } catch {
    return;
  }
  if (backend?.type === 'local' && backend.config?.path === `terraform.${stack}.tfstate`) unlinkSync(record);
}

const COPY_SUFFIX = /^\.(.+)\.(\d+)\.copy$/;

/** A rename; across file systems a copy under a temporary name (renamed when whole), then a removal. */
function moveAcrossFileSystems(from: string, to: string): void {
  try {
    renameSync(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  const copy = join(dirname(to), `.${basename(to)}.${process.pid}.copy`);
  cpSync(from, copy, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
  renameSync(copy, to);
  rmSync(from, { recursive: true, force: true });
}

/** Removes the half-made copies of moves whose process is gone. */
function removeDeadCopies(stateDir: string): void {
  if (!existsSync(stateDir)) return;
  for (const name of readdirSync(stateDir)) {
    const match = COPY_SUFFIX.exec(name);
    if (match !== null && !processAlive(Number(match[2])))
      rmSync(join(stateDir, name), { recursive: true, force: true });
  }
}

/** Whether a process of this id still runs (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
