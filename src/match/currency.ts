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
  NZD: 0.59,
  SGD: 0.77,
  HKD: 0.128,
  INR: 0.0113,
  JPY: 0.0066,
  CHF: 1.24,
  SEK: 0.105,
  NOK: 0.098,
  DKK: 0.154,
  ISK: 0.0075,
  PLN: 0.27,
  CZK: 0.046,
  HUF: 0.0029,
  RON: 0.23,
  BGN: 0.59,
  RSD: 0.0098,
  TRY: 0.024,
  UAH: 0.024,
  ILS: 0.27,
  AED: 0.272,
  SAR: 0.267,
  QAR: 0.275,
  BRL: 0.18,
  MXN: 0.054,
  ARS: 0.00085,
  CLP: 0.00105,
  COP: 0.00025,
  PEN: 0.28,
  UYU: 0.025,
  ZAR: 0.056,
  NGN: 0.00065,
  KES: 0.0077,
  GHS: 0.065,
  EGP: 0.02,
  MAD: 0.1,
  DZD: 0.0075,
  TND: 0.33,
  KRW: 0.00072,
  CNY: 0.14,
  TWD: 0.031,
  IDR: 0.000061,
  PHP: 0.017,
  THB: 0.029,
  VND: 0.000038,
  MYR: 0.23,
  PKR: 0.0036,
  BDT: 0.0082,
  LKR: 0.0033,
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

/** withDefaultRates(overrides)[code], without building the merged table (matching asks per posting). */
export function rateWithDefaults(code: string, overrides?: Record<string, number>): number | undefined {
  return overrides !== undefined && Object.hasOwn(overrides, code) ? overrides[code] : DEFAULT_EXCHANGE_RATES[code];
}

/** convert() with `rates`, falling back per currency to the built-in table for a currency it lacks. */
export function convertWithDefaults(amount: number, from: string, to: string, rates: Record<string, number>): number | null {
  const direct = convert(amount, from, to, rates);
  if (direct !== null) return direct;
  // convert(amount, from, to, withDefaultRates(rates)), without the copy.
  const srcRate = rateWithDefaults(from.toUpperCase(), rates);
  const dstRate = rateWithDefaults(to.toUpperCase(), rates);
  if (!srcRate || !dstRate) return null;
  return (amount * srcRate) / dstRate;
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
  hk$: 'HKD',
  nt$: 'TWD',
  zł: 'PLN',
  kč: 'CZK',
  '₦': 'NGN',
  '₪': 'ILS',
  '₩': 'KRW',
  '₱': 'PHP',
  '₺': 'TRY',
  '₴': 'UAH',
  '฿': 'THB',
  '₫': 'VND',
});
