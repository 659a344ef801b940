import { spawnSync } from 'node:child_process';
import fs, {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const EXAMPLE = join(ROOT, 'examples', 'kubernetes-gateway', 'rainbow.yaml');
const KILL = join(ROOT, 'test', 'fixtures', 'kill-at-fs-step.js');
const STACKS = ['shop-orange', 'shop-red', 'shop-router', 'shop-yellow'];

/** The command in this process, with the output a spawned binary would print. */
function rainbow(cwd: string, args: string[]) {
  return rainbowInProcess(cwd, args);
}

/** The built binary, SIGKILLed just before its `killAt`th rename or removal. */
function killedAt(cwd: string, args: string[], killAt: number) {
  const env = { ...process.env, NO_COLOR: '1', RAINBOW_KILL_AT: String(killAt) };
  const result = spawnSync(process.execPath, ['-r', KILL, CLI, ...args], { cwd, encoding: 'utf8', env });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A project: the example spec as ./rainbow.yaml, a .git folder and sources beside it. */
function project(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rainbow-synth-out-')));
  cpSync(EXAMPLE, join(dir, 'rainbow.yaml'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'index.ts'), 'export {};\n');
  return dir;
}

function tree(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      found[relative(dir, path)] = entry.isDirectory() ? `dir ${statSync(path).mtimeMs}` : readFileSync(path, 'utf8');
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return found;
}

/** The state of shop-red where its synthesized backend says it is. */
function redStateOf(dir: string): string | undefined {
  const stackDir = join(dir, 'cdktf.out', 'stacks', 'shop-red');
  const { path } = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).terraform.backend.local;
  const file = resolve(stackDir, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

describe('rainbow synth --out', () => {
  const HOLDS =
    'synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written';
  it.each([
    [
      '',
      '--out: received an empty path (an unset variable?); expected the directory to write the stacks to, such as cdktf.out. Nothing was written',
    ],
    ['.', `.: is the current directory; ${HOLDS}`],
    ['..', `..: holds the current directory; ${HOLDS}`],
    ['rainbow.yaml', `rainbow.yaml: is the spec file rainbow.yaml; ${HOLDS}`],
    [
      'src',
      'src: is not empty and not an earlier output of rainbow synth (it has no .rainbow-synth marker and holds "index.ts"); synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out, or empty the directory; nothing was written',
    ],
  ])('refuses --out %j with exit 1, touching nothing (the spec, .git, the sources)', async (out, message) => {
    const dir = project();
    const before = tree(dir);
    const { code, stdout, stderr } = await rainbow(dir, ['synth', '--out', out]);
    expect(stderr).toBe(`${message}\n`);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(tree(dir)).toEqual(before);
  });
});

describe('rainbow synth killed at every step of its swap', () => {
  /**
   * The layout of a project synthesized by an earlier version: output without marker, local state
   * and .terraform/ in the stack directory. The state is where the synthesized backend names it.
   */
  async function earlierLayout(): Promise<string> {
    const dir = project();
    expect((await rainbow(dir, ['synth'])).code).toBe(0);
    const out = join(dir, 'cdktf.out');
    rmSync(join(out, '.rainbow-synth'), { force: true });
    rmSync(join(dir, 'rainbow-state'), { recursive: true, force: true });
    mkdirSync(join(out, 'stacks', 'shop-red', '.terraform'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'shop-red', '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(out, 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 7}');
    return dir;
  }

  function copyOf(template: string): string {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rainbow-killed-')));
    cpSync(template, dir, { recursive: true });
    return dir;
  }

  /**
   * Leftovers of a run are named after its process id: one no process can have (above Linux's PID_MAX_LIMIT, 2^22)
   * stands for the killed run's.
   */
  const DEAD_PID = 4194305;
  const OWN_PID = new RegExp(`^(\\.cdktf\\.out\\.synth-)${process.pid}-`);

  /**
   * What a SIGKILL just before each step of a synth leaves: synth runs in this process, and
   * before each of its renames, removals and copies (the steps kill-at-fs-step.js counts, a
   * removal once) the project is copied, its leftovers renamed as a dead process's.
   */
  async function killedAtEveryStep(template: string): Promise<string[]> {
    const dir = copyOf(template);
    const real = { renameSync: fs.renameSync, rmSync: fs.rmSync, unlinkSync: fs.unlinkSync, cpSync: fs.cpSync };
    const killed: string[] = [];
    let depth = 0;
    const asKilled = () => {
      const copy = realpathSync(mkdtempSync(join(tmpdir(), 'rainbow-killed-')));
      real.cpSync(dir, copy, { recursive: true });
      for (const entry of readdirSync(copy)) {
        if (OWN_PID.test(entry))
          real.renameSync(join(copy, entry), join(copy, entry.replace(OWN_PID, `$1${DEAD_PID}-`)));
      }
      killed.push(copy);
    };
    const spies = (Object.keys(real) as (keyof typeof real)[]).map((name) =>
      jest.spyOn(fs, name).mockImplementation(function step(this: unknown, ...args: unknown[]) {
        if (depth === 0) asKilled();
        depth += 1;
        try {
          return (real[name] as (...a: unknown[]) => unknown).apply(this, args);
        } finally {
          depth -= 1;
        }
      }),
    );
    try {
      const { code, stderr } = await rainbow(dir, ['synth']);
      expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('wrote 4 stacks') });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    return killed;
  }

  /** The project's files and what they hold, without times, a run's process id and random suffix. */
  function contents(dir: string): Record<string, string> {
    return Object.fromEntries(
      Object.entries(tree(dir)).map(([path, body]) => [
        path.replace(/\.synth-\d+-[A-Za-z0-9]{6}/g, '.synth-<pid>-<random>'),
        body.startsWith('dir ') ? 'dir' : body,
      ]),
    );
  }

  async function expectNextSynthCompletes(dir: string, step: number): Promise<void> {
    const next = await rainbow(dir, ['synth']);
    expect({ step, code: next.code, stderr: next.stderr }).toEqual({
      step,
      code: 0,
      stderr: expect.stringContaining('wrote 4 stacks'),
    });
    expect({ step, entries: readdirSync(dir).sort() }).toEqual({
      step,
      entries: ['.git', 'cdktf.out', 'rainbow-state', 'rainbow.yaml', 'src'],
    });
    expect({ step, stacks: readdirSync(join(dir, 'cdktf.out', 'stacks')).sort() }).toEqual({ step, stacks: STACKS });
    expect({ step, state: redStateOf(dir) }).toEqual({ step, state: '{"serial": 7}' });
    expect({ step, working: readdirSync(join(dir, 'cdktf.out', 'stacks', 'shop-red')).sort() }).toEqual({
      step,
      working: ['.terraform', '.terraform.lock.hcl', 'cdk.tf.json'],
    });
  }

  let template: string;
  /** The project as a kill before each step leaves it: killed[0] before the first step. */
  let killed: string[];
  beforeAll(async () => {
    template = await earlierLayout();
    killed = await killedAtEveryStep(template);
  });

  it('the built binary SIGKILLed while its output is moved aside leaves what the in-process kill at that step stands for, and the next synth completes', async () => {
    const step = killed.findIndex((dir) => !existsSync(join(dir, 'cdktf.out'))) + 1;
    expect(step).toBeGreaterThan(1);
    const dir = copyOf(template);
    expect(killedAt(dir, ['synth'], step).signal).toBe('SIGKILL');
    expect(contents(dir)).toEqual(contents(killed[step - 1]));
    await expectNextSynthCompletes(dir, step);
  });

  it('leaves a project that the next synth completes: output present, no temporary folders, state intact', async () => {
    expect(killed.length).toBeGreaterThanOrEqual(5);
    for (const [i, dir] of killed.entries()) await expectNextSynthCompletes(dir, i + 1);
  });
});

describe('the cdktf app (main.ts, run by npx cdktf synth and rainbow apply)', () => {
  /**
   * Runs main.ts in this process, in `cwd` with `env`, as cdktf runs the app: what it writes to
   * stderr, and whether it called process.exit. The built app, run by node as cdktf does, is
   * test/cli/init.test.ts's.
   */
  function cdktfApp(cwd: string, env: Record<string, string>) {
    const written: string[] = [];
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    const before = process.cwd();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(chunk.toString());
      return true;
    });
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    Object.assign(process.env, env);
    process.chdir(cwd);
    try {
      // The app runs when it is loaded; no other test of this file loads it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../main');
      return { stderr: written.join(''), exited: exit.mock.calls.length > 0 };
    } finally {
      process.chdir(before);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      stderr.mockRestore();
      exit.mockRestore();
    }
  }

  it('points at the same state folder as rainbow synth, moves old state there, and marks its output', async () => {
    const dir = project();
    const out = join(dir, 'cdktf.out');
    mkdirSync(join(out, 'stacks', 'shop-red', '.terraform'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 7}');
    writeFileSync(
      join(out, 'stacks', 'shop-red', '.terraform', 'terraform.tfstate'),
      JSON.stringify({ backend: { type: 'local', config: { path: 'terraform.shop-red.tfstate' } } }),
    );
    const app = cdktfApp(dir, { RAINBOW_SPEC: join(dir, 'rainbow.yaml'), CDKTF_OUTDIR: 'cdktf.out' });
    expect(app.stderr).toBe(
      'cdktf.out/stacks/shop-red/terraform.shop-red.tfstate: moved to rainbow-state/shop-red.tfstate: local state now lives in a folder beside the spec, outside the output that synth replaces\n',
    );
    expect(app.exited).toBe(false);
    expect(readFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(readdirSync(join(out, 'stacks', 'shop-red', '.terraform'))).toEqual([]);
    const fromCdktf = readFileSync(join(out, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8');
    expect(JSON.parse(fromCdktf).terraform.backend.local.path).toBe('../../../rainbow-state/shop-red.tfstate');
    expect(redStateOf(dir)).toBe('{"serial": 7}');
    expect(JSON.parse(readFileSync(join(out, '.rainbow-synth'), 'utf8')).tool).toBe('cdktf-rainbow');
    // rainbow synth takes the output over as its own and writes the same backend.
    expect((await rainbow(dir, ['synth'])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8')).terraform.backend).toEqual(
      JSON.parse(fromCdktf).terraform.backend,
    );
  });
});
