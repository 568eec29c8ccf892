/**
 * Copying an SQLite database into an empty PostgreSQL one (`jobalert migrate --to`): every table
 * that holds state, in one PostgreSQL transaction (a failure leaves the target as it was), in
 * batches of a few megabytes (json_populate_recordset: one round trip per batch, not per row),
 * read from one SQLite snapshot, the next batch built while PostgreSQL writes the last. Foreign
 * keys are checked once at the end rather than per row. Ids are kept, so each identity sequence
 * is moved past them.
 *
 * Both schemas have the same tables and columns (src/store/pg/migrations.ts); the columns copied
 * are PostgreSQL's, and a table or column one side has and the other lacks stops the copy before
 * anything is written (a schema step added on one side only must not lose data silently).
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { JobAlertError } from '../../core/errors.js';
import { pgText } from './pg-sql.js';

/** The tables copied, parents before children (foreign keys). */
export const COPIED_TABLES = ['jobs', 'postings', 'job_fingerprints', 'feeds', 'outbox'] as const;
/** One of the copied tables. */
export type CopiedTable = (typeof COPIED_TABLES)[number];

/**
 * Columns not copied but cleared: a claim on an alert or a lease on a feed belongs to a process of
 * the old database, which will never release it in the new one (it would only delay the first run).
 */
const CLEARED: Partial<Record<CopiedTable, readonly string[]>> = {
  outbox: ['claimed_by', 'claim_until'],
  feeds: ['lease_until', 'leased_by'],
};

/** Rows per statement at most, and JSON bytes per statement at most (whichever comes first). */
const BATCH_ROWS = 5000;
const BATCH_BYTES = 8 * 1024 * 1024;

/** Options of copySqliteToPg. */
export interface CopyOptions {
  /** Delete what the target's jobalert tables hold first (in the same transaction) instead of refusing a non-empty target. */
  replace?: boolean;
  /** Told after each batch is written (progress; tests use it to break the copy midway). */
  onBatch?: (table: CopiedTable, copied: number) => void | Promise<void>;
  /** "Now", for telling live claims and leases from lapsed ones (default Date.now()). */
  now?: number;
}

/** What was copied. */
export interface CopyReport {
  rows: Record<CopiedTable, number>;
  outbox: { pending: number; sent: number; failed: number; digest: number };
  feeds: { withValidators: number; failing: number };
  /** Claims and leases that had not lapsed in the source: a jobalert may still have been running on it. */
  liveClaims: number;
  liveLeases: number;
  /** Text values that held NUL characters (PostgreSQL text cannot), copied without them. */
  nulStripped: number;
  /** What the target held before (non-zero only with replace). */
  replaced: Record<CopiedTable, number>;
}

/** The target already holds jobalert data: migrate copies into an empty database only. */
export class TargetNotEmptyError extends JobAlertError {
  readonly counts: Record<CopiedTable, number>;
  constructor(counts: Record<CopiedTable, number>) {
    super(`it already holds ${describeCounts(counts)}`);
    this.name = 'TargetNotEmptyError';
    this.counts = counts;
  }
}

/**
 * Copies every table of the open, migrated SQLite database `db` into the PostgreSQL database of
 * `pool`, which must be migrated to the current schema (migratePg) and hold no jobalert rows
 * (TargetNotEmptyError), unless `replace`. One PostgreSQL transaction; one SQLite read snapshot.
 */
export async function copySqliteToPg(db: Database.Database, pool: pg.Pool, opts: CopyOptions = {}): Promise<CopyReport> {
  const now = opts.now ?? Date.now();
  const client = await pool.connect();
  let broken = false;
  // A connection lost midway is also told as an 'error' event, which would otherwise crash the
  // process; the failing query reports it.
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  // A read transaction: every table is read as of one moment, even if a jobalert writes meanwhile.
  db.exec('BEGIN');
  try {
    await client.query('BEGIN');
    try {
      const report = await copyAll(db, client, now, opts);
      await client.query('COMMIT');
      return report;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    }
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    client.off('error', onError);
    client.release(broken);
  }
}

async function copyAll(db: Database.Database, client: pg.PoolClient, now: number, opts: CopyOptions): Promise<CopyReport> {
  const columns = await checkSchemas(db, client);
  // No one writes the tables while they are checked, emptied and filled (a worker on the target waits).
  await client.query(`LOCK TABLE ${COPIED_TABLES.join(', ')} IN EXCLUSIVE MODE`);
  const held = await countRows(client);
  const replaced = zeroCounts();
  if (Object.values(held).some((n) => n > 0)) {
    if (!opts.replace) throw new TargetNotEmptyError(held);
    await client.query(`TRUNCATE ${COPIED_TABLES.join(', ')}`);
    Object.assign(replaced, held);
  }

  const foreignKeys = await dropForeignKeys(client);

  const report: CopyReport = {
    rows: zeroCounts(),
    outbox: { pending: 0, sent: 0, failed: 0, digest: 0 },
    feeds: { withValidators: 0, failing: 0 },
    liveClaims: 0,
    liveLeases: 0,
    nulStripped: 0,
    replaced,
  };
  const tally: Record<CopiedTable, (row: Record<string, unknown>) => void> = {
    jobs: () => {},
    postings: () => {},
    job_fingerprints: () => {},
    feeds: (row) => {
      if (row.etag !== null || row.last_modified !== null) report.feeds.withValidators++;
      if ((row.consecutive_errors as number) > 0) report.feeds.failing++;
      if (row.leased_by !== null && typeof row.lease_until === 'number' && row.lease_until > now) report.liveLeases++;
    },
    outbox: (row) => {
      report.outbox[row.status as 'pending' | 'sent' | 'failed']++;
      if (row.status === 'pending' && row.digest !== null) report.outbox.digest++;
      if (row.claimed_by !== null && typeof row.claim_until === 'number' && row.claim_until > now) report.liveClaims++;
    },
  };

  for (const table of COPIED_TABLES) {
    const cols = columns.get(table)!;
    const cleared = new Set(CLEARED[table] ?? []);
    const insert = `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')})
      SELECT ${cols.map((c) => c.name).join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`;
    let batch: string[] = [];
    let bytes = 0;
    let inFlight: Promise<unknown> | null = null;
    let copied = 0;
    // One batch is built while the previous one is written: reading SQLite and PostgreSQL's work overlap.
    const flush = async (): Promise<void> => {
      if (inFlight) await inFlight;
      inFlight = null;
      if (batch.length === 0) return;
      const n = batch.length;
      inFlight = client.query(insert, [`[${batch.join(',')}]`]).then(async () => {
        copied += n;
        await opts.onBatch?.(table, copied);
      });
      batch = [];
      bytes = 0;
    };
    for (const raw of db.prepare(`SELECT ${cols.map((c) => c.name).join(', ')} FROM ${table}`).iterate() as IterableIterator<Record<string, unknown>>) {
      tally[table](raw);
      const row: Record<string, unknown> = {};
      for (const col of cols) {
        const value = cleared.has(col.name) ? null : raw[col.name];
        row[col.name] = convert(value, col, table, report);
      }
      const json = JSON.stringify(row);
      batch.push(json);
      bytes += json.length;
      if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
    }
    await flush();
    await flush();
    report.rows[table] = copied;
  }

  // Checked here once per constraint (one join), not once per row copied.
  for (const fk of foreignKeys) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.definition}`);

  // Ids were copied as they were: the next id drawn must come after the largest one.
  for (const table of COPIED_TABLES) {
    const identity = columns.get(table)!.find((c) => c.identity);
    if (!identity) continue;
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${identity.name}) FROM ${table}), 0) + 1, false)`,
      [table, identity.name],
    );
  }
  return report;
}

/** A foreign key as pg_get_constraintdef gives it, to be added again as it was. */
interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

/**
 * Drops the foreign keys of the copied tables (inside the copy's transaction, so a failure puts them
 * back) when this user owns the tables: checked row by row they made the copy about three times
 * slower (each check also locks the referenced job row). Without ownership they stay, and are checked per row.
 */
async function dropForeignKeys(client: pg.PoolClient): Promise<ForeignKey[]> {
  const res = await client.query<ForeignKey & { owned: boolean }>(
    `SELECT c.relname AS table, k.conname AS name, pg_get_constraintdef(k.oid) AS definition, pg_has_role(c.relowner, 'USAGE') AS owned
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
     WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])
     ORDER BY c.relname, k.conname`,
    [[...COPIED_TABLES]],
  );
  if (res.rows.length === 0 || !res.rows.every((r) => r.owned)) return [];
  for (const fk of res.rows) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  return res.rows.map(({ table, name, definition }) => ({ table, name, definition }));
}

/** A PostgreSQL column: its name, whether it is jsonb, and whether it draws ids from a sequence. */
interface PgColumn {
  name: string;
  json: boolean;
  identity: boolean;
}

/** A value as PostgreSQL takes it: text without NUL, JSON text parsed (its strings without NUL). */
function convert(value: unknown, col: PgColumn, table: string, report: CopyReport): unknown {
  if (typeof value !== 'string') return value ?? null;
  if (col.json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new JobAlertError(`${table}.${col.name} holds text that is not JSON (${JSON.stringify(value.slice(0, 60))}); the SQLite database was changed by something other than jobalert`);
    }
    return value.includes('\\u0000') ? stripJson(parsed, report) : parsed;
  }
  if (!value.includes('\u0000')) return value;
  report.nulStripped++;
  return pgText(value);
}

/** JSON with NUL characters removed from every string in it. */
function stripJson(value: unknown, report: CopyReport): unknown {
  if (typeof value === 'string') {
    if (!value.includes('\u0000')) return value;
    report.nulStripped++;
    return pgText(value);
  }
  if (Array.isArray(value)) return value.map((v) => stripJson(v, report));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [pgText(k), stripJson(v, report)]));
  return value;
}

/**
 * The PostgreSQL columns of every copied table, after checking that both databases have the same
 * tables and, per table, the same column names: a difference is a jobalert bug, said before any write.
 */
async function checkSchemas(db: Database.Database, client: pg.PoolClient): Promise<Map<CopiedTable, PgColumn[]>> {
  const sqliteTables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .pluck()
    .all();
  const unknown = sqliteTables.filter((t) => !(COPIED_TABLES as readonly string[]).includes(t));
  if (unknown.length) throw new JobAlertError(`the SQLite database has tables this jobalert does not copy (${unknown.join(', ')}); nothing was copied`);
  const res = await client.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ANY($1::text[]) ORDER BY table_name, ordinal_position`,
    [[...COPIED_TABLES]],
  );
  const out = new Map<CopiedTable, PgColumn[]>();
  for (const table of COPIED_TABLES) {
    const pgCols = res.rows.filter((r) => r.table_name === table).map((r) => ({ name: r.column_name, json: r.data_type === 'jsonb' || r.data_type === 'json', identity: r.is_identity === 'YES' }));
    const sqliteCols = (db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name);
    const onlyPg = pgCols.filter((c) => !sqliteCols.includes(c.name)).map((c) => c.name);
    const onlySqlite = sqliteCols.filter((c) => !pgCols.some((p) => p.name === c));
    if (pgCols.length === 0 || sqliteCols.length === 0 || onlyPg.length || onlySqlite.length) {
      const diff = [onlySqlite.length ? `only SQLite has ${onlySqlite.join(', ')}` : '', onlyPg.length ? `only PostgreSQL has ${onlyPg.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      throw new JobAlertError(`table ${table} differs between the two databases (${diff || 'missing on one side'}); nothing was copied`);
    }
    out.set(table, pgCols);
  }
  return out;
}

/** Rows per copied table in the target. */
async function countRows(client: pg.PoolClient): Promise<Record<CopiedTable, number>> {
  const res = await client.query<Record<CopiedTable, number>>(`SELECT ${COPIED_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`);
  const row = res.rows[0]!;
  const out = zeroCounts();
  for (const t of COPIED_TABLES) out[t] = Number(row[t]);
  return out;
}

function zeroCounts(): Record<CopiedTable, number> {
  return { jobs: 0, postings: 0, job_fingerprints: 0, feeds: 0, outbox: 0 };
}

/** "3 jobs, 5 sightings, 1 feed": the non-zero counts, in user words. */
export function describeCounts(counts: Record<CopiedTable, number>): string {
  const parts = COPIED_TABLES.filter((t) => counts[t] > 0).map((t) => plural(counts[t], TABLE_WORDS[t]));
  return parts.length ? parts.join(', ') : 'nothing';
}

/** What each table holds, in the words the output uses. */
export const TABLE_WORDS: Record<CopiedTable, string> = {
  jobs: 'job',
  postings: 'sighting',
  job_fingerprints: 'fingerprint',
  feeds: 'feed',
  outbox: 'alert',
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
