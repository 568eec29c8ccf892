/** `jobalert export`: every stored job with its normalized fields, as JSON lines or CSV. */
import type { StoredJob } from '../core/types.js';
import { CommandError, EXIT_OK, EXIT_USAGE, loadAndCompile, openExistingStore } from './common.js';

const CSV_COLUMNS = ['id', 'url', 'urls', 'title', 'company', 'location', 'remote', 'remote_regions', 'seniority', 'role', 'salary_min', 'salary_max', 'salary_currency', 'salary_period', 'annual_min', 'annual_max', 'published', 'first_seen', 'feeds'] as const;

/** The export record of a job (DESIGN.md "CLI"). */
export function exportRecord(job: StoredJob): Record<string, unknown> {
  return {
    id: job.id,
    url: job.url,
    urls: job.urls,
    title: job.title,
    company: job.company,
    location: job.location,
    remote: job.arrangement,
    remote_regions: job.remoteRegions,
    seniority: job.seniority,
    role: job.role,
    salary: job.salary,
    annual_min: job.annualMin,
    annual_max: job.annualMax,
    published: job.published?.toISOString() ?? null,
    first_seen: job.firstSeen.toISOString(),
    feeds: job.feeds,
  };
}

/** Writes every stored job to `out`, streaming from the database. */
export async function exportCommand(opts: { config?: string; format?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const format = opts.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') throw new CommandError(`--format must be jsonl or csv, got "${format}"`, EXIT_USAGE);
  const { config } = loadAndCompile(opts.config);
  if (format === 'csv') out(`${CSV_COLUMNS.join(',')}\n`);
  const store = await openExistingStore(config);
  if (!store) return EXIT_OK; // nothing polled yet: an empty export
  try {
    for await (const job of store.exportJobs()) {
      const rec = exportRecord(job);
      if (format === 'jsonl') {
        out(`${JSON.stringify(rec)}\n`);
        continue;
      }
      const flat: Record<string, unknown> = {
        ...rec,
        urls: job.urls.join(' '),
        feeds: job.feeds.join(' '),
        remote_regions: job.remoteRegions.join(' '),
        salary_min: job.salary?.min ?? null,
        salary_max: job.salary?.max ?? null,
        salary_currency: job.salary?.currency ?? null,
        salary_period: job.salary?.period ?? null,
      };
      out(`${CSV_COLUMNS.map((c) => csvCell(flat[c])).join(',')}\n`);
    }
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

/** RFC 4180 quoting; cells starting with = + - @ are prefixed so spreadsheets do not run them. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
