/**
 * Size limits on a posting's fields (README "Oversized postings"). A 1 MB title is not a title: it is
 * a broken or hostile feed, and every text step after this one (dedupe keys, salary, places, alerts)
 * may look at a field more than once, so fields are cut where postings are built, before any of them.
 * Pure; the caller counts what was cut and logs it once per poll.
 */
import { createHash } from 'node:crypto';
import type { RawPosting } from '../core/types.js';
import { stripNul } from './nul.js';

/** The longest value kept of each field, in characters (UTF-16 code units). */
export const FIELD_LIMITS = {
  /** Real titles stay under 150; a "title" beyond this is a paragraph pasted in the wrong place. */
  title: 300,
  company: 200,
  /** Long enough for a list of a dozen offices. */
  location: 300,
  /** About 15,000 words: ten times a long posting. */
  description: 100_000,
  /** Longer ids are replaced by a hash of themselves: still stable across polls, never two ids made one. */
  sourceId: 1_000,
  /** A longer link is no link a person can open; the item is skipped rather than cut into a broken one. */
  url: 8_000,
  tag: 100,
  tags: 50,
} as const;

/** The fields boundRawPosting may cut. */
export type CutField = 'title' | 'company' | 'location' | 'description' | 'sourceId' | 'tags';

/** The posting with every field within FIELD_LIMITS, and which fields were cut; throws when the link is too long to keep. */
export function boundRawPosting(raw: RawPosting): { posting: RawPosting; cut: CutField[] } {
  if (raw.url.length > FIELD_LIMITS.url) throw new RangeError(`link longer than ${FIELD_LIMITS.url} characters`);
  const cut: CutField[] = [];
  const line = (field: 'title' | 'company' | 'location', value: string | null): string | null => {
    if (value === null || value.length <= FIELD_LIMITS[field]) return value;
    cut.push(field);
    return cutText(value, FIELD_LIMITS[field], ' ');
  };
  const posting: RawPosting = { ...raw };
  posting.title = line('title', raw.title) ?? '';
  posting.company = line('company', raw.company);
  posting.location = line('location', raw.location);
  if (raw.description.length > FIELD_LIMITS.description) {
    cut.push('description');
    posting.description = cutText(raw.description, FIELD_LIMITS.description, '\n');
  }
  if (raw.sourceId.length > FIELD_LIMITS.sourceId) {
    cut.push('sourceId');
    posting.sourceId = boundedSourceId(raw.sourceId);
  }
  if (raw.tags && (raw.tags.length > FIELD_LIMITS.tags || raw.tags.some((t) => t.length > FIELD_LIMITS.tag))) {
    cut.push('tags');
    posting.tags = raw.tags.slice(0, FIELD_LIMITS.tags).map((t) => (t.length > FIELD_LIMITS.tag ? cutText(t, FIELD_LIMITS.tag, ' ') : t));
  }
  return { posting, cut };
}

/**
 * `text` cut to at most `max` characters, an ellipsis included: at the last `boundary` (a space, a
 * line break) in the final fifth when there is one, so no word is cut in half; never inside a
 * surrogate pair.
 */
export function cutText(text: string, max: number, boundary: string): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const at = text.lastIndexOf(boundary, end);
  if (at >= max * 0.8) end = at;
  else if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * The source id a posting is stored under: itself without NUL characters (as normalizePosting
 * stores it, so a poll's listing of ids names what is stored), or its SHA-256 when over the limit
 * (an id is never cut).
 */
export function boundedSourceId(sourceId: string): string {
  const id = stripNul(sourceId);
  return id.length > FIELD_LIMITS.sourceId ? `sha256:${createHash('sha256').update(id).digest('hex')}` : id;
}
