import { PlaceholderField, PLACEHOLDERS } from '../../model/placeholders';

/**
 * The files `rainbow init` writes. Kept as code, not as files beside it, so that they ship in
 * dist/ with the command and no build step has to copy them. What init cannot know (the host, the
 * image, the network) it fills with the model's placeholders, which validation refuses until
 * they are replaced.
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

/** The placeholder fields, one a line, their descriptions lined up, each line starting with `indent`. */
export function placeholderLines(fields: readonly PlaceholderField[], indent: string): string[] {
  const width = Math.max(...fields.map((f) => f.field.length));
  return fields.map((f) => `${indent}${f.field.padEnd(width)}  ${f.what}`);
}

/** The comment at the top of rainbow.yaml: what the file is, the placeholders to replace, the commands. */
export function specHeader(app: string, fields: readonly PlaceholderField[]): string {
  return `# yaml-language-server: $schema=node_modules/cdktf-rainbow/schema/rainbow.schema.json
# The colors of ${app} and the share of traffic each gets, for cdktf-rainbow.
# Placeholders: rainbow init cannot know these values and wrote replace-me (or an id of zeros) in
# their place. rainbow validate refuses this file until each is replaced (so do plan, synth and apply):
${placeholderLines(fields, '#   ').join('\n')}
# Every field: node_modules/cdktf-rainbow/README.md ("The spec file"); a first deploy step by
# step: node_modules/cdktf-rainbow/docs/getting-started.md.
#   rainbow validate    checks this file      rainbow plan     what deploying it changes
#   rainbow synth       writes cdktf.out/     rainbow apply    deploys it with cdktf deploy
`;
}

const ROUTER_BLOCK: Record<InitRouter, string> = {
  'gateway-api': `  router: gateway-api
  # the Gateway the HTTPRoute attaches to; it must allow routes from the namespace above
  gateway: { name: ${PLACEHOLDERS.gateway.name}, namespace: ${PLACEHOLDERS.gateway.namespace} }
  # standard: the Gateway API CRDs of the standard channel (experimental adds routing.stickySeconds)
  gatewayApiChannel: standard
`,
  nginx: `  router: nginx
  # the IngressClass of your ingress-nginx controller
  ingressClassName: nginx
`,
  istio: `  router: istio
  # the Istio Gateways (namespace/name) that serve the host, or [mesh] for traffic inside the mesh
  istioGateways: [${PLACEHOLDERS.istioGateways.join(', ')}]
`,
};

/** The ALB listener and network lines of the ecs and ec2 blocks: the same fields on both. */
const ALB_BLOCK = (app: string, listens: string) => `  vpcId: ${PLACEHOLDERS.vpcId}
  subnetIds: [${PLACEHOLDERS.subnetIds.join(', ')}]
  securityGroupIds: [${PLACEHOLDERS.securityGroupIds.join(', ')}]
  # the HTTPS listener of your ALB, in the region above
  listenerArn: ${PLACEHOLDERS.listenerArn}
  # the host name clients use (the listener rules match it)
  host: ${PLACEHOLDERS.host(app)}
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
  # Your AWS account's: the region, the ECS cluster (name or ARN), the VPC, the subnets and
  # security groups of the tasks, and the ALB listener.
  region: eu-west-1
  cluster: ${PLACEHOLDERS.cluster}
${ALB_BLOCK(app, 'container listens on')}`;
  }
  if (choices.platform === 'ec2') {
    return `platform: ec2
ec2:
  # Your AWS account's: the region, the VPC, the subnets and security groups of the instances,
  # and the ALB listener.
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
${ROUTER_BLOCK[choices.router]}  # the host name clients use
  host: ${PLACEHOLDERS.host(app)}
  # the port your container listens on
  port: 8080
`;
}

function image(choices: InitChoices): string {
  if (choices.platform === 'ec2') return PLACEHOLDERS.ami;
  return choices.platform === 'ecs' ? PLACEHOLDERS.ecrImage(choices.app) : PLACEHOLDERS.containerImage(choices.app);
}

/**
 * The spec without its header: one color at weight 100, valid but for its placeholders. The
 * header, which lists them, is made from this (cli/commands/init.ts).
 */
export function specBody(choices: InitChoices): string {
  return `app: ${choices.app}
${platformBlock(choices)}healthCheck:
  # the path your app answers its health check on
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
    # your application's ${choices.platform === 'ec2' ? 'AMI, built with the release in it' : 'image, with its version tag or digest'}
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
