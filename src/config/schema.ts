/**
 * The config schema: one zod schema holds every key, its default and its check.
 * YAML keys are snake_case (DESIGN.md); unknown keys are rejected (`strict`) so typos never pass.
 */
import { z } from 'zod';
import cron from 'node-cron';
import { cronRangeProblems } from './cron-check.js';
import { parseSmtpUrl } from './smtp-url.js';
import { databaseUrlProblem } from '../core/database-url.js';
import { parseQuietHours } from '../pipeline/hold-times.js';
import { SENIORITY_LEVELS } from '../core/types.js';
import { SOURCE_ADAPTERS } from '../sources/registry.js';
import type { FeedBase } from '../sources/types.js';

const DURATION_RE = /^(\d+)\s*(ms|s|m|h|d|w)$/;
/** DURATION_RE for the JSON Schema (which applies `pattern` to strings only): editors flag "15 mins" as they type. */
const DURATION_PATTERN = '^\\s*\\d+\\s*(ms|s|m|h|d|w)\\s*$';
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses "14d", "90s", "500ms" to milliseconds; null when malformed. */
export function parseDuration(text: string): number | null {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i;
/** SIZE_RE for the JSON Schema, its case folding spelled out (JSON Schema patterns take no flags). */
const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([bB]|[kKmMgG][bB])?\\s*$';
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses "10MB", "512kb", "1048576" to bytes (fractional when written so: "0.4b"); null when malformed. */
export function parseSize(text: string): number | null {
  const m = SIZE_RE.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_BYTES[(m[2] ?? 'b').toLowerCase()]!;
}

/**
 * The longest wait a Node timer honours: setTimeout with more than 2^31-1 ms fires after 1 ms
 * (with a warning), so a "60d" timeout would time out every request at once. 24d stays under it
 * with room for the second undici adds to its own timers.
 */
export const MAX_TIMER_MS = 24 * 86_400_000;
/** Dates stay computable: 100 years is far past any sensible age or retry window. */
const MAX_DATE_SPAN_MS = 36_500 * 86_400_000;

/** Writes a millisecond bound the way the config does ("24d", "1s", "0s"). */
function formatBound(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * A duration ("30s", "15m", "14d"; a bare number is seconds) between `min` and `max` ms; `why`
 * says what the bounds protect against, shown in the error.
 */
function duration(min: number, max: number, why: string) {
  return z.union([z.string(), z.number().int().nonnegative()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v * 1000 : parseDuration(v);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as "30s", "15m", "14d", got "${v}"` });
      return z.NEVER;
    }
    if (!Number.isSafeInteger(ms) || ms < min || ms > max) {
      const range = min === 0 ? `at most ${formatBound(max)}` : `from ${formatBound(min)} to ${formatBound(max)}`;
      ctx.addIssue({ code: 'custom', message: `expected a duration ${range} (${why})` });
      return z.NEVER;
    }
    return ms;
  }).meta({
    description: `a duration: a number and a unit (ms, s, m, h, d, w) such as "30s", "15m", "14d", a bare number being seconds; ${min === 0 ? `at most ${formatBound(max)}` : `from ${formatBound(min)} to ${formatBound(max)}`}`,
    pattern: DURATION_PATTERN,
  });
}

/** Fetch bodies: at least 1 KB (no feed fits in less), at most 1 GB (it is held in memory). */
const MIN_BODY_BYTES = 1024;
const MAX_BODY_BYTES = 1024 ** 3;

const size = z.union([z.string(), z.number().nonnegative()]).transform((v, ctx) => {
  const bytes = typeof v === 'number' ? v : parseSize(v);
  if (bytes === null) {
    ctx.addIssue({ code: 'custom', message: `expected a size such as "10MB" or "512KB", got "${v}"` });
    return z.NEVER;
  }
  if (!Number.isInteger(bytes)) {
    ctx.addIssue({ code: 'custom', message: 'expected a whole number of bytes (a size such as "10MB" or "512KB")' });
    return z.NEVER;
  }
  if (bytes < MIN_BODY_BYTES || bytes > MAX_BODY_BYTES) {
    ctx.addIssue({ code: 'custom', message: 'expected a size from 1KB to 1GB (no feed fits in less; a body is held in memory)' });
    return z.NEVER;
  }
  return bytes;
}).meta({ description: 'a size such as "10MB" or "512KB" (B, KB, MB, GB; a bare number is bytes), from 1KB to 1GB', pattern: SIZE_PATTERN });

const cronExpr = z.string().superRefine((v, ctx) => {
  const result = cron.validateDetailed(v);
  const errors = result.valid ? cronRangeProblems(v) : result.errors.map((e) => `${e.field}: ${e.message}`);
  if (errors.length === 0) return;
  ctx.addIssue({
    code: 'custom',
    message: `expected a cron expression such as "*/15 * * * *" (minute hour day-of-month month weekday), got "${v}" (${errors.join('; ')})`,
  });
}).meta({
  description: 'a cron expression: minute hour day-of-month month weekday (a 6th leading field is seconds), such as "*/15 * * * *" or "0 9 * * 1-5"',
  // Five or six fields of digits, names (mon, jan), * , - / ? L W #; `check` says what a field gets wrong.
  pattern: '^\\s*[0-9A-Za-z*?#/,-]+(\\s+[0-9A-Za-z*?#/,-]+){4,5}\\s*$',
});

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as "UTC" or "Europe/Berlin"' },
).meta({ description: 'an IANA time zone such as "UTC", "Europe/Berlin" or "America/New_York"' });

const stringList = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));

const nonEmpty = z.string().min(1, 'must not be empty');

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** Keys every feed has; an adapter adds its own (board, site, ...). */
const FEED_BASE_SHAPE = {
  name: nonEmpty.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"'),
  type: z.string().default('auto'),
  url: httpUrl.optional(),
  schedule: cronExpr.optional(),
  enabled: z.boolean().default(true),
  // The employer's name for boards whose API carries none (Lever, Ashby) or whose slug reads badly.
  company: z.string().trim().min(1, 'must not be empty').optional(),
};

/** The schema of a feed of the given type (base keys plus the adapter's own), or null for an unknown type. */
export function feedSchemaFor(type: string) {
  const adapter = SOURCE_ADAPTERS.get(type);
  if (!adapter) return null;
  return z.strictObject({ ...FEED_BASE_SHAPE, url: adapter.urlRequired ? httpUrl : httpUrl.optional() }).extend(adapter.keys.shape);
}

/** Every key a feed of this type may have, for "did you mean" suggestions; null for an unknown type. */
export function feedKeysFor(type: string): string[] | null {
  const schema = feedSchemaFor(type);
  return schema ? Object.keys(schema.shape) : null;
}

// Like channels: dispatching on `type` lets each source report its own precise errors
// ("board: required") instead of a union's "no member matched".
const feedSchema = z.custom<unknown>().transform((v, ctx): FeedConfig => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: 'expected a feed: a mapping with name and url (or a board type and its keys)' });
    return z.NEVER;
  }
  const type = (v as Record<string, unknown>).type ?? 'auto';
  const schema = typeof type === 'string' ? feedSchemaFor(type) : null;
  if (!schema) {
    ctx.addIssue({ code: 'custom', path: ['type'], message: `expected one of ${[...SOURCE_ADAPTERS.keys()].join(', ')}, got ${JSON.stringify(type)}` });
    return z.NEVER;
  }
  const r = schema.safeParse(v);
  if (r.success) return r.data as FeedConfig;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path } as never);
  return z.NEVER;
});

// Parsed here exactly as the email notifier parses it to send, so `check` rejects what `run` would.
const smtpUrl = z.string().superRefine((v, ctx) => {
  const parsed = parseSmtpUrl(v);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

/** More jobs than this waiting for one rule on a Slack channel go as one summary message (default in notify/slack.ts). */
const summaryAfter = z.number({ error: 'expected a whole number of jobs (0 or more)' }).int({ error: 'expected a whole number of jobs (0 or more)' }).min(0, { error: 'expected a whole number of jobs (0 or more)' }).optional();

/** "22:00-07:00": hours (config timezone) when a channel's alerts are held, sent together when they end. */
const quietHours = z.string().superRefine((v, ctx) => {
  const parsed = parseQuietHours(v);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/** Keys every channel type has (spread into each channel's schema; new channel types spread it too). */
export const channelCommon = {
  quiet_hours: quietHours.optional(),
};

/** The keys of channelCommon, as a channel config has them. */
export interface ChannelCommon {
  /** "22:00-07:00": alerts found in these hours (config timezone) are held and sent together when they end. */
  quiet_hours?: string;
}

const slackBotChannel = z.strictObject({
  type: z.literal('slack'),
  token: nonEmpty,
  channel: nonEmpty,
  api_url: z.url({ protocol: /^https?$/ }).optional(),
  summary_after: summaryAfter,
  ...channelCommon,
});

const slackWebhookChannel = z.strictObject({
  type: z.literal('slack'),
  webhook_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  summary_after: summaryAfter,
  ...channelCommon,
});

const MIN_EMAIL_BYTES = 16 * 1024;
const MAX_EMAIL_BYTES = 100 * 1024 * 1024;

// An email's whole size (headers, both parts, encoded). Below 16KB not even one job fits.
const emailSize = z.union([z.string(), z.number().nonnegative()]).transform((v, ctx) => {
  const bytes = typeof v === 'number' ? v : parseSize(v);
  if (bytes === null || !Number.isInteger(bytes)) {
    ctx.addIssue({ code: 'custom', message: `expected a size such as "1MB" or "512KB", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  if (bytes < MIN_EMAIL_BYTES || bytes > MAX_EMAIL_BYTES) {
    ctx.addIssue({ code: 'custom', message: 'expected a size from 16KB to 100MB (one job needs a few KB; most mail servers refuse over 10-50MB)' });
    return z.NEVER;
  }
  return bytes;
}).meta({ description: 'a size such as "1MB" or "512KB" (B, KB, MB, GB; a bare number is bytes), from 16KB to 100MB', pattern: SIZE_PATTERN });

const emailChannel = z.strictObject({
  type: z.literal('email'),
  to: stringList.pipe(z.array(z.email({ error: 'expected an email address' })).min(1)),
  subject_prefix: z.string().optional(),
  /** Jobs one email lists at most; more go in further messages, each recorded on its own. */
  max_jobs_per_email: z.number().int().min(1).max(1000).default(50),
  /** The most bytes one email may have (default in notify/email.ts); bigger batches are cut into several emails. */
  max_email_bytes: emailSize.optional(),
  ...channelCommon,
});

const consoleChannel = z.strictObject({
  type: z.literal('console'),
  ...channelCommon,
});

const webhookChannel = z.strictObject({
  type: z.literal('webhook'),
  ...channelCommon,
  url: httpUrl,
  // Short secrets make the signature guessable; 32 random bytes in hex is what the README suggests.
  secret: z.string().min(16, 'expected a secret of at least 16 characters (it signs every request; `openssl rand -hex 32` makes one)').optional(),
});

const discordChannel = z.strictObject({
  type: z.literal('discord'),
  ...channelCommon,
  webhook_url: httpUrl,
});

const telegramChannel = z.strictObject({
  type: z.literal('telegram'),
  ...channelCommon,
  token: nonEmpty.regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a bot token as @BotFather gives it (digits, ":", then letters, digits, "-" or "_")'),
  chat_id: z.union(
    [
      z.number().int(),
      z.string().regex(/^(?:-?\d+|@[A-Za-z][A-Za-z0-9_]{3,})$/, 'expected a chat id (a number such as -1001234567890) or a public channel name such as @my_jobs'),
    ],
    { error: 'expected a chat id (a number such as -1001234567890) or a public channel name such as @my_jobs' },
  ),
  api_url: httpUrl.optional(),
});

// ntfy topics: letters, digits, "-" and "_", at most 64 (the server's own rule).
const NTFY_TOPIC_RE = /^[-_A-Za-z0-9]{1,64}$/;

/** The topic of an ntfy topic URL (its last path segment), or null when the URL names none. */
export function ntfyTopic(url: string): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const topic = path.split('/').filter(Boolean).pop() ?? '';
  return NTFY_TOPIC_RE.test(topic) ? topic : null;
}

const ntfyChannel = z.strictObject({
  type: z.literal('ntfy'),
  ...channelCommon,
  url: httpUrl.refine((u) => ntfyTopic(u) !== null, {
    message: 'expected the topic URL, such as https://ntfy.sh/my-job-alerts (its last path segment is the topic: letters, digits, "-" or "_", at most 64)',
  }),
  token: nonEmpty.optional(),
});

const teamsChannel = z.strictObject({
  type: z.literal('teams'),
  ...channelCommon,
  webhook_url: httpUrl,
});

/** Every channel type, in the order error messages list them. */
export const CHANNEL_TYPES = ['slack', 'email', 'console', 'webhook', 'discord', 'telegram', 'ntfy', 'teams'] as const;

/**
 * Every channel type with the shapes an entry of it may take (slack: a bot token or a webhook).
 * The JSON Schema (src/config/json-schema.ts) is built from this: a new channel type is
 * registered here as well as in channelSchema's switch.
 */
export const CHANNEL_SCHEMAS: Readonly<Record<string, readonly z.ZodObject[]>> = {
  slack: [slackBotChannel, slackWebhookChannel],
  email: [emailChannel],
  console: [consoleChannel],
  webhook: [webhookChannel],
  discord: [discordChannel],
  telegram: [telegramChannel],
  ntfy: [ntfyChannel],
  teams: [teamsChannel],
};

// A union would report "no union member matched"; dispatching on `type` (and on token vs
// webhook_url for slack) lets each channel report its own precise errors.
const channelSchema = z.custom<unknown>().transform((v, ctx) => {
  const parse = (schema: z.ZodType) => {
    const r = schema.safeParse(v);
    if (r.success) return r.data;
    for (const issue of r.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path } as never);
    return z.NEVER;
  };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: 'custom', message: `expected a channel: a mapping with a type (${CHANNEL_TYPES.join(', ')})` });
    return z.NEVER;
  }
  const rec = v as Record<string, unknown>;
  switch (rec.type) {
    case 'slack':
      return parse('webhook_url' in rec ? slackWebhookChannel : slackBotChannel) as SlackBotChannel | SlackWebhookChannel;
    case 'email':
      return parse(emailChannel) as EmailChannel;
    case 'console':
      return parse(consoleChannel) as ConsoleChannel;
    case 'webhook':
      return parse(webhookChannel) as WebhookChannel;
    case 'discord':
      return parse(discordChannel) as DiscordChannel;
    case 'telegram':
      return parse(telegramChannel) as TelegramChannel;
    case 'ntfy':
      return parse(ntfyChannel) as NtfyChannel;
    case 'teams':
      return parse(teamsChannel) as TeamsChannel;
    default:
      ctx.addIssue({ code: 'custom', path: ['type'], message: `expected one of ${CHANNEL_TYPES.join(', ')}, got ${JSON.stringify(rec.type ?? null)}` });
      return z.NEVER;
  }
});

const seniorityWord = z.string().refine((w) => /^[a-z]+\+?$/.test(w) && SENIORITY_LEVELS.includes(w.replace(/\+$/, '') as never), {
  message: `expected a level (${SENIORITY_LEVELS.join(', ')}), optionally with "+" ("senior+")`,
});

const arrangementValue = z.union([z.boolean(), z.enum(['remote', 'hybrid', 'onsite'])]);

/** One rule, as written (exported so the loader can compile rules that are valid on their own). */
export const ruleSchema = z.strictObject({
  name: nonEmpty.regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'expected letters, digits, spaces, ".", "_" or "-"'),
  query: z.string().optional(),
  title: stringList.optional(),
  seniority: z.union([seniorityWord, z.array(seniorityWord)]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
  remote: z.union([arrangementValue, z.array(z.enum(['remote', 'hybrid', 'onsite']))]).optional(),
  salary_min: z.number().nonnegative().optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter currency code such as USD')
    .transform((c) => c.toUpperCase())
    .optional(),
  include_unknown_salary: z.boolean().default(false),
  location: stringList.optional(),
  exclude: stringList.optional(),
  companies_exclude: stringList.optional(),
  notify: stringList.optional(),
  /** Collect matches and send them at these times (cron) as one message per channel. */
  digest: cronExpr.optional(),
  /** The zone `digest` reads in; default the config's `timezone`. */
  timezone: timezone.optional(),
});

/** The whole config file. */
export const configSchema = z.strictObject({
  // An SQLite file path, or a postgres:// URL (its password never written here: see load.ts).
  database: nonEmpty
    .superRefine((v, ctx) => {
      const problem = databaseUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('./data/jobalert.db'),
  schedule: cronExpr.default('*/15 * * * *'),
  timezone: timezone.default('UTC'),
  // 0 means no limit.
  max_age: duration(0, MAX_DATE_SPAN_MS, 'ages are compared as dates').default(14 * 86_400_000),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  http: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8080),
      // Loopback by default: /metrics is nobody else's business; the Docker image sets JOBALERT_HTTP_HOST=0.0.0.0.
      host: z.string().default('127.0.0.1'),
    })
    .prefault({}),
  fetch: z
    .strictObject({
      timeout: duration(1000, MAX_TIMER_MS, 'a shorter timeout fails every fetch; timers cannot wait longer').default(30_000),
      connect_timeout: duration(1000, MAX_TIMER_MS, 'a shorter timeout fails every connection; timers cannot wait longer').default(10_000),
      max_body: size.default(10 * 1024 * 1024),
      max_redirects: z.number().int().min(0).max(20).default(5),
      per_host: z.number().int().min(1).max(16).default(2),
      user_agent: z.string().optional(),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      /** Give up on a transiently failing alert after this long (then it is marked failed). */
      give_up_after: duration(60_000, MAX_DATE_SPAN_MS, 'a shorter window turns one refused delivery into a lost alert').default(2 * 86_400_000),
    })
    .prefault({}),
  health: z
    .strictObject({
      /** Channels told (once) when a feed has failed after_failures polls in a row, and once when it recovers; none: no messages. */
      notify: stringList.optional(),
      after_failures: z.number().int().min(1).max(1000).default(3),
    })
    .prefault({}),
  exchange_rates: z.record(z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter currency code'), z.number().positive()).optional(),
  feeds: z.array(feedSchema).default([]),
  channels: z.record(nonEmpty, channelSchema).default({}),
  smtp: z
    .strictObject({
      url: smtpUrl,
      from: nonEmpty,
      /** Log in over smtp:// even when the server offers no STARTTLS (the password then travels in clear). */
      allow_insecure_auth: z.boolean().optional(),
    })
    .optional(),
  rules: z.array(ruleSchema).default([]),
});

export interface SlackBotChannel extends ChannelCommon {
  type: 'slack';
  token: string;
  channel: string;
  api_url?: string;
  /** More jobs than this for one rule in one dispatch go as one summary message (default 20). */
  summary_after?: number;
}
export interface SlackWebhookChannel extends ChannelCommon {
  type: 'slack';
  webhook_url: string;
  /** More jobs than this for one rule in one dispatch go as one summary message (default 20). */
  summary_after?: number;
}
export interface EmailChannel extends ChannelCommon {
  type: 'email';
  to: string[];
  subject_prefix?: string;
  /** Jobs per message (default 50). */
  max_jobs_per_email?: number;
  /** Bytes per message, encoded (default 1 MB). */
  max_email_bytes?: number;
}
export interface ConsoleChannel extends ChannelCommon {
  type: 'console';
}
/** A generic JSON webhook: every alert POSTed as JSON, signed with HMAC-SHA256 when `secret` is set. */
export interface WebhookChannel extends ChannelCommon {
  type: 'webhook';
  url: string;
  secret?: string;
}
/** A Discord channel webhook (Server Settings > Integrations > Webhooks). */
export interface DiscordChannel extends ChannelCommon {
  type: 'discord';
  webhook_url: string;
}
/** A Telegram bot posting to one chat. */
export interface TelegramChannel extends ChannelCommon {
  type: 'telegram';
  token: string;
  chat_id: number | string;
  /** Replaces https://api.telegram.org (a local Bot API server, tests). */
  api_url?: string;
}
/** An ntfy topic (ntfy.sh or self-hosted). */
export interface NtfyChannel extends ChannelCommon {
  type: 'ntfy';
  /** The topic URL: https://ntfy.sh/TOPIC. */
  url: string;
  /** Access token (tk_...), sent as a Bearer token. */
  token?: string;
}
/** A Microsoft Teams Workflows webhook ("Post to a channel when a webhook request is received"). */
export interface TeamsChannel extends ChannelCommon {
  type: 'teams';
  webhook_url: string;
}
export type ChannelConfig =
  | SlackBotChannel
  | SlackWebhookChannel
  | EmailChannel
  | ConsoleChannel
  | WebhookChannel
  | DiscordChannel
  | TelegramChannel
  | NtfyChannel
  | TeamsChannel;

type Parsed = z.output<typeof configSchema>;
/** A validated feed: the base keys plus its adapter's own keys. */
export interface FeedConfig extends FeedBase {
  [key: string]: unknown;
}
export type RuleConfig = Parsed['rules'][number];

/** The validated config, with defaults filled in and the file it came from. */
export interface Config extends Omit<Parsed, 'channels'> {
  /** Path of the file read. */
  file: string;
  channels: Record<string, ChannelConfig>;
  /** Line and column of a key path in the file, for errors found after loading (rule compilation). */
  locate?: (path: Array<string | number>) => { line: number; column: number } | null;
}
