// The tests that are about the real process (signals, heap limits, pipes, what it loads) spawn the
// compiled command (dist/), as users run it: build it once per run, and not at all when dist/ was
// built by an earlier run from the same sources, which saves a swc start on each run of one file.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const SOURCES = ['spec', 'constructs', 'stacks', 'cli', 'examples', 'main.ts', 'index.ts', 'kubernetes.ts', 'aws.ts'];
const STAMP = path.join(ROOT, 'dist', '.built-by-tests.json');

/** Every TypeScript source swc compiles, with its modification time. */
function sources() {
  const found = {};
  const walk = (entry) => {
    const stat = statSync(entry);
    if (stat.isDirectory()) for (const name of readdirSync(entry)) walk(path.join(entry, name));
    else if (entry.endsWith('.ts')) found[path.relative(ROOT, entry)] = stat.mtimeMs;
  };
  for (const entry of SOURCES) walk(path.join(ROOT, entry));
  for (const config of ['.swcrc', 'package.json']) found[config] = statSync(path.join(ROOT, config)).mtimeMs;
  return found;
}

module.exports = function globalSetup() {
  // Every temporary folder of the run (the tests' own, and the outdir cdktf's Testing.app() makes
  // and never removes: thousands a run) goes into one folder of this run, which the teardown
  // removes; the workers start after this and inherit TMPDIR.
  const runTmp = mkdtempSync(path.join(os.tmpdir(), 'rainbow-jest-'));
  process.env.RAINBOW_TEST_TMPDIR = runTmp;
  process.env.TMPDIR = runTmp;
  // The stamp lists the files and their times: an added, changed or deleted source rebuilds.
  const now = JSON.stringify(sources());
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === now) return;
  execFileSync(process.execPath, [require.resolve('@swc/cli/bin/swc.js'), ...SOURCES, '-d', 'dist', '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  writeFileSync(STAMP, now);
};
