export * from './alb-router';
export * from './ec2-color';
export * from './ec2-color-reference';
export * from './ecs-color';
export * from './ecs-color-reference';
export * from './rolling-node-group';
