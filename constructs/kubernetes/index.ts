export * from './gateway-api-router';
export * from './istio-router';
export * from './kubernetes-color';
export * from './labels';
export * from './nginx-ingress-router';
