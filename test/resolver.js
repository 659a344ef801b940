// @kubernetes-models publishes ES modules with only an "import" export condition, which jest's
// CommonJS resolution does not try. Resolve those packages (and only those) with it; swc then
// turns them into CommonJS (see transformIgnorePatterns in jest.config.js).
const ESM_ONLY = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;

module.exports = (request, options) => {
  if (!ESM_ONLY.test(request)) return options.defaultResolver(request, options);
  return options.defaultResolver(request, { ...options, conditions: [...(options.conditions ?? []), 'import'] });
};
