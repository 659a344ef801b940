export * from './gateway-api-router';
export * from './istio-router';
export * from './kubernetes-color';
export * from './kubernetes-color-reference';
export * from './kubernetes-router-base';
export * from './labels';
export * from './nginx-ingress-router';
