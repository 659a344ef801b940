#!/usr/bin/env node
// Run by `npm pack` (prepack): keeps the TypeScript sources of the bundled dependencies out of the
// tarball. jsii needs yaml, zod and commander bundled, and npm packs a bundled dependency by its
// own package.json "files", which for zod include its src/ (332 .ts files no user runs: Node loads
// its compiled .cjs, TypeScript its .d.cts). Our own "files" cannot reach inside a bundled
// dependency; an .npmignore in the folder that holds the sources can. So each top folder of a
// bundled dependency that holds .ts, .mts or .cts sources gets one, ignoring those (declarations
// stay). A folder with an .npmignore of its own is left alone; one written here is rewritten.
// node_modules itself is only added to: `npm ci` puts it back as it was.
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const MARK = '# written by cdktf-rainbow scripts/pack-bundled.js: the sources stay out of its tarball';
const RULES = [MARK, '*.ts', '*.mts', '*.cts', '!*.d.ts', '!*.d.mts', '!*.d.cts', ''].join('\n');
const SOURCE = /(?<!\.d)\.[mc]?ts$/;

/** Whether a folder holds a TypeScript source at any depth. */
function holdsSources(folder) {
  return readdirSync(folder, { withFileTypes: true }).some((entry) =>
    entry.isDirectory() ? holdsSources(path.join(folder, entry.name)) : SOURCE.test(entry.name),
  );
}

/** Writes the .npmignore files for the bundled dependencies of the package at `root`; returns the folders. */
function ignoreBundledSources(root) {
  const { bundleDependencies = [] } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const written = [];
  for (const name of bundleDependencies) {
    const dependency = path.join(root, 'node_modules', name);
    for (const entry of readdirSync(dependency, { withFileTypes: true })) {
      const folder = path.join(dependency, entry.name);
      if (!entry.isDirectory() || entry.name === 'node_modules' || !holdsSources(folder)) continue;
      const ignore = path.join(folder, '.npmignore');
      if (existsSync(ignore) && !readFileSync(ignore, 'utf8').startsWith(MARK)) continue;
      writeFileSync(ignore, RULES);
      written.push(path.relative(root, folder));
    }
  }
  return written;
}

module.exports = { ignoreBundledSources };

if (require.main === module) ignoreBundledSources(path.join(__dirname, '..'));
