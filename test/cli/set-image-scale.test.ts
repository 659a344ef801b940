import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rainbowInProcess } from '../fixtures/in-process';

const SPEC = `# shop: blue serves, green waits
app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
colors:
  - name: blue     # current
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
    replicas: 3
  - name: green
    image: ghcr.io/acme/shop:2.1.0   # the canary
    weight: 0
  - { name: old, image: ghcr.io/acme/shop:1.0.0, weight: 0, state: retired }
`;

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
}

function repo(text = SPEC, file = 'rainbow.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-set-image-'));
  writeFileSync(join(dir, file), text);
  git(dir, 'init', '-q');
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', 'deployed');
  return dir;
}

const read = (dir: string, file = 'rainbow.yaml') => readFileSync(join(dir, file), 'utf8');
const rainbow = (dir: string, ...args: string[]) => rainbowInProcess(dir, args);

describe('rainbow set-image', () => {
  it("changes only the color's image, keeping every comment, and plan shows a rolling update", async () => {
    const dir = repo();
    const { code, stdout, stderr } = await rainbow(dir, 'set-image', 'green', 'ghcr.io/acme/shop:2.1.1');
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'safety against git:HEAD: ok\n' });
    expect(stdout).toContain('green  ghcr.io/acme/shop:2.1.1  ....................   0%');
    expect(read(dir)).toBe(SPEC.replace('shop:2.1.0   # the canary', 'shop:2.1.1   # the canary'));
    expect((await rainbow(dir, 'plan')).stdout).toContain(
      '  green  rolling update (image ghcr.io/acme/shop:2.1.0 → ghcr.io/acme/shop:2.1.1)\n',
    );
  });

  it('sets a digest, and rolls a color that takes traffic as a safe rolling update', async () => {
    const dir = repo();
    const digest = `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`;
    expect((await rainbow(dir, 'set-image', 'blue', digest)).code).toBe(0);
    expect(read(dir)).toContain(`  - name: blue     # current\n    image: ${digest}\n`);
  });

  it('edits a JSON spec as JSON', async () => {
    const json = `{\n  "app": "shop",\n  "platform": "kubernetes",\n  "kubernetes": { "gateway": { "name": "public", "namespace": "infra" }, "host": "shop.example.com" },\n  "colors": [\n    { "name": "blue", "image": "ghcr.io/acme/shop:2.0.0", "weight": 100 }\n  ]\n}\n`;
    const dir = repo(json, 'rainbow.json');
    expect((await rainbow(dir, 'set-image', 'blue', 'ghcr.io/acme/shop:2.0.1', 'rainbow.json')).code).toBe(0);
    expect(read(dir, 'rainbow.json')).toBe(json.replace('shop:2.0.0', 'shop:2.0.1'));
  });

  it.each([
    [
      ['nope', 'ghcr.io/acme/shop:2.1.1'],
      'color: received "nope"; expected one of the colors in the spec: blue, green, old',
    ],
    [['old', 'ghcr.io/acme/shop:2.1.1'], 'color: old is retired; expected a color that is not'],
    [
      ['green', 'ghcr.io/acme/shop:2.1.1 '],
      'image: received "ghcr.io/acme/shop:2.1.1 " (24 characters); expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
    ],
    [
      ['green', 'ghcr.io/acme/shop:latest'],
      'image: received "ghcr.io/acme/shop:latest" (24 characters), whose tag latest moves with every push: an old color would run a new version after its next restart, so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
    ],
    [
      ['green', 'localhost:5000/shop'],
      'image: received "localhost:5000/shop", which has no tag (it is read as :latest): an old color would run a new version after its next restart, so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
    ],
  ])('fails for %p with the text the spec field has, exit 1, writing nothing', async (args, message) => {
    const dir = repo();
    const { code, stdout, stderr } = await rainbow(dir, 'set-image', ...args);
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    expect(read(dir)).toBe(SPEC);
  });

  it('takes a mutable tag when the spec allows them (security.allowMutableTags)', async () => {
    const text = SPEC.replace('colors:\n', 'security:\n  allowMutableTags: true\ncolors:\n');
    const dir = repo(text);
    expect((await rainbow(dir, 'set-image', 'green', 'ghcr.io/acme/shop:latest')).code).toBe(0);
    expect(read(dir)).toContain('    image: ghcr.io/acme/shop:latest   # the canary\n');
  });

  it('says nothing changes when the color already has the image, exit 0', async () => {
    const dir = repo();
    const { code, stderr } = await rainbow(dir, 'set-image', 'blue', 'ghcr.io/acme/shop:2.0.0');
    expect({ code, stderr }).toEqual({ code: 0, stderr: './rainbow.yaml: nothing to change\n' });
    expect(read(dir)).toBe(SPEC);
  });

  it('fails on platform dns, where a color is an endpoint', async () => {
    const dns = `app: shop
platform: dns
dns: { zoneId: Z0123456789ABCDEFGHIJ, name: shop.example.com }
colors:
  - { name: blue, endpoint: blue.example.net, weight: 100 }
`;
    const dir = repo(dns);
    const { code, stderr } = await rainbow(dir, 'set-image', 'blue', 'ghcr.io/acme/shop:1.0.0');
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr:
        'image: received an image on platform dns; expected none: a color on dns is an existing endpoint, not a workload (its endpoint is colors[].endpoint)\n',
    });
  });
});

describe('rainbow set-image on a spec that only policy rules refuse now', () => {
  // Written before images without a fixed version were refused: blue runs :latest, at HEAD too.
  const LATEST = SPEC.replace('image: ghcr.io/acme/shop:2.0.0', 'image: ghcr.io/acme/shop:latest');
  const LATEST_PROBLEM =
    './rainbow.yaml:9:12: colors[0].image: received "ghcr.io/acme/shop:latest" (24 characters), whose tag latest moves with every push: an old color would run a new version after its next restart, so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true';

  it('replaces the refused image, since the result is valid, and plan then compares with HEAD as usual', async () => {
    const dir = repo(LATEST);
    const { code, stdout, stderr } = await rainbow(dir, 'set-image', 'blue', 'ghcr.io/acme/shop:2.0.1');
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'safety against git:HEAD: ok\n' });
    expect(stdout).toContain('blue   ghcr.io/acme/shop:2.0.1  #################### 100%');
    expect(read(dir)).toBe(LATEST.replace('shop:latest', 'shop:2.0.1'));
    expect(await rainbow(dir, 'plan')).toEqual({
      code: 0,
      stdout: [
        'plan: ./rainbow.yaml against git:HEAD',
        '  blue   rolling update (image ghcr.io/acme/shop:latest → ghcr.io/acme/shop:2.0.1)',
        '  green  unchanged',
        '  old    unchanged',
        'safety: ok',
        'deploy phases:',
        '  1. colors: shop-blue',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it("fails with the file's own problem, exit 1, writing nothing, for an edit that leaves it in place", async () => {
    const dir = repo(LATEST);
    for (const args of [
      ['set-image', 'green', 'ghcr.io/acme/shop:2.1.1'],
      ['scale', 'green', '4'],
      // Changes nothing: the file still has its problem.
      ['scale', 'blue', '3'],
    ]) {
      expect(await rainbow(dir, ...args)).toEqual({ code: 1, stdout: '', stderr: `${LATEST_PROBLEM}\n` });
    }
    expect(read(dir)).toBe(LATEST);
  });

  it("fails with the file's own problems for a file with other problems too, even when the edit removes the image's", async () => {
    const dir = repo(LATEST.replace('    weight: 100\n', '    weight: 90\n'));
    const { code, stderr } = await rainbow(dir, 'set-image', 'blue', 'ghcr.io/acme/shop:2.0.1');
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      './rainbow.yaml:7:1: colors: the weights of the colors that are not retired add up to 90 (blue 90 + green 0); expected exactly 100',
      LATEST_PROBLEM,
      '',
    ]);
    expect(read(dir)).toBe(LATEST.replace('    weight: 100\n', '    weight: 90\n'));
  });
});

describe('rainbow scale', () => {
  it("sets a color's replicas in place, keeping every comment", async () => {
    const dir = repo();
    const { code, stdout } = await rainbow(dir, 'scale', 'blue', '5');
    expect(code).toBe(0);
    expect(stdout).toContain('blue   ghcr.io/acme/shop:2.0.0  #################### 100%         5  live');
    expect(read(dir)).toBe(SPEC.replace('replicas: 3', 'replicas: 5'));
  });

  it('adds the replicas to a color that had the default, and to one in flow style', async () => {
    const dir = repo();
    expect((await rainbow(dir, 'scale', 'green', '4')).code).toBe(0);
    expect(read(dir)).toContain(
      '  - name: green\n    image: ghcr.io/acme/shop:2.1.0   # the canary\n    weight: 0\n    replicas: 4\n',
    );
    const flow = repo(
      SPEC.replace(/ {2}- name: green\n.*\n.*\n/, '  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0 }\n'),
    );
    expect((await rainbow(flow, 'scale', 'green', '4')).code).toBe(0);
    expect(read(flow)).toContain('  - { name: green, image: ghcr.io/acme/shop:2.1.0, weight: 0, replicas: 4 }\n');
  });

  it.each([
    [['blue', '10001'], 'replicas: received 10001; expected a whole number from 0 to 10000'],
    [['blue', '-1'], 'replicas: received -1; expected a whole number from 0 to 10000'],
    [['blue', 'two'], 'replicas: received "two"; expected a whole number from 0 to 10000'],
    [['old', '3'], 'color: old is retired; expected a color that is not'],
    [['nope', '3'], 'color: received "nope"; expected one of the colors in the spec: blue, green, old'],
  ])('fails for %p with the bounds of the spec field, exit 1, writing nothing', async (args, message) => {
    const dir = repo();
    const { code, stderr } = await rainbow(dir, 'scale', ...args);
    expect({ code, stderr }).toEqual({ code: 1, stderr: `${message}\n` });
    expect(read(dir)).toBe(SPEC);
  });

  it('fails for a color that autoscales: its replicas come from autoscaling.min', async () => {
    const dir = repo(SPEC.replace('    replicas: 3\n', '    autoscaling: { min: 2, max: 6 }\n'));
    const { code, stderr } = await rainbow(dir, 'scale', 'blue', '4');
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr:
        'replicas: received 4 together with autoscaling; expected one of them: with autoscaling, the replicas come from autoscaling.min\n',
    });
  });

  it('fails to leave a color that takes traffic with no pods, as the spec does', async () => {
    const dir = repo();
    const { code, stderr } = await rainbow(dir, 'scale', 'blue', '0');
    expect(code).toBe(1);
    expect(stderr).toBe(
      './rainbow.yaml: the change would make the spec invalid; nothing written:\n' +
        'colors[0].replicas: received 0 with weight 100; expected at least 1 replica for a color that receives traffic\n',
    );
    expect(read(dir)).toBe(SPEC);
  });

  it('scales a color at weight 0 to nothing', async () => {
    const dir = repo();
    expect((await rainbow(dir, 'scale', 'green', '0')).code).toBe(0);
    expect(read(dir)).toContain('    weight: 0\n    replicas: 0\n');
  });
});
