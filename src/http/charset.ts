/**
 * Turning a response body into text: find the charset the way browsers do, decode it, drop the BOM.
 *
 * Order of evidence: a byte order mark, then the HTTP Content-Type charset, then the XML
 * declaration, then an HTML <meta> charset, else UTF-8 (or windows-1252 when the bytes are not
 * valid UTF-8 and nothing declared a charset). Unknown labels are skipped, never thrown.
 */

import { isUtf8 } from 'node:buffer';
import type { PackedBody } from './packed-body.js';

const UTF8 = 'utf-8';
const WINDOWS_1252 = 'windows-1252';

// How far into the body the XML declaration and <meta> are looked for (WHATWG prescans 1024 bytes;
// some career pages put a lot before their <meta>, so be a little more generous there).
const PROLOG_SCAN_BYTES = 1024;
const META_SCAN_BYTES = 4096;

// Node >= 20.18.3 decodes windows-1252 as ISO-8859-1 (nodejs/node#60888), turning 0x92 into
// U+0092 instead of ’, so the 0x80-0x9F block is mapped here per the WHATWG index.
const WINDOWS_1252_C1 = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** How a body is decoded. */
export interface Detection {
  /** Canonical WHATWG encoding name. */
  encoding: string;
  /** Bytes of BOM to skip before decoding. */
  bomLength: number;
}

/** The charset a body will be decoded with (canonical WHATWG name, e.g. "windows-1252"), for logs. */
export function detectCharset(bytes: Buffer, contentType: string | null): string {
  return detect(bytes, contentType).encoding;
}

/** Decodes a response body to a string, choosing the charset from BOM, header, XML prolog or <meta>. */
export function decodeBody(bytes: Buffer, contentType: string | null): string {
  const { encoding, bomLength } = detect(bytes, contentType);
  const text = decodeAs(bytes.subarray(bomLength), encoding);
  // A BOM in a different encoding than declared can survive decoding; it is never content.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// Charsets in which every ASCII byte is that character and no multi-byte sequence contains one.
const ASCII_SAFE = /^(?:utf-8|windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh|ibm866|x-mac-cyrillic)$/;

/**
 * A body readable in pieces: `bytes` past its BOM (viewed as Latin-1, one character per byte, its
 * offsets are text offsets for every tag and quote) and `decode(start, end)`, which decodes those
 * bytes as decodeBody would decode them within the whole. Null when the charset is not one where
 * that holds (UTF-16, Shift_JIS, ...).
 */
export function byteReader(bytes: Buffer, contentType: string | null): { bytes: Buffer; encoding: string; decode(start: number, end: number): string } | null {
  const { encoding, bomLength } = detect(bytes, contentType);
  if (!ASCII_SAFE.test(encoding)) return null;
  const body = bytes.subarray(bomLength);
  return { bytes: body, encoding, decode: (start, end) => decodeAs(body.subarray(start, end), encoding) };
}

/** Decodes bytes in an encoding byteReader found (a piece of a body read from elsewhere). */
export function decodeIn(bytes: Buffer, encoding: string): string {
  return decodeAs(bytes, encoding);
}

/** Removes the encoding="..." pseudo-attribute from a leading XML declaration, keeping the rest. */
export function stripXmlEncodingDeclaration(text: string): string {
  // The text is already decoded; a parser that re-reads encoding= would decode it a second time.
  return text.replace(/^(\uFEFF?\s*<\?xml\b[^>]*?)\s+encoding\s*=\s*(?:"[^"]*"|'[^']*')/, '$1');
}

/**
 * How a packed body (packed-body.ts) is decoded, found as decodeBody finds it from the bytes:
 * `pieces` when it can be read a piece at a time (byteReader), its BOM skipped.
 */
export function packedEncoding(packed: PackedBody, contentType: string | null): Detection & { pieces: boolean } {
  const found = detectFrom(packed.read(0, HEAD_BYTES), contentType, () => isValidUtf8Blocks(packed.unpacked()));
  return { ...found, pieces: ASCII_SAFE.test(found.encoding) };
}

// What the detection reads of a body's head: the BOM, the XML declaration, a <meta>.
const HEAD_BYTES = Math.max(PROLOG_SCAN_BYTES, META_SCAN_BYTES);

function detect(bytes: Buffer, contentType: string | null): Detection {
  return detectFrom(bytes, contentType, () => isUtf8(bytes));
}

// `head`: at least the body's first HEAD_BYTES; `validUtf8`: whether the whole body is UTF-8.
function detectFrom(head: Buffer, contentType: string | null, validUtf8: () => boolean): Detection {
  // A BOM is unambiguous byte-level evidence and wins over a header, as in the WHATWG
  // "decode" algorithm: servers often send a default charset that does not match the file.
  const bom = sniffBom(head);
  if (bom) return bom;

  const fromHeader = resolveLabel(charsetFromContentType(contentType));
  if (fromHeader) return { encoding: fromHeader, bomLength: 0 };

  const fromProlog = xmlPrologEncoding(head);
  if (fromProlog) return { encoding: fromProlog, bomLength: 0 };

  const fromMeta = htmlMetaEncoding(head);
  if (fromMeta) return { encoding: fromMeta, bomLength: 0 };

  // Nothing declared: UTF-8 is the XML default, but undeclared legacy feeds are usually
  // windows-1252, which is visible as bytes that are not valid UTF-8.
  return { encoding: validUtf8() ? UTF8 : WINDOWS_1252, bomLength: 0 };
}

function sniffBom(bytes: Buffer): Detection | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: UTF8, bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/** The canonical encoding name for a label, or null when Node cannot decode it. */
function resolveLabel(label: string | null): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null; // unknown or unsupported ("replacement") label: keep looking
  }
}

function xmlPrologEncoding(bytes: Buffer): string | null {
  // A UTF-16 document without BOM still starts with "<?" in two-byte units (XML 1.0 Appendix F).
  if (bytes.length >= 4) {
    if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
    if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  }
  const head = bytes.subarray(0, PROLOG_SCAN_BYTES).toString('latin1');
  const m = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(head);
  return m ? asciiCompatible(resolveLabel(m[1] ?? m[2] ?? null)) : null;
}

function htmlMetaEncoding(bytes: Buffer): string | null {
  const head = bytes.subarray(0, META_SCAN_BYTES).toString('latin1');
  // Covers both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
  const m = /<meta\s[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return m ? asciiCompatible(resolveLabel(m[1] ?? null)) : null;
}

// The declaration was just read as ASCII, so the document cannot really be UTF-16; browsers
// treat such a claim as UTF-8 (a file transcoded without updating its declaration).
function asciiCompatible(encoding: string | null): string | null {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return UTF8;
  return encoding;
}

// Whether consecutive pieces of a body are UTF-8 together: a sequence cut at a piece's end is
// carried over to the next.
function isValidUtf8Blocks(blocks: Iterable<Buffer>): boolean {
  let carry: Buffer | null = null;
  for (const block of blocks) {
    const bytes: Buffer = carry ? Buffer.concat([carry, block]) : block;
    const cut = bytes.length - unfinishedTail(bytes);
    if (!isUtf8(bytes.subarray(0, cut))) return false;
    carry = cut < bytes.length ? Buffer.from(bytes.subarray(cut)) : null;
  }
  return carry === null || isUtf8(carry);
}

// How many bytes at the end of `bytes` start a UTF-8 sequence that needs more bytes than follow.
function unfinishedTail(bytes: Buffer): number {
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const c = bytes[bytes.length - k]!;
    if ((c & 0xc0) === 0x80) continue;
    const needs = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return needs > k ? k : 0;
  }
  return 0;
}

function decodeAs(bytes: Buffer, encoding: string): string {
  if (encoding === WINDOWS_1252) return decodeWindows1252(bytes);
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

function decodeWindows1252(bytes: Buffer): string {
  const latin1 = bytes.toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!));
}
