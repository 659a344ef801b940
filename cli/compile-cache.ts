/**
 * A V8 code cache for every CommonJS module the `rainbow` process loads (its own modules, zod,
 * yaml, commander, cdktf, the provider bindings): Node 20 has no `module.enableCompileCache`, so
 * this does what it does with `vm.Script` cached data. Compiling is most of a synth's start-up
 * (bench/README.md, "Profile"); with the cache V8 deserializes the bytecode instead.
 *
 * - One file per installed copy of the package and Node version, in the user's cache folder
 *   (`$XDG_CACHE_HOME/cdktf-rainbow`, else `~/.cache/cdktf-rainbow`), never in node_modules.
 * - Each module's entry is used only when the module's source has the same length and CRC-32 as
 *   when it was cached; V8 itself refuses data from another V8 version or other flags.
 * - Written at exit, only when a module was missing or refused, as a temporary file renamed into
 *   place: two processes writing at once leave one whole file. Anything unreadable, unwritable or
 *   corrupt is ignored and the modules compile as without the cache.
 * - A module that Node loads as an ES module, or whose text has `import(`, compiles as usual.
 * - `NODE_DISABLE_COMPILE_CACHE=1` (Node 22's name for its own cache) turns it off.
 */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { isRainbowEntryPoint } from './entry-point';

/** Where one module's cached data sits in the cache file. */
interface Entry {
  readonly crc: number;
  readonly length: number;
  readonly offset: number;
  readonly size: number;
}

/** The cache file: a 4-byte header length, a JSON header `{ file: [crc, length, offset, size] }`, the data. */
function readCache(file: string): { entries: Map<string, Entry>; data: Buffer } {
  const entries = new Map<string, Entry>();
  try {
    const bytes = readFileSync(file);
    const headerLength = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Record<string, [number, number, number, number]>;
    const data = bytes.subarray(4 + headerLength);
    for (const [name, [crc, length, offset, size]] of Object.entries(header)) {
      if (offset >= 0 && size > 0 && offset + size <= data.length) entries.set(name, { crc, length, offset, size });
    }
    return { entries, data };
  } catch {
    return { entries, data: Buffer.alloc(0) };
  }
}

/** The cache folder, or undefined when it cannot be created or is not this user's alone. */
function cacheFolder(): string | undefined {
  try {
    const xdg = process.env.XDG_CACHE_HOME;
    const folder = join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'cdktf-rainbow');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    // V8 trusts cached data: a folder that another user can write to could hand it code.
    const stat = lstatSync(folder);
    if (!stat.isDirectory() || (stat.mode & 0o022) !== 0) return undefined;
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}

interface CompilableModule {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
  _compile(content: string, filename: string, ...rest: unknown[]): unknown;
}

interface ModuleInternals {
  prototype: CompilableModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/**
 * Compiles every CommonJS module loaded from now on with the code cache of `key` (the package's
 * version and location). Returns false when the cache is off or has no folder.
 */
export function installCompileCache(key: string): boolean {
  const disabled = process.env.NODE_DISABLE_COMPILE_CACHE;
  if (disabled !== undefined && disabled !== '' && disabled !== '0') return false;
  const folder = cacheFolder();
  if (folder === undefined) return false;
  const id = crc32(`${key}\0${process.version}\0${process.arch}`).toString(16).padStart(8, '0');
  const file = join(folder, `v8-${id}.bin`);
  const cache = readCache(file);
  const compiled = new Map<string, { script: Script; crc: number; length: number }>();
  let changed = false;

  const ModuleClass = Module as unknown as ModuleInternals;
  const entryModule = require.main;
  const compile = ModuleClass.prototype._compile;
  ModuleClass.prototype._compile = function compileWithCache(this: CompilableModule, ...args: unknown[]): unknown {
    return compileModule(this, args[0] as string, args[1] as string, args.slice(2));
  };
  function compileModule(mod: CompilableModule, content: string, filename: string, rest: unknown[]): unknown {
    // Node passes the module's format: 'module' for an ES module, else 'commonjs', undefined or null.
    // `import()` needs Node's own callback, which a script compiled here has not (and
    // vm.USE_MAIN_CONTEXT_DEFAULT_LOADER loses it with cached data on Node 20): those compile as usual.
    if (rest[0] === 'module') return compile.call(mod, content, filename, ...rest);
    const crc = crc32(content);
    const entry = cache.entries.get(filename);
    const cachedData = entry !== undefined && entry.crc === crc && entry.length === content.length
      ? cache.data.subarray(entry.offset, entry.offset + entry.size) : undefined;
    // A module with `import(` never gets an entry: only one without needs the look (a pass over the text).
    if (cachedData === undefined && content.includes('import(')) return compile.call(mod, content, filename, ...rest);
    // A hashbang is only valid at the very start of a script, and the wrapper goes before it.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    let script: Script;
    try {
      script = new Script(ModuleClass.wrap(source), { filename, cachedData });
    } catch {
      // Node decides what a module that does not compile as CommonJS is (an ES module, an error).
      return compile.call(mod, content, filename, ...rest);
    }
    if (cachedData === undefined || script.cachedDataRejected === true) changed = true;
    compiled.set(filename, { script, crc, length: content.length });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Object.assign((request: string) => mod.require(request), {
      resolve: Object.assign(
        (request: string, options?: unknown) => ModuleClass._resolveFilename(request, mod, false, options),
        { paths: (request: string) => ModuleClass._resolveLookupPaths(request, mod) },
      ),
      main: entryModule,
      extensions: ModuleClass._extensions,
      cache: ModuleClass._cache,
    });
    return wrapper.call(mod.exports, mod.exports, require, mod, filename, dirname(filename));
  }

  // At exit the scripts hold the bytecode of every function that ran, not only the top level.
  process.once('exit', () => {
    if (!changed) return;
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      const header: Record<string, [number, number, number, number]> = {};
      const chunks: Buffer[] = [];
      let offset = 0;
      const add = (name: string, crc: number, length: number, data: Buffer) => {
        if (data.length === 0) return;
        header[name] = [crc, length, offset, data.length];
        chunks.push(data);
        offset += data.length;
      };
      for (const [name, { script, crc, length }] of compiled) add(name, crc, length, script.createCachedData());
      // Modules this run did not load (another platform's bindings) keep their entries.
      for (const [name, entry] of cache.entries) {
        if (!compiled.has(name)) add(name, entry.crc, entry.length, cache.data.subarray(entry.offset, entry.offset + entry.size));
      }
      const headerBytes = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(headerBytes.length, 0);
      writeFileSync(temporary, Buffer.concat([length, headerBytes, ...chunks]), { mode: 0o600 });
      renameSync(temporary, file);
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // nothing was written, or nothing can be removed: either way there is no cache to spoil
      }
    }
  });
  return true;
}

/** The package's version from its package.json, two folders up from dist/cli/. */
function packageVersion(): string {
  try {
    return String((JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown }).version);
  } catch {
    return 'unknown';
  }
}

if (isRainbowEntryPoint()) {
  installCompileCache(`${__dirname}\0${packageVersion()}`);
}
