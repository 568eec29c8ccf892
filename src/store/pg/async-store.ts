/**
 * The Store interface as it becomes when it turns async (issue 11): every method returns a
 * Promise, exportJobs streams through an AsyncIterable, close resolves once the connections are
 * closed. Until the Store in ../store.ts is async itself, the PostgreSQL store implements this
 * mapped twin of it; then `PgStore` below becomes `Store` and nothing else changes.
 */
import type { StoredJob } from '../../core/types.js';
import type { AlertIntent, IngestItem, IngestResult, LiveIds, Store } from '../store.js';

/** T with every method returning a Promise of what it returned. */
export type AsyncOf<T> = { [K in keyof T]: T[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R>> : T[K] };

/** Store, async. */
export type AsyncStore = Omit<AsyncOf<Store>, 'ingest' | 'exportJobs'> & {
  /** As Store.ingest; decide() may also answer with a Promise. */
  ingest(postings: readonly IngestItem[], decide: (job: StoredJob) => AlertIntent[] | Promise<AlertIntent[]>, live?: LiveIds): Promise<IngestResult>;
  /** Every job, ordered by first_seen, read a page at a time. */
  exportJobs(): AsyncIterable<StoredJob>;
};

/** What createPgStore returns: `Store` once the interface is async (the one-line change). */
export type PgStore = AsyncStore;
