/**
 * Structured pay (a feed's own salary fields) gets the same sanity as pay read from text: bounds
 * that are numbers above zero, in order; a currency only when the source names one (or documents
 * one, as RemoteOK's US dollars); small yearly-labelled numbers whose period the source does not
 * state are hourly ("30 / 30" is $30 an hour, not $30 a year); and a figure that is not plausible
 * pay once annualized is dropped rather than stored.
 */
import type { Salary, SalaryPeriod } from '../core/types.js';
import { plausibleSalary } from './salary.js';

/** What an adapter read from a feed's pay fields, before sanity. */
export interface StructuredPayInput {
  min: unknown;
  max: unknown;
  /** The source's currency field; anything but a three-letter code is no currency. */
  currency?: unknown;
  period: SalaryPeriod;
  /** False when the source gives no period and `period` is the documented or assumed one. */
  periodStated: boolean;
  /** The currency the source documents for every amount (RemoteOK: USD), used when none is given. */
  assumeCurrency?: string;
}

/** Below this, a yearly figure whose period was not stated can only be an hourly rate. */
const HOURLY_CEILING = 500;

/** A feed's pay fields as a Salary, or null when they state none or state nothing plausible. */
export function structuredPay(input: StructuredPayInput): Salary | null {
  let min = amount(input.min);
  let max = amount(input.max);
  if (min === null && max === null) return null;
  if (min !== null && max !== null && min > max) [min, max] = [max, min];
  const code = typeof input.currency === 'string' && /^[A-Za-z]{3}$/.test(input.currency.trim()) ? input.currency.trim().toUpperCase() : null;
  const currency = code ?? input.assumeCurrency ?? null;
  let period = input.period;
  if (!input.periodStated && period === 'year' && Math.max(min ?? 0, max ?? 0) < HOURLY_CEILING) period = 'hour';
  const salary: Salary = { min, max, currency, period };
  return saneSalary(salary);
}

/** The salary when it is plausible pay once annualized (see plausibleSalary), else null. */
export function saneSalary(salary: Salary | null | undefined): Salary | null {
  if (!salary) return null;
  const min = amount(salary.min);
  const max = amount(salary.max);
  if (min === null && max === null) return null;
  const ordered: Salary = min !== null && max !== null && min > max ? { ...salary, min: max, max: min } : { ...salary, min, max };
  return plausibleSalary(ordered) ? ordered : null;
}

function amount(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}
