/**
 * Source-health notices: after `after_failures` failed polls in a row a feed gets ONE "failing"
 * message to the `health.notify` channels, and ONE "recovered" message at its first success
 * after that. Hysteresis lives in the store (feeds.alerted_at): the flag is claimed with a
 * conditional UPDATE before sending, so a restart, a second process or a feed that keeps
 * failing never sends it again. A notice that cannot be sent is logged and dropped: it must
 * never hold up or crash polling, and the feed's state (check, /status) still tells the story.
 */
import type { Logger } from 'pino';
import type { Clock } from '../core/types.js';
import type { Notifier } from '../notify/types.js';
import type { Store } from '../store/store.js';
import type { PollOutcome } from './poll-feed.js';

export interface FeedHealthOptions {
  store: Store;
  notifiers: ReadonlyMap<string, Notifier>;
  log: Logger;
  clock: Clock;
  /** Channels to tell; empty: no notices (the state is still kept for check and /status). */
  notify: readonly string[];
  afterFailures: number;
}

export interface FeedHealthNotices {
  /** Looks at a poll's outcome and sends a notice when the feed crossed the threshold or recovered. */
  afterPoll(feedName: string, url: string | null, outcome: PollOutcome): Promise<void>;
  /** Waits for notices still being sent (before notifiers close). */
  flush(): Promise<void>;
}

/** Creates the notice sender for one app. */
export function createFeedHealthNotices(opts: FeedHealthOptions): FeedHealthNotices {
  const { store, notifiers, log, notify, afterFailures } = opts;
  const sending = new Set<Promise<void>>();

  function send(feed: string, subject: string, text: string): void {
    for (const channel of notify) {
      const notifier = notifiers.get(channel);
      if (!notifier?.notice) {
        log.warn({ feed, channel }, 'Health notice not sent: the channel cannot send notices');
        continue;
      }
      const p = notifier
        .notice(subject, text)
        .then(
          () => log.info({ feed, channel, subject }, 'Health notice sent'),
          (err: unknown) => log.warn({ feed, channel, error: err instanceof Error ? err.message : String(err) }, 'Health notice could not be sent; dropped'),
        )
        .finally(() => sending.delete(p));
      sending.add(p);
    }
  }

  return {
    async afterPoll(feed, url, outcome) {
      if (notify.length === 0) return;
      const where = url ? ` (${url})` : '';
      if (outcome.status === 'error' && outcome.consecutiveErrors >= afterFailures) {
        if (!(await store.markFeedAlerted(feed))) return;
        const since = outcome.failingSince ? ` since ${outcome.failingSince.toISOString()}` : '';
        send(
          feed,
          `jobalert: feed ${feed} is failing`,
          `Feed "${feed}"${where} has failed ${outcome.consecutiveErrors} polls in a row${since}.\n` +
            `Last error: ${outcome.error}\n` +
            'jobalert keeps polling it (backing off up to 6 h between tries) and sends one message when it works again. ' +
            'Run `jobalert check` for every feed and channel.',
        );
      } else if (outcome.status === 'ok' || outcome.status === 'not_modified') {
        // A read first, so a healthy feed's poll writes nothing; the claim returns the time it cleared
        // (read and cleared in one transaction), so the message names the notice this call claimed.
        if (!(await store.getFeedState(feed))?.alertedAt) return;
        const alertedAt = await store.clearFeedAlerted(feed);
        if (!alertedAt) return;
        send(
          feed,
          `jobalert: feed ${feed} recovered`,
          `Feed "${feed}"${where} was polled successfully at ${opts.clock.now().toISOString()}; it had been reported failing at ${alertedAt.toISOString()}.`,
        );
      }
    },
    async flush() {
      while (sending.size) await Promise.allSettled([...sending]);
    },
  };
}
