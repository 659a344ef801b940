#!/usr/bin/env node
// The experiments behind the profile findings in bench/README.md: what the recommended fixes would
// save, measured without changing any code outside bench/. For each workload it alternates
//   ours                              `rainbow synth` (or library mode) as it is
//   ours, lazy bindings               unused provider bindings never loaded (stub-unused-providers.cjs)
//   ours, no creation stacks          cdktf's per-token stack traces off (no-creation-stacks.cjs)
//   ours, both
//   baseline                          the hand-written cdktf program, as it is
// checks that every variant of ours writes byte-identical output, and prints medians.
//
//   node bench/experiments/fixes.mjs [--runs N] [--only gateway-16,ecs-5,library-1000]   (default 5 runs, all three)

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { differentFiles } from '../lib/floor.mjs';
import { chooseRssMethod, measure, median } from '../lib/measure.mjs';
import { programs, root } from '../lib/programs.mjs';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const runs = Number(flag('--runs', '5'));
const only = flag('--only', 'gateway-16,ecs-5,library-1000').split(',');
const STUB = { 'gateway-16': 'kubernetes', 'ecs-5': 'ecs', 'library-1000': 'kubernetes', 'library-100': 'kubernetes', 'gateway-4': 'kubernetes', 'gateway-1': 'kubernetes', 'ecs-1': 'ecs' };

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rainbow-fixes-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const rssMethod = await chooseRssMethod(root);
let n = 0;

async function run(args, stub) {
  const out = path.join(scratch, `out-${n++}`);
  if (stub === undefined) delete process.env.RAINBOW_STUB;
  else process.env.RAINBOW_STUB = stub;
  const r = await measure(args(out), { rssMethod, scratch, cwd: root });
  delete process.env.RAINBOW_STUB;
  if (r.code !== 0) throw new Error(`node ${args(out).join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return { ...r, out };
}

const LAZY = ['-r', './bench/experiments/stub-unused-providers.cjs'];
const NO_STACKS = ['-r', './bench/experiments/no-creation-stacks.cjs'];

for (const name of only) {
  const [ours, baseline] = programs(name);
  const variants = [
    { label: 'ours', args: ours.args },
    { label: 'ours, lazy bindings', stub: STUB[name], args: (o) => [...LAZY, ...ours.args(o)] },
    { label: 'ours, no creation stacks', args: (o) => [...NO_STACKS, ...ours.args(o)] },
    { label: 'ours, both', stub: STUB[name], args: (o) => [...LAZY, ...NO_STACKS, ...ours.args(o)] },
    { label: 'baseline', args: baseline.args },
  ];
  const warm = [];
  for (const v of variants) warm.push(await run(v.args, v.stub));
  for (const [j, w] of warm.entries()) {
    if (j === 0 || j === variants.length - 1) continue;
    const diff = differentFiles(warm[0].out, w.out);
    if (diff.length > 0) throw new Error(`${name}: ${variants[j].label} writes different output: ${diff.join(', ')}`);
  }
  for (const w of warm) rmSync(w.out, { recursive: true, force: true });
  const ms = variants.map(() => []);
  const cpu = variants.map(() => []);
  const rss = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, v] of variants.entries()) {
      const r = await run(v.args, v.stub);
      ms[j].push(r.ms);
      cpu[j].push(r.cpuMs);
      rss[j].push(r.rssKiB);
      rmSync(r.out, { recursive: true, force: true });
    }
  }
  const last = variants.length - 1;
  console.log(`\n${name}: ${runs} runs each after a warm-up, alternating; every variant of ours writes identical output\n`);
  console.log('| variant | median wall ms | × baseline | median CPU ms | × baseline | median peak RSS MiB |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [j, v] of variants.entries()) {
    const m = median(ms[j]);
    const c = median(cpu[j]);
    console.log(`| ${v.label} | ${m.toFixed(0)} | ${(m / median(ms[last])).toFixed(2)}× | ${c.toFixed(0)} | ` +
      `${(c / median(cpu[last])).toFixed(2)}× | ${(median(rss[j]) / 1024).toFixed(1)} |`);
  }
}
