import { ITerraformDependable } from '../core';
import { Construct } from 'constructs';
import { targetGroupName } from '../../model/aws';
import { throwIfProblems } from '../../model/problem';
import { validateWorkload } from '../../model/workload';
import { IEcsColor } from '../common/color';
import { Platform } from '../../model/types';
import { withoutTokens } from '../tokens';

/** The names of an ECS color that lives in another stack: what `EcsColor.fromName` takes. */
export interface EcsColorReferenceProps {
  /** The application of the color. */
  readonly app: string;
  /** The color's name. Its target group is `<app>-<color>`. */
  readonly color: string;
}

/**
 * An ECS color defined in another stack, known by its deterministic names only: it creates
 * nothing, and the ALB router looks its target group `<app>-<color>` up by name. Made by
 * `EcsColor.fromName`. The color's stack must be deployed before the router's.
 */
export class EcsColorReference extends Construct implements IEcsColor {
  public readonly app: string;
  public readonly color: string;
  public readonly platform: Platform = Platform.ECS;
  public readonly name: string;
  /** Always empty: a color in another stack is deployed before the router's stack. */
  public readonly rolloutDependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: EcsColorReferenceProps) {
    super(scope, id);
    throwIfProblems(
      validateWorkload(withoutTokens({ app: props.app, color: props.color })),
      `EcsColor.fromName ${this.node.path}`,
    );
    this.app = props.app;
    this.color = props.color;
    this.name = targetGroupName(props.app, props.color);
  }
}
