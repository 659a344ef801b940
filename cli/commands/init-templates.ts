/**
 * The files `rainbow init` writes. Kept as code, not as files beside it, so that they ship in
 * dist/ with the command and no build step has to copy them.
 */

export type InitPlatform = 'kubernetes' | 'ecs' | 'ec2';
export type InitRouter = 'gateway-api' | 'nginx' | 'istio';

export interface InitChoices {
  readonly app: string;
  readonly platform: InitPlatform;
  /** Kubernetes only. */
  readonly router: InitRouter;
}

/**
 * What cdktf runs to synthesize: the app the package ships, reading ./rainbow.yaml (or
 * RAINBOW_SPEC). A plain `node` call on the installed file: no npx lookup on every synth, and
 * `cdktf`/`constructs` resolve from the project's node_modules, where the peer dependencies are.
 */
export const CDKTF_APP = 'node node_modules/cdktf-rainbow/dist/main.js';

/** The files in the order they are written and printed. */
export const INIT_FILES = ['rainbow.yaml', 'cdktf.json', '.gitignore'] as const;

const HEADER = (app: string) => `# yaml-language-server: $schema=node_modules/cdktf-rainbow/schema/rainbow.schema.json
# The colors of ${app} and the share of traffic each gets, for cdktf-rainbow.
# Values marked REPLACE are placeholders: they pass validation but name nothing real; set them
# before the first \`rainbow apply\`. Every field: node_modules/cdktf-rainbow/README.md ("The spec
# file"); a first deploy step by step: node_modules/cdktf-rainbow/docs/getting-started.md.
#   rainbow validate    checks this file      rainbow plan     what deploying it changes
#   rainbow synth       writes cdktf.out/     rainbow apply    deploys it with cdktf deploy
`;

const ROUTER_BLOCK: Record<InitRouter, (app: string) => string> = {
  'gateway-api': () => `  router: gateway-api
  # REPLACE: the Gateway the HTTPRoute attaches to; it must allow routes from the namespace above
  gateway: { name: public, namespace: infra }
  # standard: the Gateway API CRDs of the standard channel (experimental adds routing.stickySeconds)
  gatewayApiChannel: standard
`,
  nginx: () => `  router: nginx
  # the IngressClass of your ingress-nginx controller
  ingressClassName: nginx
`,
  istio: () => `  router: istio
  # REPLACE: the Istio Gateways (namespace/name) that serve the host, or [mesh] for traffic inside the mesh
  istioGateways: [istio-ingress/public]
`,
};

/** The ALB listener and network lines of the ecs and ec2 blocks: the same fields on both. */
const ALB_BLOCK = (app: string, listens: string) => `  vpcId: vpc-0123456789abcdef0
  subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
  securityGroupIds: [sg-0123456789abcdef0]
  listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/public/0123456789abcdef/0123456789abcdef
  # REPLACE: the host name clients use (the listener rules match it)
  host: ${app}.example.com
  # the first listener rule priority of the app; it uses this one and the next 1000
  rulePriority: 100
  # the port your ${listens}
  port: 8080
`;

function platformBlock(choices: InitChoices): string {
  const { app } = choices;
  if (choices.platform === 'ecs') {
    return `platform: ecs
ecs:
  # REPLACE every value of this block with your AWS account's: the region, the ECS cluster (name
  # or ARN), the VPC, the subnets and security groups of the tasks, and the ALB listener.
  region: eu-west-1
  cluster: ${app}
${ALB_BLOCK(app, 'container listens on')}`;
  }
  if (choices.platform === 'ec2') {
    return `platform: ec2
ec2:
  # REPLACE every value of this block with your AWS account's: the region, the VPC, the subnets
  # and security groups of the instances, and the ALB listener.
  region: eu-west-1
${ALB_BLOCK(app, 'application listens on in each instance')}  # the instance type of every color (a color may set its own instanceType)
  instanceType: t3.small
  # optional: a script each instance runs at its first boot, and the IAM instance profile
  # userData: |
  #   #!/bin/bash
  #   systemctl start ${app}
  # instanceProfile: ${app}
`;
  }
  return `platform: kubernetes
kubernetes:
  # the namespace the colors run in; it must exist (kubectl create namespace ${app})
  namespace: ${app}
${ROUTER_BLOCK[choices.router](app)}  # REPLACE: the host name clients use
  host: ${app}.example.com
  # the port your container listens on
  port: 8080
`;
}

function image(choices: InitChoices): string {
  if (choices.platform === 'ec2') return 'ami-0123456789abcdef0';
  return choices.platform === 'ecs'
    ? `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${choices.app}:1.0.0`
    : `ghcr.io/example/${choices.app}:1.0.0`;
}

/** A commented spec with one color at weight 100 that passes validation as written. */
export function specTemplate(choices: InitChoices): string {
  return `${HEADER(choices.app)}app: ${choices.app}
${platformBlock(choices)}healthCheck:
  # REPLACE if your app answers its health check on another path
  path: /healthz
routing:
  # a request with this header set to a color's name goes to that color, whatever its weight
  pinHeader: x-rainbow-color
# State: without a backend block, each stack keeps a local file in rainbow-state/ (for trying
# things out). A team keeps it in one backend, a state of its own per stack, such as
#   backend: { s3: { bucket: acme-tf-state, region: eu-west-1 } }    (or gcs, azurerm, cloud, kubernetes)
# Every backend, its layout and its setup: node_modules/cdktf-rainbow/docs/state.md
colors:
  # One color, all the traffic. To release a new version: rainbow add green --image <image>,
  # deploy it (rainbow apply), then move traffic (rainbow shift green 10, rainbow promote green).
  - name: blue
    # REPLACE: your application's ${choices.platform === 'ec2' ? 'AMI, built with the release in it' : 'image'}
    image: ${image(choices)}
    weight: 100
    replicas: 2
`;
}

/** The cdktf project file: cdktf synth/deploy run the package's app on ./rainbow.yaml. */
export function cdktfJsonTemplate(projectId: string): string {
  const config = {
    language: 'typescript',
    app: CDKTF_APP,
    projectId,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export const GITIGNORE_TEMPLATE = `# written by rainbow init
node_modules/
# what rainbow synth and cdktf synth write; made again from rainbow.yaml on every synth
cdktf.out/
# local Terraform state (without a backend block): it holds every attribute of every resource
rainbow-state/
# the edit lock of the rainbow commands, there only while one runs
.rainbow.yaml.lock
# what rainbow release last deployed on this machine (to resume it, and for rainbow rollback)
.rainbow.yaml.release.json
`;
