/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/environment.js',
  resolver: '<rootDir>/test/resolver.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  // jest's default is one worker fewer than the cores: on a 2-core machine that is one file at a
  // time. Many files wait part of the time (module loading, child processes, the Prometheus server
  // starting, real signals): three workers on two cores keep both busy (55-58 s against 58-59 s
  // with two, measured on the quiet 2-core machine).
  maxWorkers: 3,
  // Type checking is its own step (npm run typecheck); swc only strips types, which keeps the suite fast.
  transform: {
    '^.+\\.(t|m?j)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // @kubernetes-models (and is-cidr, cidr-regex under its validator) ship ES modules only: swc turns them into CommonJS
  // for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@kubernetes-models|kubernetes-models|is-cidr|cidr-regex)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
