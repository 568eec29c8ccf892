/**
 * Store benchmark: one ingest of 10,000 new postings (each queuing one alert), the same batch
 * again (all unchanged), 10,000 cross-posts of them from another board (new ids and URLs, titles
 * written differently: every one found by the company + title key), a full export, and dueAlerts
 * over every pending alert.
 * Each run uses a fresh SQLite file in a temp dir; prints the median of 5 runs.
 *
 *   node --import tsx bench/store.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/core/types.js';
import type { Posting } from '../src/core/types.js';
import { openDatabase } from '../src/store/db.js';
import { createStore } from '../src/store/store.js';

const POSTINGS = 10_000;
const RUNS = 5;

/**
 * A distinct team name per job ("Team Bcd"): a number in a title would not do, since numbers of
 * four digits and more are requisition ids to dedupe, so "Engineer 1234" and "Engineer 5678" are one job.
 */
function team(i: number): string {
  const letters = i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
  return `Team ${letters.charAt(0).toUpperCase()}${letters.slice(1)}`;
}

/** Builds n distinct postings, spread over a few feeds. */
function makePostings(n: number): Posting[] {
  const postings: Posting[] = [];
  for (let i = 0; i < n; i++) {
    postings.push({
      feed: `feed-${i % 7}`,
      sourceId: `guid-${i}`,
      url: `https://jobs.example.com/${i}?utm_source=rss`,
      canonicalUrl: `https://jobs.example.com/${i}`,
      title: `Senior Machine Learning Engineer, ${team(i)}`,
      company: `Company ${i % 500}`,
      location: 'Remote (US)',
      description: 'We are hiring an engineer to build ML systems. '.repeat(40),
      published: new Date(1_740_000_000_000 + i * 1000),
      salary: { min: 135000, max: 180000, currency: 'USD', period: 'year' },
      annualMin: 135000,
      annualMax: 180000,
      arrangement: 'remote',
      remoteRegions: ['US'],
      seniority: 'senior',
      role: 'ml engineer',
      tags: ['ml', 'python'],
    });
  }
  return postings;
}

/** The same jobs as makePostings, as another board writes them: each must attach, none is new. */
function makeCrossPosts(postings: readonly Posting[]): Posting[] {
  return postings.map((p, i) => ({
    ...p,
    feed: 'mirror',
    sourceId: `mirror-${i}`,
    url: `https://mirror.example.org/job/${i}?ref=feed`,
    canonicalUrl: `https://mirror.example.org/job/${i}`,
    title: `Sr. ML Engineer - ${team(i)} (Remote)`,
    company: `${p.company}, Inc.`,
    location: 'United States (Remote)',
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs the benchmark and prints one line per measured operation. */
async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-bench-'));
  const postings = makePostings(POSTINGS);
  const crossPosts = makeCrossPosts(postings);
  const results: Record<string, number[]> = { 'ingest new': [], 'ingest unchanged': [], 'ingest cross-posts': [], export: [], dueAlerts: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const store = createStore(openDatabase(path.join(dir, `bench-${run}.db`)), systemClock);
      const decide = () => [{ rule: 'r', channel: 'me', reasons: ['bench'] }];
      let inserted = 0;
      results['ingest new']!.push(await time(async () => (inserted = (await store.ingest(postings, decide)).inserted)));
      if (inserted !== POSTINGS) throw new Error(`expected ${POSTINGS} new jobs, got ${inserted}`);
      results['ingest unchanged']!.push(await time(() => store.ingest(postings, decide)));
      let crossInserted = -1;
      results['ingest cross-posts']!.push(await time(async () => (crossInserted = (await store.ingest(crossPosts, decide)).inserted)));
      if (crossInserted !== 0) throw new Error(`expected every cross-post to attach, ${crossInserted} became new jobs`);
      results.export!.push(
        await time(async () => {
          let n = 0;
          for await (const _job of store.exportJobs()) n++;
          if (n !== POSTINGS) throw new Error(`exported ${n}`);
        }),
      );
      results.dueAlerts!.push(await time(() => store.dueAlerts(new Date(Date.now() + 1000))));
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const [name, ms] of Object.entries(results)) {
    console.log(`${name.padEnd(19)} ${POSTINGS} postings: ${median(ms).toFixed(1)} ms (median of ${RUNS})`);
  }
}

await main();
