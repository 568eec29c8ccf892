/**
 * Dedupe, measured with the real store: every posting is ingested, in published order, into a
 * fresh SQLite database (src/store), and the jobs the store forms are compared with the labelled
 * duplicate groups. Then each rule is matched against the posting that created each store job, as
 * the daemon does, to count labelled jobs that would be alerted more than once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompiledRule } from '../match/compile-rule.js';
import { matchPosting, type MatchContext } from '../match/match-posting.js';
import { openDatabase } from '../store/db.js';
import { createStore } from '../store/store.js';
import { jobIdOf } from './corpus.js';
import { labelledGroups, pairScores, type Evaluated } from './score.js';

/** A labelled job the store split into several jobs. */
export interface SplitGroup {
  /** Id of the job's first posting. */
  job: string;
  /** The store's jobs, each with the corpus ids of its postings. */
  parts: string[][];
}

/** A store job that holds postings of several labelled jobs. */
export interface FalseMerge {
  /** Corpus ids of its postings, grouped by labelled job. */
  jobs: string[][];
}

/** A labelled job that some rule would alert more than once. */
export interface AlertedTwice {
  job: string;
  /** Rule name -> number of alerts it would send for this job. */
  rules: Record<string, number>;
}

export interface DedupeReport {
  postings: number;
  labelledJobs: number;
  /** Labelled groups with more than one posting. */
  labelledDuplicateGroups: number;
  storeJobs: number;
  /** Pairwise: of the posting pairs the store put together, how many truly belong together. */
  precision: number;
  /** Pairwise: of the posting pairs that belong together, how many the store put together. */
  recall: number;
  predictedPairs: number;
  truePairs: number;
  agreeingPairs: number;
  splitGroups: SplitGroup[];
  falseMerges: FalseMerge[];
  /** Labelled jobs split across store jobs that a rule matches more than once. */
  alertedTwice: AlertedTwice[];
}

/** Ingests every posting into a temporary database and compares the store's jobs with the labels. */
export async function evaluateDedupe(items: readonly Evaluated[], rules: readonly CompiledRule[], ctx: MatchContext): Promise<DedupeReport> {
  const ordered = [...items].sort(
    (a, b) => Date.parse(a.entry.input.published) - Date.parse(b.entry.input.published) || a.entry.id.localeCompare(b.entry.id),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-eval-'));
  const storeJobOf = new Map<string, number>();
  /** Store job id -> corpus id of the posting that created it (the one alerts are decided on). */
  const creatorOf = new Map<number, string>();
  try {
    const db = openDatabase(path.join(dir, 'eval.db'));
    let now = new Date(0);
    const store = createStore(db, { now: () => now });
    try {
      for (const { entry, posting } of ordered) {
        // Each posting is seen in its own poll, at its publication time.
        now = posting.published ?? now;
        const result = await store.ingest([posting], () => []);
        const created = result.newJobs[0];
        let jobId: number | undefined;
        if (created) {
          jobId = created.id;
          creatorOf.set(created.id, entry.id);
        } else {
          jobId = (await store.findJobByUrl(posting.url))?.id;
        }
        if (jobId === undefined) throw new Error(`${entry.id}: the store neither created nor found a job for ${posting.url}`);
        storeJobOf.set(entry.id, jobId);
      }
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const truth = labelledGroups(items.map((i) => i.entry));
  const pairs = pairScores(storeJobOf, truth);

  // Labelled job -> store job -> its corpus ids.
  const partsOf = new Map<string, Map<number, string[]>>();
  const labelledOf = new Map<number, Map<string, string[]>>();
  for (const { entry } of ordered) {
    const job = jobIdOf(entry);
    const storeJob = storeJobOf.get(entry.id)!;
    push(getOrSet(partsOf, job, () => new Map<number, string[]>()), storeJob, entry.id);
    push(getOrSet(labelledOf, storeJob, () => new Map<string, string[]>()), job, entry.id);
  }
  const splitGroups: SplitGroup[] = [];
  for (const [job, parts] of partsOf) {
    if (parts.size > 1) splitGroups.push({ job, parts: [...parts.values()] });
  }
  const falseMerges: FalseMerge[] = [];
  for (const groups of labelledOf.values()) {
    if (groups.size > 1) falseMerges.push({ jobs: [...groups.values()] });
  }

  const byId = new Map(items.map((i) => [i.entry.id, i]));
  const alertedTwice: AlertedTwice[] = [];
  for (const split of splitGroups) {
    const counts: Record<string, number> = {};
    const storeJobs = [...partsOf.get(split.job)!.keys()];
    for (const rule of rules) {
      let alerts = 0;
      for (const storeJob of storeJobs) {
        const creator = creatorOf.get(storeJob);
        const first = creator === undefined ? undefined : byId.get(creator);
        if (first === undefined || jobIdOf(first.entry) !== split.job) continue;
        if (matchPosting(first.posting, rule, ctx).matched) alerts++;
      }
      if (alerts > 1) counts[rule.name] = alerts;
    }
    if (Object.keys(counts).length > 0) alertedTwice.push({ job: split.job, rules: counts });
  }

  return {
    postings: items.length,
    labelledJobs: partsOf.size,
    labelledDuplicateGroups: [...partsOf.values()].filter((parts) => [...parts.values()].flat().length > 1).length,
    storeJobs: labelledOf.size,
    precision: pairs.precision,
    recall: pairs.recall,
    predictedPairs: pairs.predictedPairs,
    truePairs: pairs.truePairs,
    agreeingPairs: pairs.agreeing,
    splitGroups,
    falseMerges,
    alertedTwice,
  };
}

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function push<K>(map: Map<K, string[]>, key: K, value: string): void {
  getOrSet(map, key, () => []).push(value);
}
