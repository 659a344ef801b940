import { describeValue, shortText } from '../model/messages';

/**
 * The texts of the spec's store (its lock, the previous spec at a git ref), of deploys (the cdktf
 * CLI, the plugin cache) and of check runs (what a failed run saw). Those of `rainbow release` are in
 * release-messages.ts, those of the EC2 instance refresh in ec2-refresh.ts.
 */
export const ENGINE_MESSAGES = {
  notInGit: (from: string, file: string) =>
    `received "${from}"; ${file} is not in a git repository, and plan compares with the deployed spec at git HEAD. ` +
    `For a first deploy: git init, then git add ${file} (or commit nothing: a repository without commits is a first deploy); ` +
    'to compare with a file instead: --from FILE',
  gitFailed: (from: string, file: string, reason: string) =>
    `received "${from}"; git could not read ${file} there: ${reason}. Pass --from FILE to compare with a file instead`,
  gitRefInvalid: (from: string, why: string) =>
    `received ${describeValue(from)}; expected git:<ref> with ${why}, such as git:HEAD or git:main`,
  gitSpecTooLarge: (from: string, file: string, size: number, max: number) =>
    `received ${describeValue(from)}; ${file} there is ${size} bytes; expected a spec file of at most ${max} bytes`,
  gitSpecNotFile: (from: string, file: string, what: string) =>
    `received ${describeValue(from)}; ${file} there is ${what}, not a file; expected a spec file`,
  renamedSpecNotFollowed: (file: string, old: string) =>
    `no previous spec at this path: ${file} is not at git HEAD, and ${shortText(old, 100)} (a spec at HEAD) is gone from the working tree; if ${file} replaces it, pass --from FILE with its old content (git show HEAD:${shortText(old, 100)} > old.yaml) or git add ${file} so that git sees the rename`,
  locked: (
    holder: { pid: number; host?: string; startedAt?: string; purpose?: string },
    lock: string,
    otherHost: boolean,
  ) =>
    `locked by ${holder.purpose ?? 'another rainbow command'} (pid ${holder.pid}${holder.host === undefined ? '' : ` on ${holder.host}`}` +
    `${holder.startedAt === undefined ? '' : `, since ${holder.startedAt}`}${otherHost ? '; another host, so rainbow cannot check that it still runs' : ''}); ` +
    `try again when it has finished, or remove ${lock} if that process is gone`,
  lockFailed: (reason: string) => `cannot create the edit lock beside the spec: ${reason}; nothing written`,
  fromNotFile: (from: string) =>
    /\.(ya?ml|json)$/i.test(from)
      ? `received ${describeValue(from)}, which is not a file; expected a previous spec file, or git:<ref> for the spec at a git commit, such as git:HEAD~1`
      : `received ${describeValue(from)}, which is not a file; expected a previous spec file, or git:${shortText(from, 60)} for the spec at that git ref`,
  pluginCacheUsed: (folder: string) =>
    `apply: Terraform plugin cache ${folder} (TF_PLUGIN_CACHE_DIR; set it, or plugin_cache_dir, to use another)`,
  pluginCacheUnavailable: (folder: string, code: string) =>
    `apply: no shared Terraform plugin cache: ${folder} cannot be created (${code}); each stack downloads its providers`,
  cdktfNotFound:
    'the cdktf CLI was not found on PATH; apply deploys with it. Install it in the project (npm install --save-dev cdktf-cli@^0.21, then run npx rainbow apply) or globally (npm install --global cdktf-cli@^0.21); nothing deployed',
  // check runs: what a failed run saw
  prometheusEmpty: 'no value (no series, or NaN)',
  prometheusOutOfRange: (value: string, bound: 'max' | 'min', limit: number, series: string) =>
    `${value} ${bound === 'max' ? 'above max' : 'below min'} ${limit}${series}`,
  prometheusRefused: (status: number, error: string) => `Prometheus answered ${status}: ${error}`,
  prometheusNotVector: (type: string) =>
    `a ${type} result; expected an instant vector or a scalar (no range selector such as [5m] outside a function)`,
  prometheusUnreadable: 'Prometheus answered something that is not its query API JSON',
  prometheusRedirect: (status: number) =>
    `Prometheus answered ${status}, a redirect, which is not followed; expected its query API's answer: set prometheus.url to the address that serves it`,
  prometheusTooLarge: (mebibytes: number) =>
    `Prometheus answered more than ${mebibytes} MiB, the most a check reads; expected a few series: aggregate the query (sum by (...), topk, max)`,
  prometheusTooManySeries: (count: number, most: number) =>
    `Prometheus answered ${count} series; expected at most ${most}: aggregate the query (sum by (...), topk, max)`,
  prometheusSeries: (count: number, value: string, labels: string) => `${count} series, worst: ${value} ${labels}`,
  noAnswer: (why: string) => `no answer: ${why}`,
  timedOut: (seconds: number) => `no answer within ${seconds} s`,
  httpStatus: (status: number, expected: number) =>
    `status ${status}${status >= 300 && status < 400 ? ' (a redirect, which is not followed)' : ''}; expected ${expected}`,
  commandExit: (code: number, output: string) => `exit ${code}${output === '' ? '' : `: ${output}`}`,
  commandKilled: (signal: string) => `killed by ${signal}`,
  commandNotRun: (program: string, why: string) => `${shortText(program, 80)} could not be run: ${why}`,
} as const;

/**
 * `text` as one word a POSIX shell reads back as it is, for the commands a hint prints to paste
 * (`RAINBOW_SPEC=<file> cdktf deploy ...`): unchanged when it holds only characters no shell treats
 * specially, else in single quotes (a quote inside written `'\''`).
 */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
