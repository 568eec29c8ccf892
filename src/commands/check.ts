/** `jobalert check`: validate the config, show what it compiles to and how each feed is doing. */
import { redactConfig } from '../config/load.js';
import { redactUrl, redactUrlsIn } from '../core/redact.js';
import type { Config } from '../config/schema.js';
import type { FeedState } from '../store/store.js';
import type { CompiledRule } from '../match/compile-rule.js';
import { titleWordWarnings } from '../match/title-typos.js';
import { slugCompanyNote } from '../sources/feed-company.js';
import { feedSchedule, pollLimitNote, resolveFeed } from '../sources/registry.js';
import { EXIT_OK, loadAndCompile, openExistingStore } from './common.js';

/** Prints the validated config, compiled rules and stored feed health; config errors throw. */
export function checkCommand(opts: { config?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const { config, rules } = loadAndCompile(opts.config);
  const redacted = redactConfig(config) as { channels: Record<string, unknown> };
  out(`config ${config.file}: OK\n`);
  out(`database: ${config.database}\n`);
  out(`\nfeeds (${config.feeds.length}):\n`);
  const states = feedStates(config);
  for (const f of config.feeds) {
    const s = states.get(f.name);
    const health = !s
      ? 'never polled'
      : s.consecutiveErrors > 0
        ? `FAILING: ${s.consecutiveErrors} ${s.consecutiveErrors === 1 ? 'error' : 'errors in a row'}, last: ${s.lastError === null ? '?' : redactUrlsIn(s.lastError)}; next try ${s.nextCheckAt?.toISOString() ?? 'on schedule'}`
        : `ok, last success ${s.lastSuccessAt?.toISOString() ?? 'never'}`;
    const { adapter, feed: resolved } = resolveFeed(f);
    const planned = feedSchedule(f, config.schedule);
    const { schedule } = planned;
    const kind = resolved.type === f.type ? f.type : `${f.type} -> ${resolved.type}`;
    out(`  - ${f.name} [${kind}${f.enabled ? '' : ', disabled'}] ${redactUrl(resolved.url ?? adapter.endpoint(resolved))}\n    schedule: ${schedule} (${config.timezone}); ${health}\n`);
    const companyNote = slugCompanyNote(adapter, resolved);
    if (companyNote) out(`    note: ${companyNote}\n`);
    const limitNote = pollLimitNote(planned);
    // The feed's own schedule overruled is worth a warning; the global one slowed for one source is expected.
    if (limitNote) out(`    ${f.schedule ? 'warning' : 'note'}: ${limitNote}\n`);
    for (const w of adapter.warnings?.(resolved, schedule) ?? []) out(`    warning: ${w}\n`);
  }
  out(`\nchannels (${Object.keys(config.channels).length}):\n`);
  for (const [name, ch] of Object.entries(redacted.channels)) out(`  - ${name}: ${JSON.stringify(ch)}\n`);
  out(`\nrules (${rules.length}), compiled:\n`);
  for (const r of rules) out(describeRule(r));
  return EXIT_OK;
}

/** One block per rule: each condition as it will be applied, after abbreviations and "senior+" are expanded. */
function describeRule(r: CompiledRule): string {
  const lines = [`  - ${r.name} -> ${r.notify.join(', ')}${r.source.query ? `   (query: "${r.source.query}")` : ''}`];
  const add = (k: string, v: string) => lines.push(`      ${k.padEnd(11)}${v}`);
  if (r.titleAny) add('title', r.titleAny.map((phrase) => phrase.map((t) => (t.exact ? `"${t.text}"` : t.text)).join(' ')).join(' | '));
  if (r.seniority) add('seniority', r.seniority.join(', '));
  if (r.arrangements) add('remote', r.arrangements.join(', '));
  if (r.salaryMin) add('salary', `upper bound >= ${r.salaryMin.amount} ${r.salaryMin.currency} a year; postings without a salary ${r.includeUnknownSalary ? 'included' : 'excluded'}`);
  if (r.locations) add('location', r.locations.join(', '));
  if (r.exclude.length) add('exclude', r.exclude.join(', '));
  if (r.companiesExclude.length) add('companies', `not ${r.companiesExclude.join(', ')}`);
  if (lines.length === 1) add('matches', 'every posting');
  for (const w of titleWordWarnings(r)) lines.push(`      warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

function feedStates(config: Config): Map<string, FeedState> {
  const store = openExistingStore(config);
  if (!store) return new Map();
  try {
    return new Map(store.listFeedStates().map((s) => [s.name, s]));
  } finally {
    store.close();
  }
}
