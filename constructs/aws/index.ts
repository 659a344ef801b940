export * from './alb-router';
export * from './ecs-color';
