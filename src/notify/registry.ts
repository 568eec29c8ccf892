/**
 * Builds one notifier per configured channel.
 */
import type { Config } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import { createConsoleNotifier } from './console.js';
import { createEmailNotifier } from './email.js';
import { createSlackBotNotifier, createSlackWebhookNotifier } from './slack.js';
import { createDiscordNotifier } from './discord.js';
import { createNtfyNotifier } from './ntfy.js';
import { createTeamsNotifier } from './teams.js';
import { createTelegramNotifier } from './telegram.js';
import { createWebhookNotifier } from './webhook.js';
import type { Notifier } from './types.js';

/** What notifiers may need from their surroundings; everything has a real default. */
export interface NotifierDeps {
  /** Console output; defaults to process.stdout. */
  write?: (text: string) => void;
  now?: () => Date;
  /** Feed name -> link shown for it in alerts (sources that ask to be credited). */
  feedLinks?: Record<string, string>;
  /** Feed name -> the source's own name, shown with it ("remotive-dev via Remotive"): their terms ask to be named. */
  feedCredits?: Record<string, string>;
  /** IANA zone of the absolute dates in alerts (the config's `timezone`); default UTC. */
  timeZone?: string;
}

/** Creates one notifier per `config.channels` entry, keyed by channel name; throws ConfigError when an email channel has no `smtp:` section. */
export function createNotifiers(
  config: Pick<Config, 'channels' | 'smtp' | 'file' | 'locate'> & { timezone?: string },
  deps: NotifierDeps = {},
): Map<string, Notifier> {
  const notifiers = new Map<string, Notifier>();
  // Dates in alerts are written in the config's zone, like its schedules.
  const timeZone = deps.timeZone ?? config.timezone;
  const now = {
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.feedLinks ? { feedLinks: deps.feedLinks, feedCredits: deps.feedCredits } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
  for (const [name, channel] of Object.entries(config.channels)) {
    switch (channel.type) {
      case 'slack':
        notifiers.set(
          name,
          'webhook_url' in channel ? createSlackWebhookNotifier(name, channel, now) : createSlackBotNotifier(name, channel, now),
        );
        break;
      case 'email':
        if (!config.smtp) {
          const at = config.locate?.(['channels', name]) ?? null;
          throw new ConfigError([
            {
              file: config.file,
              line: at?.line ?? null,
              column: at?.column ?? null,
              key: `channels.${name}`,
              message: 'an email channel needs the smtp: section (url and from)',
            },
          ]);
        }
        notifiers.set(name, createEmailNotifier(name, channel, config.smtp, now));
        break;
      case 'console':
        notifiers.set(name, createConsoleNotifier(name, { ...now, ...(deps.write ? { write: deps.write } : {}) }));
        break;
      case 'webhook':
        notifiers.set(name, createWebhookNotifier(name, channel, now));
        break;
      case 'discord':
        notifiers.set(name, createDiscordNotifier(name, channel, now));
        break;
      case 'telegram':
        notifiers.set(name, createTelegramNotifier(name, channel, now));
        break;
      case 'ntfy':
        notifiers.set(name, createNtfyNotifier(name, channel, now));
        break;
      case 'teams':
        notifiers.set(name, createTeamsNotifier(name, channel, now));
        break;
    }
  }
  return notifiers;
}
