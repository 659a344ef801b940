'use strict';
// Experiment only (see bench/README.md, "Profile"): preloaded with `node -r`, it answers every
// require of a provider binding that the workload does not use with an empty stand-in, so the
// process never loads (parses and compiles) those files. It shows what `rainbow synth` would cost
// if the constructs and stacks loaded platform- and feature-specific bindings only when used.
//
//   RAINBOW_STUB=kubernetes  (a Gateway API spec): the AWS bindings, and the Kubernetes Job,
//                            HorizontalPodAutoscaler and Ingress bindings (migrations, autoscaling
//                            and the NGINX router are not used)
//   RAINBOW_STUB=ecs         (an ECS spec): every Kubernetes binding
//
// The output is unchanged (bench/experiments/fixes.mjs checks it byte for byte).
const Module = require('module');

const PATTERNS = {
  kubernetes: /^@cdktf\/provider-aws\/|^@cdktf\/provider-kubernetes\/lib\/(job-v1|horizontal-pod-autoscaler-v2|ingress-v1)$/,
  ecs: /^@cdktf\/provider-kubernetes\//,
};
const pattern = PATTERNS[process.env.RAINBOW_STUB];
if (pattern === undefined) throw new Error('RAINBOW_STUB must be kubernetes or ecs');

const stub = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? true : class Unused {
    constructor() {
      throw new Error(`stub-unused-providers: ${String(key)} was used`);
    }
  }),
});
const load = Module._load;
Module._load = function (request, ...rest) {
  return pattern.test(request) ? stub : load.call(this, request, ...rest);
};
