import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployPhases, DeployOptions } from '../../engine/deploy';
import { InstanceRefreshRequest, RefreshResult } from '../../engine/ec2-refresh';
import { RunningProcess, startProcess } from '../../engine/process';
import { planChange } from '../../planning/plan';
import { rawEc2Spec } from '../fixtures/ec2';
import { resolvedSpec } from '../helpers';

/** A cdktf stand-in run in-process: records the arguments, and writes the outputs file cdktf would. */
function fakeCdktf(outputs: Record<string, unknown>, calls: string[][]): DeployOptions['start'] {
  return (args) => {
    calls.push([...args]);
    const file = args.indexOf('--outputs-file');
    if (file >= 0) writeFileSync(args[file + 1], JSON.stringify(outputs));
    return {
      pid: undefined,
      signalGroup: () => {},
      result: Promise.resolve({ code: 0, signal: null, timedOut: false, aborted: false, output: Buffer.alloc(0) }),
    } satisfies RunningProcess;
  };
}

const OUTPUTS = {
  'shop-red': {
    auto_scaling_group_name: 'shop-red',
    launch_template_id: 'lt-0123456789abcdef0',
    launch_template_version: '7',
  },
  'shop-orange': {
    auto_scaling_group_name: 'shop-orange',
    launch_template_id: 'lt-0fedcba9876543210',
    launch_template_version: '3',
  },
};

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('deployPhases on ec2', () => {
  const raw = rawEc2Spec();
  const spec = resolvedSpec(raw);
  const phases = planChange(undefined, spec).phases;

  it("asks cdktf for the stack outputs and rolls each ec2 color to its template's latest version with an instance refresh", async () => {
    const calls: string[][] = [];
    const requests: InstanceRefreshRequest[] = [];
    const { out, err, io: sink } = io();
    const result = await deployPhases(sink, phases, spec, {
      specFile: 'rainbow.yaml',
      parallelism: 1,
      env: { HOME: mkdtempSync(join(tmpdir(), 'rainbow-home-')) },
      start: fakeCdktf(OUTPUTS, calls),
      refresh: async (request, options) => {
        requests.push(request);
        options.onProgress(`${request.groupName}: instance refresh r-1 Successful, 100% done`);
        return { outcome: 'succeeded', refreshId: 'r-1', unchanged: false };
      },
    });
    expect(err).toEqual([]);
    expect(result.outcome).toBe('deployed');
    expect(calls[0]).toContain('--outputs-file');
    expect(requests.map((r) => [r.groupName, r.launchTemplateId, r.launchTemplateVersion])).toEqual([
      ['shop-red', 'lt-0123456789abcdef0', '7'],
      ['shop-orange', 'lt-0fedcba9876543210', '3'],
    ]);
    expect(out).toContain('  shop-red: instance refresh r-1 Successful, 100% done');
  });

  it('fails the phase, running no later one, when a refresh rolls back, and says why', async () => {
    const calls: string[][] = [];
    const { err, io: sink } = io();
    const rolledBack: RefreshResult = {
      outcome: 'rolled-back',
      refreshId: 'r-2',
      reason: 'rolled back to the previous launch template version: alarm shop-5xx fired',
    };
    const result = await deployPhases(sink, phases, spec, {
      specFile: 'rainbow.yaml',
      parallelism: 1,
      env: { HOME: mkdtempSync(join(tmpdir(), 'rainbow-home-')) },
      start: fakeCdktf(OUTPUTS, calls),
      refresh: async (request) =>
        request.groupName === 'shop-red' ? rolledBack : { outcome: 'succeeded', unchanged: true },
    });
    expect(result.outcome).toBe('failed');
    expect(calls).toHaveLength(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^phase 1\/2 \(colors\) failed after [\d.]+ s \(instance refresh of shop-red rolled back: rolled back to the previous launch template version: alarm shop-5xx fired\); 1 later phase not run$/,
    );
  });

  it('refreshes nothing when cdktf wrote no outputs for the stack, and says what to do', async () => {
    const { err, io: sink } = io();
    const result = await deployPhases(sink, phases, spec, {
      specFile: 'rainbow.yaml',
      parallelism: 1,
      env: { HOME: mkdtempSync(join(tmpdir(), 'rainbow-home-')) },
      start: fakeCdktf({}, []),
      refresh: async () => {
        throw new Error('not called');
      },
    });
    expect(result.outcome).toBe('failed');
    expect(err[0]).toContain(
      'shop-red: the stack shop-red has no output auto_scaling_group_name; deploy it with this version of cdktf-rainbow',
    );
  });
});

describe('deployPhases, stopping', () => {
  it('asks the cdktf in flight to stop with SIGINT to its process group, and runs no later call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-stop-'));
    const script = join(dir, 'cdktf');
    writeFileSync(
      script,
      `#!/bin/sh\ntrap 'echo SIGINT > "${dir}/got"; exit 130' INT\necho started > "${dir}/started"\nsleep 30 &\nwait $!\n`,
    );
    chmodSync(script, 0o755);
    const spec = resolvedSpec();
    const phases = planChange(undefined, spec).phases;
    const stop = new AbortController();
    const { err, io: sink } = io();
    const running = deployPhases(sink, phases, spec, {
      specFile: 'rainbow.yaml',
      parallelism: 1,
      env: { PATH: process.env.PATH, HOME: dir },
      stop: stop.signal,
      start: (args, env) => startProcess(script, args, { env, stdio: 'capture', killGroupOnExit: false }),
    });
    while (!existsSync(join(dir, 'started'))) await new Promise((done) => setTimeout(done, 10));
    stop.abort();
    const result = await running;
    expect(result.outcome).toBe('stopped');
    expect(readFileSync(join(dir, 'got'), 'utf8')).toBe('SIGINT\n');
    expect(err[0]).toMatch(
      /^phase 1\/2 \(colors\) stopped after [\d.]+ s \(cdktf exited with 130\); 1 later phase not run$/,
    );
  });
});
