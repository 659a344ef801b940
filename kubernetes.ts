// `cdktf-rainbow/kubernetes`: the model, spec mode and the Kubernetes constructs, the same objects as
// the package root exports. It loads cdktf and the Kubernetes provider only, and its declarations
// name no AWS provider type, so a project without the AWS provider can use and type-check it (the
// package root loads every platform).
import './api/check-kubernetes';

export * from './api/model';
export * from './api/kubernetes';
