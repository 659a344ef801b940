export * from './kubernetes';
export * from './rolling';
