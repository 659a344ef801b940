import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Problem } from '../model/problem';
import { RainbowSpec } from '../model/types';
import { ValidationResult } from '../model/spec-rules';
import { MAX_SPEC_BYTES, parseSpecText, readSpecText, validateSpecText } from '../spec-file/load';
import { FILE_MESSAGES } from '../spec-file/messages';
import { validateSpec } from '../spec-file/validate';
import { ENGINE_MESSAGES } from './messages';

export interface PreviousSpec {
  /** Where it came from, for the output: `git:HEAD`, a file name. */
  readonly source: string;
  /** Undefined when there is none (a first deploy: the file is not in git yet). */
  readonly spec?: RainbowSpec;
  /** Its text, when it was read from a file or from git. */
  readonly text?: string;
  /**
   * The git object it was read from, `<commit>:<path>` as git reads it in the spec's folder (the
   * path relative to that folder with `./`, or from the top of the repository), for a command that
   * reads it again: `git -C <folder> show <object>`. Undefined when it was not read from git.
   */
  readonly object?: string;
}

/**
 * Why there is no previous spec to compare with. `notInRepository` when the spec is in no git
 * repository at all (git looked up to the root, or to a file system's boundary), the one failure
 * after which an edit is written unchecked rather than refused.
 */
export interface PreviousSpecFailure {
  readonly problems: readonly Problem[];
  readonly notInRepository?: true;
}

type Failure = PreviousSpecFailure;

const DEFAULT_FROM = 'git:HEAD (the default)';

/**
 * The spec to compare with: `--from FILE`, `--from git:<ref>`, or by default the same file at git
 * HEAD. Only a repository without commits, or a file git has never committed, means a first
 * deploy; any other failure (no repository, git missing, a ref git does not know, an unsafe
 * repository) is a problem, so that the safety rules never pass by accident. A spec that git sees
 * renamed since HEAD is compared with its old path; one that left HEAD without git seeing the
 * rename is refused rather than called a first deploy. The previous spec is checked without the
 * policy rules (validateDeployedSpecText): it stands for what was deployed.
 */
export function previousSpec(specFile: string, from: string | undefined): PreviousSpec | Failure {
  if (from !== undefined && !from.startsWith('git:')) {
    // `--from HEAD~1` is a git ref without its prefix far more often than a missing file.
    if (!existsSync(from)) return { problems: [{ path: '--from', message: ENGINE_MESSAGES.fromNotFile(from) }] };
    const read = readSpecText(from);
    if (read.text === undefined) return { problems: read.problems };
    const { spec, problems } = validateDeployedSpecText(read.text, from);
    return spec === undefined ? { problems } : { source: from, spec, text: read.text };
  }
  const ref = from === undefined ? 'HEAD' : from.slice(4);
  const shown = from ?? DEFAULT_FROM;
  const file = basename(specFile);
  const problem = (message: string): Failure => ({ problems: [{ path: '--from', message }] });
  if (ref === '') return problem(ENGINE_MESSAGES.gitRefInvalid(shown, 'a ref after git:'));
  if (ref.startsWith('-')) return problem(ENGINE_MESSAGES.gitRefInvalid(shown, 'a ref that does not start with "-"'));
  const git = new Git(dirname(specFile));

  const commit = git.run(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
  if ('failed' in commit) {
    if (from === undefined && git.hasNoCommits()) return { source: 'git:HEAD' };
    // Not a first deploy by default: a folder outside git may be a copy of a deployed spec.
    if (NO_REPOSITORY.test(commit.failed))
      return { ...problem(ENGINE_MESSAGES.notInGit(shown, file)), notInRepository: true };
    return problem(ENGINE_MESSAGES.gitFailed(shown, file, commit.failed));
  }
  const sha = commit.text.trim();
  const object = `${sha}:./${file}`;
  const blob = git.readBlob(object, shown, file);
  if ('problems' in blob) return blob;
  if ('text' in blob) return validated(blob.text, `git:${ref}`, `git:${ref}:${file}`, object);
  if (from !== undefined) return problem(ENGINE_MESSAGES.gitFailed(shown, file, `${file} does not exist there`));
  return renamedSince(git, sha, file);
}

/**
 * The previous spec of a file that is not at HEAD: its old path when git sees it renamed; a
 * refusal when a spec at HEAD is gone and git sees no rename; else none (a first deploy).
 */
function renamedSince(git: Git, sha: string, file: string): PreviousSpec | Failure {
  const prefix = git.run(['rev-parse', '--show-prefix']);
  if ('failed' in prefix)
    return { problems: [{ path: '--from', message: ENGINE_MESSAGES.gitFailed(DEFAULT_FROM, file, prefix.failed) }] };
  const diff = git.run(['diff', '--no-ext-diff', '--name-status', '-z', '-M', sha, '--']);
  if ('failed' in diff)
    return { problems: [{ path: '--from', message: ENGINE_MESSAGES.gitFailed(DEFAULT_FROM, file, diff.failed) }] };
  const here = `${prefix.text.trim()}${file}`;
  const fields = diff.text.split('\0');
  const deleted: string[] = [];
  for (let i = 0; i < fields.length - 1;) {
    const status = fields[i];
    if (/^[RC]/.test(status)) {
      if (status.startsWith('R') && fields[i + 2] === here) {
        const old = fields[i + 1];
        const object = `${sha}:${old}`;
        const blob = git.readBlob(object, DEFAULT_FROM, old);
        if ('problems' in blob) return blob;
        if ('text' in blob) return validated(blob.text, `git:HEAD (renamed from ${old})`, `git:HEAD:${old}`, object);
      }
      i += 3;
    } else {
      if (status === 'D') deleted.push(fields[i + 1]);
      i += 2;
    }
  }
  for (const old of deleted.filter((path) => /\.(ya?ml|json)$/i.test(path))) {
    const blob = git.readBlob(`${sha}:${old}`, DEFAULT_FROM, old);
    if (!('text' in blob)) continue;
    const { document } = parseSpecText(blob.text, old);
    if (typeof document === 'object' && document !== null && 'app' in document && 'colors' in document) {
      return { problems: [{ path: '--from', message: ENGINE_MESSAGES.renamedSpecNotFollowed(file, old) }] };
    }
  }
  return { source: 'git:HEAD' };
}

function validated(text: string, source: string, path: string, object: string): PreviousSpec | Failure {
  const parsed = parseSpecText(text, path);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const { spec, problems } = validateSpec(parsed.document, { policyRules: false });
  return spec === undefined
    ? { problems: problems.map((p) => ({ path: `${source}:${p.path}`, message: p.message })) }
    : { source, spec, text, object };
}

/**
 * The text of a spec that stands for what is deployed (the previous spec, a release's record of
 * it), validated as validateSpecText does, each problem at its place, but without the policy rules
 * (spec-file/validate.ts ValidateOptions): an earlier version may have deployed a `:latest` image
 * or a query today's parser refuses, and the comparison reads neither. Every rule the comparison
 * needs still applies.
 */
export function validateDeployedSpecText(text: string, source: string): ValidationResult {
  const parsed = parseSpecText(text, source);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const lenient = validateSpec(parsed.document, { policyRules: false });
  if (lenient.spec !== undefined) return lenient;
  // The same problems, placed in the text: every one of them is among those of the full check.
  const key = (p: Problem) => `${p.path}\n${p.message}`;
  const kept = new Set(lenient.problems.map(key));
  return { problems: validateSpecText(text, source).problems.filter((p) => kept.has(key(p))) };
}

/**
 * What git says when it finds no repository above the folder: up to the root, or to a file
 * system's boundary it does not cross. Not `not a git repository: <path>`, a broken GIT_DIR or
 * `.git` file, which is a repository git cannot read. Git runs with LC_ALL=C, so in English.
 */
const NO_REPOSITORY = /not a git repository \(or any/;

/** git's environment: its messages in English, which NO_REPOSITORY reads. */
const gitEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LC_ALL: 'C' });

/**
 * git, run without a shell; a ref reaches it only after `--end-of-options` or on stdin, never
 * where it could be read as an option.
 */
class Git {
  constructor(private readonly cwd: string) {}

  run(args: readonly string[], input?: string): { text: string } | { failed: string } {
    try {
      const text = execFileSync('git', args, {
        cwd: this.cwd,
        env: gitEnv(),
        encoding: 'utf8',
        input,
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      return { text };
    } catch (error) {
      const failure = error as { stderr?: string; code?: string };
      if (failure.code === 'ENOENT') return { failed: 'git is not installed' };
      if (failure.code === 'ENOBUFS') return { failed: 'git printed more than expected' };
      return {
        failed: String(failure.stderr ?? '')
          .trim()
          .split('\n')[0],
      };
    }
  }

  /** A repository whose HEAD names no commit yet; not a broken one, nor none at all. */
  hasNoCommits(): boolean {
    const head = this.run(['rev-parse', '--verify', '--quiet', 'HEAD']);
    return 'failed' in head && head.failed === '' && !('failed' in this.run(['rev-parse', '--git-dir']));
  }

  /**
   * The text of `<commit>:<path>`, read with one `git cat-file --batch`: a line with its type and
   * size, then its bytes. Only a blob within the spec size limit is used; a larger one overflows
   * the output buffer, and its size is in the line before it. A symbolic link is followed inside
   * the repository; one that leads out of it, nowhere or in a loop is refused. `missing` when the
   * path is not in that commit.
   */
  readBlob(object: string, shown: string, file: string): { text: string } | { missing: true } | Failure {
    const problem = (message: string): Failure => ({ problems: [{ path: '--from', message }] });
    // git reads one object name a line: a path with a line break would ask for another (or none),
    // and a spec seen as missing at HEAD would pass as a first deploy.
    if (/[\r\n]/.test(object))
      return problem(
        ENGINE_MESSAGES.gitFailed(
          shown,
          JSON.stringify(file),
          'its name holds a line break, which git cat-file cannot be asked for',
        ),
      );
    let output: Buffer;
    try {
      output = execFileSync('git', ['cat-file', '--batch', '--follow-symlinks'], {
        cwd: this.cwd,
        env: gitEnv(),
        input: `${object}\n`,
        maxBuffer: MAX_SPEC_BYTES + 1024,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      const failure = error as { code?: string; stdout?: Buffer; stderr?: Buffer };
      if (failure.code === 'ENOBUFS' && failure.stdout !== undefined) output = failure.stdout;
      else if (failure.code === 'ENOENT')
        return problem(ENGINE_MESSAGES.gitFailed(shown, file, 'git is not installed'));
      else
        return problem(
          ENGINE_MESSAGES.gitFailed(
            shown,
            file,
            String(failure.stderr ?? '')
              .trim()
              .split('\n')[0],
          ),
        );
    }
    const end = output.indexOf(10);
    const line = output.toString('utf8', 0, end === -1 ? output.length : end);
    if (line.endsWith(' missing')) return { missing: true };
    const found = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(line);
    if (found === null) {
      const kind = line.split(' ')[0];
      const what = {
        symlink: 'a symbolic link out of the repository',
        dangling: 'a symbolic link to nothing',
        loop: 'a symbolic link loop',
        notdir: 'a path through a file',
      }[kind];
      return problem(ENGINE_MESSAGES.gitSpecNotFile(shown, file, what ?? 'unreadable'));
    }
    const [, , type, size] = found;
    if (type !== 'blob')
      return problem(ENGINE_MESSAGES.gitSpecNotFile(shown, file, type === 'tree' ? 'a directory' : `a ${type}`));
    if (Number(size) > MAX_SPEC_BYTES)
      return problem(ENGINE_MESSAGES.gitSpecTooLarge(shown, file, Number(size), MAX_SPEC_BYTES));
    const bytes = output.subarray(end + 1, end + 1 + Number(size));
    if (bytes.length !== Number(size))
      return problem(ENGINE_MESSAGES.gitFailed(shown, file, 'git printed less than the size it gave'));
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return { problems: [{ path: `${shown}:${file}`, message: FILE_MESSAGES.notUtf8 }] };
    }
  }
}
