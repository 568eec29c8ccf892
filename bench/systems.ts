/**
 * The two systems the end-to-end bench runs as whole processes, each with its own temp state:
 * jobalert (`node dist/cli.js run --once`, built by `npm run build`) and rss2email (`r2e run`),
 * both sending to the bench's SMTP sink.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureProcess, type ProcessRun } from './measure-process.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli.js');

/** A system under test with its own state (database or data file) in a temp dir. */
export interface System {
  name: string;
  run(): Promise<ProcessRun & { warnings: string[] }>;
  /** Removes the state. */
  dispose(): void;
}

export interface JobalertSetup {
  feeds: Array<{ name: string; url: string }>;
  smtpPort: number;
  /** YAML of the rules section (a list); default one rule that matches every posting. */
  rulesYaml?: string;
  maxBody?: string;
  /** Extra node flags (the bench passes --trace-warnings). */
  nodeFlags?: string[];
}

/** Builds dist/ (tsc) so the bench runs what a user installs. */
export function buildJobalert(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** One rule matching every posting, alerting by email. */
export const MATCH_ALL_RULE = '  - name: everything\n    notify: mail\n';

// Warnings Node prints (MaxListenersExceededWarning and friends), one line each.
function warningsIn(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /\bWarning\b/.test(l) && !l.startsWith('{'));
}

/** jobalert with a temp config and database. */
export function jobalertSystem(setup: JobalertSetup): System {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-jobalert-'));
  const feeds = setup.feeds.map((f) => `  - name: ${f.name}\n    url: ${f.url}\n`).join('');
  const config =
    `database: ${path.join(dir, 'jobalert.db')}\nlog_level: info\n` +
    `http:\n  port: 0\n` +
    `fetch:\n  max_body: ${setup.maxBody ?? '10MB'}\n` +
    `feeds:\n${feeds}` +
    `channels:\n  mail:\n    type: email\n    to: bench@example.com\n` +
    `smtp:\n  url: smtp://127.0.0.1:${setup.smtpPort}\n  from: "jobalert <jobalert@example.com>"\n` +
    `rules:\n${setup.rulesYaml ?? MATCH_ALL_RULE}`;
  const configPath = path.join(dir, 'config.yaml');
  fs.writeFileSync(configPath, config);
  return {
    name: 'jobalert',
    async run() {
      const r = await measureProcess(process.execPath, [...(setup.nodeFlags ?? []), CLI, 'run', '--once', '--config', configPath], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir },
      });
      return { ...r, warnings: warningsIn(r.stderr) };
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether rss2email is installed. */
export function hasRss2email(): boolean {
  try {
    execFileSync('r2e', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * rss2email with a temp config and data file: one email per new item (digest off), sent over SMTP
 * to the sink, trust-guid on (its default: an item is new when its guid is), reply-changes off
 * (its default: a changed item sends nothing). rss2email 3 sends every item of a feed on its first
 * run (only `run --no-send` would mark them seen without sending), so the cold run sends all.
 */
export function rss2emailSystem(setup: { feeds: Array<{ name: string; url: string }>; smtpPort: number }): System {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-r2e-'));
  const configPath = path.join(dir, 'r2e.cfg');
  const dataPath = path.join(dir, 'r2e.json');
  const sections = setup.feeds.map((f) => `[feed.${f.name}]\nurl = ${f.url}\n`).join('\n');
  fs.writeFileSync(
    configPath,
    '[DEFAULT]\nfrom = r2e@example.com\nto = bench@example.com\ndigest = False\ntrust-guid = True\nreply-changes = False\n' +
      `email-protocol = smtp\nsmtp-server = 127.0.0.1\nsmtp-port = ${setup.smtpPort}\nsmtp-auth = False\nsmtp-ssl = False\n` +
      `verbose = warning\n\n${sections}`,
  );
  fs.writeFileSync(dataPath, JSON.stringify({ version: 2, feeds: [] }));
  return {
    name: 'rss2email',
    async run() {
      const r = await measureProcess('r2e', ['-c', configPath, '-d', dataPath, 'run'], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } });
      return { ...r, warnings: [] };
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
