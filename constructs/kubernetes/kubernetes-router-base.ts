import { Lazy, TerraformResource } from '../core';
import { Construct } from 'constructs';
import { CohortColor, matchProblems, overlapProblems } from '../../model/cohorts';
import { prefixProblems, Problem, throwIfProblems } from '../../model/problem';
import { CohortMatch, colorStackName, DEFAULT_PORT, defaultNamespace, previewHost, Platform } from '../../model/types';
import { IKubernetesColor } from '../common/color';
import { addedAt, ColorLinks, problemsMessage, RouterIdentity, validateRouterColors } from '../common/color-links';
import { KubernetesRouterProps, RoutedColor, WeightedColor } from '../common/router-options';
import { unlessToken } from '../tokens';

/**
 * What the Kubernetes routers share: colors linked with `addColor` (or listed by name in
 * `colors`), the namespace they and the routing objects are in, and the checks that refuse, at
 * construction for the router's own fields and at synth for the colors as a whole, what cannot
 * be routed.
 *
 * Objects of one color are made when the color is added; values that depend on every color (the
 * weights, which color is primary) are cdktf Lazy leaf values, resolved at synth. So every object
 * exists before cdktf's prepare step, which registers cross-stack references (an aspect would make
 * them too late), and provider blocks stay blocks in HCL output (a Lazy block list would not).
 */
export abstract class KubernetesRouterBase extends Construct {
  private readonly links: ColorLinks<IKubernetesColor>;
  /**
   * The props, as the subclass was given them.
   * @internal
   */
  protected readonly _routerProps: KubernetesRouterProps;
  private readonly kind: string;
  /** Each cohort color's match, and where it was given. */
  private readonly matches = new Map<string, { match: CohortMatch; where: string }>();

  protected constructor(scope: Construct, id: string, kind: string, props: KubernetesRouterProps) {
    super(scope, id);
    this.kind = kind;
    this._routerProps = props;
    this.links = new ColorLinks<IKubernetesColor>(this);
    (props.colors ?? []).forEach((c, i) => {
      const ref: IKubernetesColor = {
        app: props.app,
        color: c.color,
        platform: Platform.KUBERNETES,
        name: colorStackName(props.app, c.color),
        namespace: props.namespace ?? defaultNamespace(props.app),
        port: props.port ?? DEFAULT_PORT,
        rolloutDependencies: [],
      };
      this.links.add(ref, c.weight, `colors[${i}]`, true);
      if (c.match !== undefined) this.matches.set(c.color, { match: c.match, where: `colors[${i}].match` });
    });
    throwIfProblems(this._problems(false), this.context);
    this.node.addValidation({ validate: () => problemsMessage(this._problems(true), this.context) });
  }

  /**
   * Routes `weight` percent of the traffic (0 to 100) to `color`: its Service, namespace and port
   * come from it. In the same stack, the routing objects wait for the color's rollout. Synth
   * refuses a color of another app, namespace or platform, a color added twice, and weights that
   * do not add up to 100.
   *
   * With `match`, requests with every header and cookie of it, at exactly those values, go to
   * `color` whatever the weights (docs/kubernetes.md, "Cohorts"); synth refuses a match that
   * overlaps another color's, or that the router cannot express.
   */
  public addColor(color: IKubernetesColor, weight: number, match?: CohortMatch): void {
    this.links.add(color, weight, addedAt(color), false);
    if (match !== undefined) this.matches.set(color.color, { match, where: `${addedAt(color)}.match` });
    this._colorAdded(color);
  }

  /** The namespace of the routing objects: the one given, or the first color's, or the app name. */
  public get namespace(): string {
    return (
      this._routerProps.namespace ??
      this.links.colors.find((c) => c.ref.platform === Platform.KUBERNETES)?.ref.namespace ??
      defaultNamespace(this._routerProps.app)
    );
  }

  /**
   * The colors' names and weights, in the order they were listed and added, unchecked.
   * @internal
   */
  protected get _colorWeights(): WeightedColor[] {
    return this.links.colors.map((c) => ({ color: c.ref.color, weight: c.weight }));
  }

  /**
   * Makes a routing object wait for the rollout of every color of this stack, added before or after.
   * @internal
   */
  protected _waitForRollouts(resource: TerraformResource): void {
    this.links.waitForRollouts(resource);
  }

  /**
   * The namespace for objects made before every color is known.
   * @internal
   */
  protected get _namespaceValue(): string {
    return this._routerProps.namespace ?? Lazy.stringValue({ produce: () => this.namespace });
  }

  /**
   * Makes the objects of each color of the `colors` prop; the subclass calls it once its own objects exist.
   * @internal
   */
  protected _renderListedColors(): void {
    for (const c of this.links.colors.filter((l) => l.listed)) this._colorAdded(c.ref);
  }

  /**
   * The colors to render; throws what synth would refuse, so nothing is rendered from them.
   * @internal
   */
  protected _routedColors(): RoutedColor[] {
    throwIfProblems(this._problems(true), this.context);
    return this.links.colors.map(({ ref, weight }) => ({
      color: ref.color,
      weight,
      service: ref.name,
      namespace: ref.namespace,
      port: ref.port,
      previewHost: previewHost(ref.color, this._routerProps.host),
      ...(this.matches.has(ref.color) ? { match: this.matches.get(ref.color)!.match } : {}),
    }));
  }

  /**
   * A color's match, once it was listed or added with one.
   * @internal
   */
  protected _matchOf(color: string): CohortMatch | undefined {
    return this.matches.get(color)?.match;
  }

  /**
   * The colors with their matches and where each was given, in order, unchecked.
   * @internal
   */
  protected get _cohortColors(): CohortColor[] {
    return this.links.colors.map((c) => {
      const m = this.matches.get(c.ref.color);
      return { name: c.ref.color, weight: c.weight, match: m?.match, path: m?.where ?? `${c.where}.match` };
    });
  }

  /**
   * The router's own checks and those of the colors; `whole` once every color is in.
   * @internal
   */
  protected _problems(whole: boolean): Problem[] {
    const props = this._routerProps;
    const identity: RouterIdentity = {
      name: this.context,
      app: props.app,
      platform: Platform.KUBERNETES,
      namespace: unlessToken(this.namespace),
    };
    return [
      ...validateRouterColors(identity, props, this.links.colors, whole),
      ...this._routerProblems(whole),
      ...(whole ? this.cohortProblems() : []),
    ];
  }

  /** Each match on its own; then, when all are well formed, overlaps and the router's own limits. */
  private cohortProblems(): Problem[] {
    const colors = this._cohortColors;
    const own = colors
      .filter((c) => c.match !== undefined)
      .flatMap((c) => prefixProblems(c.path, matchProblems(c.match)));
    return own.length > 0 ? own : [...overlapProblems(colors), ...this._cohortRouterProblems(colors)];
  }

  /**
   * What the router cannot express of the colors' well-formed, non-overlapping matches.
   * @internal
   */
  protected _cohortRouterProblems(_colors: CohortColor[]): Problem[] {
    return [];
  }

  /**
   * Checks of the subclass's own fields and limits; `whole` once every color is in.
   * @internal
   */
  protected abstract _routerProblems(whole: boolean): Problem[];

  /**
   * Called for each color as it is listed or added, to make the objects of that color alone.
   * @internal
   */
  protected abstract _colorAdded(color: IKubernetesColor): void;

  private get context(): string {
    return `${this.kind} ${this.node.path}`;
  }
}
