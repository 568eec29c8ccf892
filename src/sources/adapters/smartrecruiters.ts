/**
 * SmartRecruiters career pages through the public Posting API, paged with limit/offset. The list
 * gives title, place, remote/hybrid flags, experience level and release date, but no job text
 * and no pay: the text would cost one request per posting, which this version does not make.
 */
import { z } from 'zod';
import type { RawPosting } from '../../core/types.js';
import { apiShapeError, date, expectArray, expectObject, fetchJson, isRecord, mapItems, MAX_PAGES, notFoundAs, num, readableName, str } from '../json-api.js';
import type { FeedBase, SkippedItem, SourceAdapter } from '../types.js';

const SOURCE = 'SmartRecruiters';
/** The API's largest page. */
const PAGE_SIZE = 100;

type Feed = FeedBase & Record<string, unknown>;

/** The public postings list of a SmartRecruiters company identifier (first page). */
export function smartRecruitersEndpoint(company: string): string {
  return `https://api.smartrecruiters.com/v1/companies/${encodeURIComponent(company)}/postings`;
}

/** The adapter for `type: smartrecruiters` (key: `company`, as in jobs.smartrecruiters.com/{company}). */
export const smartRecruitersAdapter: SourceAdapter = {
  types: ['smartrecruiters'],
  label: 'SmartRecruiters career page',
  keys: z.strictObject({
    company: z
      .string({ error: 'expected the SmartRecruiters company identifier, as in jobs.smartrecruiters.com/COMPANY' })
      .min(1, 'expected the SmartRecruiters company identifier, as in jobs.smartrecruiters.com/COMPANY'),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: null,
  endpoint: (feed) => pageUrl(baseUrl(feed), 0),
  async read(feed, ctx) {
    const company = companyOf(feed);
    const base = baseUrl(feed);
    const postings: RawPosting[] = [];
    const skipped: SkippedItem[] = [];
    let offset = 0;
    let total: number | null = null;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) {
        ctx.log.warn({ source: SOURCE, pages: MAX_PAGES, read: offset, total }, `${SOURCE}: stopped after ${MAX_PAGES} pages; later postings are not read`);
        break;
      }
      const url = pageUrl(base, offset);
      // Several pages: no conditional GET (one unchanged page says nothing about the others).
      const res = await notFoundAs(fetchJson(ctx, SOURCE, url), `SmartRecruiters company "${company}"`);
      if (res.notModified) throw apiShapeError(SOURCE, `304 Not Modified to an unconditional request for ${url}`);
      const body = expectObject(res.data, SOURCE, 'the top level');
      if (body.content === undefined) throw apiShapeError(SOURCE, 'no "content" list in the postings response');
      const items = expectArray(body.content, SOURCE, 'content');
      total = num(body.totalFound) ?? total;
      const mapped = mapItems(items, (item) => mapPosting(item, company), offset);
      postings.push(...mapped.postings);
      skipped.push(...mapped.skipped);
      offset += items.length;
      // An empty page ends the list even when totalFound is missing or stale.
      if (items.length === 0 || (total !== null && offset >= total)) break;
    }
    return { notModified: false, format: 'SmartRecruiters postings', postings, skipped, etag: null, lastModified: null };
  },
};

function companyOf(feed: Feed): string {
  return String(feed.company ?? '');
}

function baseUrl(feed: Feed): string {
  return feed.url ?? smartRecruitersEndpoint(companyOf(feed));
}

/** `base` with limit and offset set (a `url:` override keeps its own other parameters). */
function pageUrl(base: string, offset: number): string {
  const u = new URL(base);
  u.searchParams.set('limit', String(PAGE_SIZE));
  u.searchParams.set('offset', String(offset));
  return u.href;
}

function mapPosting(item: Record<string, unknown>, companyKey: string): RawPosting | string {
  const id = str(item.id);
  if (!id) return 'no id';
  const title = str(item.name);
  if (!title) return 'no name (title)';
  const owner = isRecord(item.company) ? item.company : {};
  // The posting's page lives under the identifier the API gives, which may differ in case from the key.
  const identifier = str(owner.identifier) ?? companyKey;
  const location = isRecord(item.location) ? item.location : {};
  const posting: RawPosting = {
    sourceId: id,
    url: `https://jobs.smartrecruiters.com/${encodeURIComponent(identifier)}/${encodeURIComponent(id)}`,
    title,
    company: str(owner.name) ?? readableName(companyKey),
    location: locationText(location),
    // The list endpoint carries no job text (see the module comment).
    description: '',
    published: date(item.releasedDate),
    tags: unique([item.experienceLevel, item.typeOfEmployment, item.department, item.function].map((v) => (isRecord(v) ? str(v.label) : null))),
  };
  const arrangement = arrangementOf(location);
  if (arrangement) posting.arrangement = arrangement;
  return posting;
}

/**
 * remote / hybrid flags. Both present and false is on-site; `remote: false` alone (older postings
 * have no `hybrid`) does not tell on-site from hybrid.
 */
function arrangementOf(location: Record<string, unknown>): RawPosting['arrangement'] {
  if (location.remote === true) return 'remote';
  if (location.hybrid === true) return 'hybrid';
  if (location.remote === false && location.hybrid === false) return 'onsite';
  return undefined;
}

/** fullLocation ("Dubai, , United Arab Emirates" has an empty region: dropped), else city, region, country. */
function locationText(location: Record<string, unknown>): string | null {
  const full = str(location.fullLocation);
  const parts = full ? full.split(',') : [location.city, location.region, typeof location.country === 'string' ? location.country.toUpperCase() : null];
  const kept = parts.map(str).filter((p): p is string => p !== null);
  return kept.length > 0 ? kept.join(', ') : null;
}

/** Non-null values, first occurrence kept ("Engineering" is often both department and function). */
function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

