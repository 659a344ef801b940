import { isImage } from './fields';
import { MESSAGES } from './messages';
import { Problem } from './problem';
import { ColorSpec, ColorState, Platform, RainbowSpec, resolveSecurity, SecurityOptions } from './types';

/**
 * Container images that can change under a color. A color is a version that stays warm so that
 * traffic can go back to it; an image reference without a fixed version (no tag, which Docker and
 * Kubernetes read as `:latest`, or the tag `latest` itself) names whatever was pushed last, so the
 * next pod or task restart of an old color would run a new version. Refused unless
 * `security.allowMutableTags`.
 */

/** An image reference split as the OCI distribution grammar does: `[registry[:port]/]path[:tag][@digest]`. */
export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The tag that every push moves: Docker's default when a reference has none. */
export const MOVING_TAG = 'latest';

export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const rest = at < 0 ? image : image.slice(0, at);
  // A colon after the last slash starts the tag; one before it is a registry's port (localhost:5000/shop).
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  return { name: tag === undefined ? rest : rest.slice(0, colon), tag, digest };
}

/**
 * Why an image can change under a color: `untagged`, `latest`, or undefined when it names a fixed version (a tag other
 * than latest, or a digest).
 */
export function mutableImageReason(image: string): 'untagged' | 'latest' | undefined {
  const { tag, digest } = parseImageReference(image);
  if (digest !== undefined) return undefined;
  if (tag === undefined) return 'untagged';
  return tag === MOVING_TAG ? 'latest' : undefined;
}

/** The platforms whose colors run container images (ec2 runs AMIs, whose ids never change; dns runs nothing). */
export const CONTAINER_PLATFORMS: readonly Platform[] = [Platform.KUBERNETES, Platform.ECS];

type Raw = Record<string, unknown>;
const asObject = (value: unknown): Raw | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;

/**
 * The problem of one image that can change under a color, at `path`; none for a fixed version, nor for an image the
 * field's own rule refuses (it is reported for that alone).
 */
function mutableImageProblem(image: unknown, path: string): Problem[] {
  if (!isImage(image)) return [];
  const reason = mutableImageReason(image);
  return reason === undefined ? [] : [{ path, message: MESSAGES.mutableImage(image, reason) }];
}

/**
 * The images of the live colors (and their migrations) of a parsed spec document that can change under a color, unless
 * `security.allowMutableTags` is true.
 */
export function mutableImageProblems(doc: Raw): Problem[] {
  if (!CONTAINER_PLATFORMS.includes(doc.platform as Platform) || asObject(doc.security)?.allowMutableTags === true)
    return [];
  const problems: Problem[] = [];
  problems.push(...mutableImageProblem(asObject(doc.migration)?.image, 'migration.image'));
  (Array.isArray(doc.colors) ? doc.colors : []).forEach((c, i) => {
    // A retired color runs nothing: its image is never pulled again.
    if (asObject(c)?.state === ColorState.RETIRED) return;
    problems.push(...mutableImageProblem(asObject(c)?.image, `colors[${i}].image`));
    problems.push(...mutableImageProblem(asObject(asObject(c)?.migration)?.image, `colors[${i}].migration.image`));
  });
  return problems;
}

/**
 * The container images of one color's construct props, each under its prop path (`image`, `migration.image`); a value
 * known only at apply time is left out.
 */
export interface ColorImages {
  readonly image?: unknown;
  readonly migrationImage?: unknown;
}

/**
 * The same rule for construct props: a color's image and its migration's that can change under it, at their prop
 * paths, unless the color's `security` allows mutable tags.
 */
export function colorImageProblems(images: ColorImages, security: SecurityOptions | undefined): Problem[] {
  if (resolveSecurity(security).allowMutableTags) return [];
  return [
    ...mutableImageProblem(images.image, 'image'),
    ...mutableImageProblem(images.migrationImage, 'migration.image'),
  ];
}

/** Two or more live colors that run the same image: `plan` warns, since moving traffic between them changes nothing. */
export interface SameImageWarning {
  readonly kind: 'same-image';
  readonly image: string;
  /** The live colors that run it, in file order. */
  readonly colors: readonly string[];
  readonly message: string;
}

/** Live colors that share an image, one warning per image; dns colors (endpoints) are not images. */
export function sameImageWarnings(spec: Pick<RainbowSpec, 'platform' | 'colors'>): SameImageWarning[] {
  if (spec.platform === Platform.DNS) return [];
  const byImage = new Map<string, ColorSpec[]>();
  for (const c of spec.colors) {
    if (c.state === ColorState.RETIRED) continue;
    byImage.set(c.image, [...(byImage.get(c.image) ?? []), c]);
  }
  return [...byImage.entries()]
    .filter(([, colors]) => colors.length > 1)
    .map(([image, colors]) => ({
      kind: 'same-image' as const,
      image,
      colors: colors.map((c) => c.name),
      message: MESSAGES.sameImageWarning(
        colors.map((c) => c.name),
        image,
      ),
    }));
}
