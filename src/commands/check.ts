/** `jobalert check`: validate the config, show what it compiles to and how each feed is doing. */
import { redactConfig } from '../config/load.js';
import { redactUrl, redactUrlsIn } from '../core/redact.js';
import { describeDatabase, isDatabaseUrl, isPostgresUrl } from '../core/database-url.js';
import type { Config } from '../config/schema.js';
import fs from 'node:fs';
import { DatabaseError } from '../core/errors.js';
import { buildHealthReport, describeBacklog, type ChannelHealth, type FeedHealth, type HealthReport } from '../ops/health-report.js';
import { feedIdentity } from '../pipeline/feed-identity.js';
import { nextTickAt } from '../pipeline/next-poll.js';
import { channelQuietHours, digestSchedules, nextDigestAt, quietUntil } from '../pipeline/hold-times.js';
import { databaseError } from '../store/db.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { CompiledRule } from '../match/compile-rule.js';
import { titleWordWarnings } from '../match/title-typos.js';
import { slugCompanyNote } from '../sources/feed-company.js';
import { feedSchedule, pollLimitNote, resolveFeed } from '../sources/registry.js';
import { EXIT_FAILING, EXIT_OK, EXIT_RUNTIME, loadAndCompile } from './common.js';

/**
 * Prints the validated config, compiled rules, and the health of every feed and channel from the
 * database (verified with integrity_check). Config errors throw (exit 1); a database that cannot
 * be used is exit 2; a valid config with failing feeds or undeliverable channels is exit 3.
 */
export async function checkCommand(
  opts: { config?: string },
  out: (s: string) => void = (s) => process.stdout.write(s),
  now: () => Date = () => new Date(),
): Promise<number> {
  const { config, rules } = loadAndCompile(opts.config);
  const redacted = redactConfig(config) as { channels: Record<string, unknown> };
  out(`config ${config.file}: OK\n`);
  const read = await readHealth(config, now());
  out(`database: ${describeDatabase(config.database)}${read.error ? `: ERROR: ${read.error.message}` : read.report ? (isPostgresUrl(config.database) ? ', connected, schema up to date' : ', integrity check ok') : ' (not created yet)'}\n`);
  const report = read.report ?? buildHealthReport({ config, states: [], channels: [], now: now(), nextTick: nextTickAt });
  const feedHealth = new Map(report.feeds.map((f) => [f.name, f]));
  out(`\nfeeds (${config.feeds.length}):\n`);
  for (const f of config.feeds) {
    const { adapter, feed: resolved } = resolveFeed(f);
    const planned = feedSchedule(f, config.schedule);
    const { schedule } = planned;
    const kind = resolved.type === f.type ? f.type : `${f.type} -> ${resolved.type}`;
    out(`  - ${f.name} [${kind}${f.enabled ? '' : ', disabled'}] ${redactUrl(resolved.url ?? adapter.endpoint(resolved))}\n    schedule: ${schedule} (${config.timezone}); ${describeFeed(feedHealth.get(f.name)!, report.at)}\n`);
    const { backlog } = feedHealth.get(f.name)!;
    if (backlog) out(`    first poll ${when(backlog.at, report.at)}: ${describeBacklog(backlog, config.max_age)}\n`);
    const companyNote = slugCompanyNote(adapter, resolved);
    if (companyNote) out(`    note: ${companyNote}\n`);
    const limitNote = pollLimitNote(planned);
    // The feed's own schedule overruled is worth a warning; the global one slowed for one source is expected.
    if (limitNote) out(`    ${f.schedule ? 'warning' : 'note'}: ${limitNote}\n`);
    for (const w of adapter.warnings?.(resolved, schedule) ?? []) out(`    warning: ${w}\n`);
  }
  const channelHealth = new Map(report.channels.map((c) => [c.channel, c]));
  out(`\nchannels (${Object.keys(config.channels).length}):\n`);
  const quiet = channelQuietHours(config);
  for (const [name, ch] of Object.entries(redacted.channels)) {
    out(`  - ${name}: ${JSON.stringify(ch)}\n`);
    const q = quiet.get(name);
    if (q) {
      const until = quietUntil(q.hours, q.timezone, report.at);
      out(`    quiet hours: ${q.hours.text} (${q.timezone}): alerts found then are held and sent when they end${until ? `; quiet now, until ${when(until, report.at)}` : ''}\n`);
    }
    const c = channelHealth.get(name);
    if (c) out(`    delivery: ${describeChannel(c)}\n`);
  }
  for (const c of report.channels.filter((c) => !c.configured && c.status !== 'ok')) out(`  - ${c.channel} (no longer configured): ${describeChannel(c)}\n`);
  if (config.health.notify?.length) out(`\nhealth messages: to ${config.health.notify.join(', ')} after ${config.health.after_failures} failed polls in a row, and on recovery\n`);
  out(`\nrules (${rules.length}), compiled:\n`);
  const digests = digestSchedules(config);
  for (const r of rules) {
    out(describeRule(r));
    const d = digests.get(r.name);
    if (!d) continue;
    const next = nextDigestAt(d, report.at);
    const at = next ? `${localTime(next, d.timezone)} = ${when(next, report.at)}` : 'never (the schedule does not fire again; its jobs are sent as they come)';
    out(`      digest     ${d.cron} (${d.timezone}); next ${at}\n`);
  }
  if (read.error) return EXIT_RUNTIME;
  const failing = report.feeds.filter((f) => f.status === 'failing');
  const undeliverable = report.channels.filter((c) => c.status !== 'ok');
  if (failing.length || undeliverable.length) {
    const parts: string[] = [];
    if (failing.length) parts.push(`${failing.length} of ${report.enabledFeeds} feeds failing (${failing.map((f) => f.name).join(', ')})`);
    if (undeliverable.length) parts.push(`${undeliverable.length} ${undeliverable.length === 1 ? 'channel' : 'channels'} not delivering (${undeliverable.map((c) => c.channel).join(', ')})`);
    out(`\nFAILING: ${parts.join('; ')}\n`);
    return EXIT_FAILING;
  }
  out(`\nhealth: OK (${report.enabledFeeds} feeds, ${report.channels.length} channels)\n`);
  return EXIT_OK;
}

/** The stored health, after integrity_check; no report when the database does not exist yet. */
async function readHealth(config: Config, at: Date): Promise<{ report: HealthReport | null; error: DatabaseError | null }> {
  let store: Store;
  try {
    if (config.database !== ':memory:' && !isDatabaseUrl(config.database) && !fs.existsSync(config.database)) return { report: null, error: null };
    store = await openStore(config.database, { check: 'integrity' });
  } catch (err) {
    if (err instanceof DatabaseError) return { report: null, error: err };
    throw err;
  }
  try {
    const report = buildHealthReport({
      config,
      states: await store.listFeedStates(),
      channels: await store.channelStates(at),
      now: at,
      nextTick: nextTickAt,
      configHash: (f) => feedIdentity(f).configHash,
    });
    return { report, error: null };
  } catch (err) {
    return { report: null, error: databaseError(config.database, err) };
  } finally {
    await store.close();
  }
}

/** One line: ok or FAILING with the streak, last error and since when, then when it is polled next. */
function describeFeed(f: FeedHealth, now: Date): string {
  if (f.status === 'disabled') return 'disabled';
  let state: string;
  if (f.status === 'never polled') state = 'never polled';
  else if (f.status === 'failing') {
    state = `FAILING: ${f.consecutiveErrors} ${f.consecutiveErrors === 1 ? 'error' : 'errors in a row'}, last: ${f.lastError === null ? '?' : redactUrlsIn(f.lastError)}; failing since ${when(f.failingSince, now)}; last success ${when(f.lastSuccessAt, now)}`;
  } else state = `ok, last success ${when(f.lastSuccessAt, now)}`;
  if (f.configChanged) state += '; its config changed since: the next start polls it afresh';
  if (!f.nextPollAt) return `${state}; no scheduled poll ahead`;
  const why = f.waitingFor === 'backoff' ? ', backing off; a restart or run --once polls it at once' : f.waitingFor === 'retry-after' ? ', as its server asked (Retry-After)' : '';
  return `${state}; next scheduled poll ${when(f.nextPollAt, now)}${why}`;
}

/** Pending, retrying and given-up alerts of a channel, with its newest error. */
function describeChannel(c: ChannelHealth): string {
  const detail = [c.retrying ? `${c.retrying} retrying` : '', c.held ? `${c.held} held for a digest or quiet hours` : ''].filter(Boolean).join(', ');
  const counts = `${c.pending} pending${detail ? ` (${detail})` : ''}, ${c.failed} failed`;
  if (c.status === 'ok') return `ok, ${counts}`;
  const fix = c.failed ? `; after fixing it, jobalert retry-failed --channel ${c.channel}` : '';
  return `FAILING: ${counts}; last error: ${c.lastError === null ? '?' : redactUrlsIn(c.lastError)}${fix}`;
}

/** "Fri 4 Dec 2026, 09:00 Europe/Berlin": a time as the zone's wall clock reads it. */
function localTime(date: Date, timezone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  return `${text} ${timezone}`;
}

/** An ISO time with how long ago or ahead it is, relative to now. */
function when(date: Date | null, now: Date): string {
  if (!date) return 'never';
  const ms = date.getTime() - now.getTime();
  const text = duration(Math.abs(ms));
  return `${date.toISOString()} (${text === 'now' ? 'now' : ms >= 0 ? `in ${text}` : `${text} ago`})`;
}

function duration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (ms < 30_000) return 'now';
  if (min < 60) return `${Math.max(1, min)} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.round(h / 24)} days`;
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
