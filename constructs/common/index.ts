export * from './health-check';
export * from './router-options';
