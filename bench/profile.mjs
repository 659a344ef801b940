#!/usr/bin/env node
// Where the time goes: runs one program of a workload under `node --cpu-prof` and prints its
// self time by package / directory and the top self-time functions.
//
//   node bench/profile.mjs <workload> [ours|baseline|cdk8s] [--top N] [--interval µs] [--keep DIR]
//   node bench/profile.mjs validate|status        (the 16-color spec)
//
// Self time is grouped by where the code lives: `dist/<dir>` (ours), `node_modules/<package>`
// (cdktf, the providers, constructs, zod, yaml, ...), `node:` internals (module loading, fs),
// and V8's own entries ((garbage collector), (program): parsing/compiling, (idle)).
// --keep DIR keeps the .cpuprofile (open it in Chrome DevTools or speedscope).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, programs, root, WORKLOADS } from './lib/programs.mjs';

function usage(message) {
  if (message) console.error(`profile.mjs: ${message}`);
  console.error(
    'usage: node bench/profile.mjs <workload> [ours|baseline|cdk8s] [--top N] [--interval µs] [--keep DIR]',
  );
  console.error(`       workloads: ${Object.keys(WORKLOADS).join(' ')}, validate, status`);
  process.exit(2);
}

const args = process.argv.slice(2);
let top = 25;
let interval = 100;
let keep;
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top') top = Number(args[++i]);
  else if (args[i] === '--interval') interval = Number(args[++i]);
  else if (args[i] === '--keep') keep = path.resolve(args[++i]);
  else if (args[i].startsWith('--')) usage(`unknown option ${args[i]}`);
  else positional.push(args[i]);
}
const [workload, which = 'ours'] = positional;
if (workload === undefined) usage();

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rainbow-profile-'));
const profDir = keep ?? path.join(scratch, 'prof');
mkdirSync(profDir, { recursive: true });
let nodeArgs;
if (workload === 'validate' || workload === 'status')
  nodeArgs = [CLI, workload, '--spec', WORKLOADS['gateway-16'].spec];
else {
  if (WORKLOADS[workload] === undefined) usage(`unknown workload ${workload}`);
  const program = programs(workload).find((p) => p.id === which);
  if (program === undefined) usage(`no program ${which} for ${workload}`);
  nodeArgs = program.args(path.join(scratch, 'out'));
}
// The modules the process loaded, one path a line: the tests' preload (test/fixtures/record-modules.js).
const modulesFile = path.join(scratch, 'modules.log');
const run = spawnSync(
  process.execPath,
  [
    '--cpu-prof',
    `--cpu-prof-dir=${profDir}`,
    `--cpu-prof-interval=${interval}`,
    '-r',
    './test/fixtures/record-modules.js',
    ...nodeArgs,
  ],
  { cwd: root, encoding: 'utf8', env: { ...process.env, RAINBOW_MODULES_LOG: modulesFile } },
);
if (run.status !== 0) {
  console.error(`profile.mjs: node ${nodeArgs.join(' ')} failed\n${run.stdout}${run.stderr}`);
  process.exit(1);
}
const file = readdirSync(profDir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => path.join(profDir, f))
  .pop();
const profile = JSON.parse(readFileSync(file, 'utf8'));
const modules = readFileSync(modulesFile, 'utf8')
  .split('\n')
  .filter((f) => f !== '' && !f.endsWith('record-modules.js'))
  .map((f) => {
    try {
      return [f, statSync(f).size];
    } catch {
      return [f, 0];
    }
  });
if (keep === undefined) rmSync(scratch, { recursive: true, force: true });
else console.log(`profile: ${file}`);

// Self time per node: samples × their time deltas.
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const rootUrl = `file://${root}/`;
function where(url) {
  if (url === '') return undefined;
  if (url.startsWith('node:'))
    return url.startsWith('node:internal/modules') ? 'node: module loading' : 'node: other internals';
  const rel = url.startsWith(rootUrl)
    ? url.slice(rootUrl.length)
    : url.startsWith(root)
      ? url.slice(root.length + 1)
      : url;
  const nm = rel.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = rel.slice(nm + 'node_modules/'.length).split('/');
    const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    return `node_modules/${pkg}`;
  }
  if (rel.startsWith('dist/')) return `ours: dist/${rel.split('/')[1]}`;
  if (rel.startsWith('bench/')) return `bench: ${rel}`;
  return rel;
}

const byGroup = new Map();
const byFunction = new Map();
for (const [id, us] of selfUs) {
  const n = nodes.get(id);
  const { functionName, url, lineNumber } = n.callFrame;
  const group = where(url) ?? functionName; // (garbage collector), (program), (idle), (root)
  byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  const shortUrl = url.startsWith(rootUrl) ? url.slice(rootUrl.length) : url;
  const key = `${functionName || '(anonymous)'}  ${shortUrl ? `${shortUrl}:${lineNumber + 1}` : ''}`.trim();
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const fmt = (us) => `${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%`;
console.log(`node ${nodeArgs.join(' ')}`);
console.log(`sampled ${(totalUs / 1000).toFixed(0)} ms (interval ${interval} µs)\n`);
console.log('self time by where the code lives:');
for (const [group, us] of [...byGroup].sort((a, b) => b[1] - a[1]))
  if (us / totalUs >= 0.002) console.log(`${fmt(us)}  ${group}`);
console.log('\nCommonJS modules loaded, by where they live (count, source size):');
const loaded = new Map();
for (const [f, bytes] of modules) {
  const group = where(f) ?? f;
  const entry = loaded.get(group) ?? { count: 0, bytes: 0 };
  entry.count += 1;
  entry.bytes += bytes;
  loaded.set(group, entry);
}
const totalModules = modules.length;
const totalBytes = modules.reduce((sum, [, b]) => sum + b, 0);
for (const [group, e] of [...loaded].sort((a, b) => b[1].bytes - a[1].bytes)) {
  if (e.bytes / totalBytes >= 0.002)
    console.log(`${String(e.count).padStart(6)} modules ${(e.bytes / 1024).toFixed(0).padStart(7)} KiB  ${group}`);
}
console.log(`${String(totalModules).padStart(6)} modules ${(totalBytes / 1024).toFixed(0).padStart(7)} KiB  total`);
console.log(`\ntop ${top} functions by self time:`);
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(us)}  ${key}`);
