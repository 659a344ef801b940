import { DataAwsLbTargetGroup } from '@cdktf/provider-aws/lib/data-aws-lb-target-group';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Construct } from 'constructs';
import { isListenerArn, targetGroupName, validateAlbRoute, weightedRulePriority } from '../../spec/aws';
import { EXPECTED, received } from '../../spec/messages';
import { Problem, throwIfProblems } from '../../spec/problem';
import { isWholeNumber } from '../../spec/schema';
import { weightedBackends } from '../../spec/stickiness';
import { validateRouterProps, WeightedColor } from '../common/router-options';
import { unlessToken } from '../tokens';

export interface AlbRouterProps {
  readonly app: string;
  /** The ALB listener the rule goes on. */
  readonly listenerArn: string;
  /** Host-header condition of the rule. */
  readonly host: string;
  /** The app's first priority; the weighted rule takes `rulePriority + 1000`, after every color rule. */
  readonly rulePriority: number;
  /** Colors that are not retired, in order, with weights adding up to 100: at most 5. */
  readonly colors: WeightedColor[];
  /**
   * The same client keeps the same color for this many seconds (target group stickiness of the
   * forward action). A color at weight 0 then leaves the forward action, so that its sticky
   * clients move to the other colors at their next request.
   * @default - no stickiness
   */
  readonly stickySeconds?: number;
}

/**
 * Splits an ALB listener's traffic for one host between up to five colors: one listener rule
 * whose forward action holds every color's target group with its spec weight. Target groups are
 * looked up by name (`<app>-<color>`), never through a cross-stack reference.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 */
export class AlbRouter extends Construct {
  public readonly priority: number;
  /** The colors of the forward action: every color, or with stickiness only those above weight 0. */
  public readonly forwardedColors: WeightedColor[];
  /** The target group of each forwarded color, in the same order. */
  public readonly targetGroups: DataAwsLbTargetGroup[];
  public readonly rule: LbListenerRule;

  constructor(scope: Construct, id: string, props: AlbRouterProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `AlbRouter ${this.node.path}`);
    this.priority = weightedRulePriority(props.rulePriority);
    this.forwardedColors = weightedBackends(props.colors, props.stickySeconds);
    this.targetGroups = this.forwardedColors.map((c) => new DataAwsLbTargetGroup(this, `TargetGroup-${c.color}`, { name: targetGroupName(props.app, c.color) }));
    this.rule = new LbListenerRule(this, 'Resource', {
      listenerArn: props.listenerArn,
      priority: this.priority,
      condition: [{ hostHeader: { values: [props.host] } }],
      action: [{
        type: 'forward',
        forward: {
          targetGroup: this.forwardedColors.map((c, i) => ({ arn: this.targetGroups[i].arn, weight: c.weight })),
          // The provider needs a duration even when stickiness is off; AWS ignores it then.
          stickiness: props.stickySeconds === undefined ? { enabled: false, duration: 1 } : { enabled: true, duration: props.stickySeconds },
        },
      }],
      tags: { app: props.app, 'managed-by': 'cdktf-rainbow' },
    });
  }
}

function validateProps(props: AlbRouterProps): Problem[] {
  const problems = validateRouterProps({ app: props.app, host: props.host, colors: props.colors, stickySeconds: props.stickySeconds });
  if (unlessToken(props.listenerArn) !== undefined && !isListenerArn(props.listenerArn)) problems.push({ path: 'listenerArn', message: received(props.listenerArn, EXPECTED.listenerArn) });
  if (!isWholeNumber(1, 49000)(props.rulePriority)) problems.push({ path: 'rulePriority', message: received(props.rulePriority, EXPECTED.rulePriority) });
  problems.push(...validateAlbRoute(props.app, props.colors.map((c, index) => ({ name: c.color, index })), props.colors.length)
    .map((p) => ({ path: p.path.replace(/\.name$/, '.color'), message: p.message })));
  return problems;
}
