/**
 * The evaluation report as a plain-text table for a terminal: per-field accuracy with counts,
 * false and missed salaries, per-rule precision and recall with the ids that are wrong, dedupe.
 */
import type { EvalReport } from './run.js';
import { clip, describeSalary, heading, mark, percent, show, table } from './report-format.js';
import type { FieldScore } from './score.js';

/** Issue 3's targets, shown next to the figures. */
export const TARGETS = {
  salary: 0.97,
  arrangement: 0.97,
  seniority: 0.97,
  role: 0.95,
  rulePrecision: 0.97,
  ruleRecall: 0.97,
} as const;

const FIELD_TARGETS: Readonly<Record<string, number>> = {
  salary: TARGETS.salary,
  arrangement: TARGETS.arrangement,
  seniority: TARGETS.seniority,
  role: TARGETS.role,
};

/** Formats the whole report. */
export function formatReport(report: EvalReport): string {
  const out: string[] = [];
  const { corpus, fields, rules, dedupe } = report;
  const kinds = Object.entries(corpus.bySourceKind)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  out.push(
    `jobalert evaluation: ${corpus.postings} postings (${corpus.jobs} jobs, ${corpus.duplicateGroups} duplicate groups), ${corpus.rules} rules`,
    `  corpus: ${corpus.dir}`,
    `  by source: ${kinds}`,
    '',
  );

  // Fields.
  out.push(heading('FIELDS'));
  const rows: string[][] = [['field', 'correct', 'total', 'accuracy', 'target', '', 'measured on']];
  for (const score of [fields.salary, fields.currency, fields.period, fields.arrangement, fields.regions, fields.seniority, fields.role]) {
    const target = FIELD_TARGETS[score.field];
    rows.push([
      score.field,
      String(score.correct),
      String(score.total),
      percent(score.accuracy),
      target === undefined ? '' : `>= ${percent(target, 0)}`,
      target === undefined ? '' : mark(score.accuracy >= target),
      score.over,
    ]);
  }
  out.push(...table(rows, [false, true, true, true, true, false, false]));
  out.push(
    `false salaries: ${fields.falseSalaries.length} (target 0) ${mark(fields.falseSalaries.length === 0)}    missed salaries: ${fields.missedSalaries.length}`,
    '',
  );

  if (fields.falseSalaries.length > 0) {
    out.push(heading('FALSE SALARIES (the posting states no pay; what the code took for pay)'));
    out.push(
      ...table(
        fields.falseSalaries.map((f) => [f.id, clip(f.title, 50), describeSalary(f.salary), `= ${annual(f.annualMin, f.annualMax, f.salary.currency)}`]),
        [false, false, false, false],
      ),
      '',
    );
  }

  out.push(heading('FIELD FAILURES (expected -> got)'));
  for (const score of [fields.salary, fields.arrangement, fields.regions, fields.seniority, fields.role]) {
    out.push(...failures(score));
  }
  out.push('');

  // Rules.
  out.push(heading('RULES (each rule against each labelled job, on its first posting)'));
  const ruleRows: string[][] = [['rule', 'expected', 'matched', 'right', 'precision', 'recall', '']];
  for (const r of rules) {
    const ok = r.precision >= TARGETS.rulePrecision && r.recall >= TARGETS.ruleRecall;
    ruleRows.push([r.rule, String(r.expected), String(r.matched), String(r.truePositives), r.precision.toFixed(2), r.recall.toFixed(2), mark(ok)]);
  }
  out.push(...table(ruleRows, [false, true, true, true, true, true, false]));
  const below = rules.filter((r) => r.precision < TARGETS.rulePrecision || r.recall < TARGETS.ruleRecall).length;
  out.push(`rules below target (precision and recall >= ${TARGETS.rulePrecision}): ${below} of ${rules.length}`, '');
  for (const r of rules) {
    if (r.falsePositives.length === 0 && r.falseNegatives.length === 0) continue;
    out.push(`${r.rule}:`);
    for (const fp of r.falsePositives) out.push(`  false positive ${fp.id}  ${clip(fp.title, 60)}`);
    for (const fn of r.falseNegatives) out.push(`  false negative ${fn.id}  ${clip(fn.title, 60)}  [${fn.failed.join('; ')}]`);
  }
  out.push('');

  // Dedupe.
  out.push(heading('DEDUPE (the real store; postings ingested in published order)'));
  out.push(
    `store jobs: ${dedupe.storeJobs} for ${dedupe.labelledJobs} labelled jobs (${dedupe.labelledDuplicateGroups} labelled groups with duplicates)`,
    `duplicate detection, pairwise: precision ${dedupe.precision.toFixed(3)} (${dedupe.agreeingPairs}/${dedupe.predictedPairs} pairs), recall ${dedupe.recall.toFixed(3)} (${dedupe.agreeingPairs}/${dedupe.truePairs} pairs)`,
    `groups split across store jobs: ${dedupe.splitGroups.length}    false merges: ${dedupe.falseMerges.length}`,
    `jobs alerted twice: ${dedupe.alertedTwice.length} (target 0) ${mark(dedupe.alertedTwice.length === 0)}`,
  );
  for (const split of dedupe.splitGroups) out.push(`  split ${split.job}: ${split.parts.map((p) => `[${p.join(' ')}]`).join(' ')}`);
  for (const merge of dedupe.falseMerges) out.push(`  false merge: ${merge.jobs.map((j) => `[${j.join(' ')}]`).join(' + ')}`);
  for (const twice of dedupe.alertedTwice) {
    const rulesText = Object.entries(twice.rules)
      .map(([rule, n]) => `${rule} x${n}`)
      .join(', ');
    out.push(`  alerted twice ${twice.job}: ${rulesText}`);
  }
  return out.join('\n') + '\n';
}

function failures(score: FieldScore): string[] {
  if (score.failures.length === 0) return [];
  const lines = [`${score.field} (${score.failures.length}):`];
  const rows = score.failures.map((f) => [`  ${f.id}`, clip(f.title, 48), `${show(f.expected)} -> ${show(f.got)}`]);
  lines.push(...table(rows, [false, false, false]));
  return lines;
}

function annual(min: number | null, max: number | null, currency: string | null): string {
  const n = (v: number | null): string => (v === null ? '?' : Math.round(v).toLocaleString('en-US'));
  return `${n(min)}-${n(max)} ${currency ?? ''}/yr`.replace(' /yr', '/yr');
}
