import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const BATCH = join(ROOT, 'test', 'fixtures', 'refuse-documents.js');
const HEAP_MB = 128;
const SECRET = 'S3cr3t-do-not-print';

interface Hostile {
  name: string;
  content: string | Buffer | ((file: string) => void);
  expected: RegExp;
}

const hostile: Record<string, Hostile & { dir: string }> = {};

const jobs = (h: Hostile & { dir: string }) => {
  const file = join(h.dir, h.name.replace(/\/$/, ''));
  return [
    ['validate', '--spec', file],
    ['synth', '--spec', file, '--out', join(h.dir, 'out')],
  ];
};

let batch: {
  signal: NodeJS.Signals | null;
  status: number | null;
  stderr: string;
  results: { argv: string[]; code: number; stdout: string; stderr: string }[];
};

/**
 * Runs validate and synth on every hostile document in one process with a 128 MB heap (an
 * out-of-memory abort there is a signal, which fails every case): node starts once, not twice a
 * document. The jest timeout bounds the time.
 */
beforeAll(() => {
  for (const h of Object.values(hostile)) {
    h.dir = mkdtempSync(join(tmpdir(), 'rainbow-hostile-'));
    const file = join(h.dir, h.name.replace(/\/$/, ''));
    if (h.name.endsWith('/')) mkdirSync(file);
    else if (typeof h.content === 'function') h.content(file);
    else writeFileSync(file, h.content);
  }
  const list = join(mkdtempSync(join(tmpdir(), 'rainbow-hostile-jobs-')), 'jobs.json');
  writeFileSync(list, JSON.stringify(Object.values(hostile).flatMap(jobs)));
  // A hang (a FIFO opened for reading) ends in SIGTERM after the timeout, and fails every case.
  // The environment holds a secret that /proc/self/environ must not echo.
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BATCH, CLI, list], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', CI_DEPLOY_TOKEN: SECRET },
  });
  batch = { signal: r.signal, status: r.status, stderr: r.stderr, results: r.status === 0 ? JSON.parse(r.stdout) : [] };
}, 90_000);

/**
 * A case: validate and synth on a hostile document (run by the batch) must each exit 1 with one
 * clear line and no stack trace, write nothing, and not crash.
 */
function refuses(title: string, name: string, content: Hostile['content'], expected: RegExp): void {
  hostile[title] = { name, content, expected, dir: '' };
  it(title, () => check(hostile[title]));
}

function check(h: Hostile & { dir: string }): void {
  expect({ signal: batch.signal, status: batch.status, stderr: batch.stderr }).toEqual({
    signal: null,
    status: 0,
    stderr: '',
  });
  for (const args of jobs(h)) {
    const r = batch.results.find((x) => JSON.stringify(x.argv) === JSON.stringify(args));
    expect({ args: args[0], code: r?.code }).toEqual({ args: args[0], code: 1 });
    expect(r!.stderr).toMatch(h.expected);
    expect(r!.stderr).not.toMatch(/\n\s+at /);
    expect(r!.stderr).not.toContain(SECRET);
    expect(r!.stdout).toBe('');
  }
  expect(readdirSync(h.dir).sort()).toEqual([h.name.replace(/\/$/, '')]);
}

const colorsYaml = (n: number) =>
  [
    'app: shop',
    'platform: kubernetes',
    'kubernetes: {gateway: {name: g, namespace: n}, host: a.example.com}',
    'colors:',
    ...Array.from({ length: n }, (_, i) => `- {name: c${i}, image: x:1, weight: ${i === 0 ? 100 : 0}}`),
  ].join('\n');

describe('hostile documents', () => {
  refuses('an empty file', 'rainbow.yaml', '', /^\S+rainbow\.yaml: the file is empty; expected a spec object/);
  refuses('a file of comments only', 'rainbow.yaml', '# todo\n\n', /: the file is empty;/);
  refuses(
    'a YAML list at the top',
    'rainbow.yaml',
    '- a\n- b\n',
    /^\S+rainbow\.yaml:1:1: spec: received a list at the top of the file;/,
  );
  refuses(
    'a 10 MB file',
    'rainbow.yaml',
    Buffer.alloc(10 * 1024 * 1024, 'a'),
    /: is 10485760 bytes; expected a spec file of at most 262144 bytes\n$/,
  );
  refuses(
    '100 000 colors',
    'rainbow.yaml',
    colorsYaml(100_000),
    /: is \d+ bytes; expected a spec file of at most 262144 bytes\n$/,
  );
  refuses(
    'as many colors as fit in the byte limit',
    'rainbow.yaml',
    colorsYaml(6500),
    /^\S+rainbow\.yaml: holds more than 10000 list items and keys; expected a spec file of at most 10000 \(a large real one holds a few hundred\)\n$/,
  );
  refuses(
    'as many colors as fit in the values limit',
    'rainbow.yaml',
    colorsYaml(1600),
    /^\S+rainbow\.yaml:4:1: colors: received 1600 colors that are not retired; a Gateway API HTTPRoute rule holds at most 16 backendRefs\n$/,
  );
  refuses(
    'nesting 60 000 levels deep',
    'rainbow.yaml',
    `app: ${'['.repeat(60_000)}${']'.repeat(60_000)}\n`,
    /^\S+:1:\d+: nested too deeply to read; expected a spec a few levels deep\n$/,
  );
  refuses(
    'a flat list of 130 000 items',
    'rainbow.yaml',
    `app: [${'0,'.repeat(130_000)}0]\n`,
    /^\S+rainbow\.yaml: holds more than 10000 list items and keys;/,
  );
  refuses(
    'a flow mapping of 24 000 keys (the parser compares every pair of keys)',
    'rainbow.yaml',
    `{${Array.from({ length: 24_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n`,
    /^\S+rainbow\.yaml: holds more than 10000 list items and keys;/,
  );
  refuses('duplicate keys', 'rainbow.yaml', 'app: a\napp: b\n', /:2:1: this key appears twice in the same object;/);
  refuses(
    'an alias bomb',
    'rainbow.yaml',
    [
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(',')}]`),
    ].join('\n'),
    /: Excessive alias count indicates a resource exhaustion attack\n$/,
  );
  refuses(
    'bytes that are not UTF-8',
    'rainbow.yaml',
    Buffer.from([0x61, 0x70, 0x70, 0x3a, 0x20, 0xff, 0xfe, 0x0a]),
    /: is not UTF-8 text; expected a YAML or JSON file encoded as UTF-8\n$/,
  );
  refuses('a directory instead of a file', 'rainbow.yaml/', '', /rainbow\.yaml: is a directory, not a spec file\n$/);
  refuses(
    'a named pipe (FIFO), which must not hang',
    'rainbow.yaml',
    (file) => {
      expect(spawnSync('mkfifo', [file]).status).toBe(0);
    },
    /rainbow\.yaml: is a named pipe \(FIFO\), not a regular file; expected a spec file\n$/,
  );
  refuses(
    'a symbolic link to /dev/zero, which never ends',
    'rainbow.yaml',
    (file) => symlinkSync('/dev/zero', file),
    /rainbow\.yaml: is a character device, not a regular file; expected a spec file\n$/,
  );
  // The batch's environment holds SECRET: the file holds it, the message must not.
  refuses(
    'a symbolic link to /proc/self/environ, never echoing the environment',
    'rainbow.yaml',
    (file) => symlinkSync('/proc/self/environ', file),
    /^\S+rainbow\.yaml:1:\d+: received the control character U\+0000; expected YAML or JSON text, which holds no control characters but tab and line breaks \(inside double quotes, write one as an escape such as \\u001b\)\n$/,
  );
  refuses('JSON with a trailing garbage token', 'rainbow.json', '{"app": "shop"} }', /rainbow\.json:1:17: /);
});
