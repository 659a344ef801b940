import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSpec } from '../spec/load';
import { synthesizeSpec } from '../stacks/synthesize';

const ROOT = resolve(__dirname, '..');
const EXAMPLES = join(ROOT, 'examples');
const examples = readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);

describe('examples', () => {
  it('has the examples the docs point to', () => {
    expect(examples).toEqual(expect.arrayContaining(['kubernetes-gateway', 'compose-in-existing-stack']));
  });

  it.each(examples)('%s synthesizes', (name) => {
    const dir = join(EXAMPLES, name);
    const out = join(mkdtempSync(join(tmpdir(), `rainbow-example-${name}-`)), 'cdktf.out');
    if (existsSync(join(dir, 'rainbow.yaml'))) {
      const { spec, problems } = loadSpec(join(dir, 'rainbow.yaml'));
      expect(problems).toEqual([]);
      const { stackNames } = synthesizeSpec(spec!, out);
      for (const stack of stackNames) expect(existsSync(join(out, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
    } else {
      // A library-mode app: run it the way its cdktf.json does, from the compiled output.
      const app = JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8')).app as string;
      const [command, script] = app.split(' ');
      expect(command).toBe('node');
      const result = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out } });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(readdirSync(join(out, 'stacks')).length).toBeGreaterThan(0);
    }
  });
});

describe('compose-in-existing-stack', () => {
  it('puts two colors and the router into the existing stack, after its namespace', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ShopStack } = require('../examples/compose-in-existing-stack/main') as typeof import('../examples/compose-in-existing-stack/main');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Testing } = require('cdktf') as typeof import('cdktf');
    const json = JSON.parse(Testing.synth(new ShopStack(Testing.app(), 'shop'), true));
    expect(Object.keys(json.resource.kubernetes_deployment_v1)).toHaveLength(2);
    const route = (Object.values(json.resource.kubernetes_manifest)[0] as any).manifest;
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'shop-blue', port: 8080, weight: 100 },
      { name: 'shop-green', port: 8080, weight: 0 },
    ]);
    expect(route.metadata.namespace).toBe('${kubernetes_namespace_v1.Namespace.metadata[0].name}');
  });
});
