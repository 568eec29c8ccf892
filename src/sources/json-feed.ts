/**
 * JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/) to feed entries.
 * Extensions (keys starting with "_") are ignored; a malformed item becomes null so the caller
 * can skip it without failing the feed.
 */
import { ParseError } from '../core/errors.js';
import type { FeedEntry } from './parse-feed.js';

const VERSION_RE = /^https?:\/\/jsonfeed\.org\/version\//;

/** Parses a JSON Feed body into its title and entries (null for an item that is not an object); throws ParseError when the body is not a JSON Feed. */
export function parseJsonFeed(text: string): { title: string | null; entries: Array<FeedEntry | null> } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ParseError(`invalid JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
  }
  if (!isRecord(doc)) throw new ParseError('not a JSON Feed (the JSON is not an object)');
  if (typeof doc['version'] !== 'string' || !VERSION_RE.test(doc['version'])) {
    throw new ParseError('not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")');
  }
  const items = doc['items'];
  if (items !== undefined && !Array.isArray(items)) throw new ParseError('invalid JSON Feed: "items" is not an array');
  return {
    title: stringOf(doc['title']),
    entries: (items ?? []).map((item: unknown) => (isRecord(item) ? entryFromItem(item) : null)),
  };
}

// The feed-level author is the board that publishes the feed, never the hiring company, so only
// the item's own author is read.
function entryFromItem(item: Record<string, unknown>): FeedEntry {
  return {
    ids: [stringOf(item['id'])],
    link: stringOf(item['url']) ?? stringOf(item['external_url']),
    title: stringOf(item['title']),
    html: stringOf(item['content_html']),
    text: stringOf(item['content_text']) ?? stringOf(item['summary']),
    dates: [stringOf(item['date_published']), stringOf(item['date_modified'])],
    author: authorName(item),
    company: null,
    location: null,
    tags: Array.isArray(item['tags']) ? item['tags'].filter((t): t is string => typeof t === 'string') : [],
  };
}

// 1.1 has "authors": [{name}]; 1.0 had "author": {name}.
function authorName(obj: Record<string, unknown>): string | null {
  const authors = obj['authors'];
  if (Array.isArray(authors)) {
    for (const author of authors) {
      const name = isRecord(author) ? stringOf(author['name']) : null;
      if (name !== null) return name;
    }
  }
  const author = obj['author'];
  return isRecord(author) ? stringOf(author['name']) : null;
}

// Ids are strings by the spec, but numbers are common in the wild.
function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
