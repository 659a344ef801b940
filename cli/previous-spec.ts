import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { loadSpec, parseSpecText } from '../spec/load';
import { MESSAGES } from '../spec/messages';
import { Problem } from '../spec/problem';
import { RainbowSpec } from '../spec/types';
import { validateSpec } from '../spec/validate';

export interface PreviousSpec {
  /** Where it came from, for the output: `git:HEAD`, a file name. */
  readonly source: string;
  /** Undefined when there is none (a first deploy: the file is not in git yet). */
  readonly spec?: RainbowSpec;
}

/**
 * The spec to compare with: `--from FILE`, `--from git:<ref>`, or by default the same file at git
 * HEAD. Only a repository without commits, or a file git has never committed, means a first
 * deploy; any other failure (no repository, git missing, a ref git does not know, an unsafe
 * repository) is a problem, so that the safety rules never pass by accident.
 */
export function previousSpec(specFile: string, from: string | undefined): PreviousSpec | { problems: readonly Problem[] } {
  if (from !== undefined && !from.startsWith('git:')) {
    const { spec, problems } = loadSpec(from);
    return spec === undefined ? { problems } : { source: from, spec };
  }
  const ref = from === undefined ? 'HEAD' : from.slice(4);
  const source = `git:${ref}`;
  let text: string;
  try {
    text = execFileSync('git', ['show', `${ref}:./${basename(specFile)}`], { cwd: dirname(specFile), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stderr?: string; code?: string };
    const stderr = failure.code === 'ENOENT' ? 'git is not installed' : String(failure.stderr ?? '').trim().split('\n')[0];
    const firstDeploy = /invalid object name 'HEAD'|does not exist in 'HEAD'|exists on disk, but not in 'HEAD'/.test(stderr);
    if (from === undefined && firstDeploy) return { source };
    return { problems: [{ path: '--from', message: MESSAGES.gitFailed(from ?? 'git:HEAD (the default)', basename(specFile), stderr) }] };
  }
  const parsed = parseSpecText(text, `${source}:${basename(specFile)}`);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const { spec, problems } = validateSpec(parsed.document);
  return spec === undefined ? { problems: problems.map((p) => ({ path: `${source}:${p.path}`, message: p.message })) } : { source, spec };
}
