/**
 * A `feeds:` list printed for the user to paste into the config (`import-opml`, `discover`):
 * names made valid for the config's feed-name rule and unique, the same board or URL listed once,
 * each entry with a comment saying where it came from. Emitted by the `yaml` library, so any
 * value (a URL with `#`, a title with `: `) is quoted as YAML needs.
 */
import { Document, isMap, type YAMLSeq } from 'yaml';
import { atsFeedKey, atsFeedName, recognizeAtsUrl, type AtsFeed } from './ats-urls.js';

/** What the config requires of a feed name (src/config/schema.ts). */
export const FEED_NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const MAX_NAME_LENGTH = 60;

/** One feed to print: the entry (without its name) and why it is listed. */
export interface FeedCandidate {
  /** Human text to name the feed after (an OPML title, a link's title); the URL or board stands in when empty. */
  title: string | null;
  url: string;
  /** Shown as a comment above the entry ("found in <link rel=alternate> on ..."). */
  comment: string;
}

interface Entry {
  feed: Record<string, string>;
  comments: string[];
}

/**
 * Collects candidates in order: an ATS address becomes its typed entry, anything else a plain
 * `url:` feed (type auto). A second candidate for the same board or URL adds its comment to the first.
 */
export class FeedList {
  private readonly entries: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private readonly names = new Set<string>();

  /** Adds a candidate; returns false when it repeats one already listed. */
  add(candidate: FeedCandidate): boolean {
    const ats = recognizeAtsUrl(candidate.url);
    const key = ats ? atsFeedKey(ats) : `url:${sameUrlKey(candidate.url)}`;
    const comment = oneLine(candidate.comment);
    const known = this.byKey.get(key);
    if (known) {
      if (comment && !known.comments.includes(comment)) known.comments.push(comment);
      return false;
    }
    const name = this.uniqueName(ats ? atsName(ats, candidate.title) : feedNameFrom(candidate.title, candidate.url));
    const entry: Entry = { feed: ats ? { name, ...ats } : { name, url: candidate.url }, comments: comment ? [comment] : [] };
    this.entries.push(entry);
    this.byKey.set(key, entry);
    return true;
  }

  /** How many feeds are listed. */
  get size(): number {
    return this.entries.length;
  }

  /** The entries as a YAML document with a top-level `feeds:` key. */
  toYaml(): string {
    const doc = new Document({ feeds: this.entries.map((e) => e.feed) });
    const seq = doc.get('feeds', true) as YAMLSeq;
    seq.items.forEach((node, i) => {
      const comments = this.entries[i]!.comments;
      // The yaml library writes each line of a comment behind its own "#".
      if (isMap(node) && comments.length > 0) node.commentBefore = comments.map((c) => ` ${c}`).join('\n');
    });
    return doc.toString({ lineWidth: 0 });
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name.toLowerCase()); n++) name = `${base.slice(0, MAX_NAME_LENGTH - String(n).length - 1)}-${n}`;
    this.names.add(name.toLowerCase());
    return name;
  }
}

/**
 * A valid feed name from free text ("Acme — Jobs (Berlin)" -> "acme-jobs-berlin"): accents
 * dropped, every run of other characters one "-", lower case; from the URL's host and path when
 * the text leaves nothing.
 */
export function feedNameFrom(title: string | null, url: string): string {
  const fromTitle = title ? slug(title) : '';
  if (fromTitle) return fromTitle;
  let fromUrl = '';
  try {
    const u = new URL(url);
    fromUrl = slug(`${u.hostname.replace(/^www\./, '')}${u.pathname}`);
  } catch {
    fromUrl = slug(url);
  }
  return fromUrl || 'feed';
}

function atsName(ats: AtsFeed, title: string | null): string {
  return (title ? slug(title) : '') || slug(atsFeedName(ats)) || 'feed';
}

function slug(text: string): string {
  const out = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/[-._]+$/, '');
  return FEED_NAME_RULE.test(out) ? out : '';
}

// http and https, a trailing slash and the fragment do not make another feed.
function sameUrlKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return `${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return url;
  }
}

/** Comments come from page and file text: one line, no control characters, bounded. */
function oneLine(text: string): string {
  const flat = text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
