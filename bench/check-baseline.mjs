#!/usr/bin/env node
// Proves that the programs the benchmark compares produce the same thing. For each workload it
// synthesizes ours (`rainbow synth`, or the library-mode script), the hand-written cdktf baseline
// and, on Kubernetes, the cdk8s program into temporary directories, then:
//
// - ours against the baseline: every stack's `resource`, `data`, `provider` and `terraform`
//   sections, after removing cdktf's metadata ("//" keys) and normalising the construct-id-derived
//   logical ids (resources and data sources compared as a multiset of type + attribute values,
//   references included; see lib/compare.mjs);
// - ours against cdk8s: our Terraform kubernetes_* resources turned into the Kubernetes objects
//   the provider sends (snake_case to camelCase, IntOrString numbers, lists of one), compared whole
//   with cdk8s's YAML objects, chart by stack.
//
//   node bench/check-baseline.mjs [--only <workload>[,<workload>...]]
//
// Prints "equal" per workload, or lists every difference; exits 1 if there is any. Needs `npm run build`.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareKubernetes, compareTerraform } from './lib/compare.mjs';
import { CLI, programs, root, SYNTH_WORKLOADS } from './lib/programs.mjs';

/** Compares the outputs in `dirs` ({ ours, baseline, cdk8s? }); returns { ok, lines }. */
export function checkOutputs(name, dirs, maxDifferences = 30) {
  const list = (differences) => [
    ...differences.slice(0, maxDifferences).map((d) => `  ${d}`),
    ...(differences.length > maxDifferences ? [`  ... and ${differences.length - maxDifferences} more`] : []),
  ];
  const lines = [];
  let ok = true;
  const tf = compareTerraform(dirs.ours, dirs.baseline);
  if (tf.equal)
    lines.push(`${name}: baseline equal to ours (${tf.stacks} stacks, ${tf.blocks} resources and data sources)`);
  else {
    ok = false;
    lines.push(`${name}: baseline DIFFERS from ours:`, ...list(tf.differences));
  }
  if (dirs.cdk8s !== undefined) {
    const k = compareKubernetes(dirs.ours, dirs.cdk8s);
    if (k.equal) lines.push(`${name}: cdk8s objects equal to ours (${k.stacks} charts, ${k.objects} objects)`);
    else {
      ok = false;
      lines.push(`${name}: cdk8s objects DIFFER from ours:`, ...list(k.differences));
    }
  }
  return { ok, lines };
}

function main() {
  const argv = process.argv.slice(2);
  let only = SYNTH_WORKLOADS;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (argv[i].startsWith('--only=')) only = argv[i].slice('--only='.length).split(',').filter(Boolean);
    else {
      console.error('usage: node bench/check-baseline.mjs [--only <workload>[,<workload>...]]');
      process.exit(2);
    }
  }
  const unknown = only.filter((n) => !SYNTH_WORKLOADS.includes(n));
  if (unknown.length > 0 || only.length === 0) {
    console.error(
      `check-baseline: unknown workload ${unknown.join(', ') || '(none given)'}; one of ${SYNTH_WORKLOADS.join(', ')}`,
    );
    process.exit(2);
  }
  if (!existsSync(path.join(root, CLI))) {
    console.error('check-baseline: dist/ is missing (run npm run build first)');
    process.exit(2);
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'rainbow-check-'));
  let ok = true;
  try {
    for (const name of only) {
      const dirs = {};
      for (const program of programs(name)) {
        const out = path.join(scratch, `${name}-${program.id}`);
        const run = spawnSync(process.execPath, program.args(out), { cwd: root, encoding: 'utf8' });
        if (run.status !== 0) {
          console.error(
            `check-baseline: ${program.label} failed on ${name}: node ${program.args(out).join(' ')}\n${run.stdout}${run.stderr}`,
          );
          process.exit(1);
        }
        dirs[program.id] = out;
      }
      const result = checkOutputs(name, dirs);
      for (const line of result.lines) console.log(line);
      ok &&= result.ok;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(ok ? 'check-baseline: all equal' : 'check-baseline: DIFFERENCES found');
  process.exit(ok ? 0 : 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
