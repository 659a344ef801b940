import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { installed, missingProviders } from '../api/required-providers';

const ROOT = resolve(__dirname, '..');

interface Loaded {
  /** The provider packages the entry point loaded. */
  providers: string[];
  /** How many names the entry point exports. */
  names: number;
  /** The names the package root does not export as the same object. */
  notInRoot: string[];
}

/**
 * Loads a built entry point in a fresh Node process, as a user's program would: the provider
 * packages it loads, then (the package root loaded after it) which of its names the root does not
 * export as the same object. Node loads the built files in a fraction of what jest's module
 * registry takes for the sources.
 */
function load(entry: string): Promise<Loaded> {
  const script = `const entry = require(${JSON.stringify(entry)});
    const providers = new Set(Object.keys(require.cache).map((f) => (/node_modules\\/(@cdktf\\/provider-[a-z]+)\\//.exec(f) || [])[1]).filter(Boolean));
    const root = require('./dist/index.js');
    const names = Object.keys(entry);
    process.stdout.write(JSON.stringify({ providers: [...providers].sort(), names: names.length, notInRoot: names.filter((name) => root[name] !== entry[name]) }));`;
  return new Promise((done, fail) => {
    execFile(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null) fail(new Error(`${error.message}\n${stderr}`));
      else done(JSON.parse(stdout));
    });
  });
}

describe('the package entry points', () => {
  let kubernetes: Promise<Loaded>;
  let aws: Promise<Loaded>;
  beforeAll(() => {
    // Two independent processes: started together.
    kubernetes = load('./dist/kubernetes.js');
    aws = load('./dist/aws.js');
  });

  it('cdktf-rainbow/kubernetes loads the Kubernetes provider only', async () => {
    expect((await kubernetes).providers).toEqual(['@cdktf/provider-kubernetes']);
  });

  it('cdktf-rainbow/aws loads the AWS provider only', async () => {
    expect((await aws).providers).toEqual(['@cdktf/provider-aws']);
  });

  it('the entry folders point at the built files', () => {
    for (const platform of ['kubernetes', 'aws']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stub is what Node and tsc read
      const stub = require(resolve(ROOT, platform, 'package.json'));
      expect(stub).toEqual({ main: `../dist/${platform}.js`, types: `../dist/${platform}.d.ts` });
    }
  });

  it('every name of a platform entry point is exported by the package root too, the same object', async () => {
    for (const [platform, loaded] of [
      ['kubernetes', await kubernetes],
      ['aws', await aws],
    ] as const) {
      expect({ platform, names: loaded.names > 0, notInRoot: loaded.notInRoot }).toEqual({
        platform,
        names: true,
        notInRoot: [],
      });
    }
  });
});

/**
 * A program whose node_modules holds the built package and, of the optional peers, only
 * `providers`: the other provider cannot be found from the package as it would from the
 * repository. The package's files are copied (Node resolves a linked package from where it really
 * lies); cdktf, constructs, the providers and the bundled dependencies are linked to the
 * repository's copies.
 */
function programWith(providers: string[]): string {
  const program = mkdtempSync(join(tmpdir(), 'rainbow-entry-'));
  const pkg = join(program, 'node_modules', 'cdktf-rainbow');
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: object;
    main: string;
  };
  mkdirSync(pkg, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (from) => !from.endsWith('.bundle.js') });
  for (const platform of ['kubernetes', 'aws']) cpSync(join(ROOT, platform), join(pkg, platform), { recursive: true });
  for (const name of ['cdktf', 'constructs', ...Object.keys(manifest.dependencies), ...providers]) {
    mkdirSync(dirname(join(program, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(program, 'node_modules', name), 'dir');
  }
  return program;
}

/** `node -e <script>` in `program`, as a user's program runs. */
function run(program: string, script: string) {
  const { status, stdout, stderr } = spawnSync(process.execPath, ['-e', script], { cwd: program, encoding: 'utf8' });
  return { status, stdout, stderr };
}

describe('an entry point in a program without one of its providers', () => {
  let kubernetesOnly: string;
  let awsOnly: string;
  beforeAll(() => {
    kubernetesOnly = programWith(['@cdktf/provider-kubernetes']);
    awsOnly = programWith(['@cdktf/provider-aws']);
  });

  it('the package root with only the Kubernetes provider exits 1 with one line naming cdktf-rainbow/kubernetes', () => {
    expect(run(kubernetesOnly, "require('cdktf-rainbow')")).toEqual({
      status: 1,
      stdout: '',
      stderr:
        "cdktf-rainbow: the package root needs both @cdktf/provider-kubernetes and @cdktf/provider-aws; with only @cdktf/provider-kubernetes installed, import from 'cdktf-rainbow/kubernetes'\n",
    });
  });

  it('the package root with only the AWS provider exits 1 with one line naming cdktf-rainbow/aws', () => {
    expect(run(awsOnly, "require('cdktf-rainbow')")).toEqual({
      status: 1,
      stdout: '',
      stderr:
        "cdktf-rainbow: the package root needs both @cdktf/provider-kubernetes and @cdktf/provider-aws; with only @cdktf/provider-aws installed, import from 'cdktf-rainbow/aws'\n",
    });
  });

  it('cdktf-rainbow/aws without the AWS provider exits 1 with one line naming it', () => {
    expect(run(kubernetesOnly, "require('cdktf-rainbow/aws')")).toEqual({
      status: 1,
      stdout: '',
      stderr:
        "cdktf-rainbow: 'cdktf-rainbow/aws' needs @cdktf/provider-aws, which is not installed; install it in your program beside cdktf and constructs\n",
    });
  });

  it('cdktf-rainbow/kubernetes builds a KubernetesColor with only the Kubernetes provider', () => {
    const script = `const { Testing, TerraformStack } = require('cdktf');
      const { KubernetesColor } = require('cdktf-rainbow/kubernetes');
      const stack = new TerraformStack(Testing.app(), 'shop');
      new KubernetesColor(stack, 'blue', { app: 'shop', color: 'blue', image: 'ghcr.io/acme/shop:2.0.0' });
      const json = JSON.parse(Testing.synth(stack));
      process.stdout.write(Object.values(json.resource.kubernetes_deployment_v1).map((d) => d.metadata.name).join());`;
    expect(run(kubernetesOnly, script)).toEqual({ status: 0, stdout: 'shop-blue', stderr: '' });
  });
});

describe('the entry points from an ES module', () => {
  let kubernetesOnly: string;
  beforeAll(() => {
    kubernetesOnly = programWith(['@cdktf/provider-kubernetes']);
  });

  // Through the package's "exports": a folder (`cdktf-rainbow/kubernetes/`) is no module to ESM.
  // (Named imports depend on how the CommonJS was compiled: the package test imports them from
  // the packed, jsii-built tarball; this build is swc's.)
  it('imports cdktf-rainbow/kubernetes and builds a KubernetesColor', () => {
    const script = `import { Testing, TerraformStack } from 'cdktf';
      import rainbow from 'cdktf-rainbow/kubernetes';
      const { KubernetesColor } = rainbow;
      const stack = new TerraformStack(Testing.app(), 'shop');
      new KubernetesColor(stack, 'blue', { app: 'shop', color: 'blue', image: 'ghcr.io/acme/shop:2.0.0' });
      process.stdout.write(Object.keys(JSON.parse(Testing.synth(stack)).resource.kubernetes_deployment_v1).join());`;
    const ran = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: kubernetesOnly,
      encoding: 'utf8',
    });
    expect({ status: ran.status, stderr: ran.stderr, found: ran.stdout.length > 0 }).toEqual({
      status: 0,
      stderr: '',
      found: true,
    });
  });

  it('refuses a path the package does not export, as Node does for every package with exports', () => {
    const ran = spawnSync(process.execPath, ['-e', "require('cdktf-rainbow/dist/model/types')"], {
      cwd: kubernetesOnly,
      encoding: 'utf8',
    });
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});

describe('missingProviders', () => {
  const only =
    (...installed: string[]) =>
    (provider: string) =>
      installed.includes(provider);

  it('says nothing when every provider an entry point loads is installed', () => {
    const both = only('@cdktf/provider-kubernetes', '@cdktf/provider-aws');
    expect(
      ['cdktf-rainbow', 'cdktf-rainbow/kubernetes', 'cdktf-rainbow/aws'].map((e) => missingProviders(e, both)),
    ).toEqual([undefined, undefined, undefined]);
    expect(missingProviders('cdktf-rainbow/kubernetes', only('@cdktf/provider-kubernetes'))).toBeUndefined();
    expect(missingProviders('cdktf-rainbow/aws', only('@cdktf/provider-aws'))).toBeUndefined();
  });

  it('fails the package root without either provider, naming both entry points', () => {
    expect(missingProviders('cdktf-rainbow', only())).toBe(
      "cdktf-rainbow: the package root needs both @cdktf/provider-kubernetes and @cdktf/provider-aws, and neither is installed; install the one of your platform and import from 'cdktf-rainbow/kubernetes' or 'cdktf-rainbow/aws'",
    );
  });

  it('fails cdktf-rainbow/kubernetes without the Kubernetes provider', () => {
    expect(missingProviders('cdktf-rainbow/kubernetes', only('@cdktf/provider-aws'))).toBe(
      "cdktf-rainbow: 'cdktf-rainbow/kubernetes' needs @cdktf/provider-kubernetes, which is not installed; install it in your program beside cdktf and constructs",
    );
  });
});

describe('installed', () => {
  const refuse = (request: string): string => {
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
  };

  it('is true when the provider resolves, without loading it', () => {
    let loaded = false;
    expect(
      installed(
        '@cdktf/provider-aws',
        () => '/x/lib/provider/index.js',
        () => (loaded = true),
      ),
    ).toBe(true);
    expect(loaded).toBe(false);
  });

  it('is true when it does not resolve but loads: an app bundled with its providers, a module mock', () => {
    expect(installed('@cdktf/provider-aws', refuse, () => true)).toBe(true);
  });

  it('is false when it neither resolves nor loads', () => {
    expect(installed('@cdktf/provider-aws', refuse, () => false)).toBe(false);
  });

  it('finds the providers of this repository as a program does', () => {
    expect(installed('@cdktf/provider-kubernetes')).toBe(true);
    expect(installed('@cdktf/provider-aws')).toBe(true);
  });
});

describe('an app bundled with its provider', () => {
  it('loads cdktf-rainbow/kubernetes from the bundle alone, no node_modules beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-bundled-'));
    writeFileSync(
      join(dir, 'app.js'),
      "const { missingProviders } = require(process.argv[2]);\nprocess.stdout.write(String(missingProviders('cdktf-rainbow/kubernetes')));\n",
    );
    const built = spawnSync(
      join(ROOT, 'node_modules', '.bin', 'esbuild'),
      [
        join(ROOT, 'dist', 'api', 'required-providers.js'),
        '--bundle',
        '--platform=node',
        '--format=cjs',
        `--outfile=${join(dir, 'bundle.js')}`,
        '--log-level=error',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(built.stderr).toBe('');
    const out = join(mkdtempSync(join(tmpdir(), 'rainbow-bundled-run-')), 'bundle.js');
    writeFileSync(out, readFileSync(join(dir, 'bundle.js')));
    const ran = spawnSync(process.execPath, [join(dir, 'app.js'), out], { cwd: dirname(out), encoding: 'utf8' });
    expect({ status: ran.status, stdout: ran.stdout, stderr: ran.stderr }).toEqual({
      status: 0,
      stdout: 'undefined',
      stderr: '',
    });
  });
});
