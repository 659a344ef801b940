export * from './aws';
export * from './common';
export * from './kubernetes';
export * from './rolling';
