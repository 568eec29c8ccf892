/**
 * The write gate: what the daemon does while its database cannot be written (another process
 * holds the write lock, the disk is full, the file turned read-only).
 *
 * Nothing is sent that cannot be recorded, so while writes fail delivery stops; the gate says
 * until when (an async back-off that grows and is capped, never a synchronous busy wait) and
 * logs ONE error line per episode naming the file and the cause, then one line when writes
 * work again. A lock held only briefly (another jobalert process committing a poll) is normal
 * contention: it is not reported unless it lasts.
 */
import type { Logger } from 'pino';
import type { Clock } from '../core/types.js';
import { isPgLockCode, isPgServerError, isPgUnwritableCode } from '../store/pg/pg-errors.js';

/** First wait after a failed write; it doubles on each failure of the same episode. */
const FIRST_DELAY_MS = 500;
/** The longest wait between two write attempts: delivery resumes at most this long after the database is writable again. */
const MAX_DELAY_MS = 10_000;
/** A lock held for less than this is contention, not a fault worth an error line. */
const QUIET_LOCK_MS = 2_000;

/** Tracks whether the database can be written, and backs off while it cannot. */
export interface WriteGate {
  /** Runs a database write: its value, or `{ ok: false }` when the database cannot be written now (other errors are thrown). */
  write<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }>;
  /** While writes fail: when the next may be tried (possibly already past); null when the database is (believed) writable. */
  pausedUntil(): Date | null;
  /** A write made elsewhere (a poll) failed with this unwritable-database error. */
  failed(err: Error & { code: string }): void;
}

/** Options of createWriteGate. */
export interface WriteGateOptions {
  /** The database file, named in the error line. */
  file: string;
  clock: Clock;
  log: Logger;
}

/** Creates the gate of one database connection. */
export function createWriteGate(opts: WriteGateOptions): WriteGate {
  const { clock, log } = opts;
  let episode: { since: number; failures: number; until: number; reported: boolean } | null = null;

  function failed(err: Error & { code: string }): void {
    const now = clock.now().getTime();
    episode ??= { since: now, failures: 0, until: now, reported: false };
    episode.failures += 1;
    episode.until = now + Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (episode.failures - 1));
    const contention = isLockError(err.code) && now - episode.since < QUIET_LOCK_MS;
    if (episode.reported || contention) {
      log.debug({ database: opts.file, code: err.code, retryAt: new Date(episode.until).toISOString() }, 'Database still cannot be written');
      return;
    }
    episode.reported = true;
    log.error(
      { database: opts.file, code: err.code, error: err.message },
      `Database ${opts.file} cannot be written (${err.code}: ${err.message}; ${causeHint(err.code)}). ` +
        'Delivery is paused: nothing is sent until it can be recorded, and nothing is lost; retrying with back-off',
    );
  }

  function succeeded(): void {
    if (!episode) return;
    const downMs = clock.now().getTime() - episode.since;
    if (episode.reported) log.info({ database: opts.file, pausedSeconds: Math.round(downMs / 1000) }, 'Database writable again; delivery resumes');
    else log.debug({ database: opts.file, waitedMs: downMs }, 'Database lock released');
    episode = null;
  }

  return {
    async write(fn) {
      let value;
      try {
        value = await fn();
      } catch (err) {
        if (!isUnwritableError(err)) throw err;
        failed(err);
        return { ok: false };
      }
      succeeded();
      return { ok: true, value };
    },
    pausedUntil() {
      return episode ? new Date(episode.until) : null;
    },
    failed,
  };
}

/** Waits between retries of a locked write: short, growing; about 5 s in all (another process's poll commits well within that). */
const LOCK_RETRY_DELAYS_MS = [50, 100, 200, 400, 800, 1600, 2000];

/**
 * Runs a write, retrying it asynchronously (the event loop keeps going) while another connection
 * holds the write lock, for about 5 s; then, or for any other error, throws.
 */
export async function retryWhileLocked<T>(fn: () => Promise<T>): Promise<T> {
  for (const delay of LOCK_RETRY_DELAYS_MS) {
    try {
      return await fn();
    } catch (err) {
      if (!isUnwritableError(err) || !isLockError(err.code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return fn();
}

/**
 * True for a database error that says the database cannot be written right now (locked, full,
 * read-only, I/O; for PostgreSQL also a server restarting or a broken connection), not a bug.
 */
export function isUnwritableError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return false;
  if (isPgServerError(err)) return isPgUnwritableCode(code);
  return /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|PROTOCOL)/.test(code);
}

function isLockError(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || isPgLockCode(code);
}

/** What the code usually means, in the user's terms. */
function causeHint(code: string): string {
  if (isLockError(code)) return 'another process holds its write lock';
  if (isPgUnwritableCode(code)) return 'the PostgreSQL server is out of space, read-only, restarting or unreachable';
  if (code.startsWith('SQLITE_FULL')) return 'the disk or its quota is full; free space';
  if (code.startsWith('SQLITE_READONLY')) return 'the file or its folder is read-only for this user';
  return 'the file system refused the write';
}
