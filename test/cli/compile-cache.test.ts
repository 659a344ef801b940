import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
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

/** A pid that was alive a moment ago and is gone now. */
const deadPid = () => Number(spawnSync('sh', ['-c', 'printf %s $$'], { encoding: 'utf8' }).stdout);

/** The cache file's header: `{ format, entries: { module: [crc, length, offset, size, sha256] } }`, and where its data starts. */
function headerOf(bytes: Buffer): { header: { format: number; entries: Record<string, [number, number, number, number, string]> }; start: number } {
  const length = bytes.readUInt32LE(0);
  return { header: JSON.parse(bytes.toString('utf8', 4, 4 + length)), start: 4 + length };
}

/** Each entry's data as [file offset, size]; reads rainbow 0.2's header (entries at its top level) too. */
function entriesOf(bytes: Buffer): [number, number][] {
  const { header, start } = headerOf(bytes);
  const entries = (header.entries ?? header) as unknown as Record<string, number[]>;
  return Object.values(entries).map(([, , offset, size]) => [start + offset, size]);
}

function entriesVerified(bytes: Buffer): boolean {
  const { header, start } = headerOf(bytes);
  return Object.values(header.entries).every(([, , offset, size, hash]) => createHash('sha256').update(bytes.subarray(start + offset, start + offset + size)).digest('hex') === hash);
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

  it('ignores entries whose bytes are damaged (their length kept), runs as without them, and writes them anew', () => {
    const cacheHome = join(dir, 'cache');
    const cold = rainbow(['validate', '--spec', SPEC], cacheHome);
    const [file] = cacheFiles(cacheHome);
    const path = join(cacheHome, 'cdktf-rainbow', file);
    const bytes = readFileSync(path);
    const damaged = entriesOf(bytes).filter(([, size]) => size > 2000);
    expect(damaged.length).toBeGreaterThan(10);
    for (const [offset, size] of damaged) for (let i = 0; i < 64; i += 1) bytes[offset + Math.floor(size / 2) + i] ^= 0x5a;
    writeFileSync(path, bytes);
    // Node 20 aborted here (V8: Check failed: current == end_slot_index, SIGTRAP, exit 133) until the file was deleted.
    expect(rainbow(['validate', '--spec', SPEC], cacheHome)).toEqual(cold);
    expect(cacheFiles(cacheHome)).toEqual([file]);
    expect(entriesVerified(readFileSync(path))).toBe(true);
  });

  it('stores with each entry the SHA-256 of its bytes and the CRC-32 and length of the source it was made from', () => {
    const cacheHome = join(dir, 'cache');
    expect(rainbow(['validate', '--spec', SPEC], cacheHome).code).toBe(0);
    const bytes = readFileSync(join(cacheHome, 'cdktf-rainbow', cacheFiles(cacheHome)[0]));
    const { header } = headerOf(bytes);
    const [module, [crc, length]] = Object.entries(header.entries).find(([name]) => name.endsWith(join('dist', 'spec-file', 'load.js')))!;
    const source = readFileSync(module, 'utf8');
    expect([crc, length]).toEqual([crc32(source), source.length]);
    expect(entriesVerified(bytes)).toBe(true);
  });

  it('removes the files of this install\'s other versions, of the old format and of dead processes; keeps other installs\' files', () => {
    const folder = join(dir, 'cache', 'cdktf-rainbow');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const install = crc32(join(ROOT, 'dist', 'cli')).toString(16).padStart(8, '0');
    const left = [`v8-${install}-00000000.bin`, 'v8-0123abcd.bin', `v8-${install}-00000000.bin.${deadPid()}.1700000000000.tmp`];
    const kept = ['v8-aaaaaaaa-bbbbbbbb.bin', 'notes.txt'];
    for (const name of [...left, ...kept]) writeFileSync(join(folder, name), 'old');
    expect(rainbow(['--version'], join(dir, 'cache')).code).toBe(0);
    const now = readdirSync(folder).sort();
    expect(now.filter((name) => left.includes(name))).toEqual([]);
    expect(now.filter((name) => kept.includes(name))).toEqual(kept.sort());
    expect(now).toHaveLength(kept.length + 1);
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
