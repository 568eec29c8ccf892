/**
 * Reading a PostgreSQL database without writing to it (backtest): one connection, one READ ONLY
 * REPEATABLE READ transaction for the whole read, so the counts and the jobs streamed after them
 * are one snapshot while the daemon goes on writing; no migration, no lock but the snapshot's.
 * Jobs come in keyset pages on the index jobs_first_seen, in the order SQLite's read gives them.
 */
import type pg from 'pg';
import type { StoredJob } from '../../core/types.js';
import { DatabaseError } from '../../core/errors.js';
import { describeDatabase } from '../../core/database-url.js';
import { rowToJob, type JobRow } from '../jobs.js';
import type { ReadOnlyStore } from '../read-only.js';
import { pgSchemaVersion, PG_MIGRATIONS } from './migrations.js';
import { pgDatabaseError } from './pg-errors.js';
import { PG_JOB_COLUMNS } from './pg-sql.js';
import { createPgPool, type PgPoolOptions } from './pool.js';

/**
 * Opens the database of `url` for reading; null when jobalert never wrote to it (no schema yet).
 * A schema of another jobalert version is a DatabaseError, as for SQLite.
 */
export async function openPgReadOnlyStore(url: string, pageSize: number, opts: PgPoolOptions = {}): Promise<ReadOnlyStore | null> {
  const shown = describeDatabase(url);
  const pool = createPgPool(url, { ...opts, max: 1 });
  let client: pg.PoolClient | null = null;
  try {
    client = await pool.connect();
    // READ ONLY: the server itself refuses any write, whatever this code does.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const version = await pgSchemaVersion(client);
    if (version === 0) {
      await release(pool, client);
      return null;
    }
    if (version !== PG_MIGRATIONS.length) {
      const why =
        version > PG_MIGRATIONS.length
          ? `was written by a newer jobalert (schema ${version}, this one knows ${PG_MIGRATIONS.length}); upgrade jobalert`
          : `has an older schema (${version} of ${PG_MIGRATIONS.length}); run this jobalert once (jobalert check) to upgrade it, then try again`;
      throw new DatabaseError(shown, 'other', `database ${shown} ${why}`);
    }
  } catch (err) {
    if (client) await release(pool, client);
    else await pool.end().catch(() => {});
    throw pgDatabaseError(shown, err);
  }
  const c = client;
  let closed: Promise<void> | null = null;
  return {
    location: shown,
    async countJobs(sinceMs) {
      const res = await c
        .query<{ since: number; all: number }>('SELECT (SELECT count(*) FROM jobs WHERE first_seen >= $1) AS since, (SELECT count(*) FROM jobs) AS "all"', [sinceMs])
        .catch((err: unknown) => Promise.reject(pgDatabaseError(shown, err)));
      return { since: res.rows[0]!.since, all: res.rows[0]!.all };
    },
    async *jobsFirstSeenSince(sinceMs) {
      // Keyset pages rather than one result: memory stays one page whatever the range holds.
      let after: { firstSeen: number; id: number } | null = null;
      for (;;) {
        const res: pg.QueryResult<JobRow> = await c
          .query<JobRow>(
            after
              ? `SELECT ${PG_JOB_COLUMNS} FROM jobs j WHERE (j.first_seen, j.id) > ($1::bigint, $2::bigint) ORDER BY j.first_seen, j.id LIMIT $3`
              : `SELECT ${PG_JOB_COLUMNS} FROM jobs j WHERE j.first_seen >= $1::bigint ORDER BY j.first_seen, j.id LIMIT $2`,
            after ? [after.firstSeen, after.id, pageSize] : [sinceMs, pageSize],
          )
          .catch((err: unknown) => Promise.reject(pgDatabaseError(shown, err)));
        if (res.rows.length > 0) yield res.rows.map(rowToJob);
        const last = res.rows.at(-1);
        if (!last || res.rows.length < pageSize) return;
        after = { firstSeen: last.first_seen, id: last.id };
      }
    },
    close() {
      closed ??= release(pool, c);
      return closed;
    },
  };
}

/** Ends the read-only transaction and the pool; a connection that broke meanwhile is simply dropped. */
async function release(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  let broken = false;
  await client.query('ROLLBACK').catch(() => (broken = true));
  client.release(broken);
  await pool.end().catch(() => {});
}
