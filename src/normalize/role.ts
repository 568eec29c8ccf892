/**
 * Normalized role from the job TITLE only: a body that mentions ML does not make a
 * "Senior Software Engineer" an ML engineer.
 *
 * Canonical roles: ml engineer, research scientist, data scientist, data engineer, data analyst,
 * software engineer, backend engineer, frontend engineer, full-stack engineer, mobile engineer,
 * devops engineer, security engineer, qa engineer, product manager, designer, engineering manager.
 * Anything else is null.
 *
 * Rules are tried in order, most specific first. Choices (documented for the README):
 * - Management titles first: "Engineering Manager", "Manager, Software Engineering", "Head of /
 *   Director of / VP Engineering" -> engineering manager; "Product Manager", "Product Owner",
 *   "Head of Product" -> product manager. The level itself is seniority's job.
 * - Scientists before engineers: "Machine Learning Scientist", "Applied Scientist", "Research
 *   Scientist" -> research scientist (NOT ml engineer); "Data Scientist" and "Data Science ..."
 *   -> data scientist.
 * - ml engineer: ML/AI written next to engineer ("ML Engineer", "MLE", "AI Engineer", "MLOps
 *   Engineer", "Machine Learning Platform Engineer"), or anywhere in an otherwise generic
 *   engineering title ("Engineer, Machine Learning", "Software Engineer, ML Infrastructure").
 *   A title that names another specialty ("Frontend Engineer, AI Products") keeps that specialty.
 * - backend, frontend and full-stack engineers are their own roles, not "software engineer";
 *   "Software Engineer, Backend" is backend engineer.
 * - devops engineer includes SRE / site reliability, platform and infrastructure engineers.
 * - A bare "Engineer" / "Senior Engineer" is null: the title does not say what kind.
 * - A header of several fields ("Acme | Senior Backend Engineer | Remote (US) | $150k", as on Hacker
 *   News) is read from its first field that names a job, so a company or location field never gives
 *   the role.
 * - A title that lists several jobs ("Senior Backend Engineer, Senior Frontend Engineer", "ML Engineer /
 *   Data Scientist") is read from the first one listed; a shared plural noun over specialties of
 *   different roles ("Backend, Frontend and ML Engineers") names no single role: null.
 * - "UX Researcher" is research, not design: null; a "Sales Engineer" sells: null.
 *   "Member of Technical Staff" is an engineering title ("Member of Technical Staff – Machine
 *   Learning" is an ml engineer). Game, graphics, engine, tools and compiler engineers are software
 *   engineers.
 * - German and French titles: "Softwareentwickler", "Java-Entwickler(in)", "Développeur",
 *   "Ingénieur logiciel" are software engineers (not "Geschäftsentwickler", business development);
 *   "Backend-Entwickler", "Développeur Full Stack" and "Ingénieur Data" take their specialty.
 */

/** Words that name a job: a title part without one is a specialty or a qualifier ("Backend", "Payments"). */
const JOB_NOUN_RE =
  /\b(?:engineers?|developers?|scientists?|designers?|analysts?|accountants?|managers?|researchers?|architects?|programmers?|administrators?|swe|sde|mle|sre|ing[ée]nieure?s?|d[ée]veloppeu(?:r|se)s?|member\s+of\s+(?:the\s+)?technical\s+staff)(?![\p{L}\p{N}])|entwickler(?:in(?:nen)?)?\b/iu;
/** Also the words of titles that are jobs by themselves ("Head of Data", "Tech Lead", "Intern"). */
const JOB_WORD_RE = new RegExp(
  `${JOB_NOUN_RE.source}|\\b(?:lead|head|director|vp|chief|intern|internship|werkstudent\\w*|praktik\\w*|stagiaire|stage|owner|writer|recruiter|specialist|consultant|cto)\\b`,
  'iu',
);

/** A job title is short; the part read is capped so that the patterns below stay linear on any input. */
export const MAX_JOB_CHARS = 200;

/**
 * The part of a title that names the job: in a header of fields separated by "|" (an HN comment's
 * "Acme | Senior Backend Engineer | Remote (US) | $150k"), the first field that names one.
 */
export function jobField(title: string): string {
  if (!title.includes('|')) return title;
  const fields = title.split('|');
  return fields.find((f) => JOB_NOUN_RE.test(f)) ?? fields.find((f) => JOB_WORD_RE.test(f)) ?? title;
}

// Between the jobs of a list: "A, B", "A / B", "A & B", "A and B", "A or B", "A - B".
const LIST_SEPARATOR_G = /\s*(?:,|\/|&|\+|;|\band\b|\bor\b|\s[-–—]\s)\s*/gi;

/**
 * The first job of a title that lists several ("Senior Backend Engineer, Senior Frontend Engineer" ->
 * "Senior Backend Engineer"); the title itself when its parts do not each name a job ("Software
 * Engineer, Backend", "Senior ML Engineer & Tech Lead").
 */
export function firstListedJob(title: string): string {
  const parts = title.split(LIST_SEPARATOR_G);
  if (parts.length < 2 || parts.filter((p) => JOB_NOUN_RE.test(p)).length < 2) return title;
  return parts.find((p) => JOB_NOUN_RE.test(p)) ?? title;
}

const ENGINEER = '(?:engineer(?:ing)?|eng|engr|developer|dev|ing[ée]nieure?|member\\s+of\\s+(?:the\\s+)?technical\\s+staff)';
const ML = '(?:machine[- ]learning|ml|ai|a\\.i\\.|artificial\\s+intelligence|intelligence\\s+artificielle|deep[- ]learning|computer\\s+vision|nlp|llms?|large\\s+language\\s+models?|ml\\s*ops|mlops|gen(?:erative)?\\s*ai|ai\\s*\\/\\s*ml|ml\\s*\\/\\s*ai)';

const MANAGER_OF_ENGINEERING: readonly RegExp[] = [
  // "Development" is software only after a software word: a Business or Publisher Development Manager sells.
  new RegExp(`\\b(?:engineering|software|(?:software|application|web|mobile|game)\\s+development|${ML}(?:\\s+engineering)?)\\s+manager\\b`, 'i'),
  /\bmanager\s*(?:,|-|–|of)\s*(?:\w+\s+){0,3}?(?:engineering|software)\b/i,
  /\b(?:head|director|vp|vice[- ]president|svp)\s*(?:,|-|–|of)?\s*(?:\w+\s+){0,2}?engineering\b/i,
];
const PRODUCT_MANAGER: readonly RegExp[] = [
  /\bproduct\s+(?:manager|owner|management)\b/i,
  /\b(?:head|director|vp|vice[- ]president)\s*(?:,|-|–|of)?\s*product\b(?!\s+(?:design|marketing|engineering|analytics))/i,
];

const RULES: ReadonlyArray<readonly [string, readonly RegExp[]]> = [
  ['product manager', PRODUCT_MANAGER],
  ['engineering manager', MANAGER_OF_ENGINEERING],
  ['data scientist', [/\bdata\s+scien(?:tist|ce)\b/i]],
  ['research scientist', [/\bscientist\b/i]],
  // "Product Designer", "UX/UI Designer", "UX Lead"; "UX Engineer" is frontend work, "UX Researcher" research.
  ['designer', [/\bdesigner\b/i, /\b(?:ux|ui\s*\/\s*ux|ux\s*\/\s*ui)\b(?!\s*(?:\/\s*)?(?:engineer|developer|research(?:er)?s?\b))/i]],
  [
    'ml engineer',
    [/\bmle\b/i, new RegExp(`\\b${ML}\\s+(?:[\\w-]+\\s+){0,2}?${ENGINEER}\\b`, 'i'), /\bmachine\s+learning\s+(?:platform|infrastructure)\b/i],
  ],
  [
    'data engineer',
    [
      /\bdata\s+(?:platform\s+|infrastructure\s+|warehouse\s+|pipeline\s+)?engineer/i,
      /\banalytics\s+engineer/i,
      /\betl\s+(?:engineer|developer)/i,
      /\bbig\s+data\b/i,
      /\bing[ée]nieure?\s+(?:big\s+)?(?:data|donn[ée]es)\b/i,
    ],
  ],
  ['data analyst', [/\b(?:data|bi|business\s+intelligence|analytics|product|reporting|marketing)\s+analyst\b/i, /\banalyst\b.*\b(?:data|analytics)\b/i]],
  [
    'security engineer',
    [/\b(?:security|appsec|infosec|cyber\s*security|devsecops|penetration|pentest(?:er)?|offensive\s+security)\b.*\b(?:engineer|analyst|architect|specialist|researcher|tester|consultant|developer)\b|\bpenetration\s+tester\b|\bpentester\b/i],
  ],
  ['qa engineer', [/\b(?:qa|quality\s+assurance|quality\s+engineer(?:ing)?|test\s+engineer|sdet|test\s+automation|automation\s+tester|tester)\b|\b(?:engineer|developer)\s+in\s+test\b/i]],
  ['mobile engineer', [new RegExp(`\\b(?:ios|android|mobile|react\\s+native|flutter)\\b.*\\b${ENGINEER}\\b`, 'i')]],
  ['full-stack engineer', [/\bfull[\s-]?stack\b/i]],
  ['frontend engineer', [/\bfront[\s-]?end\b/i, new RegExp(`\\b(?:ui|ux|react|angular|vue(?:\\.?js)?|javascript)\\s+${ENGINEER}\\b`, 'i')]],
  ['backend engineer', [/\bback[\s-]?end\b/i, /\bserver[\s-]side\b/i]],
  // Generic engineering titles that name ML elsewhere: "Engineer, Machine Learning".
  ['ml engineer', [new RegExp(`(?=.*\\b${ML}\\b).*\\b${ENGINEER}\\b|\\b${ENGINEER}\\b.*\\b${ML}\\b`, 'i')]],
  [
    'devops engineer',
    [/\b(?:devops|dev\s+ops|sre|site\s+reliability|reliability\s+engineer|platform\s+engineer|infrastructure\s+engineer|cloud\s+(?:engineer|infrastructure)|kubernetes)\b/i],
  ],
  [
    'software engineer',
    [
      /\bsoftware\s+(?:development\s+)?(?:engineer|developer|engineering)\b/i,
      /\b(?:swe|sde|programmer)\b/i,
      /\bmember\s+of\s+(?:the\s+)?technical\s+staff\b/i,
      /\b(?:application|web|python|java|golang|go|ruby|rails|node(?:\.?js)?|php|\.net|c#|c\+\+|scala|rust|elixir|typescript|kotlin|clojure|haskell)\s+(?:engineer|developer)\b/i,
      /\b(?:game(?:play)?|games|graphics|rendering|engine|tools|compiler|unity|unreal)\s+(?:engineer|developer|programmer)\b/i,
      /\bing[ée]nieure?\s+(?:logiciel|software|d[ée]veloppement|en\s+d[ée]veloppement|d[ée]veloppeur)/i,
      // German "Softwareentwickler", "Java-Entwicklerin"; not business, HR or property development.
      /^(?!.*(?:gesch[äa]fts|business|personal|organisations|produkt|immobilien|projekt|vertriebs|unternehmens)-?entwickler).*entwickler(?:in)?\b/i,
      // French "Développeur·se"; not "développeur commercial" / "d'affaires" (business development).
      /^(?!.*d[ée]veloppeu(?:r|se)\s+(?:commercial|d['’]affaires|business|rh)).*(?<![\p{L}])d[ée]veloppeu(?:r|se)(?![\p{L}])/iu,
      // A bare "Developer" is software, except the ones that are not ("Developer Advocate", "Business Developer").
      /^(?!.*\b(?:business|real\s+estate|property)\s+developer\b)(?!.*\bdeveloper\s+(?:advocate|relations|evangelist|experience|marketing)\b).*\bdeveloper\b/i,
    ],
  ],
];

const PLURAL_NOUN_G = /\b(engineer|developer|scientist|designer|analyst|manager|researcher|architect|programmer)s\b/gi;
// "Backend, Frontend and ML Engineers": specialties sharing one plural job noun.
const SHARED_PLURAL_RE = /^(.*?)\b(engineer|developer)s\b/i;

/** The normalized role a job title names ("ml engineer", "data scientist", ...), or null. */
export function detectRole(title: string): string | null {
  const job = firstListedJob(jobField(title)).slice(0, MAX_JOB_CHARS);
  const shared = sharedPluralRoles(job);
  if (shared !== undefined) return shared;
  // "Senior Software Engineers", "Data Scientists": a job advertised in the plural.
  return roleOf(job.replace(PLURAL_NOUN_G, '$1'));
}

// A sales engineer sells the product (pre-sales demos, proofs of concept): no engineering role, whatever
// the product is ("Sales Engineer, Data & AI Security").
const SALES_ENGINEER_RE = /\b(?:sales|pre-?sales)\s+engineer/i;

function roleOf(title: string): string | null {
  if (SALES_ENGINEER_RE.test(title)) return null;
  for (const [role, patterns] of RULES) {
    if (patterns.some((re) => re.test(title))) return role;
  }
  return null;
}

/**
 * "Backend, Frontend and ML Engineers" hires several kinds: each specialty is read with the noun
 * ("Backend Engineer", ...); one role when they agree ("iOS and Android Developers"), else null.
 * undefined when the title is not such a list.
 */
function sharedPluralRoles(title: string): string | null | undefined {
  const m = SHARED_PLURAL_RE.exec(title);
  if (!m) return undefined;
  const parts = m[1]!.split(LIST_SEPARATOR_G).filter((p) => p.trim() !== '');
  if (parts.length < 2 || parts.some((p) => JOB_NOUN_RE.test(p))) return undefined;
  const roles = new Set(parts.map((p) => roleOf(`${p.trim()} ${m[2]!}`)));
  return roles.size === 1 ? [...roles][0]! : null;
}
