import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockSpec } from '../../cli/spec-file';
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
function start(dir: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-r', SLOW_RENAME, CLI, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
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
      const stderr = (shift.stderr + add.stderr).split('\n').filter((line) => line !== '' && !line.startsWith('safety: not checked'));
      expect({ round, shift: shift.code, add: add.code, stderr }).toEqual({ round, shift: 0, add: 0, stderr: [] });
      expect(text).toContain('weight: 10\n');
      expect(text).toContain(`name: teal${round}`);
      expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
    }
  }, 60_000);
});

describe('lockSpec', () => {
  it('creates .<name>.lock beside the spec, holding the pid, and removes it on release', () => {
    const dir = workdir();
    const lock = lockSpec(join(dir, 'rainbow.yaml'));
    if ('problems' in lock) throw new Error(lock.problems[0].message);
    expect(readFileSync(join(dir, '.rainbow.yaml.lock'), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
    expect(readdirSync(dir)).toEqual(['rainbow.yaml']);
  });

  it('refuses, naming the pid, while another live process holds the lock', () => {
    const dir = workdir();
    const holder = otherLiveProcess();
    try {
      writeFileSync(join(dir, '.rainbow.yaml.lock'), `${holder.pid}\n`);
      const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
      expect('problems' in lock && lock.problems).toEqual([{
        path: join(dir, 'rainbow.yaml'),
        message: `locked by pid ${holder.pid}, another rainbow command editing this spec; nothing written: run the command again when it has finished`,
      }]);
      expect(readFileSync(join(dir, '.rainbow.yaml.lock'), 'utf8')).toBe(`${holder.pid}\n`);
    } finally {
      holder.stop();
    }
  });

  it('takes over a lock whose process is gone', () => {
    const dir = workdir();
    // A shell starts in a few milliseconds, node in a hundred: either leaves a pid that is gone.
    const dead = spawnSync('sh', ['-c', 'printf %s $$'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, '.rainbow.yaml.lock'), `${dead}\n`);
    const lock = lockSpec(join(dir, 'rainbow.yaml'), 100);
    if ('problems' in lock) throw new Error(lock.problems[0].message);
    expect(readFileSync(join(dir, '.rainbow.yaml.lock'), 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
    expect(existsSync(join(dir, '.rainbow.yaml.lock'))).toBe(false);
  });
});
