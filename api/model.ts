// The names every entry point exports: the model, the constructs of every platform, and spec mode
// (which loads a platform's constructs only when a spec of that platform is synthesized).

// The model: a spec with every default filled in is exactly what the constructs take.
export {
  type AutoscalingOptions,
  Backend,
  type BackendSettings,
  BackendType,
  type CohortMatch,
  type ColorSpec,
  ColorState,
  type Ec2Settings,
  type EcsSettings,
  GatewayApiChannel,
  type GatewayReference,
  type HealthCheck,
  KubernetesRouter,
  type KubernetesSettings,
  type MigrationJobOptions,
  Platform,
  type NotifyTarget,
  type ProgressionSettings,
  type RainbowSpec,
  type ReleaseHooks,
  type RoutingSettings,
  type S3BackendSettings,
  type SecretKeySelector,
  type SecurityOptions,
} from '../model/types';
export {
  type AzurermBackendSettings,
  type CloudBackendSettings,
  type GcsBackendSettings,
  type KubernetesBackendSettings,
} from '../model/types';
export { type Problem, RainbowValidationError } from '../model/problem';
export { Quantity } from '../model/quantity';
export { type ResourceQuantities, type ResourceRequirements } from '../model/resources';
export {
  type Ec2InstanceRefreshValues,
  type EcsDeploymentPercents,
  type EksUpdateConfigValues,
  type KubernetesRollingUpdateValues,
  type RollingUpdatePolicyProps,
} from '../model/rolling';
export { type ValidationResult } from '../model/spec-rules';
export { EmptyResult, type HttpCheck, type ProgressionCheck, type PrometheusCheck } from '../model/release';
export { type DnsAliasTarget, DnsEndpoint, type DnsHealthCheck, type DnsSettings } from '../model/dns';
export { DnsHealthCheckProtocol } from '../model/route53';

// Constructs for every platform.
export {
  type IAlbColor,
  type IColor,
  type IEc2Color,
  type IEcsColor,
  type IKubernetesColor,
} from '../constructs/common/color';
export { type KubernetesRouterProps, type WeightedColor } from '../constructs/common/router-options';
export { SecureDefaults, type SecureDefaultsProps } from '../constructs/common/secure-defaults';
export { RollingUpdatePolicy } from '../constructs/rolling/rolling-update-policy';

// Spec mode: the stacks of a spec, and the calls the command makes.
export { ColorStack, type ColorStackProps } from '../stacks/color-stack';
export { RouterStack, type RouterStackProps } from '../stacks/router-stack';
export { RainbowStacks } from '../stacks/rainbow-app';
export { type DeployPhase } from '../planning/phases';
export { type SynthesisOptions, type SynthesisResult } from '../stacks/synthesize';
export { type EcsServiceTimeouts } from '../model/ecs-timeouts';
export { Rainbow } from '../stacks/rainbow';
