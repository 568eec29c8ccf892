/**
 * The shapes that flow through the pipeline:
 * fetch -> parse (RawPosting) -> normalize (Posting) -> store/dedupe -> match (Match) -> outbox (Alert) -> notify.
 */

/** How a job is worked. */
export type Arrangement = 'remote' | 'hybrid' | 'onsite' | 'unknown';

/** Seniority levels, in DESIGN.md's vocabulary. */
export const SENIORITY_LEVELS = [
  'intern',
  'junior',
  'mid',
  'senior',
  'staff',
  'principal',
  'lead',
  'manager',
  'director',
] as const;
export type Seniority = (typeof SENIORITY_LEVELS)[number];

/** The period a stated salary is paid per. */
export type SalaryPeriod = 'hour' | 'day' | 'week' | 'month' | 'year';

/** A salary as stated; min or max may be null ("up to $180k"), never both. */
export interface Salary {
  min: number | null;
  max: number | null;
  /** ISO 4217 code (USD, EUR, ...), null when the source does not say. */
  currency: string | null;
  period: SalaryPeriod;
}

/** What a source parser yields for one item: text already decoded and HTML already turned into text. */
export interface RawPosting {
  /** guid / ATS id; the link when the source has no id. Stable across polls. */
  sourceId: string;
  url: string;
  title: string;
  company: string | null;
  location: string | null;
  /** Clean plain text (HTML already converted). */
  description: string;
  published: Date | null;
  /** Structured pay from the source (ATS APIs); wins over text. */
  salary?: Salary | null;
  /** The source says the employer hides pay on this posting: no pay is read from the text either. */
  payHidden?: boolean;
  /** Structured work arrangement from the source; wins over text (but see arrangementFrom). */
  arrangement?: Arrangement;
  /**
   * 'board' when `arrangement` is what a board says of every job on it (a remote-only board), not a field
   * of this posting: what the posting itself states about the role (hybrid, on-site) wins over it.
   */
  arrangementFrom?: 'board';
  /** Feed categories / tags, when the source has them. */
  tags?: string[];
}

/** A posting after normalization: everything matching and alerts need. */
export interface Posting {
  feed: string;
  sourceId: string;
  url: string;
  /** url without tracking parameters or fragment, host lower-cased. */
  canonicalUrl: string;
  title: string;
  company: string | null;
  location: string | null;
  description: string;
  published: Date | null;
  salary: Salary | null;
  /** Annualized bounds in the salary's own currency. */
  annualMin: number | null;
  annualMax: number | null;
  arrangement: Arrangement;
  /** Regions a remote job is limited to ("US", "EMEA"); empty when unrestricted or unknown. */
  remoteRegions: string[];
  seniority: Seniority | null;
  /** Normalized role ("ml engineer", "software engineer", ...), null when not recognized. */
  role: string | null;
  tags: string[];
}

/** A stored job as read back from the database (a Posting plus its identity and sightings). */
export interface StoredJob extends Posting {
  id: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Every known link of the job (cross-posts, re-posts). */
  urls: string[];
  /** Every feed the job was seen in. */
  feeds: string[];
  /** The job's link on each feed it was seen in (first sighting per feed), when read from the store. */
  links?: { feed: string; url: string }[];
}

/** The outcome of matching one rule against one posting. */
export interface MatchResult {
  matched: boolean;
  /** One line per condition, passed or failed, for alerts and `explain`. */
  checks: MatchCheck[];
}

/** One condition of a rule, evaluated. */
export interface MatchCheck {
  /** Condition name: title, seniority, remote, salary, location, exclude, company, max_age. */
  name: string;
  passed: boolean;
  /** Short human text: "title: Senior Machine Learning Engineer ~ ML engineer". */
  detail: string;
}

/** An alert waiting in (or read from) the outbox: one job for one channel; `rule` names every rule that matched it ("a, b"). */
export interface Alert {
  id: number;
  rule: string;
  channel: string;
  job: StoredJob;
  /** The passed checks' details, shown in the alert. */
  reasons: string[];
  attempts: number;
  createdAt: Date;
}

/** A clock, passed in so time is testable. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };
