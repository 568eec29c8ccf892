/**
 * What a careers page offers to poll: feed links (<link rel="alternate"> of a feed type, anchors to
 * .rss / .xml / /feed addresses) and job boards it links or embeds (Greenhouse, Lever, Ashby,
 * Workable, SmartRecruiters, Recruitee: in links, script and iframe sources, and inline scripts).
 * Parsed with htmlparser2; relative addresses are resolved against the page's <base href>, else
 * the address the page was finally fetched from.
 */
import { Parser } from 'htmlparser2';
import { recognizeAtsUrl } from './ats-urls.js';
import type { FeedCandidate } from './feed-yaml.js';

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/rdf+xml']);
// Attributes whose value is an address a page loads or links (data-* ones are how many embeds are configured).
const URL_ATTRIBUTES = new Set(['href', 'src', 'data-src', 'data-href', 'data-url', 'action', 'data']);
const FEED_SEGMENTS = new Set(['feed', 'rss', 'atom', 'feed.json', 'feed.xml', 'rss.xml', 'atom.xml', 'jobs.rss', 'jobs.atom']);
// Absolute ATS addresses written inside scripts (a fetch() of a board API, a widget's config).
const ATS_URL_IN_TEXT =
  /(?:https?:)?\/\/(?:[a-z0-9-]+\.)*(?:greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com|smartrecruiters\.com|recruitee\.com)(?:\/[^\s"'`<>\\)]*)?/gi;
// Embeds configured by a key instead of an address.
const EMBED_CONFIGS: Array<{ re: RegExp; url: (key: string) => string; what: string; onlyWith?: RegExp }> = [
  // lever-jobs-embed: window.leverJobsOptions = { accountName: 'acme', ... }
  { re: /leverJobsOptions\s*=\s*\{[^}]*?accountName\s*:\s*["']([A-Za-z0-9._-]+)["']/g, url: (k) => `https://jobs.lever.co/${k}`, what: 'Lever jobs embed (leverJobsOptions.accountName)' },
  // SmartRecruiters job widget: widget({ "company_code": "Acme", ... })
  { re: /["']?company_code["']?\s*:\s*["']([A-Za-z0-9._-]+)["']/g, url: (k) => `https://jobs.smartrecruiters.com/${k}`, what: 'SmartRecruiters job widget (company_code)', onlyWith: /smartrecruiters/i },
];

interface Seen {
  tag: string;
  attr: string;
  value: string;
  /** The element's title or (for <a>) its text. */
  title: string | null;
  isFeedLink: boolean;
}

/** The feeds and boards found in a page fetched from `pageUrl` (its final address after redirects), in page order. */
export function findFeedsInHtml(html: string, pageUrl: string): FeedCandidate[] {
  const seen: Seen[] = [];
  const scripts: string[] = [];
  let base: string | null = null;
  let anchor: { attrs: Record<string, string>; text: string } | null = null;
  let scriptText: string[] | null = null;

  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (tag === 'base' && base === null && attrs.href) base = attrs.href;
        if (tag === 'script' && !attrs.src) scriptText = [];
        if (tag === 'a' || tag === 'area') {
          anchor = { attrs, text: '' };
          return;
        }
        const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
        for (const [attr, value] of Object.entries(attrs)) {
          if (!URL_ATTRIBUTES.has(attr) || !value.trim()) continue;
          const isFeedLink = tag === 'link' && attr === 'href' && rel.includes('alternate') && FEED_TYPES.has(type);
          seen.push({ tag, attr, value, title: attrs.title?.trim() || null, isFeedLink });
        }
      },
      ontext(text) {
        if (anchor) anchor.text += text;
        if (scriptText) scriptText.push(text);
      },
      onclosetag(tag) {
        if ((tag === 'a' || tag === 'area') && anchor) {
          const { attrs, text } = anchor;
          anchor = null;
          if (!attrs.href?.trim()) return;
          const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
          const title = attrs.title?.trim() || text.replace(/\s+/g, ' ').trim() || null;
          seen.push({ tag, attr: 'href', value: attrs.href, title, isFeedLink: FEED_TYPES.has(type) });
        }
        if (tag === 'script' && scriptText) {
          scripts.push(scriptText.join(''));
          scriptText = null;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  const baseUrl = resolve(base ?? '', pageUrl) ?? pageUrl;
  const found: FeedCandidate[] = [];
  const self = recognizeAtsUrl(pageUrl);
  if (self) found.push({ title: null, url: pageUrl, comment: `the page address itself is a job board: ${pageUrl}` });

  for (const s of seen) {
    const url = resolve(s.value, baseUrl);
    if (!url) continue;
    const where = `<${s.tag} ${s.attr}>${s.title ? ` "${s.title}"` : ''} on ${pageUrl}`;
    if (recognizeAtsUrl(url)) found.push({ title: null, url, comment: `job board in ${where}: ${url}` });
    else if (s.isFeedLink && !isCommentsFeed(url)) found.push({ title: s.title, url, comment: `feed ${s.tag === 'link' ? '<link rel="alternate">' : 'link'}${s.title ? ` "${s.title}"` : ''} on ${pageUrl}` });
    else if ((s.tag === 'a' || s.tag === 'area') && looksLikeFeed(url)) found.push({ title: s.title, url, comment: `feed-like link <a href>${s.title ? ` "${s.title}"` : ''} on ${pageUrl}` });
  }

  for (const text of scripts) {
    for (const m of text.matchAll(ATS_URL_IN_TEXT)) {
      const url = resolve(m[0], baseUrl);
      if (url && recognizeAtsUrl(url)) found.push({ title: null, url, comment: `job board in an inline <script> on ${pageUrl}: ${url}` });
    }
    for (const embed of EMBED_CONFIGS) {
      // "company_code" alone is too common a word: only on a page that loads the SmartRecruiters widget.
      if (embed.onlyWith && !embed.onlyWith.test(html)) continue;
      for (const m of text.matchAll(embed.re)) {
        found.push({ title: null, url: embed.url(m[1]!), comment: `${embed.what} "${m[1]}" in an inline <script> on ${pageUrl}` });
      }
    }
  }
  return found;
}

/** An absolute http(s) URL for `value` resolved against `base`, without its fragment; null otherwise. */
function resolve(value: string, base: string): string | null {
  try {
    const url = new URL(value.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/** An address whose path reads as a feed: *.rss / *.atom / *.xml (not a sitemap), /feed, /rss, ?feed=rss2. */
function looksLikeFeed(href: string): boolean {
  const url = new URL(href);
  const path = url.pathname.toLowerCase().replace(/\/+$/, '');
  if (path.includes('sitemap') || isCommentsFeed(href)) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (FEED_SEGMENTS.has(last) || /\.(rss|atom|xml)$/.test(last)) return true;
  // WordPress: /?feed=rss2, /?feed=atom
  return /^(rss2?|atom|rdf)$/i.test(url.searchParams.get('feed') ?? '');
}

// WordPress puts a comments feed on every page: never job postings.
function isCommentsFeed(href: string): boolean {
  return /\/comments\/feed\/?$/i.test(new URL(href).pathname);
}
