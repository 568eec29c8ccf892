/**
 * The evaluation corpus (test/fixtures/postings/): hand-labelled postings, one JSON object per line
 * in *.jsonl files, and rules with the alerts a careful reader expects (rules.yaml, expected.yaml).
 * Loading validates everything, so a typo in a label fails loudly instead of skewing the figures.
 * See test/fixtures/postings/README.md for the format and the labelling conventions.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { configSchema, type RuleConfig } from '../config/schema.js';
import { SENIORITY_LEVELS, type Arrangement, type RawPosting, type Salary, type SalaryPeriod, type Seniority } from '../core/types.js';
import { extractCompany } from '../sources/company.js';

/** A posting as a source delivers it, before the parser's company step (see toRawPosting). */
export interface CorpusInput {
  sourceId: string;
  url: string;
  title: string;
  company: string | null;
  location: string | null;
  description: string;
  /** ISO 8601. */
  published: string;
  salary?: Salary;
  arrangement?: Arrangement;
  tags?: string[];
}

/** The truth about one posting, as a careful reader labels it. */
export interface Labels {
  salary: Salary | null;
  /** Annualized bounds in the salary's currency (hour x2080, day x260, week x52, month x12). */
  annual_min: number | null;
  annual_max: number | null;
  arrangement: Arrangement;
  /** For remote postings: the regions it is open to; [] = no restriction. Absent = not labelled. */
  regions?: string[];
  /** A list when the posting hires at several levels: any of them is right. */
  seniority: Seniority | Seniority[] | null;
  /** A list when the posting hires several roles: any of them is right. */
  role: string | string[] | null;
  /** The id of the first posting of the same job, or null for a job's first posting. */
  duplicate_of: string | null;
  note?: string;
}

export interface CorpusEntry {
  id: string;
  source_kind: string;
  feed: string;
  input: CorpusInput;
  labels: Labels;
}

/** The rules and, per rule name, the ids of the jobs it should alert. */
export interface RuleSet {
  rules: RuleConfig[];
  expected: Record<string, string[]>;
}

export const ROLES: readonly string[] = [
  'ml engineer',
  'research scientist',
  'data scientist',
  'data engineer',
  'data analyst',
  'software engineer',
  'backend engineer',
  'frontend engineer',
  'full-stack engineer',
  'mobile engineer',
  'devops engineer',
  'security engineer',
  'qa engineer',
  'product manager',
  'designer',
  'engineering manager',
];

const ARRANGEMENTS: readonly Arrangement[] = ['remote', 'hybrid', 'onsite', 'unknown'];
const PERIODS: readonly SalaryPeriod[] = ['hour', 'day', 'week', 'month', 'year'];
const FACTORS: Readonly<Record<SalaryPeriod, number>> = { hour: 2080, day: 260, week: 52, month: 12, year: 1 };

/** Reads every *.jsonl file of `dir` (in name order) and validates the corpus as a whole. */
export function loadCorpus(dir: string): CorpusEntry[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no *.jsonl files`);
  const entries: CorpusEntry[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new Error(`${where}: not JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      entries.push(checkEntry(value, where));
    });
  }
  checkCorpus(entries);
  return entries;
}

/** Reads rules.yaml (a jobalert `rules:` section) and expected.yaml (rule name -> job ids) from `dir`. */
export function loadRuleSet(dir: string, corpus: readonly CorpusEntry[]): RuleSet {
  const rulesFile = path.join(dir, 'rules.yaml');
  const doc = YAML.parse(fs.readFileSync(rulesFile, 'utf8')) as unknown;
  if (!isRecord(doc) || !Array.isArray(doc.rules)) throw new Error(`${rulesFile}: expected a "rules:" list`);
  const parsed = configSchema.safeParse({ rules: doc.rules });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${rulesFile}: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid rules'}`);
  }
  const rules = parsed.data.rules;

  const expectedFile = path.join(dir, 'expected.yaml');
  const raw = YAML.parse(fs.readFileSync(expectedFile, 'utf8')) as unknown;
  if (!isRecord(raw)) throw new Error(`${expectedFile}: expected a mapping of rule name -> list of posting ids`);
  const byId = new Map(corpus.map((e) => [e.id, e]));
  const expected: Record<string, string[]> = {};
  for (const rule of rules) {
    const ids = raw[rule.name];
    if (ids === undefined) throw new Error(`${expectedFile}: no expected alerts for rule "${rule.name}"`);
    const list = ids === null ? [] : ids;
    if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) {
      throw new Error(`${expectedFile}: ${rule.name}: expected a list of posting ids`);
    }
    for (const id of list) {
      const entry = byId.get(id);
      if (!entry) throw new Error(`${expectedFile}: ${rule.name}: unknown posting id "${id}"`);
      if (entry.labels.duplicate_of !== null) {
        throw new Error(`${expectedFile}: ${rule.name}: "${id}" is a duplicate of "${entry.labels.duplicate_of}"; list the job under its first posting`);
      }
    }
    if (new Set(list).size !== list.length) throw new Error(`${expectedFile}: ${rule.name}: an id is listed twice`);
    expected[rule.name] = list;
  }
  for (const name of Object.keys(raw)) {
    if (!rules.some((r) => r.name === name)) throw new Error(`${expectedFile}: "${name}" is not a rule of rules.yaml`);
  }
  return { rules, expected };
}

/**
 * The RawPosting the pipeline hands to normalizePosting: the corpus keeps titles as boards publish
 * them ("Nomad Health: Senior ML Engineer", "Senior ML Engineer at Nomad Health"), and the feed
 * parser's company step (extractCompany, exactly as parse-feed calls it) splits the company off.
 */
export function toRawPosting(entry: CorpusEntry): RawPosting {
  const { input } = entry;
  const found = extractCompany({ title: input.title, author: input.company, description: input.description });
  const raw: RawPosting = {
    sourceId: input.sourceId,
    url: input.url,
    title: found.title,
    company: input.company ?? found.company,
    location: input.location,
    description: input.description,
    published: new Date(input.published),
  };
  if (input.salary) raw.salary = { ...input.salary };
  if (input.arrangement) raw.arrangement = input.arrangement;
  if (input.tags) raw.tags = [...input.tags];
  return raw;
}

/** The id of the job a posting belongs to: its own id, or the first posting of its group. */
export function jobIdOf(entry: CorpusEntry): string {
  return entry.labels.duplicate_of ?? entry.id;
}

/** Levels (or roles) a label accepts; [] for null. */
export function accepted<T extends string>(label: T | T[] | null): T[] {
  if (label === null) return [];
  return Array.isArray(label) ? label : [label];
}

// ---------------------------------------------------------------------------------------------
// Validation

function checkEntry(value: unknown, where: string): CorpusEntry {
  const fail = (message: string): never => {
    throw new Error(`${where}: ${message}`);
  };
  if (!isRecord(value)) return fail('expected an object');
  const { id, source_kind, feed, input, labels } = value;
  if (typeof id !== 'string' || !/^[a-z]+-\d+[a-z]?$/.test(id)) fail(`bad id ${JSON.stringify(id)}`);
  const at = `${where} (${String(id)})`;
  const bad = (message: string): never => {
    throw new Error(`${at}: ${message}`);
  };
  if (typeof source_kind !== 'string' || source_kind === '') bad('source_kind must be a string');
  if (typeof feed !== 'string' || feed === '') bad('feed must be a string');
  if (!isRecord(input)) return bad('input must be an object');
  if (!isRecord(labels)) return bad('labels must be an object');

  for (const key of ['sourceId', 'url', 'title', 'description', 'published'] as const) {
    if (typeof input[key] !== 'string' || input[key] === '') bad(`input.${key} must be a non-empty string`);
  }
  for (const key of ['company', 'location'] as const) {
    if (input[key] !== null && typeof input[key] !== 'string') bad(`input.${key} must be a string or null`);
  }
  if (Number.isNaN(Date.parse(input.published as string))) bad('input.published is not a date');
  if (input.salary !== undefined) checkSalary(input.salary, 'input.salary', bad);
  if (input.arrangement !== undefined && !ARRANGEMENTS.includes(input.arrangement as Arrangement)) bad('input.arrangement is not an arrangement');
  if (input.tags !== undefined && !(Array.isArray(input.tags) && input.tags.every((t) => typeof t === 'string'))) bad('input.tags must be strings');

  if (labels.salary !== null) checkSalary(labels.salary, 'labels.salary', bad);
  const salary = labels.salary as Salary | null;
  const want = salary ? annualOf(salary) : { min: null, max: null };
  if (labels.annual_min !== want.min || labels.annual_max !== want.max) {
    bad(`labels.annual_min/annual_max must be ${want.min}/${want.max} (the salary annualized), got ${String(labels.annual_min)}/${String(labels.annual_max)}`);
  }
  if (!ARRANGEMENTS.includes(labels.arrangement as Arrangement)) bad('labels.arrangement must be remote, hybrid, onsite or unknown');
  if (labels.regions !== undefined) {
    if (!Array.isArray(labels.regions) || !labels.regions.every((r) => typeof r === 'string')) bad('labels.regions must be a list of strings');
    if (labels.arrangement !== 'remote') bad('labels.regions is only for remote postings');
  }
  const levels = labels.seniority === null ? [] : Array.isArray(labels.seniority) ? labels.seniority : [labels.seniority];
  if (!levels.every((l) => SENIORITY_LEVELS.includes(l as Seniority))) bad(`labels.seniority must be one of ${SENIORITY_LEVELS.join(', ')} (or a list, or null)`);
  const roles = labels.role === null ? [] : Array.isArray(labels.role) ? labels.role : [labels.role];
  if (!roles.every((r) => ROLES.includes(r as string))) bad(`labels.role must be one of ${ROLES.join(', ')} (or a list, or null)`);
  if (labels.duplicate_of !== null && typeof labels.duplicate_of !== 'string') bad('labels.duplicate_of must be an id or null');
  return value as unknown as CorpusEntry;
}

function checkSalary(value: unknown, name: string, bad: (message: string) => never): void {
  if (!isRecord(value)) return void bad(`${name} must be an object`);
  const { min, max, currency, period } = value;
  for (const [key, v] of [['min', min], ['max', max]] as const) {
    if (v !== null && (typeof v !== 'number' || !(v > 0))) bad(`${name}.${key} must be a positive number or null`);
  }
  if (min === null && max === null) bad(`${name} needs a min or a max`);
  if (typeof min === 'number' && typeof max === 'number' && min > max) bad(`${name}.min is above its max`);
  if (currency !== null && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))) bad(`${name}.currency must be an ISO code or null`);
  if (!PERIODS.includes(period as SalaryPeriod)) bad(`${name}.period must be one of ${PERIODS.join(', ')}`);
}

function annualOf(salary: Salary): { min: number | null; max: number | null } {
  const f = FACTORS[salary.period];
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v * f * 100) / 100);
  return { min: round(salary.min), max: round(salary.max) };
}

function checkCorpus(entries: readonly CorpusEntry[]): void {
  const byId = new Map<string, CorpusEntry>();
  const bySource = new Map<string, string>();
  for (const e of entries) {
    if (byId.has(e.id)) throw new Error(`posting id "${e.id}" is used twice`);
    byId.set(e.id, e);
    // Same feed and source id is the same posting (DESIGN.md), not a new one to label.
    const key = `${e.feed}\u0000${e.input.sourceId}`;
    const other = bySource.get(key);
    if (other) throw new Error(`"${e.id}" and "${other}" have the same feed and source id`);
    bySource.set(key, e.id);
  }
  for (const e of entries) {
    const root = e.labels.duplicate_of;
    if (root === null) continue;
    const first = byId.get(root);
    if (!first) throw new Error(`"${e.id}": duplicate_of "${root}" is not a posting`);
    if (first.labels.duplicate_of !== null) throw new Error(`"${e.id}": duplicate_of "${root}", which is itself a duplicate; name the first posting`);
    if (Date.parse(first.input.published) > Date.parse(e.input.published)) {
      throw new Error(`"${e.id}": duplicate_of "${root}", which was published later; the first posting of a job is the earliest`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
