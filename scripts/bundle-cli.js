#!/usr/bin/env node
// Bundles the `rainbow` command with esbuild: dist/cli/bundle.js holds the command, the spec
// model, the constructs and stacks it synthesizes with, zod, yaml and commander, so the process
// resolves and reads one file instead of about 240. dist/cli/main.js (the package's `bin`) becomes
// a launcher that installs the code cache (dist/cli/compile-cache.js) and runs the bundle.
//
// Not bundled: cdktf, constructs and the provider packages. They are the user's peer
// dependencies: `rainbow synth` must build with the very versions `cdktf synth` (dist/main.js,
// which stays unbundled) and a library-mode program load from the user's project, and bundling
// them would put a second copy of cdktf and constructs into the package, whose classes would not
// be the user's (instanceof, Construct.isConstruct, App.of). The provider modules stay lazy:
// a Kubernetes spec never loads the AWS provider.
//
// `node scripts/bundle-cli.js` after dist/ is compiled: scripts/build.js (swc) and build:package (jsii)
// run it last.
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli');

const LAUNCHER = `#!/usr/bin/env node
'use strict';
// Written by scripts/bundle-cli.js. The code cache first (it installs itself when this file is
// the entry point), then the bundled command.
require('./compile-cache');
require('./bundle.js').main();
`;

/** Writes dist/cli/bundle.js and the launcher dist/cli/main.js. */
async function bundleCli() {
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'cli', 'main.ts')],
    outfile: path.join(CLI, 'bundle.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    external: ['cdktf', 'cdktf/*', 'constructs', 'constructs/*', '@cdktf/*'],
    plugins: [{
      // The launcher has already loaded and installed the code cache: the bundle takes that module.
      name: 'compile-cache-stays-outside',
      setup(build) {
        build.onResolve({ filter: /^\.\/compile-cache$/ }, () => ({ path: './compile-cache', external: true }));
      },
    }],
    // Without comments: the code cache skips a module whose text has `import(`, and zod has one in a comment.
    minifyWhitespace: true,
    logLevel: 'warning',
  });
  if (readFileSync(path.join(CLI, 'bundle.js'), 'utf8').includes('import(')) {
    throw new Error('dist/cli/bundle.js has `import(`: the code cache would skip it (cli/compile-cache.ts)');
  }
  writeFileSync(path.join(CLI, 'main.js'), LAUNCHER);
}

module.exports = { bundleCli };

if (require.main === module) {
  bundleCli().catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
