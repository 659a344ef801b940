import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { expireCommand } from '../../cli/commands/expire';
import { releaseCommand } from '../../cli/commands/release';

const ROOT = resolve(__dirname, '..', '..');

const SPEC = `app: shop
platform: dns
dns:
  zoneId: Z0123456789ABCDEFGHIJ
  name: shop.example.com
progression:
  steps: [25, 50, 100]
  bakeSeconds: 0
colors:
  - name: blue
    endpoint: k8s-old-1234.elb.eu-west-1.amazonaws.com
    weight: 100
  - name: green
    endpoint: k8s-new-5678.elb.eu-west-1.amazonaws.com
    weight: 0
  - name: purple
    endpoint: k8s-older-0042.elb.eu-west-1.amazonaws.com
    weight: 0
    expires: 2026-01-01
`;

/** A git repository holding the deployed dns spec, a cdktf.json and the stand-in cdktf on PATH. */
function dnsProject() {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-release-dns-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  copyFileSync(join(ROOT, 'test', 'fixtures', 'fake-cdktf.sh'), join(bin, 'cdktf'));
  chmodSync(join(bin, 'cdktf'), 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    HOME: bin,
    FAKE_CDKTF_LOG: join(bin, 'calls.log'),
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  writeFileSync(join(dir, 'rainbow.yaml'), SPEC);
  writeFileSync(join(dir, 'cdktf.json'), '{}\n');
  writeFileSync(join(dir, '.gitignore'), 'bin/\n.rainbow.yaml.release.json\n');
  for (const args of [
    ['init', '-q'],
    ['add', '.'],
    ['commit', '-qm', 'deployed'],
  ])
    execFileSync('git', args, { cwd: dir, env });
  const calls = () =>
    existsSync(env.FAKE_CDKTF_LOG!)
      ? readFileSync(env.FAKE_CDKTF_LOG!, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).args)
      : [];
  const weights = () =>
    Object.fromEntries(
      (parse(readFileSync(join(dir, 'rainbow.yaml'), 'utf8')).colors as Array<{ name: string; weight: number }>).map(
        (c) => [c.name, c.weight],
      ),
    );
  return { dir, env, calls, weights };
}

async function inDir<T>(dir: string, run: () => Promise<T> | T): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return await run();
  } finally {
    process.chdir(before);
  }
}

describe('rainbow release and expire on platform dns', () => {
  it('moves an endpoint color through every step, deploying the router (the weighted records) at each', async () => {
    const p = dnsProject();
    const out: string[] = [];
    const err: string[] = [];
    const code = await inDir(p.dir, () =>
      releaseCommand(
        { out: (l) => out.push(l), err: (l) => err.push(l) },
        'rainbow.yaml',
        'green',
        { yes: true, commit: true },
        {
          clock: { now: () => 0, sleep: async () => {} },
          onInterrupt: () => () => {},
          env: p.env,
        },
      ),
    );
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(p.calls()).toEqual(Array(3).fill(['deploy', 'shop-router', '--auto-approve']));
    expect(p.weights()).toEqual({ blue: 0, green: 100, purple: 0 });
    expect(out[out.length - 1]).toBe('release: green promoted to 100%');
  });

  it('retires an expired endpoint color at weight 0, as on every platform', async () => {
    const p = dnsProject();
    const out: string[] = [];
    const code = await inDir(p.dir, () =>
      expireCommand({ out: (l) => out.push(l), err: (l) => out.push(l) }, 'rainbow.yaml', '2026-06-01'),
    );
    expect(code).toBe(0);
    expect(out).toContain('retired purple: it expired at 2026-01-01');
    expect(parse(readFileSync(join(p.dir, 'rainbow.yaml'), 'utf8')).colors[2].state).toBe('retired');
  });
});
