import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

/**
 * Blue serves; green waits at 0 with two pods; teal waits at 0 and expired long ago; old was
 * retired before the last commit. Steps of any size are allowed, so that each command's ordinary
 * use is safe; the unsafe cases below break the step size or the capacity rule on purpose.
 */
const SPEC = `# shop
app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [10, 50, 100]
  maxStepPercent: 100
colors:
  - name: blue     # serves
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
  - name: teal
    image: ghcr.io/acme/shop:1.9.0
    weight: 0
    expires: 2000-01-01
  - name: old
    image: ghcr.io/acme/shop:1.0.0
    weight: 0
    state: retired
`;

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** The spec, committed: the verdict of each edit is against it. */
function repo(text = SPEC): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-edit-safety-'));
  writeFileSync(join(dir, 'rainbow.yaml'), text);
  git(dir, 'init', '-q');
  git(dir, 'add', 'rainbow.yaml');
  git(dir, 'commit', '-q', '-m', 'deployed');
  return dir;
}

const bytes = (dir: string) => readFileSync(join(dir, 'rainbow.yaml'));

describe('--dry-run on every editing command', () => {
  it.each([
    [
      ['add', 'purple', '--image', 'ghcr.io/acme/shop:2.2.0'],
      'purple  ghcr.io/acme/shop:2.2.0  ....................   0%         2  live     -',
    ],
    [['shift', 'green', '10'], 'green  ghcr.io/acme/shop:2.1.0  ##..................  10%         2  live     -'],
    [['step', 'green'], 'green  ghcr.io/acme/shop:2.1.0  ##..................  10%         2  live     -'],
    [['promote', 'green'], 'green  ghcr.io/acme/shop:2.1.0  #################### 100%         2  live     -'],
    [['drain', 'blue'], 'blue   ghcr.io/acme/shop:2.0.0  ....................   0%         2  live     -'],
    [['retire', 'green'], 'green  ghcr.io/acme/shop:2.1.0  ....................   0%         -  retired  -'],
    [
      ['set-image', 'green', 'ghcr.io/acme/shop:2.1.1'],
      'green  ghcr.io/acme/shop:2.1.1  ....................   0%         2  live     -',
    ],
    [['scale', 'green', '3'], 'green  ghcr.io/acme/shop:2.1.0  ....................   0%         3  live     -'],
    [['prune'], 'shop on kubernetes (gateway-api): 3 live of 3 colors'],
    [['expire'], 'teal   ghcr.io/acme/shop:1.9.0  ....................   0%         -  retired  2000-01-01'],
  ])('%p prints the new table and the verdict, writes nothing, takes no lock, exit 0', async (args, row) => {
    const dir = repo();
    const before = bytes(dir);
    const { code, stdout, stderr } = await rainbowInProcess(dir, [...args, '--dry-run']);
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: 'safety against git:HEAD: ok\ndry run: nothing written to ./rainbow.yaml\n',
    });
    expect(stdout.split('\n')).toContain(row);
    expect(bytes(dir).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['.git', 'rainbow.yaml']);
  });

  it('exits 1 for a change it would refuse, still printing the table, and writes nothing', async () => {
    const dir = repo(SPEC.replace('  maxStepPercent: 100\n', ''));
    const before = bytes(dir);
    const { code, stdout, stderr } = await rainbowInProcess(dir, ['shift', 'green', '60%', '--dry-run']);
    expect(code).toBe(1);
    expect(stdout).toContain('green  ghcr.io/acme/shop:2.1.0  ############........  60%');
    expect(stderr).toBe(
      [
        'safety against git:HEAD: UNSAFE, 2 rules broken',
        '  [step-too-large] blue moves from 100% to 40%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        '  [step-too-large] green moves from 0% to 60%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        'dry run: nothing written to ./rainbow.yaml; without --dry-run the change is refused: each rule above says what to do, or pass --force',
        '',
      ].join('\n'),
    );
    expect(bytes(dir).equals(before)).toBe(true);
  });

  it('with --force says the change would be written past the rules, exit 0, and writes nothing', async () => {
    const dir = repo(SPEC.replace('  maxStepPercent: 100\n', ''));
    const before = bytes(dir);
    const { code, stderr } = await rainbowInProcess(dir, ['promote', 'green', '--dry-run', '--force']);
    expect(code).toBe(0);
    expect(stderr.split('\n')[0]).toBe('safety against git:HEAD: FORCED past 2 rules broken (--force)');
    expect(stderr.split('\n').at(-2)).toBe(
      'dry run: nothing written to ./rainbow.yaml; with --force the change is written past the rules above, and plan and apply then need --force too',
    );
    expect(bytes(dir).equals(before)).toBe(true);
  });

  it('refuses as the edit would, exit 1, for a change the spec cannot hold', async () => {
    const dir = repo();
    const before = bytes(dir);
    const { code, stdout, stderr } = await rainbowInProcess(dir, ['retire', 'blue', '--dry-run']);
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'color: blue still has 100%; drain it to 0 (and deploy) before retiring it\n',
    });
    expect(bytes(dir).equals(before)).toBe(true);
  });

  it('says what expire would retire, not that it retired it', async () => {
    const dir = repo();
    const { stdout } = await rainbowInProcess(dir, ['expire', '--dry-run']);
    expect(stdout).toContain('\nwould retire teal: it expired at 2000-01-01\n');
    expect(stdout).not.toContain('\nretired teal');
  });
});

describe('an edit that breaks a safety rule', () => {
  /** Blue and green share the traffic; green has twice the pods. */
  const SHARED = SPEC.replace('    weight: 100\n', '    weight: 50\n')
    .replace(
      '    image: ghcr.io/acme/shop:2.1.0\n    weight: 0\n',
      '    image: ghcr.io/acme/shop:2.1.0\n    weight: 50\n    replicas: 4\n',
    )
    .replace('  maxStepPercent: 100\n', '');

  it.each([
    [
      ['shift', 'green', '60'],
      'step-too-large',
      '  [step-too-large] green moves from 0% to 60%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
      SPEC.replace('  maxStepPercent: 100\n', ''),
    ],
    [
      ['scale', 'blue', '1'],
      'under-capacity',
      '  [under-capacity] blue gets 50% of the traffic with 20% of the serving capacity after the change: more than progression.maxLoadFactor 2 × 20% = 40%; scale blue up first (replicas 1 → at least 2), or take a smaller step (at most 40% of the traffic with this capacity)',
      SHARED,
    ],
  ])('%p is refused, exit 1, naming the rule (%s), and writes nothing', async (args, _rule, line, text) => {
    const dir = repo(text);
    const before = bytes(dir);
    const { code, stdout, stderr } = await rainbowInProcess(dir, args);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toContain(line);
    expect(stderr).toMatch(
      /\n\.\/rainbow\.yaml: nothing written: plan and apply would refuse this change; each rule above says what to do, or pass --force to write it anyway\n$/,
    );
    expect(bytes(dir).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['.git', 'rainbow.yaml']);
  });

  it('is written with --force, and plan then refuses it without --force', async () => {
    const dir = repo(SHARED);
    const forced = await rainbowInProcess(dir, ['scale', 'blue', '1', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr.split('\n')[0]).toBe('safety against git:HEAD: FORCED past 1 rule broken (--force)');
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toContain(
      '  - name: blue     # serves\n    image: ghcr.io/acme/shop:2.0.0\n    weight: 50\n    replicas: 1\n',
    );
    expect((await rainbowInProcess(dir, ['plan'])).code).toBe(1);
    expect((await rainbowInProcess(dir, ['plan', '--force'])).code).toBe(0);
  });
});

describe('an edit whose previous spec cannot be read', () => {
  const UNREADABLE =
    'safety: cannot be checked: the previous spec cannot be read, and plan and apply stop on this too:';
  const REFUSED =
    './rainbow.yaml: nothing written: the change cannot be checked against the safety rules without the previous spec; fix the problem above, or pass --force to write it unchecked';

  /** The spec committed with maxStepPercent 0, which no version accepts, and valid in the working tree. */
  function invalidAtHead(): string {
    const dir = repo(SPEC.replace('  maxStepPercent: 100\n', '  maxStepPercent: 0\n'));
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    return dir;
  }

  it.each([
    [
      'git is not installed',
      () => repo(),
      () => ({ PATH: mkdtempSync(join(tmpdir(), 'rainbow-no-git-')) }),
      '--from: received "git:HEAD (the default)"; git could not read rainbow.yaml there: git is not installed. Pass --from FILE to compare with a file instead',
    ],
    [
      'the spec at HEAD does not validate',
      invalidAtHead,
      () => ({}),
      'git:HEAD:progression.maxStepPercent: received 0; expected a whole number from 1 to 100',
    ],
    [
      'the spec left HEAD under another name and git does not see the rename',
      () => {
        const dir = repo();
        git(dir, 'mv', 'rainbow.yaml', 'old.yaml');
        git(dir, 'commit', '-q', '-m', 'renamed');
        renameSync(join(dir, 'old.yaml'), join(dir, 'rainbow.yaml'));
        return dir;
      },
      () => ({}),
      '--from: no previous spec at this path: rainbow.yaml is not at git HEAD, and old.yaml (a spec at HEAD) is gone from the working tree; if rainbow.yaml replaces it, pass --from FILE with its old content (git show HEAD:old.yaml > old.yaml) or git add rainbow.yaml so that git sees the rename',
    ],
    [
      'its .git file leads to no repository (a repository git cannot open, not the absence of one)',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'rainbow-edit-safety-'));
        writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
        writeFileSync(join(dir, '.git'), 'gitdir: /nonexistent/rainbow-worktree\n');
        return dir;
      },
      () => ({}),
      '--from: received "git:HEAD (the default)"; git could not read rainbow.yaml there: fatal: not a git repository: /nonexistent/rainbow-worktree. Pass --from FILE to compare with a file instead',
    ],
  ])(
    'is refused, exit 1, nothing written, when %s; plan stops on the same problem',
    async (_why, make, env, problem) => {
      const dir = make();
      const before = bytes(dir);
      const edit = await rainbowInProcess(dir, ['shift', 'green', '10'], env());
      expect(edit).toEqual({ code: 1, stdout: '', stderr: `${UNREADABLE}\n${problem}\n${REFUSED}\n` });
      expect(bytes(dir).equals(before)).toBe(true);
      const plan = await rainbowInProcess(dir, ['plan'], env());
      expect(plan).toEqual({ code: 1, stdout: '', stderr: `${problem}\n` });
    },
  );

  it('is written with --force, and says that it was not checked and that plan still stops', async () => {
    const dir = invalidAtHead();
    const { code, stdout, stderr } = await rainbowInProcess(dir, ['shift', 'green', '10', '--force']);
    expect(code).toBe(0);
    expect(stdout).toContain('green  ghcr.io/acme/shop:2.1.0  ##..................  10%');
    expect(stderr).toBe(
      [
        UNREADABLE,
        'git:HEAD:progression.maxStepPercent: received 0; expected a whole number from 1 to 100',
        'the change is written unchecked (--force); plan and apply stop on the problem above until it is fixed, or until they are given --from FILE',
        '',
      ].join('\n'),
    );
    expect(bytes(dir).toString()).toContain('  - name: green\n    image: ghcr.io/acme/shop:2.1.0\n    weight: 10\n');
  });

  it('--dry-run says the change would be refused, exit 1, or written with --force, exit 0, and writes nothing', async () => {
    const dir = invalidAtHead();
    const before = bytes(dir);
    const refused = await rainbowInProcess(dir, ['shift', 'green', '10', '--dry-run']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('green  ghcr.io/acme/shop:2.1.0  ##..................  10%');
    expect(refused.stderr.split('\n').at(-2)).toBe(
      'dry run: nothing written to ./rainbow.yaml; without --dry-run the change is refused, since it cannot be checked: fix the problem above, or pass --force',
    );
    const forced = await rainbowInProcess(dir, ['shift', 'green', '10', '--dry-run', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr.split('\n').at(-2)).toBe(
      'dry run: nothing written to ./rainbow.yaml; with --force the change is written unchecked',
    );
    expect(bytes(dir).equals(before)).toBe(true);
  });

  it('is written unchecked, exit 0, outside any git repository: there is nothing to compare with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-edit-safety-'));
    writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
    const { code, stderr } = await rainbowInProcess(dir, ['shift', 'green', '10']);
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr:
        'safety: not checked: --from: received "git:HEAD (the default)"; rainbow.yaml is not in a git repository, and plan compares with the deployed spec at git HEAD. ' +
        'For a first deploy: git init, then git add rainbow.yaml (or commit nothing: a repository without commits is a first deploy); to compare with a file instead: --from FILE\n',
    });
    expect(bytes(dir).toString()).toContain('    weight: 10\n');
  });
});

describe('an edit against a spec at HEAD that only policy rules refuse now', () => {
  it('compares with it, so that an unsafe step is refused as usual rather than written unchecked', async () => {
    // HEAD runs blue on :latest, which this version refuses; the working tree has a fixed tag since.
    const steps = SPEC.replace('  maxStepPercent: 100\n', '');
    const dir = repo(steps.replace('shop:2.0.0', 'shop:latest'));
    writeFileSync(join(dir, 'rainbow.yaml'), steps.replace('shop:2.0.0', 'shop:2.0.1'));
    const before = bytes(dir);
    const { code, stderr } = await rainbowInProcess(dir, ['shift', 'green', '100']);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: [
        'safety against git:HEAD: UNSAFE, 2 rules broken',
        '  [step-too-large] blue moves from 100% to 0%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        '  [step-too-large] green moves from 0% to 100%, more than progression.maxStepPercent (50) in one change; move it in smaller steps',
        './rainbow.yaml: nothing written: plan and apply would refuse this change; each rule above says what to do, or pass --force to write it anyway',
        '',
      ].join('\n'),
    });
    expect(bytes(dir).equals(before)).toBe(true);
    expect((await rainbowInProcess(dir, ['shift', 'green', '50'])).code).toBe(0);
  });
});
