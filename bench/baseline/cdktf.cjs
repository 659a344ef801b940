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

const { App, LocalBackend, S3Backend, TerraformStack } = require('cdktf');
const { workload, LIBRARY_STACK } = require('../workloads.cjs');

const [name, outdir] = process.argv.slice(2);
if (name === undefined || outdir === undefined) {
  console.error('usage: node bench/baseline/cdktf.cjs <workload> <outdir>');
  process.exit(2);
}
const w = workload(name);
const app = new App({ outdir });
// Only the provider bindings the workload uses are loaded, each by its deep path.
const k8s = w.kind === 'ecs' ? undefined : {
  KubernetesProvider: require('@cdktf/provider-kubernetes/lib/provider').KubernetesProvider,
  DeploymentV1: require('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1,
  ServiceV1: require('@cdktf/provider-kubernetes/lib/service-v1').ServiceV1,
  PodDisruptionBudgetV1: require('@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1').PodDisruptionBudgetV1,
  Manifest: w.kind === 'gateway' ? require('@cdktf/provider-kubernetes/lib/manifest').Manifest : undefined,
};

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
    new LocalBackend(stack, { path: `terraform.${s.app}-${c.name}.tfstate` });
    new KubernetesProvider(stack, 'kubernetes', {});
    kubernetesColor(stack, s, c);
  }

  const router = new TerraformStack(app, `${s.app}-router`);
  new LocalBackend(router, { path: `terraform.${s.app}-router.tfstate` });
  new KubernetesProvider(router, 'kubernetes', {});
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
  new Manifest(router, 'route', {
    manifest: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: s.app, namespace: s.namespace, labels: { 'app.kubernetes.io/name': s.app, 'app.kubernetes.io/managed-by': 'cdktf-rainbow' } },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: s.gateway.name, namespace: s.gateway.namespace }],
        hostnames: [s.host],
        rules,
      },
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
  // Long enough for every pod to start (60 s), pass its probes and stay ready; never below 10 minutes.
  const timeout = `${Math.max(600, ru.progressDeadlineSeconds + c.replicas * (ru.minReadySeconds + hc.periodSeconds * hc.failureThreshold + 60))}s`;

  new DeploymentV1(stack, `${c.name}-deployment`, {
    metadata,
    waitForRollout: true,
    timeouts: { create: timeout, update: timeout },
    spec: {
      replicas: String(c.replicas),
      minReadySeconds: ru.minReadySeconds,
      progressDeadlineSeconds: ru.progressDeadlineSeconds,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: String(ru.maxSurge), maxUnavailable: String(ru.maxUnavailable) } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          volume: [{ name: 'tmp', emptyDir: {} }],
          terminationGracePeriodSeconds: s.drainSeconds + 10,
          container: [{
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
            readinessProbe: { httpGet: { path: hc.path, port: 'http' }, periodSeconds: hc.periodSeconds, failureThreshold: hc.failureThreshold },
            lifecycle: { preStop: [{ exec: { command: ['sleep', String(s.drainSeconds)] } }] },
          }],
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
    new S3Backend(stack, { bucket: s.backend.bucket, region: s.backend.region, key: `${s.backend.keyPrefix}/${stackName}.tfstate`, encrypt: true });
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  };

  for (const c of w.colors) {
    const name = `${s.app}-${c.name}`;
    const stack = new TerraformStack(app, name);
    backend(stack, name);
    new AwsProvider(stack, 'aws', { region: e.region, defaultTags: [{ tags: { app: s.app, 'rainbow-color': c.name, 'managed-by': 'cdktf-rainbow' } }] });
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
    const logGroup = new CloudwatchLogGroup(stack, 'log-group', { name: `/ecs/${name}`, retentionInDays: e.logRetentionDays, tags });
    const role = new IamRole(stack, 'execution-role', {
      name: `${name}-execution`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags,
    });
    const [, account, region, , repository] = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/.exec(c.image);
    new IamRolePolicy(stack, 'execution-policy', {
      name: 'pull-image-and-write-logs',
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroup.arn}:*` },
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
      containerDefinitions: JSON.stringify([{
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
      }]),
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
      healthCheckGracePeriodSeconds: s.rollingUpdate.minReadySeconds,
      networkConfiguration: { subnets: [...e.subnetIds], securityGroups: [...e.securityGroupIds], assignPublicIp: false },
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
  new AwsProvider(router, 'aws', { region: e.region, defaultTags: [{ tags: { app: s.app, 'managed-by': 'cdktf-rainbow' } }] });
  const targetGroups = w.colors.map((c) => new DataAwsLbTargetGroup(router, `target-group-${c.name}`, { name: `${s.app}-${c.name}` }));
  new LbListenerRule(router, 'weighted-rule', {
    listenerArn: e.listenerArn,
    priority: e.rulePriority + 1000,
    condition: [{ hostHeader: { values: [e.host] } }],
    action: [{
      type: 'forward',
      forward: {
        targetGroup: w.colors.map((c, i) => ({ arn: targetGroups[i].arn, weight: c.weight })),
        stickiness: { enabled: true, duration: s.routing.stickySeconds },
      },
    }],
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
