import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { shortText } from '../model/messages';
import { ProcessResult, startProcess } from './process';

/**
 * Commits the spec as the release wrote it: `text`, not whatever the file holds by the time git
 * reads it (someone may edit it meanwhile). The blob is committed from an index of its own,
 * HEAD plus that one file, so the user's other staged changes stay staged and out of the commit;
 * `git commit` runs the repository's hooks as usual. The user's index then gets the same blob for
 * the spec, so that `git status` shows the spec clean when the file holds the text. Each git runs
 * in a process group of its own: a Ctrl-C meant for rainbow does not cut a commit in half.
 * Returns undefined when committed, else why not, in one short line.
 */
export async function commitSpec(
  specFile: string,
  text: string,
  message: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const cwd = dirname(resolve(specFile));
  const git = async (args: readonly string[], extra: NodeJS.ProcessEnv = {}, input?: Buffer): Promise<ProcessResult> =>
    startProcess('git', args, { cwd, env: { ...env, ...extra }, stdio: 'capture', input, tailBytes: 16 * 1024 }).result;
  const why = (run: ProcessResult): string | undefined => {
    if (run.error?.code === 'ENOENT') return 'git is not installed';
    if (run.error !== undefined) return shortText(run.error.message, 200);
    if (run.code !== 0)
      return shortText(run.output.toString('utf8').trim().split('\n')[0] || 'git exited with an error', 200);
    return undefined;
  };
  const prefix = await git(['rev-parse', '--show-prefix']);
  if (why(prefix) !== undefined) return why(prefix);
  const path = `${prefix.output.toString('utf8').trim()}${basename(specFile)}`;
  const listed = await git(['ls-files', '--stage', '--', basename(specFile)]);
  const mode = /^(100644|100755) /.exec(listed.output.toString('utf8'))?.[1] ?? '100644';
  const blob = await git(
    ['hash-object', '-w', '--stdin'],
    {},
    Buffer.concat([byteOrderMark(specFile), Buffer.from(text, 'utf8')]),
  );
  if (why(blob) !== undefined) return why(blob);
  const sha = blob.output.toString('utf8').trim();
  const folder = mkdtempSync(join(tmpdir(), 'rainbow-commit-'));
  const own = { GIT_INDEX_FILE: join(folder, 'index') };
  try {
    const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD']);
    for (const [args, extra] of [
      [head.code === 0 ? ['read-tree', 'HEAD'] : ['read-tree', '--empty'], own],
      [['update-index', '--add', '--cacheinfo', `${mode},${sha},${path}`], own],
      [['commit', '--quiet', '-m', message], own],
      [['update-index', '--add', '--cacheinfo', `${mode},${sha},${path}`], {}],
    ] as const) {
      const failed = why(await git(args, extra));
      if (failed !== undefined) return failed;
    }
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The file's byte-order mark, kept as the spec writer keeps it. */
function byteOrderMark(file: string): Buffer {
  try {
    const start = readFileSync(file).subarray(0, 3);
    return start.equals(Buffer.from([0xef, 0xbb, 0xbf])) ? start : Buffer.alloc(0);
  } catch {
    return Buffer.alloc(0);
  }
}
