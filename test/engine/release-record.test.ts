import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLastRelease, readRecord, recordPath, writeLastRelease, writeRecord } from '../../engine/release-record';

function spec(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-record-'));
  const file = join(dir, 'rainbow.yaml');
  writeFileSync(file, 'app: shop\n');
  return file;
}

const RECORD = {
  color: 'green',
  startedAt: '2026-12-07T00:00:00.000Z',
  before: { blue: 100, green: 0 },
  deployed: 'a',
  written: 'b',
};

describe('the release record', () => {
  it('is written whole beside the spec and read back; removed when the release ends', () => {
    const file = spec();
    writeRecord(file, { ...RECORD, rollback: 'a check failed' });
    expect(recordPath(file)).toBe(join(file, '..', '.rainbow.yaml.release.json'));
    expect(JSON.parse(readFileSync(recordPath(file), 'utf8')).version).toBe(1);
    expect(statSync(recordPath(file)).mode & 0o777).toBe(0o644);
    expect(readRecord(file)).toEqual({ ...RECORD, rollback: 'a check failed' });
    writeRecord(file, undefined);
    expect(readRecord(file)).toBeUndefined();
  });

  it('keeps the last finished release once the release ends, which is no unfinished release', () => {
    const file = spec();
    const last = {
      color: 'green',
      outcome: 'promoted' as const,
      startedAt: RECORD.startedAt,
      endedAt: '2026-12-07T00:30:00.000Z',
      before: { blue: 100, green: 0 },
    };
    writeRecord(file, { ...RECORD, preRolloutPassed: true });
    expect(readRecord(file)).toEqual({ ...RECORD, preRolloutPassed: true });
    writeRecord(file, undefined);
    writeLastRelease(file, last);
    expect(readRecord(file)).toBeUndefined();
    expect(readLastRelease(file)).toEqual(last);
    expect(JSON.parse(readFileSync(recordPath(file), 'utf8'))).toEqual({ version: 1, last });
    // A new release keeps it beside its own record, and removing that record keeps it still.
    writeRecord(file, { ...RECORD, color: 'red' });
    expect(readRecord(file)).toEqual({ ...RECORD, color: 'red' });
    expect(readLastRelease(file)).toEqual(last);
    writeRecord(file, undefined);
    expect(readRecord(file)).toBeUndefined();
    expect(readLastRelease(file)).toEqual(last);
    writeFileSync(recordPath(file), JSON.stringify({ version: 1, last: { ...last, outcome: 'won' } }));
    expect(readLastRelease(file)).toEqual({
      problems: [
        {
          path: recordPath(file),
          message:
            'the release record cannot be read: it is not a record this version of rainbow wrote; remove it once you know what is deployed',
        },
      ],
    });
  });

  it('ends an unfinished release in one write, keeping what a rollback git does not hold deployed, and refuses another shape of it', () => {
    const file = spec();
    writeRecord(file, { ...RECORD, preRolloutPassed: true, postPromotion: true });
    const last = {
      color: 'green',
      outcome: 'rolled-back' as const,
      startedAt: RECORD.startedAt,
      endedAt: '2026-12-07T00:30:00.000Z',
      before: { blue: 100, green: 0 },
      deployed: 'c',
    };
    writeLastRelease(file, last);
    expect(JSON.parse(readFileSync(recordPath(file), 'utf8'))).toEqual({ version: 1, last });
    expect(readRecord(file)).toBeUndefined();
    expect(readLastRelease(file)).toEqual(last);
    writeFileSync(recordPath(file), JSON.stringify({ version: 1, last: { ...last, deployed: 1 } }));
    expect(readLastRelease(file)).toEqual({
      problems: [
        {
          path: recordPath(file),
          message:
            'the release record cannot be read: it is not a record this version of rainbow wrote; remove it once you know what is deployed',
        },
      ],
    });
  });

  it('keeps where a release paused, and refuses a pause of another shape', () => {
    const file = spec();
    const paused = { weight: 25, reason: 'progression.steps says pause here', bakeAgain: false };
    writeRecord(file, { ...RECORD, paused });
    expect(readRecord(file)).toEqual({ ...RECORD, paused });
    writeFileSync(
      recordPath(file),
      JSON.stringify({ version: 1, ...RECORD, paused: { weight: '25', reason: 'x', bakeAgain: false } }),
    );
    expect(readRecord(file)).toEqual({
      problems: [
        {
          path: recordPath(file),
          message:
            'the release record cannot be read: it is not a record this version of rainbow wrote; remove it once you know what is deployed',
        },
      ],
    });
  });

  it('keeps that a release is past its last step (in its watch and hooks after promotion), and refuses another shape of it', () => {
    const file = spec();
    writeRecord(file, { ...RECORD, postPromotion: true });
    expect(JSON.parse(readFileSync(recordPath(file), 'utf8')).postPromotion).toBe(true);
    expect(readRecord(file)).toEqual({ ...RECORD, postPromotion: true });
    writeFileSync(recordPath(file), JSON.stringify({ version: 1, ...RECORD, postPromotion: 'yes' }));
    expect(readRecord(file)).toEqual({
      problems: [
        {
          path: recordPath(file),
          message:
            'the release record cannot be read: it is not a record this version of rainbow wrote; remove it once you know what is deployed',
        },
      ],
    });
  });

  it('keeps that a rollback is decided but not written, only with a rollback, and refuses another shape of it', () => {
    const file = spec();
    writeRecord(file, { ...RECORD, rollback: 'a check failed', rollbackWritten: false });
    expect(JSON.parse(readFileSync(recordPath(file), 'utf8')).rollbackWritten).toBe(false);
    expect(readRecord(file)).toEqual({ ...RECORD, rollback: 'a check failed', rollbackWritten: false });
    // Written (true), or without a rollback: nothing is left unwritten.
    writeFileSync(
      recordPath(file),
      JSON.stringify({ version: 1, ...RECORD, rollback: 'a check failed', rollbackWritten: true }),
    );
    expect(readRecord(file)).toEqual({ ...RECORD, rollback: 'a check failed' });
    writeFileSync(recordPath(file), JSON.stringify({ version: 1, ...RECORD, rollbackWritten: false }));
    expect(readRecord(file)).toEqual(RECORD);
    writeFileSync(
      recordPath(file),
      JSON.stringify({ version: 1, ...RECORD, rollback: 'a check failed', rollbackWritten: 'no' }),
    );
    expect(readRecord(file)).toEqual({
      problems: [
        {
          path: recordPath(file),
          message:
            'the release record cannot be read: it is not a record this version of rainbow wrote; remove it once you know what is deployed',
        },
      ],
    });
  });

  it.each([
    ['a symbolic link (to /dev/zero)', (path: string) => symlinkSync('/dev/zero', path), 'it is not a regular file'],
    ['not JSON', (path: string) => writeFileSync(path, '{'), 'it is not JSON'],
    [
      'another shape',
      (path: string) => writeFileSync(path, '{"version": 2}'),
      'it is not a record this version of rainbow wrote',
    ],
    [
      'larger than two specs',
      (path: string) => writeFileSync(path, ' '.repeat(2 * 256 * 1024 + 64 * 1024 + 1)),
      'it is larger than 589824 bytes',
    ],
  ])('refuses a record that is %s, reading no more than its limit', (_what, make, why) => {
    const file = spec();
    make(recordPath(file));
    expect(readRecord(file)).toEqual({
      problems: [
        {
          path: recordPath(file),
          message: `the release record cannot be read: ${why}; remove it once you know what is deployed`,
        },
      ],
    });
  });
});
