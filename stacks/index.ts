export * from './backend';
export * from './color-stack';
export * from './providers';
export * from './rainbow-app';
export * from './router-stack';
export * from './synthesize';
