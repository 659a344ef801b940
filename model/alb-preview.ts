import { AWS_LIMITS, colorRulePriority } from './aws';
import { isColorName } from './fields';
import { MESSAGES } from './messages';
import { Problem } from './problem';
import { previewHost } from './types';

/**
 * Preview hosts on an ALB (ecs and ec2): each color that is not retired gets a listener rule with
 * the host-header condition `<color>.<host>`, forwarding to its own target group. Its priority is
 * the color rule's plus 1001, so an app with preview hosts takes `rulePriority` to
 * `rulePriority + 2000`: color rules below `+ 1000`, the weighted rule at `+ 1000`, preview rules
 * above it. Two colors never share a preview priority, as they never share a color priority
 * (priorityCollisions). Each preview rule has one condition with one value, within the ALB's 5
 * conditions and 5 values per rule; an app has at most 11 rules (5 color rules, 5 preview rules,
 * the weighted one), within the 100 rules of a listener.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#host-conditions
 */
export const ALB_PREVIEW_LIMITS = {
  /** A host-header condition value: at most 128 characters. */
  hostValueLength: 128,
  /** The priorities an app with preview hosts takes above `rulePriority`. */
  slots: 2 * AWS_LIMITS.colorRuleSlots,
} as const;

/** The priority of a color's preview rule: its color rule's, after the weighted rule. */
export function previewRulePriority(rulePriority: number, color: string): number {
  return colorRulePriority(rulePriority, color) + AWS_LIMITS.colorRuleSlots + 1;
}

/**
 * What the ALB refuses of the preview rules (path ``, the previewHosts switch, and `rulePriority`):
 * a preview host longer than a host-header value may be, and priorities above 50000.
 * Names that are not color names, and invalid hosts or priorities, are other rules' problems.
 */
export function albPreviewProblems(
  host: unknown,
  rulePriority: unknown,
  colors: readonly unknown[],
): { previewHosts: Problem[]; rulePriority: Problem[] } {
  const hosts =
    typeof host !== 'string'
      ? []
      : colors
          .filter(isColorName)
          .map((color) => previewHost(color, host))
          .filter((name) => name.length > ALB_PREVIEW_LIMITS.hostValueLength)
          .map((name) => ({
            path: '',
            message: MESSAGES.albPreviewHostTooLong(name, ALB_PREVIEW_LIMITS.hostValueLength),
          }));
  const last = typeof rulePriority === 'number' ? rulePriority + ALB_PREVIEW_LIMITS.slots : 0;
  const priority =
    Number.isInteger(rulePriority) && last > AWS_LIMITS.maxPriority
      ? [
          {
            path: '',
            message: MESSAGES.albPreviewPriority(
              rulePriority as number,
              AWS_LIMITS.maxPriority - ALB_PREVIEW_LIMITS.slots,
              AWS_LIMITS.maxPriority,
            ),
          },
        ]
      : [];
  return { previewHosts: hosts, rulePriority: priority };
}
