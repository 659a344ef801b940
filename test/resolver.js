// @kubernetes-models publishes ES modules with only an "import" export condition, which jest's
// CommonJS resolution does not try. Resolve those packages (and only those) with it, through the
// `conditions` of jest's own resolver; swc then turns them into CommonJS (see
// transformIgnorePatterns in jest.config.js). Every other module resolves as jest resolves it.
const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;

module.exports = (request, options) =>
  ESM_ONLY.test(request)
    ? options.defaultResolver(request, { ...options, conditions: [...(options.conditions ?? []), 'import'] })
    : options.defaultResolver(request, options);
