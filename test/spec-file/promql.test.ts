import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { fillPlaceholders } from '../../model/release';
import { promqlProblems, promqlSyntaxError } from '../../spec-file/promql';
import {
  PROMETHEUS_INSTALLED,
  PROMETHEUS_VERSION,
  prometheusTests,
  RunningPrometheus,
  startPrometheus,
} from '../fixtures/prometheus';

const ROOT = resolve(__dirname, '../..');

/** A spec document whose only check runs `query`. */
const withQuery = (query: unknown) => ({ progression: { checks: [{ name: 'error-rate', prometheus: { query } }] } });

/** Queries as people write them today, from our docs and from Prometheus's own documentation. */
const VALID = [
  'rate(http_requests_total[5m])',
  'sum(rate(http_requests_total{color="{{color}}",code=~"5.."}[2m])) / sum(rate(http_requests_total{color="{{color}}"}[2m]))',
  'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{color="{{canary}}"}[5m])))',
  'sum without (instance) (rate(errors{color="{{baseline}}"}[1m]))',
  'rate(http_requests_total[5m] offset 1h)',
  'http_requests_total offset -5m',
  'rate(http_requests_total[5m] @ end())',
  'http_requests_total @ 1609746000',
  'max_over_time(deriv(rate(cpu_seconds_total[1m])[5m:1m])[10m:])',
  'errors / ignoring(code) group_left requests',
  'up{job="{{app}}"} == bool 1',
  'topk(3, sum by (color) (rate(requests_total[5m])))',
  'label_replace(up, "c", "$1", "color", "(.*)")',
  'requests_total{color=~"{{color}}|{{baseline}}", path!~`/health.*`}',
  'requests_total{color="{{color}}", path=~"/api/v1/.+\\\\.json"}',
  "requests_total{color='{{color}}'} * {{weight}} / 100",
  'absent(up{job="{{app}}"}) or vector(0)',
  '1e3 * -errors_total + 0x1F - Inf',
  'sum(rate(errors[5m])) # comment to the end of the line',
];

/**
 * A query as long as a spec allows (MAX_QUERY_LENGTH): the parser's guard against deep trees would stop it
 * (isDepthGuard).
 */
const LONG = Array(227).fill('rate(errors_total{color="{{color}}"}[5m])').join(' + ');

describe('promqlSyntaxError', () => {
  it('accepts the queries users write, placeholders and all', () => {
    expect(VALID.filter((q) => promqlSyntaxError(q) !== undefined)).toEqual([]);
  });

  it("accepts Prometheus 2's holt_winters, which Prometheus 3 renamed, keeping the columns of later errors", () => {
    expect(promqlSyntaxError('holt_winters(rate(errors{color="{{color}}"}[10m])[1h:], 0.5, 0.5)')).toBeUndefined();
    expect(promqlSyntaxError('holt_winters (x[5m], 0.3, 0.1) > 1')).toBeUndefined();
    // A metric that happens to have the name is still a metric.
    expect(promqlSyntaxError('holt_winters + 1')).toBeUndefined();
    expect(promqlSyntaxError('holt_winters(x[5m], 0.5, 0.5) +')).toBe(
      'PromQL syntax error at line 1, column 32: unexpected end of the query after "+"; expected a number, a metric or an expression in parentheses',
    );
  });

  it("accepts Prometheus 3's UTF-8 metric and label names in quotes", () => {
    expect(promqlSyntaxError('{"http.server.requests", "service.name"="{{app}}"}')).toBeUndefined();
    expect(promqlSyntaxError('sum by ("k8s.pod") (rate({"http.errors"}[5m]))')).toBeUndefined();
  });

  it.each([
    [
      'sum(rate(x[5m])',
      'line 1, column 16: unexpected end of the query: the parenthesis "(" at line 1, column 4 is not closed',
    ],
    ['rate(x[5m', 'line 1, column 10: unexpected end of the query: the bracket "[" at line 1, column 7 is not closed'],
    [
      'x{color="blue"',
      'line 1, column 15: unexpected end of the query: the brace "{" at line 1, column 2 is not closed',
    ],
    [
      'sum(x]',
      'line 1, column 6: unexpected "]": the parenthesis "(" at line 1, column 4 is still open; close it with ")" first',
    ],
    ['sum(x))', 'line 1, column 7: unexpected ")": no "(" before it is open'],
    [
      'errors +',
      'line 1, column 9: unexpected end of the query after "+"; expected a number, a metric or an expression in parentheses',
    ],
    [
      'errors / * requests',
      'line 1, column 10: unexpected "*" after "/"; expected a number, a metric or an expression in parentheses',
    ],
    [
      'errors > bool',
      'line 1, column 14: unexpected end of the query after "bool"; expected a number, a metric or an expression in parentheses',
    ],
    ['x{code=}', 'line 1, column 8: unexpected "}" after "="; expected a label value in quotes, such as "5.."'],
    ['x offset', 'line 1, column 9: unexpected end of the query after "offset"; expected a duration, such as 5m'],
    ['x @', 'line 1, column 4: unexpected end of the query after "@"; expected a Unix time, start() or end()'],
    [
      'sum(x) by',
      'line 1, column 10: unexpected end of the query after "by"; expected label names in parentheses, such as (le)',
    ],
    ['errors requests', 'line 1, column 8: unexpected "requests" after "errors"'],
    ['x{a="b" or c="d"}', 'line 1, column 9: unexpected "or" after string "b"'],
    ['x[5x]', 'line 1, column 4: unexpected "x" after "5"'],
    ['sum(rate(x[5m]) by (le)', 'line 1, column 17: unexpected "by" after ")"'],
    [
      'rates(x[5m])',
      'line 1, column 1: unknown function "rates"; expected a PromQL function, such as rate, sum or histogram_quantile (https://prometheus.io/docs/prometheus/latest/querying/functions/)',
    ],
    ['x{a="b}', 'line 1, column 5: the string opened here with " is not closed: end it with " on the same line'],
    [
      'x{a=`b}',
      'line 1, column 5: the string opened here with a backquote is not closed: end it with another backquote',
    ],
    [
      'x{path=~"/api\\.json"}',
      `line 1, column 14: unknown escape \\. in a string; expected \\\\ for a backslash (a regular expression's \\. is written \\\\.), \\" inside "..." and \\' inside '...', \\n, \\t, \\xHH or \\uHHHH; or quote the string with backquotes, which take no escapes`,
    ],
    ['   ', 'line 1, column 1: unexpected end of the query'],
  ])('refuses %s, saying where and what', (query, where) => {
    expect(promqlSyntaxError(query)).toBe(`PromQL syntax error at ${where}`);
  });

  it('refuses the escapes Go refuses: a code point out of range, half a surrogate, the other quote, missing digits', () => {
    const escape = (query: string) => promqlSyntaxError(query)?.match(/unknown escape (\S+) in a string/)?.[1];
    expect(['x{a="\\777"}', 'x{a="\\U00110000"}', 'x{a="\\ud800"}', `x{a="\\'"}`, 'x{a="\\x4"}'].map(escape)).toEqual([
      '\\777',
      '\\U00110000',
      '\\ud800',
      "\\'",
      '\\x4',
    ]);
    expect(
      ['x{a="\\377\\x41\\u00e9\\U0010FFFF\\"\\\\\\n"}', "x{a='\\''}", 'x{a=`\\q`}'].map(promqlSyntaxError),
    ).toEqual([undefined, undefined, undefined]);
  });

  it('counts lines and columns in the query as written: a placeholder keeps its length, a wide character is one column', () => {
    expect(promqlSyntaxError('x{color="{{baseline}}"} + {{weight}} +')).toBe(
      'PromQL syntax error at line 1, column 39: unexpected end of the query after "+"; expected a number, a metric or an expression in parentheses',
    );
    expect(promqlSyntaxError('x{path="/café/🙂"} )')).toBe(
      'PromQL syntax error at line 1, column 19: unexpected ")": no "(" before it is open',
    );
  });

  it('reports the first error of the query, whether its string or its grammar is wrong first', () => {
    const escape = (column: number) =>
      `PromQL syntax error at line 1, column ${column}: unknown escape \\q in a string; expected \\\\ for a backslash (a regular expression's \\. is written \\\\.), \\" inside "..." and \\' inside '...', \\n, \\t, \\xHH or \\uHHHH; or quote the string with backquotes, which take no escapes`;
    expect(promqlSyntaxError('x{a="b\\q}\n+ 1')).toBe(escape(7));
    expect(promqlSyntaxError('rate(x{a="b\\q"}[5m]) sum')).toBe(escape(12));
    expect(promqlSyntaxError('errors sum(x{a="b\\q"})')).toBe(
      'PromQL syntax error at line 1, column 8: unexpected "sum" after "errors"',
    );
  });

  it('shows a placeholder written where a quoted value belongs as written', () => {
    expect(promqlSyntaxError('x{color={{color}}}')).toBe(
      'PromQL syntax error at line 1, column 9: unexpected "{{color}}" after "="; expected a label value in quotes, such as "5.."',
    );
  });

  it('reports the line of a query written on several lines, and an end of query after its last token', () => {
    const query = [
      'sum(rate(errors{color="{{color}}"}[2m]))',
      '  /',
      '  sum(rate(requests{color="{{color}}"}[2m])',
      '',
    ];
    expect(promqlSyntaxError(query.join('\n'))).toBe(
      'PromQL syntax error at line 3, column 44: unexpected end of the query: the parenthesis "(" at line 3, column 6 is not closed',
    );
    expect(promqlSyntaxError('sum(\n  errors\n  requests)')).toBe(
      'PromQL syntax error at line 3, column 3: unexpected "requests" after "errors"',
    );
    for (const query of ['x{a="b\nc"}', 'x{a="b\\\nc"}', 'x{a="b\\'])
      expect(promqlSyntaxError(query)).toBe(
        'PromQL syntax error at line 1, column 5: the string opened here with " is not closed: end it with " on the same line',
      );
  });

  it('accepts a query as long as the spec allows: a sum of 227 rates in 9985 characters', () => {
    expect(LONG.length).toBe(9985);
    expect(promqlSyntaxError(LONG)).toBeUndefined();
    expect(promqlSyntaxError(`${'x'.repeat(1990)} + (`)).toBe(
      'PromQL syntax error at line 1, column 1995: unexpected end of the query: the parenthesis "(" at line 1, column 1994 is not closed',
    );
  });

  it('shows a long token cut short', () => {
    expect(promqlSyntaxError(`errors ${'a'.repeat(300)}`)).toBe(
      `PromQL syntax error at line 1, column 8: unexpected "${'a'.repeat(27)}..." after "errors"`,
    );
  });

  it('refuses a space other than a plain space, a tab or a line break outside quotes, as Prometheus does, showing it escaped', () => {
    expect(promqlSyntaxError('errors\u00a0+ 1')).toBe(
      'PromQL syntax error at line 1, column 7: unexpected "\\u00a0" (U+00A0), a space Prometheus does not read as one; expected a plain space, a tab or a line break',
    );
    expect(promqlSyntaxError('x{path="a\u00a0b"}\t+\r\n1')).toBeUndefined();
  });
});

describe('promqlProblems', () => {
  it("reports one syntax error per query, at the query's path, in progression.checks and every hook list", () => {
    const prometheus = (query: string) => ({ name: 'q', prometheus: { url: 'http://p:9090', query, max: 1 } });
    const doc = {
      progression: {
        checks: [prometheus('rate(x[5m])'), prometheus('sum(x) by'), { name: 'smoke', http: { url: 'https://x' } }],
        hooks: {
          preRollout: [prometheus('x +')],
          postPromotion: [prometheus('x{a="b" c="d"} )')],
          onRollback: [prometheus('(x')],
        },
      },
    };
    expect(promqlProblems(doc)).toEqual([
      {
        path: 'progression.checks[1].prometheus.query',
        message:
          'PromQL syntax error at line 1, column 10: unexpected end of the query after "by"; expected label names in parentheses, such as (le)',
      },
      {
        path: 'progression.hooks.preRollout[0].prometheus.query',
        message:
          'PromQL syntax error at line 1, column 4: unexpected end of the query after "+"; expected a number, a metric or an expression in parentheses',
      },
      {
        path: 'progression.hooks.postPromotion[0].prometheus.query',
        message: 'PromQL syntax error at line 1, column 9: unexpected "c" after string "b"',
      },
      {
        path: 'progression.hooks.onRollback[0].prometheus.query',
        message:
          'PromQL syntax error at line 1, column 3: unexpected end of the query: the parenthesis "(" at line 1, column 1 is not closed',
      },
    ]);
  });

  it('leaves a query to its own rules when it is not a string, is blank or too long, or holds an unknown placeholder', () => {
    for (const query of [42, '', '  ', `sum(${'x'.repeat(10001)}`, 'x{color="{{colour}}"} +', undefined])
      expect(promqlProblems(withQuery(query))).toEqual([]);
  });

  it('takes any document without failing: no progression, checks of another shape, lists that are not lists', () => {
    for (const doc of [undefined, null, 'x', [], {}, { progression: [] }, { progression: { checks: 'x', hooks: [] } }])
      expect(promqlProblems(doc)).toEqual([]);
    expect(
      promqlProblems({ progression: { checks: [null, 'x', { prometheus: 'x' }], hooks: { preRollout: {} } } }),
    ).toEqual([]);
  });

  it('loads the PromQL grammar only for a spec that has a query', () => {
    let loads = 0;
    jest.isolateModules(() => {
      jest.doMock('@prometheus-io/lezer-promql', () => {
        loads++;
        return jest.requireActual('@prometheus-io/lezer-promql');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../spec-file/promql') as typeof import('../../spec-file/promql');
      expect(
        isolated.promqlProblems({ progression: { checks: [{ name: 'smoke', http: { url: 'https://x' } }] } }),
      ).toEqual([]);
      expect(loads).toBe(0);
      expect(isolated.promqlProblems(withQuery('sum(x'))).toHaveLength(1);
      expect(isolated.promqlProblems(withQuery('sum(x'))).toHaveLength(1);
      expect(loads).toBe(1);
    });
  });
});

/**
 * The PromQL of our docs' and examples' YAML: every `prometheus.query`, and each `query:` line of a block that is not
 * whole YAML.
 */
function documentedQueries(): Array<{ file: string; query: string }> {
  const markdown = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const examples = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.split(/[\\/]/).pop() === 'rainbow.yaml')
    .map((f) => relative(ROOT, join(ROOT, 'examples', f)));
  const blocks = [
    ...markdown.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^ *```ya?ml\n([\s\S]*?)^ *```/gm)].map((m) => ({
        file,
        text: m[1],
      })),
    ),
    ...examples.map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') })),
  ];
  return blocks.flatMap(({ file, text }) => {
    const doc = parseDocument(text);
    const queries: string[] = [];
    if (doc.errors.length > 0) {
      for (const m of text.matchAll(/\bquery:\s*(.+?)\s*$/gm)) queries.push(m[1].replace(/^(['"])(.*)\1$/, '$2'));
    } else {
      const visit = (node: unknown, key?: unknown, parent?: unknown) => {
        if (isMap(node))
          for (const pair of node.items) visit(pair.value, isScalar(pair.key) ? pair.key.value : undefined, key);
        else if (isSeq(node)) for (const item of node.items) visit(item, undefined, key);
        else if (isScalar(node) && key === 'query' && parent === 'prometheus') queries.push(String(node.value));
      };
      visit(doc.contents);
      expect({ file, queries: queries.length }).toEqual({ file, queries: text.match(/\bquery:/g)?.length ?? 0 });
    }
    return queries.map((query) => ({ file, query }));
  });
}

describe('the PromQL of the docs and the examples', () => {
  it('parses every query they show', () => {
    const queries = documentedQueries();
    expect(queries.length).toBeGreaterThanOrEqual(2);
    expect(queries.map(({ file, query }) => ({ file, query, error: promqlSyntaxError(query) }))).toEqual(
      queries.map(({ file, query }) => ({ file, query, error: undefined })),
    );
  });
});

/**
 * The grammar against a real Prometheus (the Debian package `prometheus`; .ci/run installs it),
 * started for this file on a free port: both accept the valid queries, both refuse the invalid.
 * A machine without it skips these tests and says so in one line; CI (CI=true) requires it.
 */
const prometheusTest = prometheusTests('the PromQL grammar tests');
const whenInstalled = prometheusTest.test;

/** Syntax errors, each refused by Prometheus's own parser as by ours. */
const INVALID = [
  'sum(rate(x[5m])',
  'rate(x[5m',
  'x{color="blue"',
  'sum(x]',
  'sum(x))',
  'errors +',
  'errors / * requests',
  'x{code=}',
  'x offset',
  'x @',
  'sum(x) by',
  'errors requests',
  'x{a="b" or c="d"}',
  'x[5x]',
  'sum(rate(x[5m]) by (le)',
  'rates(x[5m])',
  'x{a="b}',
  'x{a=`b}',
  'x{path=~"/api\\.json"}',
  'x{a="\\777"}',
  'x{a="\\x4"}',
  `x{a="\\'"}`,
  'x{color={{color}}}',
  'sum(\n  errors\n  requests)',
  'errors\u00a0+ 1',
];

/** What Prometheus's parser refuses beyond the grammar: types, and its own checks of a selector. Left to the server. */
const BEYOND_SYNTAX = ['rate(x)', 'sum(x[5m])', '{}', 'x[5m] + y'];

const TEMPLATES = { color: 'green', app: 'shop', weight: 25, baseline: 'blue' };

let prometheus: RunningPrometheus | undefined;
let parseUrl: (query: string) => string;

beforeAll(async () => {
  if (!PROMETHEUS_INSTALLED) return;
  prometheus = await startPrometheus('global: { scrape_interval: 1m }\n');
  const base = prometheus.url;
  // Parse without evaluating: parse_query (Prometheus 3), else format_query (2.38 on), else an instant query.
  const has = async (path: string) => (await fetch(`${base}${path}?query=1`)).status !== 404;
  const endpoint = (await has('/api/v1/parse_query'))
    ? '/api/v1/parse_query'
    : (await has('/api/v1/format_query'))
      ? '/api/v1/format_query'
      : '/api/v1/query';
  parseUrl = (query) => `${base}${endpoint}?query=${encodeURIComponent(query)}`;
}, 35_000);

afterAll(async () => {
  await prometheus?.stop();
});

/**
 * Prometheus's parse error for a query, its placeholders filled in as a release fills them; undefined when it parses.
 */
async function prometheusError(query: string): Promise<string | undefined> {
  const body = (await (await fetch(parseUrl(fillPlaceholders(query, TEMPLATES)))).json()) as {
    status: string;
    error?: string;
  };
  return body.status === 'success' ? undefined : (body.error ?? body.status);
}

describe('the PromQL grammar, against a real Prometheus', () => {
  prometheusTest.required();

  whenInstalled('accepts what Prometheus accepts: the queries users write and those of the docs', async () => {
    const queries = [...VALID, LONG, ...documentedQueries().map((d) => d.query)];
    const verdicts = await Promise.all(
      queries.map(async (query) => ({
        query,
        ours: promqlSyntaxError(query),
        prometheus: await prometheusError(query),
      })),
    );
    expect(verdicts).toEqual(queries.map((query) => ({ query, ours: undefined, prometheus: undefined })));
  });

  whenInstalled('refuses what Prometheus refuses as a syntax error', async () => {
    const verdicts = await Promise.all(
      INVALID.map(async (query) => ({
        query,
        ours: promqlSyntaxError(query) !== undefined,
        prometheus: (await prometheusError(query))?.includes('parse error') === true,
      })),
    );
    expect(verdicts).toEqual(INVALID.map((query) => ({ query, ours: true, prometheus: true })));
  });

  whenInstalled('leaves to Prometheus the errors beyond syntax: types, an empty selector', async () => {
    const verdicts = await Promise.all(
      BEYOND_SYNTAX.map(async (query) => ({
        query,
        ours: promqlSyntaxError(query),
        prometheus: (await prometheusError(query)) !== undefined,
      })),
    );
    expect(verdicts).toEqual(BEYOND_SYNTAX.map((query) => ({ query, ours: undefined, prometheus: true })));
  });

  whenInstalled(
    'accepts the UTF-8 names in quotes that Prometheus 3 accepts',
    async () => {
      expect(await prometheusError('{"http.server.requests", "service.name"="shop"}')).toBeUndefined();
    },
    PROMETHEUS_VERSION[0] >= 3,
  );
});

prometheusTest.summary();
if (PROMETHEUS_INSTALLED && PROMETHEUS_VERSION[0] < 3)
  process.stdout.write(
    `prometheus ${PROMETHEUS_VERSION.join('.')} is older than 3: skipping the comparison of UTF-8 names in quotes, which only Prometheus 3 accepts\n`,
  );
