// `cdktf-rainbow/kubernetes`: the model, spec mode and the Kubernetes constructs, the same objects as
// the package root exports. It loads cdktf and the Kubernetes provider only, so a project without
// the AWS provider can use it (the package root loads every platform).
export * from './api/model';
export * from './api/kubernetes';
