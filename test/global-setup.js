// The CLI tests spawn the compiled command (dist/), as users run it: build it once per run.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = function globalSetup() {
  execFileSync(process.execPath, [require.resolve('@swc/cli/bin/swc.js'), 'spec', 'constructs', 'stacks', 'cli', 'examples', 'main.ts', 'index.ts', 'kubernetes.ts', 'aws.ts', '-d', 'dist', '--quiet'], {
    cwd: path.join(__dirname, '..'),
    stdio: 'inherit',
  });
};
