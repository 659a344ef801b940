import { shortText } from '../model/messages';

/**
 * The texts of deploys (the cdktf CLI, the plugin cache) and of check runs (what a failed run
 * saw). Those of `rainbow release` are in release-messages.ts, those of the EC2 instance refresh in
 * ec2-refresh.ts.
 */
export const ENGINE_MESSAGES = {
  pluginCacheUsed: (folder: string) => `apply: Terraform plugin cache ${folder} (TF_PLUGIN_CACHE_DIR; set it, or plugin_cache_dir, to use another)`,
  pluginCacheUnavailable: (folder: string, code: string) => `apply: no shared Terraform plugin cache: ${folder} cannot be created (${code}); each stack downloads its providers`,
  cdktfNotFound:
    'the cdktf CLI was not found on PATH; apply deploys with it. Install it in the project (npm install --save-dev cdktf-cli@^0.21, then run npx rainbow apply) or globally (npm install --global cdktf-cli@^0.21); nothing deployed',
  // check runs: what a failed run saw
  prometheusEmpty: 'no value (no series, or NaN)',
  prometheusOutOfRange: (value: string, bound: 'max' | 'min', limit: number, series: string) =>
    `${value} ${bound === 'max' ? 'above max' : 'below min'} ${limit}${series}`,
  prometheusRefused: (status: number, error: string) => `Prometheus answered ${status}: ${error}`,
  prometheusNotVector: (type: string) => `a ${type} result; expected an instant vector or a scalar (no range selector such as [5m] outside a function)`,
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
