import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Problem, RainbowValidationError } from '../../model/problem';
import { synthesizeSpec, SynthesisOptions } from '../../stacks/synthesize';
import { OUTPUT_MARKER } from '../../stacks/synth-output';
import { rawSpec, resolvedSpec } from '../helpers';

/** A project directory with a spec file in it; the tests run with it as the current directory. */
function project(): { dir: string; spec: string } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rainbow-out-')));
  const spec = join(dir, 'rainbow.yaml');
  writeFileSync(spec, 'app: shop\n');
  return { dir, spec };
}

/** Every path under `dir` with its content (files) or type, to show that nothing was touched. */
function tree(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        found[relative(dir, path)] = `dir ${statSync(path).mtimeMs}`;
        walk(path);
      } else {
        found[relative(dir, path)] = entry.isSymbolicLink() ? 'link' : readFileSync(path, 'utf8');
      }
    }
  };
  walk(dir);
  return found;
}

let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
});
afterEach(() => {
  process.chdir(cwd);
});

/** Runs synthesizeSpec from `dir`; returns its problems (none when it succeeded) and notes. */
function synth(
  dir: string,
  out: string,
  options: SynthesisOptions = {},
): { problems: readonly Problem[]; notes: string[] } {
  process.chdir(dir);
  const notes: string[] = [];
  try {
    const result = synthesizeSpec(resolvedSpec(), out, options, (n) => notes.push(`${n.path}: ${n.message}`));
    // The notes told as they happened are the notes the result returns.
    expect(result.notes.map((n) => `${n.path}: ${n.message}`)).toEqual(notes);
    return { problems: [], notes };
  } catch (error) {
    if (!(error instanceof RainbowValidationError)) throw error;
    return { problems: error.problems, notes };
  }
}

/**
 * A pid that no process has: one of a process that has exited (a shell: it starts in milliseconds, node in a hundred).
 */
function deadPid(): number {
  const child = spawnSync('sh', ['-c', ':']);
  return child.pid;
}

describe('synthesizeSpec: what it may replace', () => {
  const refusals: Array<[string, (dir: string) => string, string]> = [
    [
      'an empty path',
      () => '',
      '--out: received an empty path (an unset variable?); expected the directory to write the stacks to, such as cdktf.out. Nothing was written',
    ],
    [
      'the current directory',
      () => '.',
      '.: is the current directory; synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written',
    ],
    [
      'the parent directory',
      () => '..',
      '..: holds the current directory; synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written',
    ],
    [
      'the spec file',
      () => 'rainbow.yaml',
      'rainbow.yaml: is the spec file rainbow.yaml; synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written',
    ],
    [
      'the state folder',
      () => 'rainbow-state',
      'rainbow-state: is the state folder rainbow-state; synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written',
    ],
    [
      'a folder inside the state folder',
      () => 'rainbow-state/out',
      'rainbow-state/out: is inside the state folder rainbow-state, which synth never replaces. Pass another --out, such as cdktf.out; nothing was written',
    ],
    [
      'a file',
      () => 'notes.txt',
      'notes.txt: is a file, not a directory; synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out; nothing was written',
    ],
    [
      'a folder of sources',
      () => 'src',
      'src: is not empty and not an earlier output of rainbow synth (it has no .rainbow-synth marker and holds "a.ts", "b.ts", "c.ts" and 1 more); synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out, or empty the directory; nothing was written',
    ],
    [
      'a manifest.json beside other files',
      () => 'mixed',
      'mixed: is not empty and not an earlier output of rainbow synth (it has no .rainbow-synth marker and holds "manifest.json", "stacks", "x.ts"); synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out, or empty the directory; nothing was written',
    ],
    [
      'a manifest.json that is not a cdktf manifest',
      () => 'fake',
      'fake: is not empty and not an earlier output of rainbow synth (it has no .rainbow-synth marker and holds "manifest.json"); synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out, or empty the directory; nothing was written',
    ],
  ];

  it.each(refusals)('refuses %s, touching nothing', (_name, out, message) => {
    const { dir, spec } = project();
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(join(dir, 'rainbow-state'));
    writeFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), '{"serial": 7}');
    writeFileSync(join(dir, 'notes.txt'), 'notes');
    mkdirSync(join(dir, 'src'));
    for (const f of ['a.ts', 'b.ts', 'c.ts', 'd.ts']) writeFileSync(join(dir, 'src', f), f);
    mkdirSync(join(dir, 'mixed', 'stacks'), { recursive: true });
    writeFileSync(join(dir, 'mixed', 'manifest.json'), '{"version": "0.21.0", "stacks": {}}');
    writeFileSync(join(dir, 'mixed', 'x.ts'), 'x');
    mkdirSync(join(dir, 'fake'));
    writeFileSync(join(dir, 'fake', 'manifest.json'), '{"name": "my-package"}');
    const before = tree(dir);
    const { problems } = synth(dir, out(dir), { specFile: spec });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([message]);
    expect(tree(dir)).toEqual(before);
  });

  it('refuses a directory that holds the spec in a subfolder, without a spec option given the current directory', () => {
    const { dir } = project();
    mkdirSync(join(dir, 'deploy'));
    process.chdir(join(dir, 'deploy'));
    const before = tree(dir);
    const { problems } = synth(join(dir, 'deploy'), dir);
    expect(problems).toEqual([{ path: dir, message: expect.stringMatching(/^holds the current directory; /) }]);
    expect(tree(dir)).toEqual(before);
  });

  it('replaces an empty directory, and marks its output as its own', () => {
    const { dir, spec } = project();
    mkdirSync(join(dir, 'out'));
    expect(synth(dir, 'out', { specFile: spec }).problems).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'out', OUTPUT_MARKER), 'utf8')).tool).toBe('cdktf-rainbow');
    expect(readdirSync(join(dir, 'out', 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router']);
  });

  it('replaces its own earlier output, marked, with files added by Terraform in the stack directories', () => {
    const { dir, spec } = project();
    synth(dir, 'out', { specFile: spec });
    mkdirSync(join(dir, 'out', 'stacks', 'shop-red', '.terraform'));
    writeFileSync(join(dir, 'out', 'stacks', 'shop-red', 'plan'), 'plan');
    expect(synth(dir, 'out', { specFile: spec }).problems).toEqual([]);
    expect(existsSync(join(dir, 'out', 'stacks', 'shop-red', '.terraform'))).toBe(true);
  });

  it('replaces an output of an earlier version or of cdktf synth: only a cdktf manifest.json and stacks/', () => {
    const { dir, spec } = project();
    synth(dir, 'out', { specFile: spec });
    rmSync(join(dir, 'out', OUTPUT_MARKER));
    expect(synth(dir, 'out', { specFile: spec }).problems).toEqual([]);
    expect(existsSync(join(dir, 'out', OUTPUT_MARKER))).toBe(true);
  });

  it('follows a symbolic link to a directory and says so, keeping the link', () => {
    const { dir, spec } = project();
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'rainbow-elsewhere-')));
    symlinkSync(elsewhere, join(dir, 'out'));
    const { problems, notes } = synth(dir, 'out', { specFile: spec });
    expect(problems).toEqual([]);
    expect(notes).toEqual([`out: is a symbolic link; writing the stacks to its target ${elsewhere}`]);
    expect(readdirSync(join(elsewhere, 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router']);
    expect(readdirSync(join(dir, 'out', 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router']);
    const backend = JSON.parse(readFileSync(join(elsewhere, 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8')).terraform
      .backend.local;
    expect(join(elsewhere, 'stacks', 'shop-red', backend.path)).toBe(join(dir, 'rainbow-state', 'shop-red.tfstate'));
  });

  it('refuses a symbolic link to a foreign directory, touching neither', () => {
    const { dir, spec } = project();
    symlinkSync(dir, join(dir, 'out'));
    const before = tree(dir);
    const { problems } = synth(dir, 'out', { specFile: spec });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'out: is the current directory; synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written',
    ]);
    expect(tree(dir)).toEqual(before);
  });

  it('refuses a dangling symbolic link', () => {
    const { dir, spec } = project();
    symlinkSync(join(dir, 'gone'), join(dir, 'out'));
    const { problems } = synth(dir, 'out', { specFile: spec });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      `out: is a symbolic link to ${join(dir, 'gone')}, which does not exist; point it at a directory, or pass another --out. Nothing was written`,
    ]);
  });
});

describe('synthesizeSpec: local state', () => {
  const backendOf = (out: string, stack: string) =>
    JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')).terraform.backend.local;

  it('points every stack at rainbow-state/ beside the spec, relative to the stack directory', () => {
    const { dir, spec } = project();
    synth(dir, 'cdktf.out', { specFile: spec });
    expect(backendOf(join(dir, 'cdktf.out'), 'shop-red')).toEqual({
      path: '../../../rainbow-state/shop-red.tfstate',
      workspace_dir: '../../../rainbow-state/shop-red.tfstate.d',
    });
    expect(backendOf(join(dir, 'cdktf.out'), 'shop-router').path).toBe('../../../rainbow-state/shop-router.tfstate');
  });

  it('reaches the same folder from an output elsewhere', () => {
    const { dir, spec } = project();
    synth(dir, 'build/deep/out', { specFile: spec });
    const out = join(dir, 'build', 'deep', 'out');
    expect(backendOf(out, 'shop-red').path).toBe('../../../../../rainbow-state/shop-red.tfstate');
    expect(join(out, 'stacks', 'shop-red', backendOf(out, 'shop-red').path)).toBe(
      join(dir, 'rainbow-state', 'shop-red.tfstate'),
    );
  });

  it('moves state that an earlier version kept in the stack directories, saying so, and drops the old backend record', () => {
    const { dir, spec } = project();
    synth(dir, 'cdktf.out', { specFile: spec });
    const red = join(dir, 'cdktf.out', 'stacks', 'shop-red');
    writeFileSync(join(red, 'terraform.shop-red.tfstate'), '{"serial": 7}');
    writeFileSync(join(red, 'terraform.shop-red.tfstate.backup'), '{"serial": 6}');
    mkdirSync(join(red, 'terraform.tfstate.d', 'dev'), { recursive: true });
    writeFileSync(join(red, 'terraform.tfstate.d', 'dev', 'terraform.tfstate'), '{"serial": 2}');
    mkdirSync(join(red, '.terraform'));
    writeFileSync(
      join(red, '.terraform', 'terraform.tfstate'),
      JSON.stringify({ backend: { type: 'local', config: { path: 'terraform.shop-red.tfstate' } } }),
    );
    writeFileSync(join(red, '.terraform', 'environment'), 'dev');
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'shop-gone'));
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-gone', 'terraform.shop-gone.tfstate'), '{"serial": 3}');

    const { problems, notes } = synth(dir, 'cdktf.out', { specFile: spec });

    expect(problems).toEqual([]);
    const moved = 'local state now lives in a folder beside the spec, outside the output that synth replaces';
    expect(notes.sort()).toEqual([
      `cdktf.out/stacks/shop-gone/terraform.shop-gone.tfstate: moved to rainbow-state/shop-gone.tfstate: ${moved}`,
      `cdktf.out/stacks/shop-red/terraform.shop-red.tfstate.backup: moved to rainbow-state/shop-red.tfstate.backup: ${moved}`,
      `cdktf.out/stacks/shop-red/terraform.shop-red.tfstate: moved to rainbow-state/shop-red.tfstate: ${moved}`,
      `cdktf.out/stacks/shop-red/terraform.tfstate.d: moved to rainbow-state/shop-red.tfstate.d: ${moved}`,
    ]);
    const state = join(dir, 'rainbow-state');
    expect(readFileSync(join(state, 'shop-red.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(readFileSync(join(state, 'shop-red.tfstate.backup'), 'utf8')).toBe('{"serial": 6}');
    expect(readFileSync(join(state, 'shop-red.tfstate.d', 'dev', 'terraform.tfstate'), 'utf8')).toBe('{"serial": 2}');
    expect(readFileSync(join(state, 'shop-gone.tfstate'), 'utf8')).toBe('{"serial": 3}');
    expect(readdirSync(join(red, '.terraform'))).toEqual(['environment']);
    expect(readdirSync(red).sort()).toEqual(['.terraform', 'cdk.tf.json']);
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'rainbow-state', 'rainbow.yaml']);
  });

  it('refuses, moving nothing, when the state folder already holds a different state for a stack', () => {
    const { dir, spec } = project();
    synth(dir, 'cdktf.out', { specFile: spec });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-orange', 'terraform.shop-orange.tfstate'), '{"serial": 1}');
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 7}');
    mkdirSync(join(dir, 'rainbow-state'));
    writeFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), '{"serial": 9}');
    const before = tree(dir);
    const { problems } = synth(dir, 'cdktf.out', { specFile: spec });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'cdktf.out/stacks/shop-red/terraform.shop-red.tfstate: a different state for this stack already exists at rainbow-state/shop-red.tfstate; expected one of them only. Keep the right one (terraform show), move the other away, then run synth again; nothing was moved',
    ]);
    expect(tree(dir)).toEqual(before);
  });

  it('removes an old copy identical to the one in the state folder (an interrupted move across file systems)', () => {
    const { dir, spec } = project();
    synth(dir, 'cdktf.out', { specFile: spec });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 7}');
    mkdirSync(join(dir, 'rainbow-state'));
    writeFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), '{"serial": 7}');
    expect(synth(dir, 'cdktf.out', { specFile: spec }).problems).toEqual([]);
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks', 'shop-red'))).toEqual(['cdk.tf.json']);
    expect(readFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), 'utf8')).toBe('{"serial": 7}');
  });

  it('puts the state folder beside the output when no spec file is given (library use)', () => {
    const { dir } = project();
    synth(dir, join(dir, 'build', 'out'));
    expect(backendOf(join(dir, 'build', 'out'), 'shop-red').path).toBe('../../../rainbow-state/shop-red.tfstate');
  });

  it('leaves an S3 backend alone', () => {
    const { dir, spec } = project();
    const raw = rawSpec();
    raw.backend = { s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop' } };
    process.chdir(dir);
    synthesizeSpec(resolvedSpec(raw), 'cdktf.out', { specFile: spec });
    expect(
      Object.keys(
        JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8')).terraform.backend,
      ),
    ).toEqual(['s3']);
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'rainbow.yaml']);
  });
});

describe('synthesizeSpec after a killed run', () => {
  /** An own output as a killed run left it aside: `.cdktf.out.synth-<pid>-XXXXXX[.previous]`. */
  function leftover(dir: string, name: string, withTerraform = false): string {
    const path = join(dir, name);
    mkdirSync(join(path, 'stacks', 'shop-red'), { recursive: true });
    writeFileSync(join(path, OUTPUT_MARKER), '{"tool": "cdktf-rainbow"}');
    writeFileSync(join(path, 'stacks', 'shop-red', 'cdk.tf.json'), '{"from": "a killed run"}');
    if (withTerraform) {
      mkdirSync(join(path, 'stacks', 'shop-red', '.terraform'));
      writeFileSync(join(path, 'stacks', 'shop-red', '.terraform.lock.hcl'), 'lock');
    }
    return path;
  }

  it('restores an output that a killed run had moved aside, then replaces it, leaving no temporary directory', () => {
    const { dir, spec } = project();
    const pid = deadPid();
    leftover(dir, `.cdktf.out.synth-${pid}-abc123`);
    leftover(dir, `.cdktf.out.synth-${pid}-abc123.previous`, true);
    const { problems, notes } = synth(dir, 'cdktf.out', { specFile: spec });
    expect(problems).toEqual([]);
    expect(notes).toEqual([
      `cdktf.out: was missing after an interrupted synth (pid ${pid}); restored it from .cdktf.out.synth-${pid}-abc123.previous`,
      `cdktf.out: removed .cdktf.out.synth-${pid}-abc123, left by an interrupted synth (pid ${pid})`,
    ]);
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'rainbow.yaml']);
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks', 'shop-red')).sort()).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'cdk.tf.json',
    ]);
    expect(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-red', 'cdk.tf.json'), 'utf8')).not.toContain(
      'a killed run',
    );
  });

  it('finishes a swap that a killed run had done but not cleaned up: working files moved over, the old output removed', () => {
    const { dir, spec } = project();
    synth(dir, 'cdktf.out', { specFile: spec });
    const pid = deadPid();
    leftover(dir, `.cdktf.out.synth-${pid}-Zz9Yy8.previous`, true);
    const { notes } = synth(dir, 'cdktf.out', { specFile: spec });
    expect(notes).toEqual([
      `cdktf.out: removed .cdktf.out.synth-${pid}-Zz9Yy8.previous, left by an interrupted synth (pid ${pid})`,
    ]);
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'rainbow.yaml']);
    expect(readdirSync(join(dir, 'cdktf.out', 'stacks', 'shop-red')).sort()).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'cdk.tf.json',
    ]);
  });

  it('recovers the leftovers of earlier versions, moving the state they hold to the state folder', () => {
    const { dir, spec } = project();
    const staging = leftover(dir, '.cdktf.out.tmp-AbC123');
    writeFileSync(join(staging, 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 7}');
    leftover(dir, '.cdktf.out.tmp-AbC123.previous', true);
    const { problems, notes } = synth(dir, 'cdktf.out', { specFile: spec });
    expect(problems).toEqual([]);
    expect(notes).toEqual([
      'cdktf.out: was missing after an interrupted synth (an earlier version); restored it from .cdktf.out.tmp-AbC123.previous',
      'cdktf.out: removed .cdktf.out.tmp-AbC123, left by an interrupted synth (an earlier version)',
      'cdktf.out/stacks/shop-red/terraform.shop-red.tfstate: moved to rainbow-state/shop-red.tfstate: local state now lives in a folder beside the spec, outside the output that synth replaces',
    ]);
    expect(readFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', 'rainbow-state', 'rainbow.yaml']);
  });

  it("keeps a leftover holding a state that differs from the output's, and says so", () => {
    const { dir, spec } = project();
    synth(dir, 'cdktf.out', { specFile: spec });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 8}');
    const old = leftover(dir, '.cdktf.out.tmp-AbC123');
    writeFileSync(join(old, 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), '{"serial": 7}');
    const { problems, notes } = synth(dir, 'cdktf.out', { specFile: spec });
    expect(problems).toEqual([]);
    expect(notes[0]).toBe(
      'cdktf.out: kept .cdktf.out.tmp-AbC123, left by an interrupted synth: it holds .cdktf.out.tmp-AbC123/stacks/shop-red/terraform.shop-red.tfstate, and the output already has a different one. Compare them, keep the right state, then delete .cdktf.out.tmp-AbC123',
    );
    expect(readFileSync(join(old, 'stacks', 'shop-red', 'terraform.shop-red.tfstate'), 'utf8')).toBe('{"serial": 7}');
    expect(readFileSync(join(dir, 'rainbow-state', 'shop-red.tfstate'), 'utf8')).toBe('{"serial": 8}');
  });

  it('leaves the temporary directories of a run that is still going', () => {
    const { dir, spec } = project();
    const live = leftover(dir, `.cdktf.out.synth-${process.pid}-abc123`);
    expect(synth(dir, 'cdktf.out', { specFile: spec }).notes).toEqual([]);
    expect(existsSync(live)).toBe(true);
  });

  it('touches no leftover when the output is not its own', () => {
    const { dir, spec } = project();
    mkdirSync(join(dir, 'cdktf.out'));
    writeFileSync(join(dir, 'cdktf.out', 'mine.txt'), 'mine');
    const pid = deadPid();
    leftover(dir, `.cdktf.out.synth-${pid}-abc123.previous`, true);
    const before = tree(dir);
    expect(synth(dir, 'cdktf.out', { specFile: spec }).problems).toHaveLength(1);
    expect(tree(dir)).toEqual(before);
  });
});
