// @kubernetes-models publishes ES modules with only an "import" export condition, which jest's
// CommonJS resolution does not try. Resolve those packages (and only those) with it; swc then
// turns them into CommonJS (see transformIgnorePatterns in jest.config.js).
const { existsSync, mkdirSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;
// See test/fixtures/cdktf-stack-trace.js: cdktf's creation stacks without jest's source mapping.
const CDKTF_STACK_TRACE = `${path.sep}node_modules${path.sep}cdktf${path.sep}lib${path.sep}tokens${path.sep}private${path.sep}stack-trace.js`;
const PLAIN_STACK_TRACE = path.join(__dirname, 'fixtures', 'cdktf-stack-trace.js');
const ROOT = path.join(__dirname, '..');

// The modules that the rainbow binary loads on first use (cli/lazy-modules.ts) load on first use
// in the tests too: each test file loads cdktf and zod afresh, and these were 250 of their modules.
// jest has no hook that returns exports, so the requiring module gets a small generated module
// (one per entry, in the run's temporary folder) that stands in the same way. The table comes
// from dist/ (built by global-setup.js): this file is plain JavaScript.
let lazyTable;
/** stub file → the module it stands in for, as written by this process */
const stubs = new Map();
function lazyStub(request, options) {
  lazyTable ??= require(path.join(ROOT, 'dist', 'cli', 'lazy-modules.js')).LAZY_MODULES;
  const entry = lazyTable.find((m) => m.request === request
    && options.basedir.endsWith(`${path.sep}node_modules${path.sep}${path.dirname(m.from).split('/').join(path.sep)}`));
  if (entry === undefined) return undefined;
  const real = options.defaultResolver(request, options);
  // In the run's temporary folder: a resolver kept from one run to the next (jest --watch) writes anew.
  const folder = path.join(process.env.RAINBOW_TEST_TMPDIR ?? require('node:os').tmpdir(), 'lazy-modules');
  const stub = path.join(folder, `${entry.from.replace(/[^a-z0-9]+/gi, '-')}--${request.replace(/[^a-z0-9]+/gi, '-')}.js`);
  if (stubs.get(stub) !== real || !existsSync(stub)) {
    mkdirSync(folder, { recursive: true });
    const source = `module.exports = require(${JSON.stringify(path.join(ROOT, 'cli', 'lazy-modules.ts'))})`
      + `.lazyExports(() => require(${JSON.stringify(real)}), ${JSON.stringify(entry.exports)});\n`;
    // Several workers may write it at once: each writes the same text and renames it into place.
    const temporary = `${stub}.${process.pid}.tmp`;
    writeFileSync(temporary, source);
    renameSync(temporary, stub);
    stubs.set(stub, real);
  }
  return stub;
}

module.exports = (request, options) => {
  if (ESM_ONLY.test(request)) return options.defaultResolver(request, { ...options, conditions: [...(options.conditions ?? []), 'import'] });
  if (options.basedir.includes(`${path.sep}node_modules${path.sep}`)) {
    const stub = lazyStub(request, options);
    if (stub !== undefined) return stub;
  }
  const resolved = options.defaultResolver(request, options);
  return resolved.endsWith(CDKTF_STACK_TRACE) ? PLAIN_STACK_TRACE : resolved;
};
