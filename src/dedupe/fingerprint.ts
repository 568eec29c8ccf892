/**
 * Content fingerprints of job descriptions, for cross-posts that carry no company field (a mirror
 * board that copies the text): MinHash over word 3-shingles, banded for locality-sensitive lookup.
 *
 * - shingles: every run of three consecutive words of the (already normalized: HTML to text,
 *   mojibake repaired) description, lower-cased, as 32-bit hashes.
 * - signature: SIGNATURE_SIZE minima of the shingle hashes under as many hash functions; two texts
 *   agree on each minimum with probability equal to their Jaccard similarity.
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
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<number>();
  for (let i = 0; i + 2 < words.length; i++) out.add(hashString(`${words[i]} ${words[i + 1]} ${words[i + 2]}`, 0x9747b28c));
  return out;
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

/** The MinHash signature of a shingle set. */
export function signature(set: ReadonlySet<number>): Uint32Array {
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const h of set) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const v = mix32(h ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
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

// Fixed seeds: signatures are stored, so the hash functions must never change (a change needs a
// migration that recomputes every job's band keys).
const SEEDS: Uint32Array = (() => {
  const seeds = new Uint32Array(SIGNATURE_SIZE);
  let x = 0x2545f491;
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    x = mix32(x + 0x9e3779b9);
    seeds[i] = x;
  }
  return seeds;
})();

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
