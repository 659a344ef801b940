import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { failWrites } = require('../fixtures/fail-writes') as { failWrites: (failure: 'ENOSPC' | 'EROFS') => () => void };

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const EXAMPLE = join(ROOT, 'examples', 'kubernetes-gateway', 'rainbow.yaml');

/** Runs the built CLI with a stdout reader that has already gone away. */
function withClosedReader(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('close', (code, signal) => done({ code, signal, stderr }));
  });
}

describe('output to a closed pipe', () => {
  const commands: [string, string[]][] = [
    ['status --json', ['status', '--spec', EXAMPLE, '--json']],
    ['status', ['status', '--spec', EXAMPLE]],
    ['plan', ['plan', '--spec', EXAMPLE, '--from', EXAMPLE]],
    ['validate', ['validate', '--spec', EXAMPLE]],
  ];
  // The processes are independent: start them together rather than one after the other.
  let results: Promise<Awaited<ReturnType<typeof withClosedReader>>[]>;
  beforeAll(() => {
    results = Promise.all(commands.map(([, args]) => withClosedReader(args)));
  });

  it.each(commands.map(([name], i) => [name, i] as const))('%s stops quietly with the exit code it would have had', async (_, i) => {
    expect((await results)[i]).toEqual({ code: 0, signal: null, stderr: '' });
  });
});

describe('write errors, as <path>: <reason>', () => {
  it('says stdout: <reason> and exits 1 when stdout is a full disk', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'status', '--spec', EXAMPLE], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 1, stderr: 'stdout: no space left on device (ENOSPC)\n' });
    } finally {
      closeSync(full);
    }
  });

  const SPEC = readFileSync(EXAMPLE, 'utf8');
  /** `rainbow shift orange 20` in this process while file writes fail (test/fixtures/fail-writes.js). */
  const edit = async (failure: 'ENOSPC' | 'EROFS') => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-io-'));
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    const restore = failWrites(failure);
    try {
      const r = await rainbowInProcess(dir, ['shift', 'orange', '20']);
      return { dir, code: r.code, stdout: r.stdout, stderr: r.stderr };
    } finally {
      restore();
    }
  };

  it('names the spec and the reason when the disk is full while it is written', async () => {
    const { dir, code, stdout, stderr } = await edit('ENOSPC');
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: './rainbow.yaml: no space left on device (ENOSPC)\n' });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe(SPEC);
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });

  it('names the spec and the reason on a read-only file system', async () => {
    const { dir, code, stdout, stderr } = await edit('EROFS');
    expect({ code, stdout, stderr }).toEqual({
      code: 1, stdout: '', stderr: './rainbow.yaml: cannot create the edit lock beside the spec: read-only file system (EROFS); nothing written\n',
    });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe(SPEC);
  });
});
