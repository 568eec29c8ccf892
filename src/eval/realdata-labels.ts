/**
 * Hand labels of the real-data samples (test/fixtures/realdata/labels/<sample stem>.jsonl): one
 * JSON object per line per item, written by reading the posting (format in README.md, "Evaluation").
 * A line that is not a valid label is an error naming file:line, so a typo never silently drops an item.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SENIORITY_LEVELS, type Arrangement, type SalaryPeriod, type Seniority } from '../core/types.js';

/** The base pay a posting states, as stated. */
export interface LabelSalary {
  min: number | null;
  max: number | null;
  currency: string | null;
  period: SalaryPeriod;
}

/** One labelled item of one sample. */
export interface RealDataLabel {
  /** The sample's file name without extension ("remoteok_resume-helper_2026-03"). */
  sample: string;
  /** The item's id as the source gives it (the adapter's sourceId). */
  id: string;
  title: string;
  /** False for an item that is not a job posting (an HN job-seeker post, a meta comment). */
  job: boolean;
  company: string | null;
  salary: LabelSalary | null;
  arrangement: Arrangement;
  location: string | null;
  seniority: Seniority | null;
  /** "<sample>:<id>" of the item this one is the same job as. */
  duplicateOf: string | null;
  note: string | null;
  /** Where the label was read, for messages ("remoteok_x.jsonl:12"). */
  where: string;
}

const ARRANGEMENTS: readonly string[] = ['remote', 'hybrid', 'onsite', 'unknown'];
const PERIODS: readonly string[] = ['hour', 'day', 'week', 'month', 'year'];
const KEYS = new Set(['id', 'title', 'job', 'company', 'salary', 'arrangement', 'location', 'seniority', 'duplicate_of', 'note']);

/** The key of an item across samples: "<sample>:<id>" (the form duplicate_of uses). */
export function itemKey(sample: string, id: string): string {
  return `${sample}:${id}`;
}

/** Reads every *.jsonl file of `dir`; throws an Error naming file:line for the first bad line. */
export function loadLabels(dir: string): RealDataLabel[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const labels: RealDataLabel[] = [];
  for (const file of files) {
    const sample = file.slice(0, -'.jsonl'.length);
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      labels.push(parseLabel(line, sample, where));
    });
  }
  const keys = new Map<string, string>();
  for (const label of labels) {
    const key = itemKey(label.sample, label.id);
    const first = keys.get(key);
    if (first) throw new Error(`${label.where}: id "${label.id}" is labelled twice (first at ${first})`);
    keys.set(key, label.where);
  }
  for (const label of labels) {
    if (label.duplicateOf !== null && !keys.has(label.duplicateOf)) {
      throw new Error(`${label.where}: duplicate_of "${label.duplicateOf}" names no labelled item`);
    }
    if (label.duplicateOf === itemKey(label.sample, label.id)) throw new Error(`${label.where}: duplicate_of names the item itself`);
  }
  return labels;
}

/** One line -> a label; throws `where: why` for anything that is not a valid label. */
export function parseLabel(line: string, sample: string, where: string): RealDataLabel {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected a JSON object`);
  const o = value as Record<string, unknown>;
  const bad = (why: string): Error => new Error(`${where}${typeof o.id === 'string' ? ` (${o.id})` : ''}: ${why}`);
  for (const key of Object.keys(o)) if (!KEYS.has(key)) throw bad(`unknown key "${key}"`);
  if (typeof o.id !== 'string' || o.id === '') throw bad('id must be a non-empty string');
  if (typeof o.title !== 'string') throw bad('title must be a string');
  if (typeof o.job !== 'boolean') throw bad('job must be true or false');
  const company = nullableString(o.company, 'company', bad);
  const location = nullableString(o.location, 'location', bad);
  const note = nullableString(o.note, 'note', bad);
  const duplicateOf = nullableString(o.duplicate_of, 'duplicate_of', bad);
  if (duplicateOf !== null && !duplicateOf.includes(':')) throw bad('duplicate_of must be "<sample>:<id>"');
  const arrangement = o.arrangement ?? 'unknown';
  if (typeof arrangement !== 'string' || !ARRANGEMENTS.includes(arrangement)) throw bad(`arrangement must be one of ${ARRANGEMENTS.join(', ')}`);
  const seniority = o.seniority ?? null;
  if (seniority !== null && !(SENIORITY_LEVELS as readonly unknown[]).includes(seniority)) throw bad(`seniority must be null or one of ${SENIORITY_LEVELS.join(', ')}`);
  return {
    sample,
    id: o.id,
    title: o.title,
    job: o.job,
    company,
    salary: parseSalary(o.salary, bad),
    arrangement: arrangement as Arrangement,
    location,
    seniority: seniority as Seniority | null,
    duplicateOf,
    note,
    where,
  };
}

function nullableString(value: unknown, key: string, bad: (why: string) => Error): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(`${key} must be a string or null`);
  return value;
}

function parseSalary(value: unknown, bad: (why: string) => Error): LabelSalary | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('salary must be null or {min, max, currency, period}');
  const s = value as Record<string, unknown>;
  const amount = (v: unknown, key: string): number | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(`salary.${key} must be a positive number or null`);
    return v;
  };
  const min = amount(s.min, 'min');
  const max = amount(s.max, 'max');
  if (min === null && max === null) throw bad('salary needs min or max (use null for no salary)');
  if (min !== null && max !== null && min > max) throw bad('salary.min is above salary.max');
  const currency = s.currency ?? null;
  if (currency !== null && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))) throw bad('salary.currency must be an ISO 4217 code or null');
  if (typeof s.period !== 'string' || !PERIODS.includes(s.period)) throw bad(`salary.period must be one of ${PERIODS.join(', ')}`);
  return { min, max, currency: currency as string | null, period: s.period as SalaryPeriod };
}
