#!/usr/bin/env node
// What loading each piece costs on its own: `node -e "require(...)"` for the libraries and the
// module sets that `rainbow synth` and the baseline load, alternating, median wall time minus the
// median of `node -e 0`. Evidence for the profile findings in bench/README.md.
//
//   node bench/experiments/load-costs.mjs [--runs N]     (default 10)

import { measure, median } from '../lib/measure.mjs';
import { root } from '../lib/programs.mjs';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg === -1 ? 10 : Number(process.argv[runsArg + 1]);
const k8s = (names) => names.map((m) => `require('@cdktf/provider-kubernetes/lib/${m}')`).join(';');
const aws = (names) => names.map((m) => `require('@cdktf/provider-aws/lib/${m}')`).join(';');
const BASELINE_K8S = ['provider', 'deployment-v1', 'service-v1', 'pod-disruption-budget-v1', 'manifest'];
const AWS_USED = [
  'provider',
  'ecs-service',
  'lb-listener-rule',
  'ecs-task-definition',
  'lb-target-group',
  'data-aws-lb-target-group',
  'iam-role',
  'data-aws-ecs-cluster',
  'cloudwatch-log-group',
  'iam-role-policy',
];

const cases = [
  ['`node -e 0`', '0'],
  ['commander', "require('commander')"],
  ['yaml', "require('yaml')"],
  ['zod', "require('zod')"],
  ['dist/spec-file/schema (zod + the spec schema)', "require('./dist/spec-file/schema.js')"],
  ['dist/cli/main (every CLI module, no cdktf)', "require('./dist/cli/main.js')"],
  ['cdktf', "require('cdktf')"],
  ['cdktf + the 5 Kubernetes bindings a Gateway API synth uses', `require('cdktf');${k8s(BASELINE_K8S)}`],
  ['cdktf + job-v1 (migrations only)', `require('cdktf');${k8s(['job-v1'])}`],
  [
    'cdktf + horizontal-pod-autoscaler-v2 + ingress-v1',
    `require('cdktf');${k8s(['horizontal-pod-autoscaler-v2', 'ingress-v1'])}`,
  ],
  ['cdktf + the 10 AWS bindings of EcsColor, AlbRouter, AwsProvider', `require('cdktf');${aws(AWS_USED)}`],
  ['dist/stacks/synthesize (what `rainbow synth` loads for any spec)', "require('./dist/stacks/synthesize.js')"],
];

const ms = cases.map(() => []);
for (let i = 0; i <= runs; i++) {
  for (const [j, [label, code]] of cases.entries()) {
    const r = await measure(['-e', code], { rssMethod: 'none', scratch: root, cwd: root });
    if (r.code !== 0) throw new Error(`${label}: ${r.stderr}`);
    if (i > 0) ms[j].push(r.ms);
  }
}
const floor = median(ms[0]);
console.log(`median of ${runs} runs after a warm-up, alternating\n`);
console.log('| loads | median wall ms | over `node -e 0` ms |\n| --- | ---: | ---: |');
for (const [j, [label]] of cases.entries()) {
  const m = median(ms[j]);
  console.log(`| ${label} | ${m.toFixed(0)} | ${j === 0 ? '–' : `+${(m - floor).toFixed(0)}`} |`);
}
