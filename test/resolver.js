// @kubernetes-models publishes ES modules with only an "import" export condition, which jest's
// CommonJS resolution does not try. Resolve those packages (and only those) with it; swc then
// turns them into CommonJS (see transformIgnorePatterns in jest.config.js).
const path = require('node:path');

const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;
// See test/fixtures/cdktf-stack-trace.js: cdktf's creation stacks without jest's source mapping.
const CDKTF_STACK_TRACE = `${path.sep}node_modules${path.sep}cdktf${path.sep}lib${path.sep}tokens${path.sep}private${path.sep}stack-trace.js`;
const PLAIN_STACK_TRACE = path.join(__dirname, 'fixtures', 'cdktf-stack-trace.js');

module.exports = (request, options) => {
  if (ESM_ONLY.test(request)) return options.defaultResolver(request, { ...options, conditions: [...(options.conditions ?? []), 'import'] });
  const resolved = options.defaultResolver(request, options);
  return resolved.endsWith(CDKTF_STACK_TRACE) ? PLAIN_STACK_TRACE : resolved;
};
