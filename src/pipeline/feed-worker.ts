/**
 * The worker thread side of feed-reader.ts: runs readFeed (parse and normalize, the CPU-heavy part of
 * a poll) off the main thread, asking the main thread for every fetch (its fetcher holds the timeouts,
 * size cap and per-host limits) and handing it every log line. One read at a time.
 */
import { parentPort } from 'node:worker_threads';
import type { Logger } from 'pino';
import { decodeBody } from '../http/charset.js';
import type { FetchRequest, FetchResult } from '../http/fetcher.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { parseFeed } from '../sources/parse-feed.js';
import { readFeed, type FeedRead } from './read-feed.js';
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

// Postings per message. The main thread reads a message in one go: 5,000 postings at once held its
// loop for a quarter of a second, so they go a slice at a time, each after the last was taken.
const POSTINGS_PER_MESSAGE = 250;
let acked: (() => void) | undefined;

async function sendResult(result: FeedRead): Promise<void> {
  if (!result.notModified) {
    for (let at = 0; at < result.postings.length; at += POSTINGS_PER_MESSAGE) {
      const taken = new Promise<void>((resolve) => (acked = resolve));
      send({ type: 'postings', postings: result.postings.slice(at, at + POSTINGS_PER_MESSAGE) });
      await taken;
    }
    result = { ...result, postings: [] };
  }
  send({ type: 'done', result });
}

// A fetch result as the main thread sent it, with its text back.
function fromBytes(r: FetchedBytes): FetchResult {
  if (r.notModified) return r;
  // A Buffer arrives as a plain Uint8Array.
  const body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
  // Decoded when read, as by the fetcher: a body that repeats the last poll's is never decoded.
  let text: string | undefined;
  return {
    ...r,
    body,
    get text() {
      return (text ??= decodeBody(body, r.contentType));
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
      readFeed(message.feed, ctx, message.skip, message.prefetched && fromBytes(message.prefetched)).then(
        (result) => sendResult(result),
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
