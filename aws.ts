// `cdktf-rainbow/aws`: the model and the AWS constructs. It loads cdktf and the AWS provider
// only, so a project without the Kubernetes provider can use it (the package root loads every
// platform).
export * from './spec';
export * from './constructs/common';
export * from './constructs/rolling';
export * from './constructs/aws';
