/**
 * The source-adapter contract. A source turns one configured feed into RawPostings. It never
 * opens a socket itself: every request goes through `ctx.fetch` (the shared fetcher: timeouts,
 * size cap, per-host limit). It never stores or logs by itself beyond `ctx.log`.
 */
import type { z } from 'zod';
import type { Logger } from 'pino';
import type { RawPosting } from '../core/types.js';
import type { FetchRequest, FetchResult } from '../http/fetcher.js';

/** What a source may use while reading. */
export interface SourceContext {
  fetch(req: FetchRequest): Promise<FetchResult>;
  log: Logger;
  now: Date;
  /** Validators from the previous successful poll, for conditional GET where the API honours it. */
  etag: string | null;
  lastModified: string | null;
  /** Optional: handed each parsed item with how to convert it, so the reader can skip items it knows (src/pipeline/read-feed.ts). */
  eachItem?: ItemHook;
  /** Optional: awaited after each batch of items went through eachItem, so the reader can pass them on before the next is parsed. */
  eachBatch?: () => Promise<void>;
}

/**
 * Called by a parser for each item instead of converting it (`convert()`): returns what convert()
 * would, or a stand-in the caller recognizes for an item it already knows. `baseUrl` is the
 * address the item's links are resolved against; `index` the item's position in the feed (a
 * parse that starts over, see parse-feed.ts, calls the hook again from 0).
 */
export type ItemHook = (item: unknown, baseUrl: string, convert: () => RawPosting | string, index: number) => RawPosting | string;

/** An item that could not become a posting, and why. */
export interface SkippedItem {
  index: number;
  reason: string;
}

/** The result of reading a source once. */
export type SourceRead =
  | { notModified: true }
  | {
      notModified: false;
      /** Human name of what was read: "RSS 2.0", "Greenhouse job board", ... */
      format: string;
      postings: RawPosting[];
      skipped: SkippedItem[];
      /** Validators to send next time (null when the API gives none). */
      etag: string | null;
      lastModified: string | null;
    };

/** The keys every feed has, whatever its type. */
export interface FeedBase {
  name: string;
  type: string;
  /** Replaces the public endpoint entirely (proxies, mirrors, tests). Required for plain feeds. */
  url?: string;
  schedule?: string;
  enabled: boolean;
  /**
   * The hiring company as the user names it: wins over a name guessed from the board slug and
   * fills in for postings that name none. (SmartRecruiters and Recruitee use `company` as their
   * account key; their APIs name the company.)
   */
  company?: string;
}

/** A source adapter: one per `type:` value (several types may share one adapter). */
export interface SourceAdapter {
  /** The `type:` values this adapter serves. */
  readonly types: readonly string[];
  /** Human name for logs and `check`: "Greenhouse job board". */
  readonly label: string;
  /** The adapter's own config keys (besides name, type, url, schedule, enabled). */
  readonly keys: z.ZodObject;
  /** True when `url` is required (plain feeds); adapters derive it from their keys otherwise. */
  readonly urlRequired: boolean;
  /** Schedule used when the feed sets none; null means the config's default schedule. */
  readonly defaultSchedule: string | null;
  /** Where the source asks to be credited in alerts (RemoteOK, Remotive terms); shown as the feed's link. */
  readonly attribution: { text: string; url: string } | null;
  /** The first URL the feed reads (for `check` and logs). */
  endpoint(feed: FeedBase & Record<string, unknown>): string;
  /** Reads the source once, following pagination to the end (bounded). Throws FetchError / ParseError. */
  read(feed: FeedBase & Record<string, unknown>, ctx: SourceContext): Promise<SourceRead>;
  /**
   * For `type: auto`: the adapter keys a pasted browser URL stands for
   * (boards.greenhouse.io/acme -> { type: 'greenhouse', board: 'acme' }), or null.
   */
  recognize?(url: string): ({ type: string } & Record<string, unknown>) | null;
  /**
   * The board key whose readable form stands in for the company ("meridianfreight" ->
   * "Meridianfreight") and whether that is always so (Lever, Ashby name no company) or only
   * when the API names none; undefined for sources that carry the company per posting.
   */
  companySlug?(feed: FeedBase & Record<string, unknown>): { slug: string; always: boolean } | null;
  /** Warnings `check` prints for this feed (e.g. polling faster than the source's terms ask). */
  warnings?(feed: FeedBase & Record<string, unknown>, schedule: string): string[];
  /**
   * A cap the source's terms put on polling its servers: any feed read from these hosts (through
   * this adapter or as a plain feed) whose schedule fires more often runs on `schedule` instead.
   */
  readonly pollLimit?: PollLimit;
}

/** How often a source lets its servers be polled. */
export interface PollLimit {
  /** Host names (subdomains included) the limit protects. */
  readonly hosts: readonly string[];
  readonly maxPerDay: number;
  /** The schedule used instead of a faster one. */
  readonly schedule: string;
  /** What the source asks for, in words for `check` and the log. */
  readonly ask: string;
}
