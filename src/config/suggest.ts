/**
 * "Did you mean ...?" for config keys and names: a typo must not pass silently, and the
 * error should say what was probably meant.
 */

/** Edit distance between a and b, counting a swap of two neighbouring letters as one edit. */
export function editDistance(a: string, b: string): number {
  // Optimal string alignment: Levenshtein plus adjacent transposition ("shcedule").
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Folds case and separators so "salaryMin", "salary-min" and "salary_min" compare equal. */
function fold(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/** The candidate `word` was most likely meant to be, or null when none is close enough. */
export function suggest(word: string, candidates: readonly string[]): string | null {
  const w = fold(word);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const c = fold(candidate);
    let score = editDistance(w, c);
    // Roughly one typo per three letters; more than that and the "suggestion" is a guess.
    const limit = Math.max(1, Math.floor(Math.max(w.length, c.length) / 3));
    // A truncated key ("salary" for "salary_min") is a likely intent even when far in edits.
    if (score > limit && w.length >= 3 && (c.startsWith(w) || w.startsWith(c))) score = limit;
    if (score <= limit && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
