#!/usr/bin/env node
'use strict';
// Ours, in library mode: one cdktf TerraformStack with a KubernetesProvider holding N
// KubernetesColor constructs (from the built dist/), synthesized with app.synth(). No CLI, no spec
// file, no router: the workload shows how synthesis grows with the number of colors, past the
// CLI's limit of 16 live colors.
//
//   node bench/library/rainbow.cjs <workload> <outdir>     (workload: library-100, library-1000)

const { App, TerraformStack } = require('cdktf');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
const { KubernetesColor } = require('../../dist/constructs/kubernetes/kubernetes-color.js');
const { RollingUpdatePolicy } = require('../../dist/constructs/rolling/rolling-update-policy.js');
const { Quantity } = require('../../dist/model/quantity.js');
const { workload, LIBRARY_STACK } = require('../workloads.cjs');

const [name, outdir] = process.argv.slice(2);
if (name === undefined || outdir === undefined) {
  console.error('usage: node bench/library/rainbow.cjs <workload> <outdir>');
  process.exit(2);
}
const w = workload(name);
if (w.kind !== 'library') {
  console.error(`rainbow.cjs: ${name} is not a library-mode workload (use rainbow synth --spec ${w.spec})`);
  process.exit(2);
}
const s = w.settings;

const app = new App({ outdir });
const stack = new TerraformStack(app, LIBRARY_STACK);
new KubernetesProvider(stack, 'kubernetes', {});
const rollingUpdate = RollingUpdatePolicy.of({
  maxSurge: Quantity.parse(s.rollingUpdate.maxSurge),
  maxUnavailable: Quantity.parse(s.rollingUpdate.maxUnavailable),
  minReadySeconds: s.rollingUpdate.minReadySeconds,
  progressDeadlineSeconds: s.rollingUpdate.progressDeadlineSeconds,
});
for (const c of w.colors) {
  new KubernetesColor(stack, c.name, {
    app: s.app,
    color: c.name,
    image: c.image,
    namespace: s.namespace,
    replicas: c.replicas,
    port: s.port,
    rollingUpdate,
    healthCheck: s.healthCheck,
  });
}
app.synth();
