import { appendFileSync } from 'node:fs';
import type { CheckVerdict, HookMoment } from '../model/release';
import type { CheckResult } from './checks';
import { fileWriteError, replaceFileAtomically } from './files';
import { Io } from './io';
import type { ReleaseOutcome } from './release';

/**
 * What a release did, for pipelines: every step with each run of its checks, the hooks, how it
 * ended and why. `release --report <file>` writes it as JSON; with GITHUB_STEP_SUMMARY set, a
 * Markdown summary is appended there.
 */

/** One round of checks: every check run once, this long after the step's deploy. */
export interface ReportRun {
  readonly afterSeconds: number;
  readonly results: readonly CheckResult[];
}

export interface ReportStep {
  /** `step 2/4 (green at 25%)`, or `after promotion (green at 100%)`. */
  readonly label: string;
  /** The released color's weight during it. */
  readonly weight: number;
  /** Whether this run deployed it (false: resumed after a pause, or a post-promotion watch). */
  readonly deployed: boolean;
  readonly runs: ReportRun[];
}

/** One run of a hook list: every check once. */
export interface ReportHook {
  readonly weight: number;
  readonly passed: boolean;
  readonly results: readonly CheckResult[];
}

export interface ReleaseReport {
  readonly version: 1;
  readonly app: string;
  readonly color: string;
  readonly specFile: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly outcome: ReleaseOutcome;
  /** Why it paused, stopped, rolled back or was refused. */
  readonly reason?: string;
  /** Every color's weight when the release started. */
  readonly before: Readonly<Record<string, number>>;
  /** Every color's weight deployed at the end, as far as the release knows; undefined when nothing is deployed. */
  readonly deployed?: Readonly<Record<string, number>>;
  readonly steps: readonly ReportStep[];
  readonly hooks: Partial<Record<HookMoment, ReportHook>>;
}

/** Writes the report as JSON, whole (a temporary file renamed over it); throws `<file>: <reason>`. */
export function writeReport(file: string, report: ReleaseReport): void {
  replaceFileAtomically(file, Buffer.from(`${JSON.stringify(report, null, 2)}\n`), { mode: 0o644 });
}

const OUTCOME_WORDS: Record<ReleaseOutcome, string> = {
  promoted: 'promoted',
  done: 'nothing to do',
  refused: 'refused',
  stopped: 'stopped',
  'rolled-back': 'rolled back',
  'rollback-failed': 'rollback NOT deployed',
  paused: 'paused',
  'dry-run-passed': 'dry run passed',
  'dry-run-failed': 'dry run failed',
};
const VERDICT_MARKS: Record<CheckVerdict, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '⚠️ inconclusive',
  error: '⚠️ error',
};

/** Markdown text in a table cell: no pipe, no newline, no HTML, short. */
function cell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/[|<>`\\*_[\]]/g, (c) => `\\${c}`);
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

const weightsText = (weights: Readonly<Record<string, number>> | undefined) =>
  weights === undefined
    ? 'nothing'
    : Object.entries(weights)
        .map(([c, w]) => `${c} ${w}%`)
        .join(', ');

/** The report as Markdown for a CI job's summary: the outcome, the weights, one table row per check run. */
export function stepSummaryMarkdown(report: ReleaseReport): string {
  const lines = [
    `### rainbow release ${cell(report.color)} (${cell(report.app)}): ${OUTCOME_WORDS[report.outcome]}`,
    '',
    `- before: ${cell(weightsText(report.before))}`,
    `- deployed now: ${cell(weightsText(report.deployed))}`,
    ...(report.reason === undefined ? [] : [`- why: ${cell(report.reason)}`]),
    `- from ${report.startedAt} to ${report.endedAt}`,
    '',
    '| when | check | verdict | value |',
    '|---|---|---|---|',
  ];
  const rows = (when: string, results: readonly CheckResult[]) => {
    for (const r of results)
      lines.push(`| ${cell(when)} | ${cell(r.name)} | ${VERDICT_MARKS[r.verdict]} | ${cell(r.why ?? r.value)} |`);
  };
  const hook = (moment: HookMoment, name: string) => {
    const h = report.hooks[moment];
    if (h !== undefined) rows(`${name} hooks (${report.color} at ${h.weight}%)`, h.results);
  };
  hook('preRollout', 'pre-rollout');
  for (const step of report.steps) {
    if (step.runs.length === 0) lines.push(`| ${cell(step.label)} | | ${step.deployed ? 'deployed' : ''} | |`);
    for (const run of step.runs) rows(`${step.label}, +${run.afterSeconds}s`, run.results);
  }
  hook('postPromotion', 'post-promotion');
  hook('onRollback', 'on-rollback');
  return `${lines.join('\n')}\n`;
}

/**
 * What `release --report <file>` and GITHUB_STEP_SUMMARY ask for: the JSON to `file`, the Markdown
 * appended to `env.GITHUB_STEP_SUMMARY`. A write that fails is one warning line each; the release's
 * outcome stays what it was. Returns whether everything asked for was written.
 */
export function publishReport(
  io: Io,
  report: ReleaseReport,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): boolean {
  let ok = true;
  if (file !== undefined) {
    try {
      writeReport(file, report);
    } catch (error) {
      ok = false;
      io.err(`release: warning: the report was not written: ${(error as Error).message}`);
    }
  }
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summary !== '') {
    try {
      appendFileSync(summary, `${stepSummaryMarkdown(report)}\n`);
    } catch (error) {
      ok = false;
      io.err(`release: warning: the step summary was not written: ${fileWriteError(summary, error).message}`);
    }
  }
  return ok;
}
