import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { previewCommand } from '../../cli/commands/preview';
import { EC2_LISTENER } from '../fixtures/ec2';
import { smallDisks } from '../fixtures/full-disk';
import { rainbowInProcess } from '../fixtures/in-process';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const FORBID_CDKTF = join(ROOT, 'test', 'fixtures', 'forbid-cdktf.js');
const disks = smallDisks();
const onSmallDisk = disks === undefined ? it.skip : it;

/** Red serves everything; orange waits at 0 with its release candidate. */
const PREVIOUS = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
rollingUpdate: { minReadySeconds: 10 }
colors:
  - { name: red, image: ghcr.io/acme/shop:1.4.0, weight: 100, replicas: 3 }
  - { name: orange, image: ghcr.io/acme/shop:1.5.0-rc.2, weight: 0, replicas: 2 }
`;

/** Orange's release rolls, then takes 10%. */
const CURRENT = PREVIOUS.replace('1.5.0-rc.2, weight: 0', '1.5.0, weight: 10').replace('weight: 100', 'weight: 90');

/** Two Auto Scaling groups behind the ALB, each of its own size, with an alarm on the refreshes. */
const EC2_PREVIOUS = `app: shop
platform: ec2
ec2:
  region: eu-west-1
  vpcId: vpc-0abc1234
  subnetIds: [subnet-0a1b2c3d, subnet-0e4f5a6b]
  securityGroupIds: [sg-0123abcd]
  listenerArn: ${EC2_LISTENER}
  host: shop.example.com
  rulePriority: 200
  instanceType: t3.small
  alarms: [shop-5xx]
rollingUpdate: { maxSurge: 50%, maxUnavailable: 0, minReadySeconds: 60 }
healthCheck: { periodSeconds: 10, startupSeconds: 120 }
drainSeconds: 60
colors:
  - { name: red, image: ami-0123456789abcdef0, weight: 30, replicas: 4 }
  - { name: orange, image: ami-0fedcba9876543210, weight: 70, replicas: 3 }
`;

/** A larger instance type for both: new launch template versions, so an instance refresh of each group. */
const EC2_CURRENT = EC2_PREVIOUS.replace(/replicas: (\d) \}/g, 'replicas: $1, instanceType: t3.medium }');

function workdir(current = CURRENT, previous = PREVIOUS): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-preview-'));
  writeFileSync(join(dir, 'previous.yaml'), previous);
  writeFileSync(join(dir, 'rainbow.yaml'), current);
  return dir;
}

describe('rainbow preview', () => {
  it("prints the timeline plain in a pipe: per phase and step, each color's pods and traffic, then the lowest capacity and the verdict", async () => {
    const { code, stdout, stderr } = await rainbowInProcess(workdir(), ['preview', '--from', 'previous.yaml']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')).toEqual([
      'preview: ./rainbow.yaml against previous.yaml',
      'rolling update: maxSurge 25%, maxUnavailable 0 (Kubernetes rounds a percent surge up and a percent unavailable down)',
      "estimate: about 40 s a step (minReadySeconds 10 + periodSeconds 10 × failureThreshold 3); 1 min 20 s in all, not counting migrations and the router's own apply: estimated, not measured",
      'per color: pods ready of replicas (+ starting above them; how many ready ones are new while both versions run), and its share of the traffic',
      '                 red                 orange',
      'before           3/3           100%  2/2             0%',
      '1. colors: shop-orange',
      '   0:00  step 1  3/3           100%  2/2 +1 0 new    0%',
      '   0:40  step 2  3/3           100%  2/2 +1 1 new    0%',
      '2. router: shop-router',
      '   1:20  step 1  3/3            90%  2/2            10%',
      'after            3/3            90%  2/2            10%',
      'lowest share of the serving capacity while it gets traffic (limit: 2 × that share): red 60% (3 of 3 pods, phase 2 step 1), orange 40% (2 of 2 pods, phase 2 step 1)',
      'safety: ok',
      '',
    ]);
  });

  it('colors the timeline like status on a terminal', () => {
    const dir = workdir();
    const out: string[] = [];
    const code = previewCommand({ out: (l) => out.push(l), err: () => undefined }, join(dir, 'rainbow.yaml'), {
      from: join(dir, 'previous.yaml'),
      color: true,
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('\u001b[31mred');
    expect(out.join('\n')).toContain('\u001b[1m1. colors: shop-orange\u001b[0m');
    expect(out.join('\n')).toContain('safety: \u001b[32mok\u001b[0m');
  });

  it('prints the same data as JSON with --json: phases, steps, and per color its replicas, pods, traffic and capacity', async () => {
    const { code, stdout } = await rainbowInProcess(workdir(), ['preview', '--from', 'previous.yaml', '--json']);
    expect(code).toBe(0);
    const preview = JSON.parse(stdout);
    expect(preview).toMatchObject({
      version: 1,
      spec: './rainbow.yaml',
      from: 'previous.yaml',
      firstDeploy: false,
      platform: 'kubernetes',
      unit: { one: 'pod', many: 'pods', rollout: 'rolling update' },
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '0' },
      maxLoadFactor: 2,
      estimate: {
        stepSeconds: 40,
        createSeconds: 40,
        removeSeconds: 40,
        totalSeconds: 80,
        basis: 'minReadySeconds 10 + periodSeconds 10 × failureThreshold 3',
      },
      verdict: 'ok',
      violations: [],
    });
    expect(preview.estimate.note).toContain('not measured');
    expect(preview.colors).toEqual([
      {
        color: 'red',
        change: 'unchanged',
        rollout: 'none',
        maxSurgePods: null,
        maxUnavailablePods: null,
        refresh: null,
        lowest: { capacityPercent: 60, ready: 3, replicas: 3, phase: 2, step: 1 },
      },
      {
        color: 'orange',
        change: 'updated',
        rollout: 'rolling update',
        maxSurgePods: 1,
        maxUnavailablePods: 0,
        refresh: null,
        lowest: { capacityPercent: 40, ready: 2, replicas: 2, phase: 2, step: 1 },
      },
    ]);
    expect(preview.phases.map((p: any) => [p.title, p.stacks, p.startSeconds, p.endSeconds, p.steps.length])).toEqual([
      ['colors', ['shop-orange'], 0, 80, 2],
      ['router', ['shop-router'], 80, 80, 1],
    ]);
    expect(preview.phases[0].steps[0]).toEqual({
      step: 1,
      startSeconds: 0,
      seconds: 40,
      colors: [
        {
          color: 'red',
          replicas: 3,
          old: 0,
          new: 3,
          ready: 3,
          running: 3,
          surge: 0,
          unavailable: 0,
          trafficPercent: 100,
          capacityPercent: 100,
        },
        {
          color: 'orange',
          replicas: 2,
          old: 2,
          new: 1,
          ready: 2,
          running: 3,
          surge: 1,
          unavailable: 0,
          trafficPercent: 0,
          capacityPercent: 40,
        },
      ],
    });
    expect(preview.before.map((c: any) => [c.color, c.ready, c.trafficPercent])).toEqual([
      ['red', 3, 100],
      ['orange', 2, 0],
    ]);
    expect(
      preview.after.map((c: any) => [c.color, c.old, c.new, c.ready, c.trafficPercent, c.capacityPercent]),
    ).toEqual([
      ['red', 0, 3, 3, 90, 60],
      ['orange', 0, 2, 2, 10, 40],
    ]);
  });

  it("previews ec2 as an instance refresh of each color: instances, and each group's healthy percents, warm-up and rollback", async () => {
    const { code, stdout, stderr } = await rainbowInProcess(workdir(EC2_CURRENT, EC2_PREVIOUS), [
      'preview',
      '--from',
      'previous.yaml',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')).toEqual([
      'preview: ./rainbow.yaml against previous.yaml',
      "rolling update: maxSurge 50%, maxUnavailable 0, as an instance refresh of each color's Auto Scaling group (healthy percents that give the same instance counts: surge rounded up, unavailable down)",
      'instance refresh of red (4 instances): minHealthyPercentage 100, maxHealthyPercentage 150, warm-up 60 s, no checkpoints, auto rollback on a failed refresh or alarm shop-5xx',
      'instance refresh of orange (3 instances): minHealthyPercentage 100, maxHealthyPercentage 167, warm-up 60 s, no checkpoints, auto rollback on a failed refresh or alarm shop-5xx',
      "estimate: about 9 min 20 s a step (instance refresh, no checkpoints: instance start 300 + grace 120 + 2 × periodSeconds 10 + warm-up 60 (minReadySeconds), then drain 60); 18 min 40 s in all, not counting migrations and the router's own apply: estimated, not measured",
      'per color: instances ready of replicas (+ starting above them; how many ready ones are new while both versions run), and its share of the traffic',
      '                 red                 orange',
      'before           4/4            30%  3/3            70%',
      '1. colors: shop-red shop-orange',
      '   0:00  step 1  4/4 +2 0 new   30%  3/3 +2 0 new   70%',
      '   9:20  step 2  4/4 +2 2 new   30%  3/3 +1 2 new   70%',
      'after            4/4            30%  3/3            70%',
      'lowest share of the serving capacity while it gets traffic (limit: 2 × that share): red 57.1% (4 of 4 instances, phase 1 step 1), orange 42.9% (3 of 3 instances, phase 1 step 1)',
      'safety: ok',
      '',
    ]);
  });

  it("gives the unit and each refreshing color's refresh preferences in --json on ec2, and null for a color that does not refresh", async () => {
    const current = EC2_CURRENT.replace('weight: 70, replicas: 3, instanceType: t3.medium', 'weight: 70, replicas: 3');
    const { code, stdout } = await rainbowInProcess(workdir(current, EC2_PREVIOUS), [
      'preview',
      '--from',
      'previous.yaml',
      '--json',
    ]);
    expect(code).toBe(0);
    const preview = JSON.parse(stdout);
    expect(preview.unit).toEqual({ one: 'instance', many: 'instances', rollout: 'instance refresh' });
    expect(preview.colors.map((c: any) => [c.color, c.rollout, c.refresh])).toEqual([
      [
        'red',
        'rolling update',
        { minHealthyPercentage: 100, maxHealthyPercentage: 150, instanceWarmupSeconds: 60, alarms: ['shop-5xx'] },
      ],
      ['orange', 'none', null],
    ]);
  });

  it("draws ec2 in instances, with each refreshing group's healthy percents under its name", async () => {
    const dir = workdir(EC2_CURRENT, EC2_PREVIOUS);
    const { code } = await rainbowInProcess(dir, ['preview', '--from', 'previous.yaml', '--svg', 'p.svg']);
    expect(code).toBe(0);
    const svg = readFileSync(join(dir, 'p.svg'), 'utf8');
    expect(svg).toContain(
      '>ec2 instance refresh, maxSurge 50%, maxUnavailable 0, warm-up 60 s, no checkpoints, maxLoadFactor 2; safety: ok</text>',
    );
    expect(svg).toMatch(/>red<\/text>\n<text [^>]+>instance refresh<\/text>\n<text [^>]+>healthy 100-150%<\/text>/);
    expect(svg).toContain('>healthy 100-167%</text>');
    expect(svg).toContain('>lowest 57.1% (4 of 4 instances)</text>');
    expect(svg).toContain('>instances starting</text>');
    expect(svg).toContain(
      '>under capacity: traffic beyond 2 × capacity share, and more per instance than before</text>',
    );
    expect(svg).toContain('>numbers under a lane: instances ready/replicas (+ starting above replicas)</text>');
    expect(svg).not.toMatch(/\bpods?\b|\btasks?\b/);
  });

  it("previews dns as the router's weights alone: no rolling policy, no counts, no capacity", async () => {
    const previous = readFileSync(join(ROOT, 'examples', 'dns-cluster-upgrade', 'rainbow.yaml'), 'utf8');
    const current = previous.replace('weight: 90', 'weight: 75').replace(/weight: 10$/m, 'weight: 25');
    const dir = workdir(current, previous);
    const { code, stdout } = await rainbowInProcess(dir, ['preview', '--from', 'previous.yaml', '--svg', 'p.svg']);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'preview: ./rainbow.yaml against previous.yaml',
      "rolling update: none on dns: each color is an endpoint that exists, and only the router's weights change",
      expect.stringMatching(/^estimate: about 1 min a router step \(dns: nothing rolls /),
      'per color: its share of the traffic (an endpoint has no replicas that rainbow counts: -)',
      '                 blue        green',
      'before           -      90%  -      10%',
      '1. router: shop-router',
      '   0:00  step 1  -      75%  -      25%',
      'after            -      75%  -      25%',
      'safety: ok',
      '',
    ]);
    const svg = readFileSync(join(dir, 'p.svg'), 'utf8');
    expect(svg).toContain('>ESTIMATE, not a measurement: about 1 min a router step, 1 min in all;');
    expect(svg).toContain('>dns, nothing rolls, maxLoadFactor 2; safety: ok</text>');
    expect(svg).not.toContain('lowest');
    expect(svg).not.toContain('>serving capacity, new');
  });

  it('shows an unsafe change and its rules, but only shows: exit 0 (plan and apply refuse it)', async () => {
    const current = CURRENT.replace('weight: 90, replicas: 3', 'weight: 40, replicas: 3').replace(
      '1.5.0, weight: 10, replicas: 2',
      '1.5.0, weight: 60, replicas: 1',
    );
    const { code, stdout } = await rainbowInProcess(workdir(current), ['preview', '--from', 'previous.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('safety: UNSAFE, 3 rules broken: plan and apply refuse this change\n');
    expect(stdout).toContain(
      '  [under-capacity] orange gets 60% of the traffic with 25% of the serving capacity after the change: more than progression.maxLoadFactor 2 × 25% = 50%; scale orange up first (replicas 1 → at least 2), or take a smaller step (at most 50% of the traffic with this capacity)\n',
    );
    const json = JSON.parse(
      (await rainbowInProcess(workdir(current), ['preview', '--from', 'previous.yaml', '--json'])).stdout,
    );
    expect(json.verdict).toBe('unsafe');
    expect(json.violations.map((v: any) => v.rule)).toEqual(['step-too-large', 'step-too-large', 'under-capacity']);
  });

  it('previews a first deploy when the spec is not in git yet', async () => {
    const dir = workdir();
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const { code, stdout } = await rainbowInProcess(dir, ['preview']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('preview: ./rainbow.yaml against git:HEAD (none there: a first deploy)');
    expect(stdout).toContain('1. colors: shop-red shop-orange\n');
  });

  it('keeps the first and last 8 steps of a long rollout in the text, and every step in the JSON', async () => {
    const many = (text: string) =>
      text
        .replace('weight: 100, replicas: 3', 'weight: 100, replicas: 30')
        .replace('weight: 90, replicas: 3', 'weight: 90, replicas: 30')
        .replace('rollingUpdate: { minReadySeconds: 10 }', 'rollingUpdate: { minReadySeconds: 10, maxSurge: 1 }');
    const current = many(CURRENT).replace('shop:1.4.0', 'shop:1.4.1');
    const dir = workdir(current, many(PREVIOUS));
    const { stdout } = await rainbowInProcess(dir, ['preview', '--from', 'previous.yaml']);
    const lines = stdout.split('\n');
    expect(lines.filter((l) => / step \d+ /.test(l))).toHaveLength(8 + 8 + 1);
    expect(lines).toContain('  ... 14 more steps (preview --json lists every one)');
    expect(lines.some((l) => l.startsWith('  19:20  step 30  '))).toBe(true);
    const json = JSON.parse((await rainbowInProcess(dir, ['preview', '--from', 'previous.yaml', '--json'])).stdout);
    expect(json.phases[0].steps).toHaveLength(30);
  });

  it('says there is nothing to deploy when nothing changed', async () => {
    const { code, stdout } = await rainbowInProcess(workdir(PREVIOUS), ['preview', '--from', 'previous.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('\ndeploy: nothing to deploy\n');
  });

  it('draws the preview into an SVG file with --svg, and still prints the timeline', async () => {
    const dir = workdir();
    const { code, stdout } = await rainbowInProcess(dir, [
      'preview',
      '--from',
      'previous.yaml',
      '--svg',
      'preview.svg',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('safety: ok');
    const svg = readFileSync(join(dir, 'preview.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>\n')).toBe(true);
    expect(svg).toContain('ESTIMATE, not a measurement: about 40 s a step');
    expect(svg).toContain('>lowest 40% (2 of 2 pods)</text>');
    expect(svg).toContain('>1. colors</text>');
    expect(readdirSync(dir).sort()).toEqual(['preview.svg', 'previous.yaml', 'rainbow.yaml']);
  });

  it('escapes what it draws from the command line and the spec', async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'a&b<c>.yaml'), CURRENT);
    const { code } = await rainbowInProcess(dir, [
      'preview',
      '--spec',
      'a&b<c>.yaml',
      '--from',
      'previous.yaml',
      '--svg',
      'p.svg',
    ]);
    expect(code).toBe(0);
    const svg = readFileSync(join(dir, 'p.svg'), 'utf8');
    expect(svg).toContain('deploying a&amp;b&lt;c&gt;.yaml after previous.yaml');
    expect(svg).not.toContain('a&b');
  });

  it('fails with exit 1 and writes nothing when the picture cannot be written', async () => {
    const dir = workdir();
    const { code, stdout, stderr } = await rainbowInProcess(dir, [
      'preview',
      '--from',
      'previous.yaml',
      '--svg',
      join('missing', 'p.svg'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `${join('missing', 'p.svg')}: could not be written: no such file or directory (ENOENT); nothing else changed\n`,
    );
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  onSmallDisk(
    'fails with exit 1 when the disk fills up, keeping the old picture and no part of the new one',
    async () => {
      const dir = workdir();
      // One page for the old picture and one more: the new one (over 4 KiB) fits only in part.
      const disk = disks!.mount(8);
      const svg = join(disk, 'preview.svg');
      writeFileSync(svg, '<svg>old</svg>\n');
      const { code, stdout, stderr } = await rainbowInProcess(dir, [
        'preview',
        '--from',
        'previous.yaml',
        '--svg',
        svg,
      ]);
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: `${svg}: could not be written: no space left on device (ENOSPC); nothing else changed\n`,
      });
      expect(readFileSync(svg, 'utf8')).toBe('<svg>old</svg>\n');
      expect(readdirSync(disk)).toEqual(['preview.svg']);
    },
  );

  it('fails with exit 1 on an invalid spec, naming the problem', async () => {
    const { code, stderr } = await rainbowInProcess(workdir(CURRENT.replace('weight: 90', 'weight: 95')), [
      'preview',
      '--from',
      'previous.yaml',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('colors: the weights of the colors that are not retired add up to 105');
  });

  it('draws the README picture from the example exactly as the committed docs/images/preview.svg', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'rainbow-preview-readme-')), 'preview.svg');
    const { code } = await rainbowInProcess(ROOT, [
      'preview',
      '--spec',
      'examples/kubernetes-gateway/rainbow.yaml',
      '--from',
      'docs/images/preview-previous.yaml',
      '--svg',
      out,
    ]);
    expect(code).toBe(0);
    // If this fails after an intended change, run the command in docs/images/preview-previous.yaml's first lines and
    // look at the picture.
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'docs', 'images', 'preview.svg'), 'utf8'));
  });

  it('loads neither cdktf nor a provider', () => {
    const dir = workdir();
    const r = spawnSync(
      process.execPath,
      ['-r', FORBID_CDKTF, CLI, 'preview', '--from', 'previous.yaml', '--svg', 'p.svg'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
