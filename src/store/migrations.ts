/**
 * Schema migrations: an append-only list of steps. `PRAGMA user_version` holds how many steps a
 * database has applied, so step N runs exactly once per file. Never edit or reorder a shipped
 * step; add a new one (a released database already ran the old text).
 *
 * A step is SQL text, or a function for what SQL cannot compute (the dedupe keys are JavaScript
 * functions of a row): it runs in the same transaction as its version bump.
 *
 * Times are INTEGER milliseconds since the epoch: they sort and compare as numbers (due alerts,
 * export order) and carry no time-zone ambiguity, unlike ISO text written by different code.
 * JSON columns hold arrays of strings and are read back whole; the one exception is outbox.rules, which
 * the Slack flood guard counts per rule with json_each over the due rows of one channel.
 */
import type Database from 'better-sqlite3';
import { JobAlertError } from '../core/errors.js';
import { bandKeys, shingles } from '../dedupe/fingerprint.js';
import { dedupeKeys } from '../dedupe/job-key.js';

/** One migration step: SQL text, or a function of the connection (run inside the step's transaction). */
export type Migration = string | ((db: Database.Database) => void);

export const MIGRATIONS: readonly Migration[] = [
  // 1: jobs, their postings (sightings), feed state, the outbox.
  `
  CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    company         TEXT,
    location        TEXT,
    description     TEXT    NOT NULL,
    published       INTEGER,
    salary_min      REAL,
    salary_max      REAL,
    salary_currency TEXT,
    salary_period   TEXT CHECK (salary_period IN ('hour', 'day', 'week', 'month', 'year')),
    annual_min      REAL,
    annual_max      REAL,
    arrangement     TEXT    NOT NULL CHECK (arrangement IN ('remote', 'hybrid', 'onsite', 'unknown')),
    remote_regions  TEXT    NOT NULL DEFAULT '[]',
    -- no CHECK: the level vocabulary may grow, and a CHECK change means rebuilding the table
    seniority       TEXT,
    role            TEXT,
    tags            TEXT    NOT NULL DEFAULT '[]',
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    content_hash    TEXT    NOT NULL
  ) STRICT;
  CREATE INDEX jobs_first_seen ON jobs (first_seen, id);

  -- One row per (feed, source id): every sighting of a job, so export can list all its links.
  CREATE TABLE postings (
    id            INTEGER PRIMARY KEY,
    job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    feed          TEXT    NOT NULL,
    source_id     TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    canonical_url TEXT    NOT NULL,
    -- what this sighting said last time, so an edit is noticed per sighting and two boards
    -- that disagree do not flip the job back and forth on every poll
    content_hash  TEXT    NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    UNIQUE (feed, source_id)
  ) STRICT;
  CREATE INDEX postings_canonical_url ON postings (canonical_url);
  CREATE INDEX postings_url ON postings (url);
  CREATE INDEX postings_job ON postings (job_id, id);

  CREATE TABLE feeds (
    name               TEXT    PRIMARY KEY,
    etag               TEXT,
    last_modified      TEXT,
    last_success_at    INTEGER,
    last_attempt_at    INTEGER,
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    next_check_at      INTEGER
  ) STRICT;

  -- An alert is (rule, job, channel); the UNIQUE key is what makes "never alerted twice" hold
  -- across restarts and re-polls.
  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    rule            TEXT    NOT NULL,
    job_id          INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    channel         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    reasons         TEXT    NOT NULL DEFAULT '[]',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    UNIQUE (rule, job_id, channel)
  ) STRICT;
  CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
  CREATE INDEX outbox_job ON outbox (job_id);
  `,

  // 2: fuzzy dedupe keys (src/dedupe/job-key.ts) on jobs, so "same company and title, seen within
  // 30 days" is one indexed equality lookup; NULL where fuzzy dedupe does not apply (no company).
  // Existing rows are backfilled in JavaScript, in this step's transaction.
  (db) => {
    db.exec(`
      ALTER TABLE jobs ADD COLUMN company_key TEXT;
      ALTER TABLE jobs ADD COLUMN title_key TEXT;
      -- Not last_seen: it changes on every poll, and few jobs share a key (the window is checked on them).
      CREATE INDEX jobs_dedupe_key ON jobs (company_key, title_key);
    `);
    backfillJobKeys(db, { onlyMissing: true });
  },

  // 3: content fingerprints (src/dedupe/fingerprint.ts): the band keys of each job's title key and
  // description MinHash, so a cross-post without a company finds its job by an indexed probe
  // (the primary key) per band. One row per (band key, job); existing jobs are backfilled.
  (db) => {
    db.exec(`
      CREATE TABLE job_fingerprints (
        band_key INTEGER NOT NULL,
        job_id   INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        PRIMARY KEY (band_key, job_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX job_fingerprints_job ON job_fingerprints (job_id);
    `);
    backfillFingerprints(db);
  },

  // 4: dedupe keys recomputed for every job: the one place model (src/places) and the noise words
  // of location lines changed which title words are places, so a title key stored before could no
  // longer equal its re-post's; the fingerprints carry the title key, so they follow.
  (db) => {
    backfillJobKeys(db, { onlyMissing: false });
    backfillFingerprints(db);
  },

  // 5: outbox claims. A dispatcher claims the rows it is about to send (who, and until when) in
  // one IMMEDIATE transaction before sending, so two processes on one file never send the same
  // alert, a delivery that could not be recorded is never sent, and a dead process's claims
  // lapse after their lease. NULL = not claimed.
  `
  ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
  ALTER TABLE outbox ADD COLUMN claim_until INTEGER;
  `,

  // 6: feed state knows what it is the state of, who is polling it, and what health alert it sent:
  // - url, config_hash: the feed's address (credentials stripped) and a hash of its config, so a
  //   fixed URL or token starts from a clean state instead of inheriting the old one's backoff;
  // - hold_until: a Retry-After the server asked for (honoured even across restarts), apart from
  //   jobalert's own backoff in next_check_at (which only spaces the ticks of a running daemon);
  // - lease_until, leased_by: one process polls a feed at a time (cron `run --once` + daemon);
  // - failing_since, alerted_at: when the error streak began, and when a "feed failing" notice
  //   went out (so it is sent once per streak, even across restarts, and a recovery follows).
  // Only this table is touched and only missing columns are added, so the step commutes with
  // the other steps of the same release whatever number it ends up with.
  (db) => {
    addMissingColumns(db, 'feeds', {
      url: 'TEXT',
      config_hash: 'TEXT',
      hold_until: 'INTEGER',
      lease_until: 'INTEGER',
      leased_by: 'TEXT',
      failing_since: 'INTEGER',
      alerted_at: 'INTEGER',
    });
  },

  // 7: skipping unchanged work (issue 9) and the first poll's backlog:
  // - postings.raw_hash: a hash of what the source said of this sighting BEFORE it was converted
  //   and normalized (src/pipeline/item-hash.ts); an item whose hash is stored for its feed is
  //   recorded as seen without being converted, normalized or matched again. NULL: unknown (rows
  //   from before, or a posting whose normalizing depended on the clock), so the item takes the full path;
  // - feeds.body_hash: the hash of every response body of the last stored poll: a 200 that repeats
  //   it byte for byte is a 304 in all but name. Reset with the validators on a config change;
  // - feeds.backlog_*: what the feed's first stored poll took in (postings, new jobs alerted, new
  //   jobs older than max_age), for the log and `check`.
  // Only missing columns are added, so the step commutes with the other steps of the same release.
  (db) => {
    addMissingColumns(db, 'postings', { raw_hash: 'TEXT' });
    addMissingColumns(db, 'feeds', {
      body_hash: 'TEXT',
      backlog_at: 'INTEGER',
      backlog_postings: 'INTEGER',
      backlog_new: 'INTEGER',
      backlog_alerted: 'INTEGER',
      backlog_old: 'INTEGER',
    });
    // A feed already polled has had its first poll: only a feed never stored (or reset by a config
    // change) reports a backlog.
    db.exec('UPDATE feeds SET backlog_at = last_success_at WHERE backlog_at IS NULL AND last_success_at IS NOT NULL');
  },

  // 8: one outbox row per (job, channel) instead of per (rule, job, channel): the rows list the
  // rules that matched (`rules`, a JSON array of names in config order) and each rule's reasons
  // (`reasons`, a JSON array, one array of strings per rule). A job matching 70 rules was 70 rows
  // per channel (and 70 log lines); it is one message per channel, so it is one row.
  // Existing rows of one (job, channel) merge as mergeOutboxRows says (README "Delivery": already
  // sent wins, then pending, then failed). Only the outbox is touched, and a table already
  // converted is left alone, so the step commutes with the other steps of the same release.
  (db) => {
    const columns = (db.pragma('table_info(outbox)') as Array<{ name: string }>).map((c) => c.name);
    if (!columns.includes('rule')) return;
    migrateOutboxToJobChannel(db);
  },

  // 9: digests (issue 10): `digest` names the rule whose digest an outbox row waits for (its
  // next_attempt_at is then that digest's send time, not a retry), NULL for an alert sent as it
  // comes. The rows of one channel due together go as ONE digest message. Only a missing column
  // is added, so the step commutes with the other steps of the same release.
  (db) => {
    addMissingColumns(db, 'outbox', { digest: 'TEXT' });
  },
];

/** An outbox row as steps 1 to 7 left it: one per (rule, job, channel). */
export interface OldOutboxRow {
  id: number;
  rule: string;
  job_id: number;
  channel: string;
  status: 'pending' | 'sent' | 'failed';
  reasons: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  claimed_by: string | null;
  claim_until: number | null;
}

/** The one row (job, channel) rows merge into, as step 8 writes it. */
export interface MergedOutboxRow {
  id: number;
  job_id: number;
  channel: string;
  rules: string;
  reasons: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  claimed_by: string | null;
  claim_until: number | null;
}

/**
 * Merges the old rows of one (job, channel) (at least one) into one row. What the person has
 * already received decides:
 * - any rule's alert already SENT: the job reached the channel, so the row is sent (listing the
 *   rules the message named); another rule's alert still pending is not sent again, as a job is
 *   alerted once per channel;
 * - else any PENDING: the row is pending and lists every rule (a failed rule's too: the message
 *   still to go names every rule the job matched), keeping the pending rows' attempts, earliest
 *   due time, give-up clock and claim;
 * - else all FAILED: one failed row listing every rule, with the latest error (retry-failed
 *   requeues it as one message).
 */
export function mergeOutboxRows(rows: readonly OldOutboxRow[]): MergedOutboxRow {
  const byId = [...rows].sort((a, b) => a.id - b.id);
  const sent = byId.filter((r) => r.status === 'sent');
  const pending = byId.filter((r) => r.status === 'pending');
  const status = sent.length ? 'sent' : pending.length ? 'pending' : 'failed';
  // Whose rules the row lists, and whose state (attempts, times, claim) it keeps.
  const listed = status === 'sent' ? sent : byId;
  const state = status === 'sent' ? sent : status === 'pending' ? pending : byId;
  const rules: string[] = [];
  const reasons: string[][] = [];
  for (const r of listed) {
    if (rules.includes(r.rule)) continue;
    rules.push(r.rule);
    reasons.push(JSON.parse(r.reasons) as string[]);
  }
  const claimed = state.filter((r) => r.claim_until !== null).sort((a, b) => b.claim_until! - a.claim_until!)[0];
  const lastError = [...state].reverse().find((r) => r.last_error !== null)?.last_error ?? null;
  const sentAt = sent.map((r) => r.sent_at).filter((t): t is number => t !== null);
  return {
    id: state[0]!.id,
    job_id: byId[0]!.job_id,
    channel: byId[0]!.channel,
    rules: JSON.stringify(rules),
    reasons: JSON.stringify(reasons),
    status,
    attempts: Math.max(...state.map((r) => r.attempts)),
    next_attempt_at: Math.min(...state.map((r) => r.next_attempt_at)),
    last_error: status === 'sent' ? null : lastError,
    created_at: Math.min(...state.map((r) => r.created_at)),
    sent_at: sentAt.length ? Math.min(...sentAt) : null,
    claimed_by: status === 'pending' ? (claimed?.claimed_by ?? null) : null,
    claim_until: status === 'pending' ? (claimed?.claim_until ?? null) : null,
  };
}

/** Rebuilds the outbox keyed by (job, channel); rows alone in their (job, channel) are copied in SQL, the others merged by mergeOutboxRows. */
function migrateOutboxToJobChannel(db: Database.Database): void {
  db.exec(`
    CREATE TABLE outbox_v8 (
      id              INTEGER PRIMARY KEY,
      job_id          INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      channel         TEXT    NOT NULL,
      rules           TEXT    NOT NULL,
      reasons         TEXT    NOT NULL,
      status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      last_error      TEXT,
      created_at      INTEGER NOT NULL,
      sent_at         INTEGER,
      claimed_by      TEXT,
      claim_until     INTEGER,
      UNIQUE (job_id, channel)
    ) STRICT;

    INSERT INTO outbox_v8 (id, job_id, channel, rules, reasons, status, attempts, next_attempt_at, last_error, created_at, sent_at, claimed_by, claim_until)
    SELECT o.id, o.job_id, o.channel, json_array(o.rule), json_array(json(o.reasons)), o.status, o.attempts, o.next_attempt_at,
           o.last_error, o.created_at, o.sent_at, o.claimed_by, o.claim_until
    FROM outbox o
    WHERE NOT EXISTS (SELECT 1 FROM outbox d WHERE d.job_id = o.job_id AND d.channel = o.channel AND d.id <> o.id);
  `);
  const groups = db
    .prepare<[], { job_id: number; channel: string }>('SELECT job_id, channel FROM outbox GROUP BY job_id, channel HAVING count(*) > 1')
    .all();
  const rowsOf = db.prepare<[number, string], OldOutboxRow>('SELECT * FROM outbox WHERE job_id = ? AND channel = ? ORDER BY id');
  const insert = db.prepare<MergedOutboxRow>(`
    INSERT INTO outbox_v8 (id, job_id, channel, rules, reasons, status, attempts, next_attempt_at, last_error, created_at, sent_at, claimed_by, claim_until)
    VALUES (@id, @job_id, @channel, @rules, @reasons, @status, @attempts, @next_attempt_at, @last_error, @created_at, @sent_at, @claimed_by, @claim_until)`);
  for (const g of groups) insert.run(mergeOutboxRows(rowsOf.all(g.job_id, g.channel)));
  db.exec(`
    DROP TABLE outbox;
    ALTER TABLE outbox_v8 RENAME TO outbox;
    -- Only unsent rows are read by status (due times, health); history never is.
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
    -- A channel's pending rows, oldest first: the dispatcher pages through them.
    CREATE INDEX outbox_channel_pending ON outbox (channel, created_at, id) WHERE status = 'pending';
  `);
}

/** Adds the columns a table lacks (ALTER TABLE ADD COLUMN), leaving existing ones alone. */
function addMissingColumns(db: Database.Database, table: string, columns: Record<string, string>): void {
  const have = new Set((db.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name));
  for (const [name, type] of Object.entries(columns)) if (!have.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
}

/**
 * Recomputes every job's fingerprint band keys from its stored title key and description. The
 * band keys include the title key: a future migration that recomputes title keys must call this
 * after backfillJobKeys.
 */
export function backfillFingerprints(db: Database.Database): number {
  const rows = db.prepare<[], { id: number; title_key: string | null; description: string }>('SELECT id, title_key, description FROM jobs').all();
  db.exec('DELETE FROM job_fingerprints');
  const insert = db.prepare<[number, number]>('INSERT OR IGNORE INTO job_fingerprints (band_key, job_id) VALUES (?, ?)');
  for (const row of rows) {
    for (const band of bandKeys(row.title_key, shingles(row.description))) insert.run(band, row.id);
  }
  return rows.length;
}

/**
 * Computes company_key and title_key of stored jobs from their title, company and location.
 * A future change to what the keys compute must ship as a new migration step calling this with
 * onlyMissing: false, or old jobs would stop matching their re-posts.
 */
export function backfillJobKeys(db: Database.Database, opts: { onlyMissing: boolean }): number {
  const rows = db
    .prepare<[], { id: number; title: string; company: string | null; location: string | null }>(
      `SELECT id, title, company, location FROM jobs${opts.onlyMissing ? ' WHERE company_key IS NULL AND title_key IS NULL' : ''}`,
    )
    .all();
  const update = db.prepare<[string | null, string | null, number]>('UPDATE jobs SET company_key = ?, title_key = ? WHERE id = ?');
  for (const row of rows) {
    const keys = dedupeKeys(row);
    update.run(keys.companyKey, keys.titleKey, row.id);
  }
  return rows.length;
}

/** Applies every migration step the database has not run yet, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const known = MIGRATIONS.length;
  const current = userVersion(db);
  if (current > known) {
    throw new JobAlertError(
      `database ${db.name} is at schema version ${current}, newer than this jobalert understands (${known}); ` +
        'it was written by a newer jobalert: upgrade jobalert, or point it at another database file',
    );
  }
  for (let step = current; step < known; step++) {
    const migration = MIGRATIONS[step]!;
    // IMMEDIATE takes the write lock before re-reading the version, so two processes starting
    // on the same file cannot both run a step.
    db.transaction(() => {
      if (userVersion(db) > step) return;
      if (typeof migration === 'string') db.exec(migration);
      else migration(db);
      db.pragma(`user_version = ${step + 1}`);
    }).immediate();
  }
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
