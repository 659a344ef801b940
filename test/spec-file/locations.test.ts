import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/main';
import { formatProblem } from '../../model/problem';
import { loadSpec, validateSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';

const HEAD = [
  'app: shop',
  'platform: kubernetes',
  'kubernetes:',
  '  gateway: {name: public, namespace: infra}',
  '  host: shop.example.com',
];

/** The printed lines for a spec text read from `rainbow.yaml`. */
const lines = (...text: string[]) =>
  validateSpecText(`${text.join('\n')}\n`, 'rainbow.yaml').problems.map(formatProblem);

describe('problems found after parsing', () => {
  it('points at the value a field received', () => {
    expect(lines(...HEAD, 'colors:', '  - name: red', '    image: shop:1', '    weight: 150')).toEqual([
      'rainbow.yaml:9:13: colors[0].weight: received 150; expected a whole number from 0 to 100',
    ]);
  });

  it('points at the key of an unknown field, with the path and message as before', () => {
    expect(lines(...HEAD, 'colors:', '  - {name: red, image: "shop:1", weight: 100, wieght: 1}')).toEqual([
      'rainbow.yaml:7:47: colors[0].wieght: unknown field (did you mean "weight"?); allowed here: name, image, weight, replicas, state, resources, env, secretEnv, migration, autoscaling, podAnnotations, instanceType, expires, endpoint, match',
    ]);
  });

  it('points a missing field at the object that lacks it', () => {
    expect(lines(...HEAD, 'colors:', '  - name: red', '    image: shop:1')).toEqual([
      'rainbow.yaml:7:5: colors[0].weight: received nothing; expected a whole number from 0 to 100',
    ]);
    expect(
      lines(
        '# the spec',
        'platform: kubernetes',
        ...HEAD.slice(2),
        'colors: [{name: red, image: "shop:1", weight: 100}]',
      ),
    ).toEqual([expect.stringMatching(/^rainbow\.yaml:2:1: app: received nothing; expected a lowercase letter first/)]);
  });

  it('points a rule about a block written over lines at its key, one written on one line at the block', () => {
    expect(lines(...HEAD, 'colors:', '  - {name: red, image: "shop:1", weight: 90}')).toEqual([
      'rainbow.yaml:6:1: colors: the weights of the colors that are not retired add up to 90 (red 90); expected exactly 100',
    ]);
    expect(lines(...HEAD, 'colors: [{name: red, image: "shop:1", weight: 90}]')).toEqual([
      'rainbow.yaml:6:9: colors: the weights of the colors that are not retired add up to 90 (red 90); expected exactly 100',
    ]);
  });

  it('points a rule between fields at the field its path names', () => {
    expect(
      lines(
        ...HEAD,
        'rollingUpdate:',
        '  maxSurge: 0',
        '  maxUnavailable: 0',
        'colors: [{name: red, image: "shop:1", weight: 100}]',
      ),
    ).toEqual([
      'rainbow.yaml:7:13: rollingUpdate.maxSurge: received 0 with maxUnavailable 0; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced',
    ]);
  });

  it('points a field a rule needs but the block lacks at the block', () => {
    expect(
      lines(...HEAD.slice(0, 3), '  host: shop.example.com', 'colors: [{name: red, image: "shop:1", weight: 100}]'),
    ).toEqual([expect.stringMatching(/^rainbow\.yaml:3:1: kubernetes\.gateway: /)]);
  });

  it('finds a key that is not a plain word by its quoted path', () => {
    expect(lines(...HEAD, 'colors: [{name: red, image: "shop:1", weight: 100}]', 'env:', '  "my var": x')).toEqual([
      expect.stringMatching(
        /^rainbow\.yaml:8:13: env\["my var"\]: received "my var"; expected an environment variable name/,
      ),
    ]);
  });

  it('points at an alias where it is used', () => {
    expect(
      lines(
        ...HEAD,
        'colors:',
        '  - {name: red, image: &bad "shop 1", weight: 50}',
        '  - {name: blue, image: *bad, weight: 50}',
      ),
    ).toEqual([
      expect.stringMatching(/^rainbow\.yaml:7:29: colors\[0\]\.image: received "shop 1"/),
      expect.stringMatching(/^rainbow\.yaml:8:25: colors\[1\]\.image: received "shop 1"/),
    ]);
  });

  it('places problems in a JSON file by line and column too', () => {
    const text = [
      '{',
      '  "app": "Shop",',
      '  "platform": "kubernetes",',
      '  "kubernetes": {"gateway": {"name": "g", "namespace": "n"}, "host": "a.example.com"},',
      '  "colors": [{"name": "red", "image": "shop:1", "weight": 100}]',
      '}',
      '',
    ].join('\n');
    expect(validateSpecText(text, 'rainbow.json').problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^rainbow\.json:2:10: app: received "Shop"; expected /),
    ]);
  });

  it('keeps the file, line and column apart from the path and message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-locations-'));
    const file = join(dir, 'rainbow.yaml');
    writeFileSync(file, [...HEAD, 'colors: [{name: red, image: "shop:1", weight: 101}]', ''].join('\n'));
    expect(loadSpec(file).problems).toEqual([
      {
        file,
        line: 6,
        column: 47,
        path: 'colors[0].weight',
        message: 'received 101; expected a whole number from 0 to 100',
      },
    ]);
  });

  it('has no place when the spec was given as a document, not a file', () => {
    const { problems } = validateSpec({ app: 'shop', platform: 'kubernetes', colors: [] });
    expect(problems.map(formatProblem)).toContain(
      'colors: received an empty list; expected a list of at least one color',
    );
    expect(problems.every((p) => p.line === undefined && p.file === undefined)).toBe(true);
  });

  it('are placed by the commands that edit the spec too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rainbow-locations-'));
    const file = join(dir, 'rainbow.yaml');
    writeFileSync(file, [...HEAD, 'colors: [{name: red, image: "shop:1", weight: 90}]', ''].join('\n'));
    const err: string[] = [];
    const code = await run(['shift', 'red', '100', '--spec', file], { out: () => undefined, err: (l) => err.push(l) });
    expect({ code, err }).toEqual({
      code: 1,
      err: [
        `${file}:6:9: colors: the weights of the colors that are not retired add up to 90 (red 90); expected exactly 100`,
      ],
    });
  });
});
