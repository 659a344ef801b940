import { formatProblem } from '../../model/problem';
import { validateSpecText } from '../../spec-file/load';

/**
 * `rainbow validate` parses the PromQL of every Prometheus check (spec-file/promql.ts): a syntax
 * error is one problem at the query, placed in the file, with the line and column in the query.
 */

const SPEC = [
  'app: shop',
  'platform: kubernetes',
  'kubernetes: {gateway: {name: public, namespace: infra}, host: shop.example.com}',
  'colors:',
  '  - {name: blue, image: "shop:1", weight: 100}',
  '  - {name: green, image: "shop:2", weight: 0}',
  'progression:',
  '  steps: [10, 50, 100]',
];

const lines = (...text: string[]) =>
  validateSpecText(`${[...SPEC, ...text].join('\n')}\n`, 'rainbow.yaml').problems.map(formatProblem);

describe('rainbow validate: the PromQL of the checks', () => {
  it('accepts a spec whose queries parse, with every placeholder', () => {
    expect(
      lines(
        '  checks:',
        '    - name: error-rate',
        '      prometheus:',
        '        url: http://prometheus.monitoring:9090',
        '        query: sum(rate(errors{color="{{color}}"}[2m])) / sum(rate(requests{color="{{canary}}"}[2m]))',
        '        max: 0.01',
        '    - name: latency-vs-baseline',
        '      prometheus:',
        '        url: http://prometheus.monitoring:9090',
        '        query: histogram_quantile(0.99, sum by (le) (rate(latency_bucket{color="{{baseline}}", job="{{app}}"}[5m]))) * {{weight}}',
        '        max: 1.2',
      ),
    ).toEqual([]);
  });

  it('fails on a query that does not parse, at the query, saying where in the query and what', () => {
    expect(
      lines(
        '  checks:',
        '    - name: error-rate',
        '      prometheus: { url: "http://prometheus:9090", query: "sum(rate(errors[2m])", max: 0.01 }',
      ),
    ).toEqual([
      'rainbow.yaml:11:59: progression.checks[0].prometheus.query: PromQL syntax error at line 1, column 21: unexpected end of the query: the parenthesis "(" at line 1, column 4 is not closed',
    ]);
  });

  it('fails on a query of a hook list as on a check', () => {
    expect(
      lines(
        '  hooks:',
        '    postPromotion:',
        '      - name: still-fine',
        '        prometheus:',
        '          url: http://prometheus:9090',
        '          query: \'errors{code=~"5.."} requests\'',
        '          max: 0',
      ),
    ).toEqual([
      'rainbow.yaml:14:18: progression.hooks.postPromotion[0].prometheus.query: PromQL syntax error at line 1, column 21: unexpected "requests" after "}"',
    ]);
  });

  it('counts the lines of a query written as a YAML block from its first line', () => {
    expect(
      lines(
        '  checks:',
        '    - name: error-rate',
        '      prometheus:',
        '        url: http://prometheus:9090',
        '        max: 0.01',
        '        query: |',
        '          sum(rate(errors{color="{{color}}"}[2m]))',
        '            /',
        '          sum(rate(requests{color="{{color}}"}[2m])',
      ),
    ).toEqual([
      'rainbow.yaml:14:16: progression.checks[0].prometheus.query: PromQL syntax error at line 3, column 42: unexpected end of the query: the parenthesis "(" at line 3, column 4 is not closed',
    ]);
  });

  it('reads a folded block (>) as Prometheus gets it: on one line', () => {
    expect(
      lines(
        '  checks:',
        '    - name: error-rate',
        '      prometheus:',
        '        url: http://prometheus:9090',
        '        max: 0.01',
        '        query: >-',
        '          sum(rate(errors[2m]))',
        '          / sum(rate(requests[2m]) by (color)',
      ),
    ).toEqual([
      'rainbow.yaml:14:16: progression.checks[0].prometheus.query: PromQL syntax error at line 1, column 48: unexpected "by" after ")"',
    ]);
  });

  it('reports an unknown placeholder once, as such, and not also as PromQL', () => {
    expect(
      lines(
        '  checks:',
        '    - name: error-rate',
        '      prometheus: { url: "http://prometheus:9090", query: "errors{color=\\"{{colour}}\\"} +", max: 0.01 }',
      ),
    ).toEqual([
      'rainbow.yaml:11:59: progression.checks[0].prometheus.query: received "{{colour}}"; expected only the placeholders {{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}}, which rainbow release fills in: nothing else is a template',
    ]);
  });
});
