import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const HEAP_MB = 128;

/**
 * Runs validate and synth on a hostile document with a 128 MB heap: each must exit 1 with one
 * clear line and no stack trace, write nothing, and not crash (an out-of-memory abort would be a
 * signal, not exit 1). The jest timeout bounds the time.
 */
function refuse(name: string, content: string | Buffer | ((file: string) => void), expected: RegExp, env: Record<string, string> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-hostile-'));
  const file = join(dir, name.replace(/\/$/, ''));
  if (name.endsWith('/')) mkdirSync(file);
  else if (typeof content === 'function') content(file);
  else writeFileSync(file, content);
  for (const args of [['validate', '--spec', file], ['synth', '--spec', file, '--out', join(dir, 'out')]]) {
    // A hang (a FIFO opened for reading) ends in SIGTERM after the timeout, and fails the test.
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 30_000, env: { ...process.env, ...env },
    });
    expect({ args: args[0], signal: r.signal, code: r.status }).toEqual({ args: args[0], signal: null, code: 1 });
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  }
  expect(readdirSync(dir).sort()).toEqual([name.replace(/\/$/, '')]);
}

const colorsYaml = (n: number) => ['app: shop', 'platform: kubernetes', 'kubernetes: {gateway: {name: g, namespace: n}, host: a.example.com}', 'colors:',
  ...Array.from({ length: n }, (_, i) => `- {name: c${i}, image: x, weight: ${i === 0 ? 100 : 0}}`)].join('\n');

describe('hostile documents', () => {
  it('an empty file', () => refuse('rainbow.yaml', '', /^\S+rainbow\.yaml: the file is empty; expected a spec object/));
  it('a file of comments only', () => refuse('rainbow.yaml', '# todo\n\n', /: the file is empty;/));
  it('a YAML list at the top', () => refuse('rainbow.yaml', '- a\n- b\n', /^\S+rainbow\.yaml:1:1: spec: received a list at the top of the file;/));
  it('a 10 MB file', () => refuse('rainbow.yaml', Buffer.alloc(10 * 1024 * 1024, 'a'), /: is 10485760 bytes; expected a spec file of at most 262144 bytes\n$/));
  it('100 000 colors', () => refuse('rainbow.yaml', colorsYaml(100_000), /: is \d+ bytes; expected a spec file of at most 262144 bytes\n$/));
  it('as many colors as fit in the limit', () => refuse('rainbow.yaml', colorsYaml(6500), /^\S+rainbow\.yaml:4:1: colors: received 6500 colors that are not retired; a Gateway API HTTPRoute rule holds at most 16 backendRefs\n$/));
  it('nesting 60 000 levels deep', () => refuse('rainbow.yaml', `app: ${'['.repeat(60_000)}${']'.repeat(60_000)}\n`, /^\S+:1:\d+: nested too deeply to read; expected a spec a few levels deep\n$/));
  it('a flat list of 130 000 items', () => refuse('rainbow.yaml', `app: [${'0,'.repeat(130_000)}0]\n`, /^\S+rainbow\.yaml:1:6: app: received a list; expected a lowercase letter first/));
  it('duplicate keys', () => refuse('rainbow.yaml', 'app: a\napp: b\n', /:2:1: this key appears twice in the same object;/));
  it('an alias bomb', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');
    refuse('rainbow.yaml', bomb, /: Excessive alias count indicates a resource exhaustion attack\n$/);
  });
  it('bytes that are not UTF-8', () => refuse('rainbow.yaml', Buffer.from([0x61, 0x70, 0x70, 0x3a, 0x20, 0xff, 0xfe, 0x0a]), /: is not UTF-8 text; expected a YAML or JSON file encoded as UTF-8\n$/));
  it('a directory instead of a file', () => refuse('rainbow.yaml/', '', /rainbow\.yaml: is a directory, not a spec file\n$/));
  it('a named pipe (FIFO), which must not hang', () => refuse('rainbow.yaml', (file) => {
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
  }, /rainbow\.yaml: is a named pipe \(FIFO\), not a regular file; expected a spec file\n$/));
  it('a symbolic link to /dev/zero, which never ends', () => refuse('rainbow.yaml', (file) => symlinkSync('/dev/zero', file),
    /rainbow\.yaml: is a character device, not a regular file; expected a spec file\n$/));
  it('a symbolic link to /proc/self/environ, never echoing the environment', () => {
    const secret = 'S3cr3t-do-not-print';
    refuse('rainbow.yaml', (file) => symlinkSync('/proc/self/environ', file),
      /^\S+rainbow\.yaml:1:\d+: received the control character U\+0000; expected YAML or JSON text, which holds no control characters but tab and line breaks \(inside double quotes, write one as an escape such as \\u001b\)\n$/, { CI_DEPLOY_TOKEN: secret });
  });
  it('JSON with a trailing garbage token', () => refuse('rainbow.json', '{"app": "shop"} }', /rainbow\.json:1:17: /));
});
