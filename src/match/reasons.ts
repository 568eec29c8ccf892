/**
 * Alert reasons as a person reads them: each says something the others do not. Pure and
 * dependency-free, so the outbox can merge the reasons of several rules without loading matching.
 */

/**
 * Reasons as shown, each saying something the others do not: a reason whose words all appear, in
 * order, in another one ("remote (US)" in "remote (US) covers California", "$180k/yr ≥ $130k" in
 * the same with "(≈ converted from €160k)") is dropped, and the one that says more takes the
 * place of the first it covers. Used for one rule's reasons and to merge those of several rules.
 */
export function distinctReasons(reasons: Iterable<string>): string[] {
  const texts = [...new Set(reasons)];
  const words = texts.map(reasonWords);
  // Each reason's absorber: the longest other reason containing its words (the earliest among equals).
  const absorber = texts.map((_, i) => {
    let best = -1;
    for (let j = 0; j < texts.length; j++) {
      if (j === i || words[i]!.length === 0) continue;
      const longer = words[j]!.length > words[i]!.length || (words[j]!.length === words[i]!.length && j < i);
      if (!longer || !containsRun(words[j]!, words[i]!)) continue;
      if (best === -1 || words[j]!.length > words[best]!.length) best = j;
    }
    return best;
  });
  // The longest containing reason is never itself absorbed, so one step reaches a survivor.
  const position = texts.map((_, i) => i);
  absorber.forEach((j, i) => {
    if (j !== -1) position[j] = Math.min(position[j]!, i);
  });
  return texts
    .map((text, i) => ({ text, i }))
    .filter(({ i }) => absorber[i] === -1)
    .sort((a, b) => position[a.i]! - position[b.i]!)
    .map(({ text }) => text);
}

// Words and amounts, case folded: "remote (US)" and "Remote – US" say the same.
function reasonWords(reason: string): string[] {
  return reason.toLowerCase().match(/[\p{L}\p{N}$€£¥₹]+/gu) ?? [];
}

function containsRun(tokens: readonly string[], run: readonly string[]): boolean {
  outer: for (let i = 0; i + run.length <= tokens.length; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}
