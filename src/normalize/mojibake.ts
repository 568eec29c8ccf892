/**
 * Mojibake repair: UTF-8 text that was decoded as Windows-1252 (or Latin-1) somewhere upstream,
 * so "Nomad’s" arrives as "Nomadâ€™s" and "💰" as "ðŸ’°".
 *
 * Each character is mapped back to the byte Windows-1252/Latin-1 would have decoded it from;
 * where those bytes form one well-formed UTF-8 sequence (checked by a fatal UTF-8 decode) the
 * characters are replaced by what the sequence decodes to. Correct text must never be damaged,
 * so a sequence is only replaced when it is certain:
 * - "sure": a 3/4-byte sequence that decodes to punctuation, a symbol or an emoji ("â€™", "ðŸ’°"),
 *   a 2-byte sequence led by "Â"/"Ã" ("Ã©" -> "é"), or anything containing a C1 control (which only
 *   a Latin-1 misreading produces);
 * - "likely": a sequence that decodes to a letter of another script (Cyrillic "Ð¿", CJK, Latin
 *   Extended "Å‚" -> "ł"). Real text can produce these by accident (French "été\u00a0»" is the bytes
 *   of a CJK character), so they are replaced only next to another sequence or when the text
 *   has sure mojibake elsewhere;
 * - anything else (IPA, Syriac, NKo, control characters, private use) is left alone: German
 *   "Fuß«" must stay "Fuß«".
 * One scan, constant lookahead: linear in the text length.
 */
import { TextDecoder } from 'node:util';

/** Windows-1252 characters at 0x80-0x9F, the one place it differs from Latin-1 (0x81 0x8D 0x8F 0x90 0x9D are undefined and read as C1 controls). */
const CP1252_HIGH: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86],
  [0x2021, 0x87], [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c],
  [0x017d, 0x8e], [0x2018, 0x91], [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95],
  [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98], [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b],
  [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

// Windows-1252 text read as Latin-1 keeps bytes 0x80-0x9F as C1 controls, which real text never
// contains (Node 20's TextDecoder('windows-1252') does exactly this); they map back to their characters.
const C1_TO_CP1252: ReadonlyMap<string, string> = new Map(
  [...CP1252_HIGH].map(([code, byte]) => [String.fromCharCode(byte), String.fromCharCode(code)]),
);
const C1_RE = /[\u0080-\u009f]/;
const C1_ALL_RE = /[\u0080-\u009f]/g;

// A character that can start a UTF-8 sequence when read as a byte (0xC2-0xF4): no such character, no sequence to repair.
const LEAD_CHAR_RE = /[\u00c2-\u00f4]/;

// Decoded code points that are punctuation or symbols: mojibake of these is the classic case and
// legitimate text virtually never spells their three or four source characters.
const SYMBOL_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x2000, 0x2bff], // general punctuation, currency, letterlike (™), arrows, math, shapes, dingbats
  [0x3000, 0x303f], // CJK punctuation
  [0xfe00, 0xfe0f], // variation selectors (emoji presentation)
  [0xff00, 0xffef], // full-width forms
];

// Letters of other scripts: real mojibake, but also what accidental byte patterns decode to.
const LETTER_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0100, 0x024f], // Latin Extended-A/B (Polish, Czech, Turkish, Romanian, Vietnamese)
  [0x0386, 0x03ce], // Greek
  [0x0400, 0x04ff], // Cyrillic
  [0x0531, 0x0587], // Armenian
  [0x05d0, 0x05f4], // Hebrew letters
  [0x060c, 0x06ff], // Arabic
  [0x0900, 0x0e7f], // Indic scripts, Thai
  [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese)
  [0x3040, 0x30ff], // kana
  [0x3400, 0x9fff], // CJK ideographs
  [0xac00, 0xd7a3], // Hangul
];

// Combining marks that decomposed (NFD) accented Latin text carries, e.g. "e" + U+0301.
const NFD_MARKS: ReadonlySet<number> = new Set([
  0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0306, 0x0307, 0x0308, 0x030a, 0x030b, 0x030c, 0x0327, 0x0328,
]);

type Level = 'sure' | 'likely';

interface Candidate {
  start: number;
  end: number;
  replacement: string;
  level: Level;
}

/** Repairs UTF-8 text that was read as Windows-1252 or Latin-1 (and Windows-1252 read as Latin-1), only where the repair is certain. */
export function repairMojibake(text: string): string {
  const out = LEAD_CHAR_RE.test(text) ? repairUtf8Sequences(text) : text;
  // After the sequences: a C1 control inside one was a UTF-8 byte, only the ones left are Windows-1252 bytes.
  return C1_RE.test(out) ? out.replace(C1_ALL_RE, (c) => C1_TO_CP1252.get(c) ?? c) : out;
}

function repairUtf8Sequences(text: string): string {
  // ignoreBOM keeps a repaired U+FEFF in the output instead of swallowing it, so "ï»¿" is seen and dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let out = repairPass(text, decoder, true);
  // Text that went through the wrong decoding twice needs a second pass; only sure repairs there,
  // since the first pass has already used up the doubt budget.
  for (let pass = 0, prev = text; pass < 2 && out !== prev && LEAD_CHAR_RE.test(out); pass++) {
    prev = out;
    out = repairPass(out, decoder, false);
  }
  return out;
}

function repairPass(text: string, decoder: TextDecoder, allowLikely: boolean): string {
  const candidates = findCandidates(text, decoder);
  if (candidates.length === 0) return text;
  const evidence = candidates.some(
    (c, k) => c.level === 'sure' || (k > 0 && candidates[k - 1]!.end === c.start),
  );
  let out = '';
  let pos = 0;
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k]!;
    const adjacent =
      (k > 0 && candidates[k - 1]!.end === c.start) || (k + 1 < candidates.length && candidates[k + 1]!.start === c.end);
    const accept = c.level === 'sure' || (allowLikely && (evidence || adjacent));
    if (!accept) continue;
    out += text.slice(pos, c.start) + c.replacement;
    pos = c.end;
  }
  return pos === 0 ? text : out + text.slice(pos);
}

function findCandidates(text: string, decoder: TextDecoder): Candidate[] {
  const found: Candidate[] = [];
  for (let i = 0; i < text.length; ) {
    const lead = toByte(text.charCodeAt(i));
    const n = sequenceLength(lead);
    if (n === 0) {
      i++;
      continue;
    }
    const bytes = new Uint8Array(n);
    bytes[0] = lead;
    let wellFormed = true;
    let hasC1 = false;
    for (let k = 1; k < n; k++) {
      const code = text.charCodeAt(i + k);
      const b = toByte(code);
      if (b < 0x80 || b > 0xbf) {
        wellFormed = false;
        break;
      }
      if (code >= 0x80 && code <= 0x9f) hasC1 = true;
      bytes[k] = b;
    }
    if (!wellFormed) {
      const lostNbsp = lostNbspCandidate(text, i, lead);
      if (lostNbsp) {
        found.push(lostNbsp);
        i += 2;
      } else {
        i++;
      }
      continue;
    }
    const decoded = decodeStrict(decoder, bytes);
    const level = decoded === null ? null : classify(decoded.codePointAt(0)!, n, hasC1, text.charCodeAt(i - 1));
    if (decoded === null || level === null) {
      i++;
      continue;
    }
    // A byte-order mark read as "ï»¿" carries nothing once repaired.
    found.push({ start: i, end: i + n, replacement: decoded === '\ufeff' ? '' : decoded, level });
    i += n;
  }
  return found;
}

// "Â" or "Ã" followed by a plain space: a UTF-8 no-break space (C2 A0) or "à" (C3 A0) whose second
// byte was later turned into a space ("Ã  Paris" for "à Paris").
function lostNbspCandidate(text: string, i: number, lead: number): Candidate | null {
  if ((lead !== 0xc2 && lead !== 0xc3) || text.charCodeAt(i + 1) !== 0x20) return null;
  const prev = i > 0 ? text[i - 1]! : '';
  // After a capital the letter may end a real all-caps word ("IRMÃ "); standing alone it needs evidence elsewhere.
  if (/\p{Lu}/u.test(prev)) return null;
  const level: Level = prev === '' || /\s/.test(prev) ? 'likely' : 'sure';
  return { start: i, end: i + 2, replacement: lead === 0xc2 ? '\u00a0' : 'à', level };
}

function classify(cp: number, n: number, hasC1: boolean, prevCode: number): Level | null {
  if (cp < 0xa0 || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return null;
  if (cp === 0xfeff || n === 4) return 'sure';
  const symbol = inRanges(cp, SYMBOL_RANGES);
  const nfdMark = cp >= 0x0300 && cp <= 0x036f && NFD_MARKS.has(cp) && isAsciiLetter(prevCode);
  if (!(cp <= 0xff || symbol || nfdMark || inRanges(cp, LETTER_RANGES))) return null;
  // Real text never holds a C1 control, and "Â"/"Ã" before a symbol or no-break space is no spelling.
  return hasC1 || symbol || cp <= 0xff ? 'sure' : 'likely';
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function decodeStrict(decoder: TextDecoder, bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

// The byte a Windows-1252 or Latin-1 decoder would have read this character from; -1 when none.
function toByte(code: number): number {
  if (code < 0x100) return code;
  return CP1252_HIGH.get(code) ?? -1;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function inRanges(cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}
