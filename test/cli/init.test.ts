import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../../cli/main';
import { CDKTF_APP } from '../../cli/commands/init-templates';
import { PLACEHOLDERS } from '../../model/placeholders';
import { smallDisks } from '../fixtures/full-disk';

const ROOT = resolve(__dirname, '..', '..');
const disks = smallDisks();
const onSmallDisk = disks === undefined ? it.skip : it;

/** Runs the command in-process in `cwd`, with its output captured line by line. */
async function rainbow(cwd: string, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  } finally {
    process.chdir(before);
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rainbow-init-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What a user puts in place of each placeholder, as they would: by editing the text. */
const REAL_VALUES: ReadonlyArray<readonly [string, string]> = [
  ['{ name: replace-me, namespace: replace-me }', '{ name: public, namespace: infra }'],
  [PLACEHOLDERS.istioGateways[0], 'istio-ingress/public'],
  [PLACEHOLDERS.host('shop'), 'shop.example.com'],
  [PLACEHOLDERS.containerImage('shop'), 'ghcr.io/acme/shop:1.4.0'],
  [PLACEHOLDERS.ecrImage('shop'), '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0'],
  [PLACEHOLDERS.ami, 'ami-0123456789abcdef0'],
  [`cluster: ${PLACEHOLDERS.cluster}`, 'cluster: shop'],
  [PLACEHOLDERS.vpcId, 'vpc-0123456789abcdef0'],
  [PLACEHOLDERS.subnetIds[0], 'subnet-0123456789abcdef0'],
  [PLACEHOLDERS.subnetIds[1], 'subnet-0123456789abcdef1'],
  [PLACEHOLDERS.securityGroupIds[0], 'sg-0123456789abcdef0'],
  [
    PLACEHOLDERS.listenerArn,
    'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/public/0123456789abcdef/0123456789abcdef',
  ],
];

function replacePlaceholders(dir: string): void {
  const file = join(dir, 'rainbow.yaml');
  let text = readFileSync(file, 'utf8');
  for (const [placeholder, real] of REAL_VALUES) text = text.split(placeholder).join(real);
  writeFileSync(file, text);
}

/** A line of `rainbow validate` about a placeholder. */
const placeholder = (at: string, path: string, value: string, expected: string) =>
  `./rainbow.yaml:${at}: ${path}: received ${value}, a placeholder that rainbow init wrote; expected ${expected}`;
const HOST = 'the host name your clients use, such as shop.acme.com';
const IMAGE = "your application's image with its version tag, such as ghcr.io/acme/shop:1.4.0";
const GATEWAY = 'the name and namespace of the Gateway your HTTPRoute attaches to (kubectl get gateways -A)';
const VPC = 'the id of your VPC (vpc-...)';
const SUBNETS = 'the ids of the private subnets the workload runs in (subnet-...), in two Availability Zones';
const GROUPS = 'the ids of the security groups that let the ALB reach the port (sg-...)';
const LISTENER =
  "the ARN of your ALB's HTTPS listener (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/...)";
const LISTENER_VALUE = '"arn:aws:elasticloadbalancing:eu-west-1:000000000000:liste..." (109 characters)';
const AMI = 'the id of the AMI your release is built into, such as ami-0fedcba9876543210';
const KUBERNETES_IMAGE = '"ghcr.io/replace-me/shop:1.0.0" (29 characters)';

/** The placeholders of each platform and router, as rainbow validate names them in a fresh rainbow.yaml. */
const PLACEHOLDER_LINES: Record<string, string[]> = {
  'gateway-api': [
    placeholder('19:20', 'kubernetes.gateway.name', '"replace-me"', GATEWAY),
    placeholder('19:43', 'kubernetes.gateway.namespace', '"replace-me"', GATEWAY),
    placeholder('23:9', 'kubernetes.host', '"shop.replace-me.invalid" (23 characters)', HOST),
    placeholder('41:12', 'colors[0].image', KUBERNETES_IMAGE, IMAGE),
  ],
  nginx: [
    placeholder('20:9', 'kubernetes.host', '"shop.replace-me.invalid" (23 characters)', HOST),
    placeholder('38:12', 'colors[0].image', KUBERNETES_IMAGE, IMAGE),
  ],
  istio: [
    placeholder(
      '19:19',
      'kubernetes.istioGateways[0]',
      '"replace-me/replace-me" (21 characters)',
      'the Istio Gateways that serve the host, as namespace/name (kubectl get gateways.networking.istio.io -A), or mesh',
    ),
    placeholder('21:9', 'kubernetes.host', '"shop.replace-me.invalid" (23 characters)', HOST),
    placeholder('39:12', 'colors[0].image', KUBERNETES_IMAGE, IMAGE),
  ],
  ecs: [
    placeholder('22:12', 'ecs.cluster', '"replace-me"', 'the name or ARN of your ECS cluster'),
    placeholder('23:10', 'ecs.vpcId', '"vpc-00000000000000000" (21 characters)', VPC),
    placeholder('24:15', 'ecs.subnetIds[0]', '"subnet-00000000000000000" (24 characters)', SUBNETS),
    placeholder('24:41', 'ecs.subnetIds[1]', '"subnet-00000000000000001" (24 characters)', SUBNETS),
    placeholder('25:22', 'ecs.securityGroupIds[0]', '"sg-00000000000000000"', GROUPS),
    placeholder('27:16', 'ecs.listenerArn', LISTENER_VALUE, LISTENER),
    placeholder('29:9', 'ecs.host', '"shop.replace-me.invalid" (23 characters)', HOST),
    placeholder(
      '49:12',
      'colors[0].image',
      '"000000000000.dkr.ecr.eu-west-1.amazonaws.com/replace-me/s..." (66 characters)',
      IMAGE,
    ),
  ],
  ec2: [
    placeholder('21:10', 'ec2.vpcId', '"vpc-00000000000000000" (21 characters)', VPC),
    placeholder('22:15', 'ec2.subnetIds[0]', '"subnet-00000000000000000" (24 characters)', SUBNETS),
    placeholder('22:41', 'ec2.subnetIds[1]', '"subnet-00000000000000001" (24 characters)', SUBNETS),
    placeholder('23:22', 'ec2.securityGroupIds[0]', '"sg-00000000000000000"', GROUPS),
    placeholder('25:16', 'ec2.listenerArn', LISTENER_VALUE, LISTENER),
    placeholder('27:9', 'ec2.host', '"shop.replace-me.invalid" (23 characters)', HOST),
    placeholder('54:12', 'colors[0].image', '"ami-00000000000000000" (21 characters)', AMI),
  ],
};

/**
 * Every platform and router init supports: its flags, the key of its placeholders, and validate's summary once they are
 * replaced.
 */
const SETUPS: Array<[string[], string, string]> = [
  [
    ['--platform', 'kubernetes'],
    'gateway-api',
    'app shop on kubernetes with gateway-api, 1 live color (blue 100%), 2 stacks',
  ],
  [
    ['--platform', 'kubernetes', '--router', 'nginx'],
    'nginx',
    'app shop on kubernetes with nginx, 1 live color (blue 100%), 2 stacks',
  ],
  [
    ['--platform', 'kubernetes', '--router', 'istio'],
    'istio',
    'app shop on kubernetes with istio, 1 live color (blue 100%), 2 stacks',
  ],
  [['--platform', 'ecs'], 'ecs', 'app shop on ecs with an ALB, 1 live color (blue 100%), 2 stacks'],
  [['--platform', 'ec2'], 'ec2', 'app shop on ec2 with an ALB, 1 live color (blue 100%), 2 stacks'],
];

describe('rainbow init', () => {
  it.each(SETUPS)(
    'writes a project that validate refuses until its placeholders are replaced, naming each (%j)',
    async (flags, key) => {
      const init = await rainbow(dir, ['init', '--app', 'shop', ...flags]);
      expect(init.code).toBe(0);
      expect(init.err).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cdktf.json', 'rainbow.yaml']);

      expect(await rainbow(dir, ['validate'])).toEqual({ code: 1, out: [], err: PLACEHOLDER_LINES[key] });
      // So do the commands that deploy: nothing is synthesized from a placeholder.
      expect(await rainbow(dir, ['synth'])).toEqual({ code: 1, out: [], err: PLACEHOLDER_LINES[key] });
      expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    },
  );

  it.each(SETUPS)(
    'writes a project that validates and synthesizes once its placeholders are replaced (%j)',
    async (flags, _key, summary) => {
      expect((await rainbow(dir, ['init', '--app', 'shop', ...flags])).code).toBe(0);
      replacePlaceholders(dir);

      const validate = await rainbow(dir, ['validate']);
      expect(validate).toEqual({ code: 0, out: [`./rainbow.yaml: valid: ${summary}`], err: [] });

      const synth = await rainbow(dir, ['synth']);
      expect(synth.code).toBe(0);
      expect(synth.out).toEqual(['shop-blue', 'shop-router']);
      const router = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-router', 'cdk.tf.json'), 'utf8'));
      const color = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-blue', 'cdk.tf.json'), 'utf8'));
      if (flags[1] === 'ecs') {
        const containers = JSON.parse(
          Object.values<any>(color.resource.aws_ecs_task_definition)[0].container_definitions,
        );
        expect(containers[0].image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1.4.0');
        expect(Object.values<any>(color.resource.aws_lb_target_group)[0].vpc_id).toBe('vpc-0123456789abcdef0');
        expect(Object.values<any>(router.resource.aws_lb_listener_rule)[0].listener_arn).toBe(
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/public/0123456789abcdef/0123456789abcdef',
        );
      } else if (flags[1] === 'ec2') {
        expect(Object.values<any>(color.resource.aws_autoscaling_group)[0].desired_capacity).toBe(2);
        expect(Object.values<any>(color.resource.aws_launch_template)[0].image_id).toBe('ami-0123456789abcdef0');
        expect(Object.keys(router.resource)).toContain('aws_lb_listener_rule');
      } else {
        const deployment = Object.values<any>(color.resource.kubernetes_deployment_v1)[0];
        expect(deployment.spec.replicas).toBe('2');
        expect(deployment.spec.template.spec.container[0].image).toBe('ghcr.io/acme/shop:1.4.0');
        // The Gateway API route keeps its generation in a terraform_data, to wait for a status of its own.
        const routerResources = flags.includes('nginx')
          ? ['kubernetes_ingress_v1']
          : flags.includes('istio')
            ? ['kubernetes_manifest']
            : ['kubernetes_manifest', 'terraform_data'];
        expect(Object.keys(router.resource)).toEqual(routerResources);
      }
      expect(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-router', 'cdk.tf.json'), 'utf8')).not.toMatch(
        /replace-me|0{12}/,
      );
    },
  );

  it('writes a spec that lists its placeholders at the top, says validate refuses it until they are replaced, and has one color at weight 100', async () => {
    await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes']);
    const lines = readFileSync(join(dir, 'rainbow.yaml'), 'utf8').split('\n');
    // Editors with the YAML language server complete and check it from the package's schema.
    expect(lines.slice(0, 7)).toEqual([
      '# yaml-language-server: $schema=node_modules/cdktf-rainbow/schema/rainbow.schema.json',
      '# The colors of shop and the share of traffic each gets, for cdktf-rainbow.',
      '# Placeholders: rainbow init cannot know these values and wrote replace-me (or an id of zeros) in',
      '# their place. rainbow validate refuses this file until each is replaced (so do plan, synth and apply):',
      `#   kubernetes.gateway  ${GATEWAY}`,
      `#   kubernetes.host     ${HOST}`,
      `#   colors[0].image     ${IMAGE}`,
    ]);
    expect(lines.slice(18, 19)).toEqual(['  gateway: { name: replace-me, namespace: replace-me }']);
    expect(lines.slice(21, 23)).toEqual(['  # the host name clients use', '  host: shop.replace-me.invalid']);
    expect(lines.slice(38, 43)).toEqual([
      '  - name: blue',
      "    # your application's image, with its version tag or digest",
      '    image: ghcr.io/replace-me/shop:1.0.0',
      '    weight: 100',
      '    replicas: 2',
    ]);
  });

  it('writes an ec2 spec whose image placeholder is an AMI, listing the network and listener placeholders', async () => {
    await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ec2']);
    const spec = readFileSync(join(dir, 'rainbow.yaml'), 'utf8');
    expect(spec).toContain(
      "    # your application's AMI, built with the release in it\n    image: ami-00000000000000000\n",
    );
    expect(spec.split('\n').slice(4, 10)).toEqual([
      `#   ec2.vpcId             ${VPC}`,
      `#   ec2.subnetIds         ${SUBNETS}`,
      `#   ec2.securityGroupIds  ${GROUPS}`,
      `#   ec2.listenerArn       ${LISTENER}`,
      `#   ec2.host              ${HOST}`,
      `#   colors[0].image       ${AMI}`,
    ]);
  });

  it("writes a cdktf.json that runs the installed package's app, and a .gitignore for the output and local state", async () => {
    await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ecs']);
    const cdktf = JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8'));
    expect(cdktf).toEqual(
      expect.objectContaining({
        language: 'typescript',
        app: 'node node_modules/cdktf-rainbow/dist/main.js',
        sendCrashReports: 'false',
      }),
    );
    // A project id of its own, so that cdktf does not write one into the file on its first run.
    expect(cdktf.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ignored = readFileSync(join(dir, '.gitignore'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual([
      'node_modules/',
      'cdktf.out/',
      'rainbow-state/',
      '.rainbow.yaml.lock',
      '.rainbow.yaml.release.json',
    ]);
  });

  it('gives each project a project id of its own', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rainbow-init-'));
    try {
      await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes']);
      await rainbow(other, ['init', '--app', 'shop', '--platform', 'kubernetes']);
      const ids = [dir, other].map((d) => JSON.parse(readFileSync(join(d, 'cdktf.json'), 'utf8')).projectId);
      expect(ids[0]).not.toBe(ids[1]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('prints what to do next', async () => {
    const { out } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes', '--router', 'nginx']);
    expect(out[0]).toBe(
      'wrote rainbow.yaml, cdktf.json, .gitignore: app shop on kubernetes with nginx, one color (blue) at weight 100',
    );
    expect(out.slice(1, 6)).toEqual([
      'next:',
      '  1. replace the placeholders in rainbow.yaml: rainbow validate refuses it until each replace-me (and zero id)',
      '     value is replaced, naming each and what to put there:',
      `       kubernetes.host  ${HOST}`,
      `       colors[0].image  ${IMAGE}`,
    ]);
    expect(out).toContain('  5. npx rainbow apply          deploys it with cdktf deploy');
    expect(out.at(-1)).toBe(
      'before the first apply: a kubeconfig, the namespace and ingress-nginx (node_modules/cdktf-rainbow/docs/getting-started.md)',
    );
  });

  it('refuses, exit 1 and nothing written, when any of its files exists', async () => {
    writeFileSync(join(dir, '.gitignore'), 'dist/\n');
    symlinkSync('nowhere', join(dir, 'cdktf.json'));
    const { code, out, err } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes']);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    const why =
      'already exists; nothing written. Pass --force to overwrite the files rainbow init writes, or run it in a folder without them';
    expect(err).toEqual([`cdktf.json: ${why}`, `.gitignore: ${why}`]);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cdktf.json']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('dist/\n');
  });

  it('overwrites its files with --force', async () => {
    writeFileSync(join(dir, 'rainbow.yaml'), 'app: old\n');
    const { code } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ecs', '--force']);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toContain('platform: ecs');
  });

  it('refuses --force over a symbolic link, writing nothing through it or anywhere else', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'rainbow-init-outside-'));
    writeFileSync(join(outside, 'gitignore'), 'shared/\n');
    writeFileSync(join(dir, 'rainbow.yaml'), 'app: old\n');
    symlinkSync(join(outside, 'gitignore'), join(dir, '.gitignore'));
    const { code, out, err } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes', '--force']);
    expect({ code, out, err }).toEqual({
      code: 1,
      out: [],
      err: [
        '.gitignore: is a symbolic link, not a regular file; nothing written: rainbow init --force replaces regular files only and never writes through a link; remove it, or run rainbow init in another folder',
      ],
    });
    expect(readFileSync(join(outside, 'gitignore'), 'utf8')).toBe('shared/\n');
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe('app: old\n');
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'rainbow.yaml']);
  });

  it('keeps the originals when a folder stands where one of its files goes', async () => {
    writeFileSync(join(dir, 'rainbow.yaml'), 'app: old\n');
    writeFileSync(join(dir, 'cdktf.json'), '{}\n');
    mkdirSync(join(dir, '.gitignore'));
    const { code, err } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes', '--force']);
    expect({ code, err }).toEqual({
      code: 1,
      err: [
        '.gitignore: is a directory, not a regular file; nothing written: rainbow init --force replaces regular files only and never writes through a link; remove it, or run rainbow init in another folder',
      ],
    });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe('app: old\n');
    expect(readFileSync(join(dir, 'cdktf.json'), 'utf8')).toBe('{}\n');
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cdktf.json', 'rainbow.yaml']);
  });

  onSmallDisk('keeps the originals when one write fails on a full disk', async () => {
    // Two pages for the two files there, and one more: room for one new file of the three.
    const disk = disks!.mount(12);
    writeFileSync(join(disk, 'rainbow.yaml'), 'app: old\n');
    writeFileSync(join(disk, 'cdktf.json'), '{}\n');
    const { code, out, err } = await rainbow(disk, ['init', '--app', 'shop', '--platform', 'kubernetes', '--force']);
    expect({ code, out, err }).toEqual({
      code: 1,
      out: [],
      err: [
        'cdktf.json: could not be written: no space left on device (ENOSPC); nothing written: the folder is as it was',
      ],
    });
    expect(readFileSync(join(disk, 'rainbow.yaml'), 'utf8')).toBe('app: old\n');
    expect(readFileSync(join(disk, 'cdktf.json'), 'utf8')).toBe('{}\n');
    expect(readdirSync(disk).sort()).toEqual(['cdktf.json', 'rainbow.yaml']);
  });

  it('keeps the permissions of the files --force replaces', async () => {
    writeFileSync(join(dir, 'rainbow.yaml'), 'app: old\n', { mode: 0o600 });
    expect((await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ecs', '--force'])).code).toBe(0);
    expect(statSync(join(dir, 'rainbow.yaml')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cdktf.json', 'rainbow.yaml']);
  });

  it("fails with the app name's own problem, exit 1 and nothing written, for an invalid --app", async () => {
    const { code, err } = await rainbow(dir, ['init', '--app', 'Shop', '--platform', 'ecs']);
    expect(code).toBe(1);
    expect(err).toEqual([
      '--app: received "Shop"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails for an --app that looks like a placeholder, exit 1 and nothing written', async () => {
    const { code, out, err } = await rainbow(dir, ['init', '--app', 'replace-me', '--platform', 'kubernetes']);
    expect({ code, out, err }).toEqual({
      code: 1,
      out: [],
      err: [
        '--app: received "replace-me"; expected the name of your application: replace-me marks the values rainbow init cannot know, and rainbow validate refuses each one',
      ],
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses --router with --platform ecs as a usage error', async () => {
    const { code, err } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ecs', '--router', 'nginx']);
    expect(code).toBe(2);
    expect(err).toEqual([
      '--router: received "nginx" with --platform ecs; expected no --router: ECS routes with the ALB listener of the ecs block',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses --router with --platform ec2 as a usage error', async () => {
    const { code, err } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ec2', '--router', 'istio']);
    expect(code).toBe(2);
    expect(err).toEqual([
      '--router: received "istio" with --platform ec2; expected no --router: EC2 routes with the ALB listener of the ec2 block',
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['--platform', 'kubernetes'], "error: required option '--app <name>' not specified"],
    [['--app', 'shop'], "error: required option '--platform <platform>' not specified"],
    [
      ['--app', 'shop', '--platform', 'gke'],
      "error: option '--platform <platform>' argument 'gke' is invalid. Allowed choices are kubernetes, ecs, ec2.",
    ],
  ])('fails as a usage error, exit 2, without %j', async (flags, message) => {
    const { code, err } = await rainbow(dir, ['init', ...flags]);
    expect(code).toBe(2);
    expect(err).toEqual([message]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves a project whose cdktf.json app synthesizes ./rainbow.yaml (the built app, as cdktf runs it)', async () => {
    await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes']);
    replacePlaceholders(dir);
    // As `node node_modules/cdktf-rainbow/dist/main.js` would run in an installed project.
    expect(CDKTF_APP).toBe('node node_modules/cdktf-rainbow/dist/main.js');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'cdktf-rainbow'));
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: 'cdktf.out' };
    delete env.RAINBOW_SPEC;
    const [node, script] = CDKTF_APP.split(' ');
    const result = spawnSync(node === 'node' ? process.execPath : node, [script], { cwd: dir, encoding: 'utf8', env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'shop-blue', 'cdk.tf.json'))).toBe(true);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'shop-router', 'cdk.tf.json'))).toBe(true);
    // The same stacks, byte for byte, as rainbow synth writes (the app has the binary's start-up:
    // code cache, modules on first use, no creation stacks, early exit).
    expect((await rainbow(dir, ['synth', '--out', 'rainbow.out'])).code).toBe(0);
    for (const stack of ['shop-blue', 'shop-router']) {
      expect(readFileSync(join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(
        readFileSync(join(dir, 'rainbow.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'),
      );
    }
  });
});
