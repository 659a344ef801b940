import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** The provider packages a built entry point loads, in a fresh Node process (as a user's program would). */
function providersLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)});
    const loaded = new Set(Object.keys(require.cache).map((f) => (/node_modules\\/(@cdktf\\/provider-[a-z]+)\\//.exec(f) || [])[1]).filter(Boolean));
    process.stdout.write(JSON.stringify([...loaded].sort()));`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('the package entry points', () => {
  it('cdktf-rainbow/kubernetes loads the Kubernetes provider only', () => {
    expect(providersLoadedBy('./dist/kubernetes.js')).toEqual(['@cdktf/provider-kubernetes']);
  });

  it('cdktf-rainbow/aws loads the AWS provider only', () => {
    expect(providersLoadedBy('./dist/aws.js')).toEqual(['@cdktf/provider-aws']);
  });

  it('the entry folders point at the built files', () => {
    for (const platform of ['kubernetes', 'aws']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the stub is what Node and tsc read
      const stub = require(resolve(ROOT, platform, 'package.json'));
      expect(stub).toEqual({ main: `../dist/${platform}.js`, types: `../dist/${platform}.d.ts` });
    }
  });

  it('every name of a platform entry point is exported by the package root too, the same object', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const root = require(resolve(ROOT, 'index'));
    for (const platform of ['kubernetes', 'aws']) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const entry = require(resolve(ROOT, platform));
      for (const name of Object.keys(entry)) expect({ name, same: root[name] === entry[name] }).toEqual({ name, same: true });
    }
  });
});
