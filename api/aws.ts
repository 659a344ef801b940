// The AWS constructs, by name.

export { type ColorListenerRule } from '../constructs/aws/alb-color';
export { EcsColor, type EcsColorProps } from '../constructs/aws/ecs-color';
export { type EcsColorReferenceProps } from '../constructs/aws/ecs-color-reference';
export { AlbRouter, type AlbRouterProps } from '../constructs/aws/alb-router';
export { Route53Router, type Route53RouterProps } from '../constructs/aws/route53-router';
export { Ec2Color, type Ec2ColorProps } from '../constructs/aws/ec2-color';
export { type Ec2ColorReferenceProps } from '../constructs/aws/ec2-color-reference';
export { type Ec2GroupTimeouts } from '../model/ec2';
export {
  type NodeGroupLaunchTemplate,
  RollingNodeGroup,
  type RollingNodeGroupProps,
} from '../constructs/aws/rolling-node-group';
