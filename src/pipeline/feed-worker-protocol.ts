/** The messages between feed-reader.ts (main thread) and feed-worker.ts, and errors made cloneable. */
import type { FeedConfig } from '../config/schema.js';
import { FetchError, ParseError } from '../core/errors.js';
import type { FetchRequest, FetchResult } from '../http/fetcher.js';
import type { PackedParts } from '../http/packed-body.js';
import type { IngestItem } from '../store/store.js';
import type { FeedRead, ReadSkip } from './read-feed.js';

/** An error as it crosses the thread boundary: its class by name, and what FetchError carries. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  url?: string;
  status?: number | null;
  retryAfterMs?: number | null;
}

/**
 * A fetch result as sent to a worker: the bytes, decoded to text there (decoding 10 MB is time the
 * main thread needs), or a packed body as its parts (then `body` is empty).
 */
export type FetchedBytes =
  | Extract<FetchResult, { notModified: true }>
  | (Omit<Extract<FetchResult, { notModified: false }>, 'text' | 'packed'> & { packed?: PackedParts });

/** What the main thread sends a worker. */
export type FromMain =
  | { type: 'read'; feed: FeedConfig; now: number; etag: string | null; lastModified: string | null; skip: ReadSkip; prefetched?: FetchedBytes }
  | { type: 'fetched'; id: number; result: FetchedBytes }
  | { type: 'fetchFailed'; id: number; error: SerializedError }
  | { type: 'ack' };

/** What a worker sends the main thread. */
export type ToMain =
  | { type: 'ready' }
  | { type: 'fetch'; id: number; req: Omit<FetchRequest, 'signal'> }
  | { type: 'log'; level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'; obj: Record<string, unknown>; msg: string }
  /** The source ids the read lists (PostingSink.begin), before its first postings. */
  | { type: 'begin'; sourceIds: string[] }
  /** Postings of the read, a batch at a time (PostingSink.take): each waits for an ack before the read goes on. */
  | { type: 'postings'; postings: IngestItem[] }
  /** The read; its postings came before, as 'postings'. */
  | { type: 'done'; result: FeedRead }
  | { type: 'failed'; error: SerializedError };

/** `err` as plain data, keeping what pollFeed reads from a FetchError. */
export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: SerializedError = { name: err.name, message: err.message };
  if (err.stack !== undefined) out.stack = err.stack;
  if (err instanceof FetchError) {
    out.url = err.url;
    out.status = err.status;
    out.retryAfterMs = err.retryAfterMs;
  }
  return out;
}

/** The error back as FetchError, ParseError or a plain Error with the original name and stack. */
export function deserializeError(e: SerializedError): Error {
  let err: Error;
  if (e.name === 'FetchError') err = new FetchError(e.message, { url: e.url ?? '', status: e.status ?? null, retryAfterMs: e.retryAfterMs ?? null });
  else if (e.name === 'ParseError') err = new ParseError(e.message);
  else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
