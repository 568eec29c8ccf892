/**
 * Jobs and their postings. A job is the thing alerted; a posting is one sighting of it
 * (one feed's item, keyed by (feed, source id)). Dedupe decides which job a posting belongs to:
 * see findExistingJob.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SENIORITY_LEVELS } from '../core/types.js';
import type { Arrangement, Posting, SalaryPeriod, Seniority, StoredJob } from '../core/types.js';
import { bandKeys, MIN_SHINGLES, SAME_TEXT_SIMILARITY, shingles, similarity } from '../dedupe/fingerprint.js';
import { DEDUPE_WINDOW_MS, dedupeKeys } from '../dedupe/job-key.js';
import type { DedupeKeys } from '../dedupe/job-key.js';
import { whyDifferentJobs } from '../dedupe/same-job.js';
import type { JobFacts } from '../dedupe/same-job.js';

/** The stored state of one posting, as dedupe needs it. */
export interface PostingRow {
  id: number;
  job_id: number;
  url: string;
  canonical_url: string;
  content_hash: string;
  raw_hash: string | null;
}

/**
 * A posting with the hash of what its source said before converting and normalizing
 * (src/pipeline/item-hash.ts), stored on its sighting so the next poll can skip that work;
 * null or absent: not to be skipped (a posting whose normalizing depended on the clock).
 */
export interface HashedPosting extends Posting {
  rawHash?: string | null;
}

/** The job a new posting was recognized as, and how. */
export interface ExistingJob {
  id: number;
  /**
   * 'url': the same canonical URL; 'key': the same company and title, compatible terms, within 30
   * days; 'text': the same title and a near-identical description (at least one side has no company).
   */
  via: 'url' | 'key' | 'text';
  /**
   * A re-post by the same source: the job already has a sighting in this posting's feed and the
   * posting is newer than the job. Its fields are the freshest word on the job.
   */
  repost: boolean;
}

/** At most this many same-key (or same-fingerprint) jobs are weighed for one posting (the most recently seen first). */
export const MAX_KEY_CANDIDATES = 20;

/** What a candidate job is judged on: the columns whyDifferentJobs and the text check read. */
export const CANDIDATE_COLUMNS = `id, title, company, location, description, arrangement, remote_regions,
  seniority, published, tags, salary_min, salary_max, salary_currency, salary_period, company_key, title_key`;

/**
 * The fuzzy dedupe lookup: one equality probe of the index jobs_dedupe_key (company_key, title_key),
 * the window filtered on the few rows sharing the key, newest first; the terms checks (level,
 * place, employment type, pay) then run in JavaScript on those. Parameters: company key, title
 * key, the earliest last_seen that is still within the window.
 */
export const JOBS_BY_KEY_SQL = `
  SELECT ${CANDIDATE_COLUMNS} FROM jobs
  WHERE company_key = ? AND title_key = ? AND last_seen >= ?
  ORDER BY last_seen DESC, id DESC LIMIT ${MAX_KEY_CANDIDATES}`;

/**
 * The content-fingerprint lookup: the jobs sharing at least one band key (title key + a band of
 * the description's MinHash signature, src/dedupe/fingerprint.ts) with the posting, by the primary
 * key of job_fingerprints, within the window. Parameters: the band keys as a JSON array, the
 * earliest last_seen within the window.
 */
export const JOBS_BY_FINGERPRINT_SQL = `
  SELECT ${CANDIDATE_COLUMNS} FROM jobs
  WHERE id IN (SELECT job_id FROM job_fingerprints WHERE band_key IN (SELECT value FROM json_each(?)))
    AND last_seen >= ?
  ORDER BY last_seen DESC, id DESC LIMIT ${MAX_KEY_CANDIDATES}`;

/** A candidate job weighed for a posting. */
export interface CandidateRow {
  id: number;
  title: string;
  company: string | null;
  location: string | null;
  description: string;
  arrangement: string;
  remote_regions: string;
  seniority: string | null;
  published: number | null;
  tags: string;
  salary_min: number | null;
  salary_max: number | null;
  salary_currency: string | null;
  salary_period: string | null;
  company_key: string | null;
  title_key: string | null;
}

/** A jobs row with its sightings aggregated, as selected by JOB_COLUMNS. */
export interface JobRow {
  id: number;
  title: string;
  company: string | null;
  location: string | null;
  description: string;
  published: number | null;
  salary_min: number | null;
  salary_max: number | null;
  salary_currency: string | null;
  salary_period: string | null;
  annual_min: number | null;
  annual_max: number | null;
  arrangement: string;
  remote_regions: string;
  seniority: string | null;
  role: string | null;
  tags: string;
  first_seen: number;
  last_seen: number;
  /** JSON: [[feed, source_id, url, canonical_url], ...] in sighting order. */
  sightings: string;
}

/**
 * The columns of a job read back, for `FROM jobs j`. Sightings come from one correlated
 * subquery (indexed by postings(job_id, id)), so reading N jobs is one statement, not N + 1.
 */
export const JOB_COLUMNS = `
  j.id, j.title, j.company, j.location, j.description, j.published,
  j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.annual_min, j.annual_max,
  j.arrangement, j.remote_regions, j.seniority, j.role, j.tags, j.first_seen, j.last_seen,
  (SELECT json_group_array(json_array(p.feed, p.source_id, p.url, p.canonical_url) ORDER BY p.id)
     FROM postings p WHERE p.job_id = j.id) AS sightings`;

/** Job and posting reads and writes; the building blocks of ingest. */
export interface JobRepo {
  /** The posting already stored for this (feed, source id), if any. */
  findPosting(feed: string, sourceId: string): PostingRow | null;
  /**
   * The job a not-yet-seen posting belongs to (seen at `now`), or null when it is a new job.
   * `live`: the source ids of the posting's feed in the same poll (those still in the feed).
   */
  findExistingJob(posting: Posting, now: number, live?: ReadonlySet<string>): ExistingJob | null;
  /** Inserts a new job and its first posting; returns the job id. */
  insertJob(posting: HashedPosting, hash: string, now: number): number;
  /** Records a posting as another sighting of an existing job; with `update`, its fields also become the job's (else it only fills a missing company). */
  attachPosting(jobId: number, posting: HashedPosting, hash: string, now: number, opts?: { update: boolean }): void;
  /** A known posting was seen again: records an edit on the posting and its job, or just the sighting time. */
  refreshPosting(seen: PostingRow, posting: HashedPosting, hash: string, now: number): 'updated' | 'unchanged';
  /** A known posting was seen again as it was (its raw hash unchanged): only the sighting time, as refreshPosting does for an unchanged one. */
  touchSighting(seen: PostingRow, now: number): void;
  /** The raw hashes stored for a feed's sightings, each with its source id: one query per poll. */
  rawHashes(feed: string): Map<string, string>;
  /** Reads jobs by id, in id order, in one query. */
  readJobs(ids: readonly number[]): StoredJob[];
  /** The job with this canonical URL, or with a sighting at this exact URL. */
  findJobByUrl(url: string): StoredJob | null;
  /** Streams every job, oldest first. */
  exportJobs(): IterableIterator<StoredJob>;
}

/** Prepares the job statements once for this connection. */
export function createJobRepo(db: Database.Database): JobRepo {
  const postingBySource = db.prepare<[string, string], PostingRow>(
    'SELECT id, job_id, url, canonical_url, content_hash, raw_hash FROM postings WHERE feed = ? AND source_id = ?',
  );
  const rawHashesOfFeed = db
    .prepare<[string], [string, string]>('SELECT raw_hash, source_id FROM postings WHERE feed = ? AND raw_hash IS NOT NULL')
    .raw();
  const jobIdByCanonicalUrl = db
    .prepare<[string], number>('SELECT job_id FROM postings WHERE canonical_url = ? ORDER BY id LIMIT 1')
    .pluck();
  const jobsByKey = db.prepare<[string, string, number], CandidateRow>(JOBS_BY_KEY_SQL);
  const jobsByFingerprint = db.prepare<[string, number], CandidateRow>(JOBS_BY_FINGERPRINT_SQL);
  const sourceIdsInFeed = db
    .prepare<[number, string], string>('SELECT source_id FROM postings WHERE job_id = ? AND feed = ?')
    .pluck();
  const insertBand = db.prepare<[number, number]>('INSERT OR IGNORE INTO job_fingerprints (band_key, job_id) VALUES (?, ?)');
  const deleteBands = db.prepare<[number]>('DELETE FROM job_fingerprints WHERE job_id = ?');
  const insertJobRow = db.prepare<[JobParams]>(`
    INSERT INTO jobs (title, company, location, description, published, salary_min, salary_max,
      salary_currency, salary_period, annual_min, annual_max, arrangement, remote_regions, seniority,
      role, tags, content_hash, company_key, title_key, first_seen, last_seen)
    VALUES (@title, @company, @location, @description, @published, @salary_min, @salary_max,
      @salary_currency, @salary_period, @annual_min, @annual_max, @arrangement, @remote_regions, @seniority,
      @role, @tags, @content_hash, @company_key, @title_key, @now, @now)`);
  const updateJobRow = db.prepare<[JobParams & { id: number }]>(`
    UPDATE jobs SET title = @title, company = @company, location = @location, description = @description,
      published = @published, salary_min = @salary_min, salary_max = @salary_max,
      salary_currency = @salary_currency, salary_period = @salary_period, annual_min = @annual_min,
      annual_max = @annual_max, arrangement = @arrangement, remote_regions = @remote_regions,
      seniority = @seniority, role = @role, tags = @tags, content_hash = @content_hash,
      company_key = @company_key, title_key = @title_key, last_seen = max(last_seen, @now)
    WHERE id = @id`);
  const touchJob = db.prepare<[number, number]>('UPDATE jobs SET last_seen = max(last_seen, ?) WHERE id = ?');
  const fillCompany = db.prepare<[string, string, number]>('UPDATE jobs SET company = ?, company_key = ? WHERE id = ? AND company IS NULL');
  const insertPostingRow = db.prepare<[PostingParams]>(`
    INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, raw_hash, first_seen, last_seen)
    VALUES (@job_id, @feed, @source_id, @url, @canonical_url, @content_hash, @raw_hash, @now, @now)`);
  const updatePostingRow = db.prepare<[string, string, string, string | null, number, number]>(
    'UPDATE postings SET url = ?, canonical_url = ?, content_hash = ?, raw_hash = ?, last_seen = max(last_seen, ?) WHERE id = ?',
  );
  const touchPosting = db.prepare<[number, number]>('UPDATE postings SET last_seen = max(last_seen, ?) WHERE id = ?');
  // An unchanged posting whose raw form is new (the first poll since raw hashes were kept, or an
  // edit that normalizes to the same content) learns its raw hash.
  const touchPostingHash = db.prepare<[number, string | null, number]>('UPDATE postings SET last_seen = max(last_seen, ?), raw_hash = ? WHERE id = ?');
  const jobsByIds = db.prepare<[string], JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id IN (SELECT value FROM json_each(?)) ORDER BY j.id`,
  );
  const jobById = db.prepare<[number], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = ?`);
  const jobIdByAnyUrl = db
    .prepare<[string, string], number>(
      // UNION ALL of two indexed lookups rather than one OR, so each side uses its own index
      `SELECT job_id FROM (
         SELECT job_id, id FROM postings WHERE canonical_url = ?
         UNION ALL
         SELECT job_id, id FROM postings WHERE url = ?
       ) ORDER BY id LIMIT 1`,
    )
    .pluck();

  /**
   * In order: the same canonical URL from any feed (an empty one never matches: a source without
   * links would merge unrelated jobs); then the same company key and title key; then, when either
   * side has no company, the same title key and a near-identical description (a fingerprint band
   * in common, then the exact text similarity). Candidates are jobs last seen no more than 30 days
   * before this posting was published (or now, when it has no date, or a date in the future), and
   * a candidate is taken only when nothing keeps them apart (whyDifferentJobs: level, place,
   * employment type, pay, legal entity) and it is not live in the same feed under another id
   * (two ids listed in one poll of one feed are two jobs, whatever they share). The (feed, source
   * id) lookup comes first, in ingest.
   */
  function findExistingJob(posting: Posting, now: number, live: ReadonlySet<string> = new Set()): ExistingJob | null {
    if (posting.canonicalUrl !== '') {
      const id = jobIdByCanonicalUrl.get(posting.canonicalUrl);
      if (id !== undefined) return { id, via: 'url', repost: false };
    }
    const keys = keysOf(posting);
    if (keys.titleKey === null) return null;
    const published = toMs(posting.published);
    const seenAt = published === null ? now : Math.min(published, now);
    const since = seenAt - DEDUPE_WINDOW_MS;

    const judge = (job: CandidateRow, via: 'key' | 'text'): ExistingJob | null =>
      judgeCandidate(posting, job, () => sourceIdsInFeed.all(job.id, posting.feed), live, via);

    if (keys.companyKey !== null) {
      // Of several openings that could be this posting's job, the one stated at the same place.
      let first: ExistingJob | null = null;
      for (const job of jobsByKey.all(keys.companyKey, keys.titleKey, since)) {
        const found = judge(job, 'key');
        if (found && samePlaceText(job.location, posting.location)) return found;
        first ??= found;
      }
      if (first) return first;
    }
    const print = fingerprintOf(posting);
    if (print.bands.length > 0) {
      for (const job of jobsByFingerprint.all(JSON.stringify(print.bands), since)) {
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

  function writeFingerprint(jobId: number, posting: Posting): void {
    for (const band of fingerprintOf(posting).bands) insertBand.run(band, jobId);
  }

  function insertJob(posting: HashedPosting, hash: string, now: number): number {
    const jobId = Number(insertJobRow.run({ ...jobParams(posting, hash), now }).lastInsertRowid);
    insertPosting(jobId, posting, hash, now);
    writeFingerprint(jobId, posting);
    return jobId;
  }

  function attachPosting(jobId: number, posting: HashedPosting, hash: string, now: number, opts = { update: false }): void {
    insertPosting(jobId, posting, hash, now);
    if (opts.update) updateJob(jobId, posting, hash, now);
    else touchJob.run(now, jobId);
    // A job first seen on a board that names no company learns it from the sighting that does.
    const company = keysOf(posting).companyKey;
    if (!opts.update && posting.company !== null && company !== null) fillCompany.run(posting.company, company, jobId);
  }

  /** The posting's content becomes the job's, and so does its fingerprint. */
  function updateJob(jobId: number, posting: Posting, hash: string, now: number): void {
    updateJobRow.run({ ...jobParams(posting, hash), now, id: jobId });
    deleteBands.run(jobId);
    writeFingerprint(jobId, posting);
  }

  function insertPosting(jobId: number, posting: HashedPosting, hash: string, now: number): void {
    insertPostingRow.run({
      job_id: jobId,
      feed: posting.feed,
      source_id: posting.sourceId,
      url: posting.url,
      canonical_url: posting.canonicalUrl,
      content_hash: hash,
      raw_hash: posting.rawHash ?? null,
      now,
    });
  }

  function refreshPosting(seen: PostingRow, posting: HashedPosting, hash: string, now: number): 'updated' | 'unchanged' {
    const contentChanged = seen.content_hash !== hash;
    const linkChanged = seen.url !== posting.url || seen.canonical_url !== posting.canonicalUrl;
    const rawHash = posting.rawHash ?? null;
    if (!contentChanged && !linkChanged) {
      if (seen.raw_hash === rawHash) touchPosting.run(now, seen.id);
      else touchPostingHash.run(now, rawHash, seen.id);
      touchJob.run(now, seen.job_id);
      return 'unchanged';
    }
    updatePostingRow.run(posting.url, posting.canonicalUrl, hash, rawHash, now, seen.id);
    // The latest edit of any sighting is the freshest word on the job (a title fix, a salary
    // added). Per-sighting hashes mean a board that never changes never overwrites it back.
    if (contentChanged) updateJob(seen.job_id, posting, hash, now);
    else touchJob.run(now, seen.job_id);
    return 'updated';
  }

  function touchSighting(seen: PostingRow, now: number): void {
    touchPosting.run(now, seen.id);
    touchJob.run(now, seen.job_id);
  }

  function rawHashes(feed: string): Map<string, string> {
    return new Map(rawHashesOfFeed.all(feed));
  }

  function readJobs(ids: readonly number[]): StoredJob[] {
    if (ids.length === 0) return [];
    return jobsByIds.all(JSON.stringify(ids)).map(rowToJob);
  }

  function findJobByUrl(url: string): StoredJob | null {
    if (url === '') return null;
    const jobId = jobIdByAnyUrl.get(url, url);
    if (jobId === undefined) return null;
    const row = jobById.get(jobId);
    return row ? rowToJob(row) : null;
  }

  function* exportJobs(): IterableIterator<StoredJob> {
    // Prepared per call: an open iterator keeps its statement busy, so one shared statement
    // would make a second export running at the same time throw.
    const all = db.prepare<[], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs j ORDER BY j.first_seen, j.id`);
    for (const row of all.iterate()) yield rowToJob(row);
  }

  return {
    findPosting: (feed, sourceId) => postingBySource.get(feed, sourceId) ?? null,
    findExistingJob,
    insertJob,
    attachPosting,
    refreshPosting,
    touchSighting,
    rawHashes,
    readJobs,
    findJobByUrl,
    exportJobs,
  };
}

/**
 * Whether a stored candidate is the posting's job (null: two jobs), as both stores judge it.
 * `sameFeed`: the candidate's source ids in the posting's feed, asked for only when the facts agree.
 */
export function judgeCandidate(posting: Posting, job: CandidateRow, sameFeed: () => readonly string[], live: ReadonlySet<string>, via: 'key' | 'text'): ExistingJob | null {
  if (whyDifferentJobs(posting, candidateFacts(job)) !== null) return null;
  const ids = sameFeed();
  // Listed side by side in one feed under different ids: the source says they are two jobs.
  if (ids.some((id) => live.has(id))) return null;
  const published = toMs(posting.published);
  const newer = published !== null && (job.published === null || published > job.published);
  return { id: job.id, via, repost: newer && ids.length > 0 };
}

/** A stable digest of a posting's content (not its links), to tell an edit from a re-poll. */
export function contentHash(posting: Posting): string {
  const s = posting.salary;
  const content = [
    posting.title,
    posting.company,
    posting.location,
    posting.description,
    toMs(posting.published),
    s ? [s.min, s.max, s.currency, s.period] : null,
    posting.annualMin,
    posting.annualMax,
    posting.arrangement,
    posting.remoteRegions,
    posting.seniority,
    posting.role,
    posting.tags,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}

/** Turns a row selected with JOB_COLUMNS into a StoredJob. */
export function rowToJob(row: JobRow): StoredJob {
  const sightings = JSON.parse(row.sightings) as [string, string, string, string][];
  // A job is inserted with its first posting in one transaction, so there is always one.
  const [feed, sourceId, url, canonicalUrl] = sightings[0] ?? ['', '', '', ''];
  return {
    id: row.id,
    feed,
    sourceId,
    url,
    canonicalUrl,
    title: row.title,
    company: row.company,
    location: row.location,
    description: row.description,
    published: fromMs(row.published),
    salary:
      row.salary_period === null
        ? null
        : {
            min: row.salary_min,
            max: row.salary_max,
            currency: row.salary_currency,
            period: row.salary_period as SalaryPeriod,
          },
    annualMin: row.annual_min,
    annualMax: row.annual_max,
    arrangement: row.arrangement as Arrangement,
    remoteRegions: JSON.parse(row.remote_regions) as string[],
    seniority: isSeniority(row.seniority) ? row.seniority : null,
    role: row.role,
    tags: JSON.parse(row.tags) as string[],
    firstSeen: new Date(row.first_seen),
    lastSeen: new Date(row.last_seen),
    urls: unique(sightings.map((s) => s[2])),
    feeds: unique(sightings.map((s) => s[0])),
    links: firstLinkPerFeed(sightings),
  };
}

// One link per feed (its first sighting there): what an alert's "also on" points at.
function firstLinkPerFeed(sightings: readonly [string, string, string, string][]): { feed: string; url: string }[] {
  const byFeed = new Map<string, string>();
  for (const [feed, , url] of sightings) if (!byFeed.has(feed)) byFeed.set(feed, url);
  return [...byFeed].map(([feed, url]) => ({ feed, url }));
}

/** A Date as epoch milliseconds; null for no date or an invalid one. */
export function toMs(date: Date | null): number | null {
  if (date === null) return null;
  const ms = date.getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch milliseconds as a Date; null stays null. */
export function fromMs(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** A jobs row as written, `now` being first_seen (on insert) and last_seen. */
export interface JobParams {
  title: string;
  company: string | null;
  location: string | null;
  description: string;
  published: number | null;
  salary_min: number | null;
  salary_max: number | null;
  salary_currency: string | null;
  salary_period: string | null;
  annual_min: number | null;
  annual_max: number | null;
  arrangement: string;
  remote_regions: string;
  seniority: string | null;
  role: string | null;
  tags: string;
  content_hash: string;
  company_key: string | null;
  title_key: string | null;
  now: number;
}

interface PostingParams {
  job_id: number;
  feed: string;
  source_id: string;
  url: string;
  canonical_url: string;
  content_hash: string;
  raw_hash: string | null;
  now: number;
}

// Keys are needed twice for a new job (lookup, then insert) and cost a few regex passes: computed
// once per posting object, and again only if its title, company or location changed since.
const postingKeys = new WeakMap<Posting, { from: [string, string | null, string | null]; keys: DedupeKeys }>();

/** The posting's dedupe keys (company key, title key), computed once per posting object. */
export function keysOf(p: Posting): DedupeKeys {
  const cached = postingKeys.get(p);
  if (cached && cached.from[0] === p.title && cached.from[1] === p.company && cached.from[2] === p.location) return cached.keys;
  const keys = dedupeKeys(p);
  postingKeys.set(p, { from: [p.title, p.company, p.location], keys });
  return keys;
}

// The description's shingles and band keys, once per posting object (lookup, then insert).
const postingPrints = new WeakMap<Posting, { from: [string, string]; print: { shingles: Set<number>; bands: number[] } }>();

/** The posting's description shingles and band keys, computed once per posting object. */
export function fingerprintOf(p: Posting): { shingles: Set<number>; bands: number[] } {
  const titleKey = keysOf(p).titleKey ?? '';
  const cached = postingPrints.get(p);
  if (cached && cached.from[0] === titleKey && cached.from[1] === p.description) return cached.print;
  const set = shingles(p.description);
  const print = { shingles: set, bands: bandKeys(titleKey, set) };
  postingPrints.set(p, { from: [titleKey, p.description], print });
  return print;
}

/** The same location text, case and outer blanks aside (of several candidates, the one stated at the same place wins). */
export function samePlaceText(a: string | null, b: string | null): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
}

/** A candidate row as the facts whyDifferentJobs reads. */
export function candidateFacts(job: CandidateRow): JobFacts {
  return {
    title: job.title,
    company: job.company,
    location: job.location,
    description: job.description,
    arrangement: job.arrangement as Arrangement,
    remoteRegions: JSON.parse(job.remote_regions) as string[],
    tags: JSON.parse(job.tags) as string[],
    seniority: isSeniority(job.seniority) ? job.seniority : null,
    salary:
      job.salary_period === null
        ? null
        : { min: job.salary_min, max: job.salary_max, currency: job.salary_currency, period: job.salary_period as SalaryPeriod },
  };
}

/** The jobs columns of a posting (its content hash and dedupe keys included). */
export function jobParams(p: Posting, hash: string): Omit<JobParams, 'now'> {
  const keys = keysOf(p);
  return {
    title: p.title,
    company: p.company,
    location: p.location,
    description: p.description,
    published: toMs(p.published),
    salary_min: p.salary?.min ?? null,
    salary_max: p.salary?.max ?? null,
    salary_currency: p.salary?.currency ?? null,
    salary_period: p.salary?.period ?? null,
    annual_min: p.annualMin,
    annual_max: p.annualMax,
    arrangement: p.arrangement,
    remote_regions: JSON.stringify(p.remoteRegions),
    seniority: p.seniority,
    role: p.role,
    tags: JSON.stringify(p.tags),
    content_hash: hash,
    company_key: keys.companyKey,
    title_key: keys.titleKey,
  };
}

function isSeniority(value: string | null): value is Seniority {
  return value !== null && (SENIORITY_LEVELS as readonly string[]).includes(value);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
