import type * as AutoScaling from '@aws-sdk/client-auto-scaling';
import { ec2RefreshTimeoutSeconds, EC2_REFRESH_OUTPUTS } from '../model/ec2';
import {
  ec2InstanceRefresh,
  Ec2RefreshPreferences,
  ec2RefreshPreferences,
  resolveRollingUpdate,
} from '../model/rolling';
import { resolveHealthCheck } from '../model/color';
import { colorStackName, RainbowSpec } from '../model/types';
import type { Clock } from './clock';

/**
 * The instance refresh of an ec2 color, started and followed by the engine after the color's
 * stack is deployed.
 *
 * The Auto Scaling group of an ec2 color ignores changes of its launch template in Terraform
 * (constructs/aws/ec2-color.ts). Were the provider to start the refresh, it would first save the
 * new launch template version on the group (UpdateAutoScalingGroup) and then start the refresh,
 * so a rollback would return to the new version: an instance refresh rolls back to the
 * configuration the group had before it started (hashicorp/terraform-provider-aws#34189). Here
 * the group keeps its version, and the refresh names the new one as its desired configuration,
 * which Auto Scaling saves on the group only when the refresh succeeds: a failed refresh, or one
 * an alarm stops, leaves the group and its instances on the previous version.
 *
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
 */

/** The package that talks to Auto Scaling; loaded only when an ec2 color is refreshed. */
export const AUTO_SCALING_PACKAGE = '@aws-sdk/client-auto-scaling';

/** How often the refresh's status is read, unless the request says otherwise. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 15;

/**
 * Reads that may fail in a row (network, throttling past the SDK's own retries) before the engine gives up following.
 */
export const MAX_FAILED_READS = 3;

/** What to refresh, to which launch template version, with which preferences. */
export interface InstanceRefreshRequest {
  /** The region of the group (`ec2.region`). */
  readonly region: string;
  /** The Auto Scaling group, `<app>-<color>`. */
  readonly groupName: string;
  /** The launch template, `lt-...`. */
  readonly launchTemplateId: string;
  /** The version the instances should run: the template's latest_version, a number. */
  readonly launchTemplateVersion: string;
  /** Healthy percents, warm-up and alarms (SkipMatching and AutoRollback are always on). */
  readonly preferences: Ec2RefreshPreferences;
  /** How long to follow the refresh before asking for a rollback (ec2RefreshTimeoutSeconds). */
  readonly timeoutSeconds: number;
  /** Seconds between two reads of the refresh's status. @default 15 */
  readonly pollIntervalSeconds?: number;
  /**
   * Start a refresh to a version whose last refresh rolled back or failed. Without it the engine
   * does not try the same version again on every apply: it reports the earlier outcome.
   * @default false
   */
  readonly retryFailedVersion?: boolean;
}

/** Time, so that tests follow a refresh without waiting for it. */
export type RefreshClock = Clock;

export interface RefreshOptions {
  /** The Auto Scaling client. @default - one for the request's region, with the credentials of the environment */
  readonly client?: AutoScaling.AutoScalingClient;
  readonly clock: RefreshClock;
  /** Called with a line whenever the refresh's status, percentage or instances to update change. */
  readonly onProgress: (line: string) => void;
  /** Aborting asks Auto Scaling to roll the refresh back, and returns at once (`interrupted`). */
  readonly signal?: AbortSignal;
}

/**
 * How a refresh ended:
 * - `succeeded`: every instance runs the version, and the group has it (`unchanged` when it already did, so nothing was
 *   started);
 * - `rolled-back`: the refresh failed or an alarm fired, and Auto Scaling put the previous version back;
 * - `failed`: it ended otherwise (failed without rollback, cancelled, rollback failed, timed out, could not be started
 *   or followed);
 * - `interrupted`: the signal aborted while it ran; a rollback was asked for when one had started.
 */
export type RefreshResult =
  | { readonly outcome: 'succeeded'; readonly refreshId?: string; readonly unchanged: boolean }
  | { readonly outcome: 'rolled-back'; readonly refreshId: string; readonly reason: string }
  | {
      readonly outcome: 'failed';
      readonly refreshId?: string;
      readonly reason: string;
      readonly rollbackRequested: boolean;
    }
  | {
      readonly outcome: 'interrupted';
      readonly refreshId?: string;
      readonly reason: string;
      readonly rollbackRequested: boolean;
    };

/** The engine's own texts for instance refreshes. */
export const REFRESH_MESSAGES = {
  sdkMissing:
    `the ec2 platform starts and follows instance refreshes with the package ${AUTO_SCALING_PACKAGE}, which is not installed; ` +
    `install it beside cdktf-rainbow (npm install ${AUTO_SCALING_PACKAGE}@^3)`,
  outputMissing: (stack: string, output: string) =>
    `the stack ${stack} has no output ${output}; deploy it with this version of cdktf-rainbow, which adds the outputs the instance refresh needs`,
  colorMissing: (color: string) => `the spec has no ec2 color ${color} that is not retired`,
  groupMissing: (group: string) => `no Auto Scaling group ${group} in this account and region; deploy its stack first`,
  started: (group: string, id: string, template: string, version: string, p: Ec2RefreshPreferences) =>
    `${group}: instance refresh ${id} started, to ${template} version ${version} (healthy ${p.minHealthyPercentage}% to ${p.maxHealthyPercentage}%, ` +
    `warm-up ${p.instanceWarmupSeconds} s${p.alarms === undefined ? '' : `, alarms ${p.alarms.join(', ')}`}; rolls back on failure)`,
  resumed: (group: string, id: string, status: string) =>
    `${group}: following instance refresh ${id} (${status}), started earlier to the same version`,
  unchanged: (group: string, version: string) =>
    `${group}: every instance already runs launch template version ${version}; no instance refresh needed`,
  progress: (group: string, id: string, status: string, percent: number | undefined, toUpdate: number | undefined) =>
    `${group}: instance refresh ${id} ${status}${percent === undefined ? '' : `, ${percent}% done`}` +
    `${toUpdate === undefined ? '' : `, ${toUpdate} ${toUpdate === 1 ? 'instance' : 'instances'} to update`}`,
  rollbackProgress: (
    group: string,
    id: string,
    reason: string,
    percent: number | undefined,
    toUpdate: number | undefined,
  ) =>
    `${group}: instance refresh ${id} rolling back (${reason})${percent === undefined ? '' : `, ${percent}% of the rollback done`}` +
    `${toUpdate === undefined ? '' : `, ${toUpdate} ${toUpdate === 1 ? 'instance' : 'instances'} to put back`}`,
  otherRefreshActive: (group: string, id: string, status: string, version: string | undefined) =>
    `instance refresh ${id} (${status}${version === undefined ? '' : `, to version ${version}`}) is still running on ${group}; ` +
    `wait for it to end, or cancel it (aws autoscaling cancel-instance-refresh --auto-scaling-group-name ${group}), then deploy again`,
  earlierOutcome: (version: string, id: string, status: string, reason: string) =>
    `not started again: the last instance refresh to version ${version} (${id}) ended ${status}: ${reason}. ` +
    'Deploy a fixed launch template (a new version), or retry this version on purpose',
  rolledBack: (reason: string) => `rolled back to the previous launch template version: ${reason}`,
  failedWithoutRollback: (reason: string, version: string) =>
    `failed without a rollback: ${reason}. Instances it replaced may still run version ${version}; the group keeps its previous version, ` +
    'so a refresh to that version puts them back',
  cancelled: (reason: string) => `cancelled (by someone, or by a newer refresh): ${reason}`,
  rollbackFailed: (reason: string) =>
    `the rollback failed: ${reason}. The group may run both versions; look at its activity (aws autoscaling describe-scaling-activities)`,
  timedOut: (seconds: number) => `still running after ${seconds} s, the bound for this refresh`,
  interrupted: 'interrupted',
  rollbackAsked:
    'a rollback to the previous version was asked for (RollbackInstanceRefresh); it goes on without rainbow',
  rollbackNotAsked: (error: string) => `a rollback could not be asked for: ${error}`,
  awsError: (call: string, error: string) => `${call} failed: ${error}`,
  noReason: 'no reason given',
} as const;

/** The values `rainbow apply` reads from an ec2 color stack's outputs (EC2_REFRESH_OUTPUTS). */
export interface RefreshOutputs {
  readonly groupName: string;
  readonly launchTemplateId: string;
  readonly launchTemplateVersion: string;
}

/**
 * The refresh outputs of one stack, from either form they come in: the stack's entry in the
 * file `cdktf deploy --outputs-file` writes (`{ "auto_scaling_group_name": "shop-red", ... }`), or
 * `terraform output -json` in the stack's folder (`{ "auto_scaling_group_name": { "value": ... } }`).
 * Throws with REFRESH_MESSAGES.outputMissing when one is absent.
 */
export function readRefreshOutputs(stack: string, outputs: unknown): RefreshOutputs {
  const entries = typeof outputs === 'object' && outputs !== null ? (outputs as Record<string, unknown>) : {};
  const read = (name: string): string => {
    const raw = entries[name];
    const value = typeof raw === 'object' && raw !== null && 'value' in raw ? raw.value : raw;
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new Error(REFRESH_MESSAGES.outputMissing(stack, name));
    return String(value);
  };
  return {
    groupName: read(EC2_REFRESH_OUTPUTS.groupName),
    launchTemplateId: read(EC2_REFRESH_OUTPUTS.launchTemplateId),
    launchTemplateVersion: read(EC2_REFRESH_OUTPUTS.launchTemplateVersion),
  };
}

/**
 * The refresh of one ec2 color of a resolved spec, with what its stack's outputs say: the same
 * preferences and bound as its Ec2Color (spec/rolling.ts, spec/ec2.ts). Throws when the spec has
 * no such live ec2 color.
 */
export function ec2RefreshRequest(spec: RainbowSpec, color: string, outputs: RefreshOutputs): InstanceRefreshRequest {
  const found = spec.colors.find((c) => c.name === color && c.state !== 'retired');
  if (spec.ec2 === undefined || found === undefined) throw new Error(REFRESH_MESSAGES.colorMissing(color));
  const rollingUpdate = resolveRollingUpdate(spec.rollingUpdate);
  const { surge, unavailable } = ec2InstanceRefresh(rollingUpdate, found.replicas);
  const { startupSeconds, periodSeconds } = resolveHealthCheck(spec.healthCheck);
  return {
    region: spec.ec2.region,
    groupName: outputs.groupName,
    launchTemplateId: outputs.launchTemplateId,
    launchTemplateVersion: outputs.launchTemplateVersion,
    preferences: ec2RefreshPreferences(rollingUpdate, found.replicas, spec.ec2.alarms),
    timeoutSeconds: ec2RefreshTimeoutSeconds({
      replicas: found.replicas,
      surge,
      unavailable,
      startupSeconds,
      periodSeconds,
      warmupSeconds: rollingUpdate.minReadySeconds,
      drainSeconds: spec.drainSeconds,
    }),
  };
}

/** The stack whose outputs an ec2 color's refresh reads: `<app>-<color>`. */
export const refreshStackName = (spec: RainbowSpec, color: string): string => colorStackName(spec.app, color);

/**
 * The Auto Scaling SDK, loaded on first use: only an ec2 spec needs it, and it is not a
 * dependency of cdktf-rainbow (docs/ec2.md, "Deploying for real"). Throws with one line naming
 * the package when it is missing. `load` is `require` unless a test says otherwise.
 */
export function loadAutoScaling(load: (id: string) => unknown = defaultLoad): typeof AutoScaling {
  try {
    return load(AUTO_SCALING_PACKAGE) as typeof AutoScaling;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && String(message).includes(AUTO_SCALING_PACKAGE))
      throw new Error(REFRESH_MESSAGES.sdkMissing);
    throw error;
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const defaultLoad = (id: string): unknown => require(id);

const ACTIVE = new Set(['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress']);
const ENDED_BADLY = new Set(['Failed', 'RollbackSuccessful', 'RollbackFailed']);

/**
 * Starts an instance refresh of `request.groupName` to the launch template version, and follows
 * it until it ends, at most `request.timeoutSeconds`:
 * 1. reads the group and its latest refresh: nothing to do when the group and every instance
 *    already run the version; a running refresh to the same version is followed, one to another
 *    version is left alone (failed, saying how to cancel it); a version whose last refresh rolled
 *    back or failed is not tried again unless `retryFailedVersion`;
 * 2. starts the refresh (StartInstanceRefresh, with DesiredConfiguration and the preferences);
 * 3. reads it every poll interval (DescribeInstanceRefreshes), reporting progress, until
 *    `Successful`, or `RollbackSuccessful`, `Failed`, `Cancelled`, `RollbackFailed`;
 * 4. on timeout or abort, asks for a rollback (RollbackInstanceRefresh) and returns.
 * Never throws for what AWS answers: every outcome is a RefreshResult.
 */
export async function refreshInstances(
  request: InstanceRefreshRequest,
  options: RefreshOptions,
): Promise<RefreshResult> {
  let sdk: typeof AutoScaling;
  try {
    sdk = loadAutoScaling();
  } catch (error) {
    return { outcome: 'failed', reason: (error as Error).message, rollbackRequested: false };
  }
  const client = options.client ?? new sdk.AutoScalingClient({ region: request.region });
  try {
    return await new Refresh(sdk, client, request, options).run();
  } finally {
    if (options.client === undefined) client.destroy();
  }
}

class Refresh {
  private readonly signal: AbortSignal;
  private readonly group: string;
  private lastLine = '';

  constructor(
    private readonly sdk: typeof AutoScaling,
    private readonly client: AutoScaling.AutoScalingClient,
    private readonly request: InstanceRefreshRequest,
    private readonly options: RefreshOptions,
  ) {
    this.signal = options.signal ?? new AbortController().signal;
    this.group = request.groupName;
  }

  async run(): Promise<RefreshResult> {
    const { request } = this;
    const deadline = this.options.clock.now() + request.timeoutSeconds * 1000;

    let group: AutoScaling.AutoScalingGroup | undefined;
    let latest: AutoScaling.InstanceRefresh | undefined;
    try {
      group = (
        await this.client.send(new this.sdk.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.group] }))
      ).AutoScalingGroups?.[0];
    } catch (error) {
      return this.failed(REFRESH_MESSAGES.awsError('DescribeAutoScalingGroups', describeError(error)));
    }
    if (group === undefined) return this.failed(REFRESH_MESSAGES.groupMissing(this.group));
    try {
      // The most recent first: the one running, or the last one that ended.
      latest = (
        await this.client.send(
          new this.sdk.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: this.group, MaxRecords: 1 }),
        )
      ).InstanceRefreshes?.[0];
    } catch (error) {
      return this.failed(REFRESH_MESSAGES.awsError('DescribeInstanceRefreshes', describeError(error)));
    }

    let refreshId: string;
    if (latest !== undefined && ACTIVE.has(latest.Status ?? '')) {
      if (!this.isOurs(latest)) {
        return this.failed(
          REFRESH_MESSAGES.otherRefreshActive(
            this.group,
            latest.InstanceRefreshId ?? '?',
            latest.Status!,
            latest.DesiredConfiguration?.LaunchTemplate?.Version,
          ),
        );
      }
      refreshId = latest.InstanceRefreshId!;
      this.options.onProgress(REFRESH_MESSAGES.resumed(this.group, refreshId, latest.Status!));
    } else {
      if (this.runsVersion(group)) {
        this.options.onProgress(REFRESH_MESSAGES.unchanged(this.group, request.launchTemplateVersion));
        return { outcome: 'succeeded', unchanged: true };
      }
      if (
        latest !== undefined &&
        this.isOurs(latest) &&
        ENDED_BADLY.has(latest.Status ?? '') &&
        request.retryFailedVersion !== true
      ) {
        const reason = REFRESH_MESSAGES.earlierOutcome(
          request.launchTemplateVersion,
          latest.InstanceRefreshId ?? '?',
          latest.Status!,
          reasonOf(latest),
        );
        return latest.Status === 'RollbackSuccessful'
          ? { outcome: 'rolled-back', refreshId: latest.InstanceRefreshId ?? '?', reason }
          : this.failed(reason, latest.InstanceRefreshId);
      }
      if (this.signal.aborted)
        return { outcome: 'interrupted', reason: REFRESH_MESSAGES.interrupted, rollbackRequested: false };
      try {
        refreshId = (await this.client.send(new this.sdk.StartInstanceRefreshCommand(this.startInput())))
          .InstanceRefreshId!;
      } catch (error) {
        return this.failed(REFRESH_MESSAGES.awsError('StartInstanceRefresh', describeError(error)));
      }
      this.options.onProgress(
        REFRESH_MESSAGES.started(
          this.group,
          refreshId,
          request.launchTemplateId,
          request.launchTemplateVersion,
          request.preferences,
        ),
      );
    }
    return this.follow(refreshId, deadline);
  }

  private async follow(refreshId: string, deadline: number): Promise<RefreshResult> {
    const interval = (this.request.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1000;
    let failedReads = 0;
    for (;;) {
      await this.options.clock.sleep(interval, this.signal);
      if (this.signal.aborted)
        return { outcome: 'interrupted', refreshId, ...(await this.rollback(REFRESH_MESSAGES.interrupted)) };
      if (this.options.clock.now() >= deadline) {
        return {
          outcome: 'failed',
          refreshId,
          ...(await this.rollback(REFRESH_MESSAGES.timedOut(this.request.timeoutSeconds))),
        };
      }
      let refresh: AutoScaling.InstanceRefresh | undefined;
      try {
        refresh = (
          await this.client.send(
            new this.sdk.DescribeInstanceRefreshesCommand({
              AutoScalingGroupName: this.group,
              InstanceRefreshIds: [refreshId],
            }),
          )
        ).InstanceRefreshes?.[0];
        failedReads = 0;
      } catch (error) {
        failedReads += 1;
        if (failedReads < MAX_FAILED_READS) continue;
        return this.failed(REFRESH_MESSAGES.awsError('DescribeInstanceRefreshes', describeError(error)), refreshId);
      }
      if (refresh === undefined) continue;
      this.report(refreshId, refresh);
      switch (refresh.Status) {
        case 'Successful':
          return { outcome: 'succeeded', refreshId, unchanged: false };
        case 'RollbackSuccessful':
          return { outcome: 'rolled-back', refreshId, reason: REFRESH_MESSAGES.rolledBack(rollbackReasonOf(refresh)) };
        case 'Failed':
          return this.failed(
            REFRESH_MESSAGES.failedWithoutRollback(reasonOf(refresh), this.request.launchTemplateVersion),
            refreshId,
          );
        case 'Cancelled':
          return this.failed(REFRESH_MESSAGES.cancelled(reasonOf(refresh)), refreshId);
        case 'RollbackFailed':
          return this.failed(REFRESH_MESSAGES.rollbackFailed(rollbackReasonOf(refresh)), refreshId);
        default:
          break;
      }
    }
  }

  /** Asks Auto Scaling to roll the refresh back; the reason says whether it could. */
  private async rollback(why: string): Promise<{ reason: string; rollbackRequested: boolean }> {
    try {
      await this.client.send(new this.sdk.RollbackInstanceRefreshCommand({ AutoScalingGroupName: this.group }));
      this.options.onProgress(`${this.group}: ${why}; ${REFRESH_MESSAGES.rollbackAsked}`);
      return { reason: `${why}; ${REFRESH_MESSAGES.rollbackAsked}`, rollbackRequested: true };
    } catch (error) {
      return { reason: `${why}; ${REFRESH_MESSAGES.rollbackNotAsked(describeError(error))}`, rollbackRequested: false };
    }
  }

  private report(refreshId: string, refresh: AutoScaling.InstanceRefresh): void {
    const rollback = refresh.RollbackDetails;
    const line =
      refresh.Status === 'RollbackInProgress'
        ? REFRESH_MESSAGES.rollbackProgress(
            this.group,
            refreshId,
            rollbackReasonOf(refresh),
            rollback?.PercentageCompleteOnRollback,
            rollback?.InstancesToUpdateOnRollback,
          )
        : REFRESH_MESSAGES.progress(
            this.group,
            refreshId,
            refresh.Status ?? 'Pending',
            refresh.PercentageComplete,
            refresh.InstancesToUpdate,
          );
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.options.onProgress(line);
  }

  private startInput(): AutoScaling.StartInstanceRefreshCommandInput {
    const { request } = this;
    const p = request.preferences;
    return {
      AutoScalingGroupName: this.group,
      Strategy: 'Rolling',
      DesiredConfiguration: {
        LaunchTemplate: { LaunchTemplateId: request.launchTemplateId, Version: request.launchTemplateVersion },
      },
      Preferences: {
        MinHealthyPercentage: p.minHealthyPercentage,
        MaxHealthyPercentage: p.maxHealthyPercentage,
        InstanceWarmup: p.instanceWarmupSeconds,
        SkipMatching: true,
        AutoRollback: true,
        ...(p.alarms === undefined ? {} : { AlarmSpecification: { Alarms: [...p.alarms] } }),
      },
    };
  }

  /** A refresh to the very launch template version of the request. */
  private isOurs(refresh: AutoScaling.InstanceRefresh): boolean {
    const template = refresh.DesiredConfiguration?.LaunchTemplate;
    return (
      template?.LaunchTemplateId === this.request.launchTemplateId &&
      template.Version === this.request.launchTemplateVersion
    );
  }

  /** The group has the version, and so does every instance it has. */
  private runsVersion(group: AutoScaling.AutoScalingGroup): boolean {
    const same = (t: AutoScaling.LaunchTemplateSpecification | undefined) =>
      t?.LaunchTemplateId === this.request.launchTemplateId && t.Version === this.request.launchTemplateVersion;
    return same(group.LaunchTemplate) && (group.Instances ?? []).every((i) => same(i.LaunchTemplate));
  }

  private failed(reason: string, refreshId?: string): RefreshResult {
    return { outcome: 'failed', ...(refreshId === undefined ? {} : { refreshId }), reason, rollbackRequested: false };
  }
}

const reasonOf = (refresh: AutoScaling.InstanceRefresh): string => refresh.StatusReason ?? REFRESH_MESSAGES.noReason;
const rollbackReasonOf = (refresh: AutoScaling.InstanceRefresh): string =>
  refresh.RollbackDetails?.RollbackReason ?? reasonOf(refresh);

/** `Name: message` of an SDK error (AccessDenied, Throttling, ...), on one line. */
function describeError(error: unknown): string {
  const { name, message } = error as Error;
  return `${name ?? 'Error'}: ${String(message ?? error).split('\n')[0]}`;
}
