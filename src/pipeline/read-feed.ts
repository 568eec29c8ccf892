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
import { boundRawPosting, type CutField } from '../normalize/field-limits.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { feedAdapter } from '../sources/adapters/feed.js';
import { withFeedCompany } from '../sources/feed-company.js';
import { resolveFeed } from '../sources/registry.js';
import type { SourceContext } from '../sources/types.js';
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
}

/** What one read of a feed gives the store. */
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
      /** In feed order; SeenItems for the items whose raw hash was known. */
      postings: IngestItem[];
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

// Thrown through a plain feed's adapter when its one response repeats the last stored poll's.
class SameBody {
  constructor(readonly res: FetchResult) {}
}

// One item on its way to the store: known (its stored source id, and how to read it after all), or read.
type Slot =
  | { known: true; sourceId: string; hash: string; read: () => RawPosting | string }
  | { known: false; raw: RawPosting; hash: string };

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

// The request the plain feed adapter (adapters/feed.ts) makes, or null for other adapters.
function plainFeedRequest(feed: FeedConfig, ctx: SourceContext): FetchRequest | null {
  const { adapter, feed: resolved } = resolveFeed(feed);
  if (adapter !== feedAdapter || !resolved.url) return null;
  return { url: resolved.url, etag: ctx.etag, lastModified: ctx.lastModified };
}

/**
 * Reads one feed and normalizes its postings; throws FetchError / ParseError as the adapter does.
 * `prefetched`: the answer to the plain feed's request, already fetched (prefetchPlainFeed).
 */
export async function readFeed(feed: FeedConfig, ctx: SourceContext, skip: ReadSkip = {}, prefetched?: FetchResult): Promise<FeedRead> {
  const { adapter, feed: resolved } = resolveFeed(feed);
  let ready = prefetched === undefined ? undefined : { url: plainFeedRequest(feed, ctx)?.url, res: prefetched };
  const salt = itemSalt(feed);
  const knownItems = skip.knownItems ?? new Map<string, string>();
  const digests: string[] = [];
  // A plain feed is one GET: when it repeats the last stored poll's, nothing else can differ, and
  // parsing stops before it starts. Other adapters page, and are compared once they are done.
  const stopEarly = adapter === feedAdapter && Boolean(skip.bodyHash);
  const fetch = async (req: FetchRequest): Promise<FetchResult> => {
    let res: FetchResult;
    if (ready && req.url === ready.url) {
      res = ready.res;
      ready = undefined;
    } else res = await ctx.fetch(req);
    digests.push(responseDigest(res));
    if (stopEarly && digests.length === 1 && !res.notModified && bodiesHash(digests) === skip.bodyHash) throw new SameBody(res);
    return res;
  };
  // Plain feeds hand over each item before converting it: a known one is never converted.
  const stubs = new Map<RawPosting, { sourceId: string; hash: string; read: () => RawPosting | string }>();
  const entryHashes = new Map<RawPosting, string>();
  const eachItem = (item: unknown, baseUrl: string, convert: () => RawPosting | string): RawPosting | string => {
    const hash = entryHash(salt, baseUrl, item);
    const sourceId = knownItems.get(hash);
    if (sourceId !== undefined) {
      const stub: RawPosting = { sourceId, url: '', title: '', company: null, location: null, description: '', published: null };
      stubs.set(stub, { sourceId, hash, read: convert });
      return stub;
    }
    const raw = convert();
    if (typeof raw !== 'string') entryHashes.set(raw, hash);
    return raw;
  };

  let read;
  try {
    read = await adapter.read(resolved, { ...ctx, fetch, eachItem });
  } catch (err) {
    if (!(err instanceof SameBody) || err.res.notModified) throw err;
    return { notModified: true, sameBody: { etag: err.res.etag, lastModified: err.res.lastModified } };
  }
  if (read.notModified) return { notModified: true };
  const bodyHash = bodiesHash(digests);
  if (skip.bodyHash && bodyHash === skip.bodyHash) return { notModified: true, sameBody: { etag: read.etag, lastModified: read.lastModified } };

  const withCompany = withFeedCompany(read.postings, adapter, resolved);
  const slots: Slot[] = read.postings.map((original, i): Slot => {
    const stub = stubs.get(original);
    if (stub) return { known: true, ...stub };
    const raw = withCompany[i]!;
    const hash = entryHashes.get(original) ?? rawPostingHash(salt, raw);
    const sourceId = knownItems.get(hash);
    return sourceId === undefined ? { known: false, raw, hash } : { known: true, sourceId, hash, read: () => raw };
  });

  const skipped: SkippedEntry[] = read.skipped.map((s) => ({ index: s.index, reason: s.reason }));
  const fieldsCut: Partial<Record<CutField, number>> = {};
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

  return {
    notModified: false,
    format: read.format,
    items: read.postings.length + read.skipped.length,
    postings: out.filter((p): p is IngestItem => p !== null),
    seen,
    skipped,
    fieldsCut,
    etag: read.etag,
    lastModified: read.lastModified,
    bodyHash,
  };
}
