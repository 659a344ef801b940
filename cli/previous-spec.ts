import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { loadSpec, parseSpecText } from '../spec/load';
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
 * HEAD. A file missing from HEAD (or no repository at all) means a first deploy; a missing
 * explicit ref or file is a problem.
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
    if (from === undefined) return { source };
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    return { problems: [{ path: '--from', message: `received "${from}"; git could not read ${basename(specFile)} there: ${stderr}` }] };
  }
  const parsed = parseSpecText(text, `${source}:${basename(specFile)}`);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const { spec, problems } = validateSpec(parsed.document);
  return spec === undefined ? { problems: problems.map((p) => ({ path: `${source}:${p.path}`, message: p.message })) } : { source, spec };
}
