import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LAZY_MODULES, lazyExports, lazyModuleFor } from '../../cli/lazy-modules';

const ROOT = resolve(__dirname, '..', '..');

describe('under jest', () => {
  it('loads archiver, semver and the zod translations on first use as well (test/resolver.js)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- what this file loads is the point
    require('cdktf');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('zod');
    // First in this file: the tests below load the real modules into this file's registry.
    const loaded = Object.keys(require.cache).filter((f) => /node_modules\/(archiver|semver|lodash)\/|zod\/v4\/locales\/index\./.test(f));
    expect(loaded).toEqual([]);
    expect(Object.keys(require.cache).some((f) => f.includes('node_modules/cdktf/lib/private/fs.js'))).toBe(true);
  });
});

describe('the table of modules loaded on first use', () => {
  it.each(LAZY_MODULES.map((m) => [m.from, m.request]))('%s still requires %s at its top level', (from, request) => {
    // After an upgrade of cdktf or zod that moves the require, the entry would be dead weight.
    const text = readFileSync(join(ROOT, 'node_modules', from), 'utf8');
    expect(text).toContain(`require("${request}")`);
    expect(existsSync(require.resolve(request, { paths: [dirname(join(ROOT, 'node_modules', from))] }))).toBe(true);
  });

  it.each(LAZY_MODULES.map((m) => [m.request, m.from, m.exports]))('%s (from %s) exports what the table says: %s', (request, from, kind) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module itself is the point
    const exported = require(require.resolve(request, { paths: [dirname(join(ROOT, 'node_modules', from))] })) as { __esModule?: boolean };
    expect({ type: typeof exported, esModule: exported.__esModule === true }).toEqual({ type: kind === 'function' ? 'function' : 'object', esModule: kind === 'es-module' });
  });

  it('matches the requiring file by its place in node_modules, and nothing else', () => {
    expect(lazyModuleFor('archiver', join(ROOT, 'node_modules', 'cdktf', 'lib', 'private', 'fs.js'))?.exports).toBe('function');
    expect(lazyModuleFor('archiver', join(ROOT, 'node_modules', 'cdktf', 'lib', 'private', 'other.js'))).toBeUndefined();
    expect(lazyModuleFor('archiver', join(ROOT, 'cdktf', 'lib', 'private', 'fs.js'))).toBeUndefined();
    expect(lazyModuleFor('semver', join(ROOT, 'node_modules', 'cdktf', 'lib', 'private', 'fs.js'))).toBeUndefined();
  });
});

describe('a module loaded on first use', () => {
  it('is not loaded until a function module is called, then gets the arguments and this, and returns its result', () => {
    const load = jest.fn(() => function add(this: { base: number } | undefined, a: number, b: number) {
      return (this?.base ?? 0) + a + b;
    });
    const lazy = lazyExports(load, 'function') as (a: number, b: number) => number;
    expect(load).not.toHaveBeenCalled();
    expect(lazy(1, 2)).toBe(3);
    expect(lazy.call({ base: 10 }, 1, 2)).toBe(13);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('constructs and reads members through to a function module', () => {
    class Real {
      public static kind = 'zip';
      public constructor(public readonly format: string) {}
    }
    const lazy = lazyExports(() => Real, 'function') as typeof Real;
    expect(new lazy('tar').format).toBe('tar');
    expect(lazy.kind).toBe('zip');
  });

  it('answers __esModule for an ES module without loading it, so that __importStar keeps it whole', () => {
    const load = jest.fn(() => ({ __esModule: true, en: () => 'english', de: () => 'deutsch' }));
    const lazy = lazyExports(load, 'es-module') as Record<string, unknown>;
    // What TypeScript's CommonJS output does with `import * as locales from '...'`.
    const importStar = (mod: Record<string, unknown>) => (mod && mod.__esModule ? mod : { ...mod });
    expect(importStar(lazy)).toBe(lazy);
    expect(load).not.toHaveBeenCalled();
    expect((lazy.de as () => string)()).toBe('deutsch');
    expect(Object.keys(lazy).sort()).toEqual(['__esModule', 'de', 'en']);
    expect('en' in lazy).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('asks a CommonJS module for __esModule, so that __importDefault wraps it as it would the module', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading on first use is the point
    const semver = lazyExports(() => require('semver'), 'object') as { __esModule?: boolean };
    const importDefault = (mod: { __esModule?: boolean }) => (mod && mod.__esModule ? mod : { default: mod });
    const wrapped = importDefault(semver) as { default: { satisfies(v: string, range: string): boolean } };
    expect(wrapped.default.satisfies('1.5.0', '>=1.4')).toBe(true);
    expect((semver as unknown as { satisfies(v: string, range: string): boolean }).satisfies('1.3.0', '>=1.4')).toBe(false);
  });

  it('has the keys, own properties and prototype of a function module, and its own non-configurable prototype property', () => {
    function real() { return 'zip'; }
    real.create = () => 'archive';
    const lazy = lazyExports(() => real, 'function') as typeof real;
    expect(Object.keys(lazy)).toEqual(['create']);
    expect(Object.prototype.hasOwnProperty.call(lazy, 'create')).toBe(true);
    expect({ ...lazy }.create()).toBe('archive');
    expect(Object.getOwnPropertyDescriptor(lazy, 'prototype')).toEqual({ value: real.prototype, writable: true, enumerable: false, configurable: false });
    expect(Object.getPrototypeOf(lazy)).toBe(Function.prototype);
  });

  it('defines and deletes properties on the module, and refuses to be frozen', () => {
    const real: Record<string, unknown> = { a: 1 };
    const lazy = lazyExports(() => real, 'object') as Record<string, unknown>;
    Object.defineProperty(lazy, 'b', { value: 2, enumerable: true, configurable: true });
    expect(real.b).toBe(2);
    expect(delete lazy.a).toBe(true);
    expect(real).toEqual({ b: 2 });
    expect(() => Object.freeze(lazy)).toThrow(TypeError);
  });
});

describe('the hook in a process that installs it', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rainbow-lazy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps archiver, semver and the zod translations out of a cdktf and zod start-up; assets still zip and z.locales still loads', () => {
    // The hook changes Module._load for the whole process: a process of its own, as the binary.
    const script = join(dir, 'asset.js');
    writeFileSync(script, `
      require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'lazy-modules.js'))}).installLazyModules();
      require = require('node:module').createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
      const { App, TerraformStack, TerraformAsset, AssetType } = require('cdktf');
      const { z } = require('zod');
      const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(archiver|semver|lodash)\\/|zod\\/v4\\/locales\\/(index|de)\\./.test(f)).length;
      const before = loaded();
      const app = new App({ outdir: ${JSON.stringify(join(dir, 'out'))}, skipValidation: true });
      const stack = new TerraformStack(app, 'assets');
      new TerraformAsset(stack, 'site', { path: ${JSON.stringify(join(ROOT, 'examples'))}, type: AssetType.ARCHIVE });
      app.synth();
      console.log(JSON.stringify({ before, after: loaded(), german: typeof z.locales.de }));
    `);
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8', cwd: dir });
    expect(result.stderr).toBe('');
    // cdktf zips in a child process that runs lib/private/fs.js itself: this one never needs archiver.
    expect(JSON.parse(result.stdout)).toEqual({ before: 0, after: 0, german: 'function' });
    const zips = spawnSync('find', [join(dir, 'out'), '-name', '*.zip'], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(zips).toHaveLength(1);
    expect(readFileSync(zips[0]).subarray(0, 2).toString()).toBe('PK');
  });
});
