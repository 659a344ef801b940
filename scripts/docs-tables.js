#!/usr/bin/env node
// Writes the docs' tables of spec fields (README.md's "The spec file", the "Spec" sections of
// docs/aws.md, docs/ec2.md and docs/dns.md) between their markers, from the spec's shape and the
// notes of spec-file/field-docs.ts: `npm run docs:tables`. With `--check` it writes nothing and
// exits 1 when a table differs from what it would write (test/spec-file/field-docs.test.ts says
// the same). Exits 1, writing nothing, when a table's rows or markers are wrong. `--root DIR`
// reads and writes the Markdown files under DIR instead of the repository (for its test).
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { build } = require('./build');

const args = process.argv.slice(2);
const check = args.includes('--check');
const rootAt = args.indexOf('--root');
const ROOT = rootAt === -1 ? path.join(__dirname, '..') : path.resolve(args[rootAt + 1]);

build({ ifStale: true });
const { FIELD_TABLE_FILES, fieldTableProblems, withFieldTables } = require('../dist/spec-file/field-docs');

const problems = [...fieldTableProblems()];
const changed = [];
for (const file of FIELD_TABLE_FILES) {
  const before = readFileSync(path.join(ROOT, file), 'utf8');
  const { markdown, problems: own } = withFieldTables(file, before);
  problems.push(...own);
  if (markdown !== before) changed.push({ file, markdown });
}
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
for (const { file, markdown } of changed) {
  if (check) console.error(`${file}: its spec-field tables are not as generated; run npm run docs:tables`);
  else {
    writeFileSync(path.join(ROOT, file), markdown);
    console.log(`wrote ${file}`);
  }
}
if (check && changed.length > 0) process.exit(1);
