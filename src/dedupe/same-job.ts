/**
 * The judgement after a key lookup: two postings that share a company and title key (or a title
 * and a near-identical description) may still be different jobs. They are kept apart when they
 * state different levels, places that cannot be the same (locationsCompatible), different
 * employment types (contract vs full-time), different pay periods or currencies, pay ranges that
 * do not overlap, or legal entities of different countries (Acme AB vs Acme Inc.). Whatever is
 * unstated on either side is compatible: only what the postings say can keep them apart.
 *
 * A false merge silently loses a job (its place, its pay, its link), which is worse than a
 * duplicate alert: every check here errs on the side of keeping apart.
 */
import type { Salary, Seniority } from '../core/types.js';
import { employmentCompatible, employmentTypes } from './employment.js';
import type { EmploymentFacts } from './employment.js';
import { locationsCompatible } from './job-key.js';
import type { LocationFacts } from './job-key.js';

/** What the judgement reads of a posting or a stored job (normalized Posting fields). */
export interface JobFacts extends LocationFacts, EmploymentFacts {
  title: string;
  location: string | null;
  company: string | null;
  salary: Salary | null;
  seniority: Seniority | null;
}

/** Why two postings cannot be one job ('level', 'place', ...), or null when they may be. */
export function whyDifferentJobs(a: JobFacts, b: JobFacts): string | null {
  if (a.seniority !== null && b.seniority !== null && a.seniority !== b.seniority) return 'level';
  if (legalEntitiesDiffer(a.company, b.company)) return 'legal entity';
  const pay = payConflict(a.salary, b.salary);
  if (pay) return pay;
  if (!employmentCompatible(employmentTypes(a), employmentTypes(b))) return 'employment type';
  if (!locationsCompatible(a, b)) return 'place';
  return null;
}

/**
 * 'pay period', 'currency' or 'pay' when two stated salaries cannot be of one job: hourly vs
 * yearly, USD vs EUR, $90k-$100k vs $150k-$180k. An open end ("up to $180k") reaches as far as
 * it says; no salary on either side is no conflict.
 */
export function payConflict(a: Salary | null, b: Salary | null): 'pay period' | 'currency' | 'pay' | null {
  if (a === null || b === null) return null;
  if (a.period !== b.period) return 'pay period';
  if (a.currency !== null && b.currency !== null && a.currency !== b.currency) return 'currency';
  const [aLow, aHigh] = bounds(a);
  const [bLow, bHigh] = bounds(b);
  return aLow <= bHigh && bLow <= aHigh ? null : 'pay';
}

function bounds(s: Salary): [number, number] {
  return [s.min ?? 0, s.max ?? Infinity];
}

/**
 * Legal forms by the company-law family they belong to. Two names ending in forms of different
 * families ("Acme AB", "Acme Inc.") are different employers, even though their company key is
 * the same ("acme"). Forms shared across families ("SA": France, Spain, Switzerland, Latin
 * America) belong to each.
 */
const LEGAL_FORM_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  inc: ['us'],
  incorporated: ['us'],
  llc: ['us'],
  corp: ['us'],
  corporation: ['us'],
  pc: ['us'],
  ltd: ['common'],
  limited: ['common'],
  plc: ['common'],
  llp: ['us', 'common'],
  lp: ['us', 'common'],
  pty: ['common'],
  pvt: ['common'],
  pte: ['common'],
  private: ['common'],
  bhd: ['common'],
  sdn: ['common'],
  gmbh: ['germanic'],
  mbh: ['germanic'],
  ag: ['germanic'],
  kg: ['germanic'],
  kgaa: ['germanic'],
  ug: ['germanic'],
  se: ['germanic', 'nordic', 'romance', 'dutch'],
  ab: ['nordic'],
  as: ['nordic'],
  asa: ['nordic'],
  aps: ['nordic'],
  oy: ['nordic'],
  oyj: ['nordic'],
  sa: ['romance'],
  sas: ['romance'],
  sarl: ['romance'],
  srl: ['romance'],
  spa: ['romance'],
  sl: ['romance'],
  slu: ['romance'],
  sau: ['romance'],
  bv: ['dutch'],
  nv: ['dutch'],
  kk: ['japanese'],
};

/** Whether two company names carry legal forms of different families ("Acme AB" vs "Acme Inc."). */
export function legalEntitiesDiffer(a: string | null, b: string | null): boolean {
  const fa = legalFamilies(a);
  const fb = legalFamilies(b);
  if (fa.size === 0 || fb.size === 0) return false;
  for (const f of fa) if (fb.has(f)) return false;
  return true;
}

/** The company-law families of the legal forms that end a company name ("Acme GmbH & Co. KG" -> germanic). */
function legalFamilies(company: string | null): Set<string> {
  const families = new Set<string>();
  if (!company) return families;
  const tokens = company
    .toLowerCase()
    .replace(/[([{][^)\]}]*[)\]}]/g, ' ')
    .replace(/\./g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  // Trailing tokens only, as companyKey drops them: "AS" inside "Atlas AS Group" is no legal form.
  while (tokens.length > 1) {
    const last = tokens.at(-1)!;
    const forms = LEGAL_FORM_FAMILIES[last];
    if (forms) for (const f of forms) families.add(f);
    else if (last !== 'and' && last !== 'co' && last !== 'company') break;
    tokens.pop();
  }
  return families;
}
