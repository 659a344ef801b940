import fc from 'fast-check';
import { CheckResult } from '../../engine/checks';
import {
  LastRelease,
  ReleaseDeps,
  ReleaseOutcome,
  ReleaseRecord,
  runRelease,
  SpecText,
  transitioned,
} from '../../engine/release';
import { shiftColor } from '../../model/transitions';
import { liveColors, RainbowSpec } from '../../model/types';
import { planChange } from '../../planning/plan';
import { validateSpecText } from '../../spec-file/load';

/**
 * The release engine against every interleaving fast-check generates: at each point where the
 * release awaits something (a deploy, a commit, a check, a sleep of its bake), the script says
 * what happens there: it goes through or fails, the process is killed (a crash: the next run is a
 * new process), a signal comes, someone else edits the file, or a second release of the same
 * spec starts; a check's run passes, fails, is inconclusive or cannot reach its source. A run that
 * pauses (the `pause` step, an inconclusive run) or whose rollback is not deployed is followed by
 * another, as a person would go on.
 * The stand-ins (an in-memory file, deploy, git and lock) check, as it happens and after every
 * run, what must always hold:
 * - what is committed was deployed; what is deployed is what the file held, written by the
 *   release or another editor, and safe against what is really deployed;
 * - at most one release holds the spec;
 * - a finished rollback leaves the weights the release started from: every run that ends rolled
 *   back, also one that finishes a rollback an earlier run decided but could not write or deploy
 *   (another edit came first, put back since as the message says), deployed them;
 * - a paused release holds no lock, and its record says what is really deployed and where it
 *   stopped: at the step before `pause`, or (bakeAgain) at a step whose bake it cut short;
 * - a record that says the release is past its last step (in the watch of postPromotionSeconds,
 *   or the post-promotion hooks) says so truly: the last step is what is deployed;
 * - once a rollback is deployed the release has ended, even in a run killed before its commit:
 *   no record says it goes on, the last release says it rolled back, and with --commit either git
 *   HEAD or the last release holds what is deployed; the next run starts a new release, from the
 *   first step; a record of a rollback says nothing of the release going on;
 * - a release killed after its last step never ends in "nothing to do": it is promoted only by a
 *   run that watched for the whole of postPromotionSeconds at the last step, then ran the
 *   post-promotion hooks, last;
 * - every run ends, within a bounded number of awaits.
 */

const SPEC = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [25, pause, 50, 100]
  bakeSeconds: 60
  checkIntervalSeconds: 30
  postPromotionSeconds: 60
  checks:
    - name: smoke
      command: [./check.sh]
  hooks:
    postPromotion:
      - name: verify
        command: [./verify.sh]
colors:
  - name: blue
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
`;

type Action =
  | { readonly kind: 'ok' }
  | { readonly kind: 'fail' }
  | { readonly kind: 'error' }
  | { readonly kind: 'inconclusive' }
  | { readonly kind: 'crash' }
  | { readonly kind: 'signal' }
  | { readonly kind: 'second-release' }
  | { readonly kind: 'edit-image'; readonly tag: number }
  | { readonly kind: 'edit-weight'; readonly weight: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'ok' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'fail' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'error' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'inconclusive' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'signal' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'second-release' } as const) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9 }).map((tag) => ({ kind: 'edit-image', tag }) as const) },
  { weight: 1, arbitrary: fc.constantFrom(0, 25, 50, 75).map((weight) => ({ kind: 'edit-weight', weight }) as const) },
);

class Crash extends Error {}

/**
 * What happens at an await: a deploy or commit fails on `fail` and goes through otherwise; a check's run takes it as
 * its verdict.
 */
type Verdict = 'ok' | 'fail' | 'error' | 'inconclusive';

/** Validated once per text: the stand-ins read the same few texts again and again. */
const specs = new Map<string, RainbowSpec>();
const spec = (text: string): RainbowSpec => {
  const known = specs.get(text);
  if (known !== undefined) return known;
  const { spec: s, problems } = validateSpecText(text, 'rainbow.yaml');
  if (s === undefined) throw new Error(problems.map((p) => p.message).join('\n'));
  specs.set(text, s);
  return s;
};
const weights = (text: string) => Object.fromEntries(liveColors(spec(text)).map((c) => [c.name, c.weight]));

/** The runs of the checks (and hooks) in one run of the release, with the weight each ran at. */
type CheckRun = { readonly name: string; readonly weight: number };

/** Runs of the checks in the watch after the last step: postPromotionSeconds 60, every 30 s. */
const WATCH_RUNS = 2;

/** Bounds a run: far more awaits than any release of three steps needs. */
const MAX_AWAITS = 400;

class World {
  file = SPEC;
  head = SPEC;
  deployed = SPEC;
  record: ReleaseRecord | undefined;
  last: LastRelease | undefined;
  lock: number | undefined;
  readonly alive = new Set<number>();
  /** Every text the release or another editor wrote: what may be deployed. */
  readonly intended = new Set([SPEC]);
  now = 0;
  /** The checks the last run of the release ran. */
  checkRuns: CheckRun[] = [];
  /** Whether the last run deployed a rollback. */
  rolledBack = false;
  /** The first spec the last run asked to deploy. */
  firstDeploy: string | undefined;
  private failedDeploys = 0;
  private next = 0;
  /** How many awaits took their action from the script (or past its end). */
  get consumed(): number {
    return this.next;
  }
  private nextPid = 1;

  constructor(
    private readonly script: readonly Action[],
    readonly commit: boolean,
  ) {}

  take(): Action {
    return this.script[this.next++] ?? { kind: 'ok' };
  }

  /** One run of `rainbow release green` as a process of its own. */
  async run(): Promise<ReleaseOutcome | 'crashed'> {
    const pid = this.nextPid++;
    this.alive.add(pid);
    this.checkRuns = [];
    this.rolledBack = false;
    this.firstDeploy = undefined;
    let listener: ((signal: string) => void) | undefined;
    let awaits = 0;
    const point = async (): Promise<Verdict> => {
      awaits += 1;
      if (awaits > MAX_AWAITS) throw new Error(`the run did not end within ${MAX_AWAITS} awaits`);
      await Promise.resolve();
      const next = this.take();
      switch (next.kind) {
        case 'crash':
          this.alive.delete(pid);
          throw new Crash();
        case 'signal':
          listener?.('SIGINT');
          return 'ok';
        case 'second-release': {
          const second = await this.second();
          expect(second).toBe('refused');
          return 'ok';
        }
        case 'edit-image':
          this.edit(this.file.replace(/shop:2\.0\.\d+/, `shop:2.0.${next.tag}`));
          return 'ok';
        case 'edit-weight': {
          const shifted = transitioned('rainbow.yaml', { text: this.file, spec: spec(this.file) }, (s) =>
            shiftColor(s, 'green', next.weight),
          );
          if (!('problems' in shifted)) this.edit(shifted.text);
          return 'ok';
        }
        default:
          return next.kind;
      }
    };
    const deps = this.deps(
      pid,
      point,
      (l) => {
        listener = l;
      },
      this.checkRuns,
    );
    try {
      return await runRelease({ out: () => {}, err: () => {} }, 'rainbow.yaml', 'green', { commit: this.commit }, deps);
    } catch (error) {
      if (error instanceof Crash) return 'crashed';
      throw error;
    } finally {
      this.alive.delete(pid);
    }
  }

  /** A second release of the same spec, started while the first awaits: it must not get in. */
  private async second(): Promise<ReleaseOutcome | 'crashed'> {
    const pid = this.nextPid++;
    this.alive.add(pid);
    const deployedBefore = this.deployed;
    try {
      const outcome = await runRelease(
        { out: () => {}, err: () => {} },
        'rainbow.yaml',
        'green',
        { commit: this.commit },
        this.deps(
          pid,
          async () => 'ok',
          () => {},
          [],
        ),
      );
      expect(this.deployed).toBe(deployedBefore);
      return outcome;
    } finally {
      this.alive.delete(pid);
    }
  }

  /** The person puts back what the release last wrote (git diff shows the other change). */
  putBack(text: string): void {
    if (this.file !== text) this.edit(text);
  }

  /** Another editor (a person, a pipeline) writes the file. */
  private edit(text: string): void {
    this.file = text;
    this.intended.add(text);
  }

  private deps(
    pid: number,
    point: () => Promise<Verdict>,
    listen: (listener: ((signal: string) => void) | undefined) => void,
    checkRuns: CheckRun[],
  ): ReleaseDeps {
    return {
      clock: {
        now: () => this.now,
        sleep: async (ms) => {
          await point();
          this.now += ms;
        },
      },
      onInterrupt: (l) => {
        listen(l);
        return () => listen(undefined);
      },
      store: {
        read: (): SpecText => ({ text: this.file, spec: spec(this.file) }),
        write: (expected, text) => {
          expect(this.lock).toBe(pid);
          if (this.file !== expected) return 'changed-on-disk';
          this.file = text;
          this.intended.add(text);
          return 'written';
        },
        readRecord: () => this.record,
        writeRecord: (record) => {
          expect(this.lock).toBe(pid);
          this.record = record === undefined ? undefined : JSON.parse(JSON.stringify(record));
        },
        readLastRelease: () => this.last,
        writeLastRelease: (last) => {
          expect(this.lock).toBe(pid);
          this.record = undefined;
          this.last = JSON.parse(JSON.stringify(last));
        },
      },
      lock: () => {
        if (this.lock !== undefined && this.alive.has(this.lock))
          return { problems: [{ path: 'rainbow.yaml', message: `locked by ${this.lock}` }] };
        this.lock = pid;
        return {
          release: () => {
            if (this.lock === pid) this.lock = undefined;
          },
        };
      },
      previous: () => ({ source: 'git:HEAD', spec: spec(this.head), text: this.head }),
      deploy: async (request) => {
        expect(this.lock).toBe(pid);
        // What is deployed is what the file holds, which someone meant.
        expect(request.spec.text).toBe(this.file);
        expect(this.intended.has(request.spec.text)).toBe(true);
        const claimed = planChange(request.against.spec, request.spec.spec).violations.filter(
          (v) => !request.forceRules.includes(v.rule),
        );
        if (claimed.length > 0) return 'unsafe';
        // Safe against what is really deployed, not only against what the release believes.
        const real = planChange(spec(this.deployed), request.spec.spec).violations.filter(
          (v) => !request.forceRules.includes(v.rule),
        );
        expect(real).toEqual([]);
        // Asked for, whether it goes through or not: the first step of a new release may fail and roll back.
        if (checkRuns === this.checkRuns) this.firstDeploy ??= request.spec.text;
        const happened = await point();
        if (happened === 'fail') {
          // A failed deploy may have gone through in part: here, every other one went through.
          this.failedDeploys += 1;
          if (this.failedDeploys % 2 === 0) this.deployed = request.spec.text;
          return 'failed';
        }
        this.deployed = request.spec.text;
        // Only a rollback goes past the step-size rule.
        if (checkRuns === this.checkRuns) this.rolledBack ||= request.forceRules.includes('step-too-large');
        return 'deployed';
      },
      commit: async (text) => {
        expect(this.lock).toBe(pid);
        if ((await point()) === 'fail') return 'a hook refused the commit';
        // What is committed was deployed.
        expect(this.deployed).toBe(text);
        this.head = text;
        return undefined;
      },
      runCheck: async (check, context): Promise<CheckResult> => {
        checkRuns.push({ name: check.name, weight: context.values.weight });
        const verdict = await point();
        if (verdict === 'ok') return { name: check.name, verdict: 'pass', value: 'exit 0' };
        return { name: check.name, verdict, value: verdict, why: verdict };
      },
      prerequisite: () => undefined,
      env: {},
      cwd: '/',
    };
  }
}

/** The outcomes after which the release is run again: a crash, a pause, a rollback not written or not deployed. */
const GOES_ON: ReadonlyArray<ReleaseOutcome | 'crashed'> = ['crashed', 'paused', 'rollback-failed'];

/**
 * Runs the release until it ends, a crashed, paused or rollback-failed run followed by another, as
 * a person or a pipeline would run it again, checking after each run and at the end what must
 * hold; the outcome of the last run ('crashed', 'paused' or 'rollback-failed' when the runs ran out).
 */
async function releaseToTheEnd(world: World): Promise<ReleaseOutcome | 'crashed'> {
  const started = weights(world.deployed);
  let outcome: ReleaseOutcome | 'crashed' = 'crashed';
  for (let run = 0; run < 12 && (run === 0 || GOES_ON.includes(outcome)); run++) {
    // A rollback that another edit kept from being written or deployed: the person puts back what the release wrote,
    // as its message says, and runs it again.
    if (outcome === 'rollback-failed' && world.record?.rollback !== undefined) world.putBack(world.record.written);
    // A run after a deployed rollback, with nothing changed since: a new release.
    const afresh = world.rolledBack && world.file === (world.last?.deployed ?? world.head);
    outcome = await world.run();
    expect(world.lock === undefined || !world.alive.has(world.lock)).toBe(true);
    // Whichever run ends it, and however the rollback was decided, written or deployed, it deploys the start's weights.
    if (outcome === 'rolled-back') expect(weights(world.deployed)).toEqual(started);
    if (afresh && world.firstDeploy !== undefined) expect(weights(world.firstDeploy).green).toBe(25);
    if (world.rolledBack) {
      // Killed or not before the commit, the release has ended, and what is deployed is known.
      expect(world.record).toBeUndefined();
      expect(world.last?.outcome).toBe('rolled-back');
      if (world.commit) expect(world.last!.deployed ?? world.head).toBe(world.deployed);
      else expect(world.last!.deployed).toBeUndefined();
    }
    if (world.record?.rollback !== undefined) {
      expect(world.record.preRolloutPassed).toBeUndefined();
      expect(world.record.postPromotion).toBeUndefined();
      expect(world.record.paused).toBeUndefined();
    }
    if (world.record?.postPromotion === true) {
      // Past the last step: what the record says is deployed is, and it is the last step.
      expect(world.record.deployed).toBe(world.deployed);
      expect(weights(world.deployed).green).toBe(100);
    }
    if (outcome === 'paused') {
      const paused = world.record?.paused;
      expect(paused).toBeDefined();
      expect(world.record!.rollback).toBeUndefined();
      // The record says what is really deployed, and where the release stopped.
      expect(world.record!.deployed).toBe(world.deployed);
      expect(weights(world.deployed).green).toBe(paused!.weight);
      if (!paused!.bakeAgain) expect(paused!.weight).toBe(25);
    }
  }
  if (outcome === 'crashed' || outcome === 'paused') return outcome;
  // The release starts at green 0, and no other editor puts it at 100: something is always left to do.
  expect(outcome).not.toBe('done');
  if (outcome === 'rolled-back') expect(weights(world.deployed)).toEqual(started);
  if (outcome === 'promoted') {
    expect(weights(world.deployed).green).toBe(100);
    expect(world.record).toBeUndefined();
    // The run that promoted watched the whole window at 100%, then ran the post-promotion hook, last.
    const runs = world.checkRuns;
    expect(runs[runs.length - 1]).toEqual({ name: 'verify', weight: 100 });
    expect(runs.slice(-1 - WATCH_RUNS, -1)).toEqual(Array(WATCH_RUNS).fill({ name: 'smoke', weight: 100 }));
  }
  if (outcome === 'rollback-failed') expect(world.record?.rollback).toBeDefined();
  if (world.commit && outcome === 'promoted') expect(world.head).toBe(world.deployed);
  return outcome;
}

describe('the release engine, under every interleaving', () => {
  it('never commits what is not deployed, deploys only what someone wrote, never lets two releases in, and restores the start on rollback', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), fc.boolean(), async (script, commit) => {
        await releaseToTheEnd(new World(script, commit));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the release engine, killed at every await', () => {
  const OK: Action = { kind: 'ok' };
  const CRASH: Action = { kind: 'crash' };
  const FAIL: Action = { kind: 'fail' };
  /** The awaits of a whole release where everything goes through: its two runs, before and after the pause. */
  let awaits = 0;
  beforeAll(async () => {
    const world = new World([], false);
    expect(await releaseToTheEnd(world)).toBe('promoted');
    awaits = world.consumed;
  });

  it('is promoted by the next run, wherever it was killed, once, then twice', async () => {
    // 25%: a deploy, two sleeps and runs; then 50% and 100% the same; the watch's two; the hook.
    expect(awaits).toBe(5 + 5 + 5 + 4 + 1);
    for (let first = 0; first <= awaits; first++) {
      expect(await releaseToTheEnd(new World([...Array<Action>(first).fill(OK), CRASH], first % 2 === 0))).toBe(
        'promoted',
      );
      // Killed again early in the next run: during the watch it does again, when the first kill came after the last
      // step.
      for (const second of [1, 3]) {
        const script = [...Array<Action>(first).fill(OK), CRASH, ...Array<Action>(second).fill(OK), CRASH];
        expect(await releaseToTheEnd(new World(script, first % 2 === 1))).toBe('promoted');
      }
    }
  });

  it('rolls back to where it started when a check fails in the watch a resumed run does again after the last step', async () => {
    // Of the kills at every await, those after the last step's bake (in the watch, or its hook) leave a record that
    // says so.
    let killedAfterPromotion = 0;
    for (let n = 0; n <= awaits; n++) {
      const world = new World([...Array<Action>(n).fill(OK), CRASH, FAIL, FAIL], false);
      let outcome = await world.run();
      while (outcome === 'paused') outcome = await world.run();
      if (outcome !== 'crashed' || world.record?.postPromotion !== true) continue;
      killedAfterPromotion += 1;
      expect(await world.run()).toBe('rolled-back');
      expect(weights(world.deployed)).toEqual({ blue: 100, green: 0 });
      expect(world.record).toBeUndefined();
    }
    expect(killedAfterPromotion).toBeGreaterThanOrEqual(WATCH_RUNS * 2);
  });

  it('starts a new release, from the first step, after a run killed between its rollback and the commit of it', async () => {
    let killedBeforeCommit = 0;
    for (let n = 0; n <= awaits; n++) {
      // Something fails after n awaits; the rollback deploys; the run is killed at its commit.
      const world = new World([...Array<Action>(n).fill(OK), FAIL, OK, CRASH], true);
      let outcome = await world.run();
      while (outcome === 'paused') outcome = await world.run();
      if (outcome !== 'crashed' || !world.rolledBack) continue;
      killedBeforeCommit += 1;
      expect(world.record).toBeUndefined();
      expect(world.last).toMatchObject({ color: 'green', outcome: 'rolled-back', deployed: world.deployed });
      expect(weights(world.deployed)).toEqual({ blue: 100, green: 0 });
      expect(await world.run()).toBe('paused');
      expect(weights(world.firstDeploy!).green).toBe(25);
      expect(world.record?.paused?.weight).toBe(25);
      expect(world.record?.before).toEqual({ blue: 100, green: 0 });
      expect(await world.run()).toBe('promoted');
      expect(world.head).toBe(world.deployed);
      expect(world.last).toMatchObject({ outcome: 'promoted' });
      expect(world.last?.deployed).toBeUndefined();
    }
    expect(killedBeforeCommit).toBeGreaterThanOrEqual(10);
  });
});
