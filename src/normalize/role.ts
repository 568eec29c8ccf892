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
 */

const ENGINEER = '(?:engineer(?:ing)?|eng|engr|developer|dev)';
const ML = '(?:machine[- ]learning|ml|ai|a\\.i\\.|artificial\\s+intelligence|deep[- ]learning|computer\\s+vision|nlp|llm|ml\\s*ops|mlops|gen(?:erative)?\\s*ai|ai\\s*\\/\\s*ml|ml\\s*\\/\\s*ai)';

const MANAGER_OF_ENGINEERING: readonly RegExp[] = [
  new RegExp(`\\b(?:engineering|software|development|${ML}(?:\\s+engineering)?)\\s+manager\\b`, 'i'),
  /\bmanager\s*(?:,|-|–|of)\s*(?:\w+\s+){0,3}?(?:engineering|software|development)\b/i,
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
  // "Product Designer", "UX/UI Designer", "UX Lead"; "UX Engineer" is frontend work.
  ['designer', [/\bdesigner\b/i, /\b(?:ux|ui\s*\/\s*ux|ux\s*\/\s*ui)\b(?!\s*(?:\/\s*)?(?:engineer|developer))/i]],
  [
    'ml engineer',
    [/\bmle\b/i, new RegExp(`\\b${ML}\\s+(?:[\\w-]+\\s+){0,2}?${ENGINEER}\\b`, 'i'), /\bmachine\s+learning\s+(?:platform|infrastructure)\b/i],
  ],
  ['data engineer', [/\bdata\s+(?:platform\s+|infrastructure\s+|warehouse\s+|pipeline\s+)?engineer/i, /\banalytics\s+engineer/i, /\betl\s+(?:engineer|developer)/i, /\bbig\s+data\b/i]],
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
      // A bare "Developer" is software, except the ones that are not ("Developer Advocate", "Business Developer").
      /^(?!.*\b(?:business|real\s+estate|property)\s+developer\b)(?!.*\bdeveloper\s+(?:advocate|relations|evangelist|experience|marketing)\b).*\bdeveloper\b/i,
    ],
  ],
];

/** The normalized role a job title names ("ml engineer", "data scientist", ...), or null. */
export function detectRole(title: string): string | null {
  for (const [role, patterns] of RULES) {
    if (patterns.some((re) => re.test(title))) return role;
  }
  return null;
}
