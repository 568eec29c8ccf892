/** What a feed IS, for telling whether stored state still belongs to it: its address and a hash of its config. */
import crypto from 'node:crypto';
import type { FeedConfig } from '../config/schema.js';
import { resolveFeed } from '../sources/registry.js';

// Keys that say when or whether a feed is polled, not what is polled: changing them keeps the state.
const NOT_IDENTITY = new Set(['name', 'schedule', 'enabled']);

/** The feed's address without credentials (shown by check) and a SHA-256 of every key that decides what is fetched. */
export function feedIdentity(feed: FeedConfig): { url: string; configHash: string } {
  const { adapter, feed: resolved } = resolveFeed(feed);
  const url = stripCredentials(resolved.url ?? adapter.endpoint(resolved));
  const keys = Object.keys(feed)
    .filter((k) => !NOT_IDENTITY.has(k) && feed[k] !== undefined)
    .sort();
  // A hash, not the values: a token or a password in a URL must not be stored in clear.
  const canonical = JSON.stringify(keys.map((k) => [k, feed[k]]));
  return { url, configHash: crypto.createHash('sha256').update(canonical).digest('hex') };
}

/** The URL with any user:password@ removed; unparsable text is returned as it is. */
export function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}
