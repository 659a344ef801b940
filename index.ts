// The public API of cdktf-rainbow, by name: what is not listed here is internal and may change in
// any release. jsii builds the same API for Python, Java, C# and Go from this file.

// The model: a spec with every default filled in is exactly what the constructs take.
export {
  type AutoscalingOptions, type AutoscalingSettings, Backend, type BackendSettings, BackendType, type ColorSpec, ColorState,
  type Ec2Settings, type EcsSettings, GatewayApiChannel, type GatewayRef, type HealthCheck, type HealthCheckSettings, KubernetesRouter,
  type KubernetesSettings, type MigrationJobOptions, type MigrationSettings, Platform, type ProgressionSettings, type RainbowSpec,
  type RoutingSettings, type S3BackendSettings, type SecretKeyRef, type SecretKeySelector, type SecurityAllowances,
} from './spec/types';
export { type Problem, RainbowValidationError } from './spec/problem';
export { Quantity } from './spec/quantity';
export { type ResourceQuantities, type ResourceRequirements, type ResourceSettings } from './spec/resources';
export {
  type Ec2InstanceRefreshValues, type EcsDeploymentPercents, type EksUpdateConfigValues, type KubernetesRollingUpdateValues,
  type RollingUpdatePolicyProps, type RollingUpdateSettings,
} from './spec/rolling';
export { type ValidationResult } from './spec/validate';
export { EmptyResult, type HttpCheck, type ProgressionCheck, type PrometheusCheck } from './spec/release';

// Constructs for every platform.
export { type IAlbColor, type IColor, type IEc2Color, type IEcsColor, type IKubernetesColor } from './constructs/common/color';
export { type KubernetesRouterProps, type WeightedColor } from './constructs/common/router-options';
export { SecureDefaults, type SecureDefaultsProps, type SecurityOptions } from './constructs/common/secure-defaults';
export { RollingUpdatePolicy } from './constructs/rolling/rolling-update-policy';

// Kubernetes.
export { KubernetesColor, type KubernetesColorProps } from './constructs/kubernetes/kubernetes-color';
export { type KubernetesColorReferenceProps } from './constructs/kubernetes/kubernetes-color-reference';
export { KubernetesRouterBase } from './constructs/kubernetes/kubernetes-router-base';
export { GatewayApiRouter, type GatewayApiRouterProps, type GatewayReference } from './constructs/kubernetes/gateway-api-router';
export { NginxIngressRouter, type NginxIngressRouterProps } from './constructs/kubernetes/nginx-ingress-router';
export { IstioRouter, type IstioRouterProps } from './constructs/kubernetes/istio-router';

// AWS.
export { type ColorListenerRule } from './constructs/aws/alb-color';
export { EcsColor, type EcsColorProps } from './constructs/aws/ecs-color';
export { type EcsColorReferenceProps } from './constructs/aws/ecs-color-reference';
export { AlbRouter, type AlbRouterProps } from './constructs/aws/alb-router';
export { Ec2Color, type Ec2ColorProps } from './constructs/aws/ec2-color';
export { type Ec2ColorReferenceProps } from './constructs/aws/ec2-color-reference';
export { type Ec2GroupTimeouts } from './spec/ec2';
export { type NodeGroupLaunchTemplate, RollingNodeGroup, type RollingNodeGroupProps } from './constructs/aws/rolling-node-group';

// Spec mode: the stacks of a spec, and the calls the command makes.
export { ColorStack } from './stacks/color-stack';
export { RouterStack } from './stacks/router-stack';
export { RainbowStacks } from './stacks/rainbow-app';
export { type DeployPhase } from './spec/plan';
export { type SynthesisOptions, type SynthesisResult } from './stacks/synthesize';
export { type EcsServiceTimeouts } from './spec/ecs-timeouts';
export { Rainbow } from './stacks/rainbow';
