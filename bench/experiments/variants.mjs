#!/usr/bin/env node
// Before/after of the start-up changes (bench/README.md, "Start-up: applied and dropped"): runs
// `rainbow synth` from several builds of the package, each a folder holding a built dist/ (e.g. a
// `git archive <commit>` with node_modules linked and `node scripts/build.js` run in it), alternating
// with the hand-written baseline and cdk8s in every round, and checks that every build writes
// byte-identical output. A build's compile cache ($XDG_CACHE_HOME/cdktf-rainbow, Node 22.1 and
// later) is warm after the warm-up run; `cold:` before a label gives that build a fresh, empty cache
// folder for every run, and `nocache:` runs it with NODE_DISABLE_COMPILE_CACHE=1. The workload
// `startup` runs `rainbow validate` and `rainbow status` of each build on the 16-color spec, and
// `node -e 0`. Run it with another Node (`/path/to/node bench/experiments/variants.mjs ...`) to
// measure on that Node.
//
//   node bench/experiments/variants.mjs --variant before=/tmp/v/before --variant after=/tmp/v/after \
//        [--variant cold:after=/tmp/v/after] [--only gateway-1,gateway-16,ecs-5,startup] [--runs N]

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { differentFiles } from '../lib/floor.mjs';
import { chooseRssMethod, measure, median } from '../lib/measure.mjs';
import { programs, root, WORKLOADS } from '../lib/programs.mjs';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const builds = argv
  .flatMap((a, i) => (a === '--variant' ? [argv[i + 1]] : []))
  .map((v) => {
    const [label, dir] = v.split('=');
    return {
      label,
      cold: label.startsWith('cold:'),
      off: label.startsWith('nocache:'),
      cli: path.join(path.resolve(dir), 'dist', 'cli', 'main.js'),
    };
  });
if (builds.length === 0) {
  console.error(
    'usage: node bench/experiments/variants.mjs --variant <label>=<folder with dist/> ... [--only w1,w2] [--runs N]',
  );
  process.exit(2);
}
const runs = Number(flag('--runs', '5'));
const only = flag('--only', 'gateway-1,gateway-4,gateway-16,ecs-5').split(',');

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rainbow-variants-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const rssMethod = await chooseRssMethod(root);
let n = 0;

async function run(program) {
  const out = path.join(scratch, `out-${n++}`);
  const saved = process.env.XDG_CACHE_HOME;
  if (program.cold) process.env.XDG_CACHE_HOME = mkdtempSync(path.join(scratch, 'cache-'));
  if (program.off) process.env.NODE_DISABLE_COMPILE_CACHE = '1';
  const r = await measure(program.args(out), { rssMethod, scratch, cwd: root });
  delete process.env.NODE_DISABLE_COMPILE_CACHE;
  if (program.cold) {
    rmSync(process.env.XDG_CACHE_HOME, { recursive: true, force: true });
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
  if (r.code !== 0) throw new Error(`node ${program.args(out).join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return { ...r, out };
}

console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const name of only) {
  const startup = name === 'startup';
  const w = startup ? WORKLOADS['gateway-16'] : WORKLOADS[name];
  const peers = startup ? [{ label: '`node -e 0`', args: () => ['-e', '0'] }] : programs(name).slice(1);
  const commands = startup ? ['validate', 'status'] : ['synth'];
  const list = [
    ...commands.flatMap((command) =>
      builds.map((b) => ({
        label: `rainbow ${command}: ${b.label}`,
        cold: b.cold,
        off: b.off,
        args: (out) => [b.cli, command, '--spec', w.spec, ...(command === 'synth' ? ['--out', out] : [])],
      })),
    ),
    ...peers.map((p) => ({ label: p.label, args: p.args })),
  ];
  const warm = [];
  for (const p of list) warm.push(await run(p));
  for (const [j, r] of warm.entries()) {
    if (startup || j === 0 || j >= builds.length) continue;
    const diff = differentFiles(warm[0].out, r.out);
    if (diff.length > 0) throw new Error(`${name}: ${list[j].label} writes different output: ${diff.join(', ')}`);
  }
  for (const r of warm) rmSync(r.out, { recursive: true, force: true });
  const ms = list.map(() => []);
  const cpu = list.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, p] of list.entries()) {
      const r = await run(p);
      ms[j].push(r.ms);
      cpu[j].push(r.cpuMs);
      rmSync(r.out, { recursive: true, force: true });
    }
  }
  const base = list.length - peers.length;
  const cdk8s = list.findIndex((p) => p.label.startsWith('cdk8s'));
  if (startup) {
    console.log(`\nstartup (16-color spec): ${runs} runs each after a warm-up, alternating\n`);
    console.log('| program | median wall ms | min–max ms | over `node -e 0` ms | median CPU ms |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [j, p] of list.entries()) {
      const m = median(ms[j]);
      console.log(
        `| ${p.label} | ${m.toFixed(0)} | ${Math.min(...ms[j]).toFixed(0)}–${Math.max(...ms[j]).toFixed(0)} | ` +
          `${j === base ? '–' : `+${(m - median(ms[base])).toFixed(0)}`} | ${median(cpu[j]).toFixed(0)} |`,
      );
    }
    continue;
  }
  console.log(`\n${name}: ${runs} runs each after a warm-up, alternating; every build writes identical output\n`);
  console.log('| program | median wall ms | min–max ms | × baseline | × cdk8s | median CPU ms | CPU × baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [j, p] of list.entries()) {
    const m = median(ms[j]);
    const c = median(cpu[j]);
    const vsCdk8s = cdk8s === -1 ? '–' : `${(m / median(ms[cdk8s])).toFixed(2)}×`;
    console.log(
      `| ${p.label} | ${m.toFixed(0)} | ${Math.min(...ms[j]).toFixed(0)}–${Math.max(...ms[j]).toFixed(0)} | ` +
        `${(m / median(ms[base])).toFixed(2)}× | ${vsCdk8s} | ${c.toFixed(0)} | ${(c / median(cpu[base])).toFixed(2)}× |`,
    );
  }
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
