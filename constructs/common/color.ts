import { ITerraformDependable } from '../core';
import { Platform } from '../../spec/types';

/**
 * What a router needs of any color: whose it is, its name, and what to wait for. Implemented by
 * the colors themselves and by the references `KubernetesColor.fromName` / `EcsColor.fromName`
 * return for a color that lives in another stack.
 */
export interface IColor {
  /** The application the color belongs to. */
  readonly app: string;
  /** The color's name. */
  readonly color: string;
  /** Where the color runs, `kubernetes` or `ecs`: only a router of that platform routes to it. */
  readonly platform: Platform;
  /**
   * What a route to this color waits for when both are in the same stack: the workload and the
   * check that it rolled out. Empty for a color referenced by name, whose own stack is deployed
   * first.
   */
  readonly rolloutDependencies: ITerraformDependable[];
}

/** What a Kubernetes router needs of a color: its Service, namespace and port. */
export interface IKubernetesColor extends IColor {
  /** `<app>-<color>`: the Service the router sends the color's traffic to. */
  readonly name: string;
  /** The namespace of the Service. */
  readonly namespace: string;
  /** The Service's port. */
  readonly port: number;
}

/** What the ALB router needs of an ECS color: its target group. */
export interface IEcsColor extends IColor {
  /** `<app>-<color>`: the name of the target group the router forwards the color's traffic to. */
  readonly name: string;
}
