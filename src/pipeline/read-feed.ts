/**
 * Everything one poll of one feed computes before the store: the source adapter's read (fetch +
 * parse), the feed's company, field limits, normalization. It only reaches the outside through
 * `ctx` (fetch, log), so it runs the same in the main thread and in a worker (feed-worker.ts).
 *
 * Work done before is skipped (README "Unchanged feeds and postings"): a poll whose responses repeat
 * the last stored poll's byte for byte is not parsed further (a plain feed: not parsed at all) and
 * reads as not modified; an item whose raw hash (item-hash.ts) is stored for the feed is neither
 * converted (plain feeds: HTML to text, company, places) nor normalized, and reaches the store as
 * a SeenItem, a sighting of what is stored.
 */
import type { FeedConfig } from '../config/schema.js';
import type { RawPosting } from '../core/types.js';
import type { FetchRequest, FetchResult } from '../http/fetcher.js';
import { boundedSourceId, boundRawPosting, type CutField } from '../normalize/field-limits.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { feedAdapter } from '../sources/adapters/feed.js';
import { withFeedCompany } from '../sources/feed-company.js';
import { resolveFeed } from '../sources/registry.js';
import { decodeBody } from '../http/charset.js';
import { itemSourceId, packedHandle, packedText } from '../sources/parse-feed.js';
import type { ItemHook, SkippedItem, SourceContext } from '../sources/types.js';
import type { HashedPosting, IngestItem } from '../store/store.js';
import { bodiesHash, entryHash, itemSalt, rawPostingHash, responseDigest } from './item-hash.js';

/** An item of the feed that did not become a posting, and why. */
export interface SkippedEntry {
  /** The item's position in the feed (parse failures), or its source id (normalization failures). */
  index?: number;
  sourceId?: string;
  reason: string;
}

/** What the feed's last stored poll left for this one to skip; empty: read everything in full. */
export interface ReadSkip {
  /** The raw hashes stored for the feed's sightings, each with its (stored) source id. */
  knownItems?: ReadonlyMap<string, string> | null;
  /** The hash of the last stored poll's responses (item-hash.ts bodiesHash). */
  bodyHash?: string | null;
  /**
   * False: a feed of several parse batches is read whole before its first posting is handed on
   * (the reference the tests compare streaming with). Default true.
   */
  stream?: boolean;
}

/**
 * Where readFeed hands the poll's postings, in feed order: `begin` once, with the source id of
 * every posting the poll lists (dedupe needs the whole listing before it stores the first one),
 * then `take` for each batch, awaited before the next is read.
 */
export interface PostingSink {
  begin(sourceIds: string[]): void;
  take(items: IngestItem[]): Promise<void>;
  /** Called after each batch the first pass over a big feed parsed (nothing handed on yet): its garbage may go (heap-budget.ts). */
  parsed?(): void;
}

/** What one read of a feed gives the store, besides the postings it handed its sink. */
export type FeedRead =
  | {
      notModified: true;
      /** Not a 304: responses byte for byte those of the last stored poll, and the validators they came with. */
      sameBody?: { etag: string | null; lastModified: string | null };
    }
  | {
      notModified: false;
      format: string;
      /** Items the source gave, postings and skipped alike. */
      items: number;
      /** Postings handed to the sink (SeenItems included). */
      postings: number;
      /** How many of the postings are SeenItems. */
      seen: number;
      skipped: SkippedEntry[];
      /** How many postings had each field cut to its limit (README "Oversized postings"); empty when none. */
      fieldsCut: Partial<Record<CutField, number>>;
      etag: string | null;
      lastModified: string | null;
      /** The hash of this read's responses, to store with its postings. */
      bodyHash: string;
    };

/** Postings per sink.take when a read is handed on whole (the worker sends each take as one message). */
const POSTINGS_PER_TAKE = 250;

// Thrown through a plain feed's adapter when its one response repeats the last stored poll's.
class SameBody {
  constructor(readonly res: FetchResult) {}
}

// One item on its way to the store: known (its stored source id, and how to read it after all), or read.
type Slot =
  | { known: true; sourceId: string; hash: string; read: () => RawPosting | string }
  | { known: false; raw: RawPosting; hash: string };

// What the first pass over a plain feed keeps of each item: its hash, its stored source id when
// the hash is known, and, while the feed is one batch, the item and how to convert it. Once a
// second batch shows the feed is streamed, the item gives way to the source id it would get.
interface ItemInfo {
  hash: string;
  known: string | undefined;
  sourceId: string | null;
  item: unknown;
  convert: (() => RawPosting | string) | null;
}

// What the hook gives the parser for every item: the parser's own list is not where postings go.
const STUB: RawPosting = { sourceId: '', url: '', title: '', company: null, location: null, description: '', published: null };

/**
 * A plain feed's one request, made by the caller (the worker pool, in the main thread) before a
 * thread is taken: when its answer settles the read (a 304, or the last stored poll's body again),
 * that is the read, and no thread starts or parses; else the response is handed to readFeed.
 * Null for feeds read through other adapters (they page: only their adapter knows the requests).
 */
export async function prefetchPlainFeed(feed: FeedConfig, ctx: SourceContext, skip: ReadSkip): Promise<{ settled: FeedRead } | { res: FetchResult } | null> {
  const req = plainFeedRequest(feed, ctx);
  if (req === null) return null;
  const res = await ctx.fetch(req);
  if (res.notModified) return { settled: { notModified: true } };
  if (skip.bodyHash && bodiesHash([responseDigest(res)]) === skip.bodyHash) {
    return { settled: { notModified: true, sameBody: { etag: res.etag, lastModified: res.lastModified } } };
  }
  return { res };
}

/**
 * The plain feed's response as the reads hold it: a body read as text (a JSON Feed, UTF-16, a small
 * feed) is held once, as text, and a packed one (a big body, http/packed-body.ts) as the handle
 * parse-feed.ts reads it by. Nothing may keep the original response, which holds the body too.
 */
function boxed(res: FetchResult & { notModified: false }): FetchResult {
  const { status, url, contentType, etag, lastModified } = res;
  let bytes = res.packed ? packedHandle(res.packed, contentType) : res.body;
  let text: string | undefined;
  return {
    notModified: false,
    status,
    url,
    contentType,
    etag,
    lastModified,
    get body() {
      return bytes;
    },
    get text() {
      if (text === undefined) {
        const packed = packedText(bytes);
        text = packed ?? decodeBody(bytes, contentType);
        // A parse that finds no bytes reads the text (as feed-worker.ts's own response does).
        if (packed === null) bytes = Buffer.alloc(0);
      }
      return text;
    },
  };
}

// The request the plain feed adapter (adapters/feed.ts) makes, or null for other adapters.
function plainFeedRequest(feed: FeedConfig, ctx: SourceContext): FetchRequest | null {
  const { adapter, feed: resolved } = resolveFeed(feed);
  if (adapter !== feedAdapter || !resolved.url) return null;
  return { url: resolved.url, etag: ctx.etag, lastModified: ctx.lastModified };
}

/**
 * Reads one feed, normalizes its postings and hands them to `sink` in feed order; throws
 * FetchError / ParseError as the adapter does. `prefetched`: the answer to the plain feed's
 * request, already fetched (prefetchPlainFeed).
 *
 * A plain feed big enough to be parsed in several batches (parse-feed.ts) is read twice over the
 * one body it fetched: a first pass hashes each item and notes its source id (dedupe needs the
 * whole listing before it stores the first posting), a second converts and normalizes a batch at
 * a time and hands it on, so neither the feed's items nor its postings are ever all in memory.
 */
export async function readFeed(feed: FeedConfig, ctx: SourceContext, skip: ReadSkip, prefetched: FetchResult | undefined, sink: PostingSink): Promise<FeedRead> {
  const { adapter, feed: resolved } = resolveFeed(feed);
  let ready = prefetched === undefined ? undefined : { url: plainFeedRequest(feed, ctx)?.url, res: prefetched };
  // Held from here on by `ready` alone, and then as boxed() holds it.
  prefetched = undefined;
  const salt = itemSalt(feed);
  const knownItems = skip.knownItems ?? new Map<string, string>();
  const plain = adapter === feedAdapter;
  const digests: string[] = [];
  // A plain feed is one GET: when it repeats the last stored poll's, nothing else can differ, and
  // parsing stops before it starts. Other adapters page, and are compared once they are done.
  const stopEarly = plain && Boolean(skip.bodyHash);
  // The plain feed's response, read again by the second pass (never fetched twice).
  let plainResponse: FetchResult | undefined;
  const fetch = async (req: FetchRequest): Promise<FetchResult> => {
    if (plainResponse) return plainResponse;
    let res: FetchResult;
    if (ready && req.url === ready.url) {
      res = ready.res;
      ready = undefined;
    } else res = await ctx.fetch(req);
    digests.push(responseDigest(res));
    if (stopEarly && digests.length === 1 && !res.notModified && bodiesHash(digests) === skip.bodyHash) throw new SameBody(res);
    if (plain) {
      if (res.notModified) plainResponse = res;
      else plainResponse = boxed(res);
      return plainResponse;
    }
    return res;
  };

  // First pass: every item of a plain feed is hashed and noted, none converted yet.
  let infos: Array<ItemInfo | undefined> = [];
  let batches = 0;
  let lastIndex = -1;
  let dropped = false;
  const keepAll = skip.stream === false;
  // A streamed feed's item: its listed source id kept (only a streamed feed needs it before
  // converting: a feed read whole is listed from its postings), the item itself let go.
  const forget = (info: ItemInfo, baseUrl: string) => {
    if (info.known === undefined && info.item !== null) info.sourceId = itemSourceId(info.item, baseUrl);
    info.item = null;
    info.convert = null;
  };

  const firstPass: ItemHook = (item, baseUrl, convert, index) => {
    if (index <= lastIndex) {
      // The parser started over on the whole document (parse-feed.ts): what the batches gave is dropped.
      infos = [];
      batches = 0;
      dropped = false;
    }
    lastIndex = index;
    // A second batch: the feed is streamed, and the first batch's items are read again then.
    const streamed = batches >= 1 && !keepAll;
    if (streamed && !dropped) {
      for (const info of infos) if (info) forget(info, baseUrl);
      dropped = true;
    }
    const hash = entryHash(salt, baseUrl, item);
    const info: ItemInfo = { hash, known: knownItems.get(hash), sourceId: null, item, convert };
    if (streamed) forget(info, baseUrl);
    infos[index] = info;
    return STUB;
  };

  let read;
  try {
    read = await adapter.read(resolved, {
      ...ctx,
      fetch,
      eachItem: firstPass,
      eachBatch: async () => {
        batches++;
        sink.parsed?.();
      },
    });
  } catch (err) {
    if (!(err instanceof SameBody) || err.res.notModified) throw err;
    return { notModified: true, sameBody: { etag: err.res.etag, lastModified: err.res.lastModified } };
  }
  if (read.notModified) return { notModified: true };
  const bodyHash = bodiesHash(digests);
  if (skip.bodyHash && bodyHash === skip.bodyHash) return { notModified: true, sameBody: { etag: read.etag, lastModified: read.lastModified } };

  const skipped: SkippedEntry[] = [];
  const fieldsCut: Partial<Record<CutField, number>> = {};
  const withCompany = (raw: RawPosting): RawPosting => withFeedCompany([raw], adapter, resolved)[0]!;
  const normalize = (raw: RawPosting, hash: string): HashedPosting | null => {
    try {
      const { posting: bounded, cut } = boundRawPosting(raw);
      for (const field of cut) fieldsCut[field] = (fieldsCut[field] ?? 0) + 1;
      const posting: HashedPosting = normalizePosting(bounded, feed.name, ctx.now);
      // A date ruled out as too far ahead may be believed at a later poll: such an item is read every time.
      posting.rawHash = bounded.published !== null && posting.published === null ? null : hash;
      return posting;
    } catch (err) {
      skipped.push({ sourceId: raw.sourceId.slice(0, 200), reason: err instanceof Error ? err.message : String(err) });
      return null;
    }
  };
  const done = (items: number, postings: number, seen: number, readSkipped: readonly SkippedItem[]): FeedRead => ({
    notModified: false,
    format: read.format,
    items,
    postings,
    seen,
    // The source's own skips (by position) first, then those of normalization, as before streaming.
    skipped: [...readSkipped.map((s) => ({ index: s.index, reason: s.reason })), ...skipped],
    fieldsCut,
    etag: read.etag,
    lastModified: read.lastModified,
    bodyHash,
  });

  if (plain && batches > 1 && !keepAll) {
    // The listing first: every item's source id, each known item once or more.
    const listed = new Map<string, number>();
    for (const info of infos) {
      if (!info) continue;
      const id = info.known ?? (info.sourceId === null ? null : boundedSourceId(info.sourceId));
      if (id !== null) listed.set(id, (listed.get(id) ?? 0) + 1);
    }
    sink.begin([...listed.keys()]);
    // Second pass: a batch at a time, converted, normalized and handed on before the next is parsed.
    let pending: IngestItem[] = [];
    let count = 0;
    let seen = 0;
    const conversionSkips: SkippedItem[] = [];
    lastIndex = -1;
    const secondPass: ItemHook = (_item, _baseUrl, convert, index) => {
      if (index <= lastIndex) throw new Error('the feed parsed differently the second time');
      lastIndex = index;
      const info = infos[index];
      if (!info) throw new Error('the feed parsed differently the second time');
      infos[index] = undefined;
      // A source id listed twice in one poll (two items, one guid): both are read, as without skipping.
      if (info.known !== undefined && listed.get(info.known) === 1) {
        pending.push({ seen: true, feed: feed.name, sourceId: info.known, rawHash: info.hash });
        seen++;
        return STUB;
      }
      const raw = convert();
      if (typeof raw === 'string') {
        conversionSkips.push({ index, reason: raw });
        return STUB;
      }
      const posting = normalize(withCompany(raw), info.hash);
      if (posting) pending.push(posting);
      return STUB;
    };
    const handOn = async () => {
      const items = pending;
      pending = [];
      count += items.length;
      if (items.length > 0) await sink.take(items);
    };
    const again = await adapter.read(resolved, { ...ctx, fetch, eachItem: secondPass, eachBatch: handOn });
    if (again.notModified) throw new Error('the feed parsed differently the second time');
    await handOn();
    const readSkipped = [...again.skipped, ...conversionSkips].sort((a, b) => a.index - b.index);
    return done(again.postings.length + again.skipped.length, count, seen, readSkipped);
  }

  // Read whole: every item converted, normalized and listed before the first is handed on.
  const readSkipped: SkippedItem[] = [...read.skipped];
  const slots: Slot[] = [];
  if (plain) {
    infos.forEach((info, index) => {
      // forEach skips the holes of items the parser did not hand over (not objects).
      if (!info) return;
      const convert = info.convert!;
      if (info.known !== undefined) {
        slots.push({ known: true, sourceId: info.known, hash: info.hash, read: () => {
          const raw = convert();
          return typeof raw === 'string' ? raw : withCompany(raw);
        } });
        return;
      }
      const raw = convert();
      if (typeof raw === 'string') readSkipped.push({ index, reason: raw });
      else slots.push({ known: false, raw: withCompany(raw), hash: info.hash });
    });
    readSkipped.sort((a, b) => a.index - b.index);
  } else {
    for (const raw of withFeedCompany(read.postings, adapter, resolved)) {
      const hash = rawPostingHash(salt, raw);
      const sourceId = knownItems.get(hash);
      slots.push(sourceId === undefined ? { known: false, raw, hash } : { known: true, sourceId, hash, read: () => raw });
    }
  }
  const out: Array<IngestItem | null> = slots.map((slot) => (slot.known ? null : normalize(slot.raw, slot.hash)));

  // A source id listed twice in one poll (two items, one guid): the items take turns writing one
  // sighting, so its stored hash is of only one of them. Both are read, as without skipping.
  const listed = new Map<string, number>();
  const count = (id: string) => listed.set(id, (listed.get(id) ?? 0) + 1);
  slots.forEach((slot, i) => (slot.known ? count(slot.sourceId) : out[i] && count(out[i]!.sourceId)));
  let seen = 0;
  slots.forEach((slot, i) => {
    if (!slot.known) return;
    if (listed.get(slot.sourceId) === 1) {
      out[i] = { seen: true, feed: feed.name, sourceId: slot.sourceId, rawHash: slot.hash };
      seen++;
      return;
    }
    const raw = slot.read();
    if (typeof raw === 'string') skipped.push({ sourceId: slot.sourceId.slice(0, 200), reason: raw });
    else out[i] = normalize(raw, slot.hash);
  });

  const postings = out.filter((p): p is IngestItem => p !== null);
  sink.begin([...new Set(postings.map((p) => p.sourceId))]);
  for (let at = 0; at < postings.length; at += POSTINGS_PER_TAKE) await sink.take(postings.slice(at, at + POSTINGS_PER_TAKE));
  return done(slots.length + readSkipped.length, postings.length, seen, readSkipped);
}
