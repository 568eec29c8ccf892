/** Backoff schedules for failing feeds and failing deliveries. */

const MINUTE = 60_000;

/** The longest a feed waits between polls, its server's Retry-After included (a year-long Retry-After must not park a feed). */
export const MAX_FEED_BACKOFF_MS = 6 * 60 * MINUTE;

/**
 * Delay before the next poll of a feed that failed `consecutiveErrors` times in a row:
 * 1 min, 2, 4, ... capped at 6 h, never shorter than the server's Retry-After (itself capped at 6 h).
 */
export function feedBackoffMs(consecutiveErrors: number, retryAfterMs: number | null = null): number {
  const exp = Math.min(MINUTE * 2 ** Math.max(0, consecutiveErrors - 1), MAX_FEED_BACKOFF_MS);
  return Math.max(exp, Math.min(retryAfterMs ?? 0, MAX_FEED_BACKOFF_MS));
}

/**
 * Delay before retrying an alert after its `attempts`-th transient failure:
 * 30 s, 1 min, 2 min, ... capped at 30 min, or exactly the channel's Retry-After when it gave one.
 * `random` (0..1) spreads retries of many alerts so they do not return at once.
 */
export function alertBackoffMs(attempts: number, retryAfterMs: number | null, random: number): number {
  const exp = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * MINUTE);
  // Retry-After is the server's own word: honour it as given rather than guessing longer.
  if (retryAfterMs !== null) return retryAfterMs;
  return Math.round(exp * (0.8 + 0.4 * random));
}
