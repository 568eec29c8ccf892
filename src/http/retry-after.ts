/** Reading the Retry-After header (RFC 9110 §10.2.3). */

const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Milliseconds to wait from a Retry-After value (delta-seconds or HTTP-date), clamped to [0, 24 h]; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (text === '') return null;

  let ms: number;
  if (/^-?\d+(?:\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // Date.parse accepts nearly anything that ends in a number ("1" is the year 2001), so only
    // values shaped like an HTTP-date (a month or day name and a time) are trusted.
    if (!/[A-Za-z]{3}/.test(text) || !/\d{1,2}:\d{2}/.test(text)) return null;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(Math.round(ms), 0), MAX_RETRY_AFTER_MS);
}
