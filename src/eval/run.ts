/**
 * One evaluation run: load the corpus and rules, normalize every posting as the pipeline does,
 * score the fields and the rules, and measure dedupe with the real store.
 */
import path from 'node:path';
import { compileRules } from '../match/compile-rule.js';
import { DEFAULT_EXCHANGE_RATES } from '../match/currency.js';
import type { MatchContext } from '../match/match-posting.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { loadCorpus, loadRuleSet, toRawPosting } from './corpus.js';
import { evaluateDedupe, type DedupeReport } from './dedupe.js';
import { scoreFields, scoreRules, type Evaluated, type FieldReport, type RuleScore } from './score.js';

export interface EvalReport {
  corpus: {
    dir: string;
    postings: number;
    jobs: number;
    duplicateGroups: number;
    bySourceKind: Record<string, number>;
    rules: number;
  };
  fields: FieldReport;
  rules: RuleScore[];
  dedupe: DedupeReport;
}

/** Runs the whole evaluation on the corpus in `dir` (test/fixtures/postings in the repository). */
export async function runEvaluation(dir: string): Promise<EvalReport> {
  const corpus = loadCorpus(dir);
  const ruleSet = loadRuleSet(dir, corpus);
  const compiled = compileRules(ruleSet.rules);
  if (compiled.issues.length > 0) {
    const list = compiled.issues.map((i) => `${i.rule}.${i.key}: ${i.message}`).join('; ');
    throw new Error(`${path.join(dir, 'rules.yaml')}: rules do not compile: ${list}`);
  }

  const items: Evaluated[] = corpus.map((entry) => ({ entry, posting: normalizePosting(toRawPosting(entry), entry.feed) }));
  const latest = Math.max(...corpus.map((e) => Date.parse(e.input.published)));
  // Age is not what is measured here: no max_age, and "now" is just after the newest posting.
  const ctx: MatchContext = { now: new Date(latest + 86_400_000), maxAgeMs: 0, exchangeRates: { ...DEFAULT_EXCHANGE_RATES } };

  const bySourceKind: Record<string, number> = {};
  for (const e of corpus) bySourceKind[e.source_kind] = (bySourceKind[e.source_kind] ?? 0) + 1;
  const groupSizes = new Map<string, number>();
  for (const e of corpus) {
    const job = e.labels.duplicate_of ?? e.id;
    groupSizes.set(job, (groupSizes.get(job) ?? 0) + 1);
  }

  return {
    corpus: {
      dir,
      postings: corpus.length,
      jobs: groupSizes.size,
      duplicateGroups: [...groupSizes.values()].filter((n) => n > 1).length,
      bySourceKind,
      rules: compiled.rules.length,
    },
    fields: scoreFields(items),
    rules: scoreRules(items, compiled.rules, ruleSet.expected, ctx),
    dedupe: await evaluateDedupe(items, compiled.rules, ctx),
  };
}
