/** `jobalert run`: the daemon, or one poll-and-deliver pass with --once; --dry-run sends nothing. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createApp, feedAttribution, type App } from '../app.js';
import { createDryRunNotifiers } from '../notify/dry-run.js';
import { startOpsServer, type OpsServer } from '../ops/server.js';
import { startDaemon } from '../pipeline/daemon.js';
import type { DispatchResult } from '../pipeline/dispatcher.js';
import { titleWordWarnings } from '../match/title-typos.js';
import { feedSchedule, pollLimitNote } from '../sources/registry.js';
import { DatabaseError } from '../core/errors.js';
import { assertSqliteDatabase, databaseError } from '../store/db.js';
import { describeDatabase, isDatabaseUrl, isPostgresUrl } from '../core/database-url.js';
import type { PgDryRunCopy } from '../store/pg/pg-dry-run.js';
import { isReady } from '../ops/health-report.js';
import { alertsOnStdout, CommandError, commandLogger, EXIT_OK, EXIT_RUNTIME, loadAndCompile } from './common.js';

export interface RunOptions {
  config?: string;
  once?: boolean;
  dryRun?: boolean;
}

/** Runs the daemon (resolves on SIGTERM/SIGINT) or one pass; returns the exit code. */
export async function runCommand(opts: RunOptions): Promise<number> {
  const { config, rules } = loadAndCompile(opts.config);
  const dryRun = Boolean(opts.dryRun);
  // Logs and alert text on one stream cannot be told apart (or piped): logs yield stdout to alerts.
  const log = commandLogger(config, alertsOnStdout(config, dryRun) ? 'stderr' : 'stdout');
  for (const rule of rules) for (const warning of titleWordWarnings(rule)) log.warn({ rule: rule.name, warning }, 'Rule title word is not a word seen in job titles');
  if (!opts.once && !dryRun) {
    for (const feed of config.feeds.filter((f) => f.enabled)) {
      const note = pollLimitNote(feedSchedule(feed, config.schedule));
      if (note) log.warn({ feed: feed.name, note }, "Feed schedule slowed to its source's poll limit");
    }
  }
  let dryRunDir: string | null = null;
  let pgCopy: PgDryRunCopy | null = null;
  // What a dry run made to work on, removed whatever happens.
  const dropCopy = async (): Promise<void> => {
    if (dryRunDir) fs.rmSync(dryRunDir, { recursive: true, force: true });
    dryRunDir = null;
    const copy = pgCopy;
    pgCopy = null;
    if (!copy) return;
    try {
      await copy.drop();
    } catch (err) {
      log.error({ schema: copy.schema, error: err instanceof Error ? err.message : String(err) }, 'Could not drop the dry run\'s copy of the database; the next dry run drops it');
    }
  };
  let app: App;
  try {
    if (opts.dryRun && isPostgresUrl(config.database)) {
      // No file to copy: the tables are copied into a schema of their own (store/pg/pg-dry-run.ts).
      const { copyForDryRun } = await import('../store/pg/pg-dry-run.js');
      pgCopy = await copyForDryRun(config.database, { onLeftover: (schema) => log.info({ schema }, 'Dropped the copy a dry run that did not finish left behind') });
      app = await createApp({ config, rules, log, databaseSchema: pgCopy.schema, notifiers: createDryRunNotifiers(config, feedAttribution(config)), dryRun: true, exportMetrics: false, env: process.env });
      log.info({ database: describeDatabase(config.database), schema: pgCopy.schema, copied: pgCopy.copied }, 'Dry run: working on a copy of the database in a schema of its own, dropped at the end; nothing will be sent');
    } else if (opts.dryRun) {
      // The dry run works on a copy made with SQLite's VACUUM INTO.
      assertSqliteDatabase(config.database, '--dry-run');
      dryRunDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-dry-run-'));
      const copy = path.join(dryRunDir, 'jobalert.db');
      try {
        snapshotDatabase(config.database, copy);
      } catch (err) {
        throw databaseError(config.database, err);
      }
      app = await createApp({ config, rules, log, databasePath: copy, notifiers: createDryRunNotifiers(config, feedAttribution(config)), dryRun: true, exportMetrics: false, env: process.env });
      log.info({ database: config.database }, 'Dry run: working on a copy of the database; nothing will be sent');
    } else {
      // A server database is created by its administrator: only a file is created here.
      const creating = config.database !== ':memory:' && !isDatabaseUrl(config.database) && !fs.existsSync(config.database);
      const unwritable = creating ? unwritableFolder(config.database) : null;
      if (unwritable) {
        log.error({ database: config.database, folder: unwritable }, cannotCreateMessage(unwritable));
        return EXIT_RUNTIME;
      }
      app = await createApp({ config, rules, log, exportMetrics: !opts.once, env: process.env });
      // A new database means nothing seen or sent yet: say where, so a second one is noticed.
      if (creating) log.info({ database: config.database }, 'Created a new database');
    }
  } catch (err) {
    await dropCopy();
    // A database problem is one line saying which file and what to do; a stack would bury it.
    if (err instanceof DatabaseError) throw new CommandError(err.message, EXIT_RUNTIME);
    log.error({ err }, 'Could not start');
    return EXIT_RUNTIME;
  }
  try {
    if (dryRun) return await untilSignal(runOnce(app, true), app);
    if (opts.once) return await runOnce(app, false);
    return await runDaemon(app);
  } catch (err) {
    if (err instanceof DatabaseError) throw new CommandError(err.message, EXIT_RUNTIME);
    throw err;
  } finally {
    await app.close();
    await dropCopy();
  }
}

/**
 * A dry run's pass, cut short by Ctrl-C or SIGTERM: polls in flight are aborted and the exit code
 * is EXIT_RUNTIME, so the caller gets to close the app and drop the copy (a PostgreSQL dry run's
 * schema must not stay in the user's database). A second signal is the default: the process ends.
 */
async function untilSignal(work: Promise<number>, app: App): Promise<number> {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const first = await Promise.race([work, signalled]);
    if (typeof first === 'number') return first;
    app.log.warn({ signal: first }, 'Dry run interrupted: removing its copy of the database');
    app.abortPolls();
    // What is left of the pass fails once the app is closed under it: nothing to report.
    work.catch(() => {});
    return EXIT_RUNTIME;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The nearest existing folder of `file` when this process cannot write there (so cannot create it), else null. */
function unwritableFolder(file: string): string | null {
  let dir = path.dirname(file);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return null;
  } catch {
    return dir;
  }
}

/** Names the folder and the fix; the usual case is a root-owned bind mount under Docker's `node` user. */
function cannotCreateMessage(folder: string): string {
  const who = typeof process.getuid === 'function' ? `${process.getuid()}:${process.getgid?.() ?? process.getuid()}` : null;
  return (
    `Cannot create the database: ${folder} is not writable by this process${who ? ` (uid:gid ${who})` : ''}. ` +
    `Give the folder to that user${who ? ` (chown ${who} ${folder})` : ''}; under Docker, chown 1000:1000 the host folder mounted on /data`
  );
}

/** Copies the live database (WAL included) so a dry run dedupes against real state without changing it. */
function snapshotDatabase(source: string, dest: string): void {
  if (source === ':memory:' || !fs.existsSync(source)) return;
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(dest);
  } finally {
    db.close();
  }
}

/** How long `run --once` keeps trying to deliver while the database cannot be written. */
const ONCE_WRITE_WAIT_MS = 60_000;

/**
 * Dispatches; while the database cannot be written, waits (async, the gate's back-off) and tries
 * again, up to ONCE_WRITE_WAIT_MS: a lock held by another process for a few seconds delays the
 * run rather than failing it, and outcomes of sends not recorded yet get every chance to be.
 */
async function dispatchWaitingForWrites(app: App): Promise<DispatchResult> {
  const deadline = Date.now() + ONCE_WRITE_WAIT_MS;
  const total = await app.dispatch();
  while (total.pausedUntil && Date.now() < deadline) {
    const wait = Math.min(Math.max(50, total.pausedUntil.getTime() - app.clock.now().getTime()), deadline - Date.now());
    await new Promise((resolve) => setTimeout(resolve, wait));
    const again = await app.dispatch();
    total.sent += again.sent;
    total.retrying += again.retrying;
    total.failed += again.failed;
    total.pausedUntil = again.pausedUntil;
    total.unrecorded = again.unrecorded;
  }
  if (total.unrecorded) {
    app.log.error(
      { alerts: total.unrecorded, database: app.store.location },
      'Alerts were sent but the database could not record it; the next run sends them again (for email with the same Message-ID)',
    );
  }
  return total;
}

async function runOnce(app: App, dryRun: boolean): Promise<number> {
  const outcomes = await app.pollAll();
  const delivery = await dispatchWaitingForWrites(app);
  // A feed another process is polling right now is not a failure; one held by its server's Retry-After is.
  const failedFeeds = outcomes.filter((o) => o.status === 'error' || o.status === 'held').map((o) => o.feed);
  const counts = await app.store.countAlerts();
  // Alerts waiting for a digest's time or the end of quiet hours are where they should be: a later run sends them.
  const held = await app.store.countHeld(app.clock.now());
  app.log.info(
    {
      feeds: outcomes.length,
      failedFeeds,
      newJobs: outcomes.reduce((n, o) => n + (o.status === 'ok' ? o.inserted : 0), 0),
      ...(dryRun ? { wouldSend: delivery.sent } : { sent: delivery.sent }),
      retrying: delivery.retrying,
      failed: delivery.failed,
      pending: counts.pending,
      held,
    },
    dryRun ? 'Dry run finished: nothing was sent' : 'Run finished',
  );
  // Non-zero so a cron wrapper notices: a failing feed, or alerts not delivered yet (they stay
  // in the outbox for the next run) or given up on in this run.
  return failedFeeds.length || counts.pending - held > 0 || delivery.failed ? EXIT_RUNTIME : EXIT_OK;
}

async function runDaemon(app: App): Promise<number> {
  const { config, log } = app;
  let fatal: ((err: DatabaseError) => void) | null = null;
  const fatalError = new Promise<DatabaseError>((resolve) => (fatal = resolve));
  const daemon = startDaemon(app, { onFatal: (err) => fatal?.(err) });
  let server: OpsServer | null = null;
  if (config.http.port !== 0 && app.metrics.registry) {
    try {
      server = await startOpsServer(config.http.host, config.http.port, {
        registry: app.metrics.registry,
        healthy: async () => {
          if (!daemon.isRunning()) return false;
          await app.store.ping();
          return true;
        },
        status: () => app.health(),
        ready: (report) => daemon.isRunning() && isReady(report),
      });
      log.info({ host: config.http.host, port: server.port }, 'Serving /healthz and /metrics');
    } catch (err) {
      log.error({ err, port: config.http.port }, 'Could not start the HTTP server (http.port)');
      await daemon.stop();
      return EXIT_RUNTIME;
    }
  }
  const signal = await Promise.race([
    new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    }),
    fatalError,
  ]);
  if (signal instanceof DatabaseError) {
    // Nothing more may be written to a damaged file: stop everything, say so once, exit 2.
    await daemon.stop();
    await server?.close();
    throw signal;
  }
  log.info({ signal }, 'Shutting down: finishing polls in flight and flushing the outbox');
  await daemon.stop();
  await server?.close();
  return EXIT_OK;
}
