import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  InstanceRefresh,
  RollbackInstanceRefreshCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ec2RefreshRequest,
  InstanceRefreshRequest,
  loadAutoScaling,
  readRefreshOutputs,
  refreshInstances,
  RefreshClock,
  refreshStackName,
} from '../../engine/ec2-refresh';
import { resolvedSpec } from '../spec-helpers';
import { rawEc2Spec } from '../fixtures/ec2';

const asg = mockClient(AutoScalingClient);
const client = new AutoScalingClient({ region: 'eu-west-1' });

const REQUEST: InstanceRefreshRequest = {
  region: 'eu-west-1',
  groupName: 'shop-red',
  launchTemplateId: 'lt-0123456789abcdef0',
  launchTemplateVersion: '4',
  preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 150, instanceWarmupSeconds: 60 },
  timeoutSeconds: 3600,
  pollIntervalSeconds: 15,
};

const template = (version: string) => ({
  LaunchTemplateId: 'lt-0123456789abcdef0',
  LaunchTemplateName: 'shop-red',
  Version: version,
});
const group = (version: string, instances: string[]) => ({
  AutoScalingGroups: [
    {
      AutoScalingGroupName: 'shop-red',
      MinSize: 2,
      MaxSize: 3,
      DesiredCapacity: 2,
      DefaultCooldown: 300,
      AvailabilityZones: ['eu-west-1a'],
      HealthCheckType: 'ELB',
      CreatedTime: new Date(0),
      LaunchTemplate: template(version),
      Instances: instances.map((v, i) => ({
        InstanceId: `i-0${i}`,
        AvailabilityZone: 'eu-west-1a',
        LifecycleState: 'InService' as const,
        HealthStatus: 'Healthy',
        ProtectedFromScaleIn: false,
        LaunchTemplate: template(v),
      })),
    },
  ],
});
const refresh = (status: InstanceRefresh['Status'], extra: Partial<InstanceRefresh> = {}): InstanceRefresh => ({
  InstanceRefreshId: 'ir-1',
  AutoScalingGroupName: 'shop-red',
  Status: status,
  DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '4' } },
  ...extra,
});

/** A clock that moves only when the engine sleeps. */
function fakeClock(): RefreshClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** Answers DescribeInstanceRefreshes by id with each of `states` in turn, the last one from then on. */
function pollAnswers(...states: InstanceRefresh[]) {
  let call = 0;
  asg
    .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', InstanceRefreshIds: ['ir-1'] })
    .callsFake(() => ({ InstanceRefreshes: [states[Math.min(call++, states.length - 1)]] }));
}

async function run(request: Partial<InstanceRefreshRequest> = {}, signal?: AbortSignal) {
  const lines: string[] = [];
  const clock = fakeClock();
  const result = await refreshInstances(
    { ...REQUEST, ...request },
    { client, clock, onProgress: (l) => lines.push(l), signal },
  );
  return { result, lines, clock };
}

beforeEach(() => {
  asg.reset();
  asg.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: ['shop-red'] }).resolves(group('3', ['3', '3']));
  asg
    .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', MaxRecords: 1 })
    .resolves({ InstanceRefreshes: [] });
  asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
  asg.on(RollbackInstanceRefreshCommand).resolves({ InstanceRefreshId: 'ir-1' });
});

describe('refreshInstances', () => {
  it('starts a rolling refresh to the launch template version as its desired configuration, rolling back on failure, and follows it to Successful', async () => {
    pollAnswers(
      refresh('Pending'),
      refresh('InProgress', { PercentageComplete: 0, InstancesToUpdate: 2 }),
      refresh('InProgress', { PercentageComplete: 0, InstancesToUpdate: 2 }),
      refresh('InProgress', { PercentageComplete: 50, InstancesToUpdate: 1 }),
      refresh('Successful', { PercentageComplete: 100, InstancesToUpdate: 0 }),
    );
    const { result, lines, clock } = await run({ preferences: { ...REQUEST.preferences, alarms: ['shop-5xx'] } });
    expect(result).toEqual({ outcome: 'succeeded', refreshId: 'ir-1', unchanged: false });
    expect(asg.commandCalls(StartInstanceRefreshCommand).map((c) => c.args[0].input)).toEqual([
      {
        AutoScalingGroupName: 'shop-red',
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '4' } },
        Preferences: {
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 150,
          InstanceWarmup: 60,
          SkipMatching: true,
          AutoRollback: true,
          AlarmSpecification: { Alarms: ['shop-5xx'] },
        },
      },
    ]);
    expect(lines).toEqual([
      'shop-red: instance refresh ir-1 started, to lt-0123456789abcdef0 version 4 (healthy 100% to 150%, warm-up 60 s, alarms shop-5xx; rolls back on failure)',
      'shop-red: instance refresh ir-1 Pending',
      'shop-red: instance refresh ir-1 InProgress, 0% done, 2 instances to update',
      'shop-red: instance refresh ir-1 InProgress, 50% done, 1 instance to update',
      'shop-red: instance refresh ir-1 Successful, 100% done, 0 instances to update',
    ]);
    expect(clock.sleeps).toEqual([15000, 15000, 15000, 15000, 15000]);
    expect(asg.commandCalls(RollbackInstanceRefreshCommand)).toEqual([]);
  });

  it("reports a refresh that failed or met an alarm and was rolled back, with the rollback's progress and reason", async () => {
    const details = {
      RollbackReason: 'CloudWatch alarm shop-5xx is in ALARM',
      PercentageCompleteOnRollback: 50,
      InstancesToUpdateOnRollback: 1,
    };
    pollAnswers(
      refresh('InProgress', { PercentageComplete: 50, InstancesToUpdate: 1 }),
      refresh('RollbackInProgress', { RollbackDetails: details }),
      refresh('RollbackSuccessful', {
        StatusReason: 'Rollback succeeded',
        RollbackDetails: { ...details, PercentageCompleteOnRollback: 100, InstancesToUpdateOnRollback: 0 },
      }),
    );
    const { result, lines } = await run();
    expect(result).toEqual({
      outcome: 'rolled-back',
      refreshId: 'ir-1',
      reason: 'rolled back to the previous launch template version: CloudWatch alarm shop-5xx is in ALARM',
    });
    expect(lines.slice(2)).toEqual([
      'shop-red: instance refresh ir-1 rolling back (CloudWatch alarm shop-5xx is in ALARM), 50% of the rollback done, 1 instance to put back',
      'shop-red: instance refresh ir-1 RollbackSuccessful',
    ]);
  });

  it.each<[string, InstanceRefresh, string]>([
    [
      'Failed',
      refresh('Failed', { StatusReason: 'Instances failed to launch' }),
      'failed without a rollback: Instances failed to launch. Instances it replaced may still run version 4; the group keeps its previous version, so a refresh to that version puts them back',
    ],
    [
      'Cancelled',
      refresh('Cancelled', { StatusReason: 'Cancelled by a user' }),
      'cancelled (by someone, or by a newer refresh): Cancelled by a user',
    ],
    [
      'RollbackFailed',
      refresh('RollbackFailed', { RollbackDetails: { RollbackReason: 'Instances failed to launch' } }),
      'the rollback failed: Instances failed to launch. The group may run both versions; look at its activity (aws autoscaling describe-scaling-activities)',
    ],
  ])('fails on %s, with the reason', async (_status, answer, reason) => {
    pollAnswers(answer);
    expect((await run()).result).toEqual({ outcome: 'failed', refreshId: 'ir-1', reason, rollbackRequested: false });
  });

  it('starts nothing when the group and every instance already run the version (a new color, or an apply that changed nothing)', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves(group('4', ['4', '4']));
    const { result, lines } = await run();
    expect(result).toEqual({ outcome: 'succeeded', unchanged: true });
    expect(lines).toEqual([
      'shop-red: every instance already runs launch template version 4; no instance refresh needed',
    ]);
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toEqual([]);
  });

  it('refreshes a group that has the version while some instance does not, skipping the matching ones', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves(group('4', ['4', '3']));
    pollAnswers(refresh('Successful'));
    expect((await run()).result).toEqual({ outcome: 'succeeded', refreshId: 'ir-1', unchanged: false });
    expect(asg.commandCalls(StartInstanceRefreshCommand)[0].args[0].input.Preferences?.SkipMatching).toBe(true);
  });

  it('follows a refresh to the same version that an interrupted apply left running, without starting another', async () => {
    asg
      .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', MaxRecords: 1 })
      .resolves({ InstanceRefreshes: [refresh('InProgress')] });
    pollAnswers(refresh('Successful'));
    const { result, lines } = await run();
    expect(result).toEqual({ outcome: 'succeeded', refreshId: 'ir-1', unchanged: false });
    expect(lines[0]).toBe(
      'shop-red: following instance refresh ir-1 (InProgress), started earlier to the same version',
    );
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toEqual([]);
  });

  it('leaves a running refresh to another version alone, and says how to cancel it', async () => {
    const other = refresh('InProgress', {
      InstanceRefreshId: 'ir-0',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', Version: '3' } },
    });
    asg
      .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', MaxRecords: 1 })
      .resolves({ InstanceRefreshes: [other] });
    expect((await run()).result).toEqual({
      outcome: 'failed',
      reason:
        'instance refresh ir-0 (InProgress, to version 3) is still running on shop-red; wait for it to end, or cancel it (aws autoscaling cancel-instance-refresh --auto-scaling-group-name shop-red), then deploy again',
      rollbackRequested: false,
    });
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toEqual([]);
  });

  it('does not try a version again whose last refresh rolled back, unless asked to', async () => {
    asg.on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', MaxRecords: 1 }).resolves({
      InstanceRefreshes: [
        refresh('RollbackSuccessful', { InstanceRefreshId: 'ir-0', StatusReason: 'Health checks failed' }),
      ],
    });
    expect((await run()).result).toEqual({
      outcome: 'rolled-back',
      refreshId: 'ir-0',
      reason:
        'not started again: the last instance refresh to version 4 (ir-0) ended RollbackSuccessful: Health checks failed. Deploy a fixed launch template (a new version), or retry this version on purpose',
    });
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toEqual([]);

    pollAnswers(refresh('Successful'));
    expect((await run({ retryFailedVersion: true })).result).toEqual({
      outcome: 'succeeded',
      refreshId: 'ir-1',
      unchanged: false,
    });
  });

  it('asks for a rollback and fails when the refresh outlives its bound', async () => {
    pollAnswers(refresh('InProgress', { PercentageComplete: 50, InstancesToUpdate: 1 }));
    const { result, lines, clock } = await run({ timeoutSeconds: 60 });
    expect(result).toEqual({
      outcome: 'failed',
      refreshId: 'ir-1',
      reason:
        'still running after 60 s, the bound for this refresh; a rollback to the previous version was asked for (RollbackInstanceRefresh); it goes on without rainbow',
      rollbackRequested: true,
    });
    expect(asg.commandCalls(RollbackInstanceRefreshCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: 'shop-red' },
    ]);
    expect(clock.sleeps).toEqual([15000, 15000, 15000, 15000]);
    expect(lines.at(-1)).toBe(
      'shop-red: still running after 60 s, the bound for this refresh; a rollback to the previous version was asked for (RollbackInstanceRefresh); it goes on without rainbow',
    );
  });

  it('asks for a rollback when interrupted while the refresh runs, and starts nothing when interrupted before', async () => {
    const abort = new AbortController();
    let polls = 0;
    asg
      .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', InstanceRefreshIds: ['ir-1'] })
      .callsFake(() => {
        if (++polls === 2) abort.abort();
        return { InstanceRefreshes: [refresh('InProgress')] };
      });
    expect((await run({}, abort.signal)).result).toEqual({
      outcome: 'interrupted',
      refreshId: 'ir-1',
      reason:
        'interrupted; a rollback to the previous version was asked for (RollbackInstanceRefresh); it goes on without rainbow',
      rollbackRequested: true,
    });

    asg.resetHistory();
    expect((await run({}, abort.signal)).result).toEqual({
      outcome: 'interrupted',
      reason: 'interrupted',
      rollbackRequested: false,
    });
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toEqual([]);
  });

  it('says so when a rollback cannot be asked for', async () => {
    pollAnswers(refresh('InProgress'));
    asg
      .on(RollbackInstanceRefreshCommand)
      .rejects(Object.assign(new Error('No active instance refresh'), { name: 'ActiveInstanceRefreshNotFoundFault' }));
    expect((await run({ timeoutSeconds: 15 })).result).toEqual({
      outcome: 'failed',
      refreshId: 'ir-1',
      reason:
        'still running after 15 s, the bound for this refresh; a rollback could not be asked for: ActiveInstanceRefreshNotFoundFault: No active instance refresh',
      rollbackRequested: false,
    });
  });

  it('keeps following through a failed read or two, and gives up after three in a row', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    let polls = 0;
    asg
      .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', InstanceRefreshIds: ['ir-1'] })
      .callsFake(() => {
        polls += 1;
        if (polls === 1 || polls === 2) throw throttled;
        if (polls === 3) return { InstanceRefreshes: [refresh('Successful')] };
        throw throttled;
      });
    expect((await run()).result).toEqual({ outcome: 'succeeded', refreshId: 'ir-1', unchanged: false });

    asg
      .on(DescribeInstanceRefreshesCommand, { AutoScalingGroupName: 'shop-red', InstanceRefreshIds: ['ir-1'] })
      .rejects(throttled);
    expect((await run()).result).toEqual({
      outcome: 'failed',
      refreshId: 'ir-1',
      reason: 'DescribeInstanceRefreshes failed: Throttling: Rate exceeded',
      rollbackRequested: false,
    });
  });

  it('fails with the call and the error when AWS refuses, and when the group does not exist', async () => {
    asg.on(StartInstanceRefreshCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: autoscaling:StartInstanceRefresh'), {
        name: 'AccessDenied',
      }),
    );
    expect((await run()).result).toEqual({
      outcome: 'failed',
      reason:
        'StartInstanceRefresh failed: AccessDenied: User is not authorized to perform: autoscaling:StartInstanceRefresh',
      rollbackRequested: false,
    });

    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    expect((await run()).result).toEqual({
      outcome: 'failed',
      reason: 'no Auto Scaling group shop-red in this account and region; deploy its stack first',
      rollbackRequested: false,
    });

    asg
      .on(DescribeAutoScalingGroupsCommand)
      .rejects(
        Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }),
      );
    expect((await run()).result).toEqual({
      outcome: 'failed',
      reason: 'DescribeAutoScalingGroups failed: ExpiredToken: The security token included in the request is expired',
      rollbackRequested: false,
    });
  });
});

describe('loadAutoScaling', () => {
  it('names the package to install, in one line, when it is missing', () => {
    const missing = () => {
      throw Object.assign(new Error("Cannot find module '@aws-sdk/client-auto-scaling'\nRequire stack:\n- x.js"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(() => loadAutoScaling(missing)).toThrow(
      new Error(
        'the ec2 platform starts and follows instance refreshes with the package @aws-sdk/client-auto-scaling, which is not installed; ' +
          'install it beside cdktf-rainbow (npm install @aws-sdk/client-auto-scaling@^3)',
      ),
    );
  });

  it('passes on any other failure to load it, and loads the installed package', () => {
    const broken = () => {
      throw Object.assign(new Error("Cannot find module '@smithy/core'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadAutoScaling(broken)).toThrow("Cannot find module '@smithy/core'");
    expect(loadAutoScaling().StartInstanceRefreshCommand).toBe(StartInstanceRefreshCommand);
  });
});

describe('readRefreshOutputs', () => {
  it('reads the outputs as cdktf deploy --outputs-file writes them, and as terraform output -json prints them', () => {
    const expected = { groupName: 'shop-red', launchTemplateId: 'lt-0123456789abcdef0', launchTemplateVersion: '4' };
    expect(
      readRefreshOutputs('shop-red', {
        auto_scaling_group_name: 'shop-red',
        launch_template_id: 'lt-0123456789abcdef0',
        launch_template_version: 4,
      }),
    ).toEqual(expected);
    expect(
      readRefreshOutputs('shop-red', {
        auto_scaling_group_name: { value: 'shop-red', type: 'string', sensitive: false },
        launch_template_id: { value: 'lt-0123456789abcdef0', type: 'string', sensitive: false },
        launch_template_version: { value: 4, type: 'number', sensitive: false },
      }),
    ).toEqual(expected);
  });

  it('fails for a stack deployed before the outputs existed', () => {
    expect(() => readRefreshOutputs('shop-red', { auto_scaling_group_name: 'shop-red' })).toThrow(
      'the stack shop-red has no output launch_template_id; deploy it with this version of cdktf-rainbow, which adds the outputs the instance refresh needs',
    );
  });
});

describe('ec2RefreshRequest', () => {
  it("takes the preferences and the bound from the spec, as the color's Ec2Color does, and the version from the outputs", () => {
    const raw = rawEc2Spec();
    raw.rollingUpdate = { maxSurge: '50%', maxUnavailable: 0, minReadySeconds: 60 };
    raw.ec2.alarms = ['shop-5xx'];
    const spec = resolvedSpec(raw);
    const color = spec.colors[0];
    const outputs = { groupName: 'shop-red', launchTemplateId: 'lt-0123456789abcdef0', launchTemplateVersion: '4' };
    expect(refreshStackName(spec, color.name)).toBe(`shop-${color.name}`);
    expect(ec2RefreshRequest(spec, color.name, outputs)).toEqual({
      region: 'eu-west-1',
      ...outputs,
      // 3 instances, 2 surging: 100% to 167%.
      preferences: {
        minHealthyPercentage: 100,
        maxHealthyPercentage: 167,
        instanceWarmupSeconds: 60,
        alarms: ['shop-5xx'],
      },
      // 2 rounds of (300 start + 60 grace + 2 × 10 checks + 60 warm-up + 30 drain), twice.
      timeoutSeconds: 1880,
    });
    expect(() => ec2RefreshRequest(spec, 'nope', outputs)).toThrow(
      'the spec has no ec2 color nope that is not retired',
    );
  });
});
