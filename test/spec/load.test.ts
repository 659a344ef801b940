import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpec, MAX_SPEC_BYTES, parseSpecText } from '../../spec/load';

const lines = (problems: readonly { path: string; message: string }[]) => problems.map((p) => `${p.path}: ${p.message}`);

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
    const file = write('rainbow.json', JSON.stringify({
      app: 'shop', platform: 'kubernetes',
      kubernetes: { gateway: { name: 'public', namespace: 'infra' }, host: 'shop.example.com' },
      colors: [{ name: 'blue', image: 'shop:1', weight: 100 }],
    }));
    expect(loadSpec(file).spec?.colors[0].name).toBe('blue');
  });

  it('fails for a missing file, naming its path', () => {
    expect(lines(loadSpec(join(dir, 'nope.yaml')).problems)).toEqual([
      `${join(dir, 'nope.yaml')}: no such file; pass the spec with --spec FILE (default ./rainbow.yaml)`,
    ]);
  });

  it('fails for a directory', () => {
    mkdirSync(join(dir, 'adir'));
    expect(lines(loadSpec(join(dir, 'adir')).problems)).toEqual([`${join(dir, 'adir')}: is a directory, not a spec file`]);
  });

  it('fails for bytes that are not UTF-8', () => {
    const file = write('latin1.yaml', Buffer.from([0x61, 0x70, 0x70, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(lines(loadSpec(file).problems)).toEqual([`${file}: is not UTF-8 text; expected a YAML or JSON file encoded as UTF-8`]);
  });

  it('fails for a file larger than the limit, before reading it', () => {
    const file = write('huge.yaml', Buffer.alloc(MAX_SPEC_BYTES + 1, 0x20));
    expect(lines(loadSpec(file).problems)).toEqual([`${file}: is ${MAX_SPEC_BYTES + 1} bytes; expected a spec file of at most ${MAX_SPEC_BYTES} bytes`]);
  });

  it('fails for an empty file', () => {
    const file = write('empty.yaml', '\n  \n');
    expect(lines(loadSpec(file).problems)).toEqual([`${file}: the file is empty; expected a spec object with at least app, platform and colors`]);
  });
});

describe('parseSpecText', () => {
  it('gives the line and column of a YAML syntax error', () => {
    expect(lines(parseSpecText('app: shop\ncolors:\n  - name: "red\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:4:1: Missing closing "quote',
    ]);
  });

  it('gives the line and column of a JSON syntax error', () => {
    expect(lines(parseSpecText('{\n  "app": "shop"\n  "platform": "kubernetes"\n}', 'rainbow.json').problems)[0]).toMatch(/^rainbow\.json:3:3: /);
  });

  it('fails for a duplicate key, at its line', () => {
    expect(lines(parseSpecText('app: shop\nplatform: kubernetes\napp: other\n', 'rainbow.yaml').problems)).toEqual([
      'rainbow.yaml:3:1: this key appears twice in the same object; expected each field once (the second would silently win)',
    ]);
  });

  it('refuses an alias bomb quickly', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n');
    expect(lines(parseSpecText(bomb, 'bomb.yaml').problems)).toEqual([
      'bomb.yaml: Excessive alias count indicates a resource exhaustion attack',
    ]);
  });

  it('keeps a plain alias', () => {
    expect(parseSpecText('a: &x [1, 2]\nb: *x\n', 'f.yaml').document).toEqual({ a: [1, 2], b: [1, 2] });
  });
});
