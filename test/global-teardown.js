// Removes the run's temporary folder that global-setup.js made (TMPDIR of every worker).
const { rmSync } = require('node:fs');

module.exports = function globalTeardown() {
  const runTmp = process.env.RAINBOW_TEST_TMPDIR;
  if (runTmp !== undefined && /rainbow-jest-[^/]+$/.test(runTmp)) rmSync(runTmp, { recursive: true, force: true });
};
