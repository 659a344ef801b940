import { ITerraformDependable } from '../core';
import { Construct } from 'constructs';
import { throwIfProblems } from '../../model/problem';
import { colorStackName, DEFAULT_PORT, defaultNamespace, Platform } from '../../model/types';
import { validateWorkload } from '../../model/workload';
import { IKubernetesColor } from '../common/color';
import { withoutTokens } from '../tokens';

/** The names of a Kubernetes color that lives in another stack: what `KubernetesColor.fromName` takes. */
export interface KubernetesColorReferenceProps {
  /** The application of the color. */
  readonly app: string;
  /** The color's name. Its Service is `<app>-<color>`. */
  readonly color: string;
  /**
   * The namespace the color runs in.
   * @default - the app name, as for KubernetesColor
   */
  readonly namespace?: string;
  /**
   * The Service's port.
   * @default 8080, as for KubernetesColor
   */
  readonly port?: number;
}

/**
 * A Kubernetes color defined in another stack, known by its deterministic names only: it creates
 * nothing, and a router routes to its Service `<app>-<color>`. Made by `KubernetesColor.fromName`.
 * No cross-stack reference is made, so the color's stack must be deployed before the router's.
 */
export class KubernetesColorReference extends Construct implements IKubernetesColor {
  public readonly app: string;
  public readonly color: string;
  public readonly platform: Platform = Platform.KUBERNETES;
  public readonly name: string;
  public readonly namespace: string;
  public readonly port: number;
  /** Always empty: a color in another stack is deployed before the router's stack. */
  public readonly rolloutDependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: KubernetesColorReferenceProps) {
    super(scope, id);
    throwIfProblems(
      validateWorkload(
        withoutTokens({ app: props.app, color: props.color, namespace: props.namespace, port: props.port }),
      ),
      `KubernetesColor.fromName ${this.node.path}`,
    );
    this.app = props.app;
    this.color = props.color;
    this.name = colorStackName(props.app, props.color);
    this.namespace = props.namespace ?? defaultNamespace(props.app);
    this.port = props.port ?? DEFAULT_PORT;
  }
}
