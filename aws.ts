// `cdktf-rainbow/aws`: the model, spec mode and the AWS constructs, the same objects as the package
// root exports. It loads cdktf and the AWS provider only, and its declarations name no Kubernetes
// provider type, so a project without the Kubernetes provider can use and type-check it (the
// package root loads every platform).
import './api/check-aws';

export * from './api/model';
export * from './api/aws';
