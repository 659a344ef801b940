import { quoteText } from '../model/text';

/**
 * The texts the constructs emit themselves: the secure defaults a stack weakens, the links between
 * colors and routers, node group sizes, and the read-back checks Terraform runs at apply. The
 * texts of the rules they share with spec files are the model's (model/messages.ts).
 */
export const CONSTRUCT_MESSAGES = {
  insecure: (what: string, allowance: string | undefined) =>
    allowance === undefined
      ? `${what}; cdktf-rainbow never allows it`
      : `${what}; allowed only with security.${allowance}: true in the spec (${allowance} in library mode)`,
  ecrWildcard: (actions: string, arn: string) =>
    `the policy allows ${actions} on every ECR repository matching ${quoteText(arn, 120)}, not only the image's own`,
  rolloutFailed: (color: string, deployment: string) =>
    `${color}: the rollout of the Deployment ${deployment} failed: it made no progress for progressDeadlineSeconds`,
  rolloutWhatToDo: (color: string) =>
    `Fix the image or settings of ${color} and deploy again, or drain ${color} to weight 0 (and deploy the router) while you look at its pods (kubectl describe / kubectl logs).`,
  rolloutUnfinished: (color: string, deployment: string) =>
    `${color}: the rollout of the Deployment ${deployment} has not finished: it is in progress, or an earlier deploy was interrupted`,
  rolloutUnfinishedWhatToDo: (color: string, name: string, namespace: string) =>
    `Wait for it (kubectl rollout status deployment/${name} -n ${namespace}) and deploy ${color} again; a rollout that makes no progress for progressDeadlineSeconds fails, and this check then says so.`,
  rolloutNotFound: (color: string, deployment: string) =>
    `${color}: the Deployment ${deployment} was not found, so its rollout cannot be checked (was it deleted while Terraform ran?). Deploy ${color} again: Terraform creates the Deployment when it is missing.`,
  routeNotAccepted: (route: string, gateway: string) =>
    `the HTTPRoute ${route} is not accepted, or not all its backends resolve, at the Gateway ${gateway}`,
  routeStatusStale: (route: string, gateway: string) =>
    `the status of the HTTPRoute ${route} is not yet of its current generation: the Gateway ${gateway} has not yet reported on the latest change`,
  routeStatusStaleWhatToDo:
    'Deploy the router again: a Gateway controller usually reports within seconds. If this persists, the controller of that Gateway is not processing the route: check that it runs, and its logs.',
  routeNotFound: (route: string) =>
    `the HTTPRoute ${route} was not found, so its status cannot be checked (was it deleted while Terraform ran?). Deploy the router again: Terraform creates the route when it is missing.`,
  routeWhatToDo:
    "Check that the Gateway has a listener for this host that allows routes from this namespace (allowedRoutes), that every color's Service exists (deploy the color stacks first), and that the Gateway implementation supports the features the route uses; then deploy the router again.",
  colorOnOtherPlatform: (color: string, platform: string, router: string, routerPlatform: string) =>
    `received the color ${color} on ${platform}; expected a color on ${routerPlatform}: ${router} routes ${routerPlatform} colors only`,
  colorOfOtherApp: (color: string, app: string, routerApp: string) =>
    `received the color ${color} of the app ${app}; expected a color of ${routerApp}, the app this router routes`,
  colorInOtherNamespace: (color: string, namespace: string, routerNamespace: string) =>
    `received the color ${color} in the namespace ${namespace}; expected one in ${routerNamespace}, the namespace of the router's objects and of its other colors: a route sends traffic to Services of its own namespace`,
  colorAddedTwice: (color: string, first: string) =>
    `received the color ${color} again, already added as ${first}; expected each color once`,
  nodeGroupSizes: (minSize: number, desiredSize: number, maxSize: number) =>
    `received minSize ${minSize}, desiredSize ${desiredSize} and maxSize ${maxSize}; expected minSize <= desiredSize <= maxSize, and maxSize at least 1`,
} as const;
