import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import\(|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** Imports of `file` that land in one of the top-level `folders`. */
function importsInto(file: string, folders: string[]): string[] {
  return imports(file).filter((spec) => spec.startsWith('.')).filter((spec) => {
    const target = relative(ROOT, resolve(file, '..', spec)).split(/[\\/]/)[0];
    return folders.includes(target);
  });
}

describe('layers', () => {
  it('keeps spec/ pure: no cdktf, constructs or provider import, nothing from the layers above', () => {
    for (const file of sources('spec')) {
      expect({ file, bad: imports(file).filter((s) => /^(cdktf|constructs|@cdktf\/)/.test(s)) }).toEqual({ file, bad: [] });
      expect({ file, bad: importsInto(file, ['constructs', 'stacks', 'engine', 'cli', 'api']) }).toEqual({ file, bad: [] });
    }
  });

  it('keeps constructs/ below stacks/, engine/ and cli/', () => {
    for (const file of sources('constructs')) expect({ file, bad: importsInto(file, ['stacks', 'engine', 'cli', 'api']) }).toEqual({ file, bad: [] });
  });

  it('keeps stacks/ below engine/ and cli/', () => {
    for (const file of sources('stacks')) expect({ file, bad: importsInto(file, ['engine', 'cli', 'api']) }).toEqual({ file, bad: [] });
  });

  it('keeps engine/ below cli/: the engine prints through an Io and never parses arguments', () => {
    for (const file of sources('engine')) expect({ file, bad: importsInto(file, ['cli', 'api']) }).toEqual({ file, bad: [] });
  });

  it('keeps api/ (the jsii surface) off the command line', () => {
    for (const file of sources('api')) expect({ file, bad: importsInto(file, ['engine', 'cli']) }).toEqual({ file, bad: [] });
  });

  it('never imports a provider package root, only deep paths', () => {
    for (const folder of ['spec', 'constructs', 'stacks', 'engine', 'cli', 'examples', 'test']) {
      for (const file of sources(folder)) {
        expect({ file, bad: imports(file).filter((s) => /^@cdktf\/provider-[a-z]+$/.test(s)) }).toEqual({ file, bad: [] });
      }
    }
  });

  it('imports the cdktf core in one module only (constructs/core.ts), so moving to cdktn is one file', () => {
    const roots = ['api', 'constructs', 'stacks', 'engine', 'cli'].flatMap(sources).concat(['main.ts', 'index.ts', 'kubernetes.ts', 'aws.ts'].map((f) => join(ROOT, f)));
    const importers = roots.filter((file) => imports(file).includes('cdktf')).map((file) => relative(ROOT, file));
    expect(importers).toEqual(['constructs/core.ts']);
  });

  it('keeps index.ts files to re-exports', () => {
    for (const folder of ['spec', 'constructs', 'stacks', 'engine']) {
      for (const file of sources(folder).filter((f) => f.endsWith('index.ts'))) {
        const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
        expect({ file, other: lines.filter((l) => !l.startsWith('export * from ')) }).toEqual({ file, other: [] });
      }
    }
  });
});
