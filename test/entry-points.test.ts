import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

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
