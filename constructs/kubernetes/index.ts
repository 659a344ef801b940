export * from './gateway-api-router';
export * from './kubernetes-color';
export * from './labels';
