import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishReport, ReleaseReport, stepSummaryMarkdown, writeReport } from '../../engine/release-report';

const REPORT: ReleaseReport = {
  version: 1,
  app: 'shop',
  color: 'green',
  specFile: 'rainbow.yaml',
  startedAt: '2026-12-07T10:00:00.000Z',
  endedAt: '2026-12-07T10:12:00.000Z',
  outcome: 'rolled-back',
  reason:
    'check error-rate failed at step 2/2 (green at 50%): 0.034 above max 0.01 (1 failed run, progression.failureLimit 0)',
  before: { blue: 100, green: 0 },
  deployed: { blue: 100, green: 0 },
  steps: [
    {
      label: 'step 1/2 (green at 25%)',
      weight: 25,
      deployed: true,
      runs: [{ afterSeconds: 30, results: [{ name: 'error-rate', verdict: 'pass', value: '0.002' }] }],
    },
    {
      label: 'step 2/2 (green at 50%)',
      weight: 50,
      deployed: true,
      runs: [
        {
          afterSeconds: 30,
          results: [{ name: 'error-rate', verdict: 'fail', value: '0.034', why: '0.034 above max 0.01 | <b>' }],
        },
      ],
    },
  ],
  hooks: { preRollout: { weight: 0, passed: true, results: [{ name: 'smoke', verdict: 'pass', value: '200' }] } },
};

const dir = () => mkdtempSync(join(tmpdir(), 'rainbow-report-'));

describe('the release report', () => {
  it('is written as JSON, whole, and read back the same', () => {
    const file = join(dir(), 'report.json');
    writeReport(file, REPORT);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(REPORT);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('renders a Markdown summary: the outcome, the weights, why, one row per check run, table cells escaped', () => {
    expect(stepSummaryMarkdown(REPORT)).toBe(`### rainbow release green (shop): rolled back

- before: blue 100%, green 0%
- deployed now: blue 100%, green 0%
- why: check error-rate failed at step 2/2 (green at 50%): 0.034 above max 0.01 (1 failed run, progression.failureLimit 0)
- from 2026-12-07T10:00:00.000Z to 2026-12-07T10:12:00.000Z

| when | check | verdict | value |
|---|---|---|---|
| pre-rollout hooks (green at 0%) | smoke | ✅ pass | 200 |
| step 1/2 (green at 25%), +30s | error-rate | ✅ pass | 0.002 |
| step 2/2 (green at 50%), +30s | error-rate | ❌ fail | 0.034 above max 0.01 \\| \\<b\\> |
`);
  });

  it('appends the summary to GITHUB_STEP_SUMMARY and writes the JSON to the file given', () => {
    const d = dir();
    const summary = join(d, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(publishReport(io, REPORT, join(d, 'report.json'), { GITHUB_STEP_SUMMARY: summary })).toBe(true);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${stepSummaryMarkdown(REPORT)}\n`);
    expect(JSON.parse(readFileSync(join(d, 'report.json'), 'utf8')).outcome).toBe('rolled-back');
    expect(lines).toEqual([]);
  });

  it('says in one warning line each when the report or the summary cannot be written, and goes on', () => {
    const d = dir();
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(
      publishReport(io, REPORT, join(d, 'no', 'report.json'), { GITHUB_STEP_SUMMARY: join(d, 'no', 'summary.md') }),
    ).toBe(false);
    expect(lines).toEqual([
      expect.stringMatching(/^release: warning: the report was not written: .*no\/report\.json: .*\(ENOENT\)$/),
      `release: warning: the step summary was not written: ${join(d, 'no', 'summary.md')}: no such file or directory (ENOENT)`,
    ]);
  });
});
