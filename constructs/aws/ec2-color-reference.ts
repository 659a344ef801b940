import { ITerraformDependable } from '../core';
import { Construct } from 'constructs';
import { targetGroupName } from '../../model/aws';
import { throwIfProblems } from '../../model/problem';
import { validateWorkload } from '../../model/workload';
import { IEc2Color } from '../common/color';
import { Platform } from '../../model/types';
import { withoutTokens } from '../tokens';

/** The names of an EC2 color of another stack: `Ec2Color.fromName`. */
export interface Ec2ColorReferenceProps {
  /** The application of the color. */
  readonly app: string;
  /** The color's name; its target group is `<app>-<color>`. */
  readonly color: string;
}

/**
 * An EC2 color defined in another stack, known by its deterministic names only: it creates
 * nothing, and the ALB router looks its target group `<app>-<color>` up by name. Made by
 * `Ec2Color.fromName`. The color's stack must be deployed before the router's.
 */
export class Ec2ColorReference extends Construct implements IEc2Color {
  public readonly app: string;
  public readonly color: string;
  public readonly platform: Platform = Platform.EC2;
  public readonly name: string;
  /** Always empty: a color in another stack is deployed before the router's stack. */
  public readonly rolloutDependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: Ec2ColorReferenceProps) {
    super(scope, id);
    throwIfProblems(
      validateWorkload(withoutTokens({ app: props.app, color: props.color })),
      `Ec2Color.fromName ${this.node.path}`,
    );
    this.app = props.app;
    this.color = props.color;
    this.name = targetGroupName(props.app, props.color);
  }
}
