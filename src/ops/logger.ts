/**
 * The pino logger factory. Secrets never reach a log line: known secret keys are redacted by
 * path, and the secret VALUES found in the config (tokens, webhook URLs, SMTP passwords) are
 * scrubbed from every string a log call carries, error messages and stacks included, because
 * third-party errors sometimes echo a URL or header they were given.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';
import type PinoPretty from 'pino-pretty';
import { REDACTED, redactUrl } from '../core/redact.js';

export type { Logger } from 'pino';

// pino-pretty (and its dependencies) load only when a terminal reads the log: a daemon writing
// JSON, `--version` and `query` never pay for it.
const require = createRequire(import.meta.url);

/** Keys whose values are always hidden, wherever they sit in a logged object. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'webhook_url',
  '*.webhook_url',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'pass',
  '*.pass',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  // A URL keeps its host and path, which say which feed failed, and loses its credentials
  // (user:password@, ?token=); FetchError carries one as err.url.
  'url',
  '*.url',
  '*.*.url',
];

/** Hides a redacted value: a `url` through redactUrl, anything else entirely. */
function censor(value: unknown, path: unknown): unknown {
  const last = Array.isArray(path) ? path[path.length - 1] : undefined;
  return last === 'url' && typeof value === 'string' ? redactUrl(value) : REDACTED;
}

export interface LoggerOptions {
  level: string;
  /** Secret values to scrub from every logged string. */
  secrets?: string[];
  /** Where lines go; default stdout (pretty when it is a TTY). */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Force pretty (true) or JSON (false) output; default: pretty when the destination is a TTY. */
  pretty?: boolean;
}

/** Creates the logger; pass `secrets` so their values are scrubbed from every line. */
export function createLogger(opts: LoggerOptions): Logger {
  const destination = opts.destination ?? process.stdout;
  const isTty = 'isTTY' in destination && Boolean((destination as NodeJS.WriteStream).isTTY);
  const stream = (opts.pretty ?? isTty)
    ? (require('pino-pretty') as typeof PinoPretty)({ destination: destination as NodeJS.WritableStream, colorize: isTty, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true })
    : (destination as DestinationStream);
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 4);
  return pino(
    {
      level: opts.level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor },
      // pino reads hooks.logMethod unconditionally: pass an empty object, never undefined.
      hooks:
        secrets.length
          ? {
              logMethod(args, method) {
                method.apply(this, args.map((a) => scrubSecrets(a, secrets)) as Parameters<typeof method>);
              },
            }
          : {},
    },
    stream,
  );
}

/** Returns a copy of `value` with every occurrence of a secret replaced by "***" (errors included). */
export function scrubSecrets(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out;
  }
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const copy = new Error(scrubSecrets(value.message, secrets) as string);
    copy.name = value.name;
    copy.stack = scrubSecrets(value.stack ?? '', secrets, depth + 1) as string;
    for (const [k, v] of Object.entries(value)) {
      (copy as unknown as Record<string, unknown>)[k] = scrubSecrets(v, secrets, depth + 1);
    }
    if (value.cause !== undefined) copy.cause = scrubSecrets(value.cause, secrets, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubSecrets(v, secrets, depth + 1);
  return out;
}
