import { formatProblem } from '../../model/problem';
import { parseSpecText, validateSpecText } from '../../spec-file/load';
import { SYNTAX_MESSAGES } from '../../spec-file/messages';

const lines = (text: string) => parseSpecText(text, 'rainbow.yaml').problems.map(formatProblem);

describe('YAML syntax errors in words a person uses', () => {
  it('says a key indented deeper than the key above is mis-indented, at the line of that key', () => {
    expect(lines('app: shop\nkubernetes:\n  host: shop.example.com\n    port: 8080\n')).toEqual([
      'rainbow.yaml:4:5: the indentation of this key does not match the lines above it: it is indented deeper than the key above, which already has a value, ' +
        'so it reads as more of that value; indent it as far as that key, or nest it under a key that ends with ":"',
    ]);
  });

  it('says a key indented less than the keys beside it is mis-indented', () => {
    expect(lines('app: shop\nkubernetes:\n    host: a\n  port: 80\n')).toEqual([
      'rainbow.yaml:4:1: the indentation of this line does not match the lines above it: the keys of one object (and the "- " items of one list) start at the same column; ' +
        'indent it as far as the others, with spaces',
    ]);
  });

  it('says "key: value" needs its colon and space (no "Implicit keys need to be on a single line")', () => {
    expect(lines('colors:\n  - name: blue\n    weight 100\n    image: x\n')).toEqual([
      'rainbow.yaml:3:5: this line has no "key: value": a key needs a colon and a space after it (weight: 100, not weight 100 or weight:100), or this line continues the one above by mistake',
    ]);
    expect(lines('app:shop\nplatform: ecs\n')).toEqual([`rainbow.yaml:1:1: ${SYNTAX_MESSAGES.noColon}`]);
  });

  it('says a nested object belongs on its own lines (no "Nested mappings are not allowed in compact mappings")', () => {
    expect(lines('app: shop\nkubernetes: host: x\n')).toEqual([
      'rainbow.yaml:2:13: this value holds another "key: value" on the same line: write a nested object on its own lines, indented under its key ' +
        '(kubernetes: on one line, host: x below it), or quote a value that contains ": "',
    ]);
  });

  it.each([
    [
      'a tab',
      'app: shop\nkubernetes:\n\thost: a\n',
      'rainbow.yaml:3:1: this line is indented with a tab; YAML indents with spaces only: replace the tab with spaces',
    ],
    [
      'an unclosed quote',
      'app: "shop\nplatform: ecs\n',
      'rainbow.yaml:3:1: a value opened with " is not closed: add the closing " on the line where the value ends',
    ],
    [
      'an unclosed list',
      'subnetIds: [a, b\nplatform: ecs\n',
      'rainbow.yaml:2:1: a list or object opened with [ above is not closed: end it with ], or indent its continued lines further than its key',
    ],
    [
      'an unknown escape',
      'app: "a\\qb"\n',
      'rainbow.yaml:1:8: this double-quoted value holds a backslash escape YAML does not know: write \\\\ for a backslash, or put the value in single quotes',
    ],
    [
      'two documents',
      'app: a\n---\napp: b\n',
      'rainbow.yaml:2:1: the file holds a second document after a "---" line; expected one spec per file: remove the "---" and what follows, or merge the two',
    ],
    [
      'a reserved first character',
      'app: @shop\n',
      'rainbow.yaml:1:6: a value cannot start with "@" unquoted: put the value in quotes',
    ],
    ['text after a quote', 'app: "shop" x\n', `rainbow.yaml:1:13: ${SYNTAX_MESSAGES.unexpected}`],
    ['a missing comma', 'a: {b: 1 c: 2}\n', `rainbow.yaml:1:8: ${SYNTAX_MESSAGES.blockInFlow}`],
  ])('says %s in words', (_what, text, expected) => {
    expect(lines(text)).toEqual([expected]);
  });

  it("never prints the parser's own words", () => {
    const texts = [
      'a: b: c\n',
      'a:\n  b: 1\n    c: 2\n',
      'a\nb: 1\n',
      'a: [\n- x\n]\n',
      'a: &x &y 1\n',
      'a: {b:1}\n',
      'a: 1 #c\nb: "x\n',
    ];
    for (const text of texts) {
      for (const line of lines(text)) expect(line).not.toMatch(/implicit|compact mapping|Unexpected|token|at line \d/i);
    }
  });
});

describe('a known field at the wrong level', () => {
  const spec = (extra: string, platform = 'kubernetes') => `app: shop
platform: ${platform}
${extra}kubernetes:
  gateway: {name: public, namespace: infra}
  host: shop.example.com
colors:
- {name: red, image: 'ghcr.io/acme/shop:1.4.0', weight: 100}
`;

  it('says where host belongs when it is written at the top', () => {
    const problems = validateSpecText(spec('host: shop.example.com\n'), 'rainbow.yaml').problems.map(formatProblem);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^rainbow\.yaml:3:1: host: unknown field here \(did you mean kubernetes\.host\?\); allowed here: app, platform, /,
    );
  });

  it('says where a color field belongs when it is written at the top', () => {
    const problems = validateSpecText(spec('replicas: 3\n'), 'rainbow.yaml').problems.map(formatProblem);
    expect(problems[0]).toMatch(
      /^rainbow\.yaml:3:1: replicas: unknown field here \(did you mean colors\[\]\.replicas\?\); allowed here: /,
    );
  });

  it('prefers a misspelling of a field of this level', () => {
    const problems = validateSpecText(spec('plaform: kubernetes\n'), 'rainbow.yaml').problems.map(formatProblem);
    expect(problems[0]).toMatch(
      /^rainbow\.yaml:3:1: plaform: unknown field \(did you mean "platform"\?\); allowed here: /,
    );
  });
});
