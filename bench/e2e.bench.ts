/**
 * End-to-end benchmark (issue 9): generates the corpus (50 feeds x 100 job items, ~20 MB), serves
 * it on 127.0.0.1 with ETag/Last-Modified, and times whole `jobalert run --once` processes (built
 * into dist/) against rss2email (`r2e run`), both mailing a local SMTP sink, alternating, for:
 *   cold       every item new (5,000)
 *   304        every feed answers 304
 *   200        every feed answers 200 with the same bytes and a new ETag (nothing new)
 *   increment  +10 new items on top of every feed (500 new)
 * Medians of `runs` repetitions; peak RSS of each process. `big` adds jobalert-only scale runs:
 * 500 feeds x 200 items cold and 200-unchanged, one 74 MB feed of 20,000 items, and 1,000 rules
 * vs 1 rule on the cold 5,000.
 *
 *   npm run bench -- --only e2e [--scale 0.1] [--runs 1] [--big] [--no-peer] [--no-build]
 */
import { startCorpusServer, type CorpusServer } from './corpus-server.js';
import { median, PEAK_RSS_METHOD } from './measure-process.js';
import { startSmtpCounter, type SmtpCounter } from './smtp-counter.js';
import { buildJobalert, hasRss2email, jobalertSystem, rss2emailSystem, type System } from './systems.js';
import { thousandRules } from './rules.js';

export interface E2eOptions {
  /** Repetitions per phase (median reported); default 5. */
  runs?: number;
  /** Multiplies the number of feeds (50 at 1); default 1. */
  scale?: number;
  /** Also run the scale runs (jobalert only). */
  big?: boolean;
  /** Run rss2email side by side when installed; default true. */
  peer?: boolean;
  /** Build dist/ first; default true. */
  build?: boolean;
}

type Phase = 'cold' | '304' | '200' | 'increment';
const PHASES: Phase[] = ['cold', '304', '200', 'increment'];
const PHASE_LABEL: Record<Phase, string> = {
  cold: 'cold, all new',
  '304': 'steady, every feed 304',
  '200': 'steady, 200 nothing new',
  increment: 'increment, +10 a feed',
};
// The issue's goals (ratio jobalert / rss2email) and its figures at the time it was filed.
const GOAL_RATIO: Record<Phase, number> = { cold: 0.1, '304': 1.2, '200': 0.05, increment: 0.1 };
const ISSUE_RATIO: Record<Phase, number> = { cold: 0.27, '304': 2.5, '200': 0.81, increment: 0.45 };
const GOAL_RSS_MB = 100;
const SEED = 20_260_901;
const NODE_FLAGS = ['--trace-warnings'];

interface Sample {
  ms: number;
  rss: number | null;
  emails: number;
  warnings: string[];
  code: number | null;
}

const MB = 1024 * 1024;
const fmtS = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '-');
const fmtMB = (b: number | null) => (b === null || !Number.isFinite(b) ? '-' : `${Math.round(b / MB)} MB`);

/** Runs one system once, checking it exited well, and counts the emails it sent. */
async function sample(system: System, sink: SmtpCounter, label: string): Promise<Sample> {
  sink.reset();
  const r = await system.run();
  // The sink may still be reading the last message when the process has exited.
  await new Promise((resolve) => setTimeout(resolve, 50));
  if (r.code !== 0) {
    process.stderr.write(`${system.name} ${label} exited with ${r.code}\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}\n`);
  }
  return { ms: r.ms, rss: r.peakRss, emails: sink.messages, warnings: r.warnings, code: r.code };
}

/** Sets the server up for a phase. */
function enterPhase(server: CorpusServer, phase: Phase): void {
  server.setMode(phase === '200' ? 'ignore-validators' : 'conditional');
  if (phase === 'increment') server.setAdded(10);
}

/** The 50 x 100 phases, side by side with rss2email. */
async function sideBySide(opts: Required<E2eOptions>, sink: SmtpCounter): Promise<void> {
  const feedsCount = Math.max(2, Math.round(50 * opts.scale));
  const baseTime = Date.now() - 3600_000;
  const server = await startCorpusServer({ seed: SEED, baseTime, feeds: feedsCount, items: 100 });
  const feeds = Array.from({ length: feedsCount }, (_, i) => ({ name: `board-${i}`, url: server.url(i) }));
  const peer = opts.peer && hasRss2email();
  if (opts.peer && !peer) process.stdout.write('rss2email (r2e) is not installed: jobalert runs alone\n');
  process.stdout.write(`\nCorpus: ${feedsCount} feeds x 100 items, ${(server.bytes() / MB).toFixed(1)} MB, seed ${SEED}; ${opts.runs} runs a phase\n`);
  const samples: Record<string, Record<Phase, Sample[]>> = {};
  const names = peer ? ['jobalert', 'rss2email'] : ['jobalert'];
  for (const n of names) samples[n] = { cold: [], '304': [], '200': [], increment: [] };
  try {
    for (let run = 0; run < opts.runs; run++) {
      server.setAdded(0);
      const systems: System[] = [jobalertSystem({ feeds, smtpPort: sink.port, nodeFlags: NODE_FLAGS })];
      if (peer) systems.push(rss2emailSystem({ feeds, smtpPort: sink.port }));
      // Alternate which system goes first.
      if (run % 2 === 1) systems.reverse();
      try {
        for (const phase of PHASES) {
          enterPhase(server, phase);
          for (const system of systems) {
            const s = await sample(system, sink, phase);
            samples[system.name]![phase].push(s);
            process.stdout.write(`  run ${run + 1} ${phase.padEnd(9)} ${system.name.padEnd(9)} ${fmtS(s.ms).padStart(9)} ${fmtMB(s.rss).padStart(7)} ${String(s.emails).padStart(5)} emails${s.warnings.length ? ` ${s.warnings.length} warnings` : ''}\n`);
          }
        }
      } finally {
        for (const s of systems) s.dispose();
      }
    }
  } finally {
    await server.close();
  }
  printTable(samples, peer);
}

function printTable(samples: Record<string, Record<Phase, Sample[]>>, peer: boolean): void {
  const rows: string[][] = [['phase', 'jobalert', 'rss2email', 'ratio', 'goal', 'at filing', 'peak RSS jobalert / rss2email', 'emails j / r2e', 'warnings']];
  for (const phase of PHASES) {
    const j = samples['jobalert']![phase];
    const r = peer ? samples['rss2email']![phase] : [];
    const jm = median(j.map((s) => s.ms));
    const rm = median(r.map((s) => s.ms));
    const jr = median(j.map((s) => s.rss ?? NaN));
    const rr = median(r.map((s) => s.rss ?? NaN));
    rows.push([
      PHASE_LABEL[phase],
      fmtS(jm),
      peer ? fmtS(rm) : '-',
      peer ? (jm / rm).toFixed(2) : '-',
      `<= ${GOAL_RATIO[phase]}`,
      String(ISSUE_RATIO[phase]),
      `${fmtMB(jr)} / ${peer ? fmtMB(rr) : '-'}${jr > GOAL_RSS_MB * MB ? ' (goal <= 100 MB)' : ''}`,
      `${median(j.map((s) => s.emails))} / ${peer ? median(r.map((s) => s.emails)) : '-'}`,
      String(j.reduce((n, s) => n + s.warnings.length, 0)),
    ]);
  }
  printRows(rows);
  const warned = new Set(PHASES.flatMap((p) => samples['jobalert']![p].flatMap((s) => s.warnings)));
  for (const w of warned) process.stdout.write(`  jobalert warning: ${w}\n`);
  process.stdout.write(`Times: medians of whole processes (wall). Peak RSS: ${PEAK_RSS_METHOD}.\n`);
}

/** Prints rows as a Markdown table (to stdout unless `write` is given). */
export function printRows(rows: string[][], write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  write(`\n${line(rows[0]!)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const r of rows.slice(1)) write(`${line(r)}\n`);
}

/** One jobalert-only scale run: `phases` in order on fresh state; returns a row per phase. */
async function scaleRun(
  label: string,
  corpus: { feeds: number; items: number; descriptionBytes?: number; spacingMinutes?: number },
  phases: Phase[],
  sink: SmtpCounter,
  extra: { rulesYaml?: string; maxBody?: string } = {},
): Promise<string[][]> {
  const server = await startCorpusServer({ seed: SEED, baseTime: Date.now() - 3600_000, ...corpus });
  const feeds = Array.from({ length: corpus.feeds }, (_, i) => ({ name: `board-${i}`, url: server.url(i) }));
  const system = jobalertSystem({ feeds, smtpPort: sink.port, nodeFlags: NODE_FLAGS, ...extra });
  const rows: string[][] = [];
  try {
    for (const phase of phases) {
      enterPhase(server, phase);
      const s = await sample(system, sink, `${label} ${phase}`);
      rows.push([`${label}, ${phase} (${(server.bytes() / MB).toFixed(0)} MB)`, fmtS(s.ms), fmtMB(s.rss), String(s.emails), `${(sink.largest / MB).toFixed(1)} MB`, String(s.code)]);
      process.stdout.write(`  ${rows.at(-1)!.join('  ')}\n`);
    }
  } finally {
    system.dispose();
    await server.close();
  }
  return rows;
}

/** The scale runs of the issue, jobalert alone, one run each. */
async function scaleRuns(opts: Required<E2eOptions>, sink: SmtpCounter): Promise<void> {
  const k = opts.scale;
  process.stdout.write('\nScale runs (jobalert only, one run each)\n');
  const rows: string[][] = [['run', 'time', 'peak RSS', 'emails', 'largest email', 'exit']];
  rows.push(...(await scaleRun(`${Math.round(500 * k)} feeds x 200`, { feeds: Math.max(2, Math.round(500 * k)), items: 200 }, ['cold', '200'], sink)));
  // 20,000 items of ~3.7 KB: one 74 MB document.
  rows.push(...(await scaleRun(`1 feed x ${Math.round(20_000 * k)}`, { feeds: 1, items: Math.max(100, Math.round(20_000 * k)), spacingMinutes: 2, descriptionBytes: 3350 }, ['cold'], sink, { maxBody: '200MB' })));
  const feeds = Math.max(2, Math.round(50 * k));
  rows.push(...(await scaleRun(`${feeds} x 100, 1 rule`, { feeds, items: 100 }, ['cold'], sink)));
  rows.push(...(await scaleRun(`${feeds} x 100, 1,000 rules`, { feeds, items: 100 }, ['cold'], sink, { rulesYaml: thousandRules(1000) })));
  printRows(rows);
  process.stdout.write('Goals: 100k cold and the 74 MB feed < 300 MB peak; 1,000 rules within 2x of 1 rule.\n');
}

/** Runs the end-to-end bench and prints its tables. */
export async function runE2eBench(options: E2eOptions = {}): Promise<void> {
  const opts: Required<E2eOptions> = { runs: 5, scale: 1, big: false, peer: true, build: true, ...options };
  if (opts.build) buildJobalert();
  const sink = await startSmtpCounter();
  try {
    await sideBySide(opts, sink);
    if (opts.big) await scaleRuns(opts, sink);
  } finally {
    await sink.close();
  }
}
