import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesColor } from '../constructs/kubernetes/kubernetes-color';
import { RollingUpdatePolicy } from '../constructs/rolling/rolling-update-policy';
import { ColorSpec, colorStackName, RainbowSpec } from '../spec/types';
import { addBackend } from './backend';
import { addKubernetesProvider } from './kubernetes-provider';

/**
 * The stack `<app>-<color>`: one color with its own state. A retired color's stack holds only
 * its provider and backend, so deploying it destroys what the color had.
 */
export class ColorStack extends TerraformStack {
  public readonly stackName: string;
  /** The color's workload; undefined when the color is retired. */
  public readonly color?: KubernetesColor;

  constructor(scope: Construct, spec: RainbowSpec, color: ColorSpec) {
    const stackName = colorStackName(spec.app, color.name);
    super(scope, stackName);
    this.stackName = stackName;
    addBackend(this, stackName, spec.backend);
    addKubernetesProvider(this, spec.kubernetes);
    if (color.state === 'retired') return;
    this.color = new KubernetesColor(this, 'Color', {
      app: spec.app,
      color: color.name,
      image: color.image,
      namespace: spec.kubernetes.namespace,
      replicas: color.autoscaling === undefined ? color.replicas : undefined,
      port: spec.kubernetes.port,
      rollingUpdate: RollingUpdatePolicy.of(spec.rollingUpdate),
      healthCheck: spec.healthCheck,
      resources: color.resources,
      drainSeconds: spec.drainSeconds,
      env: { ...color.env },
      secretEnv: { ...color.secretEnv },
      serviceAccountName: spec.kubernetes.serviceAccountName,
      imagePullSecrets: [...spec.kubernetes.imagePullSecrets],
      migration: color.migration === undefined ? undefined : { ...color.migration, command: [...color.migration.command] },
      autoscaling: color.autoscaling === undefined ? undefined : {
        minReplicas: color.autoscaling.min, maxReplicas: color.autoscaling.max, cpuPercent: color.autoscaling.cpuPercent,
      },
    });
  }
}
