/** `jobalert check`: validate the config, show what it compiles to and how each feed is doing. */
import fs from 'node:fs';
import { redactConfig } from '../config/load.js';
import { openDatabase } from '../store/db.js';
import { createStore } from '../store/store.js';
import { systemClock } from '../core/types.js';
import { EXIT_OK, loadAndCompile } from './common.js';

/** Prints the validated config, compiled rules and stored feed health; config errors throw. */
export function checkCommand(opts: { config?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const { config, rules } = loadAndCompile(opts.config);
  const redacted = redactConfig(config) as { channels: Record<string, unknown> };
  out(`config ${config.file}: OK\n`);
  out(`database: ${config.database}\n`);
  out(`\nfeeds (${config.feeds.length}):\n`);
  const states = feedStates(config.database);
  for (const f of config.feeds) {
    const s = states.get(f.name);
    const health = !s
      ? 'never polled'
      : s.consecutiveErrors > 0
        ? `FAILING: ${s.consecutiveErrors} errors in a row, last: ${s.lastError ?? '?'}; next try ${s.nextCheckAt?.toISOString() ?? 'on schedule'}`
        : `ok, last success ${s.lastSuccessAt?.toISOString() ?? 'never'}`;
    out(`  - ${f.name} [${f.type}${f.enabled ? '' : ', disabled'}] ${f.url}\n    schedule: ${f.schedule ?? config.schedule} (${config.timezone}); ${health}\n`);
  }
  out(`\nchannels (${Object.keys(config.channels).length}):\n`);
  for (const [name, ch] of Object.entries(redacted.channels)) out(`  - ${name}: ${JSON.stringify(ch)}\n`);
  out(`\nrules (${rules.length}), compiled:\n`);
  for (const r of rules) out(`${JSON.stringify(r, null, 2).replace(/^/gm, '  ')}\n`);
  return EXIT_OK;
}

function feedStates(database: string) {
  if (database === ':memory:' || !fs.existsSync(database)) return new Map();
  const store = createStore(openDatabase(database), systemClock);
  try {
    return new Map(store.listFeedStates().map((s) => [s.name, s]));
  } finally {
    store.close();
  }
}
