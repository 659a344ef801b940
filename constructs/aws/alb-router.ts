import { DataAwsLbTargetGroup } from '@cdktf/provider-aws/lib/data-aws-lb-target-group';
import {
  LbListenerRule,
  LbListenerRuleAction,
  LbListenerRuleActionForwardTargetGroup,
} from '@cdktf/provider-aws/lib/lb-listener-rule';
import { Construct } from 'constructs';
import { targetGroupName, validateAlbRoute, weightedRulePriority } from '../../model/aws';
import {
  albCohortProblems,
  albCookieValues,
  CohortColor,
  cohortRulePriority,
  matchProblems,
  overlapProblems,
} from '../../model/cohorts';
import { FIELDS } from '../../model/fields';
import { EXPECTED, received } from '../../model/messages';
import { prefixProblems, Problem, throwIfProblems } from '../../model/problem';
import { albPreviewProblems, previewRulePriority } from '../../model/alb-preview';
import { weightedBackends } from '../../model/stickiness';
import { CohortMatch, MANAGED_BY, previewHost, Platform } from '../../model/types';
import { IAlbColor } from '../common/color';
import { addedAt, ColorLinks, problemsMessage, validateRouterColors } from '../common/color-links';
import { WeightedColor } from '../common/router-options';
import { unlessToken } from '../tokens';

/** What an AlbRouter takes: the listener, host and priority of the app's weighted rule. */
export interface AlbRouterProps {
  /** The application: only its colors can be added, and their target groups are `<app>-<color>`. */
  readonly app: string;
  /** The ALB listener the rule goes on. */
  readonly listenerArn: string;
  /** Host-header condition of the rule. */
  readonly host: string;
  /** The app's first priority, 1 to 49000. The weighted rule takes `rulePriority + 1000`, after every color rule. */
  readonly rulePriority: number;
  /**
   * Colors by name, with their weights: the same as calling `addColor` with `EcsColor.fromName`
   * (or `Ec2Color.fromName`) for each, in this order, before the colors added with `addColor`.
   * At most 5 colors in all.
   * @default - none: the colors come from `addColor`
   */
  readonly colors?: WeightedColor[];
  /**
   * The platform of the colors, `Platform.ECS` or `Platform.EC2`: the router routes colors of this
   * platform only, whose target groups are `<app>-<color>` either way.
   * @default Platform.ECS
   */
  readonly platform?: Platform;
  /**
   * The same client keeps the same color for this many seconds, 1 to 604800 (target group stickiness of the
   * forward action). A color at weight 0 then leaves the forward action, so that its sticky
   * clients move to the other colors at their next request.
   * @default - no stickiness
   */
  readonly stickySeconds?: number;
  /**
   * Also serve every color at `<color>.<host>`: a listener rule per color with that host-header
   * condition, forwarding to its own target group, at `rulePriority + 1001` and up (so `rulePriority`
   * is then at most 48000). A color at weight 0 is served there too. The listener needs a
   * certificate for `*.<host>` (a wildcard or a SAN per color), and DNS needs `*.<host>` pointing
   * at the load balancer.
   * @default false
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#host-conditions
   */
  readonly previewHosts?: boolean;
}

/**
 * Splits an ALB listener's traffic for one host between up to five ECS or EC2 colors: one listener rule
 * whose forward action holds every color's target group with its weight. Colors come from
 * `addColor` (or `colors`); each target group is looked up by its name `<app>-<color>`, never
 * through a cross-stack reference. A color in the same stack is waited for: the lookup and the
 * rule depend on its ECS service (or Auto Scaling group), so traffic moves only once it is steady (or
 * has its healthy capacity), and the lookup
 * is read only after the target group was created (Terraform defers reading a data source until
 * its `depends_on` are applied).
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions
 * @see https://developer.hashicorp.com/terraform/language/data-sources#data-resource-dependencies
 */
export class AlbRouter extends Construct {
  /** The priority of the weighted rule: `rulePriority + 1000`, after every color rule. */
  public readonly priority: number;
  /** The target group of each forwarded color, in the order of `forwardedColors`. */
  public readonly targetGroups: DataAwsLbTargetGroup[] = [];
  /** The weighted listener rule: host-header `host`, forwarding to every color's target group with its weight. */
  public readonly rule: LbListenerRule;
  /**
   * With `previewHosts`, each color's preview rule (host-header `<color>.<host>`), in the order the colors were added.
   */
  public readonly previewRules: LbListenerRule[] = [];
  /** Each cohort color's rule (its match's http-header conditions), in the order the colors were added. */
  public readonly cohortRules: LbListenerRule[] = [];
  private readonly props: AlbRouterProps;
  /** The platform of the colors it routes. */
  public readonly platform: Platform;
  private readonly links: ColorLinks<IAlbColor>;
  private readonly context: string;
  private readonly forwarded: LbListenerRuleActionForwardTargetGroup[] = [];
  private readonly matches = new Map<string, { match: CohortMatch; where: string }>();

  constructor(scope: Construct, id: string, props: AlbRouterProps) {
    super(scope, id);
    this.props = props;
    this.context = `AlbRouter ${this.node.path}`;
    this.platform = props.platform ?? Platform.ECS;
    this.links = new ColorLinks<IAlbColor>(this);
    (props.colors ?? []).forEach((c, i) => {
      const ref: IAlbColor = {
        app: props.app,
        color: c.color,
        platform: this.platform,
        name: targetGroupName(props.app, c.color),
        rolloutDependencies: [],
      };
      this.links.add(ref, c.weight, `colors[${i}]`, true);
      if (c.match !== undefined) this.matches.set(c.color, { match: c.match, where: `colors[${i}].match` });
    });
    throwIfProblems(this.problems(false), this.context);
    this.node.addValidation({ validate: () => problemsMessage(this.problems(true), this.context) });
    this.priority = weightedRulePriority(props.rulePriority);
    this.rule = this.links.waitForRollouts(
      new LbListenerRule(this, 'Resource', {
        listenerArn: props.listenerArn,
        priority: this.priority,
        condition: [{ hostHeader: { values: [props.host] } }],
        action: [this.forwardAction()],
        tags: { app: props.app, 'managed-by': MANAGED_BY },
      }),
    );
    for (const c of this.links.colors) this.colorAdded(c.ref, c.weight);
  }

  /** The colors of the forward action: every color, or with stickiness only those above weight 0. */
  public get forwardedColors(): WeightedColor[] {
    throwIfProblems(this.problems(true), this.context);
    return weightedBackends(
      this.links.colors.map((c) => ({ color: c.ref.color, weight: c.weight })),
      this.props.stickySeconds,
    );
  }

  /**
   * Forwards `weight` percent of the traffic (0 to 100) to `color`'s target group. In the same
   * stack, the rule waits for the color's ECS service or Auto Scaling group. Synth refuses a color of another app or
   * platform, a color added twice, more than 5 colors, and weights that do not add up to 100.
   *
   * With `match`, a listener rule before the weighted one forwards requests with every header and
   * cookie of it to `color` (docs/aws.md, "Cohorts"); synth refuses a match that overlaps another
   * color's, or that exceeds the ALB's condition limits.
   */
  public addColor(color: IAlbColor, weight: number, match?: CohortMatch): void {
    this.links.add(color, weight, addedAt(color), false);
    if (match !== undefined) this.matches.set(color.color, { match, where: `${addedAt(color)}.match` });
    this.colorAdded(color, weight);
  }

  private colorAdded(color: IAlbColor, weight: number): void {
    const id = `TargetGroup-${color.color}`;
    const forwarded = weightedBackends([{ weight }], this.props.stickySeconds).length > 0;
    const match = this.matches.get(color.color)?.match;
    if (
      (!forwarded && this.props.previewHosts !== true && match === undefined) ||
      this.node.tryFindChild(id) !== undefined
    )
      return;
    const targetGroup = this.links.waitForRollouts(new DataAwsLbTargetGroup(this, id, { name: color.name }));
    if (this.props.previewHosts === true) this.addPreviewRule(color.color, targetGroup);
    if (match !== undefined) this.addCohortRule(color.color, match, targetGroup);
    if (!forwarded) return;
    this.targetGroups.push(targetGroup);
    this.forwarded.push({ arn: targetGroup.arn, weight });
    // Each target group and its weight are known once its color is: the action is written again with each.
    this.rule.putAction([this.forwardAction()]);
  }

  private addPreviewRule(color: string, targetGroup: DataAwsLbTargetGroup): void {
    this.previewRules.push(
      this.links.waitForRollouts(
        new LbListenerRule(this, `PreviewRule-${color}`, {
          listenerArn: this.props.listenerArn,
          priority: previewRulePriority(this.props.rulePriority, color),
          condition: [{ hostHeader: { values: [previewHost(color, this.props.host)] } }],
          action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
          tags: { app: this.props.app, 'managed-by': MANAGED_BY },
        }),
      ),
    );
  }

  private addCohortRule(color: string, match: CohortMatch, targetGroup: DataAwsLbTargetGroup): void {
    const headers = Object.entries(match.headers ?? {}).map(([name, value]) => ({
      httpHeader: { httpHeaderName: name, values: [value] },
    }));
    const cookies = Object.entries(match.cookies ?? {}).map(([name, value]) => ({
      httpHeader: { httpHeaderName: 'Cookie', values: albCookieValues(name, value) },
    }));
    this.cohortRules.push(
      this.links.waitForRollouts(
        new LbListenerRule(this, `CohortRule-${color}`, {
          listenerArn: this.props.listenerArn,
          priority: cohortRulePriority(this.props.rulePriority, color),
          condition: [{ hostHeader: { values: [this.props.host] } }, ...headers, ...cookies],
          action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
          tags: { app: this.props.app, 'managed-by': MANAGED_BY },
        }),
      ),
    );
  }

  /** Each match on its own; then, when all are well formed, overlaps and the ALB's limits. */
  private cohortProblems(): Problem[] {
    const colors: CohortColor[] = this.links.colors.map((c) => {
      const m = this.matches.get(c.ref.color);
      return { name: c.ref.color, weight: c.weight, match: m?.match, path: m?.where ?? `${c.where}.match` };
    });
    const own = colors
      .filter((c) => c.match !== undefined)
      .flatMap((c) => prefixProblems(c.path, matchProblems(c.match)));
    if (own.length > 0) return own;
    const rulePriority = FIELDS.rulePriority.test(this.props.rulePriority) ? this.props.rulePriority : undefined;
    return [
      ...overlapProblems(colors),
      ...albCohortProblems(
        colors,
        rulePriority,
        colors.map((c) => c.name),
      ),
    ];
  }

  private forwardAction(): LbListenerRuleAction {
    const sticky = this.props.stickySeconds;
    return {
      type: 'forward',
      forward: {
        targetGroup: [...this.forwarded],
        // The provider needs a duration even when stickiness is off; AWS ignores it then.
        stickiness: sticky === undefined ? { enabled: false, duration: 1 } : { enabled: true, duration: sticky },
      },
    };
  }

  private problems(whole: boolean): Problem[] {
    const props = this.props;
    const identity = { name: this.context, app: props.app, platform: this.platform };
    const problems = validateRouterColors(
      identity,
      { host: props.host, stickySeconds: props.stickySeconds },
      this.links.colors,
      whole,
    );
    if (this.platform !== Platform.ECS && this.platform !== Platform.EC2)
      problems.push({ path: 'platform', message: received(this.platform, EXPECTED.albPlatform) });
    if (unlessToken(props.listenerArn) !== undefined && !FIELDS.listenerArn.test(props.listenerArn))
      problems.push({ path: 'listenerArn', message: received(props.listenerArn, FIELDS.listenerArn.expected) });
    if (!FIELDS.rulePriority.test(props.rulePriority))
      problems.push({ path: 'rulePriority', message: received(props.rulePriority, FIELDS.rulePriority.expected) });
    if (whole) problems.push(...validateAlbRoute(props.app, [], this.links.colors.length, this.platform));
    if (whole) problems.push(...this.cohortProblems());
    if (props.previewHosts === true && unlessToken(props.host) !== undefined && FIELDS.host.test(props.host)) {
      const preview = albPreviewProblems(
        props.host,
        FIELDS.rulePriority.test(props.rulePriority) ? props.rulePriority : undefined,
        this.links.colors.map((c) => c.ref.color),
      );
      problems.push(
        ...prefixProblems('previewHosts', preview.previewHosts),
        ...prefixProblems('rulePriority', preview.rulePriority),
      );
    }
    for (const c of this.links.colors) {
      problems.push(
        ...validateAlbRoute(props.app, [{ name: c.ref.color, index: 0 }], 0, this.platform).map((p) => ({
          path: c.listed ? `${c.where}.color` : c.where,
          message: p.message,
        })),
      );
    }
    return problems;
  }
}
