import { colorImageProblems, mutableImageReason, parseImageReference, sameImageWarnings } from '../../model/images';
import { validateSpecText } from '../../spec-file/load';
import { formatProblem } from '../../model/problem';
import { rawSpec, resolvedSpec } from '../helpers';

const SPEC = (image: string, security = '') => `app: shop
platform: kubernetes
kubernetes:
  gateway: {name: public, namespace: infra}
  host: shop.example.com
colors:
- {name: red, image: '${image}', weight: 100}
${security}`;

describe('mutable images', () => {
  it('splits a reference into name, tag and digest, a registry port not taken for a tag', () => {
    expect(parseImageReference('localhost:5000/shop')).toEqual({
      name: 'localhost:5000/shop',
      tag: undefined,
      digest: undefined,
    });
    expect(parseImageReference('localhost:5000/shop:1.4.0')).toEqual({
      name: 'localhost:5000/shop',
      tag: '1.4.0',
      digest: undefined,
    });
    expect(parseImageReference('shop:1.4.0@sha256:abc')).toEqual({ name: 'shop', tag: '1.4.0', digest: 'sha256:abc' });
    expect(parseImageReference('shop@sha256:abc')).toEqual({ name: 'shop', tag: undefined, digest: 'sha256:abc' });
  });

  it.each([
    ['nginx', 'untagged'],
    ['ghcr.io/acme/shop', 'untagged'],
    ['localhost:5000/shop', 'untagged'],
    ['ghcr.io/acme/shop:latest', 'latest'],
    ['ghcr.io/acme/shop:1.4.0', undefined],
    ['ghcr.io/acme/shop:LATEST', undefined],
    ['ghcr.io/acme/shop:latest@sha256:0123', undefined],
    ['ghcr.io/acme/shop@sha256:0123', undefined],
  ])('%s is %s', (image, reason) => {
    expect(mutableImageReason(image)).toBe(reason);
  });

  it('fails on an image without a tag, naming the allowance', () => {
    expect(validateSpecText(SPEC('ghcr.io/acme/shop'), 'rainbow.yaml').problems.map(formatProblem)).toEqual([
      'rainbow.yaml:7:22: colors[0].image: received "ghcr.io/acme/shop", which has no tag (it is read as :latest): an old color would run a new version after its next restart, ' +
        'so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
    ]);
  });

  it('fails on a migration image tagged latest', () => {
    const text = `${SPEC('ghcr.io/acme/shop:1.4.0')}migration: {command: [migrate], image: 'ghcr.io/acme/migrate:latest'}\n`;
    expect(validateSpecText(text, 'rainbow.yaml').problems.map(formatProblem)).toEqual([
      'rainbow.yaml:8:40: migration.image: received "ghcr.io/acme/migrate:latest" (27 characters), whose tag latest moves with every push: an old color would run a new version after its next restart, ' +
        'so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
    ]);
  });

  it('accepts a mutable image with security.allowMutableTags, and resolves the allowance', () => {
    const result = validateSpecText(
      SPEC('ghcr.io/acme/shop:latest', 'security: {allowMutableTags: true}\n'),
      'rainbow.yaml',
    );
    expect(result.problems).toEqual([]);
    expect(result.spec?.security.allowMutableTags).toBe(true);
    expect(validateSpecText(SPEC('ghcr.io/acme/shop:1.4.0'), 'rainbow.yaml').spec?.security.allowMutableTags).toBe(
      false,
    );
  });

  it('accepts a retired color with any image: it runs nothing', () => {
    const raw = rawSpec();
    raw.colors.push({ name: 'old', image: 'shop', weight: 0, state: 'retired' });
    expect(() => resolvedSpec(raw)).not.toThrow();
  });

  it("refuses a color's props by the same rule, at their prop paths, unless its security allows mutable tags", () => {
    expect(colorImageProblems({ image: 'nginx', migrationImage: 'ghcr.io/acme/migrate:latest' }, undefined)).toEqual([
      {
        path: 'image',
        message:
          'received "nginx", which has no tag (it is read as :latest): an old color would run a new version after its next restart, ' +
          'so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
      },
      {
        path: 'migration.image',
        message:
          'received "ghcr.io/acme/migrate:latest" (27 characters), whose tag latest moves with every push: an old color would run a new version after its next restart, ' +
          'so it would be no version to roll back to; expected a fixed version tag (ghcr.io/acme/shop:1.4.0) or a digest (@sha256:...), or security.allowMutableTags: true',
      },
    ]);
    expect(colorImageProblems({ image: 'nginx' }, { allowMutableTags: true })).toEqual([]);
    // An image its own rule refuses is reported for that alone; no migration image is the color's.
    expect(colorImageProblems({ image: 'a b', migrationImage: undefined }, {})).toEqual([]);
  });
});

describe('same image on two live colors', () => {
  const spec = (images: string[], retired: number[] = []) => {
    const raw = rawSpec();
    raw.colors = images.map((image, i) => ({
      name: ['red', 'orange', 'yellow'][i],
      image,
      weight: i === 0 ? 100 : 0,
      ...(retired.includes(i) ? { state: 'retired' } : {}),
    }));
    return resolvedSpec(raw);
  };

  it('warns once per shared image, naming the colors', () => {
    expect(
      sameImageWarnings(spec(['ghcr.io/acme/shop:1.4.0', 'ghcr.io/acme/shop:1.5.0', 'ghcr.io/acme/shop:1.4.0'])),
    ).toEqual([
      {
        kind: 'same-image',
        image: 'ghcr.io/acme/shop:1.4.0',
        colors: ['red', 'yellow'],
        message:
          'red and yellow run the same image "ghcr.io/acme/shop:1.4.0": moving traffic between them changes nothing; give the new color the new image (rainbow add <color> --image <image>)',
      },
    ]);
  });

  it('does not warn about a retired color, or about different images', () => {
    expect(sameImageWarnings(spec(['ghcr.io/acme/shop:1.4.0', 'ghcr.io/acme/shop:1.4.0'], [1]))).toEqual([]);
    expect(sameImageWarnings(spec(['ghcr.io/acme/shop:1.4.0', 'ghcr.io/acme/shop:1.5.0']))).toEqual([]);
  });
});
