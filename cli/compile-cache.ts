/**
 * Node's own compile cache for the `rainbow` process and the cdktf app (`module.enableCompileCache`,
 * Node 22.1 and later): V8 reads the bytecode of the modules it compiled in an earlier run instead
 * of compiling them again. On Node 20, which has no such function, nothing happens.
 *
 * The cache lives in the user's cache folder (`$XDG_CACHE_HOME/cdktf-rainbow`, else
 * `~/.cache/cdktf-rainbow`), not in Node's default under the shared temporary folder: V8 trusts
 * cached bytecode, so a folder that another user can write to, or that is not this user's, is not
 * used. Node keeps one subfolder per Node version, V8 flags and user, checks each entry's
 * checksum and its source's before use, and compiles anew what does not match
 * (bench/README.md, "Start-up"). `NODE_COMPILE_CACHE` (a folder chosen by the user) and
 * `NODE_DISABLE_COMPILE_CACHE=1` work as Node documents them.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { isRainbowEntryPoint } from './entry-point';

/** The cache folder, or undefined when it cannot be created or is not this user's alone. */
export function compileCacheFolder(): string | undefined {
  try {
    const xdg = process.env.XDG_CACHE_HOME;
    const folder = join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'cdktf-rainbow');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = lstatSync(folder);
    if (!stat.isDirectory() || (stat.mode & 0o022) !== 0) return undefined;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

interface CompileCacheApi {
  enableCompileCache?: (directory?: string) => unknown;
  getCompileCacheDir?: () => string | undefined;
}

/**
 * Turns on Node's compile cache where this Node has it and the user has not chosen a folder of
 * their own (`NODE_COMPILE_CACHE`) or turned it off; returns whether it asked Node to.
 */
export function enableCompileCache(): boolean {
  const api = nodeModule as CompileCacheApi;
  if (typeof api.enableCompileCache !== 'function') return false;
  // With NODE_COMPILE_CACHE set, Node has enabled it already; with NODE_DISABLE_COMPILE_CACHE, it never will.
  if (process.env.NODE_COMPILE_CACHE || process.env.NODE_DISABLE_COMPILE_CACHE) return false;
  // The launcher enabled it before the bundle, which holds this module too.
  if (api.getCompileCacheDir?.() !== undefined) return false;
  const folder = compileCacheFolder();
  if (folder === undefined) return false;
  api.enableCompileCache(folder);
  return true;
}

// Before the modules the command loads are compiled: this module is the entry points' first import.
if (isRainbowEntryPoint()) enableCompileCache();
