/**
 * Modules that cdktf and zod load at start-up and that a synth of a spec never calls: loaded on
 * first use instead. cdktf loads `archiver` (and through it lodash, glob, readable-stream: about
 * 200 modules) to zip `TerraformAsset` folders, and `semver` (45 modules) for the Terraform version
 * checks of import and move blocks; zod loads its 60 translations of its messages for `z.locales`.
 * That is half of the modules the `rainbow` process loads, and none of their work reaches the
 * output (bench/README.md, "Start-up").
 *
 * Where the module is required, the requiring module gets a stand-in that loads the real module the
 * first time it is called or a member is read, and from then on forwards to it: an asset still
 * zips, a version check still checks. Only the `rainbow` binary and the cdktf app install it
 * (dist/cli/main.js, dist/main.js); a program that imports the library loads what it loads.
 */
import Module from 'node:module';
import { sep } from 'node:path';
import { isRainbowEntryPoint } from './entry-point';

/** A module loaded on first use, where one file of an installed package requires it. */
export interface LazyModule {
  /** The requiring file, inside node_modules: `cdktf/lib/private/fs.js`. */
  readonly from: string;
  /** What that file requires, as it spells it. */
  readonly request: string;
  /**
   * What the module exports: a function the requiring file calls, an object whose members it
   * reads, or an ES module compiled to CommonJS (an object marked `__esModule`).
   */
  readonly exports: 'function' | 'object' | 'es-module';
}

/** Each entry is checked against the installed packages by test/cli/lazy-modules.test.ts. */
export const LAZY_MODULES: readonly LazyModule[] = [
  // For TerraformAsset folders of type ARCHIVE, which cdktf zips in a child process that runs
  // lib/private/fs.js as its main module (without this hook): this process never calls it.
  { from: 'cdktf/lib/private/fs.js', request: 'archiver', exports: 'function' },
  // ValidateBinaryVersion: import blocks, moved blocks, terraform_data, the cloud backend.
  { from: 'cdktf/lib/validations/validate-binary-version.js', request: 'semver', exports: 'object' },
  // `z.locales`; the English messages zod uses come from locales/en.cjs, which stays as it is.
  { from: 'zod/v4/classic/external.cjs', request: '../locales/index.cjs', exports: 'es-module' },
  { from: 'zod/v4/core/index.cjs', request: '../locales/index.cjs', exports: 'es-module' },
];

/**
 * A stand-in for a module's exports: `load` runs the first time it is called, constructed, or a
 * member or key is read, and everything is forwarded to what it returned. An `es-module` stand-in
 * answers `__esModule` itself, as the compiled ES modules in the table say, so that `__importStar`
 * keeps it whole instead of copying (and so loading) its members; the others ask the module.
 * A stand-in cannot be made non-extensible (`Object.freeze` on it throws): its own target stays
 * extensible, so that its keys and descriptors can be the module's.
 */
export function lazyExports(load: () => unknown, kind: LazyModule['exports']): unknown {
  const stand = kind === 'function' ? function lazyModule() {} : {};
  let real: object | undefined;
  const module = (): object => (real ??= load() as object);
  // A function target has a non-configurable `prototype`: the proxy must report it as such.
  const fixed = (key: string | symbol) => {
    const own = Reflect.getOwnPropertyDescriptor(stand, key);
    return own !== undefined && own.configurable === false ? own : undefined;
  };
  const handler: ProxyHandler<object> = {
    get: (_, key) => (kind === 'es-module' && key === '__esModule' && real === undefined ? true : Reflect.get(module(), key)),
    set: (_, key, value) => Reflect.set(module(), key, value),
    has: (_, key) => Reflect.has(module(), key),
    apply: (_, self, args) => Reflect.apply(module() as (...a: unknown[]) => unknown, self, args),
    construct: (_, args) => Reflect.construct(module() as new (...a: unknown[]) => object, args),
    getPrototypeOf: () => Reflect.getPrototypeOf(module()),
    ownKeys: () => {
      const keys = Reflect.ownKeys(module());
      return [...keys, ...Reflect.ownKeys(stand).filter((key) => fixed(key) !== undefined && !keys.includes(key))];
    },
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
      const own = fixed(key);
      if (own !== undefined) {
        // Reported as the target has it, with the module's value where the target's may change.
        if (descriptor === undefined || !('value' in own) || own.writable !== true) return own;
        return { value: Reflect.get(module(), key), writable: true, enumerable: own.enumerable, configurable: false };
      }
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => {
      if (!Reflect.defineProperty(module(), key, descriptor)) return false;
      return descriptor.configurable === false ? Reflect.defineProperty(stand, key, descriptor) : true;
    },
    deleteProperty: (_, key) => fixed(key) === undefined && Reflect.deleteProperty(module(), key),
    preventExtensions: () => false,
  };
  return new Proxy(stand, handler);
}

/** The requests of the table, and the end of each requiring file's path on this system. */
const REQUESTS = new Set(LAZY_MODULES.map((m) => m.request));
const SUFFIXES = LAZY_MODULES.map((m) => `${sep}node_modules${sep}${m.from.split('/').join(sep)}`);

/** The entry for `request` required by the file `filename`, if it is in the table. */
export function lazyModuleFor(request: string, filename: string): LazyModule | undefined {
  // Every require of the process comes here: most answer at the first test.
  if (!REQUESTS.has(request)) return undefined;
  return LAZY_MODULES.find((m, i) => m.request === request && filename.endsWith(SUFFIXES[i]));
}

interface ModuleLoader {
  _load(request: string, parent: { filename?: string } | null | undefined, isMain: boolean): unknown;
}

const INSTALLED = Symbol.for('cdktf-rainbow.lazyModules');

/** Loads the modules of the table on first use in this process from now on. */
export function installLazyModules(): void {
  const loader = Module as unknown as ModuleLoader & { [INSTALLED]?: true };
  if (loader[INSTALLED]) return;
  const load = loader._load;
  loader._load = function loadLazily(this: unknown, request, parent, isMain) {
    const filename = parent?.filename;
    const lazy = typeof filename === 'string' ? lazyModuleFor(request, filename) : undefined;
    if (lazy === undefined) return load.call(this, request, parent, isMain);
    return lazyExports(() => load.call(this, request, parent, isMain), lazy.exports);
  };
  loader[INSTALLED] = true;
}

if (isRainbowEntryPoint()) installLazyModules();
