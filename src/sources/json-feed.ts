/**
 * JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/) to feed entries.
 * Extension objects (keys starting with "_", the spec's convention: `_job: {company, location}`)
 * hand their simple values to item-fields.ts, and a short summary such as "Sundial Health — New
 * York, NY" names company and place. A malformed item becomes null so the caller can skip it
 * without failing the feed.
 */
import { ParseError } from '../core/errors.js';
import { companyPlaceFields, simpleField, type ItemField } from './item-fields.js';
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
    fields: [...extensionFields(item), ...companyPlaceFields(stringOf(item['summary']))],
    tags: Array.isArray(item['tags']) ? item['tags'].filter((t): t is string => typeof t === 'string') : [],
  };
}

const PERIOD_WORDS: Record<string, string> = {
  hour: 'hour', hourly: 'hour', day: 'day', daily: 'day', week: 'week', weekly: 'week',
  month: 'month', monthly: 'month', year: 'year', yearly: 'year', annual: 'year', annually: 'year',
};

// `_job: {company: "...", location: "...", salary: {...}}`: every simple value of every extension,
// nested objects one level down named by their own key ("_job.salary.text").
function extensionFields(item: Record<string, unknown>): ItemField[] {
  const out: ItemField[] = [];
  const add = (name: string, value: unknown, depth: number): void => {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
      const field = simpleField(name, String(value));
      if (field) out.push(field);
    } else if (Array.isArray(value) && depth < 2) {
      for (const v of value) add(name, v, depth + 1);
    } else if (isRecord(value) && (value['min'] !== undefined || value['max'] !== undefined)) {
      // A pay object {min, max, currency, period} as the text the salary parser reads.
      const period = PERIOD_WORDS[String(value['period'] ?? value['unit'] ?? '').toLowerCase()];
      const text = [value['currency'], value['min'], '-', value['max'], period ? `per ${period}` : null].filter((v) => v !== undefined && v !== null).join(' ');
      const field = simpleField(name, text);
      if (field) out.push(field);
    } else if (isRecord(value) && depth < 2) {
      for (const [k, v] of Object.entries(value)) add(`${name}:${k}`, v, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(item)) {
    if (key.startsWith('_') && isRecord(value)) for (const [k, v] of Object.entries(value)) add(`${key}:${k}`, v, 0);
  }
  return out;
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
