import fc from 'fast-check';
import { parse } from 'yaml';
import { applyEdits, scalar } from '../../spec-file/edit-text';

describe('applyEdits', () => {
  it('changes a value in a flow map without touching its spacing or comments', () => {
    const text = 'colors:\n  - { name: red, weight: 90 }   # stable\n  - {name: blue, weight: 10}\n';
    expect(
      applyEdits(
        text,
        [
          { kind: 'set', path: ['colors', 0, 'weight'], value: 80 },
          { kind: 'set', path: ['colors', 1, 'weight'], value: 20 },
        ],
        false,
      ),
    ).toBe('colors:\n  - { name: red, weight: 80 }   # stable\n  - {name: blue, weight: 20}\n');
  });

  it('adds a key to a flow map, and a flow item in the style of the last one', () => {
    const text = 'colors:\n  - { name: red, weight: 100 }\n  - { name: blue, weight: 0 }\n';
    expect(
      applyEdits(
        text,
        [
          { kind: 'set', path: ['colors', 1, 'state'], value: 'retired' },
          { kind: 'append', path: ['colors'], value: { name: 'green', image: 'ghcr.io/acme/shop:2', weight: 0 } },
        ],
        false,
      ),
    ).toBe(
      'colors:\n  - { name: red, weight: 100 }\n  - { name: blue, weight: 0, state: retired }\n  - { name: green, image: ghcr.io/acme/shop:2, weight: 0 }\n',
    );
  });

  it('adds a key after a value that has a comment on its line', () => {
    const text = 'colors:\n  - name: red\n    weight: 0   # drained on Monday\nother: 1\n';
    expect(applyEdits(text, [{ kind: 'set', path: ['colors', 0, 'state'], value: 'retired' }], false)).toBe(
      'colors:\n  - name: red\n    weight: 0   # drained on Monday\n    state: retired\nother: 1\n',
    );
  });

  it('edits pretty JSON as JSON, keeping its layout', () => {
    const text = `${JSON.stringify(
      {
        app: 'shop',
        colors: [
          { name: 'red', weight: 100 },
          { name: 'blue', weight: 0 },
        ],
      },
      null,
      2,
    )}\n`;
    const after = applyEdits(
      text,
      [
        { kind: 'set', path: ['colors', 1, 'state'], value: 'retired' },
        { kind: 'append', path: ['colors'], value: { name: 'green', image: 'x:1', weight: 0 } },
        { kind: 'remove', path: ['colors', 1] },
      ],
      true,
    );
    expect(JSON.parse(after)).toEqual({
      app: 'shop',
      colors: [
        { name: 'red', weight: 100 },
        { name: 'green', image: 'x:1', weight: 0 },
      ],
    });
    expect(after).toBe(
      '{\n  "app": "shop",\n  "colors": [\n    {\n      "name": "red",\n      "weight": 100\n    },\n    {\n      "name": "green",\n      "image": "x:1",\n      "weight": 0\n    }\n  ]\n}\n',
    );
  });

  it('removes a block item with its lines only', () => {
    const text = 'colors:\n  # the first\n  - name: red\n    weight: 0\n  - name: blue\n    weight: 100\nend: true\n';
    expect(applyEdits(text, [{ kind: 'remove', path: ['colors', 1] }], false)).toBe(
      'colors:\n  # the first\n  - name: red\n    weight: 0\nend: true\n',
    );
  });

  it('quotes strings only when YAML would read them otherwise', () => {
    expect(scalar('retired', false, false)).toBe('retired');
    expect(scalar('ghcr.io/acme/shop:1.4.0', false, false)).toBe('ghcr.io/acme/shop:1.4.0');
    expect(scalar('true', false, false)).toBe('"true"');
    expect(scalar('10', false, false)).toBe('"10"');
    expect(scalar('a, b', false, true)).toBe('"a, b"');
    expect(scalar('x #y', false, false)).toBe('"x #y"');
    expect(scalar('plain', true, false)).toBe('"plain"');
    expect(scalar('no', false, false)).toBe('"no"');
    expect(scalar('On', false, true)).toBe('"On"');
  });

  it('reads back exactly the values it writes, in block and flow style (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.boolean(), (value, flow) => {
        const text = flow ? 'colors:\n  - { name: red, image: x }\n' : 'colors:\n  - name: red\n    image: x\n';
        const after = applyEdits(
          text,
          [
            { kind: 'set', path: ['colors', 0, 'image'], value },
            { kind: 'set', path: ['colors', 0, 'note'], value },
          ],
          false,
        );
        expect(parse(after)).toEqual({ colors: [{ name: 'red', image: value, note: value }] });
      }),
      { numRuns: 300 },
    );
  });
});

describe('applyEdits on unusual files', () => {
  it('removes an item ending in a block scalar without touching the next line', () => {
    const text = 'colors:\n  - name: red\n    note: |\n      multi\n      line\n  - name: blue\ndrainSeconds: 40\n';
    expect(applyEdits(text, [{ kind: 'remove', path: ['colors', 1] }], false)).toBe(
      'colors:\n  - name: red\n    note: |\n      multi\n      line\ndrainSeconds: 40\n',
    );
    expect(applyEdits(text, [{ kind: 'remove', path: ['colors', 0] }], false)).toBe(
      'colors:\n  - name: blue\ndrainSeconds: 40\n',
    );
  });

  it('adds after a block scalar, before the next line', () => {
    const text = 'colors:\n  - name: red\n    note: |\n      multi\ndrainSeconds: 40\n';
    expect(applyEdits(text, [{ kind: 'set', path: ['colors', 0, 'state'], value: 'retired' }], false)).toBe(
      'colors:\n  - name: red\n    note: |\n      multi\n    state: retired\ndrainSeconds: 40\n',
    );
  });

  it('refuses an edit that would change another value through an anchor', () => {
    const text = 'colors:\n  - { name: a, state: &s live }\n  - { name: b, state: *s }\n';
    expect(() => applyEdits(text, [{ kind: 'set', path: ['colors', 0, 'state'], value: 'retired' }], false)).toThrow(
      'the file cannot be changed in place without changing other values too (an anchor or alias shares the value?)',
    );
  });

  it('keeps CRLF line endings', () => {
    const text = 'colors:\r\n  - name: red\r\n    weight: 0\r\n  - name: blue\r\n    weight: 100\r\n';
    expect(
      applyEdits(
        text,
        [
          { kind: 'set', path: ['colors', 0, 'state'], value: 'retired' },
          { kind: 'append', path: ['colors'], value: { name: 'green', weight: 0 } },
        ],
        false,
      ),
    ).toBe(
      'colors:\r\n  - name: red\r\n    weight: 0\r\n    state: retired\r\n  - name: blue\r\n    weight: 100\r\n  - name: green\r\n    weight: 0\r\n',
    );
    expect(applyEdits(text, [{ kind: 'remove', path: ['colors', 0] }], false)).toBe(
      'colors:\r\n  - name: blue\r\n    weight: 100\r\n',
    );
  });

  it('follows the spacing after the dash', () => {
    const text = 'colors:\n-   name: red\n    weight: 100\n';
    expect(applyEdits(text, [{ kind: 'append', path: ['colors'], value: { name: 'blue', weight: 0 } }], false)).toBe(
      `${text}-   name: blue\n    weight: 0\n`,
    );
  });

  it('nests JSON by the indentation the file uses', () => {
    const text = `${JSON.stringify({ colors: [{ name: 'red', weight: 100 }] }, null, 4)}\n`;
    const after = applyEdits(text, [{ kind: 'append', path: ['colors'], value: { name: 'blue', weight: 0 } }], true);
    expect(after).toBe(
      `${JSON.stringify(
        {
          colors: [
            { name: 'red', weight: 100 },
            { name: 'blue', weight: 0 },
          ],
        },
        null,
        4,
      )}\n`,
    );
  });
});
