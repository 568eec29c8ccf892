/**
 * Greenhouse job boards (boards-api.greenhouse.io): the whole board in one JSON response, with
 * the description (entity-encoded HTML) and the pay-transparency ranges in the same list.
 */
import { z } from 'zod';
import { FetchError } from '../../core/errors.js';
import type { Arrangement, RawPosting, Salary, SalaryPeriod } from '../../core/types.js';
import { decodeEntities, htmlToPlainText } from '../../normalize/html-text.js';
import { structuredPay } from '../../normalize/salary-sanity.js';
import { date, expectArray, expectObject, fetchJson, isRecord, mapItems, num, readableName, str } from '../json-api.js';
import type { SourceAdapter, SourceContext } from '../types.js';

const API_BASE = 'https://boards-api.greenhouse.io/v1/boards/';
// Hosts a board is shown on in a browser; EU boards (*.eu.greenhouse.io) use another API host
// this adapter does not read, so they are not recognized.
const BOARD_HOSTS = new Set(['boards.greenhouse.io', 'job-boards.greenhouse.io']);

/** The adapter for `type: greenhouse` (key `board`). */
export const greenhouseAdapter: SourceAdapter = {
  types: ['greenhouse'],
  label: 'Greenhouse job board',
  keys: z.strictObject({
    board: z
      .string({ error: 'expected the board name, the word after boards.greenhouse.io/ in the board address' })
      .trim()
      .min(1, 'must not be empty'),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: null,
  companySlug: (feed) => ({ slug: String(feed.board ?? ''), always: false }),
  endpoint: (feed) => feed.url ?? publicEndpoint(String(feed.board)),
  async read(feed, ctx) {
    const board = String(feed.board);
    const source = `Greenhouse board "${board}"`;
    const res = await fetchBoard(ctx, source, feed.url ?? publicEndpoint(board), board);
    if (res.notModified) return { notModified: true };
    const body = expectObject(res.data, source, 'the top level');
    const jobs = expectArray(body.jobs, source, '"jobs"');
    const { postings, skipped } = mapItems(jobs, (job) => mapJob(job, board));
    return { notModified: false, format: 'Greenhouse job board', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
  recognize(url) {
    const parsed = parseHttpUrl(url);
    if (!parsed) return null;
    const segments = pathSegments(parsed);
    if (BOARD_HOSTS.has(parsed.hostname)) {
      // The embedded board names its board in a parameter: /embed/job_board?for=acme.
      if (segments[0] === 'embed') {
        const board = parsed.searchParams.get('for')?.trim();
        return board ? { type: 'greenhouse', board } : null;
      }
      return segments[0] ? { type: 'greenhouse', board: segments[0] } : null;
    }
    if (parsed.hostname === 'boards-api.greenhouse.io' && segments[0] === 'v1' && segments[1] === 'boards' && segments[2]) {
      return { type: 'greenhouse', board: segments[2] };
    }
    return null;
  },
};

function publicEndpoint(board: string): string {
  return `${API_BASE}${encodeURIComponent(board)}/jobs?content=true&pay_transparency=true`;
}

// One request holds the whole board, so the previous poll's validators can be sent.
async function fetchBoard(ctx: SourceContext, source: string, url: string, board: string) {
  try {
    return await fetchJson(ctx, source, url, { conditional: true });
  } catch (err) {
    if (err instanceof FetchError && err.status === 404) {
      throw new FetchError(`Greenhouse board "${board}" not found (${err.message}); the board name is the word after boards.greenhouse.io/ in the board address`, {
        url: err.url,
        status: 404,
        cause: err,
      });
    }
    throw err;
  }
}

function mapJob(job: Record<string, unknown>, board: string): RawPosting | string {
  const id = str(job.id);
  if (!id) return 'no id';
  const title = str(job.title);
  if (!title) return 'no title';
  const content = typeof job.content === 'string' ? job.content : '';
  const posting: RawPosting = {
    sourceId: id,
    url: str(job.absolute_url) ?? `https://job-boards.greenhouse.io/${encodeURIComponent(board)}/jobs/${encodeURIComponent(id)}`,
    title,
    company: str(job.company_name) ?? readableName(board),
    location: locationOf(job),
    // The list sends HTML entity-encoded ("&lt;p&gt;"), sometimes twice: decode, then convert.
    description: atsHtmlToText(decodeEntities(content)),
    // first_published is when the job went up; updated_at moves on every edit.
    published: date(job.first_published) ?? date(job.updated_at),
    salary: salaryOf(job.pay_input_ranges),
  };
  // A job offered remote at one of its places ("Remote-Friendly, United States" beside London and San Francisco) can
  // be done remotely, whatever the workplace field says of its offices; else the field, else the place names.
  const fromPlaces = arrangementFromPlaces(job);
  const arrangement = fromPlaces === 'remote' ? fromPlaces : (arrangementFromMetadata(job.metadata) ?? fromPlaces);
  if (arrangement) posting.arrangement = arrangement;
  const tags = namesOf(job.departments);
  if (tags.length > 0) posting.tags = tags;
  return posting;
}

/**
 * The job's location as the board shows it (`location.name`), unless that only says "Remote":
 * then the offices, which keep the region ("Remote (US)") and the office options ("Columbus").
 * An office is named by its place ("Columbus, Ohio, United States"), or by its name when the
 * name says more than the place ("Remote (US)", "New York City - Hybrid") or there is no place.
 */
function locationOf(job: Record<string, unknown>): string | null {
  const name = isRecord(job.location) ? str(job.location.name)?.trim() || null : null;
  if (name && !onlyRemote(name)) return name;
  const offices = officesOf(job);
  const places = [...new Set(offices.map(officePlace))];
  if (places.length === 0) return name;
  // "Remote" over offices none of which says remote: the job is remote, or at one of them.
  if (name && !places.some((p) => REMOTE_WORD_RE.test(p))) places.unshift(name);
  return places.join('; ');
}

// "Columbus" at "Columbus, Ohio, United States" -> the place; "Remote (US)" -> the name;
// "Remote" at "United States" -> "Remote (United States)".
function officePlace(office: { name: string; location: string | null }): string {
  if (office.location === null) return office.name;
  if (!ARRANGEMENT_WORD_RE.test(office.name)) return office.location;
  const rest = office.name.replace(/\b(?:hybrid|on-?site|in[- ]office|office)\b/gi, '');
  return onlyRemote(office.name) || !/[\p{L}\p{N}]/u.test(rest) ? `${office.name} (${office.location})` : office.name;
}

function officesOf(job: Record<string, unknown>): Array<{ name: string; location: string | null }> {
  const offices = Array.isArray(job.offices) ? job.offices : [];
  const out: Array<{ name: string; location: string | null }> = [];
  for (const o of offices) {
    if (!isRecord(o)) continue;
    const name = str(o.name)?.trim() || null;
    const location = str(o.location)?.trim() || null;
    if (name ?? location) out.push({ name: (name ?? location)!, location });
  }
  return out;
}

const REMOTE_WORD_RE = /\bremote\b/i;
const ARRANGEMENT_WORD_RE = /\b(?:remote|hybrid|on-?site|in[- ]office)\b/i;

// "Remote", "Remote - Anywhere", "Fully remote": no place in it.
function onlyRemote(name: string): boolean {
  if (!REMOTE_WORD_RE.test(name)) return false;
  return name.replace(/\b(?:fully|100%|remote|anywhere|worldwide|global(?:ly)?|distributed|first|friendly|work from home|wfh)\b|[^\p{L}\p{N}]+/giu, '') === '';
}

/**
 * The arrangement the location and office names state ("New York City - Hybrid", "Remote (US)",
 * "Remote-India (PEO)"): a job offered remote anywhere is remote; else hybrid; else on-site.
 */
function arrangementFromPlaces(job: Record<string, unknown>): Arrangement | undefined {
  const name = isRecord(job.location) ? str(job.location.name) : null;
  const names = [name, ...officesOf(job).map((o) => o.name)].filter((n): n is string => n !== null);
  if (names.some((n) => REMOTE_WORD_RE.test(n))) return 'remote';
  if (names.some((n) => /\bhybrid\b/i.test(n))) return 'hybrid';
  if (names.some((n) => /\b(?:on-?site|in[- ]office)\b/i.test(n))) return 'onsite';
  return undefined;
}

function namesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((d) => (isRecord(d) ? str(d.name) : null)).filter((n): n is string => n !== null);
}

/**
 * Pay ranges are in cents, one per pay zone or location. Greenhouse states no period: a range
 * is taken as yearly unless its title says otherwise ("Hourly Pay Range") or its amounts are
 * hourly-sized (under 1,000 units). Several ranges become the widest band among those in the
 * first range's currency and period; the others (another currency, another period) are left out.
 */
function salaryOf(ranges: unknown): Salary | null {
  if (!Array.isArray(ranges)) return null;
  const parsed: Salary[] = [];
  for (const range of ranges) {
    if (!isRecord(range)) continue;
    // A zero bound is a placeholder, not a pay.
    const min = units(range.min_cents);
    const max = units(range.max_cents);
    if (min === null && max === null) continue;
    const pay = structuredPay({ min, max, currency: str(range.currency_type), period: periodOf(str(range.title), min, max), periodStated: true });
    if (pay) parsed.push(pay);
  }
  const first = parsed[0];
  if (!first) return null;
  const same = parsed.filter((r) => r.currency === first.currency && r.period === first.period);
  const mins = same.map((r) => r.min).filter((v): v is number => v !== null);
  const maxes = same.map((r) => r.max).filter((v): v is number => v !== null);
  return {
    min: mins.length > 0 ? Math.min(...mins) : null,
    max: maxes.length > 0 ? Math.max(...maxes) : null,
    currency: first.currency,
    period: first.period,
  };
}

function units(cents: unknown): number | null {
  const value = num(cents);
  return value === null || value <= 0 ? null : value / 100;
}

function periodOf(title: string | null, min: number | null, max: number | null): SalaryPeriod {
  if (title) {
    if (/\bhour(?:ly)?\b/i.test(title)) return 'hour';
    if (/\b(?:month|monthly)\b/i.test(title)) return 'month';
    if (/\b(?:annual(?:ly)?|year(?:ly)?)\b/i.test(title)) return 'year';
  }
  return Math.max(min ?? 0, max ?? 0) < 1000 ? 'hour' : 'year';
}

// Greenhouse has no workplace field of its own; boards that expose a custom field for it
// ("Workplace Type: Remote") in `metadata` say it explicitly. Anything else is left to the text.
const WORKPLACE_FIELD_RE = /\b(?:workplace|remote|location type|work ?(?:type|model|arrangement|style|setting|location)|workstyle)\b/i;

function arrangementFromMetadata(metadata: unknown): Arrangement | undefined {
  if (!Array.isArray(metadata)) return undefined;
  for (const field of metadata) {
    if (!isRecord(field)) continue;
    const name = str(field.name);
    if (!name || !WORKPLACE_FIELD_RE.test(name)) continue;
    const values = Array.isArray(field.value) ? field.value : [field.value];
    // A "Remote: yes" flag says remote; "no" could still mean hybrid, so it says nothing.
    if (/remote/i.test(name) && values.some((v) => v === true || (typeof v === 'string' && /^(?:yes|true)$/i.test(v.trim())))) return 'remote';
    const words = values.map((v) => (typeof v === 'string' ? v.trim() : '')).filter(Boolean);
    // Several choices ("Remote", "Hybrid"): the job can be done remotely.
    if (words.some((w) => /^(?:fully |100% )?remote\b/i.test(w))) return 'remote';
    if (words.some((w) => /^hybrid\b/i.test(w))) return 'hybrid';
    if (words.some((w) => /^(?:on[- ]?site|in[- ]office|office[- ]based|in[- ]person)\b/i.test(w))) return 'onsite';
  }
  return undefined;
}

// The helpers below are shared by the Lever and Ashby adapters (imported from here).

/**
 * An ATS description as text. Rich-text editors wrap each list item in a paragraph
 * ("<li><p>...</p></li>"), which would put a blank line between the items.
 */
export function atsHtmlToText(html: string): string {
  return htmlToPlainText(html.replace(/<li(\s[^>]*)?>\s*<p(?:\s[^>]*)?>/gi, '<li$1>').replace(/<\/p>\s*<\/li>/gi, '</li>'));
}

/** An http(s) URL, or null for anything else (for `recognize`). */
export function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** The non-empty, percent-decoded segments of a URL's path. */
export function pathSegments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

