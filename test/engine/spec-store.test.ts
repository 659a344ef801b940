import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockSpec, readLockHolder } from '../../engine/spec-store';
import { BLUE_GREEN_SPEC } from '../fixtures/specs';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SLOW_RENAME = join(ROOT, 'test', 'fixtures', 'slow-rename.js');

const SPEC = BLUE_GREEN_SPEC;

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-lock-'));
  writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
  return dir;
}

/** Runs the built CLI without waiting, so that two can run at once. */
function start(
  dir: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-r', SLOW_RENAME, CLI, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => done({ code, stderr }));
  });
}

/** A process that is alive and is not this one, holding a lock in a test. */
function otherLiveProcess(): { pid: number; stop: () => void } {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

describe('two edits of one spec at once', () => {
  it('both land, one after the other, even when renames are slow (bounded: 2 pairs; without the lock the first already loses an edit)', async () => {
    // The rounds are independent (a folder each) and mostly wait on the slow renames: they run together.
    const rounds = [0, 1].map(async (round) => {
      const dir = workdir();
      const [shift, add] = await Promise.all([
        start(dir, ['shift', 'green', '10'], { SLOW_RENAME_MS: '600' }),
        start(dir, ['add', `teal${round}`, '--image', 'ghcr.io/acme/shop:2.2.0'], { SLOW_RENAME_MS: '600' }),
      ]);
      return { round, dir, shift, add };
    });
    for (const { round, dir, shift, add } of await Promise.all(rounds)) {
      const text = readFileSync(join(dir, 'rainbow.yaml'), 'utf8');
      // Never both exit 0 while one edit is missing: each edit that says it succeeded is in the file.
      // Outside git each edit says its safety verdict was not checked; nothing else may reach stderr.
      const stderr = (shift.stderr + add.stderr)
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('safety: not checked'));
      expect({ round, shift: shift.code, add: add.code, stderr }).toEqual({ round, shift: 0, add: 0, stderr: [] });
      expect(text).toContain('weight: 10\n');
      expect(text).toContain(`name: teal${round}`);
      expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
    }
  }, 60_000);
});

describe('lockSpec', () => {
  const HOST = hostname();
  const lockOf = (dir: string) => join(dir, '.rainbow.yaml.lock');
  const lockJson = (holder: Record<string, unknown>) => `${JSON.stringify(holder)}\n`;
  /** A pid that was alive a moment ago and is gone now. */
  const deadPid = () => Number(spawnSync('sh', ['-c', 'printf %s $$'], { encoding: 'utf8' }).stdout);

  it('creates .<name>.lock beside the spec naming its holder (pid, host, start time, purpose), and removes it on release', () => {
    const dir = workdir();
    const before = Date.now();
    const lock = lockSpec(join(dir, 'rainbow.yaml'), { purpose: 'rainbow release green' });
    if ('problems' in lock) throw new Error(lock.problems[0].message);
    const written = JSON.parse(readFileSync(lockOf(dir), 'utf8')) as { startedAt: string };
    expect(written).toEqual({
      pid: process.pid,
      host: HOST,
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      purpose: 'rainbow release green',
    });
    expect(Math.abs(Date.parse(written.startedAt) - before)).toBeLessThan(2000);
    expect(readLockHolder(join(dir, 'rainbow.yaml'))).toEqual(written);
    lock.release();
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
    expect(readLockHolder(join(dir, 'rainbow.yaml'))).toBeUndefined();
  });

  it('names the command as `rainbow edit` when the caller names no purpose', () => {
    const dir = workdir();
    const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
    if ('problems' in lock) throw new Error(lock.problems[0].message);
    expect(readLockHolder(join(dir, 'rainbow.yaml'))?.purpose).toBe('rainbow edit');
    lock.release();
  });

  it('refuses, naming the holder, its host and since when, while another live process holds the lock', () => {
    const dir = workdir();
    const holder = otherLiveProcess();
    try {
      const text = lockJson({
        pid: holder.pid,
        host: HOST,
        startedAt: '2026-12-07T00:12:00Z',
        purpose: 'rainbow release green',
      });
      writeFileSync(lockOf(dir), text);
      const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
      expect('problems' in lock && lock.problems).toEqual([
        {
          path: join(dir, 'rainbow.yaml'),
          message: `locked by rainbow release green (pid ${holder.pid} on ${HOST}, since 2026-12-07T00:12:00Z); try again when it has finished, or remove ${lockOf(dir)} if that process is gone`,
        },
      ]);
      expect(readFileSync(lockOf(dir), 'utf8')).toBe(text);
    } finally {
      holder.stop();
    }
  });

  it('names the lock as the spec was named: ./.rainbow.yaml.lock for ./rainbow.yaml', () => {
    const dir = workdir();
    const holder = otherLiveProcess();
    const cwd = process.cwd();
    try {
      writeFileSync(
        lockOf(dir),
        lockJson({ pid: holder.pid, host: HOST, startedAt: '2026-12-07T00:12:00Z', purpose: 'rainbow release green' }),
      );
      process.chdir(dir);
      const lock = lockSpec('rainbow.yaml', 50);
      expect('problems' in lock && lock.problems[0].message).toBe(
        `locked by rainbow release green (pid ${holder.pid} on ${HOST}, since 2026-12-07T00:12:00Z); try again when it has finished, or remove .rainbow.yaml.lock if that process is gone`,
      );
    } finally {
      process.chdir(cwd);
      holder.stop();
    }
  });

  it('treats a lock taken on another host as live, whatever its pid, and says it cannot check it', () => {
    const dir = workdir();
    const text = lockJson({
      pid: deadPid(),
      host: 'build-7',
      startedAt: '2026-12-07T00:12:00Z',
      purpose: 'rainbow release green',
    });
    writeFileSync(lockOf(dir), text);
    const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
    const pid = JSON.parse(text).pid as number;
    expect('problems' in lock && lock.problems[0].message).toBe(
      `locked by rainbow release green (pid ${pid} on build-7, since 2026-12-07T00:12:00Z; another host, so rainbow cannot check that it still runs); try again when it has finished, or remove ${lockOf(dir)} if that process is gone`,
    );
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(text);
  });

  it('takes over a lock of this host whose process is gone', () => {
    const dir = workdir();
    writeFileSync(
      lockOf(dir),
      lockJson({ pid: deadPid(), host: HOST, startedAt: '2026-12-07T00:12:00Z', purpose: 'rainbow release green' }),
    );
    const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
    if ('problems' in lock) throw new Error(lock.problems[0].message);
    expect(readLockHolder(join(dir, 'rainbow.yaml'))?.pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('refuses with the reason, leaving the lock, when a stale lock cannot be moved aside to be removed', () => {
    const dir = workdir();
    const text = lockJson({ pid: deadPid(), host: HOST, startedAt: '2026-12-07T00:12:00Z', purpose: 'rainbow edit' });
    writeFileSync(lockOf(dir), text);
    // Where the stale lock is moved aside, a folder: renaming a file over it fails.
    mkdirSync(`${lockOf(dir)}.${process.pid}.stale`);
    expect(lockSpec(join(dir, 'rainbow.yaml'), 100)).toEqual({
      problems: [
        {
          path: join(dir, 'rainbow.yaml'),
          message:
            'cannot create the edit lock beside the spec: illegal operation on a directory (EISDIR); nothing written',
        },
      ],
    });
    expect(readFileSync(lockOf(dir), 'utf8')).toBe(text);
  });

  it('refuses with the reason when a lock left empty past the wait cannot be moved aside to be removed', () => {
    const dir = workdir();
    writeFileSync(lockOf(dir), '');
    mkdirSync(`${lockOf(dir)}.${process.pid}.stale`);
    expect(lockSpec(join(dir, 'rainbow.yaml'), 50)).toEqual({
      problems: [
        {
          path: join(dir, 'rainbow.yaml'),
          message:
            'cannot create the edit lock beside the spec: illegal operation on a directory (EISDIR); nothing written',
        },
      ],
    });
    expect(readFileSync(lockOf(dir), 'utf8')).toBe('');
  });

  it('makes an edit exit 1 with that one line, not an unexpected error, when a stale lock cannot be removed', () => {
    const dir = workdir();
    writeFileSync(lockOf(dir), lockJson({ pid: deadPid(), host: HOST }));
    // The folder is made by the CLI's own process, whose pid names it, before the command runs.
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `process.argv = [process.execPath, ${JSON.stringify(CLI)}, 'shift', 'green', '10'];` +
          `require('node:fs').mkdirSync('.rainbow.yaml.lock.' + process.pid + '.stale');` +
          `require(${JSON.stringify(CLI)}).main();`,
      ],
      { cwd: dir, encoding: 'utf8', timeout: 10_000, env: { ...process.env, NO_COLOR: '1' } },
    );
    expect({ code: r.status, stderr: r.stderr }).toEqual({
      code: 1,
      stderr:
        './rainbow.yaml: cannot create the edit lock beside the spec: illegal operation on a directory (EISDIR); nothing written\n',
    });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe(SPEC);
  });

  it("reads the bare pid of an older rainbow's lock: takes it over when its process is gone, names it when alive", () => {
    const dir = workdir();
    writeFileSync(lockOf(dir), `${deadPid()}\n`);
    const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
    if ('problems' in lock) throw new Error(lock.problems[0].message);
    lock.release();
    const holder = otherLiveProcess();
    try {
      writeFileSync(lockOf(dir), `${holder.pid}\n`);
      const refused = lockSpec(join(dir, 'rainbow.yaml'), 50);
      expect('problems' in refused && refused.problems[0].message).toBe(
        `locked by another rainbow command (pid ${holder.pid}); try again when it has finished, or remove ${lockOf(dir)} if that process is gone`,
      );
      expect(readLockHolder(join(dir, 'rainbow.yaml'))).toEqual({ pid: holder.pid });
    } finally {
      holder.stop();
    }
  });

  it('shows the strings of a lock someone else wrote on one line, cut short', () => {
    const dir = workdir();
    writeFileSync(
      lockOf(dir),
      lockJson({ pid: 4242, host: 'evil\n\u001b[2Jhost', startedAt: 'yesterday', purpose: 'x'.repeat(150) }),
    );
    expect(readLockHolder(join(dir, 'rainbow.yaml'))).toEqual({
      pid: 4242,
      host: 'evil\\u000a\\u001b[2Jhost',
      purpose: `${'x'.repeat(100)}...`,
    });
  });

  it('refuses a lock that is larger than a lock rainbow writes, leaving it there', () => {
    const dir = workdir();
    writeFileSync(lockOf(dir), `4242\n${' '.repeat(5000)}`);
    const lock = lockSpec(join(dir, 'rainbow.yaml'), 50);
    expect('problems' in lock && lock.problems[0].message).toBe(
      `the edit lock ${lockOf(dir)} is a file of 5005 bytes, not a lock file rainbow writes; nothing written: remove it, then run the command again`,
    );
    expect(existsSync(lockOf(dir))).toBe(true);
    expect(readLockHolder(join(dir, 'rainbow.yaml'))).toBeUndefined();
  });

  // In a process of its own with a time limit: the reader of rainbow 0.2 never returned from these.
  it.each([
    ['a symbolic link (to /dev/zero)', 'a symbolic link', (lock: string) => symlinkSync('/dev/zero', lock)],
    [
      'a named pipe',
      'a named pipe (FIFO)',
      (lock: string) => {
        spawnSync('mkfifo', [lock]);
      },
    ],
  ])('refuses a lock that is %s, without reading it', (_, what, make) => {
    const dir = workdir();
    make(lockOf(dir));
    const r = spawnSync(process.execPath, [CLI, 'shift', 'green', '10'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect({ code: r.status, signal: r.signal, stderr: r.stderr }).toEqual({
      code: 1,
      signal: null,
      stderr: `./rainbow.yaml: the edit lock .rainbow.yaml.lock is ${what}, not a lock file rainbow writes; nothing written: remove it, then run the command again\n`,
    });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe(SPEC);
    expect(lstatSync(lockOf(dir)).isFile()).toBe(false);
    expect(readLockHolder(join(dir, 'rainbow.yaml'))).toBeUndefined();
  });
});
