/**
 * Console notifier: prints each alert as readable text. It cannot fail to deliver, so every
 * outcome is ok (a broken stdout is the process's problem, not an alert's).
 */
import { cleanLines, cleanText } from './escape.js';
import { renderAlertText } from './render-text.js';
import { renderDigestText } from './render-digest.js';
import type { Notifier, SendOutcome } from './types.js';

/** Dependencies of the console notifier. */
export interface ConsoleDeps {
  /** Feed name -> link shown for it in alerts (sources that ask to be credited). */
  feedLinks?: Record<string, string>;
  /** Feed name -> the source's own name, shown with it ("remotive-dev via Remotive"): their terms ask to be named. */
  feedCredits?: Record<string, string>;
  /** Where text goes; defaults to process.stdout. */
  write?: (text: string) => void;
  now?: () => Date;
  /** IANA zone of the absolute dates in alerts (the config's `timezone`); default UTC. */
  timeZone?: string;
}

/** Creates the notifier for a console channel. */
export function createConsoleNotifier(name: string, deps: ConsoleDeps = {}): Notifier {
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  const now = deps.now ?? (() => new Date());
  return {
    name,
    type: 'console',
    async send(alerts): Promise<SendOutcome[]> {
      for (const alert of alerts) write(`${renderAlertText(alert, { now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits, timeZone: deps.timeZone })}\n`);
      return alerts.map(() => ({ ok: true }));
    },
    async sendDigest(digest): Promise<SendOutcome> {
      write(renderDigestText(digest, { now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits }));
      return { ok: true };
    },
    async notice(subject, text) {
      write(`[jobalert] ${cleanText(subject)}\n${cleanLines(text)}\n`);
    },
    async sendTest() {
      write(`jobalert test message for channel "${cleanText(name)}": alerts will be printed here.\n`);
    },
    async close() {},
  };
}
