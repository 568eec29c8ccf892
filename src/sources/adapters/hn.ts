/**
 * Hacker News "Ask HN: Who is hiring?" through the Algolia HN API: find the newest thread posted
 * by the whoishiring account (search_by_date), read its comment tree (items/{id}), and make one
 * posting per top-level comment. The company, role, place and arrangement come from the
 * comment's conventional first line (hn-first-line.ts). Pay is read from the header's pay field
 * alone when it has one (so "2 days/week" in a neighbouring field cannot bleed into it); otherwise
 * it is left to the normal text extraction, which reads the whole comment.
 */
import { z } from 'zod';
import type { RawPosting, Salary } from '../../core/types.js';
import { htmlToPlainText } from '../../normalize/html-text.js';
import { extractSalary } from '../../normalize/salary.js';
import { date, expectArray, expectObject, fetchJson, mapItems, MAX_PAGES, num, str } from '../json-api.js';
import type { SourceAdapter, SourceContext } from '../types.js';
import { parseHnHeader } from './hn-first-line.js';

const SOURCE = 'Hacker News (Algolia)';
const PUBLIC_BASE = 'https://hn.algolia.com/api/v1';
const THREAD_TITLE = 'ask hn: who is hiring?';
// HN shows a removed comment as one of these instead of its text.
const REMOVED_TEXT_RE = /^\s*\[(?:deleted|dead|flagged|removed)\]\s*$/i;

function searchUrl(base: string, page: number): string {
  return `${base}/search_by_date?tags=story,author_whoishiring${page > 0 ? `&page=${page}` : ''}`;
}

/** The newest "Ask HN: Who is hiring?" story (not "Who wants to be hired?" nor "Freelancer?"), or null. */
async function findThread(base: string, ctx: SourceContext): Promise<{ id: string; title: string } | null> {
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await fetchJson(ctx, SOURCE, searchUrl(base, page));
    if (res.notModified) return null;
    const body = expectObject(res.data, SOURCE, 'the search response');
    const hits = expectArray(body.hits, SOURCE, 'hits');
    let best: { id: string; title: string; at: number } | null = null;
    for (const hit of hits) {
      if (typeof hit !== 'object' || hit === null) continue;
      const h = hit as Record<string, unknown>;
      const title = str(h.title);
      const id = str(h.objectID) ?? str(h.story_id);
      if (!title || !id || !title.toLowerCase().startsWith(THREAD_TITLE)) continue;
      // search_by_date is newest first already; comparing keeps a re-ordered page honest.
      const at = num(h.created_at_i) ?? date(h.created_at)?.getTime() ?? 0;
      if (!best || at > best.at) best = { id, title, at };
    }
    if (best) return { id: best.id, title: best.title };
    const pages = num(body.nbPages);
    if (hits.length === 0 || pages === null || page + 1 >= pages) return null;
    if (page + 1 === MAX_PAGES) ctx.log.warn({ source: SOURCE, pages }, `no "Who is hiring?" thread in the first ${MAX_PAGES} pages of search results; stopped`);
  }
  return null;
}

/** One top-level comment to a posting; null for a deleted or dead one, a string for a skip reason. */
function mapComment(comment: Record<string, unknown>): RawPosting | string | null {
  const id = str(comment.id);
  if (!id) return 'no id';
  if (comment.deleted === true || comment.dead === true) return null;
  const html = typeof comment.text === 'string' ? comment.text : '';
  if (html.trim() === '' || REMOVED_TEXT_RE.test(html)) return null;
  // A line break typed inside a paragraph stays in the API's text as "\n"; posters use it to put
  // "Company: ..." and "Location: ..." on lines of their own, so it is a line break here too.
  const description = htmlToPlainText(html.replace(/\r?\n/g, '<br>'));
  if (description === '') return null;

  const parsed = parseHnHeader(description);
  if (!parsed.ok) return parsed.reason;
  const { header } = parsed;
  const posting: RawPosting = {
    sourceId: id,
    url: `https://news.ycombinator.com/item?id=${encodeURIComponent(id)}`,
    title: header.title,
    company: header.company,
    location: header.location,
    // The whole comment, first line included: it lists every role and usually the pay.
    description,
    published: date(comment.created_at) ?? date(comment.created_at_i),
    tags: header.jobTypes,
  };
  if (header.arrangement) posting.arrangement = header.arrangement;
  for (const field of header.payFields) {
    const salary = extractSalary({ title: '', location: header.location, description: field });
    if (salary) {
      posting.salary = widerBand(salary, extractSalary({ title: '', location: header.location, description }));
      break;
    }
  }
  return posting;
}

/**
 * The header's pay, or the comment's when that is the envelope of the header's band and more bands
 * the comment states for its other roles, in the same currency and period ("Storepass | Senior
 * Engineer | $100k - $150k", then "Storepass | Customer Service Rep | $40k - $55k": $40k-$150k).
 */
function widerBand(header: Salary, comment: Salary | null): Salary {
  if (!comment || comment.currency !== header.currency || comment.period !== header.period) return header;
  // An open bound ("$110k+", "up to $150k") is the header's own statement: kept.
  if (header.min === null || header.max === null || comment.min === null || comment.max === null) return header;
  return comment.min <= header.min && comment.max >= header.max ? comment : header;
}

/** The adapter for `type: hn`. */
export const hnAdapter: SourceAdapter = {
  types: ['hn'],
  label: 'Hacker News "Who is hiring?"',
  keys: z.strictObject({}),
  urlRequired: false,
  // The thread is monthly and fills up over days; each poll downloads the whole comment tree.
  defaultSchedule: '0 * * * *',
  attribution: null,
  endpoint: () => searchUrl(PUBLIC_BASE, 0),
  async read(feed, ctx) {
    const base = (feed.url ?? PUBLIC_BASE).replace(/\/+$/, '');
    const thread = await findThread(base, ctx);
    if (!thread) {
      ctx.log.warn({ source: SOURCE }, 'no "Ask HN: Who is hiring?" thread found');
      return { notModified: false, format: 'HN Who is hiring (Algolia)', postings: [], skipped: [], etag: null, lastModified: null };
    }
    const res = await fetchJson(ctx, SOURCE, `${base}/items/${encodeURIComponent(thread.id)}`);
    if (res.notModified) return { notModified: true };
    const story = expectObject(res.data, SOURCE, `items/${thread.id}`);
    // Only top-level comments are postings; replies under them are conversation.
    const children = expectArray(story.children, SOURCE, `items/${thread.id}.children`);
    const { postings, skipped } = mapItems(children, mapComment);
    ctx.log.debug({ source: SOURCE, thread: thread.title, comments: children.length }, 'Read "Who is hiring?" thread');
    return { notModified: false, format: 'HN Who is hiring (Algolia)', postings, skipped, etag: null, lastModified: null };
  },
};
