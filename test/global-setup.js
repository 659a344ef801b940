// The tests that are about the real process (signals, heap limits, pipes, what it loads) spawn the
// compiled command (dist/), as users run it: build it once per run, and not at all when dist/ was
// built from the same sources already (scripts/build.js --if-stale, as `npm run synth` does), which
// saves a swc start on each run of one file.
const { mkdtempSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { build } = require('../scripts/build');

module.exports = function globalSetup() {
  // Every temporary folder of the run (the tests' own, and the outdir cdktf's Testing.app() makes
  // and never removes: thousands a run) goes into one folder of this run, which the teardown
  // removes; the workers start after this and inherit TMPDIR.
  const runTmp = mkdtempSync(path.join(os.tmpdir(), 'rainbow-jest-'));
  process.env.RAINBOW_TEST_TMPDIR = runTmp;
  process.env.TMPDIR = runTmp;
  // The real binary keeps Node's compile cache (Node 22.1 and later) in $XDG_CACHE_HOME/cdktf-rainbow:
  // the spawned ones keep theirs in node_modules/.cache (where build tools keep theirs), never in
  // the user's, and from one run to the next (test/cli/compile-cache.test.ts uses folders of its own).
  process.env.XDG_CACHE_HOME = path.join(__dirname, '..', 'node_modules', '.cache');
  // git runs some hundreds of times a run (the spec at HEAD, the tests' repositories and their
  // commits), and after a commit it starts its automatic maintenance as another process: off for
  // the run, in the workers and everything they start.
  const count = Number(process.env.GIT_CONFIG_COUNT ?? 0) || 0;
  Object.assign(process.env, {
    [`GIT_CONFIG_KEY_${count}`]: 'maintenance.auto',
    [`GIT_CONFIG_VALUE_${count}`]: 'false',
    [`GIT_CONFIG_KEY_${count + 1}`]: 'gc.auto',
    [`GIT_CONFIG_VALUE_${count + 1}`]: '0',
    GIT_CONFIG_COUNT: String(count + 2),
  });
  build({ ifStale: true });
};
