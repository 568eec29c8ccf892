/**
 * Feed format detection from the body alone: which of RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed
 * a body is, looking past a BOM, whitespace, the XML declaration, comments and a DOCTYPE.
 */
import type { FeedFormat } from './parse-feed.js';

const JSON_FEED_VERSION_RE = /^https?:\/\/jsonfeed\.org\/version\//;
/**
 * What the structural scans of a document read: a string, or a big body's bytes viewed as
 * Latin-1 (parse-feed.ts ByteText) without ever building that string.
 */
export interface ScanText {
  readonly length: number;
  charCodeAt(index: number): number;
  charAt(index: number): string;
  indexOf(search: string, from?: number): number;
  startsWith(search: string, at?: number): boolean;
  slice(start?: number, end?: number): string;
}

const ROOT_TAG_RE = /^<([A-Za-z_][\w.:-]*)([^>]*)>?/;

/** The feed format of a body, or null when it is not a feed this project reads. */
export function detectFormat(text: ScanText): FeedFormat | null {
  const start = skipProlog(text);
  if (start < 0) return null;
  if (text.charAt(start) === '{') return typeof text === 'string' && isJsonFeed(text) ? 'jsonfeed' : null;
  const root = rootElement(text, start);
  if (root === null) return null;
  const { name, attributes } = root;
  if (name === 'rss') return 'rss';
  if (name === 'RDF' || name.endsWith(':RDF')) return 'rdf';
  // Only Atom's namespace (1.0 or the older 0.3) makes a <feed> an Atom feed.
  if (name === 'feed' && /xmlns\s*=\s*["'][^"']*atom/i.test(attributes)) return 'atom';
  return null;
}

/** Says in a few words what a body that is not a feed looks like ("HTML", "JSON without a JSON Feed version", ...). */
export function describeBody(text: string): string {
  const start = skipProlog(text);
  if (start < 0) return text.trim() === '' ? 'an empty body' : 'unterminated XML';
  if (text[start] === '{' || text[start] === '[') {
    try {
      JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return 'invalid JSON';
    }
    return 'JSON without a JSON Feed version';
  }
  if (/^<!doctype\s+html/i.test(text.slice(start, start + 20))) return 'HTML';
  const root = rootElement(text, start);
  if (root === null) return 'plain text';
  if (/^(?:html|head|body)$/i.test(root.name)) return 'HTML';
  return `XML with root element <${root.name}>`;
}

/** Where the root element (or a JSON value) starts, past BOM, whitespace, XML declaration, comments, processing instructions and DOCTYPE; -1 when nothing is there. */
export function skipProlog(text: ScanText): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return -1;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return -1;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return -1;
      i = end + 3;
    } else if (/^<!doctype/i.test(text.slice(i, i + 9)) && !/^<!doctype\s+html/i.test(text.slice(i, i + 20))) {
      const end = doctypeEnd(text, i);
      if (end < 0) return -1;
      i = end;
    } else {
      return i;
    }
  }
}

// A DOCTYPE may carry an internal subset in [...] that itself contains '>'.
function doctypeEnd(text: ScanText, start: number): number {
  const gt = text.indexOf('>', start);
  const bracket = text.indexOf('[', start);
  if (bracket < 0 || (gt >= 0 && gt < bracket)) return gt < 0 ? -1 : gt + 1;
  const close = text.indexOf(']', bracket);
  if (close < 0) return -1;
  const end = text.indexOf('>', close);
  return end < 0 ? -1 : end + 1;
}

function rootElement(text: ScanText, start: number): { name: string; attributes: string } | null {
  // The root start tag is short; bounding the slice keeps a huge body from being copied.
  const m = ROOT_TAG_RE.exec(text.slice(start, start + 4096));
  return m ? { name: m[1]!, attributes: m[2] ?? '' } : null;
}

function isJsonFeed(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const version = (value as Record<string, unknown>)['version'];
  return typeof version === 'string' && JSON_FEED_VERSION_RE.test(version);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
