/**
 * `run --dry-run` on PostgreSQL: what SQLite's VACUUM INTO copy is for a file. The user's tables
 * are copied, in one snapshot, into a schema of their own in the same database
 * (jobalert_dry_run_<random>); the dry run's store works there alone (its connections' search_path
 * names only that schema), so nothing it records reaches the real tables, and the schema is dropped
 * at the end.
 *
 * Why a schema and not one transaction rolled back at the end: the store runs on a pool of
 * connections and commits a transaction per ingest, claim and mark, so there is no one transaction
 * to roll back. Why not a new database: CREATE DATABASE ... TEMPLATE needs the source without
 * other connections, which a running daemon holds.
 *
 * A dry run killed before it could drop its schema (kill -9, a lost connection) leaves it behind:
 * each dry run holds a session advisory lock named after its schema for as long as it runs, and the
 * next dry run drops every jobalert_dry_run_ schema whose lock is free.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import { DatabaseError, JobAlertError } from '../../core/errors.js';
import { describeDatabase } from '../../core/database-url.js';
import { migratePg, pgSchemaVersion, PG_MIGRATIONS, MIGRATIONS_TABLE } from './migrations.js';
import { pgDatabaseError } from './pg-errors.js';
import { createPgPool } from './pool.js';

/** The prefix of a dry run's schema; the rest is random. */
export const DRY_RUN_SCHEMA_PREFIX = 'jobalert_dry_run_';

/** A dry run's copy of the database: the schema to work in, and its removal. */
export interface PgDryRunCopy {
  /** The schema holding the copy; a store opened with it as `schema` sees the copy alone. */
  schema: string;
  /** Tables copied and rows in each, for the log. */
  copied: Record<string, number>;
  /** Drops the schema and lets its lock go; safe to call twice. */
  drop(): Promise<void>;
}

/** Options of copyForDryRun. */
export interface PgDryRunOptions {
  /** Where PGPASSWORD is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told of leftover schemas of dead dry runs dropped on the way. */
  onLeftover?: (schema: string) => void;
}

/**
 * Copies the database of `url` (the tables of its current schema, as jobalert's migrations made
 * them) into a new schema. A database jobalert never used gives an empty schema (the store then
 * creates its tables there). Problems are DatabaseError naming the database as it may be printed.
 */
export async function copyForDryRun(url: string, opts: PgDryRunOptions = {}): Promise<PgDryRunCopy> {
  const shown = describeDatabase(url);
  const schema = `${DRY_RUN_SCHEMA_PREFIX}${crypto.randomBytes(6).toString('hex')}`;
  const env = opts.env ? { env: opts.env } : {};
  // One connection held for the whole dry run: its session lock says "this schema is in use".
  const keeperPool = createPgPool(url, { ...env, max: 1, applicationName: 'jobalert dry run' });
  let keeper: pg.PoolClient | null = null;
  let created = false;
  const drop = async (): Promise<void> => {
    try {
      if (keeper && created) await keeper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      // Ending the session also releases its advisory lock.
      keeper?.release(true);
      keeper = null;
      await keeperPool.end().catch(() => {});
    }
  };
  try {
    keeper = await keeperPool.connect();
    await keeper.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [schema]);
    await dropLeftovers(keeper, opts.onLeftover);
    const version = await pgSchemaVersion(keeper);
    if (version > PG_MIGRATIONS.length) {
      throw new JobAlertError(
        `the PostgreSQL database is at schema version ${version}, newer than this jobalert understands (${PG_MIGRATIONS.length}); upgrade jobalert`,
      );
    }
    const source = (await keeper.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s;
    if (!source) throw new JobAlertError('the connection has no current schema (search_path names none that exists)');
    try {
      await keeper.query(`CREATE SCHEMA ${schema}`);
    } catch (err) {
      if ((err as { code?: unknown }).code === '42501') {
        throw new DatabaseError(shown, 'read-only', `database ${shown}: run --dry-run works on a copy in a schema of its own, dropped at the end, and this user may not create one; grant it CREATE on the database (GRANT CREATE ON DATABASE ... TO ...)`, { cause: err });
      }
      throw err;
    }
    created = true;
    const copied = version === 0 ? {} : await copyTables(url, env, source, schema, version);
    const copy: PgDryRunCopy = { schema, copied, drop };
    return copy;
  } catch (err) {
    await drop().catch(() => {});
    throw pgDatabaseError(shown, err);
  }
}

/**
 * Drops the schemas of dry runs that are gone: no session holds their lock. A live dry run's lock
 * is held, so its schema stays.
 */
async function dropLeftovers(client: pg.PoolClient, onLeftover: ((schema: string) => void) | undefined): Promise<void> {
  const res = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1) ORDER BY nspname", [DRY_RUN_SCHEMA_PREFIX]);
  for (const { nspname } of res.rows) {
    if (!/^[a-z0-9_]+$/.test(nspname)) continue;
    const free = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [nspname]);
    if (!free.rows[0]?.ok) continue;
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
      onLeftover?.(nspname);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [nspname]);
    }
  }
}

/**
 * Builds the schema as jobalert's migrations built the source (up to its version, so the store
 * then migrates the copy as it would the original), and copies every table in one snapshot.
 */
async function copyTables(url: string, env: { env?: NodeJS.ProcessEnv }, source: string, schema: string, version: number): Promise<Record<string, number>> {
  const pool = createPgPool(url, { ...env, max: 1, applicationName: 'jobalert dry run', schema });
  try {
    await migratePg(pool, PG_MIGRATIONS.slice(0, version));
    const client = await pool.connect();
    try {
      // One snapshot for every table: the daemon may be writing meanwhile.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const copied: Record<string, number> = {};
      for (const table of await tablesInOrder(client, schema)) {
        const cols = await client.query<{ c: string }>(
          `SELECT quote_ident(a.column_name) AS c FROM information_schema.columns a
           JOIN information_schema.columns b ON b.table_schema = $2 AND b.table_name = a.table_name AND b.column_name = a.column_name
           WHERE a.table_schema = $1 AND a.table_name = $3 ORDER BY a.ordinal_position`,
          [schema, source, table],
        );
        const list = cols.rows.map((r) => r.c).join(', ');
        const t = quoteIdent(table);
        const res = await client.query(`INSERT INTO ${schema}.${t} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${quoteIdent(source)}.${t}`);
        copied[table] = res.rowCount ?? 0;
        // Identities go on from the copied ids, as they would in the original.
        const identities = await client.query<{ c: string }>(
          "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_identity = 'YES'",
          [schema, table],
        );
        for (const { c } of identities.rows) {
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quoteIdent(c)}) FROM ${schema}.${t}), 0) + 1, false)`,
            [`${schema}.${t}`, c],
          );
        }
      }
      await client.query('COMMIT');
      return copied;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  } finally {
    await pool.end().catch(() => {});
  }
}

/** The schema's tables (migrations' own aside), each after the tables its foreign keys name. */
async function tablesInOrder(client: pg.PoolClient, schema: string): Promise<string[]> {
  const res = await client.query<{ t: string; refs: string[] }>(
    `SELECT c.relname::text AS t,
            coalesce(array_agg(DISTINCT r.relname::text) FILTER (WHERE r.relname IS NOT NULL AND r.relname <> c.relname), '{}') AS refs
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f'
     LEFT JOIN pg_class r ON r.oid = k.confrelid
     WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relname <> $2
     GROUP BY c.relname ORDER BY c.relname`,
    [schema, MIGRATIONS_TABLE],
  );
  const pending = new Map(res.rows.map((r) => [r.t, r.refs]));
  const out: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, refs]) => refs.every((r) => !pending.has(r)));
    if (ready.length === 0) throw new JobAlertError(`the tables ${[...pending.keys()].join(', ')} refer to each other in a cycle; the dry run cannot copy them`);
    for (const [t] of ready) {
      out.push(t);
      pending.delete(t);
    }
  }
  return out;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
