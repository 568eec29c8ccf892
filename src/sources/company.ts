/**
 * Finds the hiring company of a feed item, from the places job boards put it:
 * the title ("Nomad Health: Senior ML Engineer", "Senior ML Engineer at Nomad Health"), the item
 * author (dc:creator), or a company line in the description ("Company: Nomad Health", or the line
 * right under the title line: a markdown "### Nomad Health" heading, or the plain "Nomad Health" line
 * that htmlToPlainText makes of `<h1>Senior ML Engineer</h1><h3>Nomad Health</h3>`).
 * Every company value is plain text: HTML tags in it are removed ("<b>Bold Corp</b>" -> "Bold Corp").
 * Titles are tried first because boards that write the company there do it consistently, while an
 * author is as often the person or the bot that posted the item.
 */

// Any of these makes a phrase a job title, not a company name ("Senior Engineer: Payments").
const ROLE_WORDS: ReadonlySet<string> = new Set(
  (
    'senior sr snr junior jr intern interns internship trainee apprentice engineer engineers developer developers dev devs ' +
    'programmer programmers designer designers manager managers director directors analyst analysts scientist scientists ' +
    'architect architects consultant consultants specialist specialists administrator administrators officer officers ' +
    'coordinator coordinators assistant assistants representative representatives rep reps technician technicians ' +
    'recruiter recruiters researcher researchers writer writers editor editors vp svp evp cto ceo cfo coo cmo cio ciso ' +
    'swe sde sdet mle sre nurse teacher tutor driver agent agents accountant lawyer attorney counsel marketer strategist ' +
    'advocate operator producer animator copywriter translator mentor instructor'
  ).split(' '),
);

// Words that alone never name a company: prefixes boards put before a title ("Remote:", "Urgent:"),
// places, departments, ambiguous seniority words and glue words. A phrase made only of these is not a company.
const NON_COMPANY_WORDS: ReadonlySet<string> = new Set(
  (
    'remote remotely urgent urgently hiring hire hires now job jobs position positions role roles opening openings ' +
    'opportunity opportunities vacancy vacancies new hot featured sponsored promoted immediate immediately asap contract ' +
    'contractor freelance freelancer full-time fulltime full part-time parttime part time temporary temp permanent ' +
    'update updated closed expired filled wanted reminder re fwd fw apply wfh anywhere worldwide global international ' +
    'hybrid onsite on-site office us usa u.s uk eu emea apac latam americas europe asia only based ' +
    'engineering design data product marketing sales operations ops finance legal support customer success it devops ' +
    'security qa research growth backend back-end frontend front-end fullstack full-stack mobile web software hardware ' +
    'ml ai cloud infrastructure platform staff lead principal associate head chief team level entry entry-level mid ' +
    'mid-level senior-level experienced of and the a an for in at to with we we\'re are is our your ' +
    // "at home", "at scale", "at night": "at" phrases that are not an employer
    'home large scale night risk will'
  ).split(' '),
);

// Authors that are a role on the publishing site, not a company.
const GENERIC_AUTHORS: ReadonlySet<string> = new Set(
  (
    'admin administrator staff editor editors editorial webmaster root user anonymous unknown guest author system bot ' +
    'noreply no-reply hr recruiter recruiting recruitment careers jobs team support info publisher moderator owner ' +
    'wordpress feed rss n/a na none null undefined'
  ).split(' '),
);

// Section headings that follow a title in postings and are not a company.
const SECTION_HEADINGS_RE =
  /^(?:about|summary|overview|description|introduction|responsibilities|requirements|qualifications|skills|experience|education|benefits|perks|duties|the (?:role|job|team|opportunity|position)|position|role|job|who (?:we|you)|what (?:you|we)|why |how to|apply|application|compensation|salary|pay|location|details|key |essential|minimum|basic|preferred|nice to have|bonus|our (?:team|mission|values|culture|benefits|stack)|your (?:role|team|responsibilities|profile|impact)|tech stack|team|mission|culture|values|join|meet|now hiring|we(?:'|’)?re hiring)\b/i;

// A start or end tag ("<b>", "</b>", "<span class=x>"); not "<3" nor an email in angle brackets.
const HTML_TAG_RE = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g;
// Words that make a plain line after the title a detail of the job, not its company.
const JOB_DETAIL_WORDS: ReadonlySet<string> = new Set(
  (
    'remote remotely hybrid onsite on-site in-office office full-time fulltime part-time parttime contract contractor ' +
    'freelance internship temporary permanent posted ago apply salary location deadline closing date reposted'
  ).split(' '),
);
const PLAIN_LINE_MAX_LENGTH = 60;

const COMPANY_LABEL_RE =
  /^(?:[-*>#]+\s*)?(?:\*\*|__)?\s*(?:company(?:\s+name)?|employer|organi[sz]ation|hiring\s+company)\s*(?:\*\*|__)?\s*(?::|-|–|—)\s*(?:\*\*|__)?\s*(.+)$/i;
const PLACEHOLDER_COMPANIES_RE = /^(?:confidential|undisclosed|anonymous|n\/a|na|none|not disclosed|private|stealth|tbd|-)$/i;
const LEGAL_SUFFIX_RE = /^(?:inc|llc|ltd|limited|co|corp|corporation|gmbh|ag|sa|s\.a|bv|b\.v|plc|pty|oy|ab|as|srl|sas|kg)\b\.?/i;

// Lines of the description looked at for a company line: the header of a posting, not its body.
const DESCRIPTION_LINES_SCANNED = 40;
const MAX_COMPANY_LENGTH = 80;

/** Finds the company of a feed item and returns the title without the company part when the company came from it. */
export function extractCompany(input: { title: string; author: string | null; description: string }): {
  company: string | null;
  title: string;
} {
  const title = input.title.trim();
  const fromColon = companyBeforeColon(title);
  if (fromColon) return fromColon;
  const fromAt = companyAfterAt(title);
  if (fromAt) return fromAt;
  const author = input.author === null ? null : companyFromAuthor(input.author);
  if (author) return { company: author, title };
  return { company: companyFromDescription(input.description, title), title };
}

// WeWorkRemotely form: "Nomad Health: Senior Machine Learning Engineer".
function companyBeforeColon(title: string): { company: string; title: string } | null {
  const m = /^([^:]{1,80}?):\s+(\S.*)$/s.exec(title);
  if (!m) return null;
  const company = cleanCompany(m[1]!);
  if (company === null || !looksLikeCompany(company)) return null;
  return { company, title: m[2]!.trim() };
}

// "Senior ML Engineer at Nomad Health (Remote)" -> "Nomad Health", "Senior ML Engineer (Remote)".
function companyAfterAt(title: string): { company: string; title: string } | null {
  let at: RegExpExecArray | null = null;
  for (const m of title.matchAll(/\s(?:at|@)\s+/gi)) at = m;
  if (at === null || at.index === undefined || at.index === 0) return null;
  const role = title.slice(0, at.index).trim();
  if (!words(role).some((w) => ROLE_WORDS.has(w) || w === 'head' || w === 'lead' || w === 'staff' || w === 'principal')) {
    return null;
  }
  const rest = title.slice(at.index + at[0].length);
  const cut = companyEnd(rest);
  const company = cleanCompany(rest.slice(0, cut));
  // A lower-case start is prose ("at a fast-growing startup"), unless it is a brand like "eBay".
  if (company === null || !/^(?:\p{Lu}|\p{N}|\p{Ll}\p{Lu})/u.test(company) || !looksLikeCompany(company)) return null;
  const suffix = rest.slice(cut).trim();
  return { company, title: suffix ? `${role} ${suffix}` : role };
}

// Where the company name ends in the text after " at ": at a parenthesis or a separator, but not
// at the comma of "Acme, Inc.".
function companyEnd(rest: string): number {
  const re = /\s[([]|\s[-–—|·/]\s|,\s*/g;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    if (m[0].startsWith(',') && LEGAL_SUFFIX_RE.test(rest.slice(m.index + m[0].length))) continue;
    return m.index;
  }
  return rest.length;
}

function companyFromAuthor(author: string): string | null {
  let name = stripTags(author).trim();
  // RSS 2.0 <author> is "email (Name)"; mail headers write "Name <email>".
  const paren = /^\S+@\S+\s*\(([^()]+)\)$/.exec(name);
  const angle = /^([^<>]+?)\s*<[^<>]*@[^<>]*>$/.exec(name);
  if (paren) name = paren[1]!;
  else if (angle) name = angle[1]!;
  const company = cleanCompany(name);
  if (company === null || company.includes('@') || /https?:|www\./i.test(company)) return null;
  if (words(company).every((w) => GENERIC_AUTHORS.has(w) || NON_COMPANY_WORDS.has(w))) return null;
  return looksLikeCompany(company) ? company : null;
}

function companyFromDescription(description: string, title: string): string | null {
  const lines = firstLines(description, DESCRIPTION_LINES_SCANNED);
  for (const line of lines) {
    if (line.length > 200) continue;
    const m = COMPANY_LABEL_RE.exec(line);
    if (!m) continue;
    const company = cleanCompany(m[1]!);
    if (company !== null && !PLACEHOLDER_COMPANIES_RE.test(company) && looksLikeCompany(company, 10)) return company;
  }
  return companyOnLineAfterTitle(lines, title);
}

// The seed posting's shape: the title line, then the company line.
// - markdown: "# [Senior Machine Learning Engineer](url)" then "### Nomad Health";
// - the same posting as HTML (<h1><a>Senior Machine Learning Engineer</a></h1><h3>Nomad Health</h3>),
//   which htmlToPlainText turns into plain lines: "Senior Machine Learning Engineer" then "Nomad Health".
//   A plain line says less than a heading, so there the first line must be the title itself and the
//   second a bare name: short, no sentence, no place ("Berlin, Germany"), no job detail ("Remote", "Full-time").
function companyOnLineAfterTitle(lines: string[], title: string): string | null {
  const [first, second] = lines;
  if (first === undefined || second === undefined) return null;
  const wanted = normalizeForCompare(title);
  let raw: string;
  if (/^#{1,6}\s/.test(first)) {
    const heading = /^#{2,6}\s+(.+)$/.exec(second);
    if (!heading) return null;
    const firstText = normalizeForCompare(stripMarkdown(first.replace(/^#+\s*/, '')));
    if (wanted !== '' && !(firstText.includes(wanted) || (firstText !== '' && wanted.includes(firstText)))) return null;
    raw = heading[1]!;
  } else {
    if (!isTitleLine(normalizeForCompare(stripMarkdown(first)), wanted) || !isBareNameLine(second)) return null;
    raw = second;
  }
  const company = cleanCompany(raw);
  if (company === null || SECTION_HEADINGS_RE.test(company) || PLACEHOLDER_COMPANIES_RE.test(company)) return null;
  return looksLikeCompany(company, 6) ? company : null;
}

// The plain first line is the title: the same words, or the title with or without a short suffix ("(Remote)").
function isTitleLine(line: string, title: string): boolean {
  if (line === '' || title === '') return false;
  if (line === title) return true;
  const [shorter, longer] = line.length < title.length ? [line, title] : [title, line];
  return shorter.includes(' ') && longer.startsWith(`${shorter} `) && shorter.length >= 0.6 * longer.length;
}

function isBareNameLine(line: string): boolean {
  const text = stripMarkdown(stripTags(line)).trim();
  if (text === '' || text.length > PLAIN_LINE_MAX_LENGTH) return false;
  // A name starts with a capital or a digit, or is a brand like "eBay".
  if (!/^(?:\p{Lu}|\p{N}|\p{Ll}\p{Lu})/u.test(text)) return false;
  if (/[:|·•$€£%@]|https?:|www\.|\p{Extended_Pictographic}/u.test(text)) return false;
  // A sentence ends with a stop, unless it is the stop of "Acme Inc.".
  if (/[.!?]$/.test(text) && !/\b(?:inc|ltd|co|corp|s\.a|b\.v|plc)\.$/i.test(text)) return false;
  // "Berlin, Germany" and "San Francisco, CA" are places; "Acme, Inc." is a name.
  for (const m of text.matchAll(/,\s*/g)) {
    if (!LEGAL_SUFFIX_RE.test(text.slice(m.index + m[0].length))) return false;
  }
  return !words(text).some((w) => JOB_DETAIL_WORDS.has(w));
}

function looksLikeCompany(name: string, maxWords = 7): boolean {
  const ws = words(name);
  if (ws.length === 0 || ws.length > maxWords) return false;
  if (ws.some((w) => ROLE_WORDS.has(w))) return false;
  if (ws.every((w) => NON_COMPANY_WORDS.has(w) || /^\d+$/.test(w))) return false;
  // Pay or a percentage is a fragment of a title ("$150k: ..."), not a name.
  return !/[$€£%]/.test(name);
}

function cleanCompany(raw: string): string | null {
  const name = stripMarkdown(stripTags(raw))
    .replace(/\s+/g, ' ')
    .replace(/^["'“”‘’\s]+|["'“”‘’\s:;,|–—-]+$/g, '')
    .trim();
  return name === '' || name.length > MAX_COMPANY_LENGTH ? null : name;
}

/** HTML tags out of a company value: "<b>Bold Corp</b>" -> "Bold Corp". */
export function stripTags(text: string): string {
  return text.includes('<') ? text.replace(HTML_TAG_RE, ' ').replace(/\s+/g, ' ').trim() : text;
}

function stripMarkdown(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .trim();
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[\s,/()|&+!?:;[\]]+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w !== '');
}

function normalizeForCompare(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * A line that is nothing but a company name ("Nomad Health", "**Acme, Inc.**"): short, a capital
 * first, no sentence, place, heading ("About the role"), job detail or placeholder. Null otherwise.
 */
export function plainCompanyName(line: string): string | null {
  const raw = line.replace(/^#{1,6}\s+/, '');
  if (!isBareNameLine(raw)) return null;
  const company = cleanCompany(raw);
  if (company === null || SECTION_HEADINGS_RE.test(company) || PLACEHOLDER_COMPANIES_RE.test(company)) return null;
  return looksLikeCompany(company, 6) ? company : null;
}

/** The first `count` non-blank lines of a text, trimmed, without splitting the rest of it. */
export function firstLines(text: string, count: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (out.length < count && from < text.length) {
    const nl = text.indexOf('\n', from);
    const line = text.slice(from, nl < 0 ? text.length : nl).trim();
    from = nl < 0 ? text.length : nl + 1;
    if (line !== '') out.push(line);
  }
  return out;
}
