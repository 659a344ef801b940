export * from './alb-router';
export * from './ecs-color';
export * from './ecs-color-reference';
