/**
 * HTML to clean, readable plain text, and HTML entity decoding, for feed titles and descriptions.
 */
import { createRequire } from 'node:module';
import type * as HtmlToText from 'html-to-text';
import { decodeHTMLAttribute, decodeHTMLStrict } from 'entities';

// Compiling the options builds a selector decision tree; doing it once keeps a 1,000-item feed
// fast. It is done at the first conversion, not at import: the main thread of the daemon (which
// reads feeds in worker threads), `query` and `--version` never convert HTML.
let converter: ((html: string) => string) | null = null;

function convertHtml(html: string): string {
  converter ??= compileConverter();
  return converter(html);
}

function compileConverter(): (html: string) => string {
  const { compile } = createRequire(import.meta.url)('html-to-text') as typeof HtmlToText;
  return compile({
    wordwrap: false,
    selectors: [
      // Job descriptions are read, not clicked through: the link text is enough.
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'noscript', format: 'skip' },
      { selector: 'head', format: 'skip' },
      { selector: 'ul', options: { itemPrefix: '- ' } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } },
      { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
      { selector: 'hr', format: 'skip' },
    ],
  });
}

// Text outside markup is decoded as an HTML attribute value is: every named reference of HTML5
// and numeric ones (0x80-0x9F read as Windows-1252, invalid ones as U+FFFD, as browsers do), and
// a legacy name without its semicolon ("&amp ", "&nbsp ") only where no letter, digit or "="
// follows. Text content rules would also decode "&region=us" in a pasted URL to "®ion=us".
//
// An extra "amp;" before a reference is one level of double encoding ("&amp;rsquo;"); names
// and numbers are bounded so the scan stays linear.
const DOUBLED_RE = /&amp;(#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,8};|[A-Za-z][A-Za-z0-9]{1,31};)/g;

/** Decodes HTML entities (named, decimal, hex), and one extra level of double encoding ("&amp;amp;" -> "&"). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  // "&amp;bogus;" stays as it is here, and becomes "&bogus;" below: "&amp;" was a real encoding of "&".
  const undoubled = text.includes('&amp;') ? text.replace(DOUBLED_RE, (whole: string, ref: string) => (decodeEntityBody(ref.slice(0, -1)) === null ? whole : `&${ref}`)) : text;
  return decodeHTMLAttribute(undoubled);
}

/** The text an entity body ("amp", "#39", "#x2019") stands for (two code points for a few names); null for an unknown name. */
export function decodeEntityBody(body: string): string | null {
  const ref = `&${body};`;
  const decoded = decodeHTMLStrict(ref);
  return decoded === ref ? null : decoded;
}

// HTML read of one item: the text beyond it would be cut from the description anyway (field-limits.ts
// keeps 100,000 characters), and converting it costs time the other items need.
const MAX_HTML_CHARS = 1_000_000;

// A start or end tag, a comment or a doctype: what tells HTML from plain text.
const TAG_RE = /<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|\/[A-Za-z][A-Za-z0-9-]*\s*>|!--|![A-Za-z][^<>]*>)/;
const ESCAPED_TAG_RE = /&lt;\/?[A-Za-z][A-Za-z0-9-]*(?:\s|&gt;|\/)/;
const LEFTOVER_ENTITY_RE = /&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});/;

/** Turns an HTML fragment into clean readable text: paragraphs, "- " list items, link text only, no images, whitespace collapsed, entities decoded. */
export function htmlToPlainText(html: string): string {
  if (html.trim() === '') return '';
  let source = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  // Some feeds escape their HTML twice: the XML text is "&lt;p&gt;...", not "<p>".
  if (!TAG_RE.test(source) && ESCAPED_TAG_RE.test(source)) source = decodeEntities(source);
  if (!TAG_RE.test(source)) return tidyPlainText(decodeEntities(source));
  let text = convertHtml(source);
  // What survives conversion as "&rsquo;" was encoded twice in the source.
  if (LEFTOVER_ENTITY_RE.test(text)) text = decodeEntities(text);
  return tidyPlainText(text);
}

/** Tidies plain text: unified line ends, no-break and odd spaces made plain, runs of spaces and blank lines collapsed, lines trimmed at the end. */
export function tidyPlainText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v]/g, ' ')
    .replace(/[\u200b\ufeff\u00ad]/g, '')
    .split('\n');
  const out: string[] = [];
  let blankRun = 0;
  for (const raw of lines) {
    const body = raw.trim().replace(/ {2,}/g, ' ');
    if (body === '') {
      blankRun++;
      continue;
    }
    if (out.length > 0) out.push(blankRun > 0 ? '\n\n' : '\n');
    // Leading indentation carries list nesting; keep a little of it.
    const indent = Math.min(raw.length - raw.trimStart().length, 8);
    out.push(' '.repeat(indent) + body);
    blankRun = 0;
  }
  return out.join('');
}
