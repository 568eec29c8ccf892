/**
 * The worker thread side of feed-reader.ts: runs readFeed (parse and normalize, the CPU-heavy part of
 * a poll) off the main thread, asking the main thread for every fetch (its fetcher holds the timeouts,
 * size cap and per-host limits) and handing it every log line. One read at a time.
 */
import { parentPort } from 'node:worker_threads';
import type { Logger } from 'pino';
import { decodeBody } from '../http/charset.js';
import { PackedBody } from '../http/packed-body.js';
import type { FetchRequest, FetchResult } from '../http/fetcher.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { parseFeed } from '../sources/parse-feed.js';
import { readFeed, type PostingSink } from './read-feed.js';
import { createHeapBudget } from './heap-budget.js';
import { deserializeError, serializeError, type FetchedBytes, type FromMain, type ToMain } from './feed-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('feed-worker.ts runs as a worker thread only');

const pendingFetches = new Map<number, { resolve: (r: FetchResult) => void; reject: (e: unknown) => void }>();
let nextFetchId = 0;

function send(message: ToMain): void {
  port!.postMessage(message);
}

function fetchThroughMain(req: FetchRequest): Promise<FetchResult> {
  const id = nextFetchId++;
  const { signal: _signal, ...plain } = req;
  return new Promise((resolve, reject) => {
    pendingFetches.set(id, { resolve, reject });
    send({ type: 'fetch', id, req: plain });
  });
}

// Postings go to the main thread a batch at a time, each message waiting for its ack: the main
// thread stores them before it takes more, so a big feed is never all in memory on either side.
let acked: (() => void) | undefined;
// Collected while the main thread stores the batch just sent (heap-budget.ts).
const heapBudget = createHeapBudget();

const sink: PostingSink = {
  begin: (sourceIds) => send({ type: 'begin', sourceIds }),
  take(postings) {
    const taken = new Promise<void>((resolve) => (acked = resolve));
    send({ type: 'postings', postings });
    heapBudget.afterBatch();
    return taken;
  },
  parsed: () => heapBudget.afterBatch(),
};

// A fetch result as the main thread sent it, with its text back.
function fromBytes(r: FetchedBytes): FetchResult {
  if (r.notModified) return r;
  // A Buffer arrives as a plain Uint8Array; nothing here may keep `r` (and with it the bytes) alive.
  const { body, packed: parts, ...rest } = r;
  const contentType = r.contentType;
  if (parts) {
    const packed = PackedBody.fromParts(parts);
    let whole: string | undefined;
    return {
      ...rest,
      packed,
      get body() {
        return packed.read(0, packed.length);
      },
      get text() {
        return (whole ??= decodeBody(packed.read(0, packed.length), contentType));
      },
    };
  }
  let bytes: Buffer | null = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Decoded when read, as by the fetcher: a body that repeats the last poll's is never decoded.
  // Once decoded, the bytes are let go (hashed before): a big feed is held once, as text.
  let text: string | undefined;
  return {
    ...rest,
    get body() {
      return bytes ?? Buffer.alloc(0);
    },
    get text() {
      if (text === undefined) {
        text = decodeBody(bytes!, contentType);
        bytes = null;
      }
      return text;
    },
  };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

// The few Logger methods sources use, forwarded to the feed's logger in the main thread.
function logThroughMain(bindings: Record<string, unknown>): Logger {
  const logger: Record<string, unknown> = {
    child: (more: Record<string, unknown>) => logThroughMain({ ...bindings, ...more }),
  };
  for (const level of LEVELS) {
    logger[level] = (objOrMsg: unknown, msg?: string) => {
      const obj = typeof objOrMsg === 'object' && objOrMsg !== null ? objOrMsg : {};
      const text = typeof objOrMsg === 'string' ? objOrMsg : msg;
      send({ type: 'log', level, obj: cloneable({ ...bindings, ...obj }), msg: text ?? '' });
    };
  }
  return logger as unknown as Logger;
}

// Log fields must cross the thread boundary; what cannot be cloned goes as text.
function cloneable(obj: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(obj);
  } catch {
    return JSON.parse(JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.message : v))) as Record<string, unknown>;
  }
}

port.on('message', (message: FromMain) => {
  switch (message.type) {
    case 'read': {
      const ctx = {
        fetch: fetchThroughMain,
        log: logThroughMain({}),
        now: new Date(message.now),
        etag: message.etag,
        lastModified: message.lastModified,
      };
      readFeed(message.feed, ctx, message.skip, message.prefetched && fromBytes(message.prefetched), sink).then(
        (result) => send({ type: 'done', result }),
        (err: unknown) => send({ type: 'failed', error: serializeError(err) }),
      );
      return;
    }
    case 'ack':
      acked?.();
      return;
    case 'fetched':
    case 'fetchFailed': {
      const pending = pendingFetches.get(message.id);
      pendingFetches.delete(message.id);
      if (!pending) return;
      if (message.type === 'fetched') pending.resolve(fromBytes(message.result));
      else pending.reject(deserializeError(message.error));
      return;
    }
  }
});

// The first posting a thread reads pays one-time setup (patterns compiled, place tables built): done
// before the thread takes a feed, so that it does not count against the feed's time budget.
const WARM_UP_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>w</title><item><title>Acme: Senior ML Engineer (Remote, US)</title>
<link>https://example.com/1</link><description><![CDATA[<p>Location: Berlin, Germany. Hybrid, 2 days in the office. Salary: $120,000 - $150,000 per year.</p>]]></description></item></channel></rss>`;
for (const raw of (await parseFeed(WARM_UP_FEED, { type: 'auto', baseUrl: 'https://example.com/' })).postings) normalizePosting(raw, 'warm-up');

send({ type: 'ready' });
