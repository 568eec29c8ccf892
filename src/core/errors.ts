/** Base class for errors jobalert raises on purpose; anything else is a bug. */
export class JobAlertError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobAlertError';
  }
}

/** One problem found in a config file, with where it is. */
export interface ConfigIssue {
  file: string;
  line: number | null;
  column: number | null;
  /** Dotted key path: "feeds[2].schedule". */
  key: string;
  message: string;
}

/** The config is invalid; carries every issue found, not just the first. */
export class ConfigError extends JobAlertError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map(formatConfigIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Formats an issue as "file:line:col: key: message". */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === null ? issue.file : `${issue.file}:${issue.line}${issue.column === null ? '' : `:${issue.column}`}`;
  return issue.key ? `${where}: ${issue.key}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** A fetch failed; `retryAfterMs` is set when the server said when to come back. */
export class FetchError extends JobAlertError {
  readonly url: string;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  constructor(message: string, opts: { url: string; status?: number | null; retryAfterMs?: number | null; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'FetchError';
    this.url = opts.url;
    this.status = opts.status ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

/** A feed body could not be understood. */
export class ParseError extends JobAlertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParseError';
  }
}

/** Sending an alert failed; `retryable` says whether a later try can succeed. */
export class NotifyError extends JobAlertError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  constructor(message: string, opts: { retryable: boolean; retryAfterMs?: number | null; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'NotifyError';
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

/** The database file cannot be used (damaged, read-only, locked, not a database, too new); the message names the file and what to do. */
export class DatabaseError extends JobAlertError {
  readonly file: string;
  /** What is wrong: 'damaged' and 'not-a-database' mean nothing may be written to the file. */
  readonly kind: 'damaged' | 'not-a-database' | 'read-only' | 'locked' | 'cannot-open' | 'full' | 'io' | 'other';
  constructor(file: string, kind: DatabaseError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseError';
    this.file = file;
    this.kind = kind;
  }
}
