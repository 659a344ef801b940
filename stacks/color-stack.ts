import { TerraformOutput, TerraformStack } from '../constructs/core';
import { Construct } from 'constructs';
import type { Ec2Color } from '../constructs/aws/ec2-color';
import type { EcsColor } from '../constructs/aws/ecs-color';
import type { IColor } from '../constructs/common/color';
import { SecureDefaults } from '../constructs/common/secure-defaults';
import type { KubernetesColor } from '../constructs/kubernetes/kubernetes-color';
import { RollingUpdatePolicy } from '../constructs/rolling/rolling-update-policy';
import { colorRulePriority } from '../model/aws';
import { EC2_REFRESH_OUTPUTS } from '../model/ec2';
import { ColorSpec, ColorState, Ec2Settings, EcsSettings, KubernetesRouter, RainbowSpec } from '../model/types';
import { addBackend } from './backend';
import { addAwsProvider, addKubernetesProvider } from './providers';

/** What a ColorStack takes: the resolved spec, and the one of its colors the stack holds. */
export interface ColorStackProps {
  /** The spec, with every default filled in (`Rainbow.loadSpec`). */
  readonly spec: RainbowSpec;
  /** The color of `spec.colors` the stack holds. */
  readonly color: ColorSpec;
}

/**
 * The stack of one color, with its own state. Its id is the stack's name and the name of its
 * state: spec mode (RainbowStacks) gives it `<app>-<color>` (`colorStackName`), the name the deploy
 * phases and the router know it by. A retired color's stack holds only its provider and backend, so
 * deploying it destroys what the color had.
 *
 * On dns a color is an endpoint that exists already, and its record and health check are the
 * router's (Route 53 health checks have no data source the router could find by name): its stack
 * holds only its backend, so the deploy phases, retirement and the one state per stack stay the
 * same on every platform (docs/dns.md, "What each stack holds").
 */
export class ColorStack extends TerraformStack {
  /** The stack's name, and the name of its state: its id. */
  public readonly stackName: string;
  /**
   * The color's KubernetesColor, EcsColor or Ec2Color (narrow it with `instanceof`); undefined when
   * the color is retired. Typed as the interface they share, so that the declarations of spec mode
   * name no provider's types: `cdktf-rainbow/kubernetes` type-checks without the AWS provider, and
   * `cdktf-rainbow/aws` without the Kubernetes one.
   */
  public readonly color?: IColor;

  constructor(scope: Construct, id: string, props: ColorStackProps) {
    super(scope, id);
    const { spec, color } = props;
    this.stackName = id;
    addBackend(this, id, spec.backend);
    if (spec.dns !== undefined) return;
    const alb = spec.ecs ?? spec.ec2;
    if (alb !== undefined) addAwsProvider(this, alb.region, { app: spec.app, 'rainbow-color': color.name });
    if (spec.kubernetes !== undefined) addKubernetesProvider(this, spec.kubernetes);
    SecureDefaults.enforce(this, {
      ...spec.security,
      securityGroupIds: alb === undefined ? undefined : [...alb.securityGroupIds],
    });
    if (color.state === ColorState.RETIRED) return;
    if (spec.ec2 !== undefined) this.color = addRefreshOutputs(this, ec2Color(this, spec, color));
    else this.color = spec.ecs === undefined ? kubernetesColor(this, spec, color) : ecsColor(this, spec, color);
  }
}

// Each platform's constructs, and with them its provider bindings, load only for a spec on it.

function kubernetesColor(scope: Construct, spec: RainbowSpec, color: ColorSpec): KubernetesColor {
  const { KubernetesColor: Color } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../constructs/kubernetes/kubernetes-color') as typeof import('../constructs/kubernetes/kubernetes-color');
  const k = spec.kubernetes!;
  return new Color(scope, 'Color', {
    app: spec.app,
    color: color.name,
    image: color.image,
    namespace: k.namespace,
    replicas: color.replicas,
    port: k.port,
    rollingUpdate: RollingUpdatePolicy.of(spec.rollingUpdate),
    healthCheck: spec.healthCheck,
    resources: color.resources,
    drainSeconds: spec.drainSeconds,
    env: { ...color.env },
    secretEnv: { ...color.secretEnv },
    security: spec.security,
    serviceAccountName: k.serviceAccountName,
    imagePullSecrets: [...k.imagePullSecrets],
    migration:
      color.migration === undefined ? undefined : { ...color.migration, command: [...color.migration.command] },
    autoscaling: color.autoscaling,
    podAnnotations: { ...color.podAnnotations },
    istioSidecar: k.router === KubernetesRouter.ISTIO,
  });
}

/** The props an ECS and an EC2 color take alike: the ALB side, the count and port, the policy and checks. */
function albColorProps(spec: RainbowSpec, color: ColorSpec, e: EcsSettings | Ec2Settings) {
  return {
    app: spec.app,
    color: color.name,
    image: color.image,
    vpcId: e.vpcId,
    subnetIds: [...e.subnetIds],
    securityGroupIds: [...e.securityGroupIds],
    listenerRule: {
      listenerArn: e.listenerArn,
      host: e.host,
      priority: colorRulePriority(e.rulePriority, color.name),
      pinHeader: spec.routing.pinHeader,
    },
    replicas: color.replicas,
    port: e.port,
    alarms: e.alarms === undefined ? undefined : [...e.alarms],
    rollingUpdate: RollingUpdatePolicy.of(spec.rollingUpdate),
    healthCheck: spec.healthCheck,
    drainSeconds: spec.drainSeconds,
    security: spec.security,
  };
}

function ecsColor(scope: Construct, spec: RainbowSpec, color: ColorSpec): EcsColor {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EcsColor: Color } = require('../constructs/aws/ecs-color') as typeof import('../constructs/aws/ecs-color');
  const e = spec.ecs!;
  return new Color(scope, 'Color', {
    ...albColorProps(spec, color, e),
    region: e.region,
    cluster: e.cluster,
    cpu: e.cpu,
    memory: e.memory,
    env: { ...color.env },
    logRetentionDays: e.logRetentionDays,
    taskRoleArn: e.taskRoleArn,
  });
}

/**
 * What `rainbow apply` reads after deploying an ec2 color's stack to start its instance refresh:
 * the group, and the launch template version its instances should run (spec/ec2.ts).
 */
function addRefreshOutputs(stack: TerraformStack, color: Ec2Color): Ec2Color {
  new TerraformOutput(stack, EC2_REFRESH_OUTPUTS.groupName, { value: color.group.name });
  new TerraformOutput(stack, EC2_REFRESH_OUTPUTS.launchTemplateId, { value: color.launchTemplate.id });
  new TerraformOutput(stack, EC2_REFRESH_OUTPUTS.launchTemplateVersion, { value: color.launchTemplate.latestVersion });
  return color;
}

function ec2Color(scope: Construct, spec: RainbowSpec, color: ColorSpec): Ec2Color {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Ec2Color: Color } = require('../constructs/aws/ec2-color') as typeof import('../constructs/aws/ec2-color');
  const e = spec.ec2!;
  return new Color(scope, 'Color', {
    ...albColorProps(spec, color, e),
    instanceType: color.instanceType ?? e.instanceType,
    userData: e.userData,
    instanceProfile: e.instanceProfile,
  });
}
