// jest's node environment, with V8's code cache for the modules the tests load. jest compiles
// every module again for every test file (each file has its own module registry), and most files
// load the same cdktf, provider, zod and yaml modules: compiling them was a tenth of the suite's
// time. The first file of a worker compiles a module and keeps V8's cache data; later files of
// that worker compile it from the cache, in half the time or less. The cache is used only for the
// very same source (V8 itself checks little more than its length), so the sources stay in memory
// with it: about 100 MB a worker. A cache V8 refuses is compiled as usual. The modules still run
// afresh in each file.
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

const INSTALLED = Symbol.for('cdktf-rainbow.test.codeCache');

function installCodeCache() {
  if (vm[INSTALLED]) return;
  const compileFunction = vm.compileFunction;
  /** filename → the source compiled and V8's cache data for it */
  const cache = new Map();
  vm.compileFunction = function compileWithCache(code, params, options = {}) {
    if (typeof options.filename !== 'string' || options.cachedData !== undefined || options.produceCachedData !== undefined) {
      return compileFunction.call(this, code, params, options);
    }
    const cached = cache.get(options.filename);
    if (cached !== undefined && cached.code === code) {
      const fn = compileFunction.call(this, code, params, { ...options, cachedData: cached.data });
      if (!fn.cachedDataRejected) return fn;
    }
    const fn = compileFunction.call(this, code, params, { ...options, produceCachedData: true });
    if (fn.cachedDataProduced) cache.set(options.filename, { code, data: fn.cachedData });
    return fn;
  };
  vm[INSTALLED] = true;
}

installCodeCache();

module.exports = TestEnvironment;
