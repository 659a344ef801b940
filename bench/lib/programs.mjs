// The programs compared for each workload, as `node` argument lists (paths relative to the
// repository root, which is every child's working directory).

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const { WORKLOADS } = require('../workloads.cjs');

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = 'dist/cli/main.js';

/** Names of the synthesis workloads, in the order they are measured. */
export const SYNTH_WORKLOADS = Object.keys(WORKLOADS);

/**
 * The programs run for a workload: [{ id, label, args(outdir) }]. `ours` comes first: its output
 * is what the floor writes and what the others are checked against.
 */
export function programs(name) {
  const w = WORKLOADS[name];
  const list = [];
  if (w.kind === 'library') {
    list.push({ id: 'ours', label: 'rainbow (library mode)', args: (out) => ['bench/library/rainbow.cjs', name, out] });
  } else {
    list.push({ id: 'ours', label: '`rainbow synth`', args: (out) => [CLI, 'synth', '--spec', w.spec, '--out', out] });
  }
  list.push({ id: 'baseline', label: 'hand-written cdktf', args: (out) => ['bench/baseline/cdktf.cjs', name, out] });
  if (w.kind !== 'ecs')
    list.push({
      id: 'cdk8s',
      label: 'cdk8s + cdk8s-plus-32',
      args: (out) => ['bench/cdk8s/kubernetes.cjs', name, out],
    });
  return list;
}

/** One line describing a workload, for tables. */
export function describe(name) {
  const w = WORKLOADS[name];
  const n = w.colors.length;
  if (w.kind === 'library') return `${n} KubernetesColor in one stack, no router`;
  const platform = w.kind === 'ecs' ? 'ECS + ALB' : 'Gateway API';
  return `${platform}, ${n} color${n === 1 ? '' : 's'}, ${n + 1} stacks`;
}
