export * from './spec';
export * from './constructs';
export * from './stacks';
