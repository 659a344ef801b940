import { problemLines, rawSpec } from '../spec-helpers';

const withProgression = (progression: Record<string, unknown>) => ({ ...rawSpec(), progression });

describe('validateSpec: progression.steps and maxStepPercent', () => {
  it('accepts steps no further apart than maxStepPercent, the first counted from 0', () => {
    expect(problemLines(withProgression({ steps: [5, 25, 50, 100] }))).toEqual([]);
    expect(problemLines(withProgression({ steps: [50, 100] }))).toEqual([]);
    expect(problemLines(withProgression({ steps: [20, 40, 60, 80, 100], maxStepPercent: 20 }))).toEqual([]);
  });

  it('refuses a first step above maxStepPercent and every jump above it, naming each', () => {
    expect(problemLines(withProgression({ steps: [30, 50, 100], maxStepPercent: 25 }))).toEqual([
      'progression.steps[0]: received 30 as the first step, a move from weight 0; expected steps at most progression.maxStepPercent (25) apart, the first at most 25: rainbow step would write a change that plan refuses',
      'progression.steps[2]: received 100 after 50, a move of 50; expected steps at most progression.maxStepPercent (25) apart, the first at most 25: rainbow step would write a change that plan refuses',
    ]);
  });

  it('reports steps that do not increase once, not also as a jump', () => {
    expect(problemLines(withProgression({ steps: [10, 5, 50] }))).toEqual([
      'progression.steps[1]: received 5 after 10; expected the steps to increase',
    ]);
  });
});
