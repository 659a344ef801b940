#!/usr/bin/env node
// Bundles the two programs of the package with esbuild, after the compile (scripts/build.js with
// swc, `npm run build:package` with jsii), so that their start-up reads one file of our code instead
// of some 240 (ours, yaml and commander): bench/README.md, "Start-up".
//
//   dist/cli/main.js   the `rainbow` binary   -> dist/cli/main.bundle.js + a launcher in its place
//   dist/main.js       the cdktf app          -> dist/main.bundle.js + a launcher in its place
//
// Each launcher turns on Node's compile cache (dist/cli/compile-cache.js, unbundled) before Node
// compiles the bundle, so that the bundle too is read from the cache, then loads the bundle.
// `require('dist/cli/main.js')` still returns the command's exports (run) without running it.
//
// The peers (cdktf, constructs, the providers) and the AWS SDK stay outside the bundles and load
// from the user's project as before: the package uses the project's copies (docs/decisions/0008);
// the build fails if one of them ends up inside.
//
// Running it again on bundled output does nothing; a compile writes the programs anew.
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
/** The first line of every launcher: how a second run knows the program is bundled already. */
const MARK = '// launcher written by scripts/bundle.js';

const PROGRAMS = [
  {
    entry: 'dist/cli/main.js',
    launcher: [
      '#!/usr/bin/env node',
      MARK,
      "'use strict';",
      "// Node's compile cache first, so that it holds the bundle too (cli/compile-cache.ts), then the command.",
      "require('./compile-cache.js');",
      "const command = require('./main.bundle.js');",
      'module.exports = command;',
      'if (require.main === module) command.main();',
      '',
    ],
  },
  {
    entry: 'dist/main.js',
    launcher: [
      MARK,
      "'use strict';",
      "// Node's compile cache first, so that it holds the bundle too (cli/compile-cache.ts), then the cdktf app.",
      "require('./cli/compile-cache.js');",
      "require('./main.bundle.js');",
      '',
    ],
  },
];

/**
 * The packages that load from node_modules rather than from the bundle: every peer and the AWS SDK
 * (from the user's project, docs/ec2.md), and the PromQL parser, a dependency of ours that
 * `validate` loads only for a spec with a Prometheus check (spec-file/promql.ts): bundled, every
 * start-up would compile its 195 KB.
 */
function externals(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return [...Object.keys(manifest.peerDependencies ?? {}), '@aws-sdk/*', '@prometheus-io/lezer-promql'];
}

/** Bundles the programs of the package at `root` (its dist/ compiled); returns the bundles written. */
async function bundle(root = ROOT) {
  const esbuild = require('esbuild');
  const external = externals(root);
  const written = [];
  for (const program of PROGRAMS) {
    const entry = path.join(root, program.entry);
    if (!existsSync(entry)) throw new Error(`${program.entry} is missing: compile first (npm run build)`);
    if (readFileSync(entry, 'utf8').split('\n', 2).includes(MARK)) continue;
    const outfile = entry.replace(/\.js$/, '.bundle.js');
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external,
      banner: {
        js: `// Bundled by scripts/bundle.js from ${program.entry} (the compiled sources), yaml and commander.`,
      },
      legalComments: 'eof',
      metafile: true,
      logLevel: 'warning',
    });
    const peers = Object.keys(result.metafile.inputs).filter((input) =>
      external.some((name) => input.includes(`node_modules/${name.replace(/\/\*$/, '')}/`)),
    );
    if (peers.length > 0)
      throw new Error(`${program.entry}: the bundle would hold the user's packages: ${peers.slice(0, 5).join(', ')}`);
    // The launcher replaces the compiled entry through a rename: a run that stops halfway leaves one or the other.
    writeFileSync(`${entry}.tmp`, program.launcher.join('\n'), {
      mode: program.launcher[0].startsWith('#!') ? 0o755 : 0o644,
    });
    renameSync(`${entry}.tmp`, entry);
    written.push(path.relative(root, outfile));
  }
  return written;
}

module.exports = { bundle, MARK };

if (require.main === module) {
  bundle().catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
