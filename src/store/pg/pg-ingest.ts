/**
 * Ingest in PostgreSQL: the same decisions as the SQLite store's ingest (../store.ts, ../jobs.ts),
 * in the same order, with the same results, in one transaction per call, for several workers at
 * once (the advisory locks of pg-locks.ts).
 *
 * Round trips: a batch is not one query per posting. What the batch will look up is read up front
 * in two statements (its sightings by (feed, source id); then, for the postings not seen before,
 * the jobs of their canonical URLs and whether any job has their dedupe keys or fingerprint bands),
 * and new rows and sighting times are written behind, many rows per statement. A write-behind
 * buffer is flushed before anything reads what it holds (a fuzzy candidate query, a URL not in
 * the cache, the new jobs read back) and before any immediate write, so every read and write sees
 * the same state, in the same order, as the SQLite store's statement-at-a-time code. Ids of new
 * rows are drawn from the sequences up front, in insertion order, so a job's id and its sightings'
 * order are known before the rows are written.
 *
 * Measured (test/pg-store.test.ts), BEGIN and COMMIT included: 250 seen items, 4 statements; 250
 * unchanged postings, 5; 100 or 150 new jobs, 9. A posting that may be a cross-post or re-post (a
 * job has its dedupe key or a fingerprint band) adds one query per fuzzy lookup, an edit two.
 */
import type pg from 'pg';
import type { Posting, StoredJob } from '../../core/types.js';
import { MIN_SHINGLES, SAME_TEXT_SIMILARITY, shingles, similarity } from '../../dedupe/fingerprint.js';
import { DEDUPE_WINDOW_MS } from '../../dedupe/job-key.js';
import {
  CANDIDATE_COLUMNS,
  MAX_KEY_CANDIDATES,
  judgeCandidate,
  contentHash,
  fingerprintOf,
  jobParams,
  keysOf,
  samePlaceText,
  toMs,
  type CandidateRow,
  type ExistingJob,
  type HashedPosting,
  type JobParams,
  type PostingRow,
} from '../jobs.js';
import type { AlertIntent } from '../outbox.js';
import { isSeenItem, liveIds, type IngestItem, type IngestResult, type LiveIds } from '../store.js';
import { readJobs } from './pg-jobs.js';
import { lockTitleKey, takeIngestLocks, type IngestLocks } from './pg-locks.js';
import type { PgOutboxRepo } from './pg-outbox.js';

/** What one ingest call needs besides its postings. */
export interface IngestContext {
  now: number;
  outbox: PgOutboxRepo;
  /** Called once decide() is about to run: from then on the transaction must not be run again. */
  onDecide: () => void;
}

/** Runs one ingest inside an open transaction on `client` (see the header). */
export async function ingestInTransaction(
  client: pg.PoolClient,
  items: readonly IngestItem[],
  decide: (job: StoredJob) => AlertIntent[] | Promise<AlertIntent[]>,
  given: LiveIds | undefined,
  ctx: IngestContext,
): Promise<IngestResult> {
  const { now } = ctx;
  const live = given ?? liveIds(items);
  const locks = await takeIngestLocks(client, items);
  const batch = await openBatch(client, items, now, locks);
  let updated = 0;
  let unchanged = 0;
  let stale = 0;
  const newJobIds: number[] = [];

  for (const item of items) {
    if (isSeenItem(item)) {
      const row = batch.findPosting(item.feed, item.sourceId);
      // Its raw hash still stored: the sighting says what this item would normalize to.
      if (row !== null && row.raw_hash === item.rawHash) {
        batch.touchSighting(row, undefined);
        unchanged++;
      } else stale++;
      continue;
    }
    const hash = contentHash(item);
    const seen = batch.findPosting(item.feed, item.sourceId);
    if (seen) {
      if ((await batch.refreshPosting(seen, item, hash)) === 'updated') updated++;
      else unchanged++;
      continue;
    }
    // A cross-post or re-post: a sighting of a known job, never a new alert (see ../store.ts).
    const existing = await batch.findExistingJob(item, live.get(item.feed));
    if (existing !== null) {
      await batch.attachPosting(existing.id, item, hash, existing.repost);
      updated++;
      continue;
    }
    newJobIds.push(await batch.insertJob(item, hash));
  }
  await batch.flush();

  // decide() runs after the whole batch is stored, so a new job already lists the other sightings of it that came in the same poll.
  const newJobs = await readJobs(client, newJobIds);
  ctx.onDecide();
  const queued: Array<{ jobId: number; intents: AlertIntent[] }> = [];
  for (const job of newJobs) queued.push({ jobId: job.id, intents: await decide(job) });
  const alertsQueued = await ctx.outbox.enqueueMany(client, queued, now);

  return { inserted: newJobIds.length, updated, unchanged, stale, alertsQueued, newJobs };
}

/** A posting row as the batch knows it (the row as stored, or as it will be once the buffer is flushed). */
interface KnownPosting extends PostingRow {
  feed: string;
  source_id: string;
}

/** A candidate job with the source ids it has in the posting's feed. */
interface Candidate extends CandidateRow {
  same_feed: string;
}

/** The batch state of one ingest: what was read up front, what is known since, and what is still to write. */
interface Batch {
  findPosting(feed: string, sourceId: string): KnownPosting | null;
  findExistingJob(posting: Posting, live?: ReadonlySet<string>): Promise<ExistingJob | null>;
  insertJob(posting: HashedPosting, hash: string): Promise<number>;
  attachPosting(jobId: number, posting: HashedPosting, hash: string, update: boolean): Promise<void>;
  refreshPosting(seen: KnownPosting, posting: HashedPosting, hash: string): Promise<'updated' | 'unchanged'>;
  /** The sighting time only; with a raw hash (not undefined), the sighting learns it too. */
  touchSighting(seen: KnownPosting, rawHash: string | null | undefined): void;
  flush(): Promise<void>;
}

const sourceKey = (feed: string, sourceId: string): string => `${feed}\u0000${sourceId}`;
const dedupeKey = (companyKey: string, titleKey: string): string => `${companyKey}\u0000${titleKey}`;

type JobInsert = Omit<JobParams, 'now'> & { id: number };

/** Reads what the batch will look up (two statements) and returns its state. */
async function openBatch(client: pg.PoolClient, items: readonly IngestItem[], now: number, locks: IngestLocks): Promise<Batch> {
  // 1. The sightings of every item, by (feed, source id).
  const known = new Map<string, KnownPosting>();
  const pairs = new Map<string, [string, string]>();
  for (const item of items) pairs.set(sourceKey(item.feed, item.sourceId), [item.feed, item.sourceId]);
  const sighted = await client.query<KnownPosting>(
    `SELECT p.id, p.job_id, p.url, p.canonical_url, p.content_hash, p.raw_hash, p.feed, p.source_id
     FROM postings p JOIN unnest($1::text[], $2::text[]) AS k(feed, source_id) ON p.feed = k.feed AND p.source_id = k.source_id`,
    [[...pairs.values()].map((p) => p[0]), [...pairs.values()].map((p) => p[1])],
  );
  for (const row of sighted.rows) known.set(sourceKey(row.feed, row.source_id), row);

  // 2. For the postings not seen before (those dedupe weighs): the job of each canonical URL (the
  // earliest sighting's), and which of their dedupe keys and fingerprint bands any job has. A key
  // or band no job has needs no candidate query; the locks held keep other workers from adding one.
  const fresh: Posting[] = [];
  const freshKeys = new Set<string>();
  for (const item of items) {
    if (isSeenItem(item) || known.has(sourceKey(item.feed, item.sourceId)) || freshKeys.has(sourceKey(item.feed, item.sourceId))) continue;
    fresh.push(item);
    freshKeys.add(sourceKey(item.feed, item.sourceId));
  }
  const urlJob = new Map<string, number | null>();
  const keysPresent = new Set<string>();
  const bandsPresent = new Set<number>();
  if (fresh.length > 0) {
    const urls = [...new Set(fresh.map((p) => p.canonicalUrl).filter((u) => u !== ''))];
    const companyKeys: string[] = [];
    const titleKeys: string[] = [];
    const bands = new Set<number>();
    for (const p of fresh) {
      const keys = keysOf(p);
      if (keys.titleKey === null) continue;
      if (keys.companyKey !== null) {
        companyKeys.push(keys.companyKey);
        titleKeys.push(keys.titleKey);
      }
      for (const band of fingerprintOf(p).bands) bands.add(band);
    }
    const res = await client.query<{ kind: 'u' | 'k' | 'b'; a: string | null; b: string | null; n: number | null }>(
      `SELECT 'u' AS kind, s.canonical_url AS a, NULL::text AS b, s.job_id AS n
       FROM (SELECT DISTINCT ON (canonical_url) canonical_url, job_id FROM postings WHERE canonical_url = ANY($1::text[]) ORDER BY canonical_url, id) s
       UNION ALL
       SELECT DISTINCT 'k', company_key, title_key, NULL::bigint FROM jobs
       WHERE (company_key, title_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))
       UNION ALL
       SELECT DISTINCT 'b', NULL, NULL, band_key FROM job_fingerprints WHERE band_key = ANY($4::bigint[])`,
      [urls, companyKeys, titleKeys, [...bands]],
    );
    for (const url of urls) urlJob.set(url, null);
    for (const r of res.rows) {
      if (r.kind === 'u') urlJob.set(r.a!, r.n);
      else if (r.kind === 'k') keysPresent.add(dedupeKey(r.a!, r.b!));
      else bandsPresent.add(r.n!);
    }
  }
  return createBatch(client, now, locks, { known, urlJob, keysPresent, bandsPresent, freshLeft: fresh.length });
}

/** The batch over what openBatch read. */
function createBatch(
  client: pg.PoolClient,
  now: number,
  locks: IngestLocks,
  read: { known: Map<string, KnownPosting>; urlJob: Map<string, number | null>; keysPresent: Set<string>; bandsPresent: Set<number>; freshLeft: number },
): Batch {
  const { known, urlJob, keysPresent, bandsPresent } = read;
  // Keys and bands this transaction gave a job: the up-front reads did not see them.
  const keysWritten = new Set<string>();
  const bandsWritten = new Set<number>();
  // Ids drawn from the sequences, used in order; at most one draw per fresh posting still to come.
  let freshLeft = read.freshLeft;
  const jobIds: number[] = [];
  const postingIds: number[] = [];
  // The write-behind buffer.
  const jobInserts: JobInsert[] = [];
  const bufferedJobs = new Set<number>();
  const postingInserts = new Map<number, KnownPosting>();
  const bandInserts = new Map<string, [number, number]>();
  const touchedPostings = new Set<number>();
  const rawHashLearnt = new Map<number, string | null>();
  const touchedJobs = new Set<number>();

  async function drawIds(): Promise<void> {
    // The posting being stored and every fresh one still to come: enough for the rest of the batch.
    const n = freshLeft + 1;
    const res = await client.query<{ k: 'j' | 'p'; id: number }>(
      `SELECT 'j' AS k, nextval(pg_get_serial_sequence('jobs', 'id')) AS id FROM generate_series(1, $1::int)
       UNION ALL
       SELECT 'p', nextval(pg_get_serial_sequence('postings', 'id')) FROM generate_series(1, $1::int)`,
      [n],
    );
    jobIds.push(...res.rows.filter((r) => r.k === 'j').map((r) => r.id).sort((a, b) => a - b));
    postingIds.push(...res.rows.filter((r) => r.k === 'p').map((r) => r.id).sort((a, b) => a - b));
  }

  async function nextId(pool: number[]): Promise<number> {
    if (pool.length === 0) await drawIds();
    return pool.shift()!;
  }

  function touchJob(jobId: number): void {
    // A job still in the buffer is written with last_seen = now already.
    if (!bufferedJobs.has(jobId)) touchedJobs.add(jobId);
  }

  function touchSighting(seen: KnownPosting, rawHash: string | null | undefined): void {
    if (rawHash !== undefined) seen.raw_hash = rawHash;
    const buffered = postingInserts.get(seen.id);
    // One row is written by at most one part of a flush (a statement updating a row twice keeps only one of the writes).
    if (buffered) buffered.raw_hash = seen.raw_hash;
    else if (rawHash !== undefined || rawHashLearnt.has(seen.id)) {
      rawHashLearnt.set(seen.id, seen.raw_hash);
      touchedPostings.delete(seen.id);
    } else touchedPostings.add(seen.id);
    touchJob(seen.job_id);
  }

  async function flush(): Promise<void> {
    if (jobInserts.length + postingInserts.size + bandInserts.size + touchedPostings.size + rawHashLearnt.size + touchedJobs.size === 0) return;
    const values: unknown[] = [now];
    const $ = (v: unknown): string => `$${values.push(v)}`;
    const parts: string[] = [];
    // One statement; the rows a CTE inserts are checked against their foreign keys at its end.
    if (jobInserts.length > 0) {
      parts.push(`jobs_in AS (
        INSERT INTO jobs (id, title, company, location, description, published, salary_min, salary_max, salary_currency,
          salary_period, annual_min, annual_max, arrangement, remote_regions, seniority, role, tags, content_hash,
          company_key, title_key, first_seen, last_seen)
        SELECT x.id, x.title, x.company, x.location, x.description, x.published, x.salary_min, x.salary_max, x.salary_currency,
          x.salary_period, x.annual_min, x.annual_max, x.arrangement, x.remote_regions::jsonb, x.seniority, x.role, x.tags::jsonb,
          x.content_hash, x.company_key, x.title_key, $1, $1
        FROM jsonb_to_recordset(${$(JSON.stringify(jobInserts))}::jsonb) AS x(id bigint, title text, company text, location text,
          description text, published bigint, salary_min double precision, salary_max double precision, salary_currency text,
          salary_period text, annual_min double precision, annual_max double precision, arrangement text, remote_regions text,
          seniority text, role text, tags text, content_hash text, company_key text, title_key text))`);
    }
    if (postingInserts.size > 0) {
      parts.push(`postings_in AS (
        INSERT INTO postings (id, job_id, feed, source_id, url, canonical_url, content_hash, raw_hash, first_seen, last_seen)
        SELECT x.id, x.job_id, x.feed, x.source_id, x.url, x.canonical_url, x.content_hash, x.raw_hash, $1, $1
        FROM jsonb_to_recordset(${$(JSON.stringify([...postingInserts.values()]))}::jsonb) AS x(id bigint, job_id bigint, feed text,
          source_id text, url text, canonical_url text, content_hash text, raw_hash text))`);
    }
    if (bandInserts.size > 0) {
      const rows = [...bandInserts.values()];
      parts.push(`bands_in AS (
        INSERT INTO job_fingerprints (band_key, job_id)
        SELECT * FROM unnest(${$(rows.map((r) => r[0]))}::bigint[], ${$(rows.map((r) => r[1]))}::bigint[])
        ON CONFLICT DO NOTHING)`);
    }
    // Sighting times: rows in ascending id order, the order other workers lock them in too, which
    // makes a deadlock between two batches touching the same jobs rarer.
    if (touchedPostings.size > 0) {
      parts.push(`postings_seen AS (
        UPDATE postings SET last_seen = greatest(last_seen, $1) WHERE id = ANY(${$([...touchedPostings].sort((a, b) => a - b))}::bigint[]))`);
    }
    if (rawHashLearnt.size > 0) {
      const rows = [...rawHashLearnt].sort((a, b) => a[0] - b[0]);
      parts.push(`postings_learnt AS (
        UPDATE postings p SET last_seen = greatest(p.last_seen, $1), raw_hash = t.raw_hash
        FROM unnest(${$(rows.map((r) => r[0]))}::bigint[], ${$(rows.map((r) => r[1]))}::text[]) AS t(id, raw_hash)
        WHERE p.id = t.id)`);
    }
    if (touchedJobs.size > 0) {
      parts.push(`jobs_seen AS (
        UPDATE jobs SET last_seen = greatest(last_seen, $1) WHERE id = ANY(${$([...touchedJobs].sort((a, b) => a - b))}::bigint[]))`);
    }
    jobInserts.length = 0;
    bufferedJobs.clear();
    postingInserts.clear();
    bandInserts.clear();
    touchedPostings.clear();
    rawHashLearnt.clear();
    touchedJobs.clear();
    await client.query(`WITH ${parts.join(',\n')}\nSELECT 1 WHERE $1::bigint IS NOT NULL`, values);
  }

  function writeFingerprint(jobId: number, posting: Posting): void {
    for (const band of fingerprintOf(posting).bands) {
      bandInserts.set(`${band}:${jobId}`, [band, jobId]);
      bandsWritten.add(band);
    }
  }

  function noteKeys(companyKey: string | null, titleKey: string | null): void {
    if (companyKey !== null && titleKey !== null) keysWritten.add(dedupeKey(companyKey, titleKey));
  }

  async function insertPosting(jobId: number, posting: HashedPosting, hash: string): Promise<void> {
    const row: KnownPosting = {
      id: await nextId(postingIds),
      job_id: jobId,
      feed: posting.feed,
      source_id: posting.sourceId,
      url: posting.url,
      canonical_url: posting.canonicalUrl,
      content_hash: hash,
      raw_hash: posting.rawHash ?? null,
    };
    postingInserts.set(row.id, row);
    known.set(sourceKey(row.feed, row.source_id), { ...row });
    // The earliest sighting of a URL names its job: a URL no sighting had now has this one.
    if (row.canonical_url !== '' && urlJob.has(row.canonical_url) && urlJob.get(row.canonical_url) === null) urlJob.set(row.canonical_url, jobId);
  }

  /** The posting's content becomes the job's, and so does its fingerprint (the buffer is flushed first). */
  async function updateJob(jobId: number, posting: Posting, hash: string): Promise<void> {
    await flush();
    const p = jobParams(posting, hash);
    await client.query(
      `WITH updated AS (
         UPDATE jobs SET title = $2, company = $3, location = $4, description = $5, published = $6, salary_min = $7,
           salary_max = $8, salary_currency = $9, salary_period = $10, annual_min = $11, annual_max = $12, arrangement = $13,
           remote_regions = $14::jsonb, seniority = $15, role = $16, tags = $17::jsonb, content_hash = $18, company_key = $19,
           title_key = $20, last_seen = greatest(last_seen, $21)
         WHERE id = $1)
       DELETE FROM job_fingerprints WHERE job_id = $1`,
      [
        jobId, p.title, p.company, p.location, p.description, p.published, p.salary_min, p.salary_max, p.salary_currency,
        p.salary_period, p.annual_min, p.annual_max, p.arrangement, p.remote_regions, p.seniority, p.role, p.tags,
        p.content_hash, p.company_key, p.title_key, now,
      ],
    );
    noteKeys(p.company_key, p.title_key);
    writeFingerprint(jobId, posting);
  }

  /** A job first seen without a company learns it from a sighting that names it. */
  async function fillCompany(jobId: number, company: string, companyKey: string): Promise<void> {
    await flush();
    if (!locks.all) {
      // This changes the job's dedupe key, which other workers weigh under its title-key lock.
      const res = await client.query<{ title_key: string | null }>('SELECT title_key FROM jobs WHERE id = $1 AND company IS NULL', [jobId]);
      const row = res.rows[0];
      if (!row) return;
      if (row.title_key !== null) await lockTitleKey(client, locks, row.title_key);
    }
    const res = await client.query<{ title_key: string | null }>(
      'UPDATE jobs SET company = $1, company_key = $2 WHERE id = $3 AND company IS NULL RETURNING title_key',
      [company, companyKey, jobId],
    );
    if (res.rows[0]) noteKeys(companyKey, res.rows[0].title_key);
  }

  async function jobIdByCanonicalUrl(url: string): Promise<number | null> {
    const cached = urlJob.get(url);
    if (cached !== undefined) return cached;
    await flush();
    const res = await client.query<{ job_id: number }>('SELECT job_id FROM postings WHERE canonical_url = $1 ORDER BY id LIMIT 1', [url]);
    const id = res.rows[0]?.job_id ?? null;
    urlJob.set(url, id);
    return id;
  }

  /** The exact port of findExistingJob (../jobs.ts): same order, same candidates, same judgement. */
  async function findExistingJob(posting: Posting, live: ReadonlySet<string> = new Set()): Promise<ExistingJob | null> {
    freshLeft = Math.max(0, freshLeft - 1);
    if (posting.canonicalUrl !== '') {
      const id = await jobIdByCanonicalUrl(posting.canonicalUrl);
      if (id !== null) return { id, via: 'url', repost: false };
    }
    const keys = keysOf(posting);
    if (keys.titleKey === null) return null;
    const published = toMs(posting.published);
    const seenAt = published === null ? now : Math.min(published, now);
    const since = seenAt - DEDUPE_WINDOW_MS;

    const judge = (job: Candidate, via: 'key' | 'text'): ExistingJob | null =>
      judgeCandidate(posting, job, () => JSON.parse(job.same_feed) as string[], live, via);
    // The source ids each candidate has in the posting's feed come in the same query.
    const SAME_FEED = `(SELECT coalesce(json_agg(p.source_id), '[]'::json) FROM postings p WHERE p.job_id = jobs.id AND p.feed = $1)::text AS same_feed`;

    if (keys.companyKey !== null) {
      const key = dedupeKey(keys.companyKey, keys.titleKey);
      if (keysPresent.has(key) || keysWritten.has(key)) {
        await flush();
        const res = await client.query<Candidate>(
          `SELECT ${CANDIDATE_COLUMNS}, ${SAME_FEED} FROM jobs
           WHERE company_key = $2 AND title_key = $3 AND last_seen >= $4
           ORDER BY last_seen DESC, id DESC LIMIT ${MAX_KEY_CANDIDATES}`,
          [posting.feed, keys.companyKey, keys.titleKey, since],
        );
        // Of several openings that could be this posting's job, the one stated at the same place.
        let first: ExistingJob | null = null;
        for (const job of res.rows) {
          const found = judge(job, 'key');
          if (found && samePlaceText(job.location, posting.location)) return found;
          first ??= found;
        }
        if (first) return first;
      }
    }
    const print = fingerprintOf(posting);
    if (print.bands.some((b) => bandsPresent.has(b) || bandsWritten.has(b))) {
      await flush();
      const res = await client.query<Candidate>(
        `SELECT ${CANDIDATE_COLUMNS}, ${SAME_FEED} FROM jobs
         WHERE id IN (SELECT job_id FROM job_fingerprints WHERE band_key = ANY($2::bigint[])) AND last_seen >= $3
         ORDER BY last_seen DESC, id DESC LIMIT ${MAX_KEY_CANDIDATES}`,
        [posting.feed, print.bands, since],
      );
      for (const job of res.rows) {
        if (job.title_key !== keys.titleKey) continue;
        // Two companies: the same one was judged on keys above, two different ones are two employers.
        if (keys.companyKey !== null && job.company_key !== null) continue;
        const text = shingles(job.description);
        if (text.size < MIN_SHINGLES || similarity(print.shingles, text) < SAME_TEXT_SIMILARITY) continue;
        const found = judge(job, 'text');
        if (found) return found;
      }
    }
    return null;
  }

  return {
    findPosting: (feed, sourceId) => known.get(sourceKey(feed, sourceId)) ?? null,
    findExistingJob,
    async insertJob(posting, hash) {
      const id = await nextId(jobIds);
      const params = jobParams(posting, hash);
      jobInserts.push({ ...params, id });
      bufferedJobs.add(id);
      noteKeys(params.company_key, params.title_key);
      await insertPosting(id, posting, hash);
      writeFingerprint(id, posting);
      return id;
    },
    async attachPosting(jobId, posting, hash, update) {
      await insertPosting(jobId, posting, hash);
      if (update) await updateJob(jobId, posting, hash);
      else touchJob(jobId);
      const company = keysOf(posting).companyKey;
      if (!update && posting.company !== null && company !== null) await fillCompany(jobId, posting.company, company);
    },
    async refreshPosting(seen, posting, hash) {
      const contentChanged = seen.content_hash !== hash;
      const linkChanged = seen.url !== posting.url || seen.canonical_url !== posting.canonicalUrl;
      const rawHash = posting.rawHash ?? null;
      if (!contentChanged && !linkChanged) {
        touchSighting(seen, seen.raw_hash === rawHash ? undefined : rawHash);
        return 'unchanged';
      }
      await flush();
      await client.query(
        'UPDATE postings SET url = $1, canonical_url = $2, content_hash = $3, raw_hash = $4, last_seen = greatest(last_seen, $5) WHERE id = $6',
        [posting.url, posting.canonicalUrl, hash, rawHash, now, seen.id],
      );
      // Which sighting of a URL comes first may have changed: those URLs are read again when asked.
      urlJob.delete(seen.canonical_url);
      urlJob.delete(posting.canonicalUrl);
      Object.assign(seen, { url: posting.url, canonical_url: posting.canonicalUrl, content_hash: hash, raw_hash: rawHash });
      // The latest edit of any sighting is the freshest word on the job (see ../jobs.ts).
      if (contentChanged) await updateJob(seen.job_id, posting, hash);
      else touchJob(seen.job_id);
      return 'updated';
    },
    touchSighting,
    flush,
  };
}
