import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultParallelism } from '../../cli/commands/apply';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');

/** A first deploy of four colors: one phase of four stacks, then the router. */
const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - { name: red, image: ghcr.io/acme/shop:1.0.0, weight: 40 }
  - { name: orange, image: ghcr.io/acme/shop:1.1.0, weight: 30 }
  - { name: yellow, image: ghcr.io/acme/shop:1.2.0, weight: 30 }
  - { name: green, image: ghcr.io/acme/shop:1.3.0, weight: 0 }
`;

interface Call {
  readonly args: string[];
  readonly env: Record<string, string | null>;
}

/**
 * A project folder with the spec, a cdktf.json and a stand-in cdktf on PATH that records each
 * call with the plugin cache variable it got; HOME is a folder of the test.
 */
function project(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-apply-'));
  const home = join(dir, 'home');
  const bin = join(dir, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
  writeFileSync(join(dir, 'cdktf.json'), '{}\n');
  spawnSync('git', ['init', '-q'], { cwd: dir });
  copyFileSync(join(ROOT, 'test', 'fixtures', 'fake-cdktf.sh'), join(bin, 'cdktf'));
  chmodSync(join(bin, 'cdktf'), 0o755);
  const log = join(dir, 'calls.log');
  const runEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    FAKE_CDKTF_LOG: log,
    FAKE_CDKTF_ENV: 'TF_PLUGIN_CACHE_DIR',
    TF_PLUGIN_CACHE_DIR: undefined,
    TF_CLI_CONFIG_FILE: undefined,
    ...env,
  };
  const apply = (...args: string[]) => rainbowInProcess(dir, ['apply', ...args], runEnv);
  const calls = (): Call[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  return { dir, home, apply, calls };
}

describe('rainbow apply, parallel stacks and the plugin cache', () => {
  it('shares one plugin cache, ~/.terraform.d/plugin-cache, made if absent, and says so', async () => {
    const { home, apply, calls } = project();
    const { code, stdout } = await apply('--parallelism', '4');
    expect(code).toBe(0);
    const cache = join(home, '.terraform.d', 'plugin-cache');
    expect(statSync(cache).isDirectory()).toBe(true);
    expect(calls().map((c) => c.env.TF_PLUGIN_CACHE_DIR)).toEqual([cache, cache, cache]);
    expect(stdout).toContain(
      `\napply: Terraform plugin cache ${cache} (TF_PLUGIN_CACHE_DIR; set it, or plugin_cache_dir, to use another)\n`,
    );
  });

  it('fills the cache with the first stack alone, then deploys the rest of the phase at once', async () => {
    const { apply, calls } = project();
    const { code, stdout } = await apply('--parallelism', '4');
    expect(code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-red'],
      ['deploy', 'shop-orange', 'shop-yellow', 'shop-green', '--parallelism', '3'],
      ['deploy', 'shop-router'],
    ]);
    expect(stdout).toContain(
      'phase 1/2 (colors, 2/2): cdktf deploy shop-orange shop-yellow shop-green (3 at a time)\n',
    );
  });

  it('passes --parallelism to cdktf, at most the stacks of the call', async () => {
    const { apply, calls } = project({ TF_PLUGIN_CACHE_DIR: '/var/cache/terraform' });
    await apply('--parallelism', '2');
    expect(calls()[1].args).toEqual(['deploy', 'shop-orange', 'shop-yellow', 'shop-green', '--parallelism', '2']);
  });

  it('deploys one stack at a time with --parallelism 1, in one call and without the warm-up', async () => {
    const { apply, calls } = project();
    const { code, stdout } = await apply('--parallelism', '1');
    expect(code).toBe(0);
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-red', 'shop-orange', 'shop-yellow', 'shop-green', '--parallelism', '1'],
      ['deploy', 'shop-router'],
    ]);
    expect(stdout).toContain(
      'phase 1/2 (colors): cdktf deploy shop-red shop-orange shop-yellow shop-green (1 at a time)\n',
    );
  });

  it('takes the CPU count by default', async () => {
    const { apply, calls } = project({ TF_PLUGIN_CACHE_DIR: '/var/cache/terraform' });
    await apply();
    const rest = calls()[1].args;
    expect(rest.slice(-2)).toEqual(['--parallelism', String(Math.min(3, defaultParallelism()))]);
  });

  it('keeps a TF_PLUGIN_CACHE_DIR the user set, and still warms it with one stack first', async () => {
    const { home, apply, calls } = project({ TF_PLUGIN_CACHE_DIR: '/var/cache/terraform' });
    const { stdout } = await apply('--parallelism', '4');
    expect(calls().map((c) => c.env.TF_PLUGIN_CACHE_DIR)).toEqual([
      '/var/cache/terraform',
      '/var/cache/terraform',
      '/var/cache/terraform',
    ]);
    expect(calls()[0].args).toEqual(['deploy', 'shop-red']);
    expect(existsSync(join(home, '.terraform.d'))).toBe(false);
    expect(stdout).not.toContain('plugin cache');
  });

  it('keeps plugin_cache_dir of the Terraform CLI configuration (TF_CLI_CONFIG_FILE): the variable would override it', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'rainbow-tfrc-')), 'terraform.tfrc');
    writeFileSync(config, 'plugin_cache_dir = "/srv/terraform-plugins"\n');
    const { home, apply, calls } = project({ TF_CLI_CONFIG_FILE: config });
    await apply('--parallelism', '4');
    expect(calls().map((c) => c.env.TF_PLUGIN_CACHE_DIR)).toEqual([null, null, null]);
    expect(calls()[0].args).toEqual(['deploy', 'shop-red']);
    expect(existsSync(join(home, '.terraform.d'))).toBe(false);
  });

  it('reads plugin_cache_dir from ~/.terraformrc and from the *.tfrc files of ~/.terraform.d', async () => {
    const rc = project();
    writeFileSync(join(rc.home, '.terraformrc'), 'disable_checkpoint = true\n  plugin_cache_dir = "$HOME/cache"\n');
    await rc.apply('--parallelism', '4');
    expect(rc.calls()[0].env.TF_PLUGIN_CACHE_DIR).toBeNull();
    const dirConfig = project();
    mkdirSync(join(dirConfig.home, '.terraform.d'));
    writeFileSync(join(dirConfig.home, '.terraform.d', 'cache.tfrc'), 'plugin_cache_dir = "/srv/plugins"\n');
    await dirConfig.apply('--parallelism', '4');
    expect(dirConfig.calls()[0].env.TF_PLUGIN_CACHE_DIR).toBeNull();
  });

  it('deploys without a shared cache, all at once, when the cache folder cannot be made', async () => {
    const { home, apply, calls } = project();
    writeFileSync(join(home, '.terraform.d'), 'a file where the folder would go\n');
    const { code, stdout } = await apply('--parallelism', '4');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `\napply: no shared Terraform plugin cache: ${join(home, '.terraform.d', 'plugin-cache')} cannot be created (ENOTDIR); each stack downloads its providers\n`,
    );
    expect(calls().map((c) => c.args)).toEqual([
      ['deploy', 'shop-red', 'shop-orange', 'shop-yellow', 'shop-green', '--parallelism', '4'],
      ['deploy', 'shop-router'],
    ]);
    expect(calls()[0].env.TF_PLUGIN_CACHE_DIR).toBeNull();
  });

  it.each([['0'], ['65'], ['two'], ['1.5'], ['-1']])(
    'refuses --parallelism %s as a usage error, deploying nothing',
    async (value) => {
      const { apply, calls } = project();
      const { code, stderr } = await apply('--parallelism', value);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `error: option '--parallelism <n>' argument '${value}' is invalid. expected a whole number of stacks from 1 to 64\n`,
      );
      expect(calls()).toEqual([]);
    },
  );
});
