/**
 * HTML to clean, readable plain text, and HTML entity decoding, for feed titles and descriptions.
 */
import { createRequire } from 'node:module';
import type * as HtmlToText from 'html-to-text';

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

// HTML 4 entities plus the HTML5 names that show up in feeds; name -> code point.
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const GREEK_UPPER = 'Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho _ Sigma Tau Upsilon Phi Chi Psi Omega';
const OTHER_ENTITIES =
  'quot:34 amp:38 apos:39 lt:60 gt:62 QUOT:34 AMP:38 LT:60 GT:62 COPY:169 REG:174 TRADE:8482 Tab:9 NewLine:10 ' +
  'OElig:338 oelig:339 Scaron:352 scaron:353 Yuml:376 fnof:402 circ:710 tilde:732 ' +
  'thetasym:977 upsih:978 piv:982 ensp:8194 emsp:8195 emsp13:8196 emsp14:8197 numsp:8199 puncsp:8200 thinsp:8201 ' +
  'hairsp:8202 ZeroWidthSpace:8203 zwnj:8204 zwj:8205 lrm:8206 rlm:8207 hyphen:8208 dash:8208 ndash:8211 mdash:8212 ' +
  'horbar:8213 lsquo:8216 rsquo:8217 rsquor:8217 sbquo:8218 lsquor:8218 ldquo:8220 rdquo:8221 rdquor:8221 bdquo:8222 ldquor:8222 ' +
  'dagger:8224 Dagger:8225 bull:8226 bullet:8226 nldr:8229 hellip:8230 mldr:8230 permil:8240 prime:8242 Prime:8243 lsaquo:8249 rsaquo:8250 ' +
  'oline:8254 frasl:8260 MediumSpace:8287 NoBreak:8288 euro:8364 image:8465 weierp:8472 real:8476 trade:8482 alefsym:8501 ' +
  'larr:8592 uarr:8593 rarr:8594 darr:8595 harr:8596 crarr:8629 lArr:8656 uArr:8657 rArr:8658 dArr:8659 hArr:8660 ' +
  'forall:8704 part:8706 exist:8707 empty:8709 nabla:8711 isin:8712 notin:8713 ni:8715 prod:8719 sum:8721 minus:8722 ' +
  'lowast:8727 radic:8730 prop:8733 infin:8734 ang:8736 and:8743 or:8744 cap:8745 cup:8746 int:8747 there4:8756 sim:8764 ' +
  'cong:8773 asymp:8776 ne:8800 equiv:8801 le:8804 ge:8805 sub:8834 sup:8835 nsub:8836 sube:8838 supe:8839 oplus:8853 ' +
  'otimes:8855 perp:8869 sdot:8901 lceil:8968 rceil:8969 lfloor:8970 rfloor:8971 lang:10216 rang:10217 loz:9674 ' +
  'spades:9824 clubs:9827 hearts:9829 diams:9830 starf:9733 bigstar:9733 star:9734 phone:9742 check:10003 checkmark:10003 cross:10007 ' +
  'half:189 centerdot:183 ast:42 commat:64 lpar:40 rpar:41 lsqb:91 rsqb:93 lbrack:91 rbrack:93 lcub:123 rcub:125 ' +
  'colon:58 semi:59 comma:44 period:46 excl:33 quest:63 num:35 dollar:36 percnt:37 plus:43 equals:61 sol:47 bsol:92 ' +
  'lowbar:95 verbar:124 vert:124 grave:96 Hat:94 nbsp:160';

const NAMED_ENTITIES: ReadonlyMap<string, number> = buildEntityTable();

function buildEntityTable(): Map<string, number> {
  const table = new Map<string, number>();
  LATIN1_NAMES.split(' ').forEach((name, k) => table.set(name, 160 + k));
  GREEK_UPPER.split(' ').forEach((name, k) => {
    if (name === '_') return; // U+03A2 is unassigned
    table.set(name, 913 + k);
    table.set(name.toLowerCase(), 945 + k);
  });
  table.set('sigmaf', 962);
  for (const pair of OTHER_ENTITIES.split(' ')) {
    const [name, code] = pair.split(':');
    table.set(name!, Number(code));
  }
  return table;
}

// HTML5 maps numeric references in 0x80-0x9F to Windows-1252 ("&#146;" is ’), as every browser does.
const CP1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

// An optional "amp;" catches one level of double encoding ("&amp;rsquo;"); names and numbers are
// bounded so the scan stays linear.
const ENTITY_RE = /&(amp;)?(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/** Decodes HTML entities (named, decimal, hex), and one extra level of double encoding ("&amp;amp;" -> "&"). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY_RE, (whole: string, doubled: string | undefined, body: string) => {
    const decoded = decodeEntityBody(body);
    if (decoded !== null) return decoded;
    // An unknown name: "&amp;" was still a real (single) encoding of "&".
    return doubled ? `&${body};` : whole;
  });
}

/** The character an entity body ("amp", "#39", "#x2019") stands for; null for an unknown name. */
export function decodeEntityBody(body: string): string | null {
  if (body.charCodeAt(0) !== 0x23) {
    const code = NAMED_ENTITIES.get(body);
    return code === undefined ? null : String.fromCodePoint(code);
  }
  const hex = body[1] === 'x' || body[1] === 'X';
  const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
  if (!Number.isFinite(code)) return null;
  if (code >= 0x80 && code <= 0x9f) return String.fromCodePoint(CP1252_C1[code - 0x80]!);
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
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
