/**
 * Everything one poll of one feed computes before the store: the source adapter's read (fetch +
 * parse), the feed's company, field limits, normalization. It only reaches the outside through
 * `ctx` (fetch, log), so it runs the same in the main thread and in a worker (feed-worker.ts).
 */
import type { FeedConfig } from '../config/schema.js';
import type { Posting } from '../core/types.js';
import { boundRawPosting, type CutField } from '../normalize/field-limits.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { withFeedCompany } from '../sources/feed-company.js';
import { resolveFeed } from '../sources/registry.js';
import type { SourceContext } from '../sources/types.js';

/** An item of the feed that did not become a posting, and why. */
export interface SkippedEntry {
  /** The item's position in the feed (parse failures), or its source id (normalization failures). */
  index?: number;
  sourceId?: string;
  reason: string;
}

/** What one read of a feed gives the store. */
export type FeedRead =
  | { notModified: true }
  | {
      notModified: false;
      format: string;
      /** Items the source gave, postings and skipped alike. */
      items: number;
      postings: Posting[];
      skipped: SkippedEntry[];
      /** How many postings had each field cut to its limit (README "Oversized postings"); empty when none. */
      fieldsCut: Partial<Record<CutField, number>>;
      etag: string | null;
      lastModified: string | null;
    };

/** Reads one feed and normalizes its postings; throws FetchError / ParseError as the adapter does. */
export async function readFeed(feed: FeedConfig, ctx: SourceContext): Promise<FeedRead> {
  const { adapter, feed: resolved } = resolveFeed(feed);
  const read = await adapter.read(resolved, ctx);
  if (read.notModified) return { notModified: true };
  const postings: Posting[] = [];
  const skipped: SkippedEntry[] = read.skipped.map((s) => ({ index: s.index, reason: s.reason }));
  const fieldsCut: Partial<Record<CutField, number>> = {};
  for (const raw of withFeedCompany(read.postings, adapter, resolved)) {
    try {
      const { posting, cut } = boundRawPosting(raw);
      for (const field of cut) fieldsCut[field] = (fieldsCut[field] ?? 0) + 1;
      postings.push(normalizePosting(posting, feed.name, ctx.now));
    } catch (err) {
      skipped.push({ sourceId: raw.sourceId.slice(0, 200), reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return {
    notModified: false,
    format: read.format,
    items: read.postings.length + read.skipped.length,
    postings,
    skipped,
    fieldsCut,
    etag: read.etag,
    lastModified: read.lastModified,
  };
}
