/** Plain feeds (RSS 2.0, RSS 1.0, Atom, JSON Feed): one conditional GET, then parseFeed. */
import { z } from 'zod';
import { packedHandle, parseFeed } from '../parse-feed.js';
import type { SourceAdapter } from '../types.js';

const FORMAT_NAMES = { rss: 'RSS 2.0', rdf: 'RSS 1.0 (RDF)', atom: 'Atom', jsonfeed: 'JSON Feed' } as const;

/** The adapter for `type: auto | rss | atom | rdf | jsonfeed`. */
export const feedAdapter: SourceAdapter = {
  types: ['auto', 'rss', 'atom', 'rdf', 'jsonfeed'],
  label: 'RSS / Atom / JSON Feed',
  keys: z.strictObject({}),
  urlRequired: true,
  defaultSchedule: null,
  attribution: null,
  endpoint: (feed) => feed.url!,
  async read(feed, ctx) {
    const res = await ctx.fetch({ url: feed.url!, etag: ctx.etag, lastModified: ctx.lastModified });
    if (res.notModified) return { notModified: true };
    // The bytes, not the text: a big body is read a batch at a time (parse-feed.ts FeedBytes), a
    // packed one from its blocks.
    const bytes = res.packed ? packedHandle(res.packed, res.contentType) : res.body;
    const parsed = await parseFeed({ bytes, contentType: res.contentType, text: () => res.text }, {
      type: feed.type as 'auto' | 'rss' | 'atom' | 'rdf' | 'jsonfeed',
      baseUrl: res.url,
      ...(ctx.eachItem ? { eachItem: ctx.eachItem } : {}),
      ...(ctx.eachBatch ? { eachBatch: ctx.eachBatch } : {}),
    });
    return {
      notModified: false,
      format: FORMAT_NAMES[parsed.format],
      postings: parsed.postings,
      skipped: parsed.skipped,
      etag: res.etag,
      lastModified: res.lastModified,
    };
  },
};
