// The Kubernetes constructs, by name.

export { KubernetesColor, type KubernetesColorProps } from '../constructs/kubernetes/kubernetes-color';
export { type KubernetesColorReferenceProps } from '../constructs/kubernetes/kubernetes-color-reference';
export { KubernetesRouterBase } from '../constructs/kubernetes/kubernetes-router-base';
export { GatewayApiRouter, type GatewayApiRouterProps } from '../constructs/kubernetes/gateway-api-router';
export { NginxIngressRouter, type NginxIngressRouterProps } from '../constructs/kubernetes/nginx-ingress-router';
export { IstioRouter, type IstioRouterProps } from '../constructs/kubernetes/istio-router';
