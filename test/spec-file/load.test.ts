import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec, MAX_SPEC_BYTES, MAX_SPEC_DEPTH, MAX_SPEC_VALUES, parseSpecText } from '../../spec-file/load';
import { SYNTAX_MESSAGES } from '../../spec-file/messages';

const lines = (problems: readonly { path: string; message: string }[]) =>
  problems.map((p) => `${p.path}: ${p.message}`);

describe('loadSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-load-'));
  const write = (name: string, content: string | Buffer) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('reads the Gateway API example', () => {
    const { spec, problems } = loadSpec('examples/kubernetes-gateway/rainbow.yaml');
    expect(problems).toEqual([]);
    expect(spec?.colors.map((c) => c.name)).toEqual(['red', 'orange', 'yellow']);
  });

  it('reads JSON', () => {
    const file = write(
      'rainbow.json',
      JSON.stringify({
        app: 'shop',
        platform: 'kubernetes',
        kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' },
        colors: [{ name: 'blue', image: 'shop:1', weight: 100 }],
      }),
    );
    expect(loadSpec(file).spec?.colors[0].name).toBe('blue');
  });

  it('fails for a missing file, naming its path', () => {
    expect(lines(loadSpec(join(dir, 'nope.yaml')).problems)).toEqual([
      `${join(dir, 'nope.yaml')}: no such file; pass the spec with --spec FILE or RAINBOW_SPEC (default ./rainbow.yaml), or write one with rainbow init`,
    ]);
  });

  it('fails for a directory', () => {
    mkdirSync(join(dir, 'adir'));
    expect(lines(loadSpec(join(dir, 'adir')).problems)).toEqual([
      `${join(dir, 'adir')}: is a directory, not a spec file`,
    ]);
  });

  it('fails for bytes that are not UTF-8', () => {
    const file = write('latin1.yaml', Buffer.from([0x61, 0x70, 0x70, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(lines(loadSpec(file).problems)).toEqual([
      `${file}: is not UTF-8 text; expected a YAML or JSON file encoded as UTF-8`,
    ]);
  });

  it('fails for a file larger than the limit, before reading it', () => {
    const file = write('huge.yaml', Buffer.alloc(MAX_SPEC_BYTES + 1, 0x20));
    expect(lines(loadSpec(file).problems)).toEqual([
      `${file}: is ${MAX_SPEC_BYTES + 1} bytes; expected a spec file of at most ${MAX_SPEC_BYTES} bytes`,
    ]);
  });

  it('describes /proc/self/environ by its type and size, never echoing the environment', () => {
    const link = join(dir, 'environ.yaml');
    symlinkSync('/proc/self/environ', link);
    const problems = lines(loadSpec(link).problems);
    expect(problems).toEqual([
      expect.stringMatching(
        /^\S+environ\.yaml:1:\d+: received the control character U\+0000; expected YAML or JSON text/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('PATH=');
  });

  it('reads at most one byte past the limit when the size on disk says less (as files under /proc do)', () => {
    const file = write('grows.yaml', Buffer.alloc(MAX_SPEC_BYTES * 4, 0x20));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const zeroSize = (stats: import('node:fs').Stats) => Object.assign(stats, { size: 0 });
    const realStat = fs.statSync;
    const realFstat = fs.fstatSync;
    const stat = jest
      .spyOn(fs, 'statSync')
      .mockImplementation(((p: string) => zeroSize(realStat(p))) as typeof fs.statSync);
    const fstat = jest.spyOn(fs, 'fstatSync').mockImplementation((fd: number) => zeroSize(realFstat(fd)));
    const read = jest.spyOn(fs, 'readSync');
    try {
      expect(lines(loadSpec(file).problems)).toEqual([
        `${file}: holds more than ${MAX_SPEC_BYTES} bytes; expected a spec file of at most ${MAX_SPEC_BYTES} bytes`,
      ]);
      const bytesRead = read.mock.results.reduce((sum, r) => sum + (r.value as number), 0);
      expect(bytesRead).toBe(MAX_SPEC_BYTES + 1);
    } finally {
      stat.mockRestore();
      fstat.mockRestore();
      read.mockRestore();
    }
  });

  it('fails for an empty file', () => {
    const file = write('empty.yaml', '\n  \n');
    expect(lines(loadSpec(file).problems)).toEqual([
      `${file}: the file is empty; expected a spec object with at least app, platform and colors`,
    ]);
  });
});

describe('parseSpecText', () => {
  it('gives the line and column of a YAML syntax error', () => {
    expect(lines(parseSpecText('app: shop\ncolors:\n  - name: "red\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:4:1: a value opened with " is not closed: add the closing " on the line where the value ends',
    ]);
  });

  it('gives the line and column of a JSON syntax error', () => {
    expect(
      lines(parseSpecText('{\n  "app": "shop"\n  "platform": "kubernetes"\n}', 'rainbow.json').problems)[0],
    ).toMatch(/^rainbow\.json:3:3: /);
  });

  it('fails for a duplicate key, at its line', () => {
    expect(lines(parseSpecText('app: shop\nplatform: kubernetes\napp: other\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:3:1: this key appears twice in the same object; expected each field once (the second would silently win)',
    ]);
  });

  it('refuses an alias bomb quickly', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    expect(lines(parseSpecText(bomb, 'bomb.yaml').problems)).toEqual([
      'bomb.yaml: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('refuses more list items and keys than a spec holds, before parsing, in a flow mapping, a flow list or a block list', () => {
    const flowMap = `{${Array.from({ length: MAX_SPEC_VALUES + 1 }, (_, i) => `k${i}: 1`).join(', ')}}`;
    const flowList = `app: [${'0,'.repeat(MAX_SPEC_VALUES)}0]`;
    const blockList = `colors:\n${'- 1\n'.repeat(MAX_SPEC_VALUES)}`;
    for (const text of [flowMap, flowList, blockList]) {
      expect(lines(parseSpecText(text, 'many.yaml').problems)).toEqual([
        'many.yaml: holds more than 10000 list items and keys; expected a spec file of at most 10000 (a large real one holds a few hundred)',
      ]);
    }
  });

  it('counts list items and keys, not the indicators inside quoted text, up to the limit', () => {
    const atLimit = `app: [${'0,'.repeat(MAX_SPEC_VALUES - 2)}0]`;
    expect(parseSpecText(atLimit, 'many.yaml').problems).toEqual([]);
    const quoted = `app: "${'a: b, - c, '.repeat(MAX_SPEC_VALUES)}"`;
    expect(parseSpecText(quoted, 'quoted.yaml').problems).toEqual([]);
  });

  it('refuses collections nested deeper than a spec goes, before parsing, at the one that goes too deep', () => {
    const TOO_DEEP = 'nested too deeply to read; expected a spec a few levels deep';
    const flowList = `app: shop\nx:\n  y: ${'['.repeat(MAX_SPEC_DEPTH + 1)}${']'.repeat(MAX_SPEC_DEPTH + 1)}\n`;
    expect(lines(parseSpecText(flowList, 'deep.yaml').problems)).toEqual([
      `deep.yaml:3:${6 + MAX_SPEC_DEPTH}: ${TOO_DEEP}`,
    ]);
    const flowMaps = `x: ${'{a: '.repeat(MAX_SPEC_DEPTH + 1)}1${'}'.repeat(MAX_SPEC_DEPTH + 1)}`;
    expect(lines(parseSpecText(flowMaps, 'deep.yaml').problems)).toEqual([
      `deep.yaml:1:${4 + 4 * MAX_SPEC_DEPTH}: ${TOO_DEEP}`,
    ]);
    // Items started on one line: each `- ` opens a list inside the one before.
    const compact = `x:\n${'- '.repeat(MAX_SPEC_DEPTH + 1)}1\n`;
    expect(lines(parseSpecText(compact, 'deep.yaml').problems)).toEqual([
      `deep.yaml:2:${1 + 2 * MAX_SPEC_DEPTH}: ${TOO_DEEP}`,
    ]);
  });

  it('reads collections nested as deep as the limit, and does not count brackets in quoted text or comments, nor items on lines of their own', () => {
    const atLimit = `x: ${'['.repeat(MAX_SPEC_DEPTH)}1${']'.repeat(MAX_SPEC_DEPTH)}\n`;
    expect(parseSpecText(atLimit, 'deep.yaml').problems).toEqual([]);
    const quoted = `x: "${'['.repeat(1000)}"\n# ${'{'.repeat(1000)}\ny: '${'- '.repeat(1000)}'\n`;
    expect(parseSpecText(quoted, 'quoted.yaml').problems).toEqual([]);
    const list = `x:\n${'- 1\n'.repeat(MAX_SPEC_DEPTH * 2)}`;
    expect(parseSpecText(list, 'list.yaml').problems).toEqual([]);
    const explicitKeys = `x: {${Array.from({ length: MAX_SPEC_DEPTH + 6 }, (_, i) => `? k${i} : 1`).join(', ')}}\n`;
    expect(parseSpecText(explicitKeys, 'keys.yaml').problems).toEqual([]);
  });

  it('keeps a plain alias', () => {
    expect(parseSpecText('a: &x [1, 2]\nb: *x\n', 'f.yaml').document).toEqual({ a: [1, 2], b: [1, 2] });
  });

  it('refuses a %YAML 1.1 directive, which would read 1:30 as 90', () => {
    expect(lines(parseSpecText('%YAML 1.1\n---\napp: shop\nweight: 1:30\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:1:1: received the directive %YAML 1.1; expected YAML 1.2 (remove the directive): YAML 1.1 reads values differently, 1:30 as the number 90 and yes as true',
    ]);
  });

  it('reads 1:30 as text without a directive (YAML 1.2)', () => {
    expect(parseSpecText('a: 1:30\n', 'f.yaml').document).toEqual({ a: '1:30' });
  });

  it('refuses a number that reads as a whole number its text does not say', () => {
    expect(
      lines(
        parseSpecText('colors:\n  - weight: 89.99999999999999999\n  - weight: 99999999999999999999\n', 'rainbow.yaml')
          .problems,
      ),
    ).toEqual([
      'rainbow.yaml:2:13: received the number 89.99999999999999999, which reads as 90: a number cannot hold it exactly; expected the number written exactly, such as 90',
      'rainbow.yaml:3:13: received the number 99999999999999999999, which reads as 100000000000000000000: a number cannot hold it exactly; expected the number written exactly, such as 100000000000000000000',
    ]);
  });

  it('refuses the same number in JSON', () => {
    expect(lines(parseSpecText('{"weight": 89.99999999999999999}', 'rainbow.json').problems)).toEqual([
      'rainbow.json:1:12: received the number 89.99999999999999999, which reads as 90: a number cannot hold it exactly; expected the number written exactly, such as 90',
    ]);
  });

  it('keeps numbers written exactly, in every notation YAML 1.2 has', () => {
    expect(
      parseSpecText('a: 90\nb: 1.0\nc: 0x10\nd: 0o17\ne: 1e2\nf: 0.1\ng: -0\nh: +7\ni: 2.50e1\n', 'f.yaml'),
    ).toEqual({
      document: { a: 90, b: 1, c: 16, d: 15, e: 100, f: 0.1, g: -0, h: 7, i: 25 },
      problems: [],
    });
  });

  it('refuses line breaks that are a lone CR, which would read as one long line', () => {
    expect(lines(parseSpecText('# shop\rapp: shop\rplatform: kubernetes\r', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:1: has a line break that is a lone carriage return (CR, as old Mac OS wrote); expected line breaks LF or CRLF: convert the line endings of the file',
    ]);
  });

  it('keeps CRLF line breaks', () => {
    expect(parseSpecText('app: shop\r\nplatform: kubernetes\r\n', 'f.yaml').document).toEqual({
      app: 'shop',
      platform: 'kubernetes',
    });
  });

  it('names the line of an alias without an anchor', () => {
    expect(lines(parseSpecText('a: &x 1\nb:\n  c: *y\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:3:6: received the alias *y, but no anchor &y comes before it; expected an alias to an anchor defined earlier in the file',
    ]);
  });

  it('refuses a raw control character, at its line and column, without echoing the text', () => {
    expect(lines(parseSpecText('app: shop\ncolors: x\u001b[2Ky\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:2:10: received the control character U+001B; expected YAML or JSON text, which holds no control characters but tab and line breaks (inside double quotes, write one as an escape such as \\u001b)',
    ]);
  });

  it('keeps tabs, and control characters written as escapes for the validator to judge', () => {
    expect(parseSpecText('a: "x\ty"\nb: "\\u001b"\n', 'f.yaml').document).toEqual({ a: 'x\ty', b: '\u001b' });
  });

  it('describes a document that is one value by its type and size, not its text', () => {
    expect(lines(parseSpecText('"S3cr3t-value"\n', 'f.yaml').problems)).toEqual([
      'spec: received a string of 12 characters at the top of the file; expected a spec object with at least app, platform and colors',
    ]);
    expect(lines(parseSpecText('42\n', 'f.yaml').problems)).toEqual([
      'spec: received a number at the top of the file; expected a spec object with at least app, platform and colors',
    ]);
  });

  it('never echoes what a parser message quotes: it says the mistake in its own words', () => {
    const header = `|2${'x'.repeat(400)}`;
    expect(lines(parseSpecText(`a: ${header}\n  b\n`, 'f.yaml').problems)).toEqual([
      `f.yaml:1:6: ${SYNTAX_MESSAGES.blockScalarHeader}`,
    ]);
  });
});

describe('recursive documents', () => {
  it('refuses an alias inside the node it names, at the alias, instead of reading forever', () => {
    expect(lines(parseSpecText('app: shop\nenv: &e\n  X: *e\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:3:6: received the alias *e inside the node &e names, which makes it hold itself; expected an alias to a node it is not part of',
    ]);
    expect(lines(parseSpecText('a: &x [*x]\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:1:8: received the alias *x inside the node &x names, which makes it hold itself; expected an alias to a node it is not part of',
    ]);
  });

  it('keeps an alias to a node it is not part of', () => {
    expect(parseSpecText('a: &x [1]\nb: [*x, *x]\n', 'rainbow.yaml').problems).toEqual([]);
  });
});
