#!/usr/bin/env node
// Bundles the two programs of the package with esbuild, after the compile (scripts/build.js with
// swc, `npm run build:package` with jsii), so that their start-up reads one file of our code instead
// of some 240 (ours, zod, yaml and commander): bench/README.md, "Start-up".
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
// the build fails if one of them ends up inside. One build-time alias: zod's index of its 60
// translations (`z.locales`, which zod loads at start-up and the command never uses) becomes a
// module that loads the real one when a translation is first read.
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

/** The packages that load from the user's project: every peer, and the AWS SDK (docs/ec2.md). */
function externals(root) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return [...Object.keys(manifest.peerDependencies ?? {}), '@aws-sdk/*'];
}

/**
 * zod's `../locales/index.cjs`, required by zod itself, becomes a module whose every translation
 * is a getter that loads the real index on first read: `z.locales.fr()` works as before.
 */
function lazyZodLocales() {
  const REQUEST = /^\.\.\/locales\/index\.cjs$/;
  return {
    name: 'lazy-zod-locales',
    setup(build) {
      build.onResolve({ filter: REQUEST }, async (args) => {
        if (args.pluginData?.real === true || !/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
        const real = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { real: true },
        });
        if (real.errors.length > 0) return { errors: real.errors };
        // A path relative to the build's folder: esbuild names each module in a comment of the bundle.
        return {
          path: path.relative(build.initialOptions.absWorkingDir, real.path),
          namespace: 'lazy-zod-locales',
          pluginData: { real: real.path },
        };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-zod-locales' }, (args) => {
        const real = args.pluginData.real;
        const names = Object.keys(require(real)).filter((name) => name !== '__esModule');
        if (names.length === 0) throw new Error(`${args.path} exports no translations: check the zod upgrade`);
        const contents = [
          "'use strict';",
          'let real;',
          `const load = () => (real ??= require(${JSON.stringify(real)}));`,
          "Object.defineProperty(exports, '__esModule', { value: true });",
          `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
          '',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: path.dirname(real) };
      });
    },
  };
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
      plugins: [lazyZodLocales()],
      banner: {
        js: `// Bundled by scripts/bundle.js from ${program.entry} (the compiled sources), zod, yaml and commander.`,
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
