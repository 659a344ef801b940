/**
 * The safety rules a change of the spec must keep (docs/workflows.md, "Safety rules"); `--force`
 * overrides them. planning/plan.ts and planning/capacity.ts evaluate them against a previous spec;
 * the step rule also holds between the steps of `progression.steps` (spec-rules.ts).
 */

export type SafetyRule =
  'removed-before-retired' | 'retired-with-traffic' | 'step-too-large' | 'new-color-with-traffic' | 'under-capacity';

export interface Violation {
  readonly rule: SafetyRule;
  readonly color: string;
  readonly message: string;
}

/** A weight that moves by more than `maxStepPercent` in one change breaks the step-too-large rule. */
export function isStepTooLarge(from: number, to: number, maxStepPercent: number): boolean {
  return Math.abs(to - from) > maxStepPercent;
}
