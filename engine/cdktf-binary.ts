import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

/**
 * Which `cdktf` a person would run by hand: the one on their shell's PATH, else the project's own
 * install (`node_modules/.bin/cdktf` in the current folder or a folder above it), which a shell
 * only finds through `npx`. The hints that print a `cdktf deploy` to run (a rollback not deployed)
 * use it, so that the line can be pasted as it is.
 */

/**
 * `cdktf` when it is on PATH (or nowhere to be found), `npx cdktf` when only a local install of the project has it.
 * `folder` is where the line is pasted: the current folder, where cdktf.json is and where the deploys ran.
 * A `node_modules/.bin` folder on PATH is not the person's: npm, npx and yarn put it there for the scripts they run
 * (`npx rainbow`, `npm run`), and the shell the hint is pasted into does not have it.
 */
export function cdktfCommand(folder: string, env: NodeJS.ProcessEnv): 'cdktf' | 'npx cdktf' {
  if (findOnPath('cdktf', { ...env, PATH: withoutPackageBins(env.PATH) }) !== undefined) return 'cdktf';
  return localCdktf(folder) === undefined ? 'cdktf' : 'npx cdktf';
}

/** `path` (a PATH) without its entries that are a `node_modules/.bin` folder. */
function withoutPackageBins(path: string | undefined): string | undefined {
  return path
    ?.split(delimiter)
    .filter((dir) => !isPackageBin(dir))
    .join(delimiter);
}

/** A `node_modules/.bin` folder, written with either separator and a trailing one or not (any case on Windows). */
function isPackageBin(dir: string): boolean {
  const parts = dir.split(/[\\/]+/).filter((part) => part !== '');
  const [parent, bin] = parts.slice(-2).map((part) => (process.platform === 'win32' ? part.toLowerCase() : part));
  return parent === 'node_modules' && bin === '.bin';
}

/**
 * `node_modules/.bin/cdktf` in `folder` or the nearest folder above it that has one, as npx finds it; undefined when
 * none has.
 */
export function localCdktf(folder: string): string | undefined {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'cdktf.cmd' : 'cdktf');
    if (isExecutable(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The executable `name` as the shell would find it on PATH (with PATHEXT on Windows). */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const candidate = join(dir, `${name}${extension}`);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** A regular file (or a link to one) that may be executed; absent, a folder or not executable is false. */
function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
