#!/usr/bin/env node
// Whole-process benchmark of the rainbow CLI: for each workload, 1 warm-up run and N measured
// runs of a child process, timing spawn -> exit (wall) and the child's peak RSS.
//
//   node bench/synth.mjs [--runs N] [--write]
//
// Peak RSS comes from GNU `/usr/bin/time -f %M` when it is present; without it the child's
// /proc/<pid>/status VmHWM is polled (a lower bound: the last few ms before exit can be missed),
// and where neither works it is reported as n/a; RAINBOW_BENCH_RSS=time|proc|none forces a method.
// Needs a built CLI (`npm run build`).
// Exits non-zero if any run fails.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const exampleSpec = 'examples/kubernetes-gateway/rainbow.yaml';
const sixteenSpec = 'bench/specs/gateway-16-colors.yaml';
const resultsFile = path.join(root, 'bench', 'results.md');
const TIME = '/usr/bin/time';

function usage(message) {
  if (message) console.error(`synth.mjs: ${message}`);
  console.error('usage: node bench/synth.mjs [--runs N] [--write]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { runs: 5, write: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--write') options.write = true;
    else if (arg === '--runs' || arg.startsWith('--runs=')) {
      const value = arg === '--runs' ? argv[++i] : arg.slice('--runs='.length);
      if (!/^[1-9][0-9]*$/.test(value ?? '')) usage(`--runs needs a positive integer, got ${value ?? 'nothing'}`);
      options.runs = Number(value);
    } else if (arg === '-h' || arg === '--help') usage();
    else usage(`unknown argument ${arg}`);
  }
  return options;
}

// --- peak RSS method -------------------------------------------------------------------------

function runChild(command, args, { cwd }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => resolve({ code: -1, signal: null, stdout, stderr: stderr + String(error) }));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// GNU time with -f/-o; BusyBox or BSD time would not accept these and so fail the probe.
async function gnuTimeWorks() {
  if (!existsSync(TIME)) return false;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rainbow-bench-probe-'));
  try {
    const file = path.join(dir, 'rss');
    const result = await runChild(TIME, ['-f', '%M', '-o', file, process.execPath, '-e', '0'], { cwd: root });
    return result.code === 0 && Number.isFinite(parseRss(readFileSync(file, 'utf8')));
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function procStatusReadable() {
  try {
    return /VmHWM:/.test(readFileSync(`/proc/${process.pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

// The last line of GNU time's -o file is %M (KiB); a line before it may say the command failed.
function parseRss(text) {
  const last = text.trim().split('\n').pop();
  return /^[0-9]+$/.test(last ?? '') ? Number(last) : NaN;
}

function readVmHwmKiB(pid) {
  try {
    const match = /VmHWM:\s+([0-9]+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN; // exited (or a zombie without memory lines) between polls
  }
}

// --- one measured run --------------------------------------------------------------------------

/** Runs `node ...args` once; resolves { ms, rssKiB (NaN if unknown), code, signal, stdout, stderr }. */
function measure(nodeArgs, rssMethod, scratch) {
  return new Promise((resolve) => {
    let command = process.execPath;
    let args = nodeArgs;
    let rssFile;
    if (rssMethod === 'time') {
      rssFile = path.join(scratch, `rss-${process.hrtime.bigint()}`);
      command = TIME;
      args = ['-f', '%M', '-o', rssFile, process.execPath, ...nodeArgs];
    }
    let stdout = '';
    let stderr = '';
    let peak = NaN;
    let timer;
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (rssMethod === 'proc') {
      const poll = () => {
        const kib = readVmHwmKiB(child.pid);
        if (Number.isFinite(kib)) peak = Number.isFinite(peak) ? Math.max(peak, kib) : kib;
      };
      poll();
      timer = setInterval(poll, 2);
    }
    let ms;
    child.on('exit', () => {
      ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(timer);
    });
    child.on('error', (error) => {
      clearInterval(timer);
      resolve({ ms: NaN, rssKiB: NaN, code: -1, signal: null, stdout, stderr: stderr + String(error) });
    });
    child.on('close', (code, signal) => {
      let rssKiB = peak;
      if (rssFile) {
        try {
          rssKiB = parseRss(readFileSync(rssFile, 'utf8'));
        } catch {
          rssKiB = NaN;
        }
        rmSync(rssFile, { force: true });
      }
      resolve({ ms, rssKiB, code, signal, stdout, stderr });
    });
  });
}

// --- statistics and formatting -----------------------------------------------------------------

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtMiB = (kib) => (Number.isFinite(kib) ? (kib / 1024).toFixed(1) : 'n/a');

function machineLine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim();
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return (
    `${cpus.length} cores${model ? ` (${model})` : ''}, ${memGiB} GiB RAM, ` +
    `Node ${process.version}, ${os.platform()} ${os.arch()}`
  );
}

function rssMethodLine(method) {
  if (method === 'time') return 'peak RSS from GNU `/usr/bin/time -f %M` (the child\'s max resident set size)';
  if (method === 'proc') return 'peak RSS from polling `/proc/<pid>/status` VmHWM every 2 ms (a lower bound)';
  return 'peak RSS not measured (no GNU `/usr/bin/time`, no readable `/proc`)';
}

function table(results) {
  const rows = [
    '| workload | median wall ms | min–max | median peak RSS MiB |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    const rss = r.rss.filter(Number.isFinite);
    const rssCell = rss.length === r.ms.length ? fmtMiB(median(rss)) : 'n/a';
    rows.push(
      `| ${r.label} | ${fmtMs(median(r.ms))} | ${fmtMs(Math.min(...r.ms))}–${fmtMs(Math.max(...r.ms))} | ${rssCell} |`,
    );
  }
  return rows.join('\n');
}

// --- main ----------------------------------------------------------------------------------------

const options = parseArgs(process.argv.slice(2));

for (const file of [cli, path.join(root, exampleSpec), path.join(root, sixteenSpec)]) {
  if (!existsSync(file)) {
    console.error(`synth.mjs: ${path.relative(root, file)} is missing${file === cli ? ' (run `npm run build` first)' : ''}`);
    process.exit(2);
  }
}

const cliRel = path.relative(root, cli);
const workloads = [
  { label: `\`rainbow synth\` — ${exampleSpec} (2 live + 1 retired color, 4 stacks)`, synth: exampleSpec },
  { label: `\`rainbow synth\` — ${sixteenSpec} (16 live colors, 17 stacks)`, synth: sixteenSpec },
  { label: `\`rainbow validate\` — ${sixteenSpec}`, args: [cliRel, 'validate', '--spec', sixteenSpec] },
  { label: '`node -e 0` (startup floor)', args: ['-e', '0'] },
];

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rainbow-bench-'));
const cleanup = () => rmSync(scratch, { recursive: true, force: true });
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup();
    process.exit(128 + os.constants.signals[signal]);
  });
}

const forced = process.env.RAINBOW_BENCH_RSS;
if (forced && !['time', 'proc', 'none'].includes(forced)) usage(`RAINBOW_BENCH_RSS must be time, proc or none, got ${forced}`);
const rssMethod = forced ?? ((await gnuTimeWorks()) ? 'time' : procStatusReadable() ? 'proc' : 'none');
const machine = machineLine();
console.log(`machine: ${machine}`);
console.log(`runs: 1 warm-up + ${options.runs} measured per workload; ${rssMethodLine(rssMethod)}\n`);

const results = [];
let runIndex = 0;
for (const workload of workloads) {
  const ms = [];
  const rss = [];
  for (let i = 0; i <= options.runs; i++) {
    const warmup = i === 0;
    let args = workload.args;
    let outDir;
    if (workload.synth) {
      outDir = path.join(scratch, `out-${runIndex++}`);
      args = [cliRel, 'synth', '--spec', workload.synth, '--out', outDir];
    }
    const run = await measure(args, rssMethod, scratch);
    if (outDir) rmSync(outDir, { recursive: true, force: true });
    if (run.code !== 0 || !Number.isFinite(run.ms)) {
      const what = run.signal ? `signal ${run.signal}` : `exit code ${run.code}`;
      console.error(`synth.mjs: ${warmup ? 'warm-up' : `run ${i}`} of ${workload.label} failed (${what})`);
      console.error(`  command: node ${args.join(' ')}`);
      if (run.stdout.trim()) console.error(run.stdout.trimEnd());
      if (run.stderr.trim()) console.error(run.stderr.trimEnd());
      process.exit(1);
    }
    if (!warmup) {
      ms.push(run.ms);
      rss.push(run.rssKiB);
    }
  }
  results.push({ label: workload.label, ms, rss });
  process.stderr.write(`done: ${workload.label}\n`);
}

const markdown = table(results);
console.log(`\n${markdown}`);

if (options.write) {
  const date = new Date().toISOString().slice(0, 10);
  const body = [
    '# Benchmark results',
    '',
    `${date} — \`node bench/synth.mjs --runs ${options.runs} --write\``,
    '',
    `Machine: ${machine}.`,
    '',
    `Each workload is a whole child process (spawn → exit, so Node startup and module loading are included), ` +
      `1 warm-up run then ${options.runs} measured runs; ${rssMethodLine(rssMethod)}.`,
    '',
    markdown,
    '',
  ].join('\n');
  writeFileSync(resultsFile, body);
  console.log(`\nwrote ${path.relative(root, resultsFile)}`);
}
