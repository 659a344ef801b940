// `cdktf-rainbow/kubernetes`: the model and the Kubernetes constructs. It loads cdktf and the
// Kubernetes provider only, so a project without the AWS provider can use it (the package root
// loads every platform).
export * from './spec';
export * from './constructs/common';
export * from './constructs/rolling';
export * from './constructs/kubernetes';
