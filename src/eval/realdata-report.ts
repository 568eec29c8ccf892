/**
 * The real-data evaluation as a plain-text report for a terminal, in the style of report.ts:
 * samples read, figures against issue 7's floors, then every failure (expected -> got, with the
 * item as "<sample>:<id>").
 */
import { clip, describeSalary, heading, mark, percent, show, table } from './report-format.js';
import type { FieldScore } from './score.js';
import { REALDATA_TARGETS, type RealDataReport } from './realdata.js';

/** Formats the whole real-data report. */
export function formatRealDataReport(r: RealDataReport): string {
  const out: string[] = [];
  const read = r.samples.reduce((n, s) => n + s.postings, 0);
  out.push(
    `jobalert real-data evaluation: ${r.samples.length} samples, ${read} postings read; ${r.labels.total} labelled items (${r.labels.jobs} jobs, ${r.labels.nonJobs} not jobs) in ${r.labels.samples} label files`,
    `  samples: ${r.samplesDir}`,
    `  labels:  ${r.labelsDir}`,
    '',
    heading('SAMPLES (each read by its source adapter from a local server)'),
  );
  const rows = [['sample', 'type', 'read', 'skipped', 'labelled', 'unlabelled', 'error']];
  for (const s of r.samples) rows.push([s.sample, s.type, String(s.postings), String(s.skipped), String(s.labelled), String(s.unlabelled), s.error ?? '']);
  out.push(...table(rows, [false, false, true, true, true, true, false]));
  for (const u of r.unserved) out.push(`  not served: ${u.file} (${u.reason})`);
  for (const s of r.labelsWithoutSample) out.push(`  labels without a sample: ${s}.jsonl`);
  out.push('');

  out.push(heading('FIGURES'));
  const t = REALDATA_TARGETS;
  const figures: string[][] = [['figure', 'value', 'count', 'target', '']];
  figures.push(['labelled items', String(r.labels.total), '', `>= ${t.labelledItems}`, mark(r.labels.total >= t.labelledItems)]);
  figures.push(fieldRow('salary exact', r.salary, t.salary));
  figures.push(['invented salaries', String(r.invented.length), '', `= ${t.inventedSalaries}`, mark(r.invented.length <= t.inventedSalaries)]);
  figures.push(['missed salaries', String(r.missed.length), '', '', '']);
  figures.push(fieldRow('arrangement', r.arrangement, t.arrangement));
  figures.push(fieldRow('location (loose)', r.location, null));
  figures.push(fieldRow('seniority', r.seniority, null));
  figures.push(fieldRow('company (all sources)', r.company, null));
  figures.push([
    'HN postings read',
    percent(r.hn.postingsRead),
    `${r.hn.read}/${r.hn.labelledJobs}`,
    `>= ${percent(t.hnPostingsRead, 0)}`,
    mark(r.hn.postingsRead >= t.hnPostingsRead),
  ]);
  figures.push(['HN non-jobs yielded', String(r.hn.nonJobsYielded.length), '', '', '']);
  figures.push(fieldRow('HN company', r.hn.company, t.hnCompany));
  figures.push(['false merges', String(r.dedupe.falseMerges.length), '', `= ${t.falseMerges}`, mark(r.dedupe.falseMerges.length <= t.falseMerges)]);
  figures.push(['missed duplicates', String(r.dedupe.missedDuplicates.length), '', '', '']);
  figures.push(['labels not yielded', String(r.missing.length), '', '', '']);
  out.push(...table(figures, [false, true, true, true, false]));
  out.push(
    `store: ${r.dedupe.storeJobs} jobs for ${r.dedupe.labelledJobs} labelled jobs (${r.dedupe.items} labelled items read)`,
    '',
  );

  if (r.invented.length > 0) {
    out.push(heading('INVENTED SALARIES (the label states no base pay; what jobalert took for pay)'));
    out.push(...table(r.invented.map((i) => [`  ${i.id}`, clip(i.title, 48), describeSalary(i.got)]), [false, false, false]), '');
  }
  if (r.dedupe.falseMerges.length > 0) {
    out.push(heading('FALSE MERGES (items of different labelled jobs stored as one job)'));
    for (const m of r.dedupe.falseMerges) out.push(`  ${m.jobs.map((j) => `[${j.join(' ')}]`).join(' + ')}`);
    out.push('');
  }
  if (r.dedupe.missedDuplicates.length > 0) {
    out.push(heading('MISSED DUPLICATES (one labelled job stored apart)'));
    for (const d of r.dedupe.missedDuplicates) out.push(`  ${d.job}: ${d.parts.map((p) => `[${p.join(' ')}]`).join(' ')}`);
    out.push('');
  }
  if (r.hn.notRead.length > 0 || r.hn.nonJobsYielded.length > 0) {
    out.push(heading('HN'));
    for (const i of r.hn.notRead) out.push(`  not read: ${i.id}  ${clip(i.title, 60)}`);
    for (const i of r.hn.nonJobsYielded) out.push(`  not a job, yielded: ${i.id}  ${clip(i.title, 60)}`);
    out.push('');
  }
  if (r.missing.length > 0) {
    out.push(heading('LABELS NOT YIELDED (the adapter gave no posting with this id)'));
    for (const m of r.missing) out.push(`  ${m.id}  ${clip(m.title, 50)}  (${m.where})`);
    out.push('');
  }

  out.push(heading('FAILURES (expected -> got)'));
  for (const score of [r.salary, r.arrangement, r.hn.company, r.seniority, r.location, r.company]) out.push(...failures(score));
  return out.join('\n') + '\n';
}

function fieldRow(name: string, score: FieldScore, target: number | null): string[] {
  return [name, percent(score.accuracy), `${score.correct}/${score.total}`, target === null ? '' : `>= ${percent(target, 0)}`, target === null ? '' : mark(score.accuracy >= target)];
}

function failures(score: FieldScore): string[] {
  if (score.failures.length === 0) return [];
  const lines = [`${score.field} — ${score.over} (${score.failures.length}):`];
  lines.push(...table(score.failures.map((f) => [`  ${f.id}`, clip(f.title, 44), `${show(f.expected)} -> ${show(f.got)}`]), [false, false, false]));
  return lines;
}
