#!/usr/bin/env node
// The synthesis benchmark (`npm run bench`): whole-process wall time and peak RSS of `rainbow synth`
// against a hand-written cdktf baseline, cdk8s + cdk8s-plus-32 and a floor that only writes the
// final files; library mode at 100 and 1000 colors for the per-color cost; and the start-up of
// `rainbow validate` and `rainbow status` against `node -e 0`. See bench/README.md.
//
//   node bench/synth.mjs [--runs N] [--only <workload>[,<workload>...]] [--no-check] [--write | --no-write]
//
//   --runs N      measured runs per program and workload, after one warm-up (default 5)
//   --only ...    some workloads: gateway-1 gateway-4 gateway-16 library-100 library-1000 ecs-1 ecs-5 startup
//   --no-check    skip the equivalence check of the warm-up outputs (bench/check-baseline.mjs)
//   --write       write bench/results.md, the one place the numbers go (default: only when every
//                 workload ran); --no-write never
//
// Needs a built CLI (`npm run build`; `npm run bench` builds first). Exits non-zero if a run fails
// or an output differs from ours.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { checkOutputs } from './check-baseline.mjs';
import { differentFiles, writeFloorScript } from './lib/floor.mjs';
import { chooseRssMethod, machineLine, measure, median, rssMethodLine } from './lib/measure.mjs';
import { CLI, describe, programs, root, SYNTH_WORKLOADS, WORKLOADS } from './lib/programs.mjs';
import { staleSpecFiles } from './make-specs.mjs';

const ALL = [...SYNTH_WORKLOADS, 'startup'];
const STARTUP_SPEC = WORKLOADS['gateway-16'].spec;
const resultsFile = path.join(root, 'bench', 'results.md');

/** The targets of the issue. */
const TARGETS = { baselineRatio: 1.1, libraryPerColorRatio: 1.1, growthRatio: 12, startupOverheadMs: 250 };
/** What `rainbow` starts with on this Node (cli/compile-cache.ts, scripts/bundle.js). */
const START_UP =
  typeof nodeModule.enableCompileCache === 'function'
    ? process.env.NODE_DISABLE_COMPILE_CACHE
      ? "the bundled command, Node's compile cache turned off (NODE_DISABLE_COMPILE_CACHE)"
      : "the bundled command with Node's compile cache, warm after the warm-up run (`$XDG_CACHE_HOME/cdktf-rainbow`)"
    : 'the bundled command; this Node has no compile cache (module.enableCompileCache: Node 22.1 and later)';

function usage(message) {
  if (message) console.error(`synth.mjs: ${message}`);
  console.error(
    'usage: node bench/synth.mjs [--runs N] [--only <workload>[,<workload>...]] [--no-check] [--write | --no-write]',
  );
  console.error(`workloads: ${ALL.join(' ')}`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { runs: 5, only: undefined, check: true, write: undefined };
  const value = (i, flag) => (argv[i] === flag ? argv[i + 1] : argv[i].slice(flag.length + 1));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--write') options.write = true;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--no-check') options.check = false;
    else if (arg === '--runs' || arg.startsWith('--runs=')) {
      const v = value(i, '--runs');
      if (arg === '--runs') i++;
      if (!/^[1-9][0-9]*$/.test(v ?? '')) usage(`--runs needs a positive integer, got ${v ?? 'nothing'}`);
      options.runs = Number(v);
    } else if (arg === '--only' || arg.startsWith('--only=')) {
      const v = value(i, '--only');
      if (arg === '--only') i++;
      const names = (v ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !ALL.includes(n));
      if (names.length === 0 || unknown.length > 0) usage(`unknown workload ${unknown.join(', ') || '(none given)'}`);
      options.only = [...(options.only ?? []), ...names];
    } else if (arg === '-h' || arg === '--help') usage();
    else usage(`unknown argument ${arg}`);
  }
  return options;
}

// --- running ---------------------------------------------------------------------------------------

const options = parseArgs(process.argv.slice(2));
const selected = ALL.filter((n) => options.only === undefined || options.only.includes(n));
const fullRun = selected.length === ALL.length;
const write = options.write ?? fullRun;

if (!existsSync(path.join(root, CLI))) usage('dist/cli/main.js is missing (run `npm run build` first)');
const stale = staleSpecFiles();
if (stale.length > 0)
  usage(`spec files out of date with bench/workloads.cjs: ${stale.join(', ')} (run node bench/make-specs.mjs)`);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rainbow-bench-'));
const cleanup = () => rmSync(scratch, { recursive: true, force: true });
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(128 + os.constants.signals[signal]);
  });
}

let rssMethod;
try {
  rssMethod = await chooseRssMethod(root);
} catch (error) {
  usage(error.message);
}
const machine = machineLine();
const loadBefore = os.loadavg();
const started = Date.now();
console.log(`machine: ${machine}`);
console.log(`rainbow: ${START_UP}`);
console.log(
  `runs: 1 warm-up + ${options.runs} measured per program, programs alternating within each round; ${rssMethodLine(rssMethod)}`,
);
console.log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}\n`);

let counter = 0;
async function runOnce(workload, program, args, { keep = false } = {}) {
  const out = path.join(scratch, `out-${counter++}`);
  const argv = args(out);
  const run = await measure(argv, { rssMethod, scratch, cwd: root });
  if (run.code !== 0 || !Number.isFinite(run.ms)) {
    const what = run.signal ? `signal ${run.signal}` : `exit code ${run.code}`;
    console.error(`synth.mjs: ${program.label} failed on ${workload} (${what})\n  command: node ${argv.join(' ')}`);
    if (run.stdout.trim()) console.error(run.stdout.trimEnd());
    if (run.stderr.trim()) console.error(run.stderr.trimEnd());
    process.exit(1);
  }
  if (!keep) rmSync(out, { recursive: true, force: true });
  return { ...run, out };
}

/** results[workload][programId] = { label, ms: [], rss: [], cpu: [] } */
const results = {};

async function measureRounds(workload, progs) {
  const byId = Object.fromEntries(progs.map((p) => [p.id, { label: p.label, ms: [], rss: [], cpu: [] }]));
  for (let i = 0; i < options.runs; i++) {
    for (const p of progs) {
      const run = await runOnce(workload, p, p.args);
      byId[p.id].ms.push(run.ms);
      byId[p.id].rss.push(run.rssKiB);
      byId[p.id].cpu.push(run.cpuMs);
    }
  }
  results[workload] = byId;
  const summary = progs.map((p) => `${p.id} ${fmtMs(median(byId[p.id].ms))} ms`).join(', ');
  process.stderr.write(`done: ${workload} (${summary})\n`);
}

for (const name of selected.filter((n) => n !== 'startup')) {
  const progs = programs(name);
  // Setup, which is also ours' warm-up: our output, from which the floor script is generated.
  const ours = await runOnce(name, progs[0], progs[0].args, { keep: true });
  const floorScript = path.join(scratch, `floor-${name}.cjs`);
  const floorSize = writeFloorScript(ours.out, floorScript);
  const floor = { id: 'floor', label: 'floor (writes the files only)', args: (out) => [floorScript, out] };
  const all = [...progs, floor];
  // Warm-up of the others; their outputs are checked against ours.
  const dirs = { ours: ours.out };
  for (const p of all.slice(1)) dirs[p.id] = (await runOnce(name, p, p.args, { keep: true })).out;
  if (options.check) {
    const result = checkOutputs(name, { ours: dirs.ours, baseline: dirs.baseline, cdk8s: dirs.cdk8s });
    const floorDiff = differentFiles(dirs.ours, dirs.floor);
    for (const line of result.lines) process.stderr.write(`check: ${line}\n`);
    if (floorDiff.length > 0)
      process.stderr.write(`check: ${name}: floor output differs from ours in ${floorDiff.join(', ')}\n`);
    if (!result.ok || floorDiff.length > 0) {
      console.error(
        `synth.mjs: the outputs of ${name} are not the same; fix bench/baseline or bench/cdk8s (or pass --no-check)`,
      );
      process.exit(1);
    }
  }
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  process.stderr.write(
    `setup: ${name}: ${floorSize.files} files, ${(floorSize.bytes / 1024).toFixed(0)} KiB of output\n`,
  );
  await measureRounds(name, all);
}

if (selected.includes('startup')) {
  const progs = [
    {
      id: 'validate',
      label: `\`rainbow validate\` (16 colors)`,
      args: () => [CLI, 'validate', '--spec', STARTUP_SPEC],
    },
    { id: 'status', label: `\`rainbow status\` (16 colors)`, args: () => [CLI, 'status', '--spec', STARTUP_SPEC] },
    { id: 'node', label: '`node -e 0`', args: () => ['-e', '0'] },
  ];
  for (const p of progs) await runOnce('startup', p, p.args);
  await measureRounds('startup', progs);
}

const loadAfter = os.loadavg();
const minutes = ((Date.now() - started) / 60000).toFixed(1);

// --- reporting -------------------------------------------------------------------------------------

function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
const fmtMiB = (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(1) : 'n/a');
const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '–');

/** Median wall ms and median peak RSS KiB of one program on one workload (NaN when not run). */
function stat(workload, id) {
  const r = results[workload]?.[id];
  if (r === undefined) return { ms: NaN, min: NaN, max: NaN, rss: NaN, cpu: NaN };
  const all = (values) => (values.every(Number.isFinite) ? median(values) : NaN);
  return { ms: median(r.ms), min: Math.min(...r.ms), max: Math.max(...r.ms), rss: all(r.rss), cpu: all(r.cpu) };
}

function synthTable() {
  const rows = [
    '| workload | program | median wall ms | min–max ms | wall × baseline | wall × cdk8s | median CPU ms | CPU × baseline | median peak RSS MiB | RSS × baseline |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const name of SYNTH_WORKLOADS.filter((n) => results[n] !== undefined)) {
    const base = stat(name, 'baseline');
    const k8s = stat(name, 'cdk8s');
    for (const [i, [id, r]] of Object.entries(results[name]).entries()) {
      const s = stat(name, id);
      rows.push(
        `| ${i === 0 ? `**${name}** — ${describe(name)}` : name} | ${r.label} | ${fmtMs(s.ms)} | ${fmtMs(s.min)}–${fmtMs(s.max)} | ` +
          `${fmtRatio(s.ms / base.ms)} | ${fmtRatio(s.ms / k8s.ms)} | ${fmtMs(s.cpu)} | ${fmtRatio(s.cpu / base.cpu)} | ${fmtMiB(s.rss)} | ${fmtRatio(s.rss / base.rss)} |`,
      );
    }
  }
  return rows.join('\n');
}

function marginalTable() {
  if (results['library-100'] === undefined || results['library-1000'] === undefined) return undefined;
  const rows = [
    '| program | 100 colors ms | 1000 colors ms | per color ms | 1000 ÷ 100 | 100 colors MiB | 1000 colors MiB | per color KiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [id, r] of Object.entries(results['library-1000'])) {
    const a = stat('library-100', id);
    const b = stat('library-1000', id);
    rows.push(
      `| ${r.label} | ${fmtMs(a.ms)} | ${fmtMs(b.ms)} | ${((b.ms - a.ms) / 900).toFixed(2)} | ${fmtRatio(b.ms / a.ms)} | ` +
        `${fmtMiB(a.rss)} | ${fmtMiB(b.rss)} | ${Number.isFinite(a.rss) ? ((b.rss - a.rss) / 900).toFixed(0) : 'n/a'} |`,
    );
  }
  return rows.join('\n');
}

function startupTable() {
  if (results.startup === undefined) return undefined;
  const floor = stat('startup', 'node');
  const rows = [
    '| command | median wall ms | min–max ms | over `node -e 0` ms | median peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [id, r] of Object.entries(results.startup)) {
    const s = stat('startup', id);
    rows.push(
      `| ${r.label} | ${fmtMs(s.ms)} | ${fmtMs(s.min)}–${fmtMs(s.max)} | ${id === 'node' ? '–' : fmtMs(s.ms - floor.ms)} | ${fmtMiB(s.rss)} |`,
    );
  }
  return rows.join('\n');
}

function targetsTable() {
  const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');
  const rows = ['| target | measured | verdict |', '| --- | --- | --- |'];
  const known = (...xs) => xs.every(Number.isFinite);
  for (const [name, colors] of [
    ['gateway-1', '1 color'],
    ['gateway-4', '4 colors'],
    ['gateway-16', '16 colors'],
  ]) {
    const o = stat(name, 'ours');
    const b = stat(name, 'baseline');
    rows.push(
      `| \`rainbow synth\`, ${colors}, at most ${TARGETS.baselineRatio.toFixed(1)}× the hand-written baseline | ` +
        `${fmtMs(o.ms)} ms vs ${fmtMs(b.ms)} ms: ${fmtRatio(o.ms / b.ms)} | ${verdict(known(o.ms, b.ms) ? o.ms / b.ms <= TARGETS.baselineRatio : undefined)} |`,
    );
  }
  const g = stat('gateway-16', 'ours');
  const gc = stat('gateway-16', 'cdk8s');
  rows.push(
    `| \`rainbow synth\`, 16 colors, faster than cdk8s | ${fmtMs(g.ms)} ms vs ${fmtMs(gc.ms)} ms: ${fmtRatio(g.ms / gc.ms)} | ` +
      `${verdict(known(g.ms, gc.ms) ? g.ms < gc.ms : undefined)} |`,
  );
  const l1 = stat('library-100', 'ours');
  const l2 = stat('library-1000', 'ours');
  rows.push(
    `| per-color cost linear: 1000 colors cost at most ${TARGETS.growthRatio}× 100 colors | ` +
      `${fmtMs(l2.ms)} ms vs ${fmtMs(l1.ms)} ms: ${fmtRatio(l2.ms / l1.ms)} | ${verdict(known(l1.ms, l2.ms) ? l2.ms / l1.ms <= TARGETS.growthRatio : undefined)} |`,
  );
  const b1 = stat('library-100', 'baseline');
  const b2 = stat('library-1000', 'baseline');
  const ours = (l2.ms - l1.ms) / 900;
  const theirs = (b2.ms - b1.ms) / 900;
  rows.push(
    `| library mode per color within ${TARGETS.libraryPerColorRatio}× of the baseline's | ` +
      `${ours.toFixed(2)} ms vs ${theirs.toFixed(2)} ms: ${fmtRatio(ours / theirs)} | ${verdict(known(ours, theirs) ? ours / theirs <= TARGETS.libraryPerColorRatio : undefined)} |`,
  );
  const n = stat('startup', 'node');
  for (const id of ['validate', 'status']) {
    const s = stat('startup', id);
    rows.push(
      `| \`rainbow ${id}\` (16 colors) within ${TARGETS.startupOverheadMs / 1000} s of \`node -e 0\` | ` +
        `${fmtMs(s.ms)} ms vs ${fmtMs(n.ms)} ms: +${fmtMs(s.ms - n.ms)} ms | ${verdict(known(s.ms, n.ms) ? s.ms - n.ms <= TARGETS.startupOverheadMs : undefined)} |`,
    );
  }
  return rows.join('\n');
}

const sections = [
  ['Synthesis: wall time, CPU time and peak RSS per workload and program', synthTable()],
  ['Per-color marginal cost (library mode, 100 → 1000 colors)', marginalTable()],
  ['Start-up of the commands that load no cdktf', startupTable()],
  ['Targets', targetsTable()],
].filter(([, table]) => table !== undefined);

const conditions =
  `Machine: ${machine}. \`rainbow\`: ${START_UP}. ` +
  `Load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after (${minutes} min). ` +
  `${options.runs} measured runs per program after 1 warm-up, the programs alternating within each round; ${rssMethodLine(rssMethod)}.`;
const markdown = [conditions, '', ...sections.flatMap(([title, table]) => [`### ${title}`, '', table, ''])].join('\n');
console.log(`\n${markdown}`);

if (write) {
  const date = new Date().toISOString().slice(0, 10);
  const command = `node bench/synth.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const body =
    `# Benchmark results\n\n${date} — \`${command}\`${fullRun ? '' : ' (some workloads only)'}\n\n` +
    'What is measured and how: [README.md](README.md).\n\n' +
    markdown;
  writeFileSync(resultsFile, body);
  console.log(`\nwrote ${path.relative(root, resultsFile)}`);
}
