import { MESSAGES } from './messages';
import { Problem } from './problem';
import { MAX_PERCENT } from './types';

/**
 * The rule every route holds its colors to, for the spec's colors that are not retired and for a
 * router's colors alike: the weights (each already a whole percent) add up to exactly 100.
 * Path `colors`.
 */
export function weightSumProblems(
  colors: ReadonlyArray<{ readonly name: string; readonly weight: number }>,
): Problem[] {
  const total = colors.reduce((sum, c) => sum + c.weight, 0);
  if (total === MAX_PERCENT) return [];
  return [
    {
      path: 'colors',
      message: MESSAGES.weightsDoNotAddUp(total, colors.map((c) => `${c.name} ${c.weight}`).join(' + ')),
    },
  ];
}
