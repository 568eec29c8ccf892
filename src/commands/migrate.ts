/**
 * `jobalert migrate --to postgres://... [--from FILE] [--replace]`: copies an SQLite database (the
 * config's `database:`, or --from) into an empty PostgreSQL database, in one transaction, and says
 * what it copied. The SQLite file is brought to the current schema first, as `run` would.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { interpolate, loadConfig, resolveConfigPath } from '../config/load.js';
import { DatabaseError, JobAlertError } from '../core/errors.js';
import { databaseUrlProblem, describeDatabase, hasWrittenPassword, isDatabaseUrl, isPostgresUrl } from '../core/database-url.js';
import { databaseError, openDatabase } from '../store/db.js';
import { MIGRATIONS } from '../store/migrations.js';
import { copySqliteToPg, TargetNotEmptyError, type CopyReport } from '../store/pg/copy-sqlite.js';
import { migratePg } from '../store/pg/migrations.js';
import { pgDatabaseError } from '../store/pg/pg-errors.js';
import { createPgPool } from '../store/pg/pool.js';
import { CommandError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from './exit.js';

/** Options of `jobalert migrate`. */
export interface MigrateOptions {
  to: string;
  from?: string;
  config?: string;
  replace?: boolean;
}

/** Where migrateCommand writes and what it reads (the process's by default). */
export interface MigrateIo {
  out?: (s: string) => void;
  err?: (s: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** Copies the SQLite database into the PostgreSQL one; returns the exit code (problems are thrown as CommandError). */
export async function migrateCommand(opts: MigrateOptions, io: MigrateIo = {}): Promise<number> {
  const out = io.out ?? ((s: string) => void process.stdout.write(s));
  const err = io.err ?? ((s: string) => void process.stderr.write(s));
  const env = io.env ?? process.env;
  const url = targetUrl(opts.to, env);
  const shown = describeDatabase(url);
  const file = sourceFile(opts, env);

  const before = schemaVersion(file);
  if (before === 0) throw new CommandError(`${file} is not a jobalert database (no jobalert tables in it); nothing to copy`, EXIT_USAGE);
  if (before > MIGRATIONS.length) {
    // openDatabase refuses it too; said here before anything connects to the target.
    throw new CommandError(`database ${file} was written by a newer jobalert (schema ${before}, this one knows ${MIGRATIONS.length}); migrate it with that jobalert`, EXIT_RUNTIME);
  }
  const started = performance.now();
  // The normal open: verified (quick_check), and an older schema upgraded in place, as `run` does.
  const db = openCommandDatabase(file);
  const pool = createPgPool(url, { max: 1, env, applicationName: 'jobalert migrate' });
  try {
    try {
      await migratePg(pool);
    } catch (e) {
      throw new CommandError(pgDatabaseError(shown, e).message, EXIT_RUNTIME);
    }
    let report: CopyReport;
    try {
      report = await copySqliteToPg(db, pool, { replace: Boolean(opts.replace) });
    } catch (e) {
      if (e instanceof TargetNotEmptyError) {
        throw new CommandError(
          `${shown} is not empty: ${e.message}. migrate copies into an empty database only: give --to a new database (createdb), or add --replace to delete what it holds and copy in its place`,
          EXIT_USAGE,
        );
      }
      const why = e instanceof JobAlertError && !(e instanceof DatabaseError) ? e.message : pgDatabaseError(shown, e).message;
      throw new CommandError(`${why}; nothing was copied (the transaction was rolled back)`, EXIT_RUNTIME);
    }
    const seconds = (performance.now() - started) / 1000;
    out(formatReport({ file, shown, before, report, seconds }));
    if (report.liveClaims || report.liveLeases) {
      err(
        `warning: ${file} had ${[report.liveClaims ? `${report.liveClaims} alert claim${report.liveClaims === 1 ? '' : 's'}` : '', report.liveLeases ? `${report.liveLeases} feed lease${report.liveLeases === 1 ? '' : 's'}` : ''].filter(Boolean).join(' and ')} not lapsed yet: ` +
          'a jobalert may still be running on it, and what it does from now on is not in the copy; stop it, then migrate again with --replace\n',
      );
    }
    return EXIT_OK;
  } finally {
    await pool.end().catch(() => {});
    db.close();
  }
}

/**
 * The --to URL, its ${VAR} references replaced. A password written in it is refused: the command
 * line of a process is visible to every user of the machine (`ps`) and stays in shell history.
 */
function targetUrl(to: string, env: NodeJS.ProcessEnv): string {
  if (!isPostgresUrl(to)) {
    const what = isDatabaseUrl(to) ? `a ${describeDatabase(to)} URL` : JSON.stringify(to);
    throw new CommandError(`--to needs a postgres:// URL (postgres://user@host:5432/database), got ${what}`, EXIT_USAGE);
  }
  if (hasWrittenPassword(to)) {
    throw new CommandError(
      '--to has a password written in it, which every user of this machine can read (ps) and your shell history keeps; ' +
        "leave it out and set PGPASSWORD in the environment, or write it as ${VAR} in single quotes: --to 'postgres://user:${DB_PASSWORD}@host/db'",
      EXIT_USAGE,
    );
  }
  const { value, problems } = interpolate(to.trim(), env);
  if (problems.length) throw new CommandError(`--to: ${problems.join('; ')}`, EXIT_USAGE);
  const problem = databaseUrlProblem(value);
  if (problem) throw new CommandError(`--to: ${problem}`, EXIT_USAGE);
  return value;
}

/** The SQLite file to copy: --from, else the config's database:, which must exist. */
function sourceFile(opts: MigrateOptions, env: NodeJS.ProcessEnv): string {
  const given = opts.from !== undefined;
  const database = given ? opts.from!.trim() : loadConfig(resolveConfigPath(opts.config, env), env).database;
  const where = given ? '--from' : 'the config\'s database:';
  if (isDatabaseUrl(database)) {
    throw new CommandError(`${where} is ${describeDatabase(database)}, not an SQLite file; name the SQLite file to copy with --from FILE`, EXIT_USAGE);
  }
  if (database === ':memory:' || database === '') throw new CommandError(`${where} is an in-memory database: there is nothing to copy; name the SQLite file with --from FILE`, EXIT_USAGE);
  const file = given ? path.resolve(database) : database;
  if (!fs.existsSync(file)) throw new CommandError(`no SQLite database at ${file} (${where}); nothing to copy`, EXIT_USAGE);
  return file;
}

/** The schema version of the file as it is, read without changing it. */
function schemaVersion(file: string): number {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } catch (e) {
    throw new CommandError(databaseError(file, e).message, EXIT_RUNTIME);
  }
}

function openCommandDatabase(file: string): Database.Database {
  try {
    return openDatabase(file, { check: 'quick' });
  } catch (e) {
    throw new CommandError(databaseError(file, e).message, EXIT_RUNTIME);
  }
}

/** What was copied, one line per table, with what the user needs to know next. */
export function formatReport(r: { file: string; shown: string; before: number; report: CopyReport; seconds: number }): string {
  const { rows, outbox, feeds } = r.report;
  const lines: string[] = [];
  if (r.before < MIGRATIONS.length) lines.push(`Upgraded ${r.file} from schema ${r.before} to ${MIGRATIONS.length} first (as run does).`);
  if (Object.values(r.report.replaced).some((n) => n > 0)) {
    const was = r.report.replaced;
    lines.push(`Deleted what ${r.shown} held (--replace): ${count(was.jobs)} jobs, ${count(was.postings)} sightings, ${count(was.feeds)} feeds, ${count(was.outbox)} alerts.`);
  }
  lines.push(`Copied ${r.file} (schema ${MIGRATIONS.length}) into ${r.shown} in ${r.seconds.toFixed(1)} s, one transaction:`);
  const outboxDetail =
    `${count(outbox.pending)} pending, ${count(outbox.sent)} sent, ${count(outbox.failed)} failed` +
    (outbox.digest ? `; ${count(outbox.digest)} of the pending wait for a digest` : '');
  const table: Array<[string, number, string]> = [
    ['jobs', rows.jobs, ''],
    ['sightings', rows.postings, ''],
    ['fingerprints', rows.job_fingerprints, ''],
    ['feeds', rows.feeds, `${count(feeds.withValidators)} with ETag/Last-Modified, ${count(feeds.failing)} failing`],
    ['outbox', rows.outbox, outboxDetail],
  ];
  const width = Math.max(...table.map(([, n]) => count(n).length));
  for (const [label, n, detail] of table) lines.push(`  ${label.padEnd(14)}${count(n).padStart(width)}${detail ? `  (${detail})` : ''}`);
  if (r.report.nulStripped) lines.push(`${count(r.report.nulStripped)} text values held NUL characters, which PostgreSQL cannot store: copied without them.`);
  lines.push(`Next: set database: to ${r.shown} (the password in PGPASSWORD or a \${VAR}) and start jobalert; keep the SQLite file as a backup.`);
  return `${lines.join('\n')}\n`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
