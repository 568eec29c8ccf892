/**
 * Feed bodies (already-decoded text) to RawPosting[]: RSS 2.0, RSS 1.0 (RDF) and Atom through
 * rss-parser, JSON Feed by json-feed.ts. Every item goes through one mapping (toRawPosting), so the
 * same text repair, link resolution and company extraction apply whatever the format.
 * A bad item is skipped with a reason; only a body that is not a readable feed fails as a whole.
 */
import Parser from 'rss-parser';
import { ParseError } from '../core/errors.js';
import type { RawPosting } from '../core/types.js';
import { FIELD_LIMITS } from '../normalize/field-limits.js';
import { decodeEntities, decodeEntityBody, htmlToPlainText, tidyPlainText } from '../normalize/html-text.js';
import { repairMojibake } from '../normalize/mojibake.js';
import { extractSalary } from '../normalize/salary.js';
import { extractCompany, stripTags } from './company.js';
import { byteReader, decodeIn, packedEncoding, stripXmlEncodingDeclaration, type Detection } from '../http/charset.js';
import type { PackedBody } from '../http/packed-body.js';
import { PackedText } from './packed-text.js';
import { describeBody, detectFormat, skipProlog, type ScanText } from './detect-format.js';
import { companyPlaceFields, readJobFields, type ItemField } from './item-fields.js';
import { parseJsonFeed } from './json-feed.js';
import type { ItemHook } from './types.js';
import { readLeadingLines } from './leading-lines.js';

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'jsonfeed';

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  postings: RawPosting[];
  /** Items that could not become a posting, by their position in the feed. */
  skipped: Array<{ index: number; reason: string }>;
}

/** One feed item as read from any format, before cleaning: the common input of toRawPosting. */
export interface FeedEntry {
  /** Id candidates in order of preference (guid, id); nulls and blanks are ignored. */
  ids: Array<string | null>;
  link: string | null;
  title: string | null;
  /** HTML body; wins over `text`. */
  html: string | null;
  /** Plain-text body (JSON Feed content_text): never read as HTML. */
  text: string | null;
  /** Date candidates in order of preference; the first valid one is used. */
  dates: Array<string | null>;
  author: string | null;
  /**
   * Every simple child of the item beyond the core (any namespace: <region>, <job:location>,
   * job_listing:company; JSON Feed `_job` keys), read by item-fields.ts. Structured fields win over
   * what is found in text.
   */
  fields: ItemField[];
  tags: string[];
}

const FORMAT_NAMES: Record<FeedFormat, string> = {
  rss: 'RSS 2.0',
  rdf: 'RSS 1.0 (RDF)',
  atom: 'Atom',
  jsonfeed: 'JSON Feed',
};

// rss-parser turns an Atom <published>/<updated> into a date with `new Date(x).toISOString()`, which
// throws on a bad date and fails the whole feed; renamed, they reach us as plain custom fields.
const PUBLISHED = 'jobalert:published';
const UPDATED = 'jobalert:updated';
const CATEGORIES = 'jobalert:categories';
const DC_SUBJECTS = 'jobalert:subjects';
const FIELDS = 'jobalert:fields';
// Where items sit in each format (after tag renaming): their simple children are kept whole.
const ITEM_PATHS: ReadonlySet<string> = new Set(['/rss/channel/item', '/rdf:RDF/item', '/feed/entry', '/rss/item']);

// Item elements read beyond the RSS/Atom core; every other simple child reaches item-fields.ts
// through FIELDS (WeWorkRemotely's <region>, WP Job Manager's job_listing:*, <job:location>, ...).
const ITEM_FIELDS: Array<string | Array<string | { keepArray: boolean }>> = [
  PUBLISHED,
  UPDATED,
  'dc:date',
  'media:description',
  ['category', CATEGORIES, { keepArray: true }],
  ['dc:subject', DC_SUBJECTS, { keepArray: true }],
  [FIELDS, FIELDS, { keepArray: true }],
];

const XML_PREDEFINED_ENTITIES: ReadonlySet<string> = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const MAX_REASON_LENGTH = 200;
const MAX_FIELD_CHARS = 800;
/** Elements nested deeper than this refuse the document (see elementDepthExceeds). */
const MAX_ELEMENT_DEPTH = 100;

/** How many items one XML parse takes at most (see parseXmlFeed); 'whole' parses the document in one go. */
export type ParseChunking = { items: number; chars: number } | 'whole';

/**
 * Items per parse of a big XML feed. The DOM xml2js builds is many times the size of its text (a
 * 74 MB feed of 20,000 items took 1.4 GB), so a big feed is parsed a few hundred items at a time,
 * each batch turned into postings before the next is parsed.
 */
export const DEFAULT_CHUNKING: ParseChunking = { items: 250, chars: 1_000_000 };

/**
 * A feed body as the fetcher gave it: a big one is read from its bytes a batch at a time rather
 * than decoded whole (a 74 MB feed with one "€" is 150 MB of text), see parseFeed.
 */
export interface FeedBytes {
  bytes: Buffer;
  contentType: string | null;
  /** The body decoded whole (the fetch result's own, cached, text). */
  text(): string;
}

/** Bodies at least this big are read from their bytes (FeedBytes); smaller ones are decoded whole (they are one batch or few). */
export const BYTES_MODE_MIN = 1024 * 1024;

type ParseOptions = {
  type: 'auto' | 'rss' | 'atom' | 'rdf' | 'jsonfeed';
  baseUrl: string;
  eachItem?: ItemHook;
  /** Awaited after each batch of items was taken (a feed in one batch: once), before the next is parsed. */
  eachBatch?: () => Promise<void>;
  chunking?: ParseChunking;
  /** Bodies at least this big are read from their bytes; default BYTES_MODE_MIN (tests read small ones so too). */
  bytesFrom?: number;
};

// What parseXmlFeed needs of a document's structure before it parses any of it.
interface Structure {
  /** Elements nest deeper than MAX_ELEMENT_DEPTH. */
  deep: boolean;
  /** [start, end) of each item (splitItems), or null when it cannot be cut with certainty. */
  items: Array<[number, number]> | null;
  /** Every "<![CDATA[" is one splitItems saw as a CDATA section (fixAmpersands can then run per batch). */
  cdataOk: boolean;
  length: number;
}

// The document as parseXmlFeed reads it: its structure (`withItems`: splitItems too), `piece` the
// text of a part of it, `whole` the whole text (for a parse of the whole document).
interface XmlSource {
  structure(withItems: boolean): Structure;
  piece(start: number, end: number): string;
  whole(): string;
}

/** The structure of a document, scanned from its text (or its bytes viewed as Latin-1). */
function scanStructure(text: ScanText, withItems: boolean): Structure {
  const deep = elementDepthExceeds(text, MAX_ELEMENT_DEPTH);
  const split = withItems && !deep ? splitItems(text) : null;
  return { deep, items: split?.items ?? null, cdataOk: split !== null && split.cdata === countOf(text, '<![CDATA['), length: text.length };
}

// What a body read from its bytes was found to be, per body and feed type: a read that parses the
// same body again (read-feed.ts's second pass) neither views it as Latin-1 again nor rescans it.
const scannedBodies = new WeakMap<Buffer, Map<string, { format: FeedFormat | null; structure: Structure | null }>>();

function scanBody(bytes: Buffer, body: Buffer, type: ParseOptions['type']): { format: FeedFormat | null; structure: Structure | null } {
  let byType = scannedBodies.get(bytes);
  if (!byType) scannedBodies.set(bytes, (byType = new Map()));
  let found = byType.get(type);
  if (!found) {
    const text = new ByteText(body);
    const format = scannedFormat(text, type);
    found = { format, structure: format === null ? null : scanStructure(text, true) };
    byType.set(type, found);
  }
  return found;
}

// A packed body (http/packed-body.ts), by the empty Buffer that stands for it as a FeedBytes'
// bytes: how it decodes, and what reads before found of it per feed type.
interface Packed {
  body: PackedBody;
  contentType: string | null;
  /** Found at the first read (it reads the head, and may check the whole body is UTF-8). */
  encoding: (Detection & { pieces: boolean }) | null;
  scans: Map<string, { format: FeedFormat | null; structure: Structure | null }>;
}
const packedBodies = new WeakMap<Buffer, Packed>();
const handles = new WeakMap<PackedBody, Buffer>();

/**
 * The Buffer that stands for a packed body as a FeedBytes' bytes (always the same one for the same
 * body): parseFeed then reads it a piece at a time, and remembers its scans between two reads.
 */
export function packedHandle(body: PackedBody, contentType: string | null): Buffer {
  let handle = handles.get(body);
  if (!handle) {
    handle = Buffer.alloc(0);
    handles.set(body, handle);
    packedBodies.set(handle, { body, contentType, encoding: null, scans: new Map() });
  }
  return handle;
}

/** The whole text of a packed body, by its handle (a read that cannot go a piece at a time); null for other bodies. */
export function packedText(handle: Buffer): string | null {
  const packed = packedBodies.get(handle);
  return packed ? wholeText(packed) : null;
}

function encodingOf(packed: Packed): Detection & { pieces: boolean } {
  return (packed.encoding ??= packedEncoding(packed.body, packed.contentType));
}

// As decodeBody decodes the body whole.
function wholeText(packed: Packed): string {
  const { encoding, bomLength } = encodingOf(packed);
  const text = decodeIn(packed.body.read(bomLength, packed.body.length), encoding);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// A packed body is read as a body's bytes are (see parseFeed), its structure scanned over its
// blocks front to back, and then parsed a piece at a time.
function parsePacked(packed: Packed, opts: ParseOptions): Promise<ParsedFeed> {
  const { encoding, bomLength, pieces } = encodingOf(packed);
  if (!pieces || opts.chunking === 'whole') return parseText(wholeText(packed), opts);
  let scan = packed.scans.get(opts.type);
  if (!scan) {
    const text = new PackedText(packed.body, bomLength);
    const format = scannedFormat(text, opts.type);
    scan = { format, structure: format === null ? null : scanStructure(text, true) };
    packed.scans.set(opts.type, scan);
  }
  const { format, structure } = scan;
  if (format === null || structure === null) return parseText(wholeText(packed), opts);
  const piece = (start: number, end: number) => decodeIn(packed.body.read(bomLength + start, bomLength + end), encoding);
  return parseDocument(format, { structure: () => structure, piece, whole: () => (format === 'atom' ? xhtmlAsHtml(wholeText(packed)) : wholeText(packed)) }, opts);
}

/**
 * Parses a feed body into postings; throws ParseError when the body is not a feed it can read.
 *
 * A big XML body in UTF-8 or a one-byte charset is read from its bytes (or, packed, from its
 * blocks): its structure is found in the bytes viewed as Latin-1 (every tag, quote and CDATA
 * marker is the same ASCII byte in any such charset, and a UTF-8 sequence never contains one),
 * each batch is decoded on its own, and the whole text is never built. Anything else, and any body
 * the checks refuse, is decoded whole and read as before, so errors read exactly the same.
 */
export async function parseFeed(body: string | FeedBytes, opts: ParseOptions): Promise<ParsedFeed> {
  if (typeof body === 'string') return parseText(body, opts);
  const packed = packedBodies.get(body.bytes);
  if (packed) return parsePacked(packed, opts);
  const reader = opts.chunking !== 'whole' && body.bytes.length >= (opts.bytesFrom ?? BYTES_MODE_MIN) ? byteReader(body.bytes, body.contentType) : null;
  if (reader === null) return parseText(body.text(), opts);
  const { format, structure } = scanBody(body.bytes, reader.bytes, opts.type);
  if (format === null || structure === null) return parseText(body.text(), opts);
  return parseDocument(format, { structure: () => structure, piece: reader.decode, whole: () => (format === 'atom' ? xhtmlAsHtml(body.text()) : body.text()) }, opts);
}

// The format of a body viewed as Latin-1, or null when it is to be read as text (a JSON Feed,
// Atom with XHTML bodies, or anything refused: the text gives the same refusal, worded from the text).
function scannedFormat(text: ScanText, type: ParseOptions['type']): FeedFormat | null {
  const start = skipProlog(text);
  if (start < 0 || text.charAt(start) !== '<') return null;
  try {
    refuseEntityDeclarations(text);
  } catch (err) {
    if (err instanceof ParseError) return null;
    throw err;
  }
  const format = detectFormat(text);
  if (format === null || format === 'jsonfeed' || (type !== 'auto' && type !== format)) return null;
  // Atom's XHTML bodies are rewritten over the whole text first (xhtmlAsHtml): any mention of xhtml reads it as text.
  if (format === 'atom' && text.indexOf('xhtml') >= 0) return null;
  return format;
}

/**
 * A body's bytes viewed as Latin-1 text, one character per byte, for the structural scans: a big
 * body is scanned without building a string of it (a string that big is freed only by a full
 * garbage collection, rare while a feed is read, so it stayed in memory beside the bytes).
 */
class ByteText implements ScanText {
  readonly length: number;
  constructor(private readonly bytes: Buffer) {
    this.length = bytes.length;
  }
  charCodeAt(index: number): number {
    return index >= 0 && index < this.length ? this.bytes[index]! : NaN;
  }
  charAt(index: number): string {
    return index >= 0 && index < this.length ? String.fromCharCode(this.bytes[index]!) : '';
  }
  indexOf(search: string, from = 0): number {
    return this.bytes.indexOf(search, Math.max(0, from), 'latin1');
  }
  startsWith(search: string, at = 0): boolean {
    if (at < 0 || at + search.length > this.length) return false;
    for (let k = 0; k < search.length; k++) if (this.bytes[at + k] !== search.charCodeAt(k)) return false;
    return true;
  }
  slice(start = 0, end = this.length): string {
    return this.bytes.toString('latin1', Math.max(0, start), Math.min(this.length, end));
  }
}

async function parseText(text: string, opts: ParseOptions): Promise<ParsedFeed> {
  const start = skipProlog(text);
  if (start < 0) throw new ParseError(text.trim() === '' ? 'empty body' : 'not a feed (unterminated XML prolog)');
  if (text[start] === '<') refuseEntityDeclarations(text);
  const format = resolveFormat(text, start, opts.type);
  if (format === 'jsonfeed') return parseDocument(format, null, opts, text);
  const source = format === 'atom' ? xhtmlAsHtml(text) : text;
  return parseDocument(format, { structure: (withItems) => scanStructure(source, withItems), piece: (s, e) => source.slice(s, e), whole: () => source }, opts);
}

/** Where to cut a document into batches: its items, and the header and trailer each batch is parsed between; null when it is not to be cut. */
function batchPlan(source: XmlSource, structure: Structure, limits: { items: number }): { cuts: Array<[number, number]>; header: string; trailer: string } | null {
  const cuts = structure.items;
  if (cuts === null || cuts.length <= limits.items || !structure.cdataOk) return null;
  // Only the header holds the XML declaration: its encoding= goes there, not through a copy of the whole document.
  const header = fixAmpersands(stripXmlEncodingDeclaration(source.piece(0, cuts[0]![0])));
  const between = cuts.slice(1).map(([start], k) => source.piece(cuts[k]![1], start));
  const trailer = fixAmpersands(between.join('') + source.piece(cuts.at(-1)![1], structure.length));
  return { cuts, header, trailer };
}

// The entries of a document whose format is known (XML from `source`, a JSON Feed from `json`), taken by opts' hooks.
async function parseDocument(format: FeedFormat, source: XmlSource | null, opts: ParseOptions, json?: string): Promise<ParsedFeed> {
  const postings: RawPosting[] = [];
  const skipped: Array<{ index: number; reason: string }> = [];
  // Entries become postings as soon as they are read, so the DOM of a batch is dropped before the next.
  const take = async (entries: Array<FeedEntry | null>, first: number) => {
    entries.forEach((entry, i) => {
      const convert = () => (entry === null ? 'item is not an object' : safeToRawPosting(entry, opts.baseUrl));
      // The hook may skip converting an item it knows (src/pipeline/read-feed.ts).
      const result = entry !== null && opts.eachItem ? opts.eachItem(entry, opts.baseUrl, convert, first + i) : convert();
      if (typeof result === 'string') skipped.push({ index: first + i, reason: result });
      else postings.push(result);
    });
    await opts.eachBatch?.();
  };
  const restart = () => {
    postings.length = 0;
    skipped.length = 0;
  };
  let title: string | null;
  if (source === null) {
    const feed = parseJsonFeed(json!);
    await take(feed.entries, 0);
    title = feed.title;
  } else {
    title = await parseXmlFeed(source, format, opts.chunking ?? DEFAULT_CHUNKING, take, restart);
  }
  return { format, title: cleanLine(title), postings, skipped };
}

/** Throws ParseError for a DOCTYPE declaring entities: billion laughs and XXE both need one, and no feed (or OPML file) does. */
export function refuseEntityDeclarations(text: ScanText): void {
  const doctype = indexOfMarkup(text, 'DOCTYPE', 0);
  if (doctype >= 0 && indexOfMarkup(text, 'ENTITY', doctype) >= 0) throw new ParseError('XML entity declarations are not allowed');
}

// Where "<!" + `word` (in any case) first occurs in `text` from `from`, or -1.
function indexOfMarkup(text: ScanText, word: string, from: number): number {
  for (let at = text.indexOf('<!', from); at >= 0; at = text.indexOf('<!', at + 2)) {
    if (text.slice(at + 2, at + 2 + word.length).toUpperCase() === word) return at;
  }
  return -1;
}

function resolveFormat(text: string, start: number, type: 'auto' | FeedFormat): FeedFormat {
  // JSON goes straight to the JSON Feed parser, which says why a JSON body is not a feed.
  if (text.charAt(start) === '{' && (type === 'auto' || type === 'jsonfeed')) return 'jsonfeed';
  const found = detectFormat(text);
  if (found === null) {
    const what = describeBody(text);
    throw new ParseError(what === 'HTML' ? 'not a feed (looks like HTML)' : `not a feed (${what})`);
  }
  if (type !== 'auto' && type !== found) {
    throw new ParseError(`expected ${FORMAT_NAMES[type]} but the body is ${FORMAT_NAMES[found]}`);
  }
  return found;
}

type RssParser = Parser<Record<string, unknown>, Record<string, unknown>>;
type ParsedXml = Record<string, unknown> & { items: Array<Record<string, unknown>> };

/**
 * Parses an XML feed, handing its entries to `take` (with the index of the first) batch by batch;
 * returns the feed's title. A feed of more than one batch is split by splitItems into its header
 * (everything but the items) and its items, and each batch is parsed as the header around those
 * items: the same parser, the same rules, the same entries as parsing the whole document, without
 * the DOM of every item at once. Anything the splitter is not sure of (mismatched tags, no items,
 * an unknown root), and any batch that fails to parse, makes it parse the whole document instead,
 * so errors are reported exactly as before (`restart` drops what earlier batches gave).
 */
async function parseXmlFeed(
  source: XmlSource,
  format: FeedFormat,
  chunking: ParseChunking,
  take: (entries: Array<FeedEntry | null>, first: number) => Promise<void>,
  restart: () => void,
): Promise<string | null> {
  // fixAmpersands changes no tag, quote or CDATA marker, so the depth and the items are the same
  // before and after it: it is applied per batch, not to a whole copy of a big document.
  const limits = chunking === 'whole' ? null : chunking;
  const structure = source.structure(limits !== null);
  if (structure.deep) {
    throw new ParseError(`XML nested deeper than ${MAX_ELEMENT_DEPTH} elements; no feed needs that (refused before parsing)`);
  }
  const plan = limits ? batchPlan(source, structure, limits) : null;
  if (limits && plan) {
    const { cuts, header, trailer } = plan;
    const parser = newParser();
    let title: string | null = null;
    let ok = true;
    for (let at = 0; at < cuts.length && ok; ) {
      // A batch: up to `items` items and about `chars` characters, at least one item.
      let end = at + 1;
      let chars = cuts[at]![1] - cuts[at]![0];
      while (end < cuts.length && end - at < limits.items) {
        const [s, e] = cuts[end]!;
        if (chars + (e - s) > limits.chars) break;
        chars += e - s;
        end++;
      }
      const body = fixAmpersands(cuts.slice(at, end).map(([s, e]) => source.piece(s, e)).join(''));
      let feed: ParsedXml;
      try {
        feed = await parser.parseString(header + body + trailer);
      } catch {
        ok = false;
        break;
      }
      if (at === 0) title = textOf(feed['title']);
      const items = feed.items ?? [];
      // Every item the splitter cut must come back as one entry, or the batches are not the document.
      if (items.length !== end - at) {
        ok = false;
        break;
      }
      await take(items.map(entryFromXmlItem), at);
      at = end;
    }
    if (ok) return title;
    restart();
  }
  // A parser that failed once is not reused: xml2js goes on from its broken state.
  const feed = await parseWhole(newParser(), fixAmpersands(stripXmlEncodingDeclaration(source.whole())), format);
  await take((feed.items ?? []).map(entryFromXmlItem), 0);
  return textOf(feed['title']);
}

function newParser(): RssParser {
  return new Parser<Record<string, unknown>, Record<string, unknown>>({
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [renameAtomDates], validator: validateNode },
    customFields: { item: ITEM_FIELDS },
  });
}

async function parseWhole(parser: RssParser, xml: string, format: FeedFormat): Promise<ParsedXml> {
  try {
    return await parser.parseString(xml);
  } catch (err) {
    throw new ParseError(describeXmlError(err, format), { cause: err });
  }
}

/** A document cut around the items rss-parser reads: before the first, between them, after the last. */
interface ItemSplit {
  before: string;
  /** [start, end) of each item element, in document order. */
  items: Array<[number, number]>;
  /** What lies between two items (other children of the channel, whitespace). */
  between: string[];
  after: string;
  /** CDATA sections seen. */
  cdata: number;
}

// Where rss-parser reads items, by root element: the children of this path with this name (only
// the first <channel> of an RSS document is read).
const ITEM_PARENTS: Record<string, { parent: string[]; name: string }> = {
  rss: { parent: ['rss', 'channel'], name: 'item' },
  'rdf:RDF': { parent: ['rdf:RDF'], name: 'item' },
  feed: { parent: ['feed'], name: 'entry' },
};

/**
 * Finds the item elements of a feed in one linear pass (skipping comments, CDATA, processing
 * instructions and declarations; tags matched by name on a stack). Null when the document is not
 * one it can cut with certainty: mismatched or unclosed tags, no known root, no items.
 */
export function splitItems(xml: ScanText): ItemSplit | null {
  const stack: string[] = [];
  const items: Array<[number, number]> = [];
  let where: { parent: string[]; name: string } | undefined;
  let channels = 0;
  let itemStart = -1;
  let itemDepth = -1;
  let cdata = 0;
  const skipTo = (from: number, end: string): number => {
    const at = xml.indexOf(end, from);
    return at < 0 ? -1 : at + end.length;
  };
  const inItemParent = (): boolean =>
    where !== undefined && stack.length === where.parent.length && where.parent.every((p, k) => stack[k] === p) && (stack[0] !== 'rss' || channels === 1);
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const next = xml.charAt(lt + 1);
    if (xml.startsWith('!--', lt + 1)) i = skipTo(lt + 4, '-->');
    else if (xml.startsWith('![CDATA[', lt + 1)) {
      cdata++;
      i = skipTo(lt + 9, ']]>');
    } else if (next === '?') i = skipTo(lt + 2, '?>');
    else if (next === '!') i = skipTo(lt + 2, '>');
    else if (next === '/') {
      const close = skipTo(lt + 2, '>');
      if (close < 0) return null;
      const name = xml.slice(lt + 2, close - 1).trim();
      if (stack.pop() !== name) return null;
      if (stack.length === itemDepth) {
        items.push([itemStart, close]);
        itemDepth = -1;
      }
      i = close;
    } else if (next !== '' && /[A-Za-z_:]/.test(next)) {
      let j = lt + 1;
      let quote = '';
      for (; j < xml.length; j++) {
        const c = xml.charAt(j);
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>' || c === '<') break;
      }
      if (xml.charAt(j) !== '>') return null;
      const name = /^[^\s/>]+/.exec(xml.slice(lt + 1, Math.min(j, lt + 200)))![0];
      const selfClosing = xml.charAt(j - 1) === '/';
      if (stack.length === 0) {
        where = ITEM_PARENTS[name];
        if (!where) return null;
      }
      if (stack.length === 1 && stack[0] === 'rss' && name === 'channel') channels++;
      const isItem = itemDepth < 0 && name === where!.name && inItemParent();
      if (isItem && selfClosing) items.push([lt, j + 1]);
      else if (isItem) {
        itemStart = lt;
        itemDepth = stack.length;
      }
      if (!selfClosing) stack.push(name);
      i = j + 1;
    } else i = lt + 1;
    if (i < 0) return null;
  }
  if (stack.length > 0 || items.length === 0) return null;
  const between: string[] = [];
  for (let k = 1; k < items.length; k++) between.push(xml.slice(items[k - 1]![1], items[k]![0]));
  return { before: xml.slice(0, items[0]![0]), items, between, after: xml.slice(items.at(-1)![1]), cdata };
}

function countOf(text: ScanText, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n++;
  return n;
}

/**
 * Whether elements nest deeper than `limit` anywhere in `xml`: one pass, skipping comments, CDATA,
 * processing instructions and declarations, and quoted attribute values. xml2js builds the path of
 * every element as it closes, and rss-parser walks the tree recursively, so parse time grows with
 * the square of the depth (a 160 KB document of nested tags took 10 s) and a deep enough one
 * overflows the stack; a feed is a handful of levels deep, its HTML bodies a few dozen at most.
 */
function elementDepthExceeds(xml: ScanText, limit: number): boolean {
  let depth = 0;
  let i = 0;
  const skipTo = (from: number, end: string): number => {
    const at = xml.indexOf(end, from);
    return at < 0 ? xml.length : at + end.length;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const next = xml.charAt(lt + 1);
    if (xml.startsWith('!--', lt + 1)) i = skipTo(lt + 4, '-->');
    else if (xml.startsWith('![CDATA[', lt + 1)) i = skipTo(lt + 9, ']]>');
    else if (next === '?') i = skipTo(lt + 2, '?>');
    else if (next === '!') i = skipTo(lt + 2, '>');
    else if (next === '/') {
      depth--;
      i = skipTo(lt + 2, '>');
    } else if (next !== '' && /[A-Za-z_:]/.test(next)) {
      // The end of the tag, past quoted attribute values (which may hold ">").
      let j = lt + 2;
      let quote = '';
      for (; j < xml.length; j++) {
        const c = xml.charAt(j);
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>' || c === '<') break;
      }
      if (xml.charAt(j - 1) !== '/' && ++depth > limit) return true;
      i = j + (xml.charAt(j) === '>' ? 1 : 0);
    } else i = lt + 1;
  }
  return false;
}

function renameAtomDates(name: string): string {
  if (name === 'published') return PUBLISHED;
  if (name === 'updated') return UPDATED;
  return name;
}

// xml2js calls this for every element as it closes: items keep their simple children (rss-parser
// only copies the fields it is told of), and Atom links are made readable.
function validateNode(xpath: string, current: unknown, value: unknown): unknown {
  if (ITEM_PATHS.has(xpath) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const item = value as Record<string, unknown>;
    item[FIELDS] = [simpleChildren(item)];
    return item;
  }
  return normalizeAtomLink(xpath, current, value);
}

// The text children of an item ("<region>USA Only</region>", "<job:location type=x>Berlin</job:location>");
// elements with children of their own, or only attributes, are not simple.
function simpleChildren(item: Record<string, unknown>): ItemField[] {
  const out: ItemField[] = [];
  for (const [name, values] of Object.entries(item)) {
    if (name === '$' || name === '_' || name === FIELDS || !Array.isArray(values)) continue;
    for (const v of values) {
      const text = typeof v === 'string' ? v : isTextNode(v) ? (v as { _: string })._ : null;
      // Bodies (a description) are not fields; the rest is cleaned when read (item-fields.ts).
      if (text !== null && text.length <= MAX_FIELD_CHARS) out.push([name, text]);
    }
  }
  return out;
}

function isTextNode(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || typeof (v as Record<string, unknown>)['_'] !== 'string') return false;
  return Object.keys(v).every((k) => k === '_' || k === '$');
}

// rss-parser reads `link.$.rel` of every Atom <link> and throws on a link without attributes
// (some feeds write <link>https://…</link>); give such links an href.
function normalizeAtomLink(xpath: string, _current: unknown, value: unknown): unknown {
  if (xpath !== '/feed/link' && xpath !== '/feed/entry/link') return value;
  if (typeof value === 'object' && value !== null && '$' in value) return value;
  return { $: { href: typeof value === 'string' ? value.trim() : '' } };
}

// xml2js loses the order of mixed content ("a <em>b</em> c" comes back as "a  c" plus an em), so an
// Atom xhtml body is handed over as HTML text instead. A self-closing one is left alone.
function xhtmlAsHtml(xml: string): string {
  if (!/type\s*=\s*["']xhtml["']/.test(xml)) return xml;
  const open = /<(content|summary|title|subtitle|rights)(\s[^<>]*?)\btype\s*=\s*(["'])xhtml\3([^<>/]*)>/g;
  let out = '';
  let pos = 0;
  for (let m = open.exec(xml); m !== null; m = open.exec(xml)) {
    const [tag, name = '', before = '', , after = ''] = m;
    const close = xml.indexOf(`</${name}>`, m.index + tag.length);
    // No closing tag further on: none for any later opening tag either; the XML parser reports it.
    if (close < 0) break;
    const inner = xml.slice(m.index + tag.length, close).replaceAll(']]>', ']]]]><![CDATA[>');
    out += `${xml.slice(pos, m.index)}<${name}${before}type="html"${after}><![CDATA[${inner}]]>`;
    pos = close;
    open.lastIndex = close;
  }
  return out + xml.slice(pos);
}

// Real feeds carry HTML entities (&nbsp;, &eacute;) and bare ampersands ("AT&T") that strict XML
// rejects; rewrite them to what was meant, leaving CDATA sections as they are.
function fixAmpersands(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  let pos = 0;
  while (pos < text.length) {
    const cdata = text.indexOf('<![CDATA[', pos);
    out += fixAmpersandsOutsideCdata(text.slice(pos, cdata < 0 ? text.length : cdata));
    if (cdata < 0) break;
    const close = text.indexOf(']]>', cdata + 9);
    const stop = close < 0 ? text.length : close + 3;
    out += text.slice(cdata, stop);
    pos = stop;
  }
  return out;
}

function fixAmpersandsOutsideCdata(xml: string): string {
  return xml.replace(
    /&(?:(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});)?/g,
    (whole: string, body: string | undefined) => {
      if (body === undefined) return '&amp;';
      if (XML_PREDEFINED_ENTITIES.has(body)) return whole;
      // Numeric references get HTML's reading too: &#146; is ’ and an out-of-range one is U+FFFD,
      // where XML would take a C1 control or fail the whole feed.
      const text = decodeEntityBody(body);
      if (text === null) return `&amp;${body};`;
      // A few names stand for two code points ("&NotEqualTilde;"): each gets its reference.
      let refs = '';
      for (const char of text) refs += `&#${char.codePointAt(0)};`;
      return refs;
    },
  );
}

function describeXmlError(err: unknown, format: FeedFormat): string {
  const message = err instanceof Error ? err.message : String(err);
  // sax reports "Unclosed root tag\nLine: 0\nColumn: 57\nChar: ", with a 0-based line.
  const sax = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/.exec(message);
  if (sax) return truncate(`invalid XML: ${sax[1]} (line ${Number(sax[2]) + 1}, column ${sax[3]})`);
  if (err instanceof TypeError) return `invalid ${FORMAT_NAMES[format]} feed: missing its channel or required elements`;
  return truncate(`invalid ${FORMAT_NAMES[format]} feed: ${message.split('\n')[0]}`);
}

function entryFromXmlItem(item: Record<string, unknown>): FeedEntry {
  return {
    ids: [textOf(item['guid']), textOf(item['id']), textOf(item['rdf:about'])],
    link: textOf(item['link']),
    title: textOf(item['title']),
    // rss-parser puts an RSS <description> and an Atom <content> in `content`.
    html: firstNonBlank(
      textOf(item['content:encoded']),
      textOf(item['content']),
      textOf(item['summary']),
      textOf(item['media:description']),
    ),
    text: null,
    dates: [
      textOf(item['isoDate']),
      textOf(item['pubDate']),
      textOf(item['dc:date']),
      textOf(item[PUBLISHED]),
      textOf(item[UPDATED]),
    ],
    author: firstNonBlank(textOf(item['creator']), textOf(item['author']), textOf(item['dc:creator'])),
    fields: [...(Array.isArray(item[FIELDS]) ? (item[FIELDS][0] as ItemField[]) : []), ...companyPlaceFields(headerSummary(item))],
    tags: [...categoryTexts(item[CATEGORIES]), ...categoryTexts(item[DC_SUBJECTS])],
  };
}

// A short summary beside a full body (Atom <summary> with <content>, RSS <description> with
// <content:encoded>) may be a "Company — Place" line.
function headerSummary(item: Record<string, unknown>): string | null {
  if (textOf(item['content:encoded']) !== null) return textOf(item['content']);
  if (textOf(item['content']) !== null) return textOf(item['summary']);
  return null;
}

// One unexpected item shape must not fail the feed.
function safeToRawPosting(entry: FeedEntry, baseUrl: string): RawPosting | string {
  try {
    return toRawPosting(entry, baseUrl);
  } catch (err) {
    return truncate(`unreadable item: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The source id an item handed to an ItemHook gets as a posting, without converting it: null when
 * it cannot be one for want of a title, an id or an http(s) link (other reasons show only when converted).
 */
export function itemSourceId(item: unknown, baseUrl: string): string | null {
  try {
    const identity = identityOf(item as FeedEntry, baseUrl);
    return typeof identity === 'string' ? null : identity.sourceId;
  } catch {
    return null;
  }
}

// What makes an item a posting at all: a title, an id (or a link) and an http(s) link; or why it is not one.
function identityOf(entry: FeedEntry, baseUrl: string): { rawTitle: string; sourceId: string; url: string } | string {
  const rawTitle = cleanLine(clip(entry.title, FIELD_LIMITS.title));
  if (rawTitle === null) return 'no title';
  const ids = entry.ids.map((id) => (id === null ? '' : id.trim())).filter((id) => id !== '');
  const link = entry.link === null ? null : decodeEntities(entry.link).trim() || null;
  const sourceId = ids[0] ?? link;
  if (sourceId === undefined || sourceId === null) return 'no link or id';
  const url = (link === null ? null : resolveHttpUrl(link, baseUrl)) ?? firstHttpUrl(ids);
  if (url === null) return link === null ? 'no link' : truncate(`link is not an http(s) URL: ${link}`);
  return { rawTitle, sourceId, url };
}

// One feed item to a RawPosting, or the reason it cannot be one.
function toRawPosting(entry: FeedEntry, baseUrl: string): RawPosting | string {
  const identity = identityOf(entry, baseUrl);
  if (typeof identity === 'string') return identity;
  const { rawTitle, sourceId, url } = identity;

  const converted = clip(
    entry.html !== null ? htmlToPlainText(entry.html) : entry.text !== null ? tidyPlainText(decodeEntities(clip(entry.text, FIELD_LIMITS.description)!)) : '',
    FIELD_LIMITS.description,
  )!;
  const repaired = repairMojibake(converted);
  const description = repaired === converted ? converted : tidyPlainText(repaired);

  const fields = readJobFields(entry.fields);
  const structuredCompany = cleanLine(fields.company);
  // The board's header lines ("Nomad Health", "💰 $135,000 to $180,000", "🌎 Hybrid - NYC") come
  // after the item's own fields and the title, and before the item's author (often a person or a bot).
  const header = readLeadingLines(description, rawTitle);
  const author = header.companyInHeader ? null : cleanLine(clip(entry.author, FIELD_LIMITS.company));
  const found = extractCompany({ title: rawTitle, author: structuredCompany ?? author, description });
  const posting: RawPosting = {
    sourceId,
    url,
    title: found.title,
    company: (structuredCompany ? stripTags(structuredCompany) || null : found.company) ?? header.company,
    location: cleanLine(fields.location) ?? header.location,
    description,
    published: firstValidDate(entry.dates),
    tags: uniqueTags(fields.employmentType === null ? entry.tags : [...entry.tags, fields.employmentType]),
  };
  const salaryText = fields.salary ?? null;
  if (salaryText !== null) {
    const salary = extractSalary({ title: '', description: `Salary: ${salaryText}` });
    if (salary) posting.salary = salary;
  }
  const arrangement = fields.arrangement ?? header.arrangement;
  if (arrangement) posting.arrangement = arrangement;
  return posting;
}

/**
 * Text far beyond a field's limit dropped before any work is done on it. Only the far end goes:
 * the field is cut to its limit, at a word, and counted, where every posting is bounded
 * (boundRawPosting), so a little more than the limit is kept here for that to see.
 */
function clip(value: string | null, limit: number): string | null {
  return value !== null && value.length > limit * 2 ? value.slice(0, limit * 2) : value;
}

// Entities decoded, mojibake repaired, whitespace collapsed; null when nothing is left.
function cleanLine(value: string | null): string | null {
  if (value === null) return null;
  const line = repairMojibake(decodeEntities(value)).replace(/\s+/g, ' ').trim();
  return line === '' ? null : line;
}

function resolveHttpUrl(link: string, baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(link, baseUrl);
  } catch {
    try {
      url = new URL(link);
    } catch {
      return null;
    }
  }
  // javascript:, data: or mailto: links must never reach an alert.
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

function firstHttpUrl(ids: string[]): string | null {
  for (const id of ids) {
    if (!/^https?:\/\//i.test(id)) continue;
    try {
      return new URL(id).href;
    } catch {
      // not a URL after all; try the next id
    }
  }
  return null;
}

function firstValidDate(values: Array<string | null>): Date | null {
  for (const value of values) {
    // Without a 4-digit year, V8 still "parses" strings like "1" (as 2001).
    if (value === null || !/\d{4}/.test(value)) continue;
    const date = new Date(value.trim());
    if (Number.isFinite(date.getTime())) return date;
  }
  return null;
}

function uniqueTags(raw: string[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const value of raw) {
    const tag = cleanLine(value);
    if (tag === null || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags;
}

// An RSS <category> is text (or {_: text, $: {domain}}); an Atom one is {$: {term, label}}.
function categoryTexts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    const attrs = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['$'] : undefined;
    const attr =
      typeof attrs === 'object' && attrs !== null
        ? textOf((attrs as Record<string, unknown>)['label']) ?? textOf((attrs as Record<string, unknown>)['term'])
        : null;
    const text = textOf(v) ?? attr;
    if (text !== null) out.push(text);
  }
  return out;
}

// The text of an xml2js value: a string, {_: text}, the first of an array, or the text of nested elements.
function textOf(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) return value.length > 0 ? textOf(value[0], depth + 1) : null;
  const record = value as Record<string, unknown>;
  if (typeof record['_'] === 'string') return record['_'];
  const parts: string[] = [];
  for (const [key, child] of Object.entries(record)) {
    if (key === '$') continue;
    const text = textOf(child, depth + 1);
    if (text !== null && text.trim() !== '') parts.push(text);
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

function firstNonBlank(...values: Array<string | null>): string | null {
  for (const value of values) if (value !== null && value.trim() !== '') return value;
  return null;
}

function truncate(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}
