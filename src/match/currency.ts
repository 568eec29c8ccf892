/**
 * Currencies: the built-in exchange-rate table and conversion between currencies.
 * Rates are "units of USD per 1 unit of the currency", so any pair converts through USD.
 */

/**
 * Approximate USD value of one unit of each currency (late-2026 ballpark figures).
 * They only decide whether a foreign salary clears a threshold, so rough values are fine;
 * config `exchange_rates:` overrides or extends them.
 */
export const DEFAULT_EXCHANGE_RATES: Readonly<Record<string, number>> = Object.freeze({
  USD: 1,
  EUR: 1.15,
  GBP: 1.33,
  CAD: 0.72,
  AUD: 0.66,
  INR: 0.0113,
  JPY: 0.0066,
  CHF: 1.24,
  SEK: 0.105,
  NOK: 0.098,
  DKK: 0.154,
  PLN: 0.27,
  NZD: 0.59,
  SGD: 0.77,
  BRL: 0.18,
  MXN: 0.054,
  ZAR: 0.056,
});

/** Converts an amount between currencies (ISO codes, any case); null when a rate is missing. */
export function convert(amount: number, from: string, to: string, rates: Record<string, number>): number | null {
  const src = from.toUpperCase();
  const dst = to.toUpperCase();
  if (src === dst) return amount;
  const srcRate = rates[src];
  const dstRate = rates[dst];
  if (!srcRate || !dstRate) return null;
  return (amount * srcRate) / dstRate;
}

/** The built-in rates with config overrides applied on top. */
export function withDefaultRates(overrides?: Record<string, number>): Record<string, number> {
  return { ...DEFAULT_EXCHANGE_RATES, ...overrides };
}

/** Currency prefixes as people type them in queries ("$130k", "CA$90k"), mapped to ISO codes. */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = Object.freeze({
  $: 'USD',
  us$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  ca$: 'CAD',
  c$: 'CAD',
  a$: 'AUD',
  au$: 'AUD',
  nz$: 'NZD',
  s$: 'SGD',
  r$: 'BRL',
  mx$: 'MXN',
});
