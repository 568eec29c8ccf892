/**
 * Seniority from the job TITLE only: bodies mention every level ("you will mentor junior
 * engineers", "report to the Director"), titles state the one being hired.
 *
 * A title with no level marker is unknown (null); we never guess "mid".
 *
 * Choices (documented for the README):
 * - Rules are tried in order and the first that matches wins: intern, director, manager,
 *   principal, staff, lead, senior, mid, junior. So "Product Manager Intern" is intern,
 *   "Senior Manager" is manager, "Senior Staff" is staff and "Senior Tech Lead" is lead.
 * - A title open at several levels has one seniority, the FIRST listed: "Frontend Engineer
 *   (Junior/Mid)" is junior, "Mid/Senior Developer" mid, "Senior or Staff Engineer" senior, and a
 *   list of titles ("Senior Software Engineer, Staff Software Engineer") takes its first title's
 *   level. Postings write the level they mainly hire first; a rule naming the other level does not
 *   match (Seniority is one value).
 * - A header of several fields ("Acme | Senior Backend Engineer | Remote (US)") is read from its
 *   first field that names a job: "Lead Bank | Backend Engineer" states no level.
 * - "Member of Technical Staff" (MTS) is a title, not the staff level: "Member of Technical Staff"
 *   is unknown, "Senior Member of Technical Staff" senior.
 * - director: director, VP / vice president, "Head of", chief / C-level titles.
 * - director also: C-level abbreviations (CEO, CFO, COO, CMO, CTO, ...; not "CEO Office") and RVP.
 * - manager: a people manager. "Manager" first or alone, after grade or scope words only ("Manager,
 *   Data Science", "Manager Revenue Accounting", "Senior Manager", "General Manager", "Regional
 *   Manager"), or after a team of people named by its discipline or its members ("Engineering
 *   Manager", "QA Manager", "Sales Manager", "Internal Audit Manager", "Software Development
 *   Manager", "Architect Manager"). Any other "<domain> Manager" manages a thing, not a team, and is
 *   a job name, not a level: Product, Project, Account, Care, Compliance, Portfolio, Growth,
 *   Operations, Business Development Manager. So "Senior Product Manager" and "Senior Operations
 *   Manager" are senior, "Junior Publisher Development Manager" junior, "Care Manager" unknown.
 * - Numbered levels after a job noun: I -> junior, II -> mid, III -> senior, IV -> staff,
 *   V -> principal ("Software Engineer III"); arabic 1-5 likewise ("Engineer 2").
 *   Company ladders like L4/L5 or E5 mean different things at each company and are not read.
 * - "Associate Engineer", "Graduate", "New Grad", "Entry level", "Early Careers", "Apprentice" -> junior;
 *   "Associate Director" is director (director is tried first).
 * - "Fellow" and "Distinguished" -> principal.
 * - French and German titles: "Stage" / "Stagiaire" / "Alternance" / "Alternant(e)", "Praktikum" /
 *   "Praktikant(in)", "Werkstudent(in)", "Duales Studium" -> intern; "Berufseinsteiger", "Einsteiger",
 *   "Absolvent", "Jeune diplômé", "Débutant" -> junior; "Confirmé(e)" -> mid; "Sénior" -> senior;
 *   "Teamleiter(in)", "Teamleitung", "Chef d'équipe" -> lead; "Leiter(in)", "Leitung",
 *   "Abteilungsleiter", "Directeur / Directrice" -> director. "Stage" is an internship only where it
 *   stands as a word of its own in the title ("Stage - Développeur", "Stage de fin d'études",
 *   "Développeur (Stage)"), not in "Early-Stage" or "Stage Manager".
 * - "Tech lead" / "team lead" written as a second role after another title ("Senior ML Engineer &
 *   Tech Lead", "Senior Machine Learning Engineer / Tech Lead", "Staff Engineer (Tech Lead)") is a
 *   duty of the job, not its level: the title is at the level of the rest of it, its leading
 *   seniority word (senior, staff...). Only a title whose rest states no level is lead
 *   ("Backend Engineer / Tech Lead"); "Lead ML Engineer", "Tech Lead" and "Senior Tech Lead" stay lead.
 */
import type { Seniority } from '../core/types.js';
import { firstListedJob, jobField, MAX_JOB_CHARS } from './role.js';

// The manager LEVEL is a people manager: the title's "Manager" stands first or alone ("Manager, Data
// Science", "Senior Manager", "General Manager"), or follows the name of a team of people, named by its
// discipline or its members ("Engineering Manager", "QA Manager", "Architect Manager"). Any other
// "<domain> Manager" manages a thing, not people, and is a job name: Product, Care, Compliance,
// Portfolio, Account, Growth, Operations Manager. A closed list of teams, not an open list of jobs.
const MANAGER_WORD_G = /\b(?:manager|managers|mgr)\b/gi;
const TEAM_WORDS: ReadonlySet<string> = new Set([
  'engineering', 'engineer', 'engineers', 'software', 'analytics', 'science', 'design', 'research', 'qa',
  'assurance', 'test', 'testing', 'support', 'service', 'sales', 'audit', 'accounting', 'it', 'team', 'people',
  'store', 'shift', 'branch', 'nursing', 'developer', 'developers', 'architect', 'architects', 'analyst', 'analysts',
  'scientist', 'scientists', 'designer', 'designers', 'researcher', 'researchers',
]);
// "Development" is a team only in software: "Business / Publisher Development Manager" develops a business.
const SOFTWARE_WORDS: ReadonlySet<string> = new Set(['software', 'application', 'applications', 'app', 'web', 'mobile', 'game', 'games', 'product', 'engineering']);
// Grade and scope words before "Manager" say how senior or how wide, not what is managed.
const GRADE_WORDS: ReadonlySet<string> = new Set([
  'senior', 'sr', 'snr', 'junior', 'jr', 'associate', 'assistant', 'general', 'deputy', 'regional', 'area', 'district',
  'country', 'global', 'national', 'divisional', 'the', 'a',
]);
// What ends the words that qualify "Manager": "Partnership & Business Development Manager", "Accountant/ Manager".
const QUALIFIER_BREAK_RE = /[,;:|/&+()[\]–—]|\s-\s|\b(?:and|or|of|for|to)\b/gi;
const MAX_QUALIFIER_CHARS = 80;

/** Whether the title's "Manager" manages people (the manager level) rather than naming a job. */
function managesPeople(title: string): boolean {
  for (const m of title.matchAll(MANAGER_WORD_G)) {
    const segments = title.slice(Math.max(0, m.index - MAX_QUALIFIER_CHARS), m.index).split(QUALIFIER_BREAK_RE);
    const words = (segments[segments.length - 1]!.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !GRADE_WORDS.has(w));
    const head = words[words.length - 1];
    if (head === undefined) return true;
    if (head === 'development' ? SOFTWARE_WORDS.has(words[words.length - 2] ?? '') : TEAM_WORDS.has(head)) return true;
  }
  return false;
}

// "Member of Technical Staff" is a title: its "Staff" is not the staff level.
const MTS_RE = /\bmember\s+of\s+(?:the\s+)?technical\s+staff\b|\bMTS\b/gi;

// Several levels listed for one title: "Junior/Mid", "Mid-Senior", "Senior or Staff", "Junior to Mid-level".
const LEVEL_WORD = '(?:junior|jr\\.?|mid(?:[- ]?level)?|intermediate|s[ée]nior|sr\\.?|snr|staff|principal|lead|entry[- ]level|associate|graduate)';
const LEVEL_SEPARATOR = '\\s*(?:\\/|,|&|\\+|\\bor\\b|\\bto\\b|–|—|-)\\s*';
const LEVEL_LIST_G = new RegExp(`\\b(${LEVEL_WORD})(?:${LEVEL_SEPARATOR}${LEVEL_WORD}(?![\\p{L}\\p{N}]))+`, 'giu');

// "Stage" is French for internship where it stands as a word of its own in the title.
const STAGE_RE =
  /^\s*stage\b(?!\s+(?:manager|management|technician|tech|hand|crew|director|designer|lighting|sound|door|left|right|gate|\d))|(?:[-–—|:(/]|\s[-–—]\s)\s*stage\s*(?:$|[-–—|:)/,·])|\bstage\s+(?:de|d['’]|en|chez|[àa])\s/i;

const JOB_NOUNS =
  'engineer|developer|scientist|analyst|designer|architect|programmer|administrator|specialist|consultant|technician|researcher|swe|sde|mle|accountant|representative|recruiter|associate|manager';
const LEVEL_NUMERAL_RE = new RegExp(`\\b(?:${JOB_NOUNS})\\s*,?\\s*(I{1,3}|IV|V|[1-5])(?![\\w.+'’-])`, 'i');
/** Roman and arabic level numbers: I -> junior, II -> mid, III -> senior, IV -> staff, V -> principal. */
const NUMERAL_LEVELS: Readonly<Record<string, Seniority>> = {
  I: 'junior', II: 'mid', III: 'senior', IV: 'staff', V: 'principal',
  '1': 'junior', '2': 'mid', '3': 'senior', '4': 'staff', '5': 'principal',
};

const RULES: ReadonlyArray<readonly [Seniority, (title: string) => boolean]> = [
  [
    'intern',
    (t) =>
      /\b(?:intern|interns|internship|co-?op|working\s+student|werkstudent(?:in|en|\*in|:in)?|werkstudierende[rn]?|stagiaire|alternance|alternant(?:e)?|dual(?:es|er)\s+(?:studium|student\w*))\b|praktik(?:um|ums|ant|antin|anten)\b/i.test(t) ||
      STAGE_RE.test(t),
  ],
  [
    'director',
    (t) =>
      /\b(?:director|vp|svp|evp|avp|rvp|vice[- ]president|head\s+of|chief|(?:ceo|cfo|coo|cmo|cro|cto|cio|ciso|cdo|cpo|cso)(?!\s+office)|directeur|directrice|(?:abteilungs|bereichs)?leiter(?:in)?|leitung)\b/i.test(t),
  ],
  ['manager', managesPeople],
  ['principal', (t) => /\b(?:principal|distinguished|fellow)\b/i.test(t) || numeralLevel(t) === 'principal'],
  ['staff', (t) => /\bstaff\b/i.test(t) || numeralLevel(t) === 'staff'],
  // "Lead Generation Specialist" generates leads; it does not lead.
  [
    'lead',
    (t) => /\b(?:lead|leader)\b(?!\s+generation)|\bteam\s?(?:leiter(?:in)?|leitung)\b|\bgruppenleiter(?:in)?\b|\bchef\s+d['’][ée]quipe\b/i.test(t),
  ],
  ['senior', (t) => /\b(?:senior|sr|snr)\b\.?|(?<![\p{L}])s[ée]nior(?![\p{L}])/iu.test(t) || numeralLevel(t) === 'senior'],
  // "Mid-Market Account Executive" sells to mid-sized companies.
  [
    'mid',
    (t) =>
      /\b(?:mid(?![- ]?market)|mid[- ]?level|midlevel|intermediate)\b|(?<![\p{L}])confirm[ée]e?(?![\p{L}])/iu.test(t) || numeralLevel(t) === 'mid',
  ],
  [
    'junior',
    (t) =>
      /\b(?:junior|jr|entry[- ]level|early[- ]careers?|associate|graduate|grad|new[- ]grad|apprentice|trainee|(?:berufs)?einsteiger(?:in)?|absolvent(?:in)?)\b|(?<![\p{L}])(?:jeune\s+dipl[ôo]m[ée]e?|d[ée]butante?)(?![\p{L}])/iu.test(t) ||
      numeralLevel(t) === 'junior',
  ],
];

// A tech/team lead role joined to a title before it: "… & Tech Lead", "… / Team Lead", "…, Tech Lead", "… (Tech Lead)".
const SECOND_ROLE_LEAD_RE =
  /\s*(?:&|\+|\/|,|\band\b|\s[-–—|]|\()\s*(?:tech(?:nical)?|team|engineering|squad)\s+lead(?:er)?\b\)?/gi;

/** The seniority a job title states, or null when it states none. */
export function detectSeniority(title: string): Seniority | null {
  // The job's own field of a header, its first title when several are listed, its first level when several are.
  // The level list is read before the list of titles: "Staff/Senior Security Engineer or SRE" is staff.
  const field = jobField(title).slice(0, MAX_JOB_CHARS).replace(MTS_RE, ' ').replace(LEVEL_LIST_G, '$1');
  const job = firstListedJob(field);
  return levelOfTitle(job);
}

function levelOfTitle(title: string): Seniority | null {
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
