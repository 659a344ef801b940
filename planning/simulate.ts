import { resolveHealthCheck, terminationGracePeriodSeconds } from '../model/color';
import {
  ECS_HEALTHY_THRESHOLD,
  ECS_STOP_TIMEOUT_SECONDS,
  ECS_TASK_START_SECONDS,
  ecsRoundSeconds,
} from '../model/ecs-timeouts';
import { EC2_INSTANCE_START_SECONDS } from '../model/ec2';
import {
  Ec2RefreshPreferences,
  ec2RefreshPreferences,
  ecsTaskCounts,
  kubernetesPodCounts,
  resolveRollingUpdate,
} from '../model/rolling';
import { ColorSpec, ColorState, colorStackName, Platform, RainbowSpec } from '../model/types';
import type { ChangeKind, ColorChange } from './changes';
import { PLAN_MESSAGES } from './messages';
import type { DeployPhase } from './phases';

/**
 * What deploying a change does over time, step by step: the deploy phases of the plan, each
 * color's pods (tasks on ECS) under the one rolling update policy, and the share of the traffic
 * and of the serving capacity each color holds. `rainbow preview` prints and draws it, and the
 * under-capacity rule (capacity.ts) reads it.
 *
 * A rolling update is simulated as the Deployment controller runs it (kubernetes/kubernetes,
 * pkg/controller/deployment/rolling.go and util/deployment_util.go): it scales the new pods up to
 * `desired + surge` in all (NewRSNewReplicas), and the old ones down while more than
 * `desired - unavailable` are available (reconcileOldReplicaSets); one step is the wait for the
 * pods it started to become ready. ECS keeps the same two bounds (ecsTaskCounts: the deployment
 * percents are chosen so that its rounding gives these counts), so it is simulated the same way.
 * Times are estimates (estimateSteps): nothing here has measured a real rollout.
 */

/** One color in one step: its pods while the step lasts, and its shares. */
export interface ColorStep {
  readonly color: string;
  /** Pods the color is to have once it is deployed (tasks on ECS). */
  readonly desired: number;
  /** Pods of the version this change replaces or removes; they all serve. */
  readonly old: number;
  /** Pods of the version after the change, ready or starting. */
  readonly new: number;
  /** Pods that serve: the old ones and the new ones that are ready. */
  readonly ready: number;
  /** Pods running: old and new. */
  readonly running: number;
  /** Pods running above the desired count. */
  readonly surge: number;
  /** Pods of the desired count that do not serve. */
  readonly unavailable: number;
  /**
   * Pods that serve, each counted as autoscaling max / min where the color autoscales: the capacity its shares are made
   * of.
   */
  readonly serving: number;
  /** The color's share of the traffic, percent. */
  readonly trafficPercent: number;
  /**
   * The color's serving pods (counted at the autoscaling maximum where one is set) as a percent
   * of the full capacity of the colors that get traffic in this step, itself included.
   */
  readonly capacityPercent: number;
}

export interface SimulatedStep {
  /** Estimated seconds from the start of the deploy. */
  readonly startSeconds: number;
  /** Estimated length of the step. */
  readonly seconds: number;
  readonly colors: ColorStep[];
}

export interface SimulatedPhase {
  readonly title: string;
  readonly stacks: string[];
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly steps: SimulatedStep[];
}

/** How a color's pods change in this deploy. */
export type Rollout = 'rolling update' | 'created' | 'scaled' | 'removed' | 'none';

export interface ColorSummary {
  readonly color: string;
  readonly change: ChangeKind;
  readonly rollout: Rollout;
  /**
   * For a rolling update: the pods it may run above, and keep below, the desired count, as the platform rounds them.
   */
  readonly maxSurgePods?: number;
  readonly maxUnavailablePods?: number;
  /**
   * ec2, for a rolling update: the instance refresh the engine starts (its percents and warm-up; no checkpoints).
   * @default - not an ec2 rolling update
   */
  readonly refresh?: Ec2RefreshPreferences;
  /** The lowest capacity share it has while it gets traffic, where, and its pods then; undefined when it gets none. */
  readonly lowest?: {
    readonly capacityPercent: number;
    readonly ready: number;
    readonly desired: number;
    readonly phase: number;
    readonly step: number;
  };
}

/** How long a step takes, estimated from the spec. */
export interface StepEstimate {
  /** One step of a rolling update, and a scale-up: new pods started and ready. */
  readonly stepSeconds: number;
  /** A new color's pods, all started at once, ready. */
  readonly createSeconds: number;
  /** Pods that leave: drained and stopped. */
  readonly removeSeconds: number;
  /** What stepSeconds is made of, in words. */
  readonly basis: string;
  /**
   * How long the router's deploy takes to reach the clients: on dns the records' TTL, for which
   * resolvers keep the previous weights.
   * @default 0
   */
  readonly routerSeconds?: number;
}

/** What a platform's workload is made of, as the preview names it. */
export interface WorkloadUnit {
  readonly one: string;
  readonly many: string;
  /** How the rolling update is carried out, as the preview says it. */
  readonly rollout: string;
}

/** Pods on Kubernetes, tasks on ECS, instances on EC2 (replaced by an instance refresh), endpoints on dns. */
export function workloadUnit(platform: Platform): WorkloadUnit {
  if (platform === Platform.EC2) return { one: 'instance', many: 'instances', rollout: 'instance refresh' };
  if (platform === Platform.ECS) return { one: 'task', many: 'tasks', rollout: 'rolling deployment' };
  if (platform === Platform.DNS) return { one: 'endpoint', many: 'endpoints', rollout: 'none' };
  return { one: 'pod', many: 'pods', rollout: 'rolling update' };
}

export interface Simulation {
  readonly platform: Platform;
  /** What the counts count: pods, tasks or instances. */
  readonly unit: WorkloadUnit;
  readonly estimate: StepEstimate;
  /** Every color before the change. */
  readonly before: ColorStep[];
  readonly phases: SimulatedPhase[];
  /** Every color once the change is deployed. */
  readonly after: ColorStep[];
  readonly colors: ColorSummary[];
  readonly totalSeconds: number;
}

/** A deploy phase with the `cdktf deploy` calls that run it, one after the other (deployCalls). */
export interface PhaseToSimulate extends DeployPhase {
  readonly calls: string[][];
}

/**
 * The capacity a color serves with once it is deployed: its replicas, its autoscaling maximum
 * where it has one, its desired count on ECS.
 */
export function serviceCapacity(color: Pick<ColorSpec, 'replicas' | 'autoscaling' | 'state'>): number {
  if (color.state === ColorState.RETIRED) return 0;
  return color.autoscaling?.max ?? color.replicas;
}

/**
 * The estimated length of a step. Kubernetes: a new pod given `failureThreshold` readiness probe
 * periods to pass, then minReadySeconds (startupSeconds is the limit of a slow start, not a
 * typical one); leaving, its termination grace period. ECS: one round of ecsRoundSeconds, the
 * model the service timeouts are built on.
 */
export function estimateSteps(
  spec: Pick<RainbowSpec, 'platform' | 'rollingUpdate' | 'healthCheck' | 'drainSeconds' | 'dns'>,
): StepEstimate {
  if (spec.dns !== undefined) {
    // Nothing rolls: each color is an endpoint that exists. A weight change reaches the clients as
    // their resolvers' cached answers expire, up to the TTL after the router's deploy.
    const ttl = spec.dns.ttl;
    return {
      stepSeconds: 0,
      createSeconds: 0,
      removeSeconds: 0,
      routerSeconds: ttl,
      basis: PLAN_MESSAGES.dnsEstimateBasis(ttl),
    };
  }
  const rollingUpdate = resolveRollingUpdate(spec.rollingUpdate);
  const { minReadySeconds } = rollingUpdate;
  const { periodSeconds, failureThreshold, startupSeconds } = resolveHealthCheck(spec.healthCheck);
  if (spec.platform === Platform.KUBERNETES) {
    const step = minReadySeconds + periodSeconds * failureThreshold;
    return {
      stepSeconds: step,
      createSeconds: step,
      removeSeconds: terminationGracePeriodSeconds(spec.drainSeconds),
      basis: `minReadySeconds ${minReadySeconds} + periodSeconds ${periodSeconds} × failureThreshold ${failureThreshold}`,
    };
  }
  if (spec.platform === Platform.EC2) {
    // One round of the instance refresh the engine starts (docs/ec2.md): new instances launched,
    // in service after the group's health check grace period and the target group's healthy
    // threshold, then warmed up for InstanceWarmup before the refresh counts them and terminates
    // old ones, which drain from the target group first. No checkpoints: the refresh never pauses.
    const ready = EC2_INSTANCE_START_SECONDS + startupSeconds + ECS_HEALTHY_THRESHOLD * periodSeconds;
    return {
      stepSeconds: ready + minReadySeconds + spec.drainSeconds,
      // A new group waits for its instances in the target group (wait_for_elb_capacity): no warm-up, nothing to drain.
      createSeconds: ready,
      removeSeconds: spec.drainSeconds,
      basis:
        `instance refresh, no checkpoints: instance start ${EC2_INSTANCE_START_SECONDS} + grace ${startupSeconds} + ${ECS_HEALTHY_THRESHOLD} × periodSeconds ${periodSeconds} ` +
        `+ warm-up ${minReadySeconds} (minReadySeconds), then drain ${spec.drainSeconds}`,
    };
  }
  const { ready, drained } = ecsRoundSeconds({
    ...spec,
    rollingUpdate,
    healthCheck: { periodSeconds, failureThreshold },
    graceSeconds: startupSeconds,
  });
  return {
    stepSeconds: ready + drained,
    createSeconds: ready,
    removeSeconds: drained,
    basis:
      `task start ${ECS_TASK_START_SECONDS} + grace ${startupSeconds} + ${ECS_HEALTHY_THRESHOLD} × periodSeconds ${periodSeconds}, ` +
      `then drain ${spec.drainSeconds} + stop ${ECS_STOP_TIMEOUT_SECONDS}`,
  };
}

/** The pods a rolling update may run above, and keep below, the desired count, as the spec's platform rounds them. */
export function rollingBounds(
  spec: Pick<RainbowSpec, 'platform' | 'rollingUpdate'>,
  desired: number,
): { surge: number; unavailable: number } {
  const rollingUpdate = resolveRollingUpdate(spec.rollingUpdate);
  if (spec.platform === Platform.EC2) return refreshBounds(ec2RefreshPreferences(rollingUpdate, desired), desired);
  return spec.platform === Platform.KUBERNETES
    ? kubernetesPodCounts(rollingUpdate, desired)
    : ecsTaskCounts(rollingUpdate, desired);
}

/**
 * The instances an instance refresh runs above, and keeps below, the desired count, from the
 * percents it is started with: at most MaxHealthyPercentage of the group in service or launching,
 * and at least MinHealthyPercentage in service and warmed up, which Auto Scaling rounds up
 * (RefreshPreferences); at least one instance replaced at a time.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export function refreshBounds(
  preferences: Pick<Ec2RefreshPreferences, 'minHealthyPercentage' | 'maxHealthyPercentage'>,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = Math.max(0, Math.floor((desired * preferences.maxHealthyPercentage) / 100) - desired);
  const unavailable = Math.max(0, desired - Math.ceil((desired * preferences.minHealthyPercentage) / 100));
  return surge + unavailable === 0 && desired > 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/** Pods of one color: old ones (all ready), new ones, and how many of those are ready. */
interface Pods {
  readonly old: number;
  readonly fresh: number;
  readonly freshReady: number;
}

/**
 * The pods during each step of a rolling update from `old` pods to `desired` new ones, and at its
 * end. Each step starts with the controller settling (new pods up to `desired + surge` in all,
 * old ones down while more than `desired - unavailable` serve) and lasts until the new pods it
 * started are ready.
 */
export function rollingUpdateSteps(
  old: number,
  desired: number,
  bounds: { surge: number; unavailable: number },
): { steps: Pods[]; end: Pods } {
  let pods = { old, fresh: 0, freshReady: 0 };
  const steps: Pods[] = [];
  const minAvailable = desired - bounds.unavailable;
  for (;;) {
    for (let changed = true; changed;) {
      const fresh = Math.max(pods.fresh, Math.min(desired, desired + bounds.surge - pods.old));
      const down = Math.min(pods.old, Math.max(0, pods.old + pods.freshReady - minAvailable));
      changed = fresh !== pods.fresh || down > 0;
      pods = { old: pods.old - down, fresh, freshReady: pods.freshReady };
    }
    if (pods.old === 0 && pods.freshReady === desired) return { steps, end: pods };
    // Settled with nothing starting: the bounds allow no progress (validation refuses such a policy).
    if (pods.fresh === pods.freshReady)
      throw new Error(`rolling update cannot progress: ${JSON.stringify({ old, desired, bounds })}`);
    steps.push(pods);
    pods = { ...pods, freshReady: pods.fresh };
  }
}

interface Track {
  readonly name: string;
  desired: number;
  pods: Pods;
  oldUnit: number;
  newUnit: number;
  /** The capacity of the version deployed, or being deployed. */
  fullCapacity: number;
  traffic: number;
}

/** Capacity units per pod: an autoscaled color counts each of its pods as max / min. */
const unitOf = (c: ColorSpec) =>
  c.autoscaling === undefined || c.replicas === 0 ? 1 : serviceCapacity(c) / c.replicas;

/** Reasons that resize a color without replacing its pods. */
const SCALE_REASONS = new Set(['replicas changed', 'autoscaling changed']);

function rolloutOf(change: ColorChange, deployed: boolean): Rollout {
  if (change.kind === 'retired') return 'removed';
  if (!deployed) return 'none';
  if (change.kind === 'new') return 'created';
  if (change.kind === 'updated') return change.reasons.every((r) => SCALE_REASONS.has(r)) ? 'scaled' : 'rolling update';
  return 'none';
}

interface ColorPlan {
  readonly track: Track;
  readonly steps: ReadonlyArray<{ readonly pods: Pods; readonly seconds: number }>;
  readonly end: Pods;
}

/** A color's steps in the colors phase; its desired count and capacity become the new ones as its deploy starts. */
function colorPlan(
  track: Track,
  color: ColorSpec,
  rollout: Rollout,
  spec: RainbowSpec,
  estimate: StepEstimate,
): ColorPlan {
  const desired = color.replicas;
  const from = track.pods;
  track.desired = desired;
  track.newUnit = unitOf(color);
  track.fullCapacity = serviceCapacity(color);
  const end = { old: 0, fresh: desired, freshReady: desired };
  if (rollout === 'rolling update') {
    const { steps, end: last } = rollingUpdateSteps(from.old, desired, rollingBounds(spec, desired));
    return { track, steps: steps.map((pods) => ({ pods, seconds: estimate.stepSeconds })), end: last };
  }
  if (rollout === 'created') {
    return {
      track,
      steps:
        desired === 0 ? [] : [{ pods: { old: 0, fresh: desired, freshReady: 0 }, seconds: estimate.createSeconds }],
      end,
    };
  }
  if (rollout === 'scaled' && desired !== from.fresh) {
    const pods = desired > from.fresh ? { old: 0, fresh: desired, freshReady: from.fresh } : end;
    return {
      track,
      steps: [{ pods, seconds: desired > from.fresh ? estimate.stepSeconds : estimate.removeSeconds }],
      end,
    };
  }
  return { track, steps: [], end: rollout === 'scaled' ? end : from };
}

/** Every color as it stands: pods, and its shares of the traffic and of the serving capacity. */
function snapshotOf(tracks: readonly Track[]): ColorStep[] {
  const servingCapacity = tracks.filter((t) => t.traffic > 0).reduce((sum, t) => sum + t.fullCapacity, 0);
  return tracks.map((t) => {
    const { old, fresh, freshReady } = t.pods;
    const ready = old + freshReady;
    const running = old + fresh;
    const serves = old * t.oldUnit + freshReady * t.newUnit;
    const of = servingCapacity + (t.traffic > 0 ? 0 : t.fullCapacity);
    return {
      color: t.name,
      desired: t.desired,
      old,
      new: fresh,
      ready,
      running,
      surge: Math.max(0, running - t.desired),
      unavailable: Math.max(0, t.desired - ready),
      serving: serves,
      trafficPercent: t.traffic,
      capacityPercent: of === 0 ? 0 : (100 * serves) / of,
    };
  });
}

/**
 * Simulates deploying `current` after `previous` (none: a first deploy) through `phases`, as
 * planChange made them. Colors are listed as planChange lists them, less those retired before
 * and after the change.
 */
export function simulateChange(
  previous: RainbowSpec | undefined,
  current: RainbowSpec,
  changes: readonly ColorChange[],
  phases: readonly PhaseToSimulate[],
): Simulation {
  const estimate = estimateSteps(current);
  const live = (c: ColorSpec | undefined): c is ColorSpec => c !== undefined && c.state !== ColorState.RETIRED;
  const before = new Map((previous?.colors ?? []).filter(live).map((c) => [c.name, c]));
  const after = new Map(current.colors.map((c) => [c.name, c]));
  const stackOf = (name: string) => colorStackName(current.app, name);
  const deployed = new Set(phases.filter((p) => p.title === 'colors').flatMap((p) => p.stacks));
  const shown = changes.filter((c) => before.has(c.name) || live(after.get(c.name)));
  const rollouts = new Map(shown.map((c) => [c.name, rolloutOf(c, deployed.has(stackOf(c.name)))]));

  const tracks: Track[] = shown.map((change) => {
    const prev = before.get(change.name);
    if (prev === undefined)
      return {
        name: change.name,
        desired: 0,
        pods: { old: 0, fresh: 0, freshReady: 0 },
        oldUnit: 1,
        newUnit: 1,
        fullCapacity: 0,
        traffic: 0,
      };
    // Pods this change replaces or removes are "old"; those it keeps, as they are or resized, "new".
    const replaced = change.kind === 'removed' || ['rolling update', 'removed'].includes(rollouts.get(change.name)!);
    const n = prev.replicas;
    return {
      name: change.name,
      desired: n,
      pods: replaced ? { old: n, fresh: 0, freshReady: 0 } : { old: 0, fresh: n, freshReady: n },
      oldUnit: unitOf(prev),
      newUnit: unitOf(prev),
      fullCapacity: serviceCapacity(prev),
      traffic: prev.weight,
    };
  });
  const initial = snapshotOf(tracks);

  const simulated: SimulatedPhase[] = [];
  let clock = 0;
  for (const phase of phases) {
    const steps: SimulatedStep[] = [];
    const start = clock;
    const step = (seconds: number) => {
      steps.push({ startSeconds: clock, seconds, colors: snapshotOf(tracks) });
      clock += seconds;
    };
    const tracksOf = (stacks: readonly string[]) =>
      stacks.flatMap((stack) => tracks.filter((t) => stackOf(t.name) === stack));
    if (phase.title === 'colors') {
      // The calls run one after the other; the stacks of one call deploy in parallel, here in lockstep.
      for (const call of phase.calls) {
        const plans = tracksOf(call).flatMap((t) =>
          live(after.get(t.name)) ? [colorPlan(t, after.get(t.name)!, rollouts.get(t.name)!, current, estimate)] : [],
        );
        const length = Math.max(0, ...plans.map((p) => p.steps.length));
        for (let k = 0; k < length; k++) {
          for (const p of plans) p.track.pods = k < p.steps.length ? p.steps[k].pods : p.end;
          step(Math.max(...plans.filter((p) => k < p.steps.length).map((p) => p.steps[k].seconds)));
        }
        for (const p of plans) p.track.pods = p.end;
      }
    } else if (phase.title === 'router') {
      for (const t of tracks) t.traffic = live(after.get(t.name)) ? after.get(t.name)!.weight : 0;
      step(estimate.routerSeconds ?? 0);
    } else {
      for (const t of tracksOf(phase.stacks)) {
        Object.assign(t, { desired: 0, pods: { old: 0, fresh: 0, freshReady: 0 }, fullCapacity: 0, traffic: 0 });
      }
      step(estimate.removeSeconds);
    }
    simulated.push({ title: phase.title, stacks: [...phase.stacks], startSeconds: start, endSeconds: clock, steps });
  }
  return {
    platform: current.platform,
    unit: workloadUnit(current.platform),
    estimate,
    before: initial,
    phases: simulated,
    after: snapshotOf(tracks),
    colors: shown.map((change) => summaryOf(change, rollouts.get(change.name)!, simulated, current)),
    totalSeconds: clock,
  };
}

function summaryOf(
  change: ColorChange,
  rollout: Rollout,
  phases: readonly SimulatedPhase[],
  spec: RainbowSpec,
): ColorSummary {
  let lowest: ColorSummary['lowest'];
  phases.forEach((phase, p) =>
    phase.steps.forEach((step, s) => {
      const own = step.colors.find((c) => c.color === change.name)!;
      if (own.trafficPercent > 0 && (lowest === undefined || own.capacityPercent < lowest.capacityPercent)) {
        lowest = {
          capacityPercent: own.capacityPercent,
          ready: own.ready,
          desired: own.desired,
          phase: p + 1,
          step: s + 1,
        };
      }
    }),
  );
  const color = spec.colors.find((c) => c.name === change.name);
  const bounds = rollout === 'rolling update' && color !== undefined ? rollingBounds(spec, color.replicas) : undefined;
  return {
    color: change.name,
    change: change.kind,
    rollout,
    ...(bounds === undefined ? {} : { maxSurgePods: bounds.surge, maxUnavailablePods: bounds.unavailable }),
    ...(bounds !== undefined && spec.platform === Platform.EC2
      ? { refresh: ec2RefreshPreferences(resolveRollingUpdate(spec.rollingUpdate), color!.replicas, spec.ec2?.alarms) }
      : {}),
    ...(lowest === undefined ? {} : { lowest }),
  };
}
