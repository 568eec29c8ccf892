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
 * - manager: "manager" that manages people ("Engineering Manager", "Data Science Manager",
 *   "Senior Manager", "Manager, Data Science"). "<function> Manager" where the function is a job
 *   of its own rather than a team (product, program, project, account, marketing and product
 *   marketing, partner, community, customer success, office, brand, content, campaign, event,
 *   channel, category, release, delivery, implementation, relationship, ...) is an
 *   individual-contributor job name, not a level: "Senior Product Manager" is senior,
 *   "Product Marketing Manager" is unknown.
 * - Numbered levels after a job noun: I -> junior, II -> mid, III -> senior, IV -> staff,
 *   V -> principal ("Software Engineer III"); arabic 1-5 likewise ("Engineer 2").
 *   Company ladders like L4/L5 or E5 mean different things at each company and are not read.
 * - "Associate Engineer", "Graduate", "New Grad", "Entry level", "Apprentice" -> junior;
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

// Job-name managers: these titles carry "manager" without managing people.
const IC_MANAGER_RE =
  /\b(?:product|program|programme|project|account|accounts|release|community|case|partners?|partnerships?|alliances?|territory|brand|content|social\s+media|customer\s+success|success|office|key\s+account|marketing|campaigns?|events?|channel|category|relationship|client|delivery|implementation|onboarding|lifecycle|crm|seo|communications|property|vendor|incident|change)\s+manager\b/gi;

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
      /\b(?:director|vp|svp|evp|avp|vice[- ]president|head\s+of|chief|cto|cio|ciso|cdo|cpo|cso|directeur|directrice|(?:abteilungs|bereichs)?leiter(?:in)?|leitung)\b/i.test(t),
  ],
  ['manager', (t) => /\b(?:manager|mgr)\b/i.test(t.replace(IC_MANAGER_RE, ' '))],
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
      /\b(?:junior|jr|entry[- ]level|associate|graduate|grad|new[- ]grad|apprentice|trainee|(?:berufs)?einsteiger(?:in)?|absolvent(?:in)?)\b|(?<![\p{L}])(?:jeune\s+dipl[ôo]m[ée]e?|d[ée]butante?)(?![\p{L}])/iu.test(t) ||
      numeralLevel(t) === 'junior',
  ],
];

// A tech/team lead role joined to a title before it: "… & Tech Lead", "… / Team Lead", "…, Tech Lead", "… (Tech Lead)".
const SECOND_ROLE_LEAD_RE =
  /\s*(?:&|\+|\/|,|\band\b|\s[-–—|]|\()\s*(?:tech(?:nical)?|team|engineering|squad)\s+lead(?:er)?\b\)?/gi;

/** The seniority a job title states, or null when it states none. */
export function detectSeniority(title: string): Seniority | null {
  // The job's own field of a header, its first title when several are listed, its first level when several are.
  const job = firstListedJob(jobField(title)).slice(0, MAX_JOB_CHARS).replace(MTS_RE, ' ').replace(LEVEL_LIST_G, '$1');
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
