/** `jobalert explain --rule NAME URL`: each condition of a rule against a stored posting. */
import { systemClock } from '../core/types.js';
import { canonicalizeUrl } from '../normalize/canonical-url.js';
import { matchPosting } from '../match/match-posting.js';
import { DEFAULT_EXCHANGE_RATES } from '../match/currency.js';
import { formatSalary } from '../match/format-salary.js';
import { CommandError, EXIT_OK, EXIT_USAGE, loadAndCompile, openExistingStore } from './common.js';
import { describeDatabase } from '../core/database-url.js';

/** Prints what was read from the posting and each check passed (✓) or failed (✗). */
export async function explainCommand(url: string, opts: { rule: string; config?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { config, rules } = loadAndCompile(opts.config);
  const rule = rules.find((r) => r.name === opts.rule);
  if (!rule) throw new CommandError(`no rule named "${opts.rule}"; rules: ${rules.map((r) => r.name).join(', ') || '(none)'}`, EXIT_USAGE);
  const store = await openExistingStore(config);
  if (!store) throw new CommandError(`no database at ${describeDatabase(config.database)} yet: postings are stored once jobalert has polled its feeds`, EXIT_USAGE);
  try {
    const job = (await store.findJobByUrl(url)) ?? (await store.findJobByUrl(canonicalizeUrl(url)));
    if (!job) throw new CommandError(`no stored posting with URL ${url} (it is stored once a feed that lists it has been polled)`, EXIT_USAGE);
    const result = matchPosting(job, rule, {
      now: systemClock.now(),
      maxAgeMs: config.max_age,
      exchangeRates: { ...DEFAULT_EXCHANGE_RATES, ...config.exchange_rates },
    });
    out(`${job.title}${job.company ? ` at ${job.company}` : ''}\n${job.url}\n\n`);
    out('read from the posting:\n');
    const fields: Array<[string, string]> = [
      ['company', job.company ?? '(unknown)'],
      ['location', job.location ?? '(none)'],
      ['arrangement', job.arrangement + (job.remoteRegions.length ? ` (${job.remoteRegions.join(', ')})` : '')],
      ['seniority', job.seniority ?? '(unknown)'],
      ['role', job.role ?? '(unknown)'],
      ['salary', job.salary ? formatSalary(job.salary) : '(not stated)'],
      ['published', job.published?.toISOString() ?? '(unknown)'],
      ['feeds', job.feeds.join(', ')],
    ];
    for (const [k, v] of fields) out(`  ${k.padEnd(12)}${v}\n`);
    out(`\nrule ${rule.name}: ${result.matched ? 'MATCHES' : 'does not match'}\n`);
    for (const c of result.checks) {
      // Some details already start with their condition's name ("title: ..."); do not say it twice.
      const detail = c.detail.startsWith(`${c.name}:`) ? c.detail.slice(c.name.length + 1).trimStart() : c.detail;
      out(`  ${c.passed ? '✓' : '✗'} ${c.name}: ${detail}\n`);
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
