import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { rainbowInProcess } from '../fixtures/in-process';

const EXAMPLE = resolve(__dirname, '..', '..', 'examples', 'dns-cluster-upgrade', 'rainbow.yaml');

/** A copy of the dns example in a folder of its own. */
function dnsProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-add-dns-'));
  copyFileSync(EXAMPLE, join(dir, 'rainbow.yaml'));
  return dir;
}

const colors = (dir: string) =>
  parse(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).colors as Array<Record<string, unknown>>;

describe('rainbow add on platform dns', () => {
  it('adds an alias endpoint at weight 0 with --endpoint and --alias-zone, and the spec stays valid', async () => {
    const dir = dnsProject();
    const { code, stderr } = await rainbowInProcess(dir, [
      'add',
      'teal',
      '--endpoint',
      'dualstack.k8s-next-9012.elb.eu-west-1.amazonaws.com',
      '--alias-zone',
      'Z32O12XQLNTSW2',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(colors(dir).at(-1)).toEqual({
      name: 'teal',
      endpoint: { alias: { name: 'dualstack.k8s-next-9012.elb.eu-west-1.amazonaws.com', zoneId: 'Z32O12XQLNTSW2' } },
      weight: 0,
    });
    expect((await rainbowInProcess(dir, ['validate'])).code).toBe(0);
  });

  it('refuses --image, and says what to give instead, writing nothing', async () => {
    const dir = dnsProject();
    const before = readFileSync(join(dir, 'rainbow.yaml'), 'utf8');
    const { code, stderr } = await rainbowInProcess(dir, ['add', 'teal', '--image', 'ghcr.io/acme/shop:3.0.0']);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr:
        '--image: received an image on platform dns; expected --endpoint <host> instead: a color on dns is an existing endpoint, not a workload\n',
    });
    expect(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).toBe(before);
  });

  it('refuses an add without --endpoint on dns, and without --image elsewhere', async () => {
    const dir = dnsProject();
    expect((await rainbowInProcess(dir, ['add', 'teal'])).stderr).toBe(
      "--endpoint: received no --endpoint; expected the color's endpoint on platform dns: --endpoint <hostname>, or --endpoint <name> --alias-zone <hosted zone id> for an alias\n",
    );
    const k8s = mkdtempSync(join(tmpdir(), 'rainbow-add-k8s-'));
    copyFileSync(
      resolve(__dirname, '..', '..', 'examples', 'kubernetes-gateway', 'rainbow.yaml'),
      join(k8s, 'rainbow.yaml'),
    );
    expect((await rainbowInProcess(k8s, ['add', 'teal'])).stderr).toBe(
      "--image: received no --image; expected the color's image (the AMI on ec2)\n",
    );
    expect((await rainbowInProcess(k8s, ['add', 'teal', '--endpoint', 'a.example.com'])).stderr).toBe(
      '--endpoint: received --endpoint on platform kubernetes; expected --image: only a color on platform dns is an endpoint\n',
    );
  });
});

describe('rainbow preview on platform dns', () => {
  it("estimates each step as the TTL after the router's deploy: nothing rolls", async () => {
    const dir = dnsProject();
    const text = readFileSync(join(dir, 'rainbow.yaml'), 'utf8');
    writeFileSync(join(dir, 'previous.yaml'), text);
    writeFileSync(
      join(dir, 'rainbow.yaml'),
      text.replace('weight: 90', 'weight: 75').replace(/weight: 10$/m, 'weight: 25'),
    );
    const { code, stdout } = await rainbowInProcess(dir, ['preview', '--from', 'previous.yaml']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^estimate: about 1 min a router step \(dns: nothing rolls .*resolvers keep the previous weights up to the TTL, 60 s/m,
    );
  });
});
