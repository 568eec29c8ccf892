/**
 * Where a feed's read (fetch + parse + normalize, see read-feed.ts) runs. Parsing and normalizing a
 * feed is CPU work that grows with the feed: a 10 MB feed of 5,000 postings is seconds of it, and
 * xml2js is quadratic on deep nesting. In the main thread that time stops everything else (other
 * feeds time out, /healthz stops answering, nothing is delivered), so the daemon reads feeds in
 * worker threads: a small pool, one read per thread at a time, each with a CPU time budget after
 * which the thread is terminated and the feed's poll fails with a clear error. Fetches still go
 * through the main thread's fetcher; the time spent waiting for them does not count.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterThreadStart, beforeThreadStart } from '../core/v8-footprint.js';
import type { FeedConfig } from '../config/schema.js';
import { ParseError } from '../core/errors.js';
import type { SourceContext } from '../sources/types.js';
import type { FetchResult } from '../http/fetcher.js';
import { deserializeError, serializeError, type FetchedBytes, type FromMain, type ToMain } from './feed-worker-protocol.js';
import { prefetchPlainFeed, readFeed, type FeedRead, type PostingSink, type ReadSkip } from './read-feed.js';

/** Runs feed reads; close() when done. */
export interface FeedReader {
  /**
   * Resolves when a read may start (the pool has room for it), with the room held: a poll takes its
   * feed's lease only then, so a feed waiting its turn is not leased (other processes may poll it).
   */
  reserve(): Promise<ReadSlot>;
  /** reserve(), then the slot's read. */
  read(feed: FeedConfig, ctx: SourceContext, signal: AbortSignal | undefined, skip: ReadSkip, sink: PostingSink): Promise<FeedRead>;
  /** Stops every thread. */
  close(): Promise<void>;
}

/** Room for one read, held from reserve() until its read ends or release(). */
export interface ReadSlot {
  /**
   * Reads and normalizes one feed, handing its postings to `sink` as read-feed.ts says; `signal`
   * cuts the read short (shutdown); `skip`: what the last stored poll lets it skip. The slot is
   * released when the read ends.
   */
  read(feed: FeedConfig, ctx: SourceContext, signal: AbortSignal | undefined, skip: ReadSkip, sink: PostingSink): Promise<FeedRead>;
  /** Gives the room back without reading (or again: only the first call counts). */
  release(): void;
}

const inlineSlot: ReadSlot = {
  read: (feed, ctx, _signal, skip, sink) => readFeed(feed, ctx, skip, undefined, sink),
  release: () => {},
};

/** Reads in the calling thread: for tests and tools that read one feed and do nothing else meanwhile. */
export const inlineFeedReader: FeedReader = {
  reserve: async () => inlineSlot,
  read: (feed, ctx, signal, skip, sink) => inlineSlot.read(feed, ctx, signal, skip, sink),
  close: async () => {},
};

/** A feed whose parsing and normalizing keeps its thread busy longer than this (network waits excluded) fails. */
export const FEED_CPU_BUDGET_MS = 60_000;

export interface WorkerReaderOptions {
  /** Busy time of its thread one read may take, network waits excluded; default FEED_CPU_BUDGET_MS. */
  budgetMs?: number;
  /** Threads kept for the usual run of feeds; default: the machine's cores less the main thread's, between 1 and 4. */
  threads?: number;
  /** Threads at most, the extra ones started only while a read runs long (see STALL_MS); default: the cores, between 2 and 4. */
  maxThreads?: number;
  /** A read keeping its thread busy this long lets a waiting feed start one more thread (up to maxThreads); default STALL_MS. */
  stallMs?: number;
  /** An idle thread is stopped after this long; default 30 s. */
  idleMs?: number;
}

// The worker is a .js file next to this one in dist/, and a .ts file under tsx (tests, development).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./feed-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

// A reader's young generation (where each batch's short-lived objects go) stays small: V8's default
// lets it reach 32 MB per thread, which a reader's batches never need (a 75 MB feed's run: 45 MB
// less at its peak, at no measurable cost in time). Only the young generation is bounded: the
// old one, which a big feed may need, is left to V8 (a heap limit there would kill the thread).
const READER_LIMITS = { maxYoungGenerationSizeMb: 8 };

// tsx's loader hooks, registered by `node --import tsx` in the main thread, do not reach worker
// threads on Node 20: a worker of a .ts file registers them itself before loading it.
let tsxApi: string | undefined;
function startWorker(): Worker {
  beforeThreadStart(READER_LIMITS.maxYoungGenerationSizeMb);
  let worker: Worker;
  if (!FROM_SOURCE) {
    worker = new Worker(WORKER_URL, { resourceLimits: READER_LIMITS });
  } else {
    tsxApi ??= import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
    worker = new Worker(boot, { eval: true, resourceLimits: READER_LIMITS });
  }
  worker.once('online', afterThreadStart);
  return worker;
}

/**
 * How long a read may keep its thread busy (its event loop's active time: waits for fetches and for
 * the main thread to store a batch do not count) before a feed waiting behind it gets a thread of its own. Each
 * reader thread costs 60 to 80 MB (its own heap, code and tables), so the pool keeps one thread per
 * core left by the main thread (one on a 2-core machine: about 80 MB less at the peak of a big cold
 * run, with the same total CPU time) and only grows when a read runs long: a feed of tens of MB,
 * or a hostile one, then does not stall the feeds behind it.
 */
export const STALL_MS = 2_000;

/** A pool of worker threads reading feeds, each read within a budget of its thread's busy time. */
export function createWorkerFeedReader(opts: WorkerReaderOptions = {}): FeedReader {
  const budgetMs = opts.budgetMs ?? FEED_CPU_BUDGET_MS;
  const cores = os.availableParallelism();
  const maxThreads = Math.max(1, opts.maxThreads ?? Math.min(4, Math.max(2, cores)));
  const threads = Math.min(maxThreads, Math.max(1, opts.threads ?? Math.min(4, cores - 1)));
  const stallMs = opts.stallMs ?? STALL_MS;
  const idleMs = opts.idleMs ?? 30_000;
  const all = new Set<Worker>();
  const idle: Array<{ worker: Worker; timer: NodeJS.Timeout }> = [];
  const waiting: Array<() => void> = [];
  // Each thread now reading, with its event loop's active time when its read started.
  const busySince = new Map<Worker, number>();
  let stallTimer: NodeJS.Timeout | null = null;
  let closed = false;
  const slots = semaphore(maxThreads);

  // The busy time (not the wall time) of the longest read now running. A read waiting, for a fetch
  // or for its batch to be stored (the main thread's turn, slow on a loaded machine), holds its
  // thread without using it: counting that time started a second thread, 60 to 80 MB, in runs of
  // small feeds where the one thread was mostly idle.
  function longestBusy(): number {
    let longest = 0;
    for (const [worker, startActive] of busySince) longest = Math.max(longest, worker.performance.eventLoopUtilization().active - startActive);
    return longest;
  }

  // Whether a feed waiting for a thread may start one more: a read has kept its thread busy STALL_MS.
  function stalled(): boolean {
    return all.size < maxThreads && busySince.size > 0 && longestBusy() >= stallMs;
  }

  // Wakes the first waiting feed once the busiest read now running reaches STALL_MS of busy time.
  function watchForStall(): void {
    if (stallTimer !== null || all.size >= maxThreads || busySince.size === 0) return;
    stallTimer = setTimeout(() => {
      stallTimer = null;
      if (stalled()) waiting.shift()?.();
      else if (waiting.length > 0) watchForStall();
    }, Math.max(stallMs / 10, stallMs - longestBusy()));
    stallTimer.unref();
  }

  function spawn(): Promise<Worker> {
    return new Promise((resolve, reject) => {
      const worker = startWorker();
      all.add(worker);
      // A thread that dies while idle is forgotten, never handed a feed.
      worker.once('exit', () => {
        all.delete(worker);
        const at = idle.findIndex((i) => i.worker === worker);
        if (at >= 0) clearTimeout(idle.splice(at, 1)[0]!.timer);
      });
      const fail = (err: Error) => {
        all.delete(worker);
        void worker.terminate();
        reject(new Error(`could not start a feed reader thread: ${err.message}`));
      };
      worker.once('message', (m: ToMain) => {
        worker.off('error', fail);
        worker.off('exit', onExit);
        if (m.type === 'ready') resolve(worker);
        else fail(new Error(`unexpected first message ${m.type}`));
      });
      const onExit = (code: number) => fail(new Error(`exited with code ${code}`));
      worker.once('error', fail);
      worker.once('exit', onExit);
    });
  }

  async function acquire(): Promise<Worker> {
    for (;;) {
      if (closed) throw new Error('feed reader closed');
      const free = idle.pop();
      if (free) {
        clearTimeout(free.timer);
        free.worker.ref();
        return free.worker;
      }
      if (all.size < threads || stalled()) {
        return spawn().catch((err: unknown) => {
          // The slot it took is free again: the next read in line may try.
          waiting.shift()?.();
          throw err;
        });
      }
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        watchForStall();
      });
    }
  }

  function release(worker: Worker, reusable: boolean): void {
    busySince.delete(worker);
    if (!reusable || closed) {
      all.delete(worker);
      void worker.terminate();
    } else {
      // Idle threads must not keep the process alive, and are stopped when not needed for a while.
      worker.unref();
      const timer = setTimeout(() => {
        const at = idle.findIndex((i) => i.worker === worker);
        if (at >= 0) idle.splice(at, 1);
        all.delete(worker);
        void worker.terminate();
      }, idleMs);
      timer.unref();
      idle.push({ worker, timer });
    }
    waiting.shift()?.();
  }

  function run(
    worker: Worker,
    feed: FeedConfig,
    ctx: SourceContext,
    signal: AbortSignal | undefined,
    skip: ReadSkip,
    prefetched: FetchResult | undefined,
    sink: PostingSink,
  ): Promise<FeedRead> {
    return new Promise((resolve, reject) => {
      let settled = false;
      // The thread's own busy time (its event loop's active time), read from here: waits for the
      // main thread's fetches are idle time there, and a slow main thread does not count against it.
      const startActive = worker.performance.eventLoopUtilization().active;
      busySince.set(worker, startActive);
      const watch = setInterval(() => {
        if (worker.performance.eventLoopUtilization().active - startActive <= budgetMs) return;
        settle(false, () => reject(new ParseError(`feed took longer than ${formatBudget(budgetMs)} to parse; stopped`)));
      }, Math.min(100, budgetMs / 4));
      const settle = (reusable: boolean, then: () => void) => {
        if (settled) return;
        settled = true;
        clearInterval(watch);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        release(worker, reusable);
        then();
      };
      const post = (message: FromMain, transfer?: ArrayBuffer[]) => {
        if (!settled) worker.postMessage(message, transfer);
      };
      const onMessage = (m: ToMain) => {
        switch (m.type) {
          case 'fetch':
            ctx.fetch(m.req).then(
              (result) => {
                const bytes = bytesOf(result);
                post({ type: 'fetched', id: m.id, result: bytes }, handedOver(bytes));
              },
              (err: unknown) => post({ type: 'fetchFailed', id: m.id, error: serializeError(err) }),
            );
            return;
          case 'log':
            ctx.log[m.level](m.obj, m.msg);
            return;
          case 'begin':
            sink.begin(m.sourceIds);
            return;
          case 'postings':
            // The thread waits for the ack: the next batch is read only once this one is taken.
            sink.take(m.postings).then(
              () => post({ type: 'ack' }),
              (err: unknown) => settle(false, () => reject(err)),
            );
            return;
          case 'done':
            settle(true, () => resolve(m.result));
            return;
          case 'failed':
            settle(true, () => reject(deserializeError(m.error)));
            return;
          case 'ready':
            return;
        }
      };
      const onError = (err: Error) => settle(false, () => reject(new Error(`feed reader thread failed: ${err.message}`)));
      const onExit = (code: number) => settle(false, () => reject(new Error(`feed reader thread exited with code ${code}`)));
      const onAbort = () => settle(false, () => reject(signal?.reason ?? new Error('aborted')));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      if (!prefetched) return post({ type: 'read', feed, now: ctx.now.getTime(), etag: ctx.etag, lastModified: ctx.lastModified, skip });
      const bytes = bytesOf(prefetched);
      post({ type: 'read', feed, now: ctx.now.getTime(), etag: ctx.etag, lastModified: ctx.lastModified, skip, prefetched: bytes }, handedOver(bytes));
    });
  }

  // A plain feed's request is made first, in this thread: a 304 or the last stored body again needs
  // no thread (starting one is a second of CPU). A slot is one prefetch in flight or waiting for a
  // thread, or one read; there are as many as threads at most, so bodies never pile up in memory
  // ahead of the threads.
  async function reserve(): Promise<ReadSlot> {
    await slots.take();
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      slots.give();
    };
    return {
      async read(feed, ctx, signal, skip, sink) {
        if (!held) throw new Error('feed reader slot already released');
        try {
          const pre = await prefetchPlainFeed(feed, ctx, skip);
          if (pre && 'settled' in pre) return pre.settled;
          const worker = await acquire();
          return await run(worker, feed, ctx, signal, skip, pre?.res, sink);
        } finally {
          release();
        }
      },
      release,
    };
  }

  return {
    reserve,
    async read(feed, ctx, signal, skip, sink) {
      return (await reserve()).read(feed, ctx, signal, skip, sink);
    },
    async close() {
      closed = true;
      if (stallTimer !== null) clearTimeout(stallTimer);
      for (const { timer } of idle.splice(0)) clearTimeout(timer);
      for (const resolve of waiting.splice(0)) resolve();
      await Promise.all([...all].map((w) => w.terminate()));
      all.clear();
    },
  };
}

// The result without its text, which is a getter decoding the body (fetcher.ts): left to the worker.
// A packed body goes as its parts, never unpacked here.
function bytesOf(result: FetchResult): FetchedBytes {
  if (result.notModified) return result;
  const { status, url, contentType, etag, lastModified } = result;
  if (result.packed) return { notModified: false, status, url, body: Buffer.alloc(0), packed: result.packed.toParts(), contentType, etag, lastModified };
  return { notModified: false, status, url, body: result.body, contentType, etag, lastModified };
}

// The buffers of a body that are its own (any large body, every packed block) are handed over to
// the thread rather than copied: this thread is done with them.
function handedOver(bytes: FetchedBytes): ArrayBuffer[] | undefined {
  if (bytes.notModified) return undefined;
  const own = [bytes.body, ...(bytes.packed?.blocks ?? [])].filter(ownsBuffer).map((b) => b.buffer as ArrayBuffer);
  return own.length > 0 ? own : undefined;
}

// A buffer of its own can be handed over to a thread rather than copied.
function ownsBuffer(body: Uint8Array): boolean {
  return body.byteLength > 0 && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
}

// At most `n` holders at a time, served in order.
function semaphore(n: number): { take(): Promise<void>; give(): void } {
  let free = n;
  const queue: Array<() => void> = [];
  return {
    take() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => queue.push(resolve));
    },
    give() {
      const next = queue.shift();
      if (next) next();
      else free++;
    },
  };
}

function formatBudget(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
