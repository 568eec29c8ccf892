/** Runs the real CLI (src/cli.ts through tsx) as a child process, as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** tsx's loader by URL, so the CLI also starts from a working directory outside the repository. */
const TSX = import.meta.resolve('tsx');

/** Where a CLI process runs; default the repository root. */
export interface CliOptions {
  cwd?: string;
  /** Run as this user and group (the tests run as root; Docker runs jobalert as 1000:1000). */
  uid?: number;
  gid?: number;
}

/** Starts `jobalert ARGS` without waiting; the caller reads or kills it. */
export function spawnCli(args: string[], env: Record<string, string> = {}, opts: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd: opts.cwd ?? ROOT,
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
    ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', JOBALERT_LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `jobalert ARGS` to completion (killed after `timeoutMs`). */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000, opts: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, env, opts);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses pino JSON log lines out of a process's output (other lines are ignored). */
export function logLines(output: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a console-channel line that happens to start with "{"
    }
  }
  return out;
}
