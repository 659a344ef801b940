import { ITerraformDependable } from '../core';
import { Platform } from '../../model/types';

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
  /** Where the color runs, `kubernetes`, `ecs` or `ec2`: only a router of that platform routes to it. */
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

/** What the ALB router needs of a color on ECS or EC2: its target group. */
export interface IAlbColor extends IColor {
  /** `<app>-<color>`: the name of the target group the router forwards the color's traffic to. */
  readonly name: string;
}

// Empty on purpose: in Java, C# and Go a color is an IAlbColor only if its interface says so, and
// the platform's own name keeps what an ECS or EC2 construct returns from `fromName` readable.
/** An ECS color, for the ALB router: its target group `<app>-<color>` (`name`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IEcsColor extends IAlbColor {}

/** An EC2 color (an Auto Scaling group), for the ALB router: its target group `<app>-<color>` (`name`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface IEc2Color extends IAlbColor {}
