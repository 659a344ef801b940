// Whole-process measurement: wall time from spawn to exit, and the child's peak RSS.
//
// Peak RSS comes from GNU `/usr/bin/time -f %M` when it is present; without it the child's
// /proc/<pid>/status VmHWM is polled every 2 ms (a lower bound: the last few ms before exit can be
// missed), and where neither works it is reported as n/a. RAINBOW_BENCH_RSS=time|proc|none forces
// a method. /usr/bin/time adds its own fork+exec (about 1 ms) to every measured command alike.
// With GNU time the child's CPU time (user + system, all its threads) is recorded too: unlike wall
// time it hardly grows when something else competes for the cores.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TIME = '/usr/bin/time';

function runChild(command, args, { cwd }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => resolve({ code: -1, signal: null, stdout, stderr: stderr + String(error) }));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

// GNU time with -f/-o; BusyBox or BSD time would not accept these and so fail the probe.
async function gnuTimeWorks(cwd) {
  if (!existsSync(TIME)) return false;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rainbow-bench-probe-'));
  try {
    const file = path.join(dir, 'rss');
    const result = await runChild(TIME, ['-f', '%M %U %S', '-o', file, process.execPath, '-e', '0'], { cwd });
    return result.code === 0 && Number.isFinite(parseTime(readFileSync(file, 'utf8')).rssKiB);
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function procStatusReadable() {
  try {
    return /VmHWM:/.test(readFileSync(`/proc/${process.pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

// The last line of GNU time's -o file is "%M %U %S" (KiB, seconds, seconds); a line before it may
// say the command failed.
function parseTime(text) {
  const match = /^([0-9]+) ([0-9.]+) ([0-9.]+)$/.exec(text.trim().split('\n').pop() ?? '');
  return match
    ? { rssKiB: Number(match[1]), cpuMs: (Number(match[2]) + Number(match[3])) * 1000 }
    : { rssKiB: NaN, cpuMs: NaN };
}

function readVmHwmKiB(pid) {
  try {
    const match = /VmHWM:\s+([0-9]+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN; // exited (or a zombie without memory lines) between polls
  }
}

/** 'time', 'proc' or 'none': how peak RSS is measured here. */
export async function chooseRssMethod(cwd) {
  const forced = process.env.RAINBOW_BENCH_RSS;
  if (forced !== undefined) {
    if (!['time', 'proc', 'none'].includes(forced))
      throw new Error(`RAINBOW_BENCH_RSS must be time, proc or none, got ${forced}`);
    return forced;
  }
  if (await gnuTimeWorks(cwd)) return 'time';
  return procStatusReadable() ? 'proc' : 'none';
}

export function rssMethodLine(method) {
  if (method === 'time') return 'peak RSS and CPU time (user + system) from GNU `/usr/bin/time -f "%M %U %S"`';
  if (method === 'proc') return 'peak RSS from polling `/proc/<pid>/status` VmHWM every 2 ms (a lower bound)';
  return 'peak RSS not measured (no GNU `/usr/bin/time`, no readable `/proc`)';
}

/**
 * Runs `node ...nodeArgs` once in `cwd`; resolves { ms, rssKiB, cpuMs (NaN if unknown), code, signal, stdout, stderr }.
 * `scratch` holds GNU time's output file for the run.
 */
export function measure(nodeArgs, { rssMethod, scratch, cwd }) {
  return new Promise((resolve) => {
    let command = process.execPath;
    let args = nodeArgs;
    let rssFile;
    if (rssMethod === 'time') {
      rssFile = path.join(scratch, `rss-${process.hrtime.bigint()}`);
      command = TIME;
      args = ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...nodeArgs];
    }
    let stdout = '';
    let stderr = '';
    let peak = NaN;
    let timer;
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (rssMethod === 'proc') {
      const poll = () => {
        const kib = readVmHwmKiB(child.pid);
        if (Number.isFinite(kib)) peak = Number.isFinite(peak) ? Math.max(peak, kib) : kib;
      };
      poll();
      timer = setInterval(poll, 2);
    }
    let ms;
    child.on('exit', () => {
      ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearInterval(timer);
    });
    child.on('error', (error) => {
      clearInterval(timer);
      resolve({ ms: NaN, rssKiB: NaN, cpuMs: NaN, code: -1, signal: null, stdout, stderr: stderr + String(error) });
    });
    child.on('close', (code, signal) => {
      let rssKiB = peak;
      let cpuMs = NaN;
      if (rssFile) {
        try {
          ({ rssKiB, cpuMs } = parseTime(readFileSync(rssFile, 'utf8')));
        } catch {
          rssKiB = NaN;
        }
        rmSync(rssFile, { force: true });
      }
      resolve({ ms, rssKiB, cpuMs, code, signal, stdout, stderr });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function machineLine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim();
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpus.length} cores${model ? ` (${model})` : ''}, ${memGiB} GiB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}
