/**
 * A soft bound on a thread's heap while it works through a big poll. V8 lets a heap grow to
 * several times what it holds live before it collects (its growing factor goes up to 4), and
 * each thread (the main one and every feed reader) does so on its own: a 100k-posting cold run
 * held about 40 MB live per thread yet peaked at 700 MB of memory. So the threads that handle
 * postings in batches call `afterBatch()`, and when the heap has grown past the budget since the
 * last collection, a full collection runs there and then.
 *
 * The budget follows what stays live: after a collection that leaves more than 1/factor of the
 * budget in use, the budget becomes `factor` times that, so a thread that truly needs more memory
 * is collected in proportion to what it allocates (never a collection per batch); when live
 * memory falls again, the budget falls back to its base. Nothing is ever refused: this only
 * decides when to collect, so unlike a hard heap limit it cannot stop the process.
 *
 * The collection is V8's own `gc()` (core/gc.ts). Where that cannot be reached, the budget does
 * nothing and V8 decides alone, as before.
 */
import v8 from 'node:v8';
import { fullGc } from '../core/gc.js';

export { fullGc };

/** Called after each batch a thread has handled. */
export interface HeapBudget {
  afterBatch(): void;
  /** Collections it ran (for tests and benchmarks). */
  readonly collections: number;
}

/** The default base budget of a thread's heap, in bytes: room for a batch's garbage above a few tens of MB live. */
export const DEFAULT_HEAP_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * The main thread's budget. About 25 MB of it is live (code, config, rules, the database's
 * statements) and a stored batch leaves little behind, so it is collected after 15 MB or more of
 * garbage rather than 40: each collection of that heap takes 10 to 20 ms, and the main thread
 * mostly waits for the reader in a big poll. A 5,000-posting cold run peaks about 20 MB lower.
 */
export const MAIN_HEAP_BUDGET: HeapBudgetOptions = { baseBytes: 40 * 1024 * 1024, liveFactor: 1.5 };

export interface HeapBudgetOptions {
  /** Heap in use above which a collection runs; default DEFAULT_HEAP_BUDGET_BYTES. */
  baseBytes?: number;
  /** A full collection; default V8's gc() (see fullGc), none: the budget does nothing. */
  gc?: (() => void) | null;
  /** Bytes of heap in use; default V8's used_heap_size. */
  heapUsed?: () => number;
  /** The budget after a collection is this many times what stayed live (or the base); default 2, at least 1.25 (nearer 1, a thread with much live data would collect every batch). */
  liveFactor?: number;
}

/** Creates a heap budget for the calling thread. */
export function createHeapBudget(opts: HeapBudgetOptions = {}): HeapBudget {
  const base = opts.baseBytes ?? DEFAULT_HEAP_BUDGET_BYTES;
  const gc = opts.gc === undefined ? fullGc() : opts.gc;
  const heapUsed = opts.heapUsed ?? (() => v8.getHeapStatistics().used_heap_size);
  const factor = Math.max(1.25, opts.liveFactor ?? 2);
  let budget = base;
  let collections = 0;
  return {
    afterBatch() {
      if (!gc || heapUsed() <= budget) return;
      gc();
      collections++;
      const live = heapUsed();
      // A multiple of what stayed live, never below the base: the next collection comes only after
      // new garbage in proportion to the live data it must trace, which bounds its cost per byte.
      budget = Math.max(base, factor * live);
    },
    get collections() {
      return collections;
    },
  };
}
