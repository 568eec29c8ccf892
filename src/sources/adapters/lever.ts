/**
 * Lever job sites (api.lever.co / api.eu.lever.co postings API): a JSON list of postings read
 * page by page with skip/limit, with structured pay (salaryRange) and workplace type.
 */
import { z } from 'zod';
import { FetchError, ParseError } from '../../core/errors.js';
import type { Arrangement, RawPosting, Salary, SalaryPeriod } from '../../core/types.js';
import { tidyPlainText } from '../../normalize/html-text.js';
import { structuredPay } from '../../normalize/salary-sanity.js';
import { countryName } from '../../places/places.js';
import { apiShapeError, date, expectArray, fetchJson, isRecord, mapItems, MAX_PAGES, num, readableName, str } from '../json-api.js';
import type { SkippedItem, SourceAdapter, SourceContext } from '../types.js';
import { atsHtmlToText, parseHttpUrl, pathSegments } from './greenhouse.js';

type Region = 'us' | 'eu';

const API_HOSTS: Record<Region, string> = { us: 'https://api.lever.co', eu: 'https://api.eu.lever.co' };
const SITE_HOSTS: Record<Region, string> = { us: 'https://jobs.lever.co', eu: 'https://jobs.eu.lever.co' };
/** Postings asked for per request; a shorter page is the last one. */
export const LEVER_PAGE_SIZE = 100;

/** The adapter for `type: lever` (keys `site`, `region`). */
export const leverAdapter: SourceAdapter = {
  types: ['lever'],
  label: 'Lever job site',
  keys: z.strictObject({
    site: z
      .string({ error: 'expected the Lever site name, the word after jobs.lever.co/ in the job site address' })
      .trim()
      .min(1, 'must not be empty'),
    region: z.enum(['us', 'eu'], { error: 'expected "us" (jobs.lever.co, the default) or "eu" (jobs.eu.lever.co)' }).optional(),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: null,
  companySlug: (feed) => ({ slug: String(feed.site ?? ''), always: true }),
  endpoint: (feed) => pageUrl(baseUrl(feed), 0),
  async read(feed, ctx) {
    const site = String(feed.site);
    const region = regionOf(feed);
    const source = `Lever site "${site}"`;
    const base = baseUrl(feed);
    const postings: RawPosting[] = [];
    const skipped: SkippedItem[] = [];
    const seen = new Set<string>();
    // Paged, so no conditional GET: a 304 on page one would say nothing about the pages after it.
    for (let page = 0; page < MAX_PAGES; page++) {
      const skip = page * LEVER_PAGE_SIZE;
      const items = await fetchPage(ctx, source, pageUrl(base, skip), site);
      const mapped = mapItems(items, (item) => mapPosting(item, site, region), skip);
      skipped.push(...mapped.skipped);
      let fresh = 0;
      for (const p of mapped.postings) {
        if (seen.has(p.sourceId)) continue;
        seen.add(p.sourceId);
        postings.push(p);
        fresh++;
      }
      if (items.length < LEVER_PAGE_SIZE) return done(postings, skipped);
      // A server that ignores `skip` would send page one forever.
      if (fresh === 0 && mapped.postings.length > 0) {
        ctx.log.warn({ source, skip }, 'Lever sent a page of postings already read; stopped paging');
        return done(postings, skipped);
      }
    }
    ctx.log.warn({ source, pages: MAX_PAGES, postings: postings.length }, 'Lever: stopped at the page limit; later postings were not read');
    return done(postings, skipped);
  },
  recognize(url) {
    const parsed = parseHttpUrl(url);
    if (!parsed) return null;
    const segments = pathSegments(parsed);
    const host = parsed.hostname;
    if ((host === 'jobs.lever.co' || host === 'jobs.eu.lever.co') && segments[0]) {
      return { type: 'lever', site: segments[0], region: host === 'jobs.eu.lever.co' ? 'eu' : 'us' };
    }
    if ((host === 'api.lever.co' || host === 'api.eu.lever.co') && segments[0] === 'v0' && segments[1] === 'postings' && segments[2]) {
      return { type: 'lever', site: segments[2], region: host === 'api.eu.lever.co' ? 'eu' : 'us' };
    }
    return null;
  },
};

function done(postings: RawPosting[], skipped: SkippedItem[]) {
  return { notModified: false as const, format: 'Lever job site', postings, skipped, etag: null, lastModified: null };
}

function regionOf(feed: Record<string, unknown>): Region {
  return feed.region === 'eu' ? 'eu' : 'us';
}

function baseUrl(feed: { url?: string } & Record<string, unknown>): string {
  return feed.url ?? `${API_HOSTS[regionOf(feed)]}/v0/postings/${encodeURIComponent(String(feed.site))}?mode=json`;
}

// skip/limit go on whatever URL is read, the public one or a `url:` override.
function pageUrl(base: string, skip: number): string {
  const url = new URL(base);
  url.searchParams.set('skip', String(skip));
  url.searchParams.set('limit', String(LEVER_PAGE_SIZE));
  return url.href;
}

async function fetchPage(ctx: SourceContext, source: string, url: string, site: string): Promise<unknown[]> {
  let res;
  try {
    res = await fetchJson(ctx, source, url);
  } catch (err) {
    if (err instanceof FetchError && err.status === 404) {
      throw new FetchError(`Lever site "${site}" not found (${err.message}); the site name is the word after jobs.lever.co/ in the job site address, and EU sites need region: eu`, {
        url: err.url,
        status: 404,
        cause: err,
      });
    }
    throw err;
  }
  if (res.notModified) throw apiShapeError(source, 'answered 304 Not Modified to a plain request');
  // Lever answers an unknown site with {"ok": false, "error": "Document not found"}.
  if (isRecord(res.data) && res.data.ok === false) {
    const why = str(res.data.error) ?? 'no reason given';
    throw new ParseError(`Lever site "${site}": the API answered "${why}"; check the site name (jobs.lever.co/<site>) and region`);
  }
  return expectArray(res.data, source, 'the top level (a list of postings)');
}

function mapPosting(item: Record<string, unknown>, site: string, region: Region): RawPosting | string {
  const id = str(item.id);
  if (!id) return 'no id';
  const title = str(item.text);
  if (!title) return 'no title (text)';
  const categories = isRecord(item.categories) ? item.categories : {};
  const posting: RawPosting = {
    sourceId: id,
    url: str(item.hostedUrl) ?? `${SITE_HOSTS[region]}/${encodeURIComponent(site)}/${encodeURIComponent(id)}`,
    title,
    company: readableName(site),
    // `country` is an ISO code: named, so "IN" is India and "CO" Colombia, not US states.
    location: locationOf(categories) ?? countryName(str(item.country)) ?? str(item.country),
    description: descriptionOf(item),
    published: date(item.createdAt),
    salary: salaryOf(item.salaryRange),
  };
  const arrangement = arrangementOf(item.workplaceType);
  if (arrangement) posting.arrangement = arrangement;
  const tags = [categories.team, categories.department, categories.commitment].map(str).filter((t): t is string => t !== null);
  if (tags.length > 0) posting.tags = [...new Set(tags)];
  return posting;
}

// allLocations lists every place of a multi-location posting; location is the first of them.
function locationOf(categories: Record<string, unknown>): string | null {
  const all = Array.isArray(categories.allLocations) ? categories.allLocations.map(str).filter((l): l is string => l !== null) : [];
  const primary = str(categories.location);
  const places = [...new Set(primary ? [primary, ...all] : all)];
  return places.length > 0 ? places.join('; ') : null;
}

/** The posting's body, its lists ("Requirements", ...), its closing part and its pay note, as text. */
function descriptionOf(item: Record<string, unknown>): string {
  const parts: string[] = [];
  parts.push(textOf(item.description, item.descriptionPlain));
  if (Array.isArray(item.lists)) {
    for (const list of item.lists) {
      if (!isRecord(list)) continue;
      const heading = str(list.text);
      const content = typeof list.content === 'string' ? list.content : '';
      // List content is bare <li> elements; a <ul> around them makes "- " items.
      const body = content.trim() === '' ? '' : atsHtmlToText(/<\s*[uo]l\b/i.test(content) ? content : `<ul>${content}</ul>`);
      parts.push([heading, body].filter(Boolean).join('\n'));
    }
  }
  parts.push(textOf(item.additional, item.additionalPlain));
  parts.push(textOf(item.salaryDescription, item.salaryDescriptionPlain));
  return parts.filter((p) => p !== '').join('\n\n');
}

function textOf(html: unknown, plain: unknown): string {
  if (typeof html === 'string' && html.trim() !== '') return atsHtmlToText(html);
  return typeof plain === 'string' ? tidyPlainText(plain) : '';
}

// Lever's intervals, as a period and the factor that brings the amount to it. "bi-month-salary"
// (twice a month, or every two months?) and "one-time" are not read: the text gets its say.
const INTERVALS: Record<string, { period: SalaryPeriod; factor: number }> = {
  'per-year-salary': { period: 'year', factor: 1 },
  'per-month-salary': { period: 'month', factor: 1 },
  'semi-month-salary': { period: 'month', factor: 2 },
  'per-week-salary': { period: 'week', factor: 1 },
  'bi-week-salary': { period: 'week', factor: 0.5 },
  'per-day-wage': { period: 'day', factor: 1 },
  'per-hour-wage': { period: 'hour', factor: 1 },
};

function salaryOf(range: unknown): Salary | null {
  if (!isRecord(range)) return null;
  const interval = INTERVALS[str(range.interval)?.toLowerCase() ?? ''];
  if (!interval) return null;
  const amount = (v: unknown): number | null => {
    const n = num(v);
    // A zero bound is a placeholder, not a pay.
    return n === null || n <= 0 ? null : Math.round(n * interval.factor * 100) / 100;
  };
  // A 0/0 range (Yassir's DZD posting) is no salary; structuredPay drops it.
  return structuredPay({ min: amount(range.min), max: amount(range.max), currency: str(range.currency), period: interval.period, periodStated: true });
}

function arrangementOf(workplaceType: unknown): Arrangement | undefined {
  switch (str(workplaceType)?.toLowerCase()) {
    case 'remote':
      return 'remote';
    case 'hybrid':
      return 'hybrid';
    case 'onsite':
    case 'on-site':
      return 'onsite';
    default:
      // "unspecified" or absent: the text decides.
      return undefined;
  }
}
