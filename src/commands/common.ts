/** What every command needs: the config loaded and its rules compiled, and exit codes. */
import fs from 'node:fs';
import { loadConfig, resolveConfigPath } from '../config/load.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { Config } from '../config/schema.js';
import { ConfigError, type ConfigIssue } from '../core/errors.js';
import { compileRules, type CompiledRule } from '../match/compile-rule.js';
import { createLogger, type Logger } from '../ops/logger.js';
import { urlSecrets } from '../core/redact.js';
import { databaseSecrets, isDatabaseUrl, isPostgresUrl } from '../core/database-url.js';

export { CommandError, EXIT_FAILING, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from './exit.js';

export interface Loaded {
  config: Config;
  rules: CompiledRule[];
}

/** Loads the config and compiles its rules; any problem in either is one ConfigError listing all. */
export function loadAndCompile(cliPath: string | undefined, env: NodeJS.ProcessEnv = process.env): Loaded {
  const config = loadConfig(resolveConfigPath(cliPath, env), env);
  const { rules, issues } = compileRules(config.rules, { exchangeRates: config.exchange_rates });
  if (issues.length) {
    const configIssues: ConfigIssue[] = issues.map((i) => {
      const index = config.rules.findIndex((r) => r.name === i.rule);
      const pos = config.locate?.(['rules', index, i.key]) ?? config.locate?.(['rules', index]) ?? null;
      return { file: config.file, line: pos?.line ?? null, column: pos?.column ?? null, key: `rules[${index}].${i.key}`, message: i.message };
    });
    throw new ConfigError(configIssues);
  }
  return { config, rules };
}

/** Opens the store of an existing database read-write; null when the database was never created. */
export async function openExistingStore(config: Config): Promise<Store | null> {
  // A URL goes on to openStore, which says what it cannot do with it (never "no database at URL").
  if (config.database !== ':memory:' && !isDatabaseUrl(config.database) && !fs.existsSync(config.database)) return null;
  return openStore(config.database);
}

/** Every secret value in the config, so the logger can scrub them from any line. */
export function configSecrets(config: Config): string[] {
  const secrets: string[] = [];
  for (const ch of Object.values(config.channels)) {
    if ('token' in ch && ch.token) secrets.push(ch.token);
    if ('webhook_url' in ch) secrets.push(ch.webhook_url);
    if ('secret' in ch && ch.secret) secrets.push(ch.secret);
    // A generic webhook's URL may hold a path token, an ntfy topic URL names a topic anyone could read.
    if (ch.type === 'webhook' || ch.type === 'ntfy') secrets.push(ch.url, ...urlSecrets(ch.url));
  }
  for (const feed of config.feeds) {
    if (typeof feed.token === 'string') secrets.push(feed.token);
    if (typeof feed.url === 'string') secrets.push(...urlSecrets(feed.url));
  }
  if (config.smtp) secrets.push(config.smtp.url, ...urlSecrets(config.smtp.url));
  secrets.push(...databaseSecrets(config.database));
  return secrets;
}

/**
 * The logger for a command: `run` logs to stdout unless alerts print there (see alertsOnStdout);
 * the others log to stderr so their output stays clean.
 */
export function commandLogger(config: Config | null, stream: 'stdout' | 'stderr'): Logger {
  return createLogger({
    level: process.env.JOBALERT_LOG_LEVEL ?? process.env.LOG_LEVEL ?? config?.log_level ?? 'info',
    // PGPASSWORD is the PostgreSQL password whenever the URL has none.
    secrets: config ? [...configSecrets(config), ...(isPostgresUrl(config.database) && process.env.PGPASSWORD ? [process.env.PGPASSWORD] : [])] : [],
    destination: stream === 'stdout' ? process.stdout : process.stderr,
  });
}

/**
 * True when `run` prints alerts on stdout: a rule notifies a console channel, or a dry run (which
 * prints every alert). Its logs then go to stderr, so `run --once > alerts.txt` keeps only alerts.
 */
export function alertsOnStdout(config: Config, dryRun: boolean): boolean {
  if (dryRun) return true;
  return config.rules.some((rule) => (rule.notify ?? []).some((name) => config.channels[name]?.type === 'console'));
}
