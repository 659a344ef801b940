#!/usr/bin/env node
// Every public type, property, method and enum member of the jsii assembly has a doc summary, and
// every optional field of a struct says its @default: Python, Java, C# and Go users see only these
// docs, not the TypeScript sources.
//
// Usage: node test/package/api-docs.mjs <path/to/.jsii>
// Prints "ok - <check>" or "not ok - <check>: <missing items>" per check (TAP-like, as
// install-test.sh), then "N passed, N failed"; exits 1 if any check failed, 2 without a path.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/package/api-docs.mjs <path/to/.jsii>');
  process.exit(2);
}
let assembly = JSON.parse(readFileSync(file, 'utf8'));
// `jsii --compress-assembly` writes a redirect to a gzipped assembly beside it.
if (assembly.schema === 'jsii/file-redirect') {
  const target = readFileSync(join(dirname(file), assembly.filename));
  assembly = JSON.parse((assembly.compression === 'gzip' ? gunzipSync(target) : target).toString('utf8'));
}
const types = Object.values(assembly.types ?? {});

const documented = (docs) => typeof docs?.summary === 'string' && docs.summary.trim() !== '';
// Enum members carry no location of their own: they get their enum's file.
const where = (type, member) => {
  const location = member === undefined ? type.locationInModule : member.locationInModule;
  if (location !== undefined) return ` (${location.filename}:${location.line})`;
  return type.locationInModule === undefined ? '' : ` (in ${type.locationInModule.filename})`;
};

const checks = [
  {
    name: 'every public type has a doc summary',
    missing: types.filter((type) => !documented(type.docs)).map((type) => `${type.fqn}${where(type)}`),
  },
  {
    name: 'every public property, method and enum member has a doc summary',
    missing: types.flatMap((type) => [
      ...(type.properties ?? [])
        .filter((p) => !documented(p.docs))
        .map((p) => `${type.fqn}.${p.name}${where(type, p)}`),
      ...(type.methods ?? []).filter((m) => !documented(m.docs)).map((m) => `${type.fqn}.${m.name}()${where(type, m)}`),
      ...(type.members ?? []).filter((m) => !documented(m.docs)).map((m) => `${type.fqn}.${m.name}${where(type, m)}`),
    ]),
  },
  {
    name: 'every optional struct field has a @default',
    missing: types
      .filter((type) => type.kind === 'interface' && type.datatype)
      .flatMap((type) =>
        (type.properties ?? [])
          .filter((p) => p.optional && !(typeof p.docs?.default === 'string' && p.docs.default.trim() !== ''))
          .map((p) => `${type.fqn}.${p.name}${where(type, p)}`),
      ),
  },
];

if (types.length === 0) checks.push({ name: 'the assembly has public types', missing: [file] });

let failed = 0;
for (const { name, missing } of checks) {
  if (missing.length === 0) {
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}: ${missing.join(', ')}`);
  }
}
console.log(`${checks.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
