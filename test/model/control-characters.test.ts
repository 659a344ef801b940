import { describeValue } from '../../model/messages';
import { parseSpecText } from '../../spec-file/load';
import { planChange } from '../../planning/plan';
import { formatPath, formatProblem } from '../../model/problem';
import { escapeInvisible, quoteText } from '../../model/text';
import { validateSpec } from '../../spec-file/validate';
import { problemLines, rawSpec, resolvedSpec } from '../spec-helpers';

type Mutate = (s: Record<string, any>) => void;

function problemsAfter(mutate: Mutate): string[] {
  const raw = rawSpec();
  mutate(raw);
  return problemLines(raw);
}

const NO_CONTROL =
  'expected text without control characters (U+0000 to U+001F, U+007F to U+009F, U+202A to U+202E, U+2066 to U+2069)';

describe('control characters in the spec', () => {
  it.each<[string, Mutate, string]>([
    [
      'an image that rewrites the terminal line',
      (s) => {
        s.colors[0].image = 'evil.io/x:1\u001b[2K\rghcr.io/acme/shop:1.4.0';
      },
      `colors[0].image: received "evil.io/x:1\\u001b[2K\\rghcr.io/acme/shop:1.4.0" (39 characters), with the control character U+001B at character 12; ${NO_CONTROL}`,
    ],
    [
      'a NUL in an image',
      (s) => {
        s.colors[1].image = 'ghcr.io/acme/shop:1.5.0\u0000';
      },
      `colors[1].image: received "ghcr.io/acme/shop:1.5.0\\u0000" (24 characters), with the control character U+0000 at character 24; ${NO_CONTROL}`,
    ],
    [
      'a C1 control sequence introducer',
      (s) => {
        s.kubernetes.host = 'shop.example.com\u009b31m';
      },
      `kubernetes.host: received "shop.example.com\\u009b31m", with the control character U+009B at character 17; ${NO_CONTROL}`,
    ],
    [
      'DEL',
      (s) => {
        s.app = 'sh\u007fop';
      },
      `app: received "sh\\u007fop", with the control character U+007F at character 3; ${NO_CONTROL}`,
    ],
    [
      'a right-to-left override',
      (s) => {
        s.colors[0].image = 'ghcr.io/acme/\u202eshop:1.4.0';
      },
      `colors[0].image: received "ghcr.io/acme/\\u202eshop:1.4.0" (24 characters), with the control character U+202E at character 14; ${NO_CONTROL}`,
    ],
    [
      'a newline in an env value',
      (s) => {
        s.env = { GREETING: 'hello\nworld' };
      },
      `env.GREETING: received "hello\\nworld", with the control character U+000A at character 6; ${NO_CONTROL}`,
    ],
    [
      'a tab in an image, which allows no whitespace',
      (s) => {
        s.colors[0].image = 'ghcr.io/acme/shop:1.4.0\t';
      },
      `colors[0].image: received "ghcr.io/acme/shop:1.4.0\\t" (24 characters), with the control character U+0009 at character 24; ${NO_CONTROL}`,
    ],
    [
      'an escape under a secret-like name, without showing it',
      (s) => {
        s.env = { DB_PASSWORD: 'pa\u001bss' };
      },
      `env.DB_PASSWORD: received a string of 5 characters, with the control character U+001B at character 3; ${NO_CONTROL}`,
    ],
    [
      'an escape in a migration argument',
      (s) => {
        s.migration = { command: ['migrate', '\u001b]0;owned\u0007'] };
      },
      `migration.command[1]: received "\\u001b]0;owned\\u0007", with the control character U+001B at character 1; ${NO_CONTROL}`,
    ],
  ])('refuses %s, once, with the character and where it is', (_, mutate, line) => {
    expect(problemsAfter(mutate)).toEqual([line]);
  });

  it('refuses control characters in keys, every one with its path, and escapes the path', () => {
    expect(
      problemsAfter((s) => {
        s.env = { 'A\u001b[2J': 'x', B: 'ok' };
        s.colors[0]['na\u009bme'] = 'x';
      }),
    ).toEqual([
      'colors[0]["na\\u009bme"]: received a key with the control character U+009B at character 3; expected keys without control characters',
      'env["A\\u001b[2J"]: received a key with the control character U+001B at character 2; expected keys without control characters',
    ]);
  });

  it('reports every field with a control character, in document order', () => {
    const lines = problemsAfter((s) => {
      s.app = 'a\u0000';
      s.colors[0].image = 'b\u0001';
      s.colors[1].image = 'c\u0002';
    });
    expect(lines.map((l) => l.split(':')[0])).toEqual(['app', 'colors[0].image', 'colors[1].image']);
  });

  it('allows a tab where the field allows whitespace: env values and migration arguments', () => {
    const raw = rawSpec();
    raw.env = { COLUMNS: 'a\tb' };
    raw.migration = { command: ['printf', '%s\t%s'] };
    const spec = resolvedSpec(raw);
    expect(spec.colors[0].env.COLUMNS).toBe('a\tb');
    expect(spec.colors[0].migration?.command).toEqual(['printf', '%s\t%s']);
  });

  it('reads control characters written as YAML escapes, so no NUL reaches the JSON', () => {
    const text =
      'app: shop\nplatform: kubernetes\nkubernetes: {gateway: {name: public, namespace: infra}, host: shop.example.com}\n' +
      'colors:\n- {name: red, image: "ghcr.io/acme/shop:1.4.0\\0", weight: 100}\n';
    const { problems, spec } = validateSpec(parseSpecText(text, 'f').document);
    expect(spec).toBeUndefined();
    expect(problems.map((p) => p.path)).toEqual(['colors[0].image']);
  });

  it('refuses look-alike and invisible characters in images, which control characters do not cover', () => {
    const expected =
      'expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0';
    expect(
      problemsAfter((s) => {
        s.colors[0].image = 'ghcr.io/acme/shop:1.4.0\u200b';
      }),
    ).toEqual([`colors[0].image: received "ghcr.io/acme/shop:1.4.0\\u200b" (24 characters); ${expected}`]);
    expect(
      problemsAfter((s) => {
        s.colors[0].image = 'ghcr.i\u043e/acme/shop:1.4.0';
      }),
    ).toEqual([`colors[0].image: received "ghcr.i\u043e/acme/shop:1.4.0" (23 characters); ${expected}`]);
  });
});

describe('printing untrusted text', () => {
  it('describes a string escaped: C0, C1, bidirectional controls, zero-width and non-breaking spaces', () => {
    expect(describeValue('a\u001bb\u0085c\u202ed\u200be\u00a0f g')).toBe(
      '"a\\u001bb\\u0085c\\u202ed\\u200be\\u00a0f g"',
    );
  });

  it('shows a short prefix of a long value, however many characters need escaping', () => {
    expect(describeValue('x'.repeat(1000))).toBe(`"${'x'.repeat(57)}..." (1000 characters)`);
    expect(describeValue('\u001b'.repeat(1000))).toBe(`"${'\\u001b'.repeat(19)}..." (1000 characters)`);
    expect(describeValue('\u001b'.repeat(30))).toBe(`"${'\\u001b'.repeat(19)}..." (30 characters)`);
    expect(quoteText('😀'.repeat(40))).toBe(`"${'😀'.repeat(28)}..."`);
  });

  it('quotes and escapes odd keys in paths', () => {
    expect(formatPath(['env', 'a\u009b b'])).toBe('env["a\\u009b b"]');
  });

  it('never prints a character that acts on a terminal in a problem line', () => {
    expect(formatProblem({ path: 'x', message: 'a\u001b[31mb\u009bc\u202e' })).toBe('x: a\\u001b[31mb\\u009bc\\u202e');
    expect(escapeInvisible('ghcr.io/acme/shop:1.4.0')).toBe('ghcr.io/acme/shop:1.4.0');
  });

  it('escapes images in plan reasons', () => {
    const before = resolvedSpec();
    const after = {
      ...before,
      colors: before.colors.map((c, i) =>
        i === 0 ? { ...c, image: 'evil.io/x\u001b[2K\rghcr.io/acme/shop:1.4.0' } : c,
      ),
    };
    expect(planChange(before, after).changes[0].reasons).toEqual([
      'image ghcr.io/acme/shop:1.4.0 → evil.io/x\\u001b[2K\\u000dghcr.io/acme/shop:1.4.0',
    ]);
  });
});

describe('documents built in code', () => {
  it('validates a document that holds itself without looping, reporting each object once', () => {
    const raw: Record<string, any> = rawSpec();
    raw.env = { A: 'x\u0007' };
    raw.env.SELF = raw.env;
    const lines = problemLines(raw);
    expect(lines.filter((l) => l.startsWith('env.A:'))).toEqual([
      'env.A: received "x\\u0007", with the control character U+0007 at character 2; expected text without control characters (U+0000 to U+001F, U+007F to U+009F, U+202A to U+202E, U+2066 to U+2069)',
    ]);
  });
});
