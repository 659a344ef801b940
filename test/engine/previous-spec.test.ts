import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCommand } from '../../cli/commands/plan';
import { formatProblem } from '../../model/problem';
import { MAX_SPEC_BYTES, validateSpecText } from '../../spec-file/load';
import { previousSpec } from '../../engine/previous-spec';
import { BLUE_GREEN_SPEC } from '../fixtures/specs';

const SPEC = BLUE_GREEN_SPEC;
const WITHOUT_GREEN = SPEC.replace(/ {2}- name: green\n.*\n.*\n$/, '');

function git(dir: string, ...args: string[]): string {
  const r = spawnSync(
    'git',
    ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'init.defaultBranch=main', ...args],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** A repository with `files` committed. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-previous-'));
  git(dir, 'init', '-q');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'spec');
  return dir;
}

const problemLines = (result: ReturnType<typeof previousSpec>) =>
  'problems' in result ? result.problems.map((p) => `${p.path}: ${p.message}`) : [];

function plan(file: string): { code: number; out: string[] } {
  const out: string[] = [];
  const code = planCommand({ out: (l) => out.push(l), err: (l) => out.push(l) }, file, {});
  return { code, out };
}

describe('previousSpec, --from git:<ref>', () => {
  it('refuses a ref that git would read as an option, and git writes nothing', () => {
    const dir = repo({ 'rainbow.yaml': SPEC });
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), 'git:--output=x'))).toEqual([
      '--from: received "git:--output=x"; expected git:<ref> with a ref that does not start with "-", such as git:HEAD or git:main',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['.git', 'rainbow.yaml']);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('refuses git: without a ref, rather than comparing with the index', () => {
    const dir = repo({ 'rainbow.yaml': SPEC });
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), 'git:'))).toEqual([
      '--from: received "git:"; expected git:<ref> with a ref after git:, such as git:HEAD or git:main',
    ]);
  });

  it('says how to start when the spec is in no git repository, rather than calling it a first deploy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-no-git-'));
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), undefined))).toEqual([
      '--from: received "git:HEAD (the default)"; rainbow.yaml is not in a git repository, and plan compares with the deployed spec at git HEAD. ' +
        'For a first deploy: git init, then git add rainbow.yaml (or commit nothing: a repository without commits is a first deploy); to compare with a file instead: --from FILE',
    ]);
  });

  it('names a ref git does not know', () => {
    const dir = repo({ 'rainbow.yaml': SPEC });
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), 'git:nope'))).toEqual([
      '--from: received "git:nope"; git could not read rainbow.yaml there: fatal: Needed a single revision. Pass --from FILE to compare with a file instead',
    ]);
  });

  it('refuses a spec at the ref larger than the limit, by its size', () => {
    const dir = repo({ 'rainbow.yaml': `${SPEC}#${'x'.repeat(MAX_SPEC_BYTES)}\n` });
    const size = SPEC.length + MAX_SPEC_BYTES + 2;
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), 'git:HEAD'))).toEqual([
      `--from: received "git:HEAD"; rainbow.yaml there is ${size} bytes; expected a spec file of at most ${MAX_SPEC_BYTES} bytes`,
    ]);
  });

  it('reads a spec at the ref of exactly the limit, whole', () => {
    const padding = MAX_SPEC_BYTES - SPEC.length - 2;
    const text = `${SPEC}#${'x'.repeat(padding)}\n`;
    expect(text.length).toBe(MAX_SPEC_BYTES);
    const dir = repo({ 'rainbow.yaml': text });
    const previous = previousSpec(join(dir, 'rainbow.yaml'), 'git:HEAD');
    expect(problemLines(previous)).toEqual([]);
    expect('spec' in previous && previous.spec?.colors.map((c) => c.name)).toEqual(['blue', 'green']);
  });

  it('refuses a spec whose name holds a line break rather than comparing with nothing', () => {
    const name = 'n\nl.yaml';
    const dir = repo({ [name]: SPEC });
    expect(problemLines(previousSpec(join(dir, name), undefined))).toEqual([
      '--from: received "git:HEAD (the default)"; git could not read "n\\nl.yaml" there: its name holds a line break, which git cat-file cannot be asked for. Pass --from FILE to compare with a file instead',
    ]);
  });

  it('reads a spec committed as a symbolic link as the file it points to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-previous-'));
    git(dir, 'init', '-q');
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'specs', 'shop.yaml'), SPEC);
    symlinkSync(join('specs', 'shop.yaml'), join(dir, 'rainbow.yaml'));
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'spec');
    const previous = previousSpec(join(dir, 'rainbow.yaml'), undefined);
    expect(problemLines(previous)).toEqual([]);
    expect('spec' in previous && previous.spec?.colors.map((c) => c.name)).toEqual(['blue', 'green']);
  });

  it('refuses a spec committed as a symbolic link out of the repository', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-previous-'));
    git(dir, 'init', '-q');
    symlinkSync('/etc/hostname', join(dir, 'rainbow.yaml'));
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'spec');
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), 'git:HEAD'))).toEqual([
      '--from: received "git:HEAD"; rainbow.yaml there is a symbolic link out of the repository, not a file; expected a spec file',
    ]);
  });
});

describe('previousSpec, a renamed spec', () => {
  it('follows a rename git sees, so the safety rules still apply', () => {
    const dir = repo({ 'old.yaml': SPEC });
    git(dir, 'mv', 'old.yaml', 'rainbow.yaml');
    writeFileSync(join(dir, 'rainbow.yaml'), WITHOUT_GREEN);
    const { code, out } = plan(join(dir, 'rainbow.yaml'));
    expect(code).toBe(1);
    expect(out[0]).toBe(`plan: ${join(dir, 'rainbow.yaml')} against git:HEAD (renamed from old.yaml)`);
    expect(out).toContain(
      '  [removed-before-retired] green left the file without having been retired in the previous spec; retire it (and deploy) first',
    );
  });

  it('refuses, rather than planning a first deploy, when a spec at HEAD is gone and git sees no rename', () => {
    const dir = repo({ 'old.yaml': SPEC });
    renameSync(join(dir, 'old.yaml'), join(dir, 'rainbow.yaml'));
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), undefined))).toEqual([
      '--from: no previous spec at this path: rainbow.yaml is not at git HEAD, and old.yaml (a spec at HEAD) is gone from the working tree; if rainbow.yaml replaces it, pass --from FILE with its old content (git show HEAD:old.yaml > old.yaml) or git add rainbow.yaml so that git sees the rename',
    ]);
  });

  it('plans a first deploy for a new spec, even when a YAML file that was not a spec left HEAD', () => {
    const dir = repo({ 'README.md': '# shop\n', 'values.yaml': 'a: 1\n' });
    renameSync(join(dir, 'values.yaml'), join(dir, 'rainbow.yaml'));
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    expect(previousSpec(join(dir, 'rainbow.yaml'), undefined)).toEqual({ source: 'git:HEAD' });
  });
});

/**
 * A spec an earlier version could deploy or `rainbow init` committed, which only the policy rules
 * refuse: a `:latest` image and one without a tag, init's placeholders, a query the PromQL parser
 * refuses.
 */
const POLICY_ONLY = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: replace-me, namespace: replace-me }
  host: shop.replace-me.invalid
progression:
  checks:
    - name: errors
      prometheus: { url: "http://prometheus:9090", query: "sum(rate(errors[5m])", max: 0.01 }
colors:
  - name: blue
    image: ghcr.io/acme/shop:latest
    weight: 100
  - name: green
    image: ghcr.io/acme/shop
    weight: 0
`;

describe('previousSpec, the rules it is checked with', () => {
  it('is a spec the full rules refuse, for the policy rules alone', () => {
    expect(validateSpecText(POLICY_ONLY, 'rainbow.yaml').problems.map((p) => p.path)).toEqual([
      'colors[0].image',
      'colors[1].image',
      'kubernetes.gateway.name',
      'kubernetes.gateway.namespace',
      'kubernetes.host',
      'progression.checks[0].prometheus.query',
    ]);
  });

  it('reads a spec at HEAD that only the policy rules refuse, as it was deployed', () => {
    const dir = repo({ 'rainbow.yaml': POLICY_ONLY });
    const previous = previousSpec(join(dir, 'rainbow.yaml'), undefined);
    expect(problemLines(previous)).toEqual([]);
    expect('spec' in previous && previous.spec?.colors.map((c) => [c.name, c.image, c.weight])).toEqual([
      ['blue', 'ghcr.io/acme/shop:latest', 100],
      ['green', 'ghcr.io/acme/shop', 0],
    ]);
    expect('text' in previous && previous.text).toBe(POLICY_ONLY);
  });

  it('reads a --from FILE the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-previous-'));
    writeFileSync(join(dir, 'previous.yaml'), POLICY_ONLY);
    const previous = previousSpec(join(dir, 'rainbow.yaml'), join(dir, 'previous.yaml'));
    expect(problemLines(previous)).toEqual([]);
    expect('source' in previous && previous.source).toBe(join(dir, 'previous.yaml'));
  });

  it('still refuses a spec at HEAD that breaks a rule the comparison needs, naming only that rule', () => {
    const dir = repo({ 'rainbow.yaml': POLICY_ONLY.replace('    weight: 100\n', '    weight: 90\n') });
    expect(problemLines(previousSpec(join(dir, 'rainbow.yaml'), undefined))).toEqual([
      'git:HEAD:colors: the weights of the colors that are not retired add up to 90 (blue 90 + green 0); expected exactly 100',
    ]);
  });

  it("still refuses such a --from FILE, each problem at its line and column, the policy rules' left out", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-previous-'));
    const from = join(dir, 'previous.yaml');
    writeFileSync(from, POLICY_ONLY.replace('    weight: 0\n', '    weight: 0\n    replicas: many\n'));
    const previous = previousSpec(join(dir, 'rainbow.yaml'), from);
    expect('problems' in previous && previous.problems.map(formatProblem)).toEqual([
      `${from}:17:15: colors[1].replicas: received "many"; expected a whole number from 0 to 10000`,
    ]);
  });
});

describe('previousSpec, where it came from', () => {
  it('gives the commit and path git read it from, which git show reads again after HEAD moved on', () => {
    const dir = repo({ 'rainbow.yaml': SPEC });
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    const previous = previousSpec(join(dir, 'rainbow.yaml'), undefined);
    expect('object' in previous && previous.object).toBe(`${sha}:./rainbow.yaml`);
    writeFileSync(join(dir, 'rainbow.yaml'), WITHOUT_GREEN);
    git(dir, 'commit', '-q', '-a', '-m', 'green removed');
    expect(git(dir, 'show', `${sha}:./rainbow.yaml`)).toBe(SPEC);
  });

  it('gives the old path of a spec git sees renamed', () => {
    const dir = repo({ 'old.yaml': SPEC });
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    git(dir, 'mv', 'old.yaml', 'rainbow.yaml');
    const previous = previousSpec(join(dir, 'rainbow.yaml'), undefined);
    expect('object' in previous && previous.object).toBe(`${sha}:old.yaml`);
  });

  it('says that a spec is in no repository at all, and not that one is in a repository git cannot open', () => {
    const outside = mkdtempSync(join(tmpdir(), 'rainbow-no-git-'));
    writeFileSync(join(outside, 'rainbow.yaml'), SPEC);
    const none = previousSpec(join(outside, 'rainbow.yaml'), undefined);
    expect('problems' in none && none.notInRepository).toBe(true);
    const broken = mkdtempSync(join(tmpdir(), 'rainbow-broken-git-'));
    writeFileSync(join(broken, 'rainbow.yaml'), SPEC);
    writeFileSync(join(broken, '.git'), 'gitdir: /nonexistent/rainbow-worktree\n');
    const unreadable = previousSpec(join(broken, 'rainbow.yaml'), undefined);
    expect(problemLines(unreadable)).toEqual([
      '--from: received "git:HEAD (the default)"; git could not read rainbow.yaml there: fatal: not a git repository: /nonexistent/rainbow-worktree. Pass --from FILE to compare with a file instead',
    ]);
    expect('problems' in unreadable && unreadable.notInRepository).toBeUndefined();
  });
});
