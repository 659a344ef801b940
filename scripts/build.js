#!/usr/bin/env node
// Compiles the sources into dist/ with swc, then bundles the two programs (scripts/bundle.js), so
// that the tests spawn what the package ships: `node scripts/build.js` always, `--if-stale` only
// when a source (or .swcrc, package.json, the bundle script) was added, changed or removed since the
// last build of this script, which saves a swc and an esbuild start on `npm run synth`,
// `npm run rainbow` and the tests. The package itself is built by jsii (`npm run build:package`).
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const SOURCES = [
  'api',
  'model',
  'spec-file',
  'planning',
  'constructs',
  'stacks',
  'engine',
  'cli',
  'examples',
  'main.ts',
  'index.ts',
  'kubernetes.ts',
  'aws.ts',
];
const STAMP = path.join(ROOT, 'dist', '.built-from.json');

/** Every TypeScript source swc compiles, and the build's settings, with their modification times. */
function sources() {
  const found = {};
  const walk = (entry) => {
    const stat = statSync(entry);
    if (stat.isDirectory()) for (const name of readdirSync(entry)) walk(path.join(entry, name));
    else if (entry.endsWith('.ts')) found[path.relative(ROOT, entry)] = stat.mtimeMs;
  };
  for (const entry of SOURCES) walk(path.join(ROOT, entry));
  for (const config of ['.swcrc', 'package.json', 'scripts/bundle.js'])
    found[config] = statSync(path.join(ROOT, config)).mtimeMs;
  return found;
}

/** Builds dist/ unless `ifStale` and the stamp says it was built from these very sources. */
function build({ ifStale = false } = {}) {
  const now = JSON.stringify(sources());
  if (ifStale && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === now) return false;
  execFileSync(process.execPath, [require.resolve('@swc/cli/bin/swc.js'), ...SOURCES, '-d', 'dist', '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, [path.join(__dirname, 'bundle.js')], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(STAMP, now);
  return true;
}

module.exports = { build };

if (require.main === module) build({ ifStale: process.argv.includes('--if-stale') });
