import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

// About the real binary: the cache is installed by dist/cli/main.js before it loads anything else.
const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');
const SPEC = join(ROOT, 'examples', 'kubernetes-gateway', 'rainbow.yaml');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rainbow-compile-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function rainbow(args: string[], cacheHome: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cacheFiles = (cacheHome: string) => readdirSync(join(cacheHome, 'cdktf-rainbow')).filter((f) => f.endsWith('.bin'));

describe('the code cache of the rainbow binary', () => {
  it('writes one cache file, readable by its user only, into $XDG_CACHE_HOME/cdktf-rainbow, answers the same from it, and replaces it when corrupt', () => {
    const cacheHome = join(dir, 'cache');
    const cold = rainbow(['validate', '--spec', SPEC], cacheHome);
    const [file] = cacheFiles(cacheHome);
    expect(cacheFiles(cacheHome)).toHaveLength(1);
    expect(statSync(join(cacheHome, 'cdktf-rainbow')).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheHome, 'cdktf-rainbow', file)).mode & 0o777).toBe(0o600);
    const warm = rainbow(['validate', '--spec', SPEC], cacheHome);
    expect(warm).toEqual(cold);
    expect(warm.code).toBe(0);
    writeFileSync(join(cacheHome, 'cdktf-rainbow', file), Buffer.from('\u00ff\u00ff\u00ff\u00ffnot a cache'));
    expect(rainbow(['validate', '--spec', SPEC], cacheHome)).toEqual(cold);
    expect(statSync(join(cacheHome, 'cdktf-rainbow', file)).size).toBeGreaterThan(100);
  });

  it('synthesizes byte-identical stacks with and without the cache', async () => {
    const cacheHome = join(dir, 'cache');
    const stacksIn = (out: string) => readdirSync(join(out, 'stacks')).sort().map((stack) => readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const outputs = ['cold', 'warm'].map((name) => {
      const result = rainbow(['synth', '--spec', SPEC, '--out', join(dir, name)], cacheHome);
      expect(result.code).toBe(0);
      return stacksIn(join(dir, name));
    });
    // Without the cache: the same command in this process, whose modules jest compiles.
    expect((await rainbowInProcess(dir, ['synth', '--spec', SPEC, '--out', join(dir, 'off')])).code).toBe(0);
    expect(outputs[0]).toEqual(stacksIn(join(dir, 'off')));
    expect(outputs[1]).toEqual(outputs[0]);
  });

  it('runs without a cache when the cache folder cannot be created', () => {
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const result = rainbow(['validate', '--spec', SPEC], blocked);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('valid');
  });

  it('writes nothing into a cache folder that other users can write to', () => {
    const cacheHome = join(dir, 'cache');
    mkdirSync(join(cacheHome, 'cdktf-rainbow'), { recursive: true });
    chmodSync(join(cacheHome, 'cdktf-rainbow'), 0o777);
    // `--version` is the quickest run; it loads and would cache the command's modules (next test).
    expect(rainbow(['--version'], cacheHome).code).toBe(0);
    expect(cacheFiles(cacheHome)).toEqual([]);
  });

  it('writes no cache with NODE_DISABLE_COMPILE_CACHE=1, and one without it, for --version too', () => {
    const cacheHome = join(dir, 'cache');
    expect(rainbow(['--version'], cacheHome, { NODE_DISABLE_COMPILE_CACHE: '1' }).code).toBe(0);
    expect(() => readdirSync(join(cacheHome, 'cdktf-rainbow'))).toThrow();
    expect(rainbow(['--version'], cacheHome).code).toBe(0);
    expect(cacheFiles(cacheHome)).toHaveLength(1);
  });
});
