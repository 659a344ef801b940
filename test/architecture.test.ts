import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/**
 * The layers, top to bottom (docs/architecture.md, "Layers"): each may import only the layers
 * below it. api/ and the entry points sit above them all.
 */
const LAYERS = ['cli', 'engine', 'stacks', 'constructs', 'planning', 'spec-file', 'model'];

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom|\bimport\(|\brequire\(|^import)\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

/** The top-level folder a relative import of `file` lands in. */
function folderOf(file: string, spec: string): string {
  return relative(ROOT, resolve(file, '..', spec)).split(/[\\/]/)[0];
}

/** Imports of `file` that land in one of the top-level `folders`. */
function importsInto(file: string, folders: string[]): string[] {
  return imports(file)
    .filter((spec) => spec.startsWith('.'))
    .filter((spec) => folders.includes(folderOf(file, spec)));
}

describe('layers', () => {
  it.each(LAYERS.map((layer, i) => [layer, ['api', ...LAYERS.slice(0, i)]] as const))(
    'keeps %s/ below the layers above it',
    (layer, above) => {
      for (const file of sources(layer))
        expect({ file, bad: importsInto(file, [...above]) }).toEqual({ file, bad: [] });
    },
  );

  it('keeps model/ to itself: its relative imports stay inside model/', () => {
    for (const file of sources('model')) {
      expect({ file, bad: imports(file).filter((s) => s.startsWith('.') && folderOf(file, s) !== 'model') }).toEqual({
        file,
        bad: [],
      });
    }
  });

  it('keeps model/ pure: it never imports node:fs, yaml, zod, cdktf, constructs or a provider', () => {
    const forbidden = /^(node:fs|fs|yaml|zod|cdktf|constructs|@cdktf\/)(\/|$)/;
    for (const file of sources('model'))
      expect({ file, bad: imports(file).filter((s) => forbidden.test(s)) }).toEqual({ file, bad: [] });
  });

  it('keeps cdktf, constructs and providers out of planning/ and spec-file/', () => {
    for (const file of ['planning', 'spec-file'].flatMap(sources)) {
      expect({ file, bad: imports(file).filter((s) => /^(cdktf|constructs|@cdktf\/)/.test(s)) }).toEqual({
        file,
        bad: [],
      });
    }
  });

  it('keeps api/ (the jsii surface) off the command line', () => {
    for (const file of sources('api'))
      expect({ file, bad: importsInto(file, ['engine', 'cli']) }).toEqual({ file, bad: [] });
  });

  it('never imports a provider package root, only deep paths', () => {
    for (const folder of [...LAYERS, 'api', 'examples', 'test']) {
      for (const file of sources(folder)) {
        expect({ file, bad: imports(file).filter((s) => /^@cdktf\/provider-[a-z]+$/.test(s)) }).toEqual({
          file,
          bad: [],
        });
      }
    }
  });

  it('imports the cdktf core in one module only (constructs/core.ts), so moving to cdktn is one file', () => {
    const roots = ['api', ...LAYERS]
      .flatMap(sources)
      .concat(['main.ts', 'index.ts', 'kubernetes.ts', 'aws.ts'].map((f) => join(ROOT, f)));
    const importers = roots.filter((file) => imports(file).includes('cdktf')).map((file) => relative(ROOT, file));
    expect(importers).toEqual(['constructs/core.ts']);
  });

  it('keeps index.ts files to re-exports', () => {
    for (const folder of LAYERS) {
      for (const file of sources(folder).filter((f) => f.endsWith('index.ts'))) {
        const lines = readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '');
        expect({ file, other: lines.filter((l) => !l.startsWith('export * from ')) }).toEqual({ file, other: [] });
      }
    }
  });

  it("patches no other package's internals: outside test/, no file touches Node's module loader, require.cache or a private path of another package", () => {
    const skipped = new Set(['node_modules', 'dist', 'dist-jsii', 'test', 'coverage', 'cdktf.out']);
    const walk = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
        if (skipped.has(e.name) || e.name.startsWith('.')) return [];
        if (e.isDirectory()) return walk(join(folder, e.name));
        return e.isFile() && /\.(ts|js|cjs|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')
          ? [join(folder, e.name)]
          : [];
      });
    const files = walk(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const loader =
      /\bModule\._\w+|\bModule\.prototype\b|\.prototype\._compile\b|\b_load\s*=|\brequire\.cache\b|\bModule\._extensions\b/;
    /** A private path: a package's `lib/private`, any `private/` folder, or a path through node_modules. */
    const privatePath = (spec: string) =>
      /(^|\/)node_modules\//.test(spec) || (!spec.startsWith('.') && /\/(lib\/)?private(\/|$)/.test(spec));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const specs = [
        ...text.matchAll(/(?:\bfrom|\bimport\(|\brequire\(|\brequire\.resolve\(|^import)\s*['"`]([^'"`]+)['"`]/gm),
      ].map((m) => m[1]);
      expect({
        file: relative(ROOT, file),
        loader: text.match(loader)?.[0],
        privatePaths: specs.filter(privatePath),
      }).toEqual({ file: relative(ROOT, file), loader: undefined, privatePaths: [] });
    }
  });

  it('gives every layer a README.md', () => {
    for (const layer of LAYERS)
      expect({ layer, readme: readdirSync(join(ROOT, layer)).includes('README.md') }).toEqual({ layer, readme: true });
  });
});
