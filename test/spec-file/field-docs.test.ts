import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FieldRule } from '../../model/fields';
import { FIELDS } from '../../model/fields';
import { anything, array, leaf, object, record } from '../../model/shape';
import {
  FIELD_TABLE_FILES,
  FIELD_TABLES,
  FieldTable,
  fieldTableProblems,
  markdownText,
  renderFieldTable,
  withFieldTables,
} from '../../spec-file/field-docs';

const ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'docs-tables.js');
const COMMAND = 'npm run docs:tables';

/** The lines of `before` that `after` no longer has (`- `), then those it has anew (`+ `). */
function lineDiff(before: string, after: string): string[] {
  const old = before.split('\n');
  const now = after.split('\n');
  return [
    ...old.filter((l) => !now.includes(l)).map((l) => `- ${l}`),
    ...now.filter((l) => !old.includes(l)).map((l) => `+ ${l}`),
  ];
}

/** Small rules with short texts, so that every row is written out whole. */
const word: FieldRule = {
  expected: 'a lowercase word',
  test: (v) => typeof v === 'string' && /^[a-z]+$/.test(v),
  json: { type: 'string', pattern: '^[a-z]+$' },
};
const count: FieldRule = {
  expected: 'a whole number from 0 to 9',
  test: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 9,
  json: { type: 'integer', minimum: 0, maximum: 9 },
};

const pet = object({
  name: leaf<string>(word),
  legs: leaf<number>(count).withDefault(4),
  owner: leaf<string>(word).optional(),
  tame: leaf<boolean>(FIELDS.boolean).withDefault(false),
  food: object({
    kind: leaf<string>(word),
    grams: leaf<number>(count).withDefault(2),
    old: anything({ not: {}, deprecated: true }).optional(),
  }).optional(),
  toys: array(leaf<string>(word), { expected: 'a list of toys' }).withDefault([]),
  tags: record(leaf<string>(word), { expected: 'an object of tags' }).optional(),
});

const table = (rows: FieldTable['rows'], file = 'PETS.md'): FieldTable => ({ name: 'pets', file, rows });

describe('the tables of spec fields in the docs', () => {
  it.each(FIELD_TABLE_FILES)(
    `%s holds its tables as generated from spec-file/field-docs.ts (run \`${COMMAND}\` after changing it or spec-file/schema.ts)`,
    (file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const { markdown, problems } = withFieldTables(file, text);
      expect(problems).toEqual([]);
      const differs = markdown === text ? [] : [`run ${COMMAND}; the tables differ:`, ...lineDiff(text, markdown)];
      expect(differs).toEqual([]);
    },
  );

  it('has a row for every field of the spec, and no row for a field the spec does not have', () => {
    expect(fieldTableProblems()).toEqual([]);
  });

  it("takes the README's rows from the shape: required, the default and what the rule allows", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(
      '| `kubernetes.port` | | `8080` | a whole number from 1 to 65535: the container port and the Service port |',
    );
    expect(readme).toContain('| `rollingUpdate.maxSurge` | | `25%` |');
    expect(readme).toContain('| `kubernetes.gateway` | for `gateway-api` | | `{ name, namespace, sectionName? }`:');
    expect(readme).toContain('| `migration` | | none | `{ command: [...], image?, backoffLimit? (2) }`:');
    expect(readme).toContain("| `kubernetes.context` | | the kubeconfig's current context |");
  });

  it('is written by `npm run docs:tables --check` as it is: exit 0, nothing printed', () => {
    const run = spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('is rewritten by `npm run docs:tables` where it differs, and `--check` fails on it first, exit 1', () => {
    const root = mkdtempSync(join(tmpdir(), 'docs-tables-'));
    for (const file of FIELD_TABLE_FILES) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), readFileSync(join(ROOT, file), 'utf8'));
    }
    const readme = join(root, 'README.md');
    const generated = readFileSync(readme, 'utf8');
    writeFileSync(readme, generated.replace('| `kubernetes.port` | | `8080` |', '| `kubernetes.port` | | `80` |'));

    const checked = spawnSync(process.execPath, [SCRIPT, '--check', '--root', root], { encoding: 'utf8' });
    expect({ status: checked.status, stdout: checked.stdout, stderr: checked.stderr }).toEqual({
      status: 1,
      stdout: '',
      stderr: `README.md: its spec-field tables are not as generated; run ${COMMAND}\n`,
    });
    const written = spawnSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
    expect({ status: written.status, stdout: written.stdout, stderr: written.stderr }).toEqual({
      status: 0,
      stdout: 'wrote README.md\n',
      stderr: '',
    });
    expect(readFileSync(readme, 'utf8')).toBe(generated);
  });
});

describe('renderFieldTable', () => {
  it('writes a row per field in the order of the shape: required, the default as code or described or none, and what it allows', () => {
    const rows = renderFieldTable(
      table({
        toys: { text: '{allowed}, each {item}' },
        name: {},
        legs: { text: 'how many: {allowed}' },
        owner: { defaultText: 'the keeper' },
        tame: { text: '`true`: it comes when called' },
        tags: { required: 'for shows' },
      }),
      pet,
    );
    expect(rows).toEqual([
      '| field | required | default | allowed |',
      '|---|---|---|---|',
      '| `name` | yes | | a lowercase word |',
      '| `legs` | | `4` | how many: a whole number from 0 to 9 |',
      '| `owner` | | the keeper | a lowercase word |',
      '| `tame` | | `false` | `true`: it comes when called |',
      '| `toys` | | none | a list of toys, each a lowercase word |',
      '| `tags` | for shows | | an object of tags |',
    ]);
  });

  it("writes an object's fields as a spec writes them, with their defaults, leaving out a field kept only to refuse it", () => {
    expect(renderFieldTable(table({ food: { text: '{allowed}: what it eats' } }), pet)[2]).toBe(
      '| `food` | | none | `{ kind, grams? (2) }`: what it eats |',
    );
  });

  it("shows a rule's text as it is in Markdown: a bar, a backslash, angle brackets and emphasis escaped", () => {
    expect(markdownText('arn:<region>:*_x_*|a\\.b `c` [d] ~e')).toBe(
      'arn:\\<region\\>:\\*\\_x\\_\\*\\|a\\\\.b \\`c\\` \\[d\\] \\~e',
    );
    const bars: FieldRule = { ...word, expected: 'a, b|c or <d>' };
    expect(renderFieldTable(table({ name: {} }), object({ name: leaf(bars) }))[2]).toBe(
      '| `name` | yes | | a, b\\|c or \\<d\\> |',
    );
  });
});

describe('fieldTableProblems', () => {
  const every = { name: {}, legs: {}, owner: {}, tame: {}, food: {}, toys: {}, tags: {} };

  it('finds none when every field has a row, a row covering the fields inside its own', () => {
    expect(fieldTableProblems([table(every)], pet)).toEqual([]);
  });

  it('fails on a row that names no field of the shape', () => {
    expect(fieldTableProblems([table({ ...every, tail: {}, 'food.kinds': {} })], pet)).toEqual([
      "PETS.md: the row `tail` names no field of the spec's shape (spec-file/schema.ts); remove it from spec-file/field-docs.ts",
      "PETS.md: the row `food.kinds` names no field of the spec's shape (spec-file/schema.ts); remove it from spec-file/field-docs.ts",
    ]);
  });

  it('fails on a field no table has a row for, also inside a block whose other fields have rows', () => {
    const { owner, food, ...rest } = every;
    void [owner, food];
    expect(fieldTableProblems([table({ ...rest, 'food.kind': {} })], pet)).toEqual([
      'no table has a row for `owner`: give it one (or a row for a field it is in) in spec-file/field-docs.ts',
      'no table has a row for `food.grams`: give it one (or a row for a field it is in) in spec-file/field-docs.ts',
      'no table has a row for `food.old`: give it one (or a row for a field it is in) in spec-file/field-docs.ts',
    ]);
  });

  it('counts the rows of every table: a field may have its row in another file', () => {
    const { owner, ...rest } = every;
    expect(fieldTableProblems([table(rest), table({ owner }, 'OWNERS.md')], pet)).toEqual([]);
  });

  it("fails on a row that says otherwise than the shape: when a required field is required, a default the shape has, a required field's default", () => {
    expect(
      fieldTableProblems(
        [
          table({
            ...every,
            name: { required: 'always' },
            legs: { defaultText: 'four' },
            tame: { required: 'for shows' },
            tags: { required: 'for shows', defaultText: 'none given' },
          }),
        ],
        pet,
      ),
    ).toEqual([
      "PETS.md: `name` is required in the spec's shape, so its row cannot say when it is required",
      "PETS.md: `legs` has a default in the spec's shape, so its row cannot describe another",
      'PETS.md: `tame` is required, so it has no default to describe',
      'PETS.md: `tags` is required, so it has no default to describe',
    ]);
  });

  it('fails on the row of a rule that does not say what the rule allows, unless in its own words or a yes-or-no', () => {
    expect(
      fieldTableProblems([table({ ...every, name: { text: 'its name' }, tame: { text: 'tame or not' } })], pet),
    ).toEqual([
      'PETS.md: the row `name` does not say what the field allows: put {allowed} in its text (or set ownWords)',
    ]);
    expect(fieldTableProblems([table({ ...every, name: { text: 'its name', ownWords: true } })], pet)).toEqual([]);
  });

  it('fails on {item} for a field that is neither a list nor a map, and on a bar that would split a cell', () => {
    expect(
      fieldTableProblems(
        [table({ ...every, owner: { text: '{allowed}, each {item}' }, food: { text: 'a | b' } })],
        pet,
      ),
    ).toEqual([
      'PETS.md: the row `owner` says {item}, but the field is neither a list nor a map',
      'PETS.md: the row `food` has a "|" that would split its cell: write it as "\\|"',
    ]);
  });
});

describe('withFieldTables', () => {
  const pets = table({ name: {}, legs: {} });
  const marked = (inside: string[]) =>
    ['# Pets', '', '<!-- spec-fields:begin pets -->', ...inside, '<!-- spec-fields:end -->', '', 'The end.'].join('\n');

  it('writes each table between its markers, with a begin marker that says where it comes from, and keeps the rest', () => {
    const { markdown, problems } = withFieldTables('PETS.md', marked(['| stale |']), [pets], pet);
    expect(problems).toEqual([]);
    expect(markdown.split('\n')).toEqual([
      '# Pets',
      '',
      '<!-- spec-fields:begin pets (generated from spec-file/field-docs.ts: npm run docs:tables) -->',
      '',
      '| field | required | default | allowed |',
      '|---|---|---|---|',
      '| `name` | yes | | a lowercase word |',
      '| `legs` | | `4` | a whole number from 0 to 9 |',
      '',
      '<!-- spec-fields:end -->',
      '',
      'The end.',
    ]);
    expect(withFieldTables('PETS.md', markdown, [pets], pet)).toEqual({ markdown, problems: [] });
  });

  it('fails on markers of a table the file does not have, a begin without an end, a table twice and a table without markers', () => {
    expect(withFieldTables('PETS.md', marked([]).replace('begin pets', 'begin cats'), [pets], pet).problems).toEqual([
      'PETS.md: the markers name the table "cats", which spec-file/field-docs.ts does not have for this file',
      'PETS.md: the table "pets" has no markers here: put "<!-- spec-fields:begin pets (generated from spec-file/field-docs.ts: npm run docs:tables) -->" and "<!-- spec-fields:end -->" where it goes',
    ]);
    expect(withFieldTables('PETS.md', '<!-- spec-fields:begin pets -->\n| x |', [pets], pet).problems).toEqual([
      'PETS.md: the table "pets" has no "<!-- spec-fields:end -->" after its begin marker',
      'PETS.md: the table "pets" has no markers here: put "<!-- spec-fields:begin pets (generated from spec-file/field-docs.ts: npm run docs:tables) -->" and "<!-- spec-fields:end -->" where it goes',
    ]);
    expect(withFieldTables('PETS.md', `${marked([])}\n${marked([])}`, [pets], pet).problems).toEqual([
      'PETS.md: the table "pets" is there twice',
    ]);
  });

  it('knows each table of the docs by the file it is in', () => {
    expect(FIELD_TABLES.map((t) => `${t.file}: ${t.name}`)).toEqual([
      'README.md: spec',
      'docs/aws.md: ecs',
      'docs/ec2.md: ec2',
      'docs/dns.md: dns',
    ]);
  });
});
