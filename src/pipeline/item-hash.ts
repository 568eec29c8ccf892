/**
 * The hashes that let a poll skip work it did before (issue 9): of a feed's response bodies, and of
 * each item as its source gave it, before converting and normalizing. Equal hashes must mean equal
 * results, so what else decides the result is hashed in too (see itemSalt); a stored hash never
 * names the work, only what it was done on.
 */
import { createHash } from 'node:crypto';
import type { FeedConfig } from '../config/schema.js';
import type { RawPosting } from '../core/types.js';
import type { FetchResult } from '../http/fetcher.js';
import { VERSION } from '../version.js';
import { feedIdentity } from './feed-identity.js';

/**
 * What an item's conversion and normalization depend on besides the item: jobalert's code (a new
 * version may read items differently: every item is read once again after an upgrade) and the
 * feed's config (`company:` fills postings in; another board is another feed).
 */
export function itemSalt(feed: FeedConfig): string {
  return `jobalert ${VERSION}\0${feedIdentity(feed).configHash}`;
}

/** The hash of a parsed feed item (before it is converted: HTML to text, company, places) read from `baseUrl`. */
export function entryHash(salt: string, baseUrl: string, entry: unknown): string {
  return digest(`entry\0${salt}\0${baseUrl}\0${JSON.stringify(entry)}`);
}

/** The hash of a posting as an adapter gave it (before it is bounded and normalized). */
export function rawPostingHash(salt: string, raw: RawPosting): string {
  return digest(`raw\0${salt}\0${JSON.stringify(raw)}`);
}

/** The digest of one response: its status, final URL, content type (it decides the charset) and body bytes. */
export function responseDigest(res: FetchResult): string {
  const hash = createHash('sha256');
  if (res.notModified) return hash.update(`304\0${res.url}`).digest('base64url');
  hash.update(`${res.status}\0${res.url}\0${res.contentType ?? ''}\0`);
  // A packed body (a big one) by the hash of its bytes, taken as they came: whether a body is
  // packed depends on its size alone, so the same body always gives the same digest.
  if (res.packed) return hash.update(`packed\0${res.packed.sha256}`).digest('base64url');
  return hash.update(res.body).digest('base64url');
}

/** The hash of one poll's responses, in the order they were made: equal only when every one is. */
export function bodiesHash(digests: readonly string[]): string {
  return digest(`bodies\0${digests.join('\0')}`);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
