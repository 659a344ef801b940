import { signalProcessGroup, startProcess } from '../../engine/process';
import { gone, running } from '../fixtures/processes';

/** A shell that starts `sleep 60` in the background, prints its pid, then runs `rest`. */
const withBackground = (rest: string) => ['-c', `sleep 60 & echo $!; ${rest}`];
const pidOf = (output: Buffer) => Number(output.toString('utf8').trim().split('\n')[0]);

describe('startProcess', () => {
  it('settles when the child exits though a background child holds its output open, and kills that one', async () => {
    const started = Date.now();
    const result = await startProcess('sh', withBackground('exit 3'), { env: process.env, stdio: 'capture' }).result;
    expect({ code: result.code, timedOut: result.timedOut, fast: Date.now() - started < 2000 }).toEqual({
      code: 3,
      timedOut: false,
      fast: true,
    });
    expect(await gone(pidOf(result.output))).toBe(true);
  });

  it('kills the whole group when the child outlives its time', async () => {
    const result = await startProcess('sh', withBackground('wait'), {
      env: process.env,
      stdio: 'capture',
      timeoutMs: 300,
    }).result;
    expect({ signal: result.signal, timedOut: result.timedOut, aborted: result.aborted }).toEqual({
      signal: 'SIGKILL',
      timedOut: true,
      aborted: false,
    });
    expect(await gone(pidOf(result.output))).toBe(true);
  });

  it('kills the whole group when the signal aborts, already aborted or later', async () => {
    const before = new AbortController();
    before.abort();
    const early = await startProcess('sh', withBackground('wait'), {
      env: process.env,
      stdio: 'capture',
      signal: before.signal,
    }).result;
    expect({ signal: early.signal, aborted: early.aborted }).toEqual({ signal: 'SIGKILL', aborted: true });
    const later = new AbortController();
    const child = startProcess('sh', withBackground('wait'), {
      env: process.env,
      stdio: 'capture',
      signal: later.signal,
    });
    setTimeout(() => later.abort(), 200);
    const result = await child.result;
    expect({ signal: result.signal, aborted: result.aborted }).toEqual({ signal: 'SIGKILL', aborted: true });
    expect(await gone(pidOf(result.output))).toBe(true);
  });

  it('leaves the background children running when asked to, for a deploy that hands work on', async () => {
    const result = await startProcess('sh', withBackground('exit 0'), {
      env: process.env,
      stdio: 'capture',
      killGroupOnExit: false,
    }).result;
    const pid = pidOf(result.output);
    expect(running(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  });

  it('settles with the error of a program that is not there', async () => {
    const result = await startProcess('./no-such-program', [], { env: process.env, stdio: 'capture' }).result;
    expect({ code: result.code, error: result.error?.code }).toEqual({ code: null, error: 'ENOENT' });
  });
});

describe('signalProcessGroup', () => {
  it('takes a group that is gone, and no group at all', async () => {
    const result = await startProcess('true', [], { env: process.env, stdio: 'capture' }).result;
    expect(result.code).toBe(0);
    expect(() => signalProcessGroup(2 ** 22 + 12345, 'SIGTERM')).not.toThrow();
    expect(() => signalProcessGroup(undefined, 'SIGTERM')).not.toThrow();
  });
});
