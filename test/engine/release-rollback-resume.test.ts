import { CheckResult } from '../../engine/checks';
import {
  DeployOutcome,
  LastRelease,
  ReleaseDeps,
  ReleaseOutcome,
  ReleaseRecord,
  runRelease,
  SpecText,
} from '../../engine/release';
import { RollbackOutcome, runRollback } from '../../engine/rollback';
import { liveColors, RainbowSpec } from '../../model/types';
import { validateSpecText } from '../../spec-file/load';

/**
 * A rollback resumed by the next run of the release, in-process: the spec, the record, deploys
 * and git are stand-ins in memory, shared by `rainbow release` and `rainbow rollback`.
 */

const TEXT = `app: shop
platform: kubernetes
kubernetes:
  gateway: { name: public, namespace: infra }
  host: shop.example.com
progression:
  steps: [50, 100]
  bakeSeconds: 0
  checks:
    - name: smoke
      command: [./check.sh]
colors:
  - name: blue
    image: ghcr.io/acme/shop:2.0.0
    weight: 100
  - name: green
    image: ghcr.io/acme/shop:2.1.0
    weight: 0
`;

/** The release's first step: green at 50%. */
const STEP_50 = TEXT.replace('weight: 100', 'weight: 50').replace(/weight: 0\n$/, 'weight: 50\n');

const WHY = 'check smoke failed at step 1/2 (green at 50%): exit 1 (1 failed run, progression.failureLimit 0)';

const specOf = (text: string): RainbowSpec => {
  const { spec, problems } = validateSpecText(text, 'rainbow.yaml');
  if (spec === undefined) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return spec;
};
const weights = (text: string) => Object.fromEntries(liveColors(specOf(text)).map((c) => [c.name, c.weight]));

/** Another editor's change: blue's image. */
const editBlue = (text: string) => text.replace('shop:2.0.0', 'shop:2.0.1');

/** What the stand-in file does at one write: takes it, finds another edit landed first, or fails. */
type WriteEvent = 'ok' | 'raced' | 'disk-full';

/**
 * The stand-ins. `checks` gives each run of smoke its verdict in turn (pass once they run out),
 * `duringCheck` runs at each run of it (another editor), `writes` says what happens at each write of
 * the spec in turn (taken once they run out), `deploys` the outcome of each deploy in turn.
 */
function world(
  o: {
    checks?: Array<CheckResult['verdict']>;
    duringCheck?: (file: string) => string;
    writes?: WriteEvent[];
    deploys?: DeployOutcome[];
  } = {},
) {
  const state = {
    file: TEXT,
    deployed: TEXT,
    head: TEXT,
    record: undefined as ReleaseRecord | undefined,
    last: undefined as LastRelease | undefined,
    /** The weights of each deploy asked for, as `green <weight>`. */
    deploys: [] as string[],
    /** The texts written to the spec, in turn. */
    writes: [] as string[],
  };
  const err: string[] = [];
  const out: string[] = [];
  const deps: ReleaseDeps & Parameters<typeof runRollback>[3] = {
    clock: { now: () => 0, sleep: async () => {} },
    onInterrupt: () => () => {},
    store: {
      read: (): SpecText => ({ text: state.file, spec: specOf(state.file) }),
      write: (expected, next) => {
        const event = o.writes?.shift() ?? 'ok';
        if (event === 'disk-full')
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: 'rainbow.yaml' });
        // Another editor writes between the release's check of the file and its write.
        if (event === 'raced') state.file = editBlue(state.file);
        if (state.file !== expected) return 'changed-on-disk';
        state.file = next;
        state.writes.push(next);
        return 'written';
      },
      readRecord: () => state.record,
      writeRecord: (record) => {
        state.record = record === undefined ? undefined : JSON.parse(JSON.stringify(record));
      },
      readLastRelease: () => state.last,
      writeLastRelease: (last) => {
        state.record = undefined;
        state.last = last;
      },
    },
    lock: () => ({ release: () => {} }),
    previous: () => ({ source: 'git:HEAD', spec: specOf(state.head), text: state.head }),
    deploy: async (request) => {
      // A deploy is of what the file holds.
      expect(request.spec.text).toBe(state.file);
      state.deploys.push(`green ${weights(request.spec.text).green}`);
      const outcome = o.deploys?.shift() ?? 'deployed';
      if (outcome === 'deployed') state.deployed = request.spec.text;
      return outcome;
    },
    commit: async (committed) => {
      state.head = committed;
      return undefined;
    },
    runCheck: async (check) => {
      if (o.duringCheck !== undefined) state.file = o.duringCheck(state.file);
      const verdict = o.checks?.shift() ?? 'pass';
      return { name: check.name, verdict, value: verdict === 'pass' ? 'exit 0' : 'exit 1' };
    },
    prerequisite: () => undefined,
    env: {},
    cwd: '/',
    date: () => new Date('2026-12-07T10:00:00.000Z'),
  };
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const release = (): Promise<ReleaseOutcome> => {
    err.length = 0;
    out.length = 0;
    return runRelease(io, 'rainbow.yaml', 'green', {}, deps);
  };
  const rollback = (to: string): Promise<RollbackOutcome> => {
    err.length = 0;
    out.length = 0;
    return runRollback(io, 'rainbow.yaml', { to }, deps);
  };
  return { state, err, out, release, rollback };
}

/** The record of a rollback decided at step 1 (green at 50%, deployed) and not written: the file holds the step. */
const UNWRITTEN: ReleaseRecord = {
  color: 'green',
  startedAt: '2026-12-07T10:00:00.000Z',
  before: { blue: 100, green: 0 },
  deployed: STEP_50,
  written: STEP_50,
  rollback: WHY,
  rollbackWritten: false,
};

const CHANGED_DURING_ROLLBACK =
  'release: rainbow.yaml changed during the release, not by it (blue updated (image ghcr.io/acme/shop:2.0.0 → ghcr.io/acme/shop:2.0.1)), ' +
  'so the rollback is neither written nor deployed: deployed is blue 50%, green 50%. ' +
  'Put back what the release wrote (git diff shows the other change), then run rainbow release green to finish the rollback';

const RESUMING_UNWRITTEN =
  'release: finishing the rollback of green that an earlier run decided but could not write ' +
  `(${WHY}): writing it, then deploying it`;

/** The next run, the file holding what the release wrote again: the rollback written, deployed, the release ended. */
async function expectFinished(w: ReturnType<typeof world>, deploysBefore: readonly string[]): Promise<void> {
  expect(await w.release()).toBe('rolled-back');
  expect(w.err).toEqual([RESUMING_UNWRITTEN, `release: rolled back: blue 100%, green 0%; ${WHY}`]);
  expect(w.state.deploys).toEqual([...deploysBefore, 'green 0']);
  expect(weights(w.state.deployed)).toEqual({ blue: 100, green: 0 });
  expect(w.state.file).toBe(w.state.deployed);
  expect(w.state.record).toBeUndefined();
  expect(w.state.last).toEqual({
    color: 'green',
    outcome: 'rolled-back',
    startedAt: '2026-12-07T10:00:00.000Z',
    endedAt: '2026-12-07T10:00:00.000Z',
    before: { blue: 100, green: 0 },
  });
}

describe('a rollback the release decided but could not write', () => {
  it('is written with the weights before the release and deployed by the next run, once the file is put back; not the last step', async () => {
    // Someone changes blue's image while step 1's check fails.
    let edits = 1;
    const w = world({
      checks: ['fail'],
      duringCheck: (file) => (edits-- > 0 ? editBlue(file) : file),
    });
    expect(await w.release()).toBe('rollback-failed');
    expect(w.err).toEqual([`release: rolling back green: ${WHY}`, CHANGED_DURING_ROLLBACK]);
    expect(w.state.deploys).toEqual(['green 50']);
    expect(w.state.record).toEqual(UNWRITTEN);
    // As the message says: put back what the release wrote, then run it again.
    w.state.file = w.state.record!.written;
    await expectFinished(w, ['green 50']);
  });

  it('is kept as decided and not written when another edit lands between the check of the file and the write', async () => {
    const w = world({ checks: ['fail'], writes: ['ok', 'raced'] });
    expect(await w.release()).toBe('rollback-failed');
    expect(w.err).toEqual([`release: rolling back green: ${WHY}`, CHANGED_DURING_ROLLBACK]);
    expect(w.state.record).toEqual(UNWRITTEN);
    w.state.file = w.state.record!.written;
    await expectFinished(w, ['green 50']);
  });

  it('is kept as decided and not written when the write fails (the disk is full); the next run writes and deploys it', async () => {
    const w = world({ checks: ['fail'], writes: ['ok', 'disk-full'] });
    expect(await w.release()).toBe('rollback-failed');
    expect(w.err).toEqual([
      `release: rolling back green: ${WHY}`,
      'release: rainbow.yaml: no space left on device (ENOSPC)',
      'release: the rollback could not be written (above), so it is not deployed: deployed is blue 50%, green 50%; drain green by hand (rainbow drain green, then rainbow apply)',
    ]);
    expect(w.state.file).toBe(STEP_50);
    expect(w.state.record).toEqual(UNWRITTEN);
    await expectFinished(w, ['green 50']);
  });

  it('is deployed as the file holds it when a run wrote it and was killed before its record said so', async () => {
    const w = world();
    w.state.deployed = STEP_50;
    w.state.record = UNWRITTEN;
    // The rollback of the step, on file: the weights before the release.
    w.state.file = TEXT;
    expect(await w.release()).toBe('rolled-back');
    expect(w.err).toEqual([RESUMING_UNWRITTEN, `release: rolled back: blue 100%, green 0%; ${WHY}`]);
    expect(w.state.writes).toEqual([]);
    expect(w.state.deploys).toEqual(['green 0']);
    expect(w.state.deployed).toBe(TEXT);
    expect(w.state.record).toBeUndefined();
  });

  it('stops, writing and deploying nothing and keeping its record as it was, while the file holds another edit', async () => {
    const w = world();
    w.state.deployed = STEP_50;
    w.state.record = UNWRITTEN;
    w.state.file = editBlue(STEP_50);
    for (let run = 0; run < 2; run++) {
      expect(await w.release()).toBe('rollback-failed');
      expect(w.err).toEqual([RESUMING_UNWRITTEN, CHANGED_DURING_ROLLBACK]);
      expect(w.state.writes).toEqual([]);
      expect(w.state.deploys).toEqual([]);
      expect(w.state.record).toEqual(UNWRITTEN);
    }
    w.state.file = STEP_50;
    await expectFinished(w, []);
  });
});

describe('a rollback the release wrote but could not deploy', () => {
  it('keeps its record as it was while the file holds another edit, so that no later run deploys that edit as the rollback', async () => {
    const w = world({ checks: ['fail'], deploys: ['deployed', 'failed'] });
    expect(await w.release()).toBe('rollback-failed');
    const written = w.state.record!;
    expect(written).toMatchObject({ written: TEXT, rollback: WHY });
    expect(written.rollbackWritten).toBeUndefined();
    w.state.file = editBlue(TEXT);
    for (let run = 0; run < 2; run++) {
      expect(await w.release()).toBe('rollback-failed');
      expect(w.err).toEqual([
        `release: finishing the rollback of green that an earlier run wrote but did not deploy (${WHY})`,
        CHANGED_DURING_ROLLBACK,
      ]);
      expect(w.state.record).toEqual(written);
      expect(w.state.deploys).toEqual(['green 50', 'green 0']);
    }
    w.state.file = TEXT;
    expect(await w.release()).toBe('rolled-back');
    expect(w.state.deploys).toEqual(['green 50', 'green 0', 'green 0']);
    expect(w.state.deployed).toBe(TEXT);
  });
});

describe('a rollback rainbow rollback --to wrote into an unfinished release', () => {
  it('is resumed as it was written over a rollback the release decided but could not write', async () => {
    let edits = 1;
    const w = world({
      checks: ['fail'],
      duringCheck: (file) => (edits-- > 0 ? editBlue(file) : file),
      deploys: ['deployed', 'failed'],
    });
    expect(await w.release()).toBe('rollback-failed');
    expect(w.state.record).toEqual(UNWRITTEN);
    w.state.file = STEP_50;
    expect(await w.rollback('green')).toBe('rollback-failed');
    expect(w.state.record).toEqual({
      ...UNWRITTEN,
      written: w.state.file,
      rollback: 'rainbow rollback: all traffic to green',
      rollbackWritten: undefined,
    });
    expect(await w.release()).toBe('rolled-back');
    expect(w.state.deploys).toEqual(['green 50', 'green 100', 'green 100']);
    expect(weights(w.state.deployed)).toEqual({ blue: 0, green: 100 });
  });

  it('is resumed by the release as it was written: all traffic on its target, not the weights before the release', async () => {
    const w = world({ deploys: ['failed'] });
    w.state.record = {
      color: 'green',
      startedAt: '2026-12-07T10:00:00.000Z',
      before: { blue: 100, green: 0 },
      deployed: STEP_50,
      written: STEP_50,
      paused: { weight: 50, reason: 'progression.steps says pause here', bakeAgain: false },
    };
    w.state.file = STEP_50;
    w.state.deployed = STEP_50;
    w.state.head = STEP_50;
    // The rollback --to green is written, its deploy fails.
    expect(await w.rollback('green')).toBe('rollback-failed');
    expect(w.state.deploys).toEqual(['green 100']);
    expect(w.state.record).toMatchObject({ written: w.state.file, rollback: 'rainbow rollback: all traffic to green' });
    expect(w.state.record!.rollbackWritten).toBeUndefined();
    expect(await w.release()).toBe('rolled-back');
    expect(w.err).toEqual([
      'release: finishing the rollback of green that an earlier run wrote but did not deploy (rainbow rollback: all traffic to green)',
      'release: rolled back: blue 0%, green 100%; rainbow rollback: all traffic to green',
    ]);
    expect(w.state.deploys).toEqual(['green 100', 'green 100']);
    expect(weights(w.state.deployed)).toEqual({ blue: 0, green: 100 });
    expect(w.state.record).toBeUndefined();
  });
});
