import { FIELDS } from './fields';
import { MESSAGES } from './messages';
import { Problem } from './problem';
import {
  checkLists,
  checkTimeoutProblems,
  DEFAULT_BAKE_SECONDS,
  DEFAULT_CHECK_INTERVAL_SECONDS,
  initialDelayProblems,
  PAUSE_STEP,
  unknownPlaceholder,
} from './release';
import { isStepTooLarge } from './safety-rules';
import { DEFAULT_MAX_STEP_PERCENT } from './types';

type Raw = Record<string, unknown>;
const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

const KINDS = ['prometheus', 'http', 'command'] as const;

/**
 * Rules between the release fields of a raw `progression`: the interval within the bake, each
 * check of exactly one kind, a Prometheus check with a bound (min not above max), names unique,
 * no placeholder but the three. Paths from the spec's root. Fields invalid on their own are left
 * to the schema.
 */
export function progressionProblems(progression: unknown): Problem[] {
  const p = asObject(progression);
  if (p === undefined) return [];
  const problems: Problem[] = [];
  const bake = (p.bakeSeconds ?? DEFAULT_BAKE_SECONDS) as number;
  const interval = (p.checkIntervalSeconds ?? DEFAULT_CHECK_INTERVAL_SECONDS) as number;
  if (FIELDS.bakeSeconds.test(bake) && FIELDS.checkIntervalSeconds.test(interval) && bake > 0 && interval > bake) {
    problems.push(
      p.checkIntervalSeconds === undefined
        ? { path: 'progression.bakeSeconds', message: MESSAGES.bakeBelowDefaultInterval(bake, interval) }
        : { path: 'progression.checkIntervalSeconds', message: MESSAGES.intervalAboveBake(interval, bake) },
    );
  }
  problems.push(...pauseProblems(p));
  problems.push(...initialDelayProblems(p));
  problems.push(...checkTimeoutProblems(p));
  for (const [listPath, list] of checkLists(p)) problems.push(...checkProblems(listPath, list));
  return problems;
}

/**
 * The rules of each check of one list (`progression.checks`, a hook list): one kind, bounds, names unique in the list,
 * placeholders.
 */
function checkProblems(listPath: string, list: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  const checks = list.map(asObject);
  const firstOfName = new Map<string, number>();
  checks.forEach((check, i) => {
    if (check === undefined) return;
    const path = `${listPath}[${i}]`;
    if (FIELDS.checkName.test(check.name)) {
      const first = firstOfName.get(check.name as string);
      if (first === undefined) firstOfName.set(check.name as string, i);
      else
        problems.push({
          path: `${path}.name`,
          message: MESSAGES.duplicateColor(check.name as string, `${listPath}[${first}]`),
        });
    }
    const kinds = KINDS.filter((k) => check[k] !== undefined);
    if (kinds.length !== 1) problems.push({ path, message: MESSAGES.checkKinds(kinds) });
    const prometheus = asObject(check.prometheus);
    if (prometheus !== undefined) {
      const { min, max } = prometheus as { min?: number; max?: number };
      if (min === undefined && max === undefined)
        problems.push({ path: `${path}.prometheus`, message: MESSAGES.checkWithoutBounds });
      else if (FIELDS.checkBound.test(min) && FIELDS.checkBound.test(max) && min! > max!) {
        problems.push({ path: `${path}.prometheus.min`, message: MESSAGES.checkMinAboveMax(min!, max!) });
      }
    }
    const texts: Array<[string, unknown]> = [
      [`${path}.prometheus.url`, prometheus?.url],
      [`${path}.prometheus.query`, prometheus?.query],
      [`${path}.http.url`, asObject(check.http)?.url],
      ...(Array.isArray(check.command)
        ? check.command.map((arg, j): [string, unknown] => [`${path}.command[${j}]`, arg])
        : []),
    ];
    for (const [at, text] of texts) {
      const token = typeof text === 'string' ? unknownPlaceholder(text) : undefined;
      if (token !== undefined) problems.push({ path: at, message: MESSAGES.unknownPlaceholder(token) });
    }
  });
  return problems;
}

/**
 * `pause` in `progression.steps`: not first, not last, not twice in a row; and the step after a
 * pause follows the rules between steps as if the pause were not there (above the step before it,
 * within maxStepPercent of it), which spec-rules.ts checks between neighbours only.
 */
function pauseProblems(p: Raw): Problem[] {
  const steps = p.steps;
  if (!Array.isArray(steps)) return [];
  const problems: Problem[] = [];
  const maxStep = p.maxStepPercent ?? DEFAULT_MAX_STEP_PERCENT;
  steps.forEach((step, i) => {
    const path = `progression.steps[${i}]`;
    if (step === PAUSE_STEP) {
      if (i === 0) problems.push({ path, message: MESSAGES.pauseFirst });
      else if (steps[i - 1] === PAUSE_STEP) problems.push({ path, message: MESSAGES.pauseTwice });
      else if (i === steps.length - 1) problems.push({ path, message: MESSAGES.pauseLast });
      return;
    }
    const before = steps[i - 2];
    if (steps[i - 1] !== PAUSE_STEP || !FIELDS.step.test(step) || !FIELDS.step.test(before)) return;
    const [from, to] = [before as number, step as number];
    if (to <= from) problems.push({ path, message: MESSAGES.stepsNotIncreasing(from, to) });
    else if (FIELDS.maxStepPercent.test(maxStep) && isStepTooLarge(from, to, maxStep as number))
      problems.push({ path, message: MESSAGES.stepJumpTooLarge(to, from, maxStep as number) });
  });
  return problems;
}
