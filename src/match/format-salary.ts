/**
 * Salary display: compact, human amounts ("$135k–$180k / year", "£70k", "$75") for alerts and reasons.
 */
import type { Salary } from '../core/types.js';

// Symbols only where they are unambiguous in an English-speaking alert; other codes print as "CHF 120k".
const PREFIX: Readonly<Record<string, string>> = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  INR: '₹',
  CAD: 'CA$',
  AUD: 'A$',
  NZD: 'NZ$',
  SGD: 'S$',
  BRL: 'R$',
  MXN: 'MX$',
};

/** Formats one amount: "$130k", "€80k", "$75", "¥12M"; no symbol when the currency is unknown. */
export function formatMoney(amount: number, currency: string | null): string {
  const prefix = currency === null ? '' : (PREFIX[currency.toUpperCase()] ?? `${currency.toUpperCase()} `);
  return `${prefix}${formatNumber(amount)}`;
}

/**
 * Formats a stated salary: "$135k–$180k / year", "up to $180k / year", "from €80k / year",
 * "1.9M / year (currency unknown)".
 */
export function formatSalary(salary: Salary): string {
  const { min, max, currency, period } = salary;
  const per = ` / ${period}${currency === null ? ' (currency unknown)' : ''}`;
  if (min !== null && max !== null) {
    if (min === max) return `${formatMoney(min, currency)}${per}`;
    return `${formatMoney(min, currency)}–${formatMoney(max, currency)}${per}`;
  }
  if (max !== null) return `up to ${formatMoney(max, currency)}${per}`;
  if (min !== null) return `from ${formatMoney(min, currency)}${per}`;
  return 'not stated';
}

function formatNumber(amount: number): string {
  const abs = Math.abs(amount);
  // Thousands keep one decimal ("$62.5k") so real ranges stay distinguishable; millions keep two.
  const thousands = Math.round(abs / 100) / 10;
  if (abs >= 1000 && thousands < 1000) return `${sign(amount)}${trimZeros(thousands.toFixed(1))}k`;
  if (abs >= 1000) return `${sign(amount)}${trimZeros((Math.round(abs / 10_000) / 100).toFixed(2))}M`;
  return `${sign(amount)}${Number.isInteger(abs) ? String(abs) : abs.toFixed(2)}`;
}

function sign(amount: number): string {
  return amount < 0 ? '-' : '';
}

function trimZeros(text: string): string {
  return text.replace(/\.?0+$/, '');
}
