import { dependable, ITerraformDependable, TerraformStack } from '../core';
import { Construct } from 'constructs';
import { FIELDS, isColorName } from '../../model/fields';
import { EXPECTED, received } from '../../model/messages';
import { prefixProblems, Problem, RainbowValidationError } from '../../model/problem';
import { weightSumProblems } from '../../model/route-weights';
import { duplicateNameProblems, previewHostProblems } from '../../model/routers';
import { validateWorkload } from '../../model/workload';
import { unlessToken, withoutTokens } from '../tokens';
import { IColor } from './color';
import { CONSTRUCT_MESSAGES } from '../messages';

// How routers hold the colors added to them. Not part of the public API (no index exports it):
// the routers' public and protected members use only the public types.

/** A color of a router, with its weight and where it came from, for messages. */
export interface LinkedColor<C extends IColor> {
  readonly ref: C;
  readonly weight: number;
  /** `colors[i]` for a color listed in the `colors` prop, `addColor(<construct path>)` for one added. */
  readonly where: string;
  /**
   * Listed by name in the `colors` prop: its name is checked as a color name, and refused twice with the spec's
   * message.
   */
  readonly listed: boolean;
}

/** What a router is, for the checks of the colors added to it. */
export interface RouterIdentity {
  /** The construct class and path, such as `GatewayApiRouter shop/Router`. */
  readonly name: string;
  readonly app: string;
  readonly platform: string;
  /** The namespace every color must be in; undefined on ECS, or when it is a token. */
  readonly namespace?: string;
}

/** Anything with `depends_on`: a resource or a data source. */
interface Dependent {
  dependsOn?: string[];
}

/**
 * The colors of one router, in the order they were added, and the routing objects that must wait
 * for their rollouts. A color in the router's own stack is waited for (depends_on its workload and
 * rollout check); a color of another stack is not, because no reference crosses stacks (its own
 * stack is deployed first, as `rainbow plan` orders).
 */
export class ColorLinks<C extends IColor> {
  public readonly colors: LinkedColor<C>[] = [];
  private readonly dependents: Dependent[] = [];
  private readonly rollouts: ITerraformDependable[] = [];

  constructor(private readonly router: Construct) {}

  public add(ref: C, weight: number, where: string, listed: boolean): void {
    this.colors.push({ ref, weight, where, listed });
    const stack = TerraformStack.of(this.router);
    for (const rollout of ref.rolloutDependencies ?? []) {
      if (!Construct.isConstruct(rollout) || TerraformStack.of(rollout) !== stack || this.rollouts.includes(rollout))
        continue;
      this.rollouts.push(rollout);
      for (const dependent of this.dependents)
        dependent.dependsOn = [...(dependent.dependsOn ?? []), dependable(rollout)];
    }
  }

  /** Makes `dependent` wait for the rollout of every color of this stack, added before or after. */
  public waitForRollouts<T extends Dependent>(dependent: T): T {
    this.dependents.push(dependent);
    if (this.rollouts.length > 0)
      dependent.dependsOn = [...(dependent.dependsOn ?? []), ...this.rollouts.map((r) => dependable(r))];
    return dependent;
  }
}

/** Where a color added with `addColor` is, for messages: its construct path, or its name. */
export function addedAt(color: IColor): string {
  return `addColor(${Construct.isConstruct(color) ? color.node.path : color.color})`;
}

/**
 * Checks shared by every router: its own fields (names, stickiness), then each color (listed
 * names and weights; an added color of another platform, app or namespace, or twice), then, with
 * `whole`, what holds only once every color is in (at least one, weights adding up to 100).
 * Preview host names are checked per color.
 */
export function validateRouterColors(
  router: RouterIdentity,
  fields: {
    readonly host: string;
    readonly namespace?: string;
    readonly port?: number;
    readonly pinHeader?: string;
    readonly stickySeconds?: number;
    readonly previewHosts?: boolean;
  },
  colors: ReadonlyArray<LinkedColor<IColor>>,
  whole: boolean,
): Problem[] {
  const problems = validateWorkload(
    withoutTokens({
      app: router.app,
      namespace: fields.namespace,
      port: fields.port,
      host: fields.host,
      pinHeader: fields.pinHeader,
      stickySeconds: fields.stickySeconds,
    }),
  );
  if (whole && colors.length === 0) problems.push({ path: 'colors', message: received([], EXPECTED.colors) });
  // Listed colors come first, in the order of the `colors` prop, so their indexes are the prop's.
  const listed = colors.filter((c) => c.listed);
  const duplicates = duplicateNameProblems(listed.map((c) => c.ref.color));
  const first = new Map<string, string>();
  for (const c of listed) if (isColorName(c.ref.color) && !first.has(c.ref.color)) first.set(c.ref.color, c.where);
  colors.forEach((c, i) => {
    const name = c.ref.color;
    if (c.listed) {
      if (!FIELDS.colorName.test(name))
        problems.push({ path: `${c.where}.color`, message: received(name, FIELDS.colorName.expected) });
      problems.push(
        ...prefixProblems(
          'colors',
          duplicates.filter((p) => p.path === `[${i}]`),
        ).map((p) => ({ path: `${p.path}.color`, message: p.message })),
      );
    } else {
      const namespace = (c.ref as { namespace?: string }).namespace;
      if (c.ref.platform !== router.platform) {
        problems.push({
          path: c.where,
          message: CONSTRUCT_MESSAGES.colorOnOtherPlatform(name, c.ref.platform, router.name, router.platform),
        });
      } else if (
        unlessToken(c.ref.app) !== undefined &&
        unlessToken(router.app) !== undefined &&
        c.ref.app !== router.app
      ) {
        problems.push({ path: c.where, message: CONSTRUCT_MESSAGES.colorOfOtherApp(name, c.ref.app, router.app) });
      } else if (
        router.namespace !== undefined &&
        namespace !== undefined &&
        unlessToken(namespace) !== undefined &&
        namespace !== router.namespace
      ) {
        problems.push({
          path: c.where,
          message: CONSTRUCT_MESSAGES.colorInOtherNamespace(name, namespace, router.namespace),
        });
      }
      // The same color linked twice: a rule of addColor, which the spec's unique names cannot break.
      if (first.has(name))
        problems.push({ path: c.where, message: CONSTRUCT_MESSAGES.colorAddedTwice(name, first.get(name)!) });
      else first.set(name, c.where);
    }
    if (!FIELDS.weight.test(c.weight))
      problems.push({ path: `${c.where}.weight`, message: received(c.weight, FIELDS.weight.expected) });
  });
  if (whole && colors.length > 0 && colors.every((c) => FIELDS.weight.test(c.weight))) {
    problems.push(...weightSumProblems(colors.map((c) => ({ name: c.ref.color, weight: c.weight }))));
  }
  if (fields.previewHosts === true && unlessToken(fields.host) !== undefined) {
    problems.push(
      ...prefixProblems(
        'previewHosts',
        previewHostProblems(
          fields.host,
          colors.map((c) => c.ref.color),
        ),
      ),
    );
  }
  return problems;
}

/** The message of a router's problems, as its constructor throws them and synth refuses them. */
export function problemsMessage(problems: readonly Problem[], context: string): string[] {
  return problems.length === 0 ? [] : [new RainbowValidationError(problems, context).message];
}
