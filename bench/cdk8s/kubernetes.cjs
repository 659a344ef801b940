#!/usr/bin/env node
'use strict';
// The closest peer on Kubernetes: a cdk8s + cdk8s-plus-32 program producing the same Deployments,
// Services, PodDisruptionBudgets and HTTPRoute as rainbow, as YAML (one chart, and so one file, per
// rainbow stack: `shop-<color>` and `shop-router`; in library mode one chart `shop-library`).
//
//   node bench/cdk8s/kubernetes.cjs <workload> <outdir>     (gateway-1/4/16, library-100/1000)
//
// cdk8s-plus Deployment and Service express almost everything; what they cannot is added the cdk8s
// way, with JSON patches on the generated object:
// - named ports (`http`) for the readiness probe and the Service's targetPort (cdk8s-plus takes numbers);
// - the pod-level seccompProfile (cdk8s-plus has it for containers only);
// - the fields cdk8s-plus sets by default that rainbow leaves to Kubernetes' defaults are removed
//   (imagePullPolicy Always, dnsPolicy, hostNetwork, setHostnameAsFqdn, restartPolicy,
//   revisionHistoryLimit, enableServiceLinks, shareProcessNamespace, fsGroupChangePolicy, the
//   probe's scheme, the Service's empty externalIPs) and so is the pod label
//   `cdk8s.io/metadata.addr` that cdk8s-plus adds for its own selectors, so the objects are the same.
// The PodDisruptionBudget (no cdk8s-plus class) and the HTTPRoute (a CRD) are cdk8s ApiObjects.
// bench/check-baseline.mjs compares the objects with rainbow's.

const { ApiObject, App, Chart, Duration, JsonPatch, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-32');
const { workload, LIBRARY_STACK } = require('../workloads.cjs');

const [name, outdir] = process.argv.slice(2);
if (name === undefined || outdir === undefined) {
  console.error('usage: node bench/cdk8s/kubernetes.cjs <workload> <outdir>');
  process.exit(2);
}
const w = workload(name);
if (w.kind === 'ecs') {
  console.error(`kubernetes.cjs: ${name} is not a Kubernetes workload`);
  process.exit(2);
}
const s = w.settings;
const app = new App({ outdir });

if (w.kind === 'library') {
  const chart = new Chart(app, LIBRARY_STACK, { disableResourceNameHashes: true });
  for (const c of w.colors) color(chart, c, `${c.name}-`);
} else {
  for (const c of w.colors) color(new Chart(app, `${s.app}-${c.name}`, { disableResourceNameHashes: true }), c, '');
  router(new Chart(app, `${s.app}-router`, { disableResourceNameHashes: true }));
}
app.synth();

/** A Deployment, a Service and a PodDisruptionBudget named `<app>-<color>`. */
function color(chart, c, idPrefix) {
  const name = `${s.app}-${c.name}`;
  const selector = { 'app.kubernetes.io/name': s.app, 'cdktf-rainbow/color': c.name };
  const labels = { ...selector, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' };
  const metadata = { name, namespace: s.namespace, labels };
  const ru = s.rollingUpdate;
  const hc = s.healthCheck;
  const tmp = kplus.Volume.fromEmptyDir(chart, `${idPrefix}tmp`, 'tmp');

  const deployment = new kplus.Deployment(chart, `${idPrefix}deployment`, {
    metadata,
    replicas: c.replicas,
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.percent(Number.parseInt(ru.maxSurge, 10)),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(ru.maxUnavailable),
    }),
    minReady: Duration.seconds(ru.minReadySeconds),
    progressDeadline: Duration.seconds(ru.progressDeadlineSeconds),
    select: false,
    podMetadata: { labels },
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true },
    terminationGracePeriod: Duration.seconds(s.drainSeconds + 10),
    volumes: [tmp],
    containers: [
      {
        name: s.app,
        image: c.image,
        ports: [{ number: s.port, name: 'http', protocol: kplus.Protocol.TCP }],
        readiness: kplus.Probe.fromHttpGet(hc.path, {
          port: s.port,
          periodSeconds: Duration.seconds(hc.periodSeconds),
          failureThreshold: hc.failureThreshold,
        }),
        // Rainbow's default startup allowance, 60 s: probing every 10 s, 6 failures.
        startup: kplus.Probe.fromHttpGet(hc.path, {
          port: s.port,
          periodSeconds: Duration.seconds(10),
          failureThreshold: 6,
        }),
        lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(s.drainSeconds)]) },
        resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(128) } },
        securityContext: {
          ensureNonRoot: true,
          privileged: false,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: [kplus.Capability.ALL] },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
        volumeMounts: [{ path: '/tmp', volume: tmp }],
      },
    ],
  });
  deployment.select(kplus.LabelSelector.of({ labels: selector }));
  const pod = '/spec/template/spec';
  ApiObject.of(deployment).addJsonPatch(
    // IntOrString fields are { value } objects until cdk8s-plus renders them, after the patches.
    JsonPatch.replace(`${pod}/containers/0/readinessProbe/httpGet/port`, { value: 'http' }),
    JsonPatch.remove(`${pod}/containers/0/readinessProbe/httpGet/scheme`),
    JsonPatch.replace(`${pod}/containers/0/startupProbe/httpGet/port`, { value: 'http' }),
    JsonPatch.remove(`${pod}/containers/0/startupProbe/httpGet/scheme`),
    JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
    JsonPatch.add(`${pod}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
    JsonPatch.remove(`${pod}/securityContext/fsGroupChangePolicy`),
    JsonPatch.remove(`${pod}/containers/0/imagePullPolicy`),
    JsonPatch.remove(`${pod}/dnsPolicy`),
    JsonPatch.remove(`${pod}/hostNetwork`),
    JsonPatch.remove(`${pod}/setHostnameAsFqdn`),
    JsonPatch.remove(`${pod}/restartPolicy`),
    JsonPatch.remove(`${pod}/enableServiceLinks`),
    JsonPatch.remove(`${pod}/shareProcessNamespace`),
    JsonPatch.remove('/spec/revisionHistoryLimit'),
  );

  const service = new kplus.Service(chart, `${idPrefix}service`, {
    metadata,
    type: kplus.ServiceType.CLUSTER_IP,
    ports: [{ name: 'http', port: s.port, targetPort: s.port, protocol: kplus.Protocol.TCP }],
  });
  for (const [key, value] of Object.entries(selector)) service.selectLabel(key, value);
  ApiObject.of(service).addJsonPatch(
    JsonPatch.replace('/spec/ports/0/targetPort', { value: 'http' }),
    JsonPatch.remove('/spec/externalIPs'),
  );

  new ApiObject(chart, `${idPrefix}pdb`, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    // maxUnavailable 0 would block every node drain: one pod at a time.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });
}

/** The HTTPRoute: one weighted rule, and with a pin header one rule per color. */
function router(chart) {
  const everything = { path: { type: 'PathPrefix', value: '/' } };
  const backend = (c, weight) => ({ name: `${s.app}-${c.name}`, port: s.port, weight });
  const rules = [{ matches: [everything], backendRefs: w.colors.map((c) => backend(c, c.weight)) }];
  if (w.pinHeader !== undefined) {
    for (const c of w.colors) {
      rules.push({
        matches: [{ ...everything, headers: [{ type: 'Exact', name: w.pinHeader, value: c.name }] }],
        backendRefs: [backend(c, 1)],
      });
    }
  }
  new ApiObject(chart, 'route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: s.app,
      namespace: s.namespace,
      labels: { 'app.kubernetes.io/name': s.app, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' },
      annotations: { 'cdktf-rainbow/status-wait': 'generation' },
    },
    spec: {
      parentRefs: [
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: s.gateway.name, namespace: s.gateway.namespace },
      ],
      hostnames: [s.host],
      rules,
    },
  });
}
