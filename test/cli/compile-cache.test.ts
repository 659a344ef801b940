import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

// About the real binary: its launcher (scripts/bundle.js) turns on Node's compile cache
// (cli/compile-cache.ts) before Node compiles the bundled command.
const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const SPEC = join(ROOT, 'examples', 'kubernetes-gateway', 'rainbow.yaml');
const HAS_COMPILE_CACHE = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rainbow-compile-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function rainbow(args: string[], cacheHome: string, env: Record<string, string | undefined> = {}) {
  const environment: Record<string, string | undefined> = {
    ...process.env,
    XDG_CACHE_HOME: cacheHome,
    NODE_COMPILE_CACHE: undefined,
    NODE_DISABLE_COMPILE_CACHE: undefined,
    ...env,
  };
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete environment[name];
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: environment });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `folder`, as paths relative to it. */
function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

const stacksIn = (out: string) =>
  readdirSync(join(out, 'stacks'))
    .sort()
    .map((stack) => readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));

(HAS_COMPILE_CACHE ? describe : describe.skip)(
  `Node's compile cache of the rainbow binary (Node 22.1 or later${HAS_COMPILE_CACHE ? '' : `; skipped: this is Node ${process.versions.node}, which has no module.enableCompileCache`})`,
  () => {
    it("is kept in $XDG_CACHE_HOME/cdktf-rainbow, a folder of its user's alone, one subfolder per Node version, and answers the same from it", () => {
      const cacheHome = join(dir, 'cache');
      const cold = rainbow(['validate', '--spec', SPEC], cacheHome);
      expect(cold.code).toBe(0);
      const folder = join(cacheHome, 'cdktf-rainbow');
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const [versioned, ...others] = readdirSync(folder);
      expect({ versioned, others }).toEqual({
        versioned: expect.stringMatching(new RegExp(`^v${process.versions.node.replace(/\./g, '\\.')}-`)),
        others: [],
      });
      // One file per module compiled after the launcher: for validate, which loads no cdktf, the bundle.
      expect(filesUnder(join(folder, versioned)).length).toBeGreaterThan(0);
      expect(rainbow(['validate', '--spec', SPEC], cacheHome)).toEqual(cold);
    });

    it('runs as without the cache when its entries are damaged (bytes flipped, cut short, or not a cache), and writes them anew', () => {
      const cacheHome = join(dir, 'cache');
      const args = ['synth', '--spec', SPEC, '--out', join(dir, 'out')];
      const cold = rainbow(args, cacheHome);
      expect(cold.code).toBe(0);
      const folder = join(cacheHome, 'cdktf-rainbow');
      const entries = filesUnder(folder).map((name) => join(folder, name));
      expect(entries.length).toBeGreaterThan(10);
      const damaged = new Map<string, Buffer>();
      for (const [i, file] of entries.entries()) {
        const bytes = readFileSync(file);
        let broken: Buffer;
        if (i % 3 === 0) {
          broken = Buffer.from(bytes);
          // Past the header, keeping the length: only the checksum of the content can tell.
          for (
            let j = Math.floor(bytes.length / 2);
            j < Math.min(bytes.length, Math.floor(bytes.length / 2) + 64);
            j += 1
          )
            broken[j] ^= 0x5a;
        } else if (i % 3 === 1) {
          broken = bytes.subarray(0, Math.floor(bytes.length / 2));
        } else {
          broken = Buffer.from('not a cache entry');
        }
        writeFileSync(file, broken);
        damaged.set(file, broken);
      }
      // The second run replaces what the first wrote (its own earlier output): the same lines and files.
      expect(rainbow(args, cacheHome)).toEqual(cold);
      const rewritten = [...damaged].filter(([file, broken]) => existsSync(file) && !readFileSync(file).equals(broken));
      expect(rewritten.length).toBe(damaged.size);
    });

    it('writes no cache with NODE_DISABLE_COMPILE_CACHE=1, and uses the folder NODE_COMPILE_CACHE names instead of its own', () => {
      const cacheHome = join(dir, 'cache');
      expect(rainbow(['--version'], cacheHome, { NODE_DISABLE_COMPILE_CACHE: '1' }).code).toBe(0);
      expect(existsSync(join(cacheHome, 'cdktf-rainbow'))).toBe(false);
      const chosen = join(dir, 'chosen');
      expect(rainbow(['--version'], cacheHome, { NODE_COMPILE_CACHE: chosen }).code).toBe(0);
      expect(existsSync(join(cacheHome, 'cdktf-rainbow'))).toBe(false);
      expect(filesUnder(chosen).length).toBeGreaterThan(0);
    });

    it('does not use a cache folder that other users can write to', () => {
      const cacheHome = join(dir, 'cache');
      mkdirSync(join(cacheHome, 'cdktf-rainbow'), { recursive: true });
      chmodSync(join(cacheHome, 'cdktf-rainbow'), 0o777);
      expect(rainbow(['--version'], cacheHome).code).toBe(0);
      expect(readdirSync(join(cacheHome, 'cdktf-rainbow'))).toEqual([]);
    });
  },
);

describe('the rainbow binary, bundled and launched with a compile cache where Node has one', () => {
  it('synthesizes byte-identical stacks with the cache cold, warm and off (where Node has one), and as the command run from its sources', async () => {
    const cacheHome = join(dir, 'cache');
    const outputs = [
      ['cold', {}],
      ['warm', {}],
      ['off', { NODE_DISABLE_COMPILE_CACHE: '1' }],
    ].map(([name, env]) => {
      const result = rainbow(
        ['synth', '--spec', SPEC, '--out', join(dir, name as string)],
        cacheHome,
        env as Record<string, string>,
      );
      expect(result.code).toBe(0);
      return stacksIn(join(dir, name as string));
    });
    expect((await rainbowInProcess(dir, ['synth', '--spec', SPEC, '--out', join(dir, 'sources')])).code).toBe(0);
    expect(outputs).toEqual([stacksIn(join(dir, 'sources')), outputs[0], outputs[0]]);
  });

  it('runs when the cache folder cannot be created', () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const result = rainbow(['validate', '--spec', SPEC], blocked);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('valid');
  });

  (HAS_COMPILE_CACHE ? it.skip : it)(
    `writes nothing into the cache folder on a Node without module.enableCompileCache (this is Node ${process.versions.node})`,
    () => {
      const cacheHome = join(dir, 'cache');
      expect(rainbow(['validate', '--spec', SPEC], cacheHome).code).toBe(0);
      expect(existsSync(join(cacheHome, 'cdktf-rainbow'))).toBe(false);
    },
  );
});
