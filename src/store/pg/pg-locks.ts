/**
 * Which transaction-scoped advisory locks an ingest takes, and taking them.
 *
 * Why this is enough for several workers to ingest at once without creating one job twice: every
 * way dedupe can find that a posting is a known job goes through a key the posting itself carries:
 * - the same (feed, source id): the feed (the lock also keeps one feed's ingests in sequence, which
 *   its poll lease already asks for, should a lease lapse under a slow worker);
 * - the same canonical URL: that URL;
 * - the same company and title, or the same title and near-identical text: the TITLE KEY, which
 *   both fuzzy lookups require to be equal (see findExistingJob in ../jobs.ts).
 * Two transactions whose postings could be one job therefore share at least one lock; the second
 * waits for the first to commit before it reads anything, and under READ COMMITTED its reads then
 * see the first one's job. Every write that gives a job a key (a new job, an edit, a re-post) is
 * made by a transaction holding that key's lock. The one write that changes another job's key, a
 * company filled in from a cross-post found by URL, takes the job's title-key lock first
 * (lockTitleKey). Seen items only touch sighting times and take no lock.
 *
 * All locks of a transaction are taken in one statement, in one global order, before its first
 * read, so advisory locks alone never deadlock. Row locks still can (two workers touching the same
 * cross-posted jobs in different orders); the server detects it and inTransaction runs the loser
 * again.
 *
 * A huge batch (a first poll) would hold thousands of locks, and the server's lock table is shared
 * and bounded (max_locks_per_transaction x max_connections): past MAX_KEY_LOCKS keys a transaction
 * takes the ingest lock exclusively instead, which every keyed transaction takes shared first.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from './pg-sql.js';
import { keysOf } from '../jobs.js';
import { isSeenItem, type IngestItem } from '../store.js';

/** More keys than this: the whole ingest is locked exclusively instead. */
export const MAX_KEY_LOCKS = 200;

/** The ingest lock, shared by keyed ingests and held exclusively by huge ones ("jobalert-ingest"). */
const INGEST_LOCK = lockId('jobalert:ingest');

/** The locks one ingest holds: named keys (feed, url, title), or everything. */
export interface IngestLocks {
  /** Every key is held: the ingest lock exclusively. */
  all: boolean;
  /** The key names held ('title\u0000...' and so on). */
  names: Set<string>;
}

/** A lock's 64-bit id: the first 8 bytes of the SHA-256 of its name, as the signed decimal text PostgreSQL takes. */
export function lockId(name: string): string {
  return createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
}

/** The lock name of a title key. */
export function titleLockName(titleKey: string): string {
  return `title\u0000${titleKey}`;
}

/** The locks an ingest of these items must hold: those of every posting that is not a seen item. */
export function ingestLockNames(items: readonly IngestItem[]): Set<string> {
  const names = new Set<string>();
  for (const item of items) {
    if (isSeenItem(item)) continue;
    names.add(`feed\u0000${item.feed}`);
    if (item.canonicalUrl !== '') names.add(`url\u0000${item.canonicalUrl}`);
    const title = keysOf(item).titleKey;
    if (title !== null) names.add(titleLockName(title));
  }
  return names;
}

/** Takes the locks of these items in one statement (none for seen items only); returns what is held. */
export async function takeIngestLocks(db: Queryable, items: readonly IngestItem[]): Promise<IngestLocks> {
  const names = ingestLockNames(items);
  if (names.size === 0) return { all: false, names };
  if (names.size > MAX_KEY_LOCKS) {
    await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [INGEST_LOCK]);
    return { all: true, names };
  }
  // One global order (by id) for every transaction, the shared ingest lock first; a function scan
  // yields the array's elements in order, so they are locked in that order.
  const ids = [...new Set([...names].map(lockId))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  await db.query(
    `SELECT count(CASE WHEN t.n = 1 THEN pg_advisory_xact_lock_shared(t.k) ELSE pg_advisory_xact_lock(t.k) END)
     FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, n)`,
    [[INGEST_LOCK, ...ids]],
  );
  return { all: false, names };
}

/** Takes one more title-key lock mid-transaction (unless already held); may deadlock, which the server detects. */
export async function lockTitleKey(db: Queryable, locks: IngestLocks, titleKey: string): Promise<void> {
  const name = titleLockName(titleKey);
  if (locks.all || locks.names.has(name)) return;
  await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockId(name)]);
  locks.names.add(name);
}
