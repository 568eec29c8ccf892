/** Text helpers shared by the evaluation reports (own corpus and real data). */
import type { Salary } from '../core/types.js';

/** A section heading: "== TEXT". */
export function heading(text: string): string {
  return `== ${text}`;
}

/** "ok" or "BELOW" for a figure against its target. */
export function mark(ok: boolean): string {
  return ok ? 'ok' : 'BELOW';
}

/** A ratio as a percentage: 0.981 -> "98.1%". */
export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/** A labelled or read value for a failure line: "none" for nothing, lists in brackets. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

/** Text on one line, cut to `width` with an ellipsis. */
export function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}

/** A salary as "135,000-180,000 USD/year" ("?" for an open bound). */
export function describeSalary(s: Salary): string {
  const n = (v: number | null): string => (v === null ? '?' : v.toLocaleString('en-US'));
  return `${n(s.min)}-${n(s.max)} ${s.currency ?? '(no currency)'}/${s.period}`;
}

/** Left-aligned columns (right-aligned where `right`), two spaces apart. */
export function table(rows: readonly string[][], right: readonly boolean[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
