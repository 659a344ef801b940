export * from './color';
export * from './health-check';
export * from './router-options';
export * from './secure-defaults';
