/**
 * Times a whole child process and reads its peak RSS: through GNU time (/usr/bin/time -f %M, which
 * reports the largest resident set of the process and its children) when present, else by polling
 * /proc/<pid>/status VmHWM of the child every 20 ms (misses short peaks of grandchildren).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One measured run. */
export interface ProcessRun {
  code: number | null;
  ms: number;
  /** Peak resident set in bytes, or null when it could not be read. */
  peakRss: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';
const HAS_GNU_TIME = fs.existsSync(GNU_TIME);

/** How peak RSS is measured on this machine, for the report. */
export const PEAK_RSS_METHOD = HAS_GNU_TIME ? '/usr/bin/time -f %M (max RSS of the process tree)' : '/proc/<pid>/status VmHWM, polled';

/** Runs `cmd args` to completion (killed after `timeoutMs`) and measures it. */
export function measureProcess(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<ProcessRun> {
  const timeFile = HAS_GNU_TIME ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-')), 'rss') : null;
  const [file, argv] = timeFile ? [GNU_TIME, ['-q', '-f', '%M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  const child = spawn(file, argv, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  let polled = 0;
  const poll = timeFile
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polled = Math.max(polled, Number(m[1]) * 1024);
        } catch {
          // exited between two polls
        }
      }, 20);
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30 * 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      clearTimeout(killer);
      if (poll) clearInterval(poll);
      let peakRss: number | null = polled || null;
      if (timeFile) {
        const kb = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop());
        peakRss = Number.isFinite(kb) && kb > 0 ? kb * 1024 : null;
        fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
      }
      resolve({ code, ms, peakRss, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** The median of a list of numbers (NaN for none). */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
