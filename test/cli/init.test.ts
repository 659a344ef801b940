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

describe('rainbow init', () => {
  it.each([
    [['--platform', 'kubernetes'], 'app shop on kubernetes with gateway-api, 1 live color (blue 100%), 2 stacks'],
    [
      ['--platform', 'kubernetes', '--router', 'nginx'],
      'app shop on kubernetes with nginx, 1 live color (blue 100%), 2 stacks',
    ],
    [
      ['--platform', 'kubernetes', '--router', 'istio'],
      'app shop on kubernetes with istio, 1 live color (blue 100%), 2 stacks',
    ],
    [['--platform', 'ecs'], 'app shop on ecs with an ALB, 1 live color (blue 100%), 2 stacks'],
    [['--platform', 'ec2'], 'app shop on ec2 with an ALB, 1 live color (blue 100%), 2 stacks'],
  ])('writes a project that validates and synthesizes in an empty folder (%j)', async (flags, summary) => {
    const init = await rainbow(dir, ['init', '--app', 'shop', ...flags]);
    expect(init.code).toBe(0);
    expect(init.err).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cdktf.json', 'rainbow.yaml']);

    const validate = await rainbow(dir, ['validate']);
    expect(validate).toEqual({ code: 0, out: [`./rainbow.yaml: valid: ${summary}`], err: [] });

    const synth = await rainbow(dir, ['synth']);
    expect(synth.code).toBe(0);
    expect(synth.out).toEqual(['shop-blue', 'shop-router']);
    const router = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-router', 'cdk.tf.json'), 'utf8'));
    const color = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'shop-blue', 'cdk.tf.json'), 'utf8'));
    if (flags[1] === 'ecs') {
      expect(Object.keys(color.resource)).toContain('aws_ecs_service');
      expect(Object.keys(router.resource)).toContain('aws_lb_listener_rule');
    } else if (flags[1] === 'ec2') {
      expect(Object.values<any>(color.resource.aws_autoscaling_group)[0].desired_capacity).toBe(2);
      expect(Object.values<any>(color.resource.aws_launch_template)[0].image_id).toBe('ami-0123456789abcdef0');
      expect(Object.keys(router.resource)).toContain('aws_lb_listener_rule');
    } else {
      expect(Object.values<any>(color.resource.kubernetes_deployment_v1)[0].spec.replicas).toBe('2');
      // The Gateway API route keeps its generation in a terraform_data, to wait for a status of its own.
      const routerResources = flags.includes('nginx')
        ? ['kubernetes_ingress_v1']
        : flags.includes('istio')
          ? ['kubernetes_manifest']
          : ['kubernetes_manifest', 'terraform_data'];
      expect(Object.keys(router.resource)).toEqual(routerResources);
    }
  });

  it('writes a spec whose placeholders are marked REPLACE, one color at weight 100', async () => {
    await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes']);
    const spec = readFileSync(join(dir, 'rainbow.yaml'), 'utf8');
    // Editors with the YAML language server complete and check it from the package's schema.
    expect(spec.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=node_modules/cdktf-rainbow/schema/rainbow.schema.json',
    );
    expect(spec).toContain('# REPLACE: the Gateway the HTTPRoute attaches to');
    expect(spec).toContain('# REPLACE: the host name clients use\n  host: shop.example.com');
    expect(spec).toContain(
      "# REPLACE: your application's image\n    image: ghcr.io/example/shop:1.0.0\n    weight: 100",
    );
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
    expect(cdktf.projectId).toMatch(/^[0-9a-f-]{36}$/);
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

  it('prints what to do next', async () => {
    const { out } = await rainbow(dir, ['init', '--app', 'shop', '--platform', 'kubernetes', '--router', 'nginx']);
    expect(out[0]).toBe(
      'wrote rainbow.yaml, cdktf.json, .gitignore: app shop on kubernetes with nginx, one color (blue) at weight 100',
    );
    expect(out).toContain('  1. replace the values marked REPLACE in rainbow.yaml');
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

  it('writes an ec2 spec whose image placeholder is an AMI', async () => {
    await rainbow(dir, ['init', '--app', 'shop', '--platform', 'ec2']);
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toContain(
      "# REPLACE: your application's AMI, built with the release in it\n    image: ami-0123456789abcdef0\n",
    );
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
