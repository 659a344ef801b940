import { formatProblem } from '../../model/problem';
import { validateSpecText } from '../../spec-file/load';
import { problemLines, rawSpec, resolvedSpec } from '../spec-helpers';

const lines = (...text: string[]) =>
  validateSpecText(`${text.join('\n')}\n`, 'rainbow.yaml').problems.map(formatProblem);

describe('colors[].match in a spec', () => {
  it("resolves a color's match into the spec", () => {
    const raw = rawSpec();
    raw.colors[1].match = { headers: { 'x-beta-user': 'true' }, cookies: { cohort: 'beta' } };
    expect(resolvedSpec(raw).colors[1].match).toEqual({
      headers: { 'x-beta-user': 'true' },
      cookies: { cohort: 'beta' },
    });
  });

  it('fails on overlapping matches, with the position of the later one', () => {
    expect(
      lines(
        'app: shop',
        'platform: kubernetes',
        'kubernetes: {gateway: {name: public, namespace: infra}, host: shop.example.com}',
        'colors:',
        '  - {name: blue, image: "shop:1", weight: 100, match: {headers: {x-beta-user: "true"}}}',
        '  - name: green',
        '    image: "shop:2"',
        '    weight: 0',
        '    match:',
        '      headers: {x-beta-user: "true"}',
        '      cookies: {cohort: beta}',
      ),
    ).toEqual([
      'rainbow.yaml:9:5: colors[1].match: received a match that overlaps colors[0].match (blue): a request with header x-beta-user: true, cookie cohort=beta matches both; expected matches that differ in the value of a header or cookie both name, so that each request matches one color at most',
    ]);
  });

  it('fails on platform dns: Route 53 never sees a request', () => {
    const raw: Record<string, any> = {
      app: 'shop',
      platform: 'dns',
      dns: { zoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com' },
      colors: [
        { name: 'blue', endpoint: 'a.example.com', weight: 100 },
        { name: 'green', endpoint: 'b.example.com', weight: 0, match: { headers: { 'x-beta': '1' } } },
      ],
    };
    expect(problemLines(raw)).toContain(
      "colors[1].match: received a match on platform dns; expected none: Route 53 answers DNS queries and never sees a request's headers or cookies",
    );
  });

  it('fails on an empty match, an unquoted value and a Cookie header', () => {
    const raw = rawSpec();
    raw.colors[1].match = { headers: { Cookie: 'a=1', 'x-beta': true } };
    raw.colors[0].match = {};
    expect(problemLines(raw)).toEqual([
      'colors[0].match: received no header and no cookie; expected at least one: a match without conditions would take every request',
      'colors[1].match.headers.Cookie: received "Cookie"; expected another header: match cookies under cookies, and the host is the router\'s own',
      'colors[1].match.headers.x-beta: received true; expected printable ASCII of 1 to 4096 characters, without spaces at either end',
    ]);
  });

  it('ignores the match of a retired color', () => {
    const raw = rawSpec();
    raw.colors.push({
      name: 'yellow',
      image: 'shop:0',
      weight: 0,
      state: 'retired',
      match: { headers: { 'x-a': '1' } },
    });
    raw.colors[1].match = { headers: { 'x-a': '1' } };
    expect(problemLines(raw)).toEqual([]);
  });
});
