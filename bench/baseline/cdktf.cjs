#!/usr/bin/env node
'use strict';
// The baseline: a hand-written cdktf program that creates exactly the resources `rainbow synth`
// (or, in library mode, N KubernetesColor constructs) creates, with the provider classes used
// directly: no constructs of ours, no spec parsing, no validation, no abstraction. The values that
// rainbow derives (rollout timeouts, disruption budgets, ECS deployment percents, listener rule
// priorities) are written out here the way someone hand-writing the program would compute them.
//
//   node bench/baseline/cdktf.cjs <workload> <outdir>
//
// <workload> is a name from bench/workloads.cjs (gateway-1, gateway-4, gateway-16, library-100,
// library-1000, ecs-1, ecs-5). bench/check-baseline.mjs proves the output equal to ours.

const path = require('node:path');
const { App, LocalBackend, S3Backend, TerraformResource, TerraformStack } = require('cdktf');
const { workload, LIBRARY_STACK } = require('../workloads.cjs');

const [name, outdir] = process.argv.slice(2);
if (name === undefined || outdir === undefined) {
  console.error('usage: node bench/baseline/cdktf.cjs <workload> <outdir>');
  process.exit(2);
}
const w = workload(name);
const app = new App({ outdir });
// Only the provider bindings the workload uses are loaded, each by its deep path.
const k8s =
  w.kind === 'ecs'
    ? undefined
    : {
        KubernetesProvider: require('@cdktf/provider-kubernetes/lib/provider').KubernetesProvider,
        DeploymentV1: require('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1,
        ServiceV1: require('@cdktf/provider-kubernetes/lib/service-v1').ServiceV1,
        PodDisruptionBudgetV1: require('@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1').PodDisruptionBudgetV1,
        Manifest: w.kind === 'gateway' ? require('@cdktf/provider-kubernetes/lib/manifest').Manifest : undefined,
        DataKubernetesResources: require('@cdktf/provider-kubernetes/lib/data-kubernetes-resources')
          .DataKubernetesResources,
      };
// Annotations that cloud controllers write onto objects: the provider leaves them alone.
const IGNORE_ANNOTATIONS = ['^cloud\\.google\\.com/neg(-status)?$', '^field\\.cattle\\.io/'];

// Pieces of the read-back checks' Terraform expressions. The objects are read with the plural
// kubernetes_resources and a field selector on the name, so a missing one is an empty list.
/** A number of the object read back, or `fallback` where it is absent or null. */
const num = (field, fallback) => `try(coalesce(${field}, ${fallback}), ${fallback})`;
/** A string of the object read back, or `fallback` where it is absent, null or empty. */
const str = (field, fallback) => `try(coalesce(${field}, "${fallback}"), "${fallback}")`;
const FOUND = 'try(length(self.objects) > 0, false)';
/** `<type> is <status> (<reason>: <message>)` of a condition `c`. */
const CONDITION = `\${${str('c.type', 'a condition')}} is \${${str('c.status', 'Unknown')}} (\${${str('c.reason', 'no reason')}}: \${${str('c.message', 'no message')}})`;

/** Local state in rainbow-state/ beside the spec file, as a path relative to the stack's folder. */
function localBackend(stack, stackName, spec) {
  const state = path.resolve(path.dirname(spec), 'rainbow-state', `${stackName}.tfstate`);
  const relative = path.relative(path.resolve(outdir, 'stacks', stackName), state);
  new LocalBackend(stack, { path: relative, workspaceDir: `${relative}.d` });
}

if (w.kind === 'gateway') gateway(w);
else if (w.kind === 'library') library(w);
else ecs(w);
app.synth();

// --- Kubernetes ----------------------------------------------------------------------------------

function gateway(w) {
  const { KubernetesProvider, Manifest } = k8s;
  const s = w.settings;
  for (const c of w.colors) {
    const stack = new TerraformStack(app, `${s.app}-${c.name}`);
    localBackend(stack, `${s.app}-${c.name}`, w.spec);
    new KubernetesProvider(stack, 'kubernetes', { ignoreAnnotations: IGNORE_ANNOTATIONS });
    kubernetesColor(stack, s, c);
  }

  const router = new TerraformStack(app, `${s.app}-router`);
  localBackend(router, `${s.app}-router`, w.spec);
  new KubernetesProvider(router, 'kubernetes', { ignoreAnnotations: IGNORE_ANNOTATIONS });
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
  const labels = { 'app.kubernetes.io/name': s.app, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' };
  const spec = {
    parentRefs: [
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: s.gateway.name, namespace: s.gateway.namespace },
    ],
    hostnames: [s.host],
    rules,
  };
  const httpRoute = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' };
  // The route as it is before the apply (read at plan time), and its generation, kept until the
  // spec changes: the apply waits until a Gateway has reported on a generation above it.
  const previous = new k8s.DataKubernetesResources(router, 'route-previous', {
    ...httpRoute,
    namespace: s.namespace,
    fieldSelector: `metadata.name=${s.app}`,
  });
  const generation = new TerraformResource(router, 'route-generation', {
    terraformResourceType: 'terraform_data',
    terraformGeneratorMetadata: { providerName: 'terraform' },
    lifecycle: { ignoreChanges: ['input'] },
  });
  const before = `data.kubernetes_resources.${previous.friendlyUniqueId}.objects[0]`;
  generation.addOverride(
    'input',
    `\${try(${before}.metadata.generation - (try(${before}.metadata.annotations["cdktf-rainbow/status-wait"], "") == "generation" ? 0 : 1), 0)}`,
  );
  generation.addOverride('triggers_replace', spec);
  // A regular expression matching the numbers above that generation: longer ones, or as long and greater at some digit.
  const g = `tostring(terraform_data.${generation.friendlyUniqueId}.output)`;
  const above =
    `\${format("^(%s)$", join("|", concat(["[1-9][0-9]{\${length(${g})},}"], ` +
    `[for i in range(length(${g})) : "\${substr(${g}, 0, i)}[\${tonumber(substr(${g}, i, 1)) + 1}-9][0-9]{\${length(${g}) - i - 1}}" if substr(${g}, i, 1) != "9"])))}`;
  const route = new Manifest(router, 'route', {
    fieldManager: { name: 'Terraform', forceConflicts: true },
    timeouts: { create: '5m', update: '5m' },
    wait: { fields: { 'status.parents[0].conditions[0].observedGeneration': above } },
    manifest: {
      ...httpRoute,
      metadata: {
        name: s.app,
        namespace: s.namespace,
        labels,
        annotations: { 'cdktf-rainbow/status-wait': 'generation' },
      },
      spec,
    },
  });
  // The router's apply fails unless the route's status is of its current generation and the Gateway has accepted it.
  const gw = `${s.gateway.namespace}/${s.gateway.name}`;
  const r = 'self.objects[0]';
  const routeGeneration = num(`${r}.metadata.generation`, 0);
  const reported = `try(length(${r}.status.parents) > 0, false)`;
  const current = `try(alltrue(flatten([for p in ${r}.status.parents : [for c in p.conditions : ${num('c.observedGeneration', 0)} == ${routeGeneration}]])), false)`;
  const accepted =
    `try(alltrue([for p in ${r}.status.parents : anytrue([for c in p.conditions : c.type == "Accepted" && c.status == "True"]) && ` +
    'anytrue([for c in p.conditions : c.type == "ResolvedRefs" && c.status == "True"])]), false)';
  const observed = `try(join(", ", distinct(flatten([for p in ${r}.status.parents : [for c in p.conditions : tostring(${num('c.observedGeneration', 0)})]]))), "none")`;
  const problems = `try(join("; ", flatten([for p in ${r}.status.parents : [for c in p.conditions : "${CONDITION}" if try(c.status != "True", true)]])), "")`;
  const notAccepted = `the HTTPRoute ${s.namespace}/${s.app} is not accepted, or not all its backends resolve, at the Gateway ${gw}`;
  const whatToDo =
    "Check that the Gateway has a listener for this host that allows routes from this namespace (allowedRoutes), that every color's Service exists " +
    '(deploy the color stacks first), and that the Gateway implementation supports the features the route uses; then deploy the router again.';
  new k8s.DataKubernetesResources(router, 'route-accepted', {
    ...httpRoute,
    namespace: s.namespace,
    fieldSelector: `metadata.name=${s.app}`,
    dependsOn: [route],
    lifecycle: {
      postcondition: [
        {
          condition: `\${${FOUND} && ${reported} && ${current} && ${accepted}}`,
          errorMessage:
            `%{ if !${FOUND} }the HTTPRoute ${s.namespace}/${s.app} was not found, so its status cannot be checked (was it deleted while Terraform ran?). ` +
            'Deploy the router again: Terraform creates the route when it is missing.' +
            `%{ else }%{ if !${reported} }${notAccepted}: no Gateway has written a status for it. ${whatToDo}` +
            `%{ else }%{ if !${current} }the status of the HTTPRoute ${s.namespace}/${s.app} is not yet of its current generation: the Gateway ${gw} has not yet reported on the latest change ` +
            `(generation \${${routeGeneration}}, status of generation \${${observed}}). Deploy the router again: a Gateway controller usually reports within seconds. ` +
            'If this persists, the controller of that Gateway is not processing the route: check that it runs, and its logs.' +
            `%{ else }${notAccepted}: \${${problems}}. ${whatToDo}%{ endif }%{ endif }%{ endif }`,
        },
      ],
    },
  });
}

function library(w) {
  const { KubernetesProvider } = k8s;
  const stack = new TerraformStack(app, LIBRARY_STACK);
  new KubernetesProvider(stack, 'kubernetes', {});
  for (const c of w.colors) kubernetesColor(stack, w.settings, c);
}

/** A Deployment, a Service and a PodDisruptionBudget named `<app>-<color>`. */
function kubernetesColor(stack, s, c) {
  const { DeploymentV1, ServiceV1, PodDisruptionBudgetV1 } = k8s;
  const name = `${s.app}-${c.name}`;
  const selector = { 'app.kubernetes.io/name': s.app, 'cdktf-rainbow/color': c.name };
  const labels = { ...selector, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' };
  const metadata = { name, namespace: s.namespace, labels };
  const ru = s.rollingUpdate;
  const hc = s.healthCheck;
  const startupSeconds = 60;
  // Long enough for every pod to start, pass its probes and stay ready; never below 10 minutes.
  const timeout = `${Math.max(600, ru.progressDeadlineSeconds + c.replicas * (ru.minReadySeconds + hc.periodSeconds * hc.failureThreshold + startupSeconds))}s`;

  const deployment = new DeploymentV1(stack, `${c.name}-deployment`, {
    metadata,
    waitForRollout: true,
    timeouts: { create: timeout, update: timeout },
    // `kubectl rollout restart` writes this annotation; a deploy must not undo the restart.
    lifecycle: { ignoreChanges: ['spec[0].template[0].metadata[0].annotations["kubectl.kubernetes.io/restartedAt"]'] },
    spec: {
      replicas: String(c.replicas),
      minReadySeconds: ru.minReadySeconds,
      progressDeadlineSeconds: ru.progressDeadlineSeconds,
      selector: { matchLabels: selector },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: String(ru.maxSurge), maxUnavailable: String(ru.maxUnavailable) },
      },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          volume: [{ name: 'tmp', emptyDir: {} }],
          terminationGracePeriodSeconds: s.drainSeconds + 10,
          container: [
            {
              name: s.app,
              image: c.image,
              env: [],
              resources: { requests: { ...s.resources.requests } },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
              port: [{ name: 'http', containerPort: s.port, protocol: 'TCP' }],
              readinessProbe: {
                httpGet: { path: hc.path, port: 'http' },
                periodSeconds: hc.periodSeconds,
                failureThreshold: hc.failureThreshold,
              },
              startupProbe: {
                httpGet: { path: hc.path, port: 'http' },
                periodSeconds: 10,
                failureThreshold: startupSeconds / 10,
              },
              lifecycle: { preStop: [{ exec: { command: ['sleep', String(s.drainSeconds)] } }] },
            },
          ],
        },
      },
    },
  });
  new ServiceV1(stack, `${c.name}-service`, {
    metadata,
    spec: { type: 'ClusterIP', selector, port: [{ name: 'http', port: s.port, targetPort: 'http', protocol: 'TCP' }] },
  });
  new PodDisruptionBudgetV1(stack, `${c.name}-pdb`, {
    metadata,
    // maxUnavailable 0 would block every node drain: one pod at a time.
    spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
  });
  // The color's apply (and every plan) fails while the rollout of the Deployment's current
  // generation has failed or has not finished; pods that are merely not available yet pass.
  const d = 'self.objects[0]';
  const generation = num(`${d}.metadata.generation`, 0);
  const observed = num(`${d}.status.observedGeneration`, 0);
  const desired = num(`${d}.spec.replicas`, 1);
  const updated = num(`${d}.status.updatedReplicas`, 0);
  const available = num(`${d}.status.availableReplicas`, 0);
  const total = num(`${d}.status.replicas`, 0);
  const progressing = str(`[for c in ${d}.status.conditions : c.reason if c.type == "Progressing"][0]`, 'none');
  const failed = `try(${observed} >= ${generation} && ${progressing} == "ProgressDeadlineExceeded", false)`;
  const deploymentName = `${s.namespace}/${name}`;
  new k8s.DataKubernetesResources(stack, `${c.name}-rollout-complete`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: s.namespace,
    fieldSelector: `metadata.name=${name}`,
    dependsOn: [deployment],
    lifecycle: {
      postcondition: [
        {
          condition: `\${try(${FOUND} && ${observed} >= ${generation} && ${updated} >= ${desired} && ${total} <= ${updated} && ${progressing} == "NewReplicaSetAvailable", false)}`,
          errorMessage:
            `%{ if ${FOUND} }%{ if ${failed} }${c.name}: the rollout of the Deployment ${deploymentName} failed: it made no progress for progressDeadlineSeconds` +
            `%{ else }${c.name}: the rollout of the Deployment ${deploymentName} has not finished: it is in progress, or an earlier deploy was interrupted%{ endif }: ` +
            `\${format("%d of %d pods updated, %d available, %d in total; generation %d, observed %d", ${updated}, ${desired}, ${available}, ${total}, ${generation}, ${observed})}` +
            `\${try(join("", [for c in ${d}.status.conditions : "; ${CONDITION}"]), "")}. ` +
            `%{ if ${failed} }Fix the image or settings of ${c.name} and deploy again, or drain ${c.name} to weight 0 (and deploy the router) while you look at its pods (kubectl describe / kubectl logs).` +
            `%{ else }Wait for it (kubectl rollout status deployment/${name} -n ${s.namespace}) and deploy ${c.name} again; a rollout that makes no progress for progressDeadlineSeconds fails, and this check then says so.%{ endif }` +
            `%{ else }${c.name}: the Deployment ${deploymentName} was not found, so its rollout cannot be checked (was it deleted while Terraform ran?). Deploy ${c.name} again: Terraform creates the Deployment when it is missing.%{ endif }`,
        },
      ],
    },
  });
}

// --- ECS -----------------------------------------------------------------------------------------

function ecs(w) {
  const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
  const { CloudwatchLogGroup } = require('@cdktf/provider-aws/lib/cloudwatch-log-group');
  const { DataAwsEcsCluster } = require('@cdktf/provider-aws/lib/data-aws-ecs-cluster');
  const { DataAwsLbTargetGroup } = require('@cdktf/provider-aws/lib/data-aws-lb-target-group');
  const { EcsService } = require('@cdktf/provider-aws/lib/ecs-service');
  const { EcsTaskDefinition } = require('@cdktf/provider-aws/lib/ecs-task-definition');
  const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
  const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
  const { LbListenerRule } = require('@cdktf/provider-aws/lib/lb-listener-rule');
  const { LbTargetGroup } = require('@cdktf/provider-aws/lib/lb-target-group');
  const s = w.settings;
  const e = s.ecs;
  const backend = (stack, stackName) => {
    new S3Backend(stack, {
      bucket: s.backend.bucket,
      region: s.backend.region,
      key: `${s.backend.keyPrefix}/${stackName}.tfstate`,
      encrypt: true,
    });
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  };

  // Time for a task to start before its first health check counts, as the grace period.
  const startupSeconds = 60;
  /**
   * How long Terraform may wait for the service: per round of `surge` tasks, one started and
   * healthy (start 120 s, grace, 2 checks; ECS has no minReadySeconds) and one drained and stopped (30 s);
   * an update may roll out, trip the circuit breaker and roll back. Never below the provider's 20 min.
   */
  const ecsTimeouts = (n, surge, grace) => {
    const period = s.healthCheck.periodSeconds;
    const ready = 120 + grace + 2 * period;
    const failed = 120 + grace + s.healthCheck.failureThreshold * period + 30;
    const drained = s.drainSeconds + 30;
    const perRound = Math.min(n, surge);
    const threshold = Math.min(200, Math.max(3, Math.ceil(0.5 * n)));
    const rollout = Math.ceil(n / perRound) * (ready + drained);
    const floor = (seconds) => `${Math.max(1200, seconds)}s`;
    return {
      create: floor(ready + Math.ceil(threshold / n) * failed),
      update: floor(2 * rollout + Math.ceil(threshold / perRound) * failed),
      delete: floor(drained + 300),
    };
  };

  for (const c of w.colors) {
    const name = `${s.app}-${c.name}`;
    const stack = new TerraformStack(app, name);
    backend(stack, name);
    new AwsProvider(stack, 'aws', {
      region: e.region,
      defaultTags: [{ tags: { app: s.app, 'rainbow-color': c.name, 'managed-by': 'cdktf-rainbow' } }],
    });
    const tags = { app: s.app, 'rainbow-color': c.name };

    const targetGroup = new LbTargetGroup(stack, 'target-group', {
      name,
      targetType: 'ip',
      protocol: 'HTTP',
      port: e.port,
      vpcId: e.vpcId,
      deregistrationDelay: String(s.drainSeconds),
      healthCheck: {
        enabled: true,
        path: s.healthCheck.path,
        port: 'traffic-port',
        protocol: 'HTTP',
        matcher: '200-399',
        interval: s.healthCheck.periodSeconds,
        timeout: Math.min(5, s.healthCheck.periodSeconds - 1),
        healthyThreshold: 2,
        unhealthyThreshold: s.healthCheck.failureThreshold,
      },
      tags,
    });
    const listenerRule = new LbListenerRule(stack, 'listener-rule', {
      listenerArn: e.listenerArn,
      priority: e.rulePriority + (fnv1a(c.name) % 1000),
      condition: [
        { hostHeader: { values: [e.host] } },
        { httpHeader: { httpHeaderName: s.routing.pinHeader, values: [c.name] } },
      ],
      action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      tags,
    });
    const logGroup = new CloudwatchLogGroup(stack, 'log-group', {
      name: `/ecs/${name}`,
      retentionInDays: e.logRetentionDays,
      tags,
    });
    const role = new IamRole(stack, 'execution-role', {
      name: `${name}-execution`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    const [, account, region, , repository] = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/.exec(
      c.image,
    );
    new IamRolePolicy(stack, 'execution-policy', {
      name: 'pull-image-and-write-logs',
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'WriteLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${logGroup.arn}:*`,
          },
          { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Sid: 'PullImage',
            Effect: 'Allow',
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: `arn:aws:ecr:${region}:${account}:repository/${repository}`,
          },
        ],
      }),
    });
    const taskDefinition = new EcsTaskDefinition(stack, 'task-definition', {
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(e.cpu),
      memory: String(e.memory),
      executionRoleArn: role.arn,
      volume: [{ name: 'tmp' }],
      containerDefinitions: JSON.stringify([
        {
          name: s.app,
          image: c.image,
          essential: true,
          portMappings: [{ containerPort: e.port, protocol: 'tcp' }],
          environment: Object.entries(s.env).map(([k, v]) => ({ name: k, value: v })),
          readonlyRootFilesystem: true,
          mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
          linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
          stopTimeout: 30,
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': logGroup.name, 'awslogs-region': e.region, 'awslogs-stream-prefix': c.name },
          },
        },
      ]),
      tags,
    });
    const cluster = new DataAwsEcsCluster(stack, 'cluster', { clusterName: e.cluster });
    // maxSurge 1, maxUnavailable 0: all tasks stay healthy, one more may run.
    new EcsService(stack, 'service', {
      name,
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      desiredCount: c.replicas,
      launchType: 'FARGATE',
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: Math.ceil((100 * (c.replicas + s.rollingUpdate.maxSurge)) / c.replicas),
      deploymentCircuitBreaker: { enable: true, rollback: true },
      waitForSteadyState: true,
      // An interrupted apply rolls the deployment it started back.
      sigintRollback: true,
      healthCheckGracePeriodSeconds: startupSeconds,
      timeouts: ecsTimeouts(c.replicas, s.rollingUpdate.maxSurge, startupSeconds),
      networkConfiguration: {
        subnets: [...e.subnetIds],
        securityGroups: [...e.securityGroupIds],
        assignPublicIp: false,
      },
      loadBalancer: [{ targetGroupArn: targetGroup.arn, containerName: s.app, containerPort: e.port }],
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      dependsOn: [listenerRule],
      tags,
    });
  }

  const routerName = `${s.app}-router`;
  const router = new TerraformStack(app, routerName);
  backend(router, routerName);
  new AwsProvider(router, 'aws', {
    region: e.region,
    defaultTags: [{ tags: { app: s.app, 'managed-by': 'cdktf-rainbow' } }],
  });
  const targetGroups = w.colors.map(
    (c) => new DataAwsLbTargetGroup(router, `target-group-${c.name}`, { name: `${s.app}-${c.name}` }),
  );
  new LbListenerRule(router, 'weighted-rule', {
    listenerArn: e.listenerArn,
    priority: e.rulePriority + 1000,
    condition: [{ hostHeader: { values: [e.host] } }],
    action: [
      {
        type: 'forward',
        forward: {
          targetGroup: w.colors.map((c, i) => ({ arn: targetGroups[i].arn, weight: c.weight })),
          stickiness: { enabled: true, duration: s.routing.stickySeconds },
        },
      },
    ],
    tags: { app: s.app, 'managed-by': 'cdktf-rainbow' },
  });
}

/** FNV-1a of the color name: its listener rule's slot, stable whatever the other colors are. */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
