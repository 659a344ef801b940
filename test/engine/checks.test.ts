import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckContext, runCheck } from '../../cli/checks';

/** A local HTTP server: /healthz 200, /down 503, /moved 301, /hang never answers; it records the paths asked. */
let server: Server;
let base: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    asked.push(request.url ?? '');
    if (request.url === '/hang') return;
    if (request.url === '/moved') {
      response.writeHead(301, { location: '/healthz' }).end();
      return;
    }
    response.writeHead(request.url === '/down' ? 503 : 200).end('body');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    values: { color: 'green', app: 'shop', weight: 25 },
    cwd: tmpdir(),
    timeoutSeconds: 5,
    signal: new AbortController().signal,
    env: process.env,
    ...overrides,
  };
}

/** A port nothing listens on: one the system gave and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

describe('the HTTP check', () => {
  it('passes on the expected status, 200 by default, with the placeholders filled into the URL', async () => {
    const result = await runCheck({ name: 'smoke', http: { url: `${base}/healthz?color={{color}}&app={{app}}&weight={{weight}}` } }, context());
    expect(result).toEqual({ name: 'smoke', passed: true, value: '200' });
    expect(asked).toContain('/healthz?color=green&app=shop&weight=25');
  });

  it('fails on another status, saying which it got and which it expected', async () => {
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/down` } }, context()))
      .toEqual({ name: 'smoke', passed: false, value: '503', why: 'status 503; expected 200' });
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/down`, expectStatus: 503 } }, context()))
      .toEqual({ name: 'smoke', passed: true, value: '503' });
  });

  it('does not follow a redirect: the URL itself must answer the status', async () => {
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/moved` } }, context()))
      .toEqual({ name: 'smoke', passed: false, value: '301', why: 'status 301; expected 200' });
  });

  it('fails when nothing listens, naming the system error', async () => {
    const port = await closedPort();
    expect(await runCheck({ name: 'smoke', http: { url: `http://127.0.0.1:${port}/healthz` } }, context()))
      .toEqual({ name: 'smoke', passed: false, value: 'no answer', why: `no answer: connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('fails when the answer takes longer than timeoutSeconds', async () => {
    expect(await runCheck({ name: 'smoke', http: { url: `${base}/hang`, timeoutSeconds: 1 } }, context()))
      .toEqual({ name: 'smoke', passed: false, value: 'no answer', why: 'no answer within 1 s' });
  });
});

describe('the command check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rainbow-checks-'));
  mkdirSync(join(dir, 'scripts'));
  const script = (name: string, body: string, mode = 0o755) => {
    writeFileSync(join(dir, 'scripts', name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, 'scripts', name), mode);
    return `./scripts/${name}`;
  };
  const at = (overrides: Partial<CheckContext> = {}) => context({ cwd: dir, ...overrides });

  it('passes on exit 0, run from the spec\'s folder without a shell, the placeholders filled and RAINBOW_* set', async () => {
    const check = script('record.sh', 'printf "%s|" "$@" "$RAINBOW_COLOR" "$RAINBOW_APP" "$RAINBOW_WEIGHT" "$(pwd)" > record.txt');
    const result = await runCheck({ name: 'custom', command: [check, '{{color}}', '$(echo no shell)', '{{app}}-{{weight}}'] }, at());
    expect(result).toEqual({ name: 'custom', passed: true, value: 'exit 0' });
    expect(readFileSync(join(dir, 'record.txt'), 'utf8')).toBe(`green|$(echo no shell)|shop-25|green|shop|25|${dir}|`);
  });

  it('fails on another exit code, with the last line the command printed', async () => {
    const check = script('fail.sh', 'echo "checking {{color}}"\necho "error rate 4.2% > 1%" >&2\necho\nexit 3');
    expect(await runCheck({ name: 'custom', command: [check] }, at()))
      .toEqual({ name: 'custom', passed: false, value: 'exit 3', why: 'exit 3: error rate 4.2% > 1%' });
  });

  it('shows the last line escaped, never a terminal sequence', async () => {
    const check = script('escape.sh', 'printf "\\033[2Jcleared\\n"\nexit 1');
    expect((await runCheck({ name: 'custom', command: [check] }, at())).why).toBe('exit 1: \\u001b[2Jcleared');
  });

  it('fails when the program is missing or not executable, saying so', async () => {
    expect(await runCheck({ name: 'custom', command: ['./scripts/missing.sh'] }, at()))
      .toEqual({ name: 'custom', passed: false, value: 'not run', why: './scripts/missing.sh could not be run: not found' });
    const check = script('plain.sh', 'exit 0', 0o644);
    expect(await runCheck({ name: 'custom', command: [check] }, at()))
      .toEqual({ name: 'custom', passed: false, value: 'not run', why: './scripts/plain.sh could not be run: not executable' });
  });

  it('kills a command that outlives the timeout, and fails it', async () => {
    const check = script('hang.sh', 'exec sleep 30');
    expect(await runCheck({ name: 'custom', command: [check] }, at({ timeoutSeconds: 1 })))
      .toEqual({ name: 'custom', passed: false, value: 'no answer', why: 'no answer within 1 s' });
  });

  it('kills a command in flight when the release is interrupted', async () => {
    const check = script('started.sh', 'touch started\nexec sleep 30');
    const abort = new AbortController();
    const running = runCheck({ name: 'custom', command: [check] }, at({ signal: abort.signal }));
    while (!existsSync(join(dir, 'started'))) await new Promise((done) => setTimeout(done, 10));
    abort.abort();
    expect(await running).toEqual({ name: 'custom', passed: false, value: 'killed by SIGKILL', why: 'killed by SIGKILL' });
  });
});
