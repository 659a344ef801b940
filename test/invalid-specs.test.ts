import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../cli/main';

const ROOT = resolve(__dirname, '..');
const DIR = join('test', 'fixtures', 'invalid');
const fixtures = readdirSync(join(ROOT, DIR))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function expected(name: string): string[] {
  const file = join(DIR, name);
  const sidecar = join(ROOT, file.replace(/\.yaml$/, '.expected'));
  const lines = existsSync(sidecar)
    ? readFileSync(sidecar, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('# expect: '))
        .map((l) => l.slice('# expect: '.length));
  return lines.map((l) => l.replace('{file}', file));
}

/** Runs the command in this process, capturing what it prints. */
async function rainbow(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

describe('invalid specs', () => {
  it('has a fixture for every rule and limit: at least 60', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
    for (const f of fixtures) expect({ f, lines: expected(f).length > 0 }).toEqual({ f, lines: true });
  });

  it.each(fixtures)('%s: validate exits 1 with exactly the expected lines', async (name) => {
    const { code, out, err } = await rainbow(['validate', '--spec', join(DIR, name)]);
    expect(err).toEqual(expected(name));
    expect(out).toEqual([]);
    expect(code).toBe(1);
  });

  it.each(fixtures)('%s: synth exits 1 with the same lines and writes nothing', async (name) => {
    const parent = mkdtempSync(join(tmpdir(), 'rainbow-invalid-'));
    const { code, out, err } = await rainbow(['synth', '--spec', join(DIR, name), '--out', join(parent, 'out')]);
    expect(err).toEqual(expected(name));
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
    expect(out).toEqual([]);
    expect(code).toBe(1);
    expect(readdirSync(parent)).toEqual([]);
  });
});
