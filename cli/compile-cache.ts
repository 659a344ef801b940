/**
 * A V8 code cache for every CommonJS module the `rainbow` process loads (its own modules, zod,
 * yaml, commander, cdktf, the provider bindings): Node 20 has no `module.enableCompileCache`, so
 * this does what it does with `vm.Script` cached data. Compiling is most of a synth's start-up
 * (bench/README.md, "Profile"); with the cache V8 deserializes the bytecode instead.
 *
 * - One file per installed copy of the package, its version and the Node version, in the user's
 *   cache folder (`$XDG_CACHE_HOME/cdktf-rainbow`, else `~/.cache/cdktf-rainbow`), never in
 *   node_modules: `v8-<install>-<versions>.bin`.
 * - Each module's entry is used only when the module's source has the same length and CRC-32 as
 *   when it was cached, and the entry's bytes the SHA-256 stored with them: V8 checks the version
 *   and flags of cached data but not its bytes (Node 20 aborts the process, SIGTRAP, on a damaged
 *   entry), so a disk error or a torn copy must be caught here. A damaged entry is compiled anew.
 * - Written at exit, only when a module was missing or refused, as a temporary file flushed to
 *   disk and renamed into place: a crash leaves the old file or the new one, and two processes
 *   writing at once leave one whole file. Anything unreadable, unwritable or corrupt is ignored
 *   and the modules compile as without the cache.
 * - Writing also removes what an older install left: the files of this install for another
 *   version of the package or of Node, the files of the unchecked format of rainbow 0.2, the
 *   temporary files of processes that are gone, and the entries of modules no longer on disk.
 * - A module that Node loads as an ES module, or whose text has `import(`, compiles as usual.
 * - `NODE_DISABLE_COMPILE_CACHE=1` (Node 22's name for its own cache) turns it off.
 */
import { createHash } from 'node:crypto';
import {
  closeSync, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeSync,
} from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { isRainbowEntryPoint } from './entry-point';

/** Where one module's cached data sits in the cache file, and what it was made from. */
interface Entry {
  /** CRC-32 and length of the module's source. */
  readonly crc: number;
  readonly length: number;
  readonly offset: number;
  readonly size: number;
  /** SHA-256 of the cached data, hex. */
  readonly sha256: string;
}

type EntryFields = [crc: number, length: number, offset: number, size: number, sha256: string];

/** The layout of the cache file; a file of another format is ignored and replaced. */
const FORMAT = 2;
/** Larger than any real cache (a 16-color synth's is 7 MB): a bigger file is not read. */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * The cache file: a 4-byte header length, a JSON header
 * `{ format: 2, entries: { file: [crc, length, offset, size, sha256] } }`, then the data.
 */
function readCache(file: string): { entries: Map<string, Entry>; data: Buffer } {
  const entries = new Map<string, Entry>();
  try {
    const bytes = readRegularFile(file, MAX_CACHE_BYTES);
    const headerLength = bytes.readUInt32LE(0);
    if (headerLength > bytes.length - 4) throw new Error('truncated');
    const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as { format?: unknown; entries?: Record<string, unknown> };
    if (header.format !== FORMAT || typeof header.entries !== 'object' || header.entries === null) throw new Error('another format');
    const data = bytes.subarray(4 + headerLength);
    for (const [name, fields] of Object.entries(header.entries)) {
      if (!Array.isArray(fields) || fields.length !== 5) continue;
      const [crc, length, offset, size, hash] = fields as EntryFields;
      if (![crc, length, offset, size].every(Number.isSafeInteger) || typeof hash !== 'string') continue;
      if (offset >= 0 && size > 0 && offset + size <= data.length) entries.set(name, { crc, length, offset, size, sha256: hash });
    }
    return { entries, data };
  } catch {
    return { entries: new Map(), data: Buffer.alloc(0) };
  }
}

/** A regular file's bytes (not through a link), at most `limit` of them; throws on anything else. */
function readRegularFile(file: string, limit: number): Buffer {
  if (!lstatSync(file).isFile()) throw new Error('not a regular file');
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    if (!Number.isSafeInteger(size) || size > limit) throw new Error('too large');
    const buffer = Buffer.alloc(size);
    let length = 0;
    for (let read = -1; read !== 0 && length < size; length += read) read = readSync(fd, buffer, length, size - length, null);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `bytes` to `file` through a temporary file that is flushed to disk before it is renamed.
 * Not engine/files: this runs before any other module is loaded, and loading those (the spec
 * reader, yaml) first would compile them without the cache.
 */
function writeCacheFile(file: string, temporary: string, bytes: Buffer): void {
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    for (let offset = 0; offset < bytes.length;) {
      const written = writeSync(fd, bytes, offset, bytes.length - offset);
      if (written <= 0) throw new Error('short write');
      offset += written;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what older installs left in the cache folder: this copy's files for other versions of
 * the package or of Node, the unchecked files of rainbow 0.2 (`v8-<8 hex>.bin`, any copy's), and
 * temporary files of processes that are gone. Other copies' files of this format are theirs.
 */
function removeOldFiles(folder: string, install: string, current: string): void {
  for (const name of readdirSync(folder)) {
    const temporary = /^v8-[0-9a-f-]+\.bin\.(\d+)\.\d+\.tmp$/.exec(name);
    const old = name !== current && (new RegExp(`^v8-${install}-[0-9a-f]{8}\\.bin$`).test(name) || /^v8-[0-9a-f]{8}\.bin$/.test(name));
    if (old || (temporary !== null && Number(temporary[1]) !== process.pid && !processAlive(Number(temporary[1])))) {
      rmSync(join(folder, name), { force: true });
    }
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

/** 8 hex digits naming a string in a file name. */
const hex = (text: string) => crc32(text).toString(16).padStart(8, '0');

/**
 * Compiles every CommonJS module loaded from now on with the code cache of this copy of the
 * package (`location`, the folder it is installed in) at `version`. Returns false when the cache
 * is off or has no folder.
 */
export function installCompileCache(location: string, version: string): boolean {
  const disabled = process.env.NODE_DISABLE_COMPILE_CACHE;
  if (disabled !== undefined && disabled !== '' && disabled !== '0') return false;
  const folder = cacheFolder();
  if (folder === undefined) return false;
  const install = hex(location);
  const name = `v8-${install}-${hex(`${version}\0${process.version}\0${process.arch}`)}.bin`;
  const file = join(folder, name);
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
    let cachedData = entry !== undefined && entry.crc === crc && entry.length === content.length
      ? cache.data.subarray(entry.offset, entry.offset + entry.size) : undefined;
    if (cachedData !== undefined && sha256(cachedData) !== entry!.sha256) {
      cachedData = undefined;
      cache.entries.delete(filename);
    }
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
      const entries: Record<string, EntryFields> = {};
      const chunks: Buffer[] = [];
      let offset = 0;
      const add = (moduleFile: string, crc: number, length: number, data: Buffer, hash = sha256(data)) => {
        if (data.length === 0) return;
        entries[moduleFile] = [crc, length, offset, data.length, hash];
        chunks.push(data);
        offset += data.length;
      };
      for (const [moduleFile, { script, crc, length }] of compiled) add(moduleFile, crc, length, script.createCachedData());
      // Modules this run did not load (another platform's bindings) keep their entries, if they
      // are whole and their module is still installed.
      for (const [moduleFile, entry] of cache.entries) {
        if (compiled.has(moduleFile) || !existsSync(moduleFile)) continue;
        const data = cache.data.subarray(entry.offset, entry.offset + entry.size);
        if (sha256(data) === entry.sha256) add(moduleFile, entry.crc, entry.length, data, entry.sha256);
      }
      const headerBytes = Buffer.from(JSON.stringify({ format: FORMAT, entries }));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(headerBytes.length, 0);
      writeCacheFile(file, temporary, Buffer.concat([length, headerBytes, ...chunks]));
      removeOldFiles(folder, install, name);
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
  installCompileCache(__dirname, packageVersion());
}
