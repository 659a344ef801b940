import fc from 'fast-check';
import { describeValue } from '../../model/messages';
import { parseSpecText } from '../../spec-file/load';
import { isPlainSecret, SECRET_LIKE_NAME } from '../../model/types';
import { hasUrlCredentials } from '../../model/text';
import { validateSpec } from '../../spec-file/validate';
import { problemLines, rawEcsSpec, rawSpec, resolvedSpec } from '../spec-helpers';

type Mutate = (s: Record<string, any>) => void;

function problemsAfter(mutate: Mutate, base = rawSpec()): string[] {
  mutate(base);
  return problemLines(base);
}

const IN_SECRET_ENV =
  'expected it in secretEnv, as a reference to a Kubernetes Secret, or security.allowPlainSecretEnv: true if it is not secret';

describe('secret values in messages', () => {
  it.each<[string, Mutate, string]>([
    [
      'a value in place of a secretEnv reference',
      (s) => {
        s.secretEnv = { DB_PASSWORD: 'S3cr3t-passw0rd' };
      },
      'secretEnv.DB_PASSWORD: received a string of 15 characters; expected an object with the fields secret, key',
    ],
    [
      'a value pasted as the Secret name',
      (s) => {
        s.secretEnv = { API_KEY: { secret: 'S3cr3t!', key: 'api-key' } };
      },
      'secretEnv.API_KEY.secret: received a string of 7 characters; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
    ],
    [
      'a value pasted as the Secret key',
      (s) => {
        s.secretEnv = { API_KEY: { secret: 'shop', key: 'hunter 2' } };
      },
      'secretEnv.API_KEY.key: received a string of 8 characters; expected a Secret key: letters, digits, "-", "_" or ".", not "." or "..", not starting with "..", at most 253 characters',
    ],
    [
      "a color's secretEnv given a number",
      (s) => {
        s.colors[0].secretEnv = { API_TOKEN: 123456 };
      },
      'colors[0].secretEnv.API_TOKEN: received a number; expected an object with the fields secret, key',
    ],
    [
      'secretEnv as a string',
      (s) => {
        s.secretEnv = 'API_KEY=hunter2';
      },
      'secretEnv: received a string of 15 characters; expected an object of environment variable names to { secret, key }',
    ],
    [
      'a number under a secret-like name',
      (s) => {
        s.env = { API_TOKEN: 123456 };
      },
      'env.API_TOKEN: received a number; expected a string, or true/false: quote numbers ("8080", "1.10") so that they reach the container exactly as written',
    ],
    [
      'a list under a secret-like name',
      (s) => {
        s.colors[1].env = { DB_PASSWORD: ['hunter2'] };
      },
      'colors[1].env.DB_PASSWORD: received a list; expected a string, or true/false: quote numbers ("8080", "1.10") so that they reach the container exactly as written',
    ],
    [
      'env as a string',
      (s) => {
        s.env = 'DB_PASSWORD=hunter2';
      },
      'env: received a string of 19 characters; expected an object of environment variable names to values',
    ],
  ])('never echoes %s', (_, mutate, line) => {
    expect(problemsAfter(mutate)).toEqual([line]);
  });

  it('never echoes a secretEnv given on ecs, where it is not allowed', () => {
    expect(
      problemsAfter((s) => {
        s.secretEnv = 'hunter2';
      }, rawEcsSpec()),
    ).toEqual([
      'secretEnv: received a string of 7 characters; expected an object of environment variable names to { secret, key }',
      'secretEnv: received a string of 7 characters; expected nothing: only the kubernetes platform uses it, and platform is ecs',
    ]);
  });

  it('still echoes values under names that are not secret-like', () => {
    expect(
      problemsAfter((s) => {
        s.env = { PORT: 8080 };
      }),
    ).toEqual([
      'env.PORT: received 8080; expected a string, or true/false: quote numbers ("8080", "1.10") so that they reach the container exactly as written',
    ]);
  });

  it('describes a secret by its type and length only', () => {
    expect(describeValue('hunter2', true)).toBe('a string of 7 characters');
    expect(describeValue('x', true)).toBe('a string of 1 character');
    expect(describeValue('', true)).toBe('an empty string');
    expect(describeValue(42, true)).toBe('a number');
    expect(describeValue(true, true)).toBe('a boolean');
    expect(describeValue({ a: 1 }, true)).toBe('an object');
    expect(describeValue('hunter2')).toBe('"hunter2"');
  });

  it('never shows a URL with credentials, under any name and in any field', () => {
    expect(describeValue('postgres://shop:S3cr3t@db.internal:5432/shop')).toBe(
      'a URL with credentials (44 characters)',
    );
    expect(
      problemsAfter((s) => {
        s.colors[0].image = 'https://user:S3cr3t@ghcr.io/acme/shop';
      }),
    ).toEqual([
      'colors[0].image: received a URL with credentials (37 characters); expected no credentials in the spec: keep them in a Secret and reference it',
    ]);
  });

  it('no message holds a value under secretEnv or a secret-like name, whatever the value', () => {
    const secret = fc
      .oneof(fc.string({ minLength: 4 }), fc.constantFrom('hunter2', 'S3cr3t passw0rd', '..', 'a\u001b[2Jb'))
      .filter((v) => v.trim().length >= 4);
    const where = fc.constantFrom<Array<(s: Record<string, any>, v: string) => void>>(
      (s, v) => {
        s.secretEnv = { DB_PASSWORD: v };
      },
      (s, v) => {
        s.secretEnv = { A: { secret: v, key: 'k' } };
      },
      (s, v) => {
        s.secretEnv = { A: { secret: 's', key: v } };
      },
      (s, v) => {
        s.colors[0].secretEnv = v;
      },
      (s, v) => {
        s.env = { GITHUB_TOKEN: v };
      },
      (s, v) => {
        s.colors[1].env = { DB_PWD: v, PORT: 1 };
      },
    );
    const messages = (put: (s: Record<string, any>, v: string) => void, value: string) => {
      const raw = rawSpec();
      put(raw, value);
      return validateSpec(raw)
        .problems.map((p) => `${p.path}: ${p.message}`)
        .join('\n');
    };
    fc.assert(
      fc.property(secret, where, (value, put) => {
        // A value that the messages hold whatever the value is (a word such as "name") proves nothing.
        fc.pre(!messages(put, '\u2603'.repeat(value.length)).includes(value));
        const text = messages(put, value);
        expect(text).not.toContain(value);
        expect(text).not.toContain(JSON.stringify(value).slice(1, -1));
      }),
      { numRuns: 300 },
    );
  });
});

describe('plain values under secret-like names', () => {
  it.each([
    'DB_PASSWORD',
    'SMTP_PASS',
    'GPG_PASSPHRASE',
    'DB_PWD',
    'STRIPE_SECRET',
    'GITHUB_TOKEN',
    'API_KEY',
    'apiKey',
    'SIGNING_KEY',
    'AWS_ACCESS_KEY_ID',
    'BASIC_AUTH',
    'OAUTH_CLIENT',
    'GOOGLE_APPLICATION_CREDENTIALS',
  ])('refuses %s as plain env', (name) => {
    expect(
      problemsAfter((s) => {
        s.env = { [name]: 'x' };
      }),
    ).toEqual([`env.${name}: received a plain value for ${name}, which is named like a secret; ${IN_SECRET_ENV}`]);
  });

  it.each(['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'FEATURE_FLAGS'])('does not take %s for a secret', (name) => {
    expect(SECRET_LIKE_NAME.test(name)).toBe(false);
  });

  it('refuses a URL with credentials under any name, on every platform', () => {
    expect(
      problemsAfter((s) => {
        s.colors[0].env = { DATABASE_URL: 'postgres://shop:S3cr3t@db:5432/shop' };
      }),
    ).toEqual([`colors[0].env.DATABASE_URL: received a URL with credentials for DATABASE_URL; ${IN_SECRET_ENV}`]);
    expect(
      problemsAfter((s) => {
        s.env = { UPSTREAM: 'https://ghp_abc123@github.com/acme/shop.git' };
      }, rawEcsSpec()),
    ).toEqual([
      'env.UPSTREAM: received a URL with credentials for UPSTREAM; expected the credentials kept out of the spec (the task reads them itself), or security.allowPlainSecretEnv: true if it is not secret',
    ]);
  });

  it('accepts a URL whose credentials are references to other variables, and one without credentials', () => {
    const raw = rawSpec();
    raw.env = {
      DATABASE_URL: 'postgres://shop:$(DB_PASSWORD)@db:5432/shop',
      MIRROR: 'https://${MIRROR_USER}:${MIRROR_TOKEN}@mirror',
      SITE: 'https://example.com/a@b',
    };
    raw.secretEnv = { DB_PASSWORD: { secret: 'shop-db', key: 'password' } };
    expect(resolvedSpec(raw).colors[0].env.DATABASE_URL).toBe('postgres://shop:$(DB_PASSWORD)@db:5432/shop');
    expect(hasUrlCredentials('redis://:p4ss@cache:6379')).toBe(true);
    expect(hasUrlCredentials('amqp://guest@rabbit')).toBe(true);
    expect(hasUrlCredentials('jdbc:postgresql://u:p@db/shop')).toBe(true);
    expect(hasUrlCredentials('mailto:ops@example.com')).toBe(false);
  });

  it('accepts all of them with security.allowPlainSecretEnv', () => {
    const raw = rawSpec();
    raw.security = { allowPlainSecretEnv: true };
    raw.env = { DB_PWD: 'x', DATABASE_URL: 'postgres://shop:S3cr3t@db/shop', BASIC_AUTH: 'y' };
    expect(resolvedSpec(raw).colors[0].env).toEqual(raw.env);
  });

  it('judges a variable by its name and value as the constructs do', () => {
    expect(isPlainSecret('DB_PWD', 'x')).toBe(true);
    expect(isPlainSecret('DB_PWD', '')).toBe(false);
    expect(isPlainSecret('DB_PWD', true)).toBe(false);
    expect(isPlainSecret('URL', 'https://u:p@h')).toBe(true);
    expect(isPlainSecret('URL', 'https://h')).toBe(false);
  });
});

describe('keys a JavaScript object would lose or the API refuses', () => {
  const yaml = (extra: string) => `app: shop
platform: kubernetes
kubernetes: {gateway: {name: public, namespace: infra}, host: shop.example.com}
colors:
- {name: red, image: 'ghcr.io/acme/shop:1.4.0', weight: 100, replicas: 3}
${extra}
`;
  const lines = (text: string) =>
    validateSpec(parseSpecText(text, 'f').document).problems.map((p) => `${p.path}: ${p.message}`);
  const PROTO =
    'received the key "__proto__"; expected another name: a JavaScript object cannot hold this key, so it would be dropped without a word';

  it('refuses __proto__ as an env name, where it used to vanish', () => {
    expect(lines(yaml('env: {__proto__: x, A: b}'))).toEqual([`env.__proto__: ${PROTO}`]);
  });

  it('refuses __proto__ in secretEnv and in any other object', () => {
    expect(lines(yaml('secretEnv: {__proto__: {secret: s, key: k}}\nrouting: {__proto__: {}}'))).toEqual([
      `secretEnv.__proto__: ${PROTO}`,
      `routing.__proto__: ${PROTO}`,
    ]);
  });

  it('keeps constructor and prototype as ordinary variable names', () => {
    const { spec } = validateSpec(
      parseSpecText(yaml('env: {constructor: y, prototype: z, toString: w}'), 'f').document,
    );
    expect(spec?.colors[0].env).toEqual({ constructor: 'y', prototype: 'z', toString: 'w' });
  });

  it.each(['.', '..', '..data'])('refuses the Secret key %s, as Kubernetes does', (key) => {
    expect(
      problemsAfter((s) => {
        s.secretEnv = { A: { secret: 'shop', key } };
      }),
    ).toEqual([
      'secretEnv.A.key: received a string of ' +
        key.length +
        (key.length === 1 ? ' character' : ' characters') +
        '; expected a Secret key: letters, digits, "-", "_" or ".", not "." or "..", not starting with "..", at most 253 characters',
    ]);
  });

  it('accepts Secret keys with dots inside', () => {
    const raw = rawSpec();
    raw.secretEnv = { A: { secret: 'shop', key: '.dockerconfigjson' }, B: { secret: 'shop', key: 'tls.crt' } };
    expect(resolvedSpec(raw).colors[0].secretEnv.A.key).toBe('.dockerconfigjson');
  });
});
