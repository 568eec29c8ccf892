/**
 * What the PostgreSQL store's modules share: the connection type they query through, transactions
 * (retried when the server aborted them for a deadlock), and the job columns read back in the
 * shape the SQLite store reads them, so rowToJob and toAlert (../jobs.ts, ../outbox.ts) serve both.
 */
import type pg from 'pg';
import { ALERT_DESCRIPTION_CHARS } from '../outbox.js';

/** A pool or one of its clients: anything a single statement can run on. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** What the store's modules run on: single statements, and a connection of their own for a transaction (a pg.Pool, or the store's wrapper of it). */
export interface PgConnections extends Queryable {
  connect(): Promise<pg.PoolClient>;
}

/**
 * A job's sightings as JSON text [[feed, source_id, url, canonical_url], ...] in sighting order,
 * exactly what SQLite's json_group_array gives rowToJob.
 */
const SIGHTINGS = `(SELECT coalesce(json_agg(json_build_array(p.feed, p.source_id, p.url, p.canonical_url) ORDER BY p.id), '[]'::json)
     FROM postings p WHERE p.job_id = j.id) AS sightings`;

/** JOB_COLUMNS (../jobs.ts) in PostgreSQL: the columns of a job read back, for `FROM jobs j`. */
export const PG_JOB_COLUMNS = `
  j.id, j.title, j.company, j.location, j.description, j.published,
  j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.annual_min, j.annual_max,
  j.arrangement, j.remote_regions, j.seniority, j.role, j.tags, j.first_seen, j.last_seen,
  ${SIGHTINGS}`;

/** The job columns an alert renders: PG_JOB_COLUMNS with a bounded prefix of the description (substr counts characters, as in SQLite). */
export const PG_ALERT_JOB_COLUMNS = `
  j.id, j.title, j.company, j.location, substr(j.description, 1, ${ALERT_DESCRIPTION_CHARS}) AS description, j.published,
  j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.annual_min, j.annual_max,
  j.arrangement, j.remote_regions, j.seniority, j.role, j.tags, j.first_seen, j.last_seen,
  ${SIGHTINGS}`;

/**
 * SQLSTATEs of a transaction the server aborted only because of another one (deadlock, serialization
 * failure, a unique key another transaction took first): running it again is correct.
 */
const RETRYABLE = new Set(['40P01', '40001', '23505']);

/** How many times a transaction aborted by a deadlock is run again before the error is thrown. */
const MAX_ATTEMPTS = 5;

/** True when `err` is a PostgreSQL error that running the transaction again would clear. */
export function isRetryablePgError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs fn in one transaction on one client of the pool. When the server aborts it for a deadlock
 * (or a serialization failure) it is rolled back and run again from the start, unless fn says
 * (canRetry() false) it already did something that must not happen twice, such as calling back
 * into the caller.
 */
export async function inTransaction<T>(pool: PgConnections, fn: (client: pg.PoolClient) => Promise<T>, canRetry: () => boolean = () => true): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    for (let attempt = 1; ; attempt++) {
      // READ COMMITTED whatever the database's default: each statement must see what the
      // transactions it waited for (advisory locks) committed, which one snapshot per
      // transaction (REPEATABLE READ) would hide.
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      try {
        const value = await fn(client);
        await client.query('COMMIT');
        return value;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // A connection that cannot even roll back is not given back to the pool; the first error is what to report.
          broken = true;
          throw err;
        }
        if (attempt >= MAX_ATTEMPTS || !isRetryablePgError(err) || !canRetry()) throw err;
        // A short random pause, so the two transactions that deadlocked do not meet again at once.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  } finally {
    client.release(broken);
  }
}

/**
 * Text without NUL characters, which PostgreSQL text and jsonb cannot hold (SQLite can), for what
 * reaches the store without passing through normalize (which strips them from postings, see
 * src/normalize/nul.ts): error messages quoting a server's or a parser's words, HTTP validators,
 * alert reasons quoting a rule's words from the config, a URL typed on the command line. One stray
 * NUL there must not make the write fail; dropped, as no reader could show it.
 */
export function pgText<T extends string | null | undefined>(s: T): T {
  return (typeof s === 'string' && s.includes('\u0000') ? s.replaceAll('\u0000', '') : s) as T;
}
