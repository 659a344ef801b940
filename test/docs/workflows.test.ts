import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { docFences, Fence, isWorkflow } from './fences';

/** What actionlint reports about one workflow. */
interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

/** actionlint on each text, in a Node process of its own (test/docs/actionlint.js says why). */
function actionlint(workflows: ReadonlyArray<{ readonly name: string; readonly text: string }>): LintResult[][] {
  const child = spawnSync(process.execPath, [join(__dirname, 'actionlint.js')], {
    input: JSON.stringify(workflows),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`actionlint did not run: exit ${child.status}, ${child.stderr}`);
  return JSON.parse(child.stdout) as LintResult[][];
}

const text = (fence: Fence) => `${fence.lines.join('\n')}\n`;

const workflows = docFences().filter(isWorkflow);

/** A workflow whose last run: is a plain scalar holding ": ", as the daily expire workflow's once was. */
const PLAIN_SCALAR_WITH_COLON = [
  'on: push',
  'jobs:',
  '  expire:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: echo "an expired color still gets traffic: see the expire step" && exit 1',
  '',
].join('\n');

/** A workflow that reads a property the github context does not have. */
const UNKNOWN_PROPERTY = [
  'on: push',
  'jobs:',
  '  plan:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: echo "${{ github.base_reference }}"',
  '',
].join('\n');

// One actionlint process for every workflow of the tests: each start compiles its WebAssembly anew.
let linted: Map<string, LintResult[]>;
beforeAll(() => {
  const inputs = [
    ...workflows.map((w) => ({ name: `${w.file}:${w.line}`, text: text(w) })),
    { name: 'plain-scalar.yml', text: PLAIN_SCALAR_WITH_COLON },
    { name: 'unknown-property.yml', text: UNKNOWN_PROPERTY },
  ];
  const results = actionlint(inputs);
  linted = new Map(inputs.map((input, i) => [input.name, results[i]]));
});

describe('the GitHub Actions workflows of the docs', () => {
  it('are the three of docs/workflows.md: deploy, expire daily, release', () => {
    expect(workflows.map((w) => [w.file, parse(text(w)).name])).toEqual([
      ['docs/workflows.md', 'rainbow'],
      ['docs/workflows.md', 'rainbow-expire'],
      ['docs/workflows.md', 'release'],
    ]);
  });

  it('pass actionlint', () => {
    const problems = workflows.flatMap((w) =>
      linted
        .get(`${w.file}:${w.line}`)!
        .map((r) => `${w.file}:${w.line + r.line - 1}:${r.column}: ${r.message} [${r.kind}]`),
    );
    expect(problems).toEqual([]);
  });

  it('set up Node 24, the active LTS (Node 20 reached its end of life in April 2026)', () => {
    const setups = workflows.flatMap((w) =>
      Object.values(parse(text(w)).jobs as Record<string, { steps: Array<Record<string, any>> }>).flatMap((job) =>
        job.steps.filter((step) => String(step.uses).startsWith('actions/setup-node@')),
      ),
    );
    expect(setups.map((step) => step.with['node-version'])).toEqual([24, 24, 24, 24]);
  });
});

describe('actionlint on a workflow', () => {
  it('refuses a run: that is a plain scalar holding ": ", which is not valid YAML', () => {
    expect(linted.get('plain-scalar.yml')).toEqual([
      {
        message: 'could not parse as YAML: yaml: line 6: mapping values are not allowed in this context',
        line: 6,
        column: 0,
        kind: 'syntax-check',
      },
    ]);
  });

  it('refuses an expression on a property the context does not have, naming it', () => {
    const results = linted.get('unknown-property.yml')!;
    expect(results.map((r) => [r.line, r.column, r.kind])).toEqual([[6, 24, 'expression']]);
    expect(results[0].message).toMatch(/^property "base_reference" is not defined in object type \{action: string; /);
  });
});
