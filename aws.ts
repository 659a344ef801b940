// `cdktf-rainbow/aws`: the model, spec mode and the AWS constructs, the same objects as the package
// root exports. It loads cdktf and the AWS provider only, so a project without the Kubernetes
// provider can use it (the package root loads every platform).
export * from './api/model';
export * from './api/aws';
