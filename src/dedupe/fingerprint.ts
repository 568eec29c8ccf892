/**
 * Content fingerprints of job descriptions, for cross-posts that carry no company field (a mirror
 * board that copies the text): MinHash over word 3-shingles, banded for locality-sensitive lookup.
 *
 * - shingles: every run of three consecutive words of the (already normalized: HTML to text,
 *   mojibake repaired) description, lower-cased, as 32-bit hashes.
 * - signature: SIGNATURE_SIZE minima of the shingle hashes (one-permutation hashing: one pass,
 *   one bin per minimum); two texts agree on each with probability close to their Jaccard
 *   similarity.
 * - bands: the signature cut into BANDS bands of ROWS values, each band hashed together with the
 *   title key into one integer. Two postings share a band key only if their titles agree and the
 *   band agrees: for similarity 0.85 one of the 8 bands agrees with probability 0.99+, for 0.3
 *   with probability 0.06. The store keeps band keys in an indexed table, so finding candidates is
 *   one indexed probe per band, never a scan.
 * - similarity: candidates are then judged on their exact shingle Jaccard similarity.
 *
 * A text shorter than MIN_SHINGLES shingles has no fingerprint: short texts ("Apply now", a
 * one-line summary) look alike without being the same job.
 */

/** Minimum hashes per signature. */
export const SIGNATURE_SIZE = 32;
/** Bands per signature, and values per band (BANDS * ROWS = SIGNATURE_SIZE). */
export const BANDS = 8;
const ROWS = SIGNATURE_SIZE / BANDS;
/** Texts with fewer distinct shingles than this get no fingerprint. */
export const MIN_SHINGLES = 40;
/** Exact shingle Jaccard similarity from which two descriptions are the same text. */
export const SAME_TEXT_SIMILARITY = 0.85;

/** The distinct word 3-shingles of a text, as 32-bit hashes. */
export function shingles(text: string): Set<number> {
  const out = new Set<number>();
  // One pass over the characters: each word is hashed as it is read (no word list, no joined
  // strings), and a shingle is the ordered combination of the last three word hashes.
  let a = 0;
  let b = 0;
  let words = 0;
  let h = 0;
  let inWord = false;
  const lower = text.toLowerCase();
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (!inWord) {
        h = 0x811c9dc5;
        inWord = true;
      }
      h = Math.imul(h ^ c, 0x01000193);
    } else if (inWord) {
      inWord = false;
      const w = mix32(h);
      if (++words >= 3) out.add(mix32(Math.imul(a, 0x9e3779b1) ^ Math.imul(rotl(b, 11), 0x85ebca77) ^ rotl(w, 22)));
      a = b;
      b = w;
    }
  }
  return out;
}

/** Letters and digits of any script; surrogate halves count as letters, so emoji join their neighbours' words harmlessly. */
function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  // Latin-1 and general punctuation, spaces and symbols separate words; everything else is a letter.
  return !(c <= 0xbf || c === 0xd7 || c === 0xf7 || (c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || c === 0xfeff);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** Exact Jaccard similarity of two shingle sets (0 when either is empty). */
export function similarity(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const h of small) if (large.has(h)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Whether two descriptions are the same text, give or take a header or footer line. */
export function sameText(a: string, b: string): boolean {
  const sa = shingles(a);
  const sb = shingles(b);
  if (sa.size < MIN_SHINGLES || sb.size < MIN_SHINGLES) return false;
  return similarity(sa, sb) >= SAME_TEXT_SIMILARITY;
}

/**
 * The MinHash signature of a shingle set, by one-permutation hashing: each shingle hash falls in
 * one of SIGNATURE_SIZE bins (its top bits) and each bin keeps its smallest value, so a signature
 * costs one pass, not one per hash function. Two sets agree on a bin with probability close to
 * their Jaccard similarity. An empty bin (a short text) borrows from the next non-empty bin, with
 * the distance mixed in, so it still says something about the set ("rotation" densification).
 */
export function signature(set: ReadonlySet<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY);
  for (const h of set) {
    const bin = h >>> BIN_SHIFT;
    const value = h & VALUE_MASK;
    if (value < sig[bin]!) sig[bin] = value;
  }
  if (set.size === 0) return sig;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    if (sig[i] !== EMPTY) continue;
    let j = i;
    let distance = 0;
    do {
      j = (j + 1) % SIGNATURE_SIZE;
      distance++;
    } while (sig[j] === EMPTY);
    sig[i] = (mix32(sig[j]! + Math.imul(distance, 0x9e3779b9)) & VALUE_MASK) >>> 0;
  }
  return sig;
}

/**
 * The band keys of a posting from its title key and its description's shingles: BANDS integers
 * (below 2^53) naming (title key, band, band values); empty when the title key is empty or the
 * text too short for a fingerprint.
 */
export function bandKeys(titleKey: string | null, set: ReadonlySet<number>): number[] {
  if (!titleKey || set.size < MIN_SHINGLES) return [];
  const sig = signature(set);
  const titleHash = hashString(titleKey, 0x5bd1e995);
  const keys: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let hi = mix32(titleHash ^ Math.imul(band + 1, 0x9e3779b9));
    let lo = mix32(titleHash + band);
    for (let r = 0; r < ROWS; r++) {
      const v = sig[band * ROWS + r]!;
      hi = mix32(hi ^ v);
      lo = mix32(Math.imul(lo, 31) ^ v ^ 0x27d4eb2f);
    }
    // 21 + 32 bits: exact in a double and in SQLite's INTEGER.
    keys.push((hi >>> 11) * 0x100000000 + (lo >>> 0));
  }
  return keys;
}

// Fixed: band keys are stored, so none of this may change without a migration that recomputes
// every job's band keys (backfillFingerprints).
const BIN_SHIFT = 32 - Math.log2(SIGNATURE_SIZE);
const VALUE_MASK = (1 << BIN_SHIFT) - 1;
/** Above every value a bin can hold. */
const EMPTY = 0xffffffff;

/** MurmurHash3's 32-bit finalizer: a bijection that spreads every input bit. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalized: a 32-bit hash of a string. */
function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}
