import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smallDisks } from '../fixtures/full-disk';
import { rainbowInProcess } from '../fixtures/in-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { failWrites } = require('../fixtures/fail-writes') as {
  failWrites: (failure: 'ENOSPC' | 'EROFS') => () => void;
};

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const EXAMPLE = join(ROOT, 'examples', 'kubernetes-gateway', 'rainbow.yaml');
const disks = smallDisks();
const onSmallDisk = disks === undefined ? it.skip : it;

/** Runs the built CLI with a stdout reader that has already gone away. */
function withClosedReader(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
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

  it.each(commands.map(([name], i) => [name, i] as const))(
    '%s stops quietly with the exit code it would have had',
    async (_, i) => {
      expect((await results)[i]).toEqual({ code: 0, signal: null, stderr: '' });
    },
  );
});

/**
 * A spec whose `status --json` and `plan --json` are over 4 KiB, each written in one go: 15 colors with long image
 * names.
 */
const LONG_SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
${Array.from({ length: 15 }, (_, i) => `  - { name: color-number-${i}, image: ghcr.io/acme/${'x'.repeat(200)}/shop:1.${i}.0, weight: ${i === 0 ? 100 : 0} }\n`).join('')}`;

describe('stdout redirected to a file on a disk that fills up', () => {
  const cases: [string, string[]][] = [
    ['status --json', ['status', '--spec', 'long.yaml', '--json']],
    ['plan --json', ['plan', '--spec', 'long.yaml', '--from', 'older.yaml', '--json']],
    [
      'preview --json',
      ['preview', '--spec', EXAMPLE, '--from', join(ROOT, 'docs', 'images', 'preview-previous.yaml'), '--json'],
    ],
    ['schema', ['schema']],
  ];
  onSmallDisk.each(cases)(
    '%s says stdout: no space left on device (ENOSPC) and exits 1, rather than stop short with 0',
    (_, args) => {
      const dir = mkdtempSync(join(tmpdir(), 'rainbow-io-'));
      writeFileSync(join(dir, 'long.yaml'), LONG_SPEC);
      writeFileSync(join(dir, 'older.yaml'), LONG_SPEC.replace(/shop:1\./g, 'shop:0.'));
      const disk = disks!.mount(4);
      const out = openSync(join(disk, 'out'), 'w');
      try {
        const r = spawnSync(process.execPath, [CLI, ...args], {
          cwd: dir,
          stdio: ['ignore', out, 'pipe'],
          encoding: 'utf8',
        });
        expect({ code: r.status, stderr: r.stderr }).toEqual({
          code: 1,
          stderr: 'stdout: no space left on device (ENOSPC)\n',
        });
      } finally {
        closeSync(out);
      }
      expect(statSync(join(disk, 'out')).size).toBe(4096);
    },
  );

  it('writes all of a long output to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-io-'));
    const out = openSync(join(dir, 'schema.json'), 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'schema'], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8' });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      closeSync(out);
    }
    expect(JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'))).toEqual(
      expect.objectContaining({ type: 'object' }),
    );
  });
});

describe('write errors, as <path>: <reason>', () => {
  it('says stdout: <reason> and exits 1 when stdout is a full disk', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'status', '--spec', EXAMPLE], {
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect({ code: r.status, stderr: r.stderr }).toEqual({
        code: 1,
        stderr: 'stdout: no space left on device (ENOSPC)\n',
      });
    } finally {
      closeSync(full);
    }
  });

  const SPEC = readFileSync(EXAMPLE, 'utf8');
  /** `rainbow shift orange 20` in this process while file writes fail (test/fixtures/fail-writes.js). */
  const edit = async (failure: 'EROFS') => {
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

  onSmallDisk(
    'names the spec and the reason when the disk fills up while it is written, keeping the spec whole',
    async () => {
      // The spec (over 4 KiB: two pages), its lock (one page) and one page more: the new text fits only in part.
      const disk = disks!.mount(16);
      const spec = `${SPEC}# ${'padding '.repeat(500)}\n`;
      writeFileSync(join(disk, 'rainbow.yaml'), spec);
      const r = await rainbowInProcess(disk, ['shift', 'orange', '20']);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: './rainbow.yaml: no space left on device (ENOSPC)\n',
      });
      expect(readFileSync(join(disk, 'rainbow.yaml'), 'utf8')).toBe(spec);
      expect(readdirSync(disk)).toEqual(['rainbow.yaml']);
    },
  );

  it('names the spec and the reason on a read-only file system', async () => {
    const { dir, code, stdout, stderr } = await edit('EROFS');
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr:
        './rainbow.yaml: cannot create the edit lock beside the spec: read-only file system (EROFS); nothing written\n',
    });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe(SPEC);
  });
});
