import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cdktfCommand, findOnPath, localCdktf } from '../../engine/cdktf-binary';

/** A folder tree in a fresh temporary folder: `project/app/deep`, and a `bin` beside it. */
function tree() {
  const root = mkdtempSync(join(tmpdir(), 'rainbow-cdktf-'));
  const project = join(root, 'project');
  const deep = join(project, 'app', 'deep');
  const bin = join(root, 'bin');
  mkdirSync(deep, { recursive: true });
  mkdirSync(bin);
  return { root, project, deep, bin };
}

/** An executable (or, with `mode`, any) file holding a shell script. */
function script(file: string, mode = 0o755): string {
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

function localInstall(folder: string, mode = 0o755): string {
  mkdirSync(join(folder, 'node_modules', '.bin'), { recursive: true });
  return script(join(folder, 'node_modules', '.bin', 'cdktf'), mode);
}

describe('which cdktf a person runs by hand', () => {
  it('is cdktf when it is on PATH, even with a local install of the project', () => {
    const t = tree();
    script(join(t.bin, 'cdktf'));
    localInstall(t.project);
    expect(cdktfCommand(t.project, { PATH: t.bin })).toBe('cdktf');
  });

  it("is npx cdktf when only the project's own install has it, in the current folder or a folder above it", () => {
    const t = tree();
    const installed = localInstall(t.project);
    expect(cdktfCommand(t.project, { PATH: t.bin })).toBe('npx cdktf');
    expect(cdktfCommand(t.deep, { PATH: t.bin })).toBe('npx cdktf');
    expect(localCdktf(t.deep)).toBe(installed);
  });

  it('finds the nearest local install, as npx does', () => {
    const t = tree();
    localInstall(t.project);
    const nearer = localInstall(join(t.project, 'app'));
    expect(localCdktf(t.deep)).toBe(nearer);
  });

  it('is npx cdktf when the only cdktf on PATH is in the node_modules/.bin folder npm put there (npx rainbow, npm run)', () => {
    const t = tree();
    const installed = localInstall(t.project);
    const npmPath = [join(t.deep, 'node_modules', '.bin'), join(t.project, 'node_modules', '.bin'), t.bin];
    expect(findOnPath('cdktf', { PATH: npmPath.join(delimiter) })).toBe(installed);
    expect(cdktfCommand(t.project, { PATH: npmPath.join(delimiter) })).toBe('npx cdktf');
    expect(cdktfCommand(t.project, { PATH: `${join(t.project, 'node_modules', '.bin')}/${delimiter}${t.bin}` })).toBe(
      'npx cdktf',
    );
  });

  it("is cdktf when the person's own PATH has one too, behind the node_modules/.bin folders npm put first", () => {
    const t = tree();
    localInstall(t.project);
    script(join(t.bin, 'cdktf'));
    expect(cdktfCommand(t.project, { PATH: [join(t.project, 'node_modules', '.bin'), t.bin].join(delimiter) })).toBe(
      'cdktf',
    );
  });

  it('passes over only node_modules/.bin folders: a .bin or node_modules folder of another name on PATH counts', () => {
    const t = tree();
    localInstall(t.project);
    for (const own of [
      join(t.root, '.bin'),
      join(t.root, 'node_modules', 'bin'),
      join(t.root, 'my_node_modules', '.bin'),
    ]) {
      mkdirSync(own, { recursive: true });
      script(join(own, 'cdktf'));
      expect(cdktfCommand(t.project, { PATH: own })).toBe('cdktf');
    }
  });

  it("is cdktf when the node_modules/.bin on PATH is another folder's, such as npx's cache, and the folder has no install", () => {
    const t = tree();
    const cache = localInstall(join(t.root, 'npx-cache'));
    expect(cdktfCommand(t.deep, { PATH: dirname(cache) })).toBe('cdktf');
  });

  it('is cdktf when it is nowhere: the hint names the command the deploys ran', () => {
    const t = tree();
    expect(localCdktf(t.deep)).toBeUndefined();
    expect(cdktfCommand(t.deep, { PATH: t.bin })).toBe('cdktf');
    expect(cdktfCommand(t.deep, {})).toBe('cdktf');
  });

  it('counts neither a local cdktf that is not executable nor a folder of that name', () => {
    const t = tree();
    localInstall(t.project, 0o644);
    mkdirSync(join(t.deep, 'node_modules', '.bin', 'cdktf'), { recursive: true });
    expect(localCdktf(t.deep)).toBeUndefined();
    expect(cdktfCommand(t.deep, { PATH: t.bin })).toBe('cdktf');
  });

  it('looks along PATH as a shell does: empty entries skipped, a file that is not executable passed over', () => {
    const t = tree();
    const other = join(t.root, 'other');
    mkdirSync(other);
    script(join(t.bin, 'cdktf'), 0o644);
    const found = script(join(other, 'cdktf'));
    expect(findOnPath('cdktf', { PATH: ['', t.bin, other].join(delimiter) })).toBe(found);
    expect(findOnPath('cdktf', { PATH: t.bin })).toBeUndefined();
  });
});
