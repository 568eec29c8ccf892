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
 * JSON columns hold arrays of strings and are only read back whole, never queried inside.
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
];

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
