/**
 * What a PostgreSQL failure means for jobalert, told from its code alone (no driver import, so the
 * SQLite paths that ask pay nothing): a database problem rather than a feed's, one that waiting
 * clears (a lock, a restarting server), and the one line a user reads.
 */
import { DatabaseError, JobAlertError } from '../../core/errors.js';

/** True for an error the PostgreSQL server sent (a SQLSTATE code and a severity), as the pg driver raises it. */
export function isPgServerError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string';
}

/** SQLSTATEs of a write that waiting may let through: a lock not granted in time, a deadlock lost. */
export function isPgLockCode(code: string): boolean {
  return code === '55P03' || code === '40P01';
}

/**
 * SQLSTATEs saying the database cannot take writes right now, not that a statement is wrong: a lock,
 * a full disk, a read-only server (a standby, or default_transaction_read_only), a server shutting
 * down or starting, a broken connection (class 08).
 */
export function isPgUnwritableCode(code: string): boolean {
  return isPgLockCode(code) || ['53100', '25006', '57P01', '57P02', '57P03'].includes(code) || code.startsWith('08');
}

// Error codes of the driver's socket (errno) and of the server (SQLSTATE) that say the server
// cannot be reached or will not let this user in: the message names what to check.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', '57P03']);
const LOGIN = new Set(['28P01', '28000']);

/** The DatabaseError of a PostgreSQL failure, naming the database as `shown` (never its password). */
export function pgDatabaseError(shown: string, err: unknown): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof JobAlertError) return new DatabaseError(shown, 'other', `database ${shown}: ${detail}`, { cause: err });
  const raw = (err as { code?: unknown } | null)?.code;
  const code = typeof raw === 'string' ? raw : '';
  if (UNREACHABLE.has(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(detail)) {
    return new DatabaseError(shown, 'cannot-open', `database ${shown} cannot be reached (${code ? `${code}: ` : ''}${detail}); check that the PostgreSQL server is running and the host and port are right`, { cause: err });
  }
  if (LOGIN.has(code)) {
    return new DatabaseError(shown, 'cannot-open', `database ${shown} refused the login (${detail}); check the user name and the password in PGPASSWORD`, { cause: err });
  }
  if (code === '3D000') {
    return new DatabaseError(shown, 'cannot-open', `database ${shown} does not exist on that server (${detail}); create it (createdb) or fix the database name in the URL`, { cause: err });
  }
  if (code === '42501') {
    return new DatabaseError(shown, 'read-only', `database ${shown}: this user may not create or change jobalert's tables (${detail}); grant it CREATE on the database, or run jobalert once as the owner`, { cause: err });
  }
  if (code === '53100') return new DatabaseError(shown, 'full', `database ${shown}: the server's disk is full (${detail}); free some space and start again`, { cause: err });
  return new DatabaseError(shown, 'other', `database ${shown}: ${code ? `${code}: ` : ''}${detail}`, { cause: err });
}
