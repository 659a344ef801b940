export * from './gateway-api';
export * from './messages';
export * from './problem';
export * from './quantity';
export * from './resources';
export * from './rolling';
export * from './spec-rules';
export * from './types';
