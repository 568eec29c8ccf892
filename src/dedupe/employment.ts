/**
 * The employment type a posting states (full-time, part-time, contract, internship), read from what
 * the posting carries: its tags (Lever's commitment, Workable's employment_type, RemoteOK tags), a
 * labelled part of its location line ("Seattle, WA · Type: Full-time"), a title part that is
 * nothing but terms ("Backend Engineer (Contract)", "Software Engineering Intern"), and labelled
 * lines or a plain statement in the description ("Employment type: Contract", "this full-time
 * position"). Dedupe uses it only to keep apart: two postings that state different types are two
 * jobs; an unstated type is compatible with anything.
 *
 * "Contract" alone inside a longer title part is a job name ("Contracts Manager", "Contract
 * Administrator"), never a type. All patterns are linear (no nested quantifiers).
 */

/** The kinds of employment a posting may state. */
export type EmploymentType = 'full-time' | 'part-time' | 'contract' | 'internship';

/** What the reader looks at: normalized Posting fields (a stored job has them too). */
export interface EmploymentFacts {
  title: string;
  tags?: readonly string[];
  location?: string | null;
  description?: string;
}

const FULL_TIME_RE = /\bfull[\s_-]?time\b|\bfulltime\b/;
const PART_TIME_RE = /\bpart[\s_-]?time\b|\bparttime\b/;
const CONTRACT_RE = /\bcontract(?:or|ors|ing)?\b|\bfreelancer?\b|\btemporary\b|\btemp\b|\bfixed[\s_-]?term\b|\bc2c\b|\b1099\b/;
const INTERNSHIP_RE = /\bintern(?:ship)?s?\b|\bwerkstudent(?:in)?\b|\bworking\s+student\b|\bco[\s-]?op\b/;

/** Words a "terms only" phrase may hold besides the type words ("Full Time - Permanent", "Contract-to-hire role"). */
const TERMS_VOCABULARY: ReadonlySet<string> = new Set(
  (
    'full part time fulltime parttime contract contractor contractors freelance freelancer temporary temp fixed term ' +
    'c2c 1099 w2 intern interns internship internships werkstudent werkstudentin working student co op coop ' +
    'permanent perm regular employee employment position role job only basis to hire month months week weeks year ' +
    'years long short paid unpaid summer winter remote hybrid onsite type or and with possibility of extension'
  ).split(' '),
);

/** A labelled line of a description or location part: "Employment type: Contract", "**Job Type:** Full-time". */
const LABEL_RE =
  /^[\s*•·\-–]*(?:employment\s+type|type\s+of\s+employment|job\s+type|contract\s+type|type\s+of\s+contract|position\s+type|work\s+type|engagement(?:\s+type)?|commitment|schedule|type)[\s*]*:[\s*]*/i;

/** A description that says it: "this full-time position", "This is a contract role", "this internship". */
const STATEMENT_RE =
  /\b(?:this|is\s+an?)\s+(?:paid\s+|unpaid\s+)?(full[\s-]?time|part[\s-]?time|contract(?:-to-hire)?|freelance|temporary|fixed[\s-]?term)(?:,?\s+permanent)?\s+(?:position|role|job|opportunity|engagement)\b|\bthis\s+(?:paid\s+|unpaid\s+)?(internship)\b/gi;

/** Only the start of a description is read for labelled lines: where job boards put the terms. */
const DESCRIPTION_LINES = 60;

/** The employment types a posting states; empty when it states none. */
export function employmentTypes(p: EmploymentFacts): Set<EmploymentType> {
  const types = new Set<EmploymentType>();
  for (const tag of p.tags ?? []) addTermsPhrase(types, tag);
  if (p.location) {
    for (const part of p.location.split(/[·•|;,]/)) addLabelled(types, part) || addTermsPhrase(types, part);
  }
  addTitle(types, p.title);
  if (p.description) addDescription(types, p.description);
  return types;
}

/** Whether two postings can be the same job as far as their stated employment types go. */
export function employmentCompatible(a: ReadonlySet<EmploymentType>, b: ReadonlySet<EmploymentType>): boolean {
  if (a.size === 0 || b.size === 0) return true;
  for (const t of a) if (b.has(t)) return true;
  return false;
}

function addTitle(types: Set<EmploymentType>, title: string): void {
  const lower = title.toLowerCase();
  // Unambiguous anywhere in a title: "Software Engineering Intern", "Freelance Writer", "Part-time Tutor".
  if (FULL_TIME_RE.test(lower)) types.add('full-time');
  if (PART_TIME_RE.test(lower)) types.add('part-time');
  if (/\bcontractor\b|\bfreelancer?\b|\bcontract[\s-]to[\s-]hire\b/.test(lower)) types.add('contract');
  if (/\bintern(?:ship)?s?\b/.test(lower)) types.add('internship');
  // "Contract", "Temporary": only as a part of its own ("Backend Engineer (Contract)", "... - 6 month contract").
  for (const part of lower.split(/[()[\]{}|,/:·•]|\s[-–—]\s/)) addTermsPhrase(types, part);
}

function addDescription(types: Set<EmploymentType>, description: string): void {
  let lines = 0;
  let start = 0;
  while (start < description.length && lines < DESCRIPTION_LINES) {
    let end = description.indexOf('\n', start);
    if (end < 0) end = description.length;
    const line = description.slice(start, Math.min(end, start + 200));
    if (line.trim() !== '') {
      addLabelled(types, line);
      lines++;
    }
    start = end + 1;
  }
  for (const m of description.matchAll(STATEMENT_RE)) addTypes(types, (m[1] ?? m[2] ?? '').toLowerCase());
}

/** A "Label: value" part naming the terms; true when it was one. */
function addLabelled(types: Set<EmploymentType>, text: string): boolean {
  const m = LABEL_RE.exec(text);
  if (!m) return false;
  // The value up to the next labelled field on the same line ("Type: Full-time · Workplace: Hybrid").
  const value = text.slice(m[0].length).split(/[·•|;]|\s{2,}|\b\w+:/)[0] ?? '';
  addTypes(types, value.toLowerCase());
  return true;
}

/** A phrase made of terms words only ("Full Time - Permanent", "Contract-to-hire"): its types. */
function addTermsPhrase(types: Set<EmploymentType>, phrase: string): void {
  const lower = phrase.toLowerCase();
  const words = lower.match(/[a-z0-9]+/g);
  if (!words || words.length > 8) return;
  for (const w of words) if (!TERMS_VOCABULARY.has(w) && !/^\d+$/.test(w)) return;
  addTypes(types, lower);
}

function addTypes(types: Set<EmploymentType>, lower: string): void {
  if (FULL_TIME_RE.test(lower)) types.add('full-time');
  if (PART_TIME_RE.test(lower)) types.add('part-time');
  if (CONTRACT_RE.test(lower)) types.add('contract');
  if (INTERNSHIP_RE.test(lower)) types.add('internship');
}
