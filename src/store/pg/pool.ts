/**
 * The connection pool to a PostgreSQL database named by a postgres:// URL. The password comes
 * from the URL (when it was built from ${VAR} in the config) or from PGPASSWORD, which the `pg`
 * driver reads itself; it is never logged: what is printed of the URL goes through redactUrl.
 *
 * Values are read back as the SQLite store reads them, so the same row mapping serves both:
 * bigint (ids, epoch-ms times, band keys) as JS numbers, json/jsonb as JSON text.
 */
import pg from 'pg';
import { describeDatabase, isPostgresUrl } from '../../core/database-url.js';

/** Options of createPgPool. */
export interface PgPoolOptions {
  /** Most connections this process opens (default 10). */
  max?: number;
  /** Shown in pg_stat_activity, to tell the workers apart (default "jobalert"). */
  applicationName?: string;
  /** How long to wait for a connection before failing (default 10 s). */
  connectionTimeoutMs?: number;
  /**
   * Told of each error on an idle connection (the server restarted, an administrator ended the
   * backend, the network dropped), with the database as it may be printed; the pool drops that
   * connection and opens another when next needed. Default: one line on stderr (idleErrorLine).
   */
  onIdleError?: (err: Error, database: string) => void;
  /** Where PGPASSWORD is read when the URL has no password (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * The one schema every connection works in (its search_path), instead of the database's own:
   * a dry run's copy (pg-dry-run.ts). Letters, digits and "_" only.
   */
  schema?: string;
}

const OID_INT8 = 20;
const OID_JSON = 114;
const OID_JSONB = 3802;

/** Builds a pg.Pool for a postgres:// URL; nothing connects until the first query. */
export function createPgPool(url: string, opts: PgPoolOptions = {}): pg.Pool {
  if (!isPostgresUrl(url)) throw new TypeError(`expected a postgres:// or postgresql:// URL, got ${JSON.stringify(describeDatabase(url))}`);
  const pool = new pg.Pool({
    connectionString: withSchema(withEnvPassword(url, opts.env ?? process.env), opts.schema),
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'jobalert',
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
    types: { getTypeParser: typeParser } as pg.CustomTypesConfig,
  });
  const shown = describeDatabase(url);
  const onIdleError = opts.onIdleError ?? ((err: Error, database: string) => void process.stderr.write(`${idleErrorLine(err, database)}\n`));
  // Without a listener an idle connection's error (server restart) would crash the process; a
  // listener that throws would too, so whatever it does stays here.
  pool.on('error', (err) => {
    try {
      onIdleError(err, shown);
    } catch {
      // Telling of a dropped idle connection must never be what stops jobalert.
    }
  });
  return pool;
}

/** What to say of an idle connection's error, on one line: the database (password as ***), the server's reason and its code. */
export function idleErrorLine(err: Error, database: string): string {
  const code = (err as { code?: unknown }).code;
  const reason = err.message.replace(/\s+/g, ' ').trim();
  return `PostgreSQL connection to ${database} lost while idle (${typeof code === 'string' ? `${code}: ` : ''}${reason}); a new one is opened when needed`;
}

/**
 * The URL with PGPASSWORD as its password when it has none. Put in the URL because the driver lets
 * the URL's (empty) password win over a `password` option; the result is only handed to the driver.
 */
function withEnvPassword(url: string, env: NodeJS.ProcessEnv): string {
  const password = env.PGPASSWORD;
  if (!password) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.password !== '' || u.searchParams.has('password')) return url;
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * The URL with `-c search_path=SCHEMA` added to its startup options, so every connection of the pool,
 * new ones included, works in that schema alone. In the URL because the driver lets the URL's
 * `options` win over an `options` setting; any options the URL already had are kept before it.
 */
function withSchema(url: string, schema: string | undefined): string {
  if (schema === undefined) return url;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new TypeError(`schema ${JSON.stringify(schema)}: expected lower-case letters, digits and "_"`);
  const u = new URL(url);
  const given = u.searchParams.get('options');
  u.searchParams.set('options', `${given ? `${given} ` : ''}-c search_path=${schema}`);
  return u.toString();
}

// pg.types.getTypeParser is overloaded by format; this one only overrides text-format parsers.
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (format === undefined || format === 'text') {
    if (oid === OID_INT8) return parseInt8;
    if (oid === OID_JSON || oid === OID_JSONB) return (value) => value;
  }
  return pg.types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
}

/** bigint as a JS number; a value a double cannot hold exactly is an error rather than a silently different number. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} is beyond what jobalert reads exactly (2^53)`);
  return n;
}
