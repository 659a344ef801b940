import { runInNewContext } from 'node:vm';
import type { FieldRule } from '../../model/fields';
import { FIELDS } from '../../model/fields';
import {
  anything,
  array,
  checkShape,
  fieldsAt,
  fitsShape,
  Infer,
  leaf,
  object,
  props,
  record,
  shapeFields,
  shapeJsonSchema,
  union,
} from '../../model/shape';
import { validateWorkload } from '../../model/workload';
import { specShape } from '../../spec-file/schema';

/** Small rules with short texts, so that every expected message is written out whole. */
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

const pet = object({ name: leaf<string>(word), legs: leaf<number>(count).optional() });

describe('checkShape', () => {
  describe('a leaf', () => {
    it('accepts what its rule accepts', () => {
      expect(checkShape(leaf(word), 'cat')).toEqual([]);
    });

    it('fails with what was received and what the rule allows, at the top with an empty path', () => {
      expect(checkShape(leaf(word), 'Cat')).toEqual([
        { path: '', message: 'received "Cat"; expected a lowercase word' },
      ]);
      expect(checkShape(leaf(count), 10)).toEqual([
        { path: '', message: 'received 10; expected a whole number from 0 to 9' },
      ]);
    });

    it('never shows a value under a secret name', () => {
      const shape = object({ secretEnv: record(leaf(word), { expected: 'a map' }) });
      expect(checkShape(shape, { secretEnv: { TOKEN: 'Hunter2' } })).toEqual([
        { path: 'secretEnv.TOKEN', message: 'received a string of 7 characters; expected a lowercase word' },
      ]);
    });
  });

  describe('an object', () => {
    it('accepts its fields, the optional ones left out', () => {
      expect(checkShape(pet, { name: 'cat' })).toEqual([]);
      expect(checkShape(pet, { name: 'cat', legs: 4 })).toEqual([]);
      expect(checkShape(pet, { name: 'cat', legs: undefined })).toEqual([]);
    });

    it('fails on what is not an object, naming its fields, without looking inside', () => {
      for (const [value, shown] of [
        [null, 'null'],
        [[], 'an empty list'],
        ['cat', '"cat"'],
        [undefined, 'nothing'],
      ] as const) {
        expect(checkShape(pet, value)).toEqual([
          { path: '', message: `received ${shown}; expected an object with the fields name, legs` },
        ]);
      }
    });

    it('fails on a required field left out, as received nothing', () => {
      expect(checkShape(pet, { legs: 4 })).toEqual([
        { path: 'name', message: 'received nothing; expected a lowercase word' },
      ]);
    });

    it('reports its fields in the order of the shape, then its unknown fields in the order of the value', () => {
      const unknownField = jest.fn(
        (path: readonly (string | number)[], key: string, allowed: readonly string[]) =>
          `unknown ${key} at [${path.join(',')}]; allowed: ${allowed.join(', ')}`,
      );
      expect(
        checkShape(object({ pet }), { pet: { tail: 1, legs: 12, wings: 2, name: 'Cat' } }, { unknownField }),
      ).toEqual([
        { path: 'pet.name', message: 'received "Cat"; expected a lowercase word' },
        { path: 'pet.legs', message: 'received 12; expected a whole number from 0 to 9' },
        { path: 'pet.tail', message: 'unknown tail at [pet]; allowed: name, legs' },
        { path: 'pet.wings', message: 'unknown wings at [pet]; allowed: name, legs' },
      ]);
    });

    it('fails on unknown fields once, at the object, when the caller gives no message for them', () => {
      expect(checkShape(pet, { name: 'cat', tail: 1, wings: 2 })).toEqual([
        { path: '', message: 'received an object; expected an object with the fields name, legs' },
      ]);
    });

    it('fails on a Map, a Set, a Date or a Buffer, once, without reading their entries or inherited keys', () => {
      for (const [value, shown] of [
        [
          new Map<string, unknown>([
            ['name', 'cat'],
            ['tail', 1],
          ]),
          'a Map (YAML !!omap)',
        ],
        [new Set(['name']), 'a Set (YAML !!set)'],
        [new Date(0), 'a Date (YAML !!timestamp)'],
        [Buffer.from('cat'), 'bytes (YAML !!binary)'],
      ] as const) {
        expect(checkShape(pet, value, { unknownField: (_, key) => `no ${key}` })).toEqual([
          { path: '', message: `received ${shown}; expected an object with the fields name, legs` },
        ]);
      }
      expect(checkShape(object({ pet }), { pet: new Map([['name', 'cat']]) })).toEqual([
        { path: 'pet', message: 'received a Map (YAML !!omap); expected an object with the fields name, legs' },
      ]);
    });

    it('fails on an instance of a class of its own, even one whose fields fit', () => {
      class Pet {
        public readonly name = 'cat';
      }
      expect(checkShape(pet, new Pet())).toEqual([
        { path: '', message: 'received an object; expected an object with the fields name, legs' },
      ]);
    });

    it('accepts an object without a prototype, and an object literal of another realm', () => {
      const bare = Object.assign(Object.create(null) as object, { name: 'cat' });
      expect(checkShape(pet, bare)).toEqual([]);
      expect(checkShape(pet, runInNewContext('({ name: "cat", legs: 4 })'))).toEqual([]);
      expect(checkShape(pet, runInNewContext('({ name: "Cat" })'))).toEqual([
        { path: 'name', message: 'received "Cat"; expected a lowercase word' },
      ]);
    });

    it('treats a key named __proto__ or constructor as an unknown field like any other', () => {
      const value = JSON.parse('{"name":"cat","__proto__":1,"constructor":2}') as unknown;
      expect(checkShape(pet, value, { unknownField: (_, key) => `no ${key}` })).toEqual([
        { path: '__proto__', message: 'no __proto__' },
        { path: 'constructor', message: 'no constructor' },
      ]);
    });
  });

  describe("a construct's props", () => {
    const shape = props({
      app: leaf(word),
      healthCheckPath: leaf(word).optional().shownAs('healthCheck', 'path'),
    });

    it('checks only the props given: a prop left out (an unresolved token) is not checked', () => {
      expect(checkShape(shape, {})).toEqual([]);
      expect(checkShape(shape, { healthCheckPath: 'healthz' })).toEqual([]);
    });

    it('fails on a required prop given as undefined', () => {
      expect(checkShape(shape, { app: undefined })).toEqual([
        { path: 'app', message: 'received nothing; expected a lowercase word' },
      ]);
    });

    it('shows a problem at the spec field the prop is', () => {
      expect(checkShape(shape, { app: 'shop', healthCheckPath: '/healthz' })).toEqual([
        { path: 'healthCheck.path', message: 'received "/healthz"; expected a lowercase word' },
      ]);
    });

    it('fails on props that are a Map, whose entries would be dropped unseen', () => {
      expect(checkShape(shape, new Map([['app', 'Shop']]))).toEqual([
        { path: '', message: 'received a Map (YAML !!omap); expected an object with the fields app, healthCheckPath' },
      ]);
    });

    it('leaves props it does not name to the type checker', () => {
      expect(checkShape(shape, { app: 'shop', other: 1 })).toEqual([]);
    });
  });

  describe('a list', () => {
    const names = array(leaf<string>(word), { expected: 'a list of one to three words', min: 1, max: 3 });

    it('accepts items its item shape accepts, within its bounds', () => {
      expect(checkShape(names, ['a'])).toEqual([]);
      expect(checkShape(names, ['a', 'b', 'c'])).toEqual([]);
    });

    it('fails on what is not a list, once, with its own text', () => {
      expect(checkShape(names, '')).toEqual([
        { path: '', message: 'received ""; expected a list of one to three words' },
      ]);
      expect(checkShape(names, { length: 0 })).toEqual([
        { path: '', message: 'received an object; expected a list of one to three words' },
      ]);
    });

    it('reports each wrong item at its index', () => {
      expect(checkShape(names, ['a', 'B', 3])).toEqual([
        { path: '[1]', message: 'received "B"; expected a lowercase word' },
        { path: '[2]', message: 'received 3; expected a lowercase word' },
      ]);
    });

    it('fails on too few items', () => {
      expect(checkShape(names, [])).toEqual([
        { path: '', message: 'received an empty list; expected a list of one to three words' },
      ]);
    });

    it('fails on too many items once, without reading them', () => {
      expect(checkShape(names, ['A', 'B', 'C', 'D'])).toEqual([
        { path: '', message: 'received a list; expected a list of one to three words' },
      ]);
    });

    it('runs its rule across items only when no item is wrong, reporting at the item', () => {
      const unique = array(anything<string>({ type: 'string' }), {
        expected: 'a list of words, each once',
        refine: (items, problem) =>
          items.forEach((item, i) => {
            if (items.indexOf(item) !== i)
              problem(i, item, `each word once; it is already at [${items.indexOf(item)}]`);
          }),
      });
      expect(checkShape(unique, ['a', 'b', 'a'])).toEqual([
        { path: '[2]', message: 'received "a"; expected each word once; it is already at [0]' },
      ]);
      const refine = jest.fn();
      expect(checkShape(object({ pets: array(pet, { expected: 'pets', refine }) }), { pets: [{}] })).toEqual([
        { path: 'pets[0].name', message: 'received nothing; expected a lowercase word' },
      ]);
      expect(refine).not.toHaveBeenCalled();
    });
  });

  describe('a map', () => {
    const labels = record(leaf<string>(word), { expected: 'an object of labels to words' });

    it('checks each value at its key, quoting a key that is not a plain word', () => {
      expect(checkShape(object({ labels }), { labels: { tier: 'web', 'my key': 'X' } })).toEqual([
        { path: 'labels["my key"]', message: 'received "X"; expected a lowercase word' },
      ]);
    });

    it('fails on a list, a class instance or a scalar, once', () => {
      for (const [value, shown] of [
        [[], 'an empty list'],
        [new Map(), 'a Map (YAML !!omap)'],
        [new Date(0), 'a Date (YAML !!timestamp)'],
        [7, '7'],
      ] as const) {
        expect(checkShape(labels, value)).toEqual([
          { path: '', message: `received ${shown}; expected an object of labels to words` },
        ]);
      }
    });

    it('accepts an object without a prototype, and a key named constructor', () => {
      const bare = Object.assign(Object.create(null) as object, { tier: 'web' });
      expect(checkShape(labels, bare)).toEqual([]);
      expect(checkShape(labels, { constructor: 'web' })).toEqual([]);
    });
  });

  describe('a union', () => {
    const endpoint = union(
      [leaf<string>(word), object({ alias: object({ name: leaf<string>(word) }) })],
      'a word, or { alias: { name } }',
    );

    it('accepts a value one option accepts', () => {
      expect(checkShape(endpoint, 'web')).toEqual([]);
      expect(checkShape(endpoint, { alias: { name: 'web' } })).toEqual([]);
    });

    it('fails with its own text when no option fits', () => {
      for (const [value, shown] of [
        ['Web', '"Web"'],
        [5, '5'],
        [[], 'an empty list'],
        [{ alias: 'web' }, 'an object'],
        [{ alias: { name: 'Web' } }, 'an object'],
      ] as const) {
        expect(checkShape(endpoint, value)).toEqual([
          { path: '', message: `received ${shown}; expected a word, or { alias: { name } }` },
        ]);
      }
    });

    it('reports the unknown fields of the option that has nothing else wrong', () => {
      expect(
        checkShape(
          endpoint,
          { alias: { name: 'web', zone: 'z' } },
          { unknownField: (_, key, allowed) => `${key}: allowed ${allowed.join(', ')}` },
        ),
      ).toEqual([{ path: 'alias.zone', message: 'zone: allowed name' }]);
    });
  });

  it('never throws, on any value', () => {
    const odd: unknown[] = [Symbol('x'), () => 1, 10n, Object.create(null), new Proxy({}, {}), NaN, -0];
    for (const value of odd) expect(() => checkShape(specShape, value)).not.toThrow();
  });

  it('checks construct props with the same rules and texts as a spec file', () => {
    expect(validateWorkload({ app: 'Shop', healthCheckPath: 'healthz', color: undefined })).toEqual([
      { path: 'app', message: `received "Shop"; expected ${FIELDS.app.expected}` },
      { path: 'color', message: `received nothing; expected ${FIELDS.colorName.expected}` },
      { path: 'healthCheck.path', message: `received "healthz"; expected ${FIELDS.healthCheckPath.expected}` },
    ]);
    expect(
      checkShape(specShape, { app: 'Shop', healthCheck: { path: 'healthz' } }).filter((p) =>
        ['app', 'healthCheck.path'].includes(p.path),
      ),
    ).toEqual([
      { path: 'app', message: `received "Shop"; expected ${FIELDS.app.expected}` },
      { path: 'healthCheck.path', message: `received "healthz"; expected ${FIELDS.healthCheckPath.expected}` },
    ]);
  });
});

describe('fitsShape', () => {
  it('says whether a value has no problem against the shape', () => {
    expect(fitsShape(pet, { name: 'cat' })).toBe(true);
    expect(fitsShape(pet, { name: 'cat', tail: 1 })).toBe(false);
  });
});

describe('shapeJsonSchema', () => {
  it("writes a leaf as its rule's fragment, described by its text", () => {
    expect(shapeJsonSchema(leaf(word))).toEqual({
      type: 'string',
      pattern: '^[a-z]+$',
      description: 'a lowercase word',
    });
  });

  it('writes an object closed to other fields, its required fields listed, and its extra keywords last', () => {
    const text = JSON.stringify(
      shapeJsonSchema(object({ name: leaf(word), legs: leaf(count).optional() }, { json: { minProperties: 1 } })),
    );
    expect(text).toBe(
      JSON.stringify({
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[a-z]+$', description: 'a lowercase word' },
          legs: { type: 'integer', minimum: 0, maximum: 9, description: 'a whole number from 0 to 9' },
        },
        required: ['name'],
        additionalProperties: false,
        minProperties: 1,
      }),
    );
  });

  it('writes no required list when every field is optional, and a list with its bounds first', () => {
    expect(shapeJsonSchema(object({ legs: leaf(count).optional() }))).not.toHaveProperty('required');
    const text = JSON.stringify(
      shapeJsonSchema(
        array(anything({ type: 'string' }), { expected: 'x', min: 1, max: 3, json: { uniqueItems: true } }),
      ),
    );
    expect(text).toBe('{"minItems":1,"maxItems":3,"type":"array","items":{"type":"string"},"uniqueItems":true}');
  });

  it('writes a map with the schema of its keys, and a union as anyOf', () => {
    expect(
      shapeJsonSchema(record(anything({ type: 'string' }), { expected: 'x', keys: { pattern: '^[A-Z]+$' } })),
    ).toEqual({
      type: 'object',
      propertyNames: { type: 'string', pattern: '^[A-Z]+$' },
      additionalProperties: { type: 'string' },
    });
    expect(shapeJsonSchema(union([leaf(word), leaf(count)], 'x'))).toEqual({
      anyOf: [shapeJsonSchema(leaf(word)), shapeJsonSchema(leaf(count))],
    });
  });

  it('fails on a leaf whose rule has no fragment, rather than writing a schema that accepts anything', () => {
    const bare: FieldRule = { expected: 'a blue thing', test: () => true, json: {} };
    expect(() => shapeJsonSchema(object({ thing: leaf(bare) }))).toThrow(
      'the rule "a blue thing" has no JSON Schema fragment: give it one in model/fields.ts',
    );
  });
});

describe('withDefault', () => {
  const walker = object({ name: leaf<string>(word), legs: leaf<number>(count).withDefault(4) });

  it('accepts the field left out, and checks a value given with the rule', () => {
    expect(checkShape(walker, { name: 'cat' })).toEqual([]);
    expect(checkShape(walker, { name: 'cat', legs: 12 })).toEqual([
      { path: 'legs', message: 'received 12; expected a whole number from 0 to 9' },
    ]);
  });

  it('writes the default into the JSON Schema after what the field allows, and leaves the field out of required', () => {
    expect(JSON.stringify(shapeJsonSchema(walker))).toBe(
      JSON.stringify({
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[a-z]+$', description: 'a lowercase word' },
          legs: { type: 'integer', minimum: 0, maximum: 9, description: 'a whole number from 0 to 9', default: 4 },
        },
        required: ['name'],
        additionalProperties: false,
      }),
    );
  });
});

describe('shapeFields', () => {
  it('lists the fields of every object inside, through lists, maps and unions, each before the fields inside it', () => {
    const shape = object({
      name: leaf<string>(word),
      legs: leaf<number>(count).withDefault(4),
      toys: array(object({ kind: leaf<string>(word) }), { expected: 'toys' }).optional(),
      friends: record(object({ since: leaf<number>(count).optional() }), { expected: 'friends' }).optional(),
      home: union([leaf<string>(word), object({ room: leaf<string>(word) })], 'a home'),
    });
    expect(
      shapeFields(shape).map(({ path, required, defaultValue, shape: inner }) => [
        path,
        required,
        defaultValue,
        inner.kind,
      ]),
    ).toEqual([
      ['name', true, undefined, 'leaf'],
      ['legs', false, 4, 'leaf'],
      ['toys', false, undefined, 'array'],
      ['toys[].kind', true, undefined, 'leaf'],
      ['friends', false, undefined, 'record'],
      ['friends.*.since', false, undefined, 'leaf'],
      ['home', true, undefined, 'union'],
      ['home.room', true, undefined, 'leaf'],
    ]);
  });

  it("finds the spec's fields with their defaults", () => {
    const fields = new Map(shapeFields(specShape).map((field) => [field.path, field]));
    expect(fields.get('kubernetes.port')).toMatchObject({ required: false, defaultValue: 8080 });
    expect(fields.get('rollingUpdate.maxSurge')).toMatchObject({ required: false, defaultValue: '25%' });
    expect(fields.get('colors[].name')).toMatchObject({ required: true });
    expect(fields.get('colors[].name')).not.toHaveProperty('defaultValue');
  });
});

describe('fieldsAt', () => {
  it('finds the fields of the object at a path through lists, maps and optional fields', () => {
    expect(fieldsAt(specShape, ['colors', 0, 'resources'])).toEqual(['requests', 'limits']);
    expect(fieldsAt(specShape, ['secretEnv', 'DB'])).toEqual(['secret', 'key']);
    expect(fieldsAt(specShape, ['kubernetes', 'gateway'])).toEqual(['name', 'namespace', 'sectionName']);
  });

  it('finds none where no object is', () => {
    expect(fieldsAt(specShape, ['app'])).toEqual([]);
    expect(fieldsAt(specShape, ['colors', 'red'])).toEqual([]);
    expect(fieldsAt(specShape, ['nothing', 'here'])).toEqual([]);
  });
});

// The checked document's type follows from the shape (compile-time checks: tsc fails if they do not hold).
type Pet = Infer<typeof pet>;
const typed: Pet = { name: 'cat' };
// @ts-expect-error: name is required
const untyped: Pet = { legs: 4 };
void [typed, untyped];
