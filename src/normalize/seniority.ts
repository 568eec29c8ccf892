/**
 * Seniority from the job TITLE only: bodies mention every level ("you will mentor junior
 * engineers", "report to the Director"), titles state the one being hired.
 *
 * A title with no level marker is unknown (null); we never guess "mid".
 *
 * Choices (documented for the README):
 * - Rules are tried in order and the first that matches wins: intern, director, manager,
 *   principal, staff, lead, senior, mid, junior. So "Product Manager Intern" is intern,
 *   "Senior Manager" is manager, "Senior Staff" is staff, "Senior Tech Lead" is lead and
 *   "Mid/Senior" is senior (the higher level stated).
 * - director: director, VP / vice president, "Head of", chief / C-level titles.
 * - manager: "manager" that manages people. "Product Manager", "Program Manager", "Project
 *   Manager", "Account Manager" and similar are individual-contributor job names, not a level:
 *   "Senior Product Manager" is senior, "Product Manager" is unknown.
 * - Numbered levels after a job noun: I -> junior, II -> mid, III -> senior, IV -> staff,
 *   V -> principal ("Software Engineer III"); arabic 1-5 likewise ("Engineer 2").
 *   Company ladders like L4/L5 or E5 mean different things at each company and are not read.
 * - "Associate Engineer", "Graduate", "New Grad", "Entry level", "Apprentice" -> junior;
 *   "Associate Director" is director (director is tried first).
 * - "Fellow" and "Distinguished" -> principal.
 * - "Tech lead" / "team lead" written as a second role after another title ("Senior ML Engineer &
 *   Tech Lead", "Senior Machine Learning Engineer / Tech Lead", "Staff Engineer (Tech Lead)") is a
 *   duty of the job, not its level: the title is at the level of the rest of it, its leading
 *   seniority word (senior, staff...). Only a title whose rest states no level is lead
 *   ("Backend Engineer / Tech Lead"); "Lead ML Engineer", "Tech Lead" and "Senior Tech Lead" stay lead.
 */
import type { Seniority } from '../core/types.js';

// Job-name managers: these titles carry "manager" without managing people.
const IC_MANAGER_RE =
  /\b(?:product|program|programme|project|account|accounts|release|community|case|partner|territory|brand|content|social\s+media|customer\s+success|success|office|key\s+account)\s+manager\b/gi;

const JOB_NOUNS =
  'engineer|developer|scientist|analyst|designer|architect|programmer|administrator|specialist|consultant|technician|researcher|swe|sde|mle|accountant|representative|recruiter|associate|manager';
const LEVEL_NUMERAL_RE = new RegExp(`\\b(?:${JOB_NOUNS})\\s*,?\\s*(I{1,3}|IV|V|[1-5])(?![\\w.+'’-])`, 'i');
/** Roman and arabic level numbers: I -> junior, II -> mid, III -> senior, IV -> staff, V -> principal. */
const NUMERAL_LEVELS: Readonly<Record<string, Seniority>> = {
  I: 'junior', II: 'mid', III: 'senior', IV: 'staff', V: 'principal',
  '1': 'junior', '2': 'mid', '3': 'senior', '4': 'staff', '5': 'principal',
};

const RULES: ReadonlyArray<readonly [Seniority, (title: string) => boolean]> = [
  ['intern', (t) => /\b(?:intern|interns|internship|co-?op|working\s+student|werkstudent)\b/i.test(t)],
  ['director', (t) => /\b(?:director|vp|svp|evp|avp|vice[- ]president|head\s+of|chief|cto|cio|ciso|cdo|cpo|cso)\b/i.test(t)],
  ['manager', (t) => /\b(?:manager|mgr)\b/i.test(t.replace(IC_MANAGER_RE, ' '))],
  ['principal', (t) => /\b(?:principal|distinguished|fellow)\b/i.test(t) || numeralLevel(t) === 'principal'],
  ['staff', (t) => /\bstaff\b/i.test(t) || numeralLevel(t) === 'staff'],
  // "Lead Generation Specialist" generates leads; it does not lead.
  ['lead', (t) => /\b(?:lead|leader)\b(?!\s+generation)/i.test(t)],
  ['senior', (t) => /\b(?:senior|sr|snr)\b\.?/i.test(t) || numeralLevel(t) === 'senior'],
  // "Mid-Market Account Executive" sells to mid-sized companies.
  ['mid', (t) => /\b(?:mid(?![- ]?market)|mid[- ]?level|midlevel|intermediate)\b/i.test(t) || numeralLevel(t) === 'mid'],
  [
    'junior',
    (t) =>
      /\b(?:junior|jr|entry[- ]level|associate|graduate|grad|new[- ]grad|apprentice|trainee)\b/i.test(t) ||
      numeralLevel(t) === 'junior',
  ],
];

// A tech/team lead role joined to a title before it: "… & Tech Lead", "… / Team Lead", "…, Tech Lead", "… (Tech Lead)".
const SECOND_ROLE_LEAD_RE =
  /\s*(?:&|\+|\/|,|\band\b|\s[-–—|]|\()\s*(?:tech(?:nical)?|team|engineering|squad)\s+lead(?:er)?\b\)?/gi;

/** The seniority a job title states, or null when it states none. */
export function detectSeniority(title: string): Seniority | null {
  const level = levelOf(title);
  if (level !== 'lead') return level;
  // Read the title without a tech/team lead second role; its own level, when it states one, wins.
  const withoutLeadRole = title.replace(SECOND_ROLE_LEAD_RE, (whole, offset: number) =>
    /[\p{L}\p{N}]/u.test(title.slice(0, offset)) ? ' ' : whole,
  );
  if (withoutLeadRole === title) return level;
  return levelOf(withoutLeadRole) ?? level;
}

function levelOf(title: string): Seniority | null {
  for (const [level, matches] of RULES) {
    if (matches(title)) return level;
  }
  return null;
}

function numeralLevel(title: string): Seniority | null {
  const m = LEVEL_NUMERAL_RE.exec(title);
  if (!m) return null;
  const numeral = m[1]!;
  // Roman numerals are written in capitals; "Engineer i" is not a level.
  if (/[a-z]/.test(numeral)) return null;
  return NUMERAL_LEVELS[numeral] ?? null;
}
