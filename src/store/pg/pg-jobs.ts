/**
 * Reading jobs from PostgreSQL: by id, by URL, all of them a page at a time, and a feed's raw
 * hashes. Rows come back in the shape of the SQLite store's (PG_JOB_COLUMNS), so rowToJob maps them.
 */
import type pg from 'pg';
import type { StoredJob } from '../../core/types.js';
import { rowToJob, type JobRow } from '../jobs.js';
import { PG_JOB_COLUMNS, type PgConnections, type Queryable } from './pg-sql.js';

/** How many jobs one page of exportJobs reads: a bounded memory whatever the table holds. */
export const EXPORT_PAGE_SIZE = 200;

/** Reads jobs by id, in id order, in one query. */
export async function readJobs(db: Queryable, ids: readonly number[]): Promise<StoredJob[]> {
  if (ids.length === 0) return [];
  const res = await db.query<JobRow>(`SELECT ${PG_JOB_COLUMNS} FROM jobs j WHERE j.id = ANY($1::bigint[]) ORDER BY j.id`, [ids]);
  return res.rows.map(rowToJob);
}

/** The job with this canonical URL, or with a sighting at this exact URL (the earliest sighting's job), in one query. */
export async function findJobByUrl(db: Queryable, url: string): Promise<StoredJob | null> {
  if (url === '') return null;
  // UNION ALL of two indexed lookups rather than one OR, so each side uses its own index.
  const res = await db.query<JobRow>(
    `SELECT ${PG_JOB_COLUMNS} FROM jobs j
     WHERE j.id = (SELECT s.job_id FROM (
         SELECT job_id, id FROM postings WHERE canonical_url = $1
         UNION ALL
         SELECT job_id, id FROM postings WHERE url = $1
       ) s ORDER BY s.id LIMIT 1)`,
    [url],
  );
  const row = res.rows[0];
  return row ? rowToJob(row) : null;
}

/** The raw hashes stored for a feed's sightings (hash -> source id), in source id order as SQLite reads them (a shared hash keeps the last). */
export async function rawHashes(db: Queryable, feed: string): Promise<Map<string, string>> {
  const res = await db.query<{ raw_hash: string; source_id: string }>(
    'SELECT raw_hash, source_id FROM postings WHERE feed = $1 AND raw_hash IS NOT NULL ORDER BY source_id COLLATE "C"',
    [feed],
  );
  return new Map(res.rows.map((r) => [r.raw_hash, r.source_id]));
}

/**
 * Every job, oldest first (first_seen, id), read by keyset pages of EXPORT_PAGE_SIZE: no cursor
 * holds a connection or a transaction open between pages, so writes go on meanwhile (a job first
 * seen after the export began may or may not be listed, as with any live table).
 */
export async function* exportJobs(pool: PgConnections, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<StoredJob> {
  let after: { firstSeen: number; id: number } | null = null;
  for (;;) {
    const res: pg.QueryResult<JobRow> = after
      ? await pool.query<JobRow>(
          `SELECT ${PG_JOB_COLUMNS} FROM jobs j WHERE (j.first_seen, j.id) > ($1::bigint, $2::bigint) ORDER BY j.first_seen, j.id LIMIT $3`,
          [after.firstSeen, after.id, pageSize],
        )
      : await pool.query<JobRow>(`SELECT ${PG_JOB_COLUMNS} FROM jobs j ORDER BY j.first_seen, j.id LIMIT $1`, [pageSize]);
    for (const row of res.rows) yield rowToJob(row);
    const last = res.rows.at(-1);
    if (!last || res.rows.length < pageSize) return;
    after = { firstSeen: last.first_seen, id: last.id };
  }
}
