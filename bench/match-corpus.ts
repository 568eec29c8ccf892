/**
 * A seeded, varied corpus for the matching benchmark and the index equivalence test: rules as
 * users write them (queries with roles, OR groups, levels, arrangements, places, salary floors and
 * exclusions; structured keys; a few rules without any title) and normalized postings (varied
 * titles, places, arrangements, salaries in several currencies and periods, descriptions of a few KB).
 * The same seed always gives the same corpus.
 */
import type { RuleConfig } from '../src/config/schema.js';
import type { Arrangement, Posting, Salary, SalaryPeriod, Seniority } from '../src/core/types.js';

/** A small deterministic PRNG (mulberry32): the corpus must be the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function chance(rand: Rand, p: number): boolean {
  return rand() < p;
}

// Role phrases as rules write them (abbreviations, quoted phrases, stems) and as titles write them.
const RULE_ROLES = [
  'ML engineer', 'machine learning engineer', 'MLE', 'data scientist', 'data engineer', 'backend engineer',
  'frontend developer', 'frontend engineer', 'full stack engineer', 'fullstack developer', 'devops engineer',
  'SRE', 'site reliability engineer', '"site reliability"', 'product manager', 'PM', 'product designer',
  'UX designer', 'software engineer', 'SWE', 'iOS developer', 'android engineer', 'security engineer',
  'QA engineer', 'engineering manager', 'data analyst', 'platform engineer', 'infrastructure engineer',
  'python developer', 'golang engineer', 'rust engineer', 'react developer', 'technical writer',
  'solutions architect', 'cloud architect', 'research scientist', 'applied scientist', 'NLP engineer',
  'computer vision engineer', 'mobile engineer', 'embedded engineer', 'firmware engineer', 'game developer',
  'growth marketer', 'account executive', 'customer success manager', 'recruiter', 'TPM', 'LLM engineer',
  'GenAI engineer', 'MLOps engineer', 'analytics engineer', 'BI analyst', 'quant researcher',
  'blockchain developer', 'kubernetes engineer', 'C++ developer', 'C# developer', 'data engineers',
  'scientist', 'engineer', 'developer', 'designer', '"staff engineer"', 'ai engineer', 'search engineer',
];
const TITLE_ROLES = [
  'Machine Learning Engineer', 'ML Engineer', 'MLE', 'Data Scientist', 'Data Engineer', 'Backend Engineer',
  'Back End Developer', 'Frontend Developer', 'Front-End Engineer', 'Full Stack Engineer', 'Fullstack Developer',
  'DevOps Engineer', 'Site Reliability Engineer', 'SRE', 'Product Manager', 'Product Designer', 'UX Designer',
  'Software Engineer', 'Software Development Engineer', 'SDE', 'iOS Developer', 'Android Engineer',
  'Security Engineer', 'QA Engineer', 'Engineering Manager', 'Data Analyst', 'Platform Engineer',
  'Infrastructure Engineer', 'Python Developer', 'Golang Engineer', 'Rust Engineer', 'React Developer',
  'Technical Writer', 'Solutions Architect', 'Cloud Architect', 'Research Scientist', 'Applied Scientist',
  'NLP Engineer', 'Computer Vision Engineer', 'Mobile Engineer', 'Embedded Software Engineer', 'Firmware Engineer',
  'Game Developer', 'Growth Marketer', 'Account Executive', 'Customer Success Manager', 'Technical Recruiter',
  'Technical Program Manager', 'LLM Engineer', 'GenAI Engineer', 'MLOps Engineer', 'ML Ops Engineer',
  'Analytics Engineer', 'BI Analyst', 'Quant Researcher', 'Blockchain Developer', 'Kubernetes Engineer',
  'C++ Developer', 'C# Developer', 'Engineer, Machine Learning', 'Engineer, Data Platform', 'Barista',
  'Staff Engineer', 'AI Engineer', 'Search Engineer', 'Sales Development Representative', 'Nurse', 'Accountant',
];
// The long tail: a specialty and a kind of job ("payments engineer", "fraud analyst"), 1,200 pairs;
// most rules and titles come from it, as job titles and searches do.
const SPECIALTIES = [
  'payments', 'billing', 'fraud', 'risk', 'compliance', 'identity', 'observability', 'storage', 'database',
  'network', 'graphics', 'compiler', 'kernel', 'robotics', 'perception', 'ranking', 'recommendation', 'ads',
  'growth', 'search', 'infrastructure', 'platform', 'cloud', 'embedded', 'firmware', 'android', 'ios', 'python',
  'java', 'golang', 'rust', 'scala', 'ruby', 'php', 'react', 'angular', 'vue', 'node', 'django', 'rails', 'kafka',
  'spark', 'snowflake', 'salesforce', 'sap', 'workday', 'servicenow', 'shopify', 'wordpress', 'unity', 'unreal',
  'gameplay', 'audio', 'video', 'streaming', 'mobile', 'web', 'api', 'integration', 'automation', 'security',
  'privacy', 'crypto', 'defi', 'trading', 'quant', 'actuarial', 'clinical', 'healthcare', 'bioinformatics',
  'genomics', 'geospatial', 'simulation', 'localization', 'accessibility', 'marketplace', 'logistics',
  'supply chain', 'procurement', 'treasury', 'tax',
];
const JOB_NOUNS = ['engineer', 'developer', 'scientist', 'analyst', 'manager', 'designer', 'architect', 'researcher', 'specialist', 'consultant', 'administrator', 'lead', 'strategist', 'writer', 'recruiter'];

function tailRole(rand: Rand): string {
  return `${pick(rand, SPECIALTIES)} ${pick(rand, JOB_NOUNS)}`;
}

function ruleRole(rand: Rand): string {
  return chance(rand, 0.3) ? pick(rand, RULE_ROLES) : tailRole(rand);
}

function titleRole(rand: Rand): string {
  if (chance(rand, 0.3)) return pick(rand, TITLE_ROLES);
  return tailRole(rand).replace(/\b\w/g, (c) => c.toUpperCase());
}

const LEVELS = ['senior', 'staff', 'principal', 'junior', 'senior+', 'staff or principal', 'lead or staff', 'intern', 'mid', 'sr', 'staff+'];
const TITLE_LEVELS: ReadonlyArray<readonly [string, Seniority | null]> = [
  ['Senior', 'senior'], ['Sr.', 'senior'], ['Staff', 'staff'], ['Principal', 'principal'], ['Junior', 'junior'],
  ['Lead', 'lead'], ['', null], ['', null], ['', null], ['Senior/Staff', 'staff'], ['Mid-Level', 'mid'], ['Intern', 'intern'],
];
const RULE_PLACES = [
  'US', 'Europe', 'Berlin', 'London', 'New York', 'NYC', 'UK', 'Canada', 'Germany', 'San Francisco', 'Toronto',
  'Bangalore', 'Paris', 'Amsterdam', 'EMEA', 'Australia', 'Spain', 'Texas', 'California', 'the Netherlands',
  'Springfield', 'Austin',
];
const LOCATIONS: ReadonlyArray<readonly [string | null, Arrangement, string[]]> = [
  ['Remote', 'remote', []],
  ['Remote (US)', 'remote', ['US']],
  ['Remote - EMEA', 'remote', ['EMEA']],
  ['Anywhere', 'remote', []],
  ['Berlin, Germany', 'onsite', []],
  ['Berlin, Germany', 'hybrid', []],
  ['New York, NY', 'onsite', []],
  ['Brooklyn, NY', 'hybrid', []],
  ['London, UK', 'hybrid', []],
  ['San Francisco, CA', 'onsite', []],
  ['Toronto, Canada', 'unknown', []],
  [null, 'unknown', []],
  [null, 'remote', []],
  ['Denver, CO or Remote (US)', 'remote', ['US']],
  ['Amsterdam', 'hybrid', []],
  ['Bangalore, India', 'onsite', []],
  ['Paris, France', 'unknown', []],
  ['Austin, TX', 'onsite', []],
  ['Madrid, Spain', 'remote', ['Spain']],
  ['Sydney, Australia', 'hybrid', []],
  ['Springfield, IL', 'onsite', []],
  ['Munich', 'onsite', []],
];
const EXCLUDES = [
  '-crypto', 'no web3', 'excluding gambling, crypto', '-clearance', 'without "security clearance"', '-defense*',
  '-blockchain', 'not contract', '-c++', 'no node.js', '-ai/ml', '-sales*', 'except adtech',
];
const SALARIES = ['>= $130k', '$150k+', 'at least 120,000 USD', '>= €80k', '> £70k', 'min 100k', '$75/hour', '>= $200k', 'over 90k', '>= 60k EUR'];
const COMPANIES = ['Acme', 'Lumenary', 'Nomad Health', 'Globex Inc.', 'Initech LLC', 'Umbrella Corp', 'Hooli', 'Vandelay Industries', 'Stark Labs', 'Wayne Enterprises'];
const FILLER_WORDS = (
  'we are looking for a team player to join our growing company build scalable systems and ship features ' +
  'customers love you will work with product design and engineering partners across time zones our stack ' +
  'includes python typescript postgres kafka and kubernetes benefits include health insurance equity ' +
  'generous vacation learning budget and a home office stipend the role reports to the head of engineering ' +
  'responsibilities requirements nice to have experience years mentoring ownership impact quality reliability ' +
  'collaborate communicate deliver own design review test deploy monitor improve data models pipelines apis'
).split(' ');
const SPICE = ['crypto', 'web3', 'blockchain', 'gambling', 'security clearance', 'defense contractor', 'C++', 'node.js', 'AI/ML', 'contract', 'salesforce', 'adtech', 'Crypto', 'WEB3'];

/** One rule as users write them; about 1% have no title words at all. */
function makeRule(rand: Rand, i: number): RuleConfig {
  const name = `rule-${i}`;
  const notify = chance(rand, 0.7) ? ['email'] : ['email', 'slack'];
  const kind = rand();
  if (kind < 0.01) {
    // Rules without a title: the index cannot key them on a title word.
    const forms: Array<Partial<RuleConfig>> = [
      { query: 'remote >= $200k' },
      { query: `in ${pick(rand, RULE_PLACES)} >= $150k` },
      { query: 'staff+ in Europe -crypto' },
      { query: 'senior remote in Canada' },
      { remote: true, salary_min: 180_000 },
      { location: ['Berlin'], seniority: ['senior'] },
      { seniority: ['principal'] },
      { salary_min: 250_000, include_unknown_salary: true, location: ['London'] },
      { query: 'hybrid in Amsterdam', exclude: ['gambling'] },
      { salary_min: 150_000, currency: 'EUR' },
    ];
    return { name, notify, include_unknown_salary: false, ...pick(rand, forms) };
  }
  if (kind < 0.25) {
    // Structured keys, sometimes with a query on top.
    const rule: RuleConfig = { name, notify, include_unknown_salary: chance(rand, 0.2) };
    const roles = [ruleRole(rand)];
    if (chance(rand, 0.3)) roles.push(ruleRole(rand));
    rule.title = roles;
    if (chance(rand, 0.5)) rule.seniority = [pick(rand, ['senior', 'senior+', 'staff', 'junior', 'lead', 'principal'])];
    if (chance(rand, 0.5)) rule.remote = pick(rand, [true, false, 'hybrid', 'onsite', ['remote', 'hybrid']] as const) as RuleConfig['remote'];
    if (chance(rand, 0.4)) {
      rule.salary_min = pick(rand, [60_000, 90_000, 120_000, 150_000, 180_000]);
      if (chance(rand, 0.3)) rule.currency = pick(rand, ['EUR', 'GBP', 'CAD']);
    }
    if (chance(rand, 0.3)) rule.location = [pick(rand, [...RULE_PLACES, 'remote'])];
    if (chance(rand, 0.3)) rule.exclude = [pick(rand, ['crypto', 'web3', 'gambling', 'defense*', 'security clearance', 'C++'])];
    if (chance(rand, 0.1)) rule.companies_exclude = [pick(rand, COMPANIES)];
    if (chance(rand, 0.1)) rule.query = pick(rand, ['remote', 'senior', '-crypto', '>= $100k']);
    return rule;
  }
  // A query: [arrangement] [level] role [or role] [place] [salary] [exclusions].
  const parts: string[] = [];
  let placed = false;
  const arrangement = rand();
  if (arrangement < 0.35) parts.push('remote');
  else if (arrangement < 0.42) parts.push('hybrid');
  else if (arrangement < 0.45) parts.push('onsite');
  else if (arrangement < 0.47) parts.push('not remote');
  else if (arrangement < 0.5) {
    parts.push(`remote or in ${pick(rand, RULE_PLACES.slice(0, -1))}`);
    placed = true;
  }
  if (chance(rand, 0.55)) parts.push(pick(rand, LEVELS));
  parts.push(ruleRole(rand));
  if (chance(rand, 0.15)) parts.push(`or ${ruleRole(rand)}`);
  if (!placed && chance(rand, 0.35)) parts.push(`in ${pick(rand, RULE_PLACES)}`);
  if (chance(rand, 0.45)) parts.push(pick(rand, SALARIES));
  if (chance(rand, 0.3)) parts.push(pick(rand, EXCLUDES));
  return { name, notify, query: parts.join(' '), include_unknown_salary: chance(rand, 0.15) };
}

/** `n` rules (names rule-0 ... rule-n-1); some may not compile, as in real configs, and are dropped by compileRules. */
export function generateRules(n: number, seed = 1): RuleConfig[] {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => makeRule(rand, i));
}

function description(rand: Rand, bytes: number): string {
  const words: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = chance(rand, 0.004) ? pick(rand, SPICE) : pick(rand, FILLER_WORDS);
    words.push(word);
    size += word.length + 1;
    if (chance(rand, 0.08)) words.push(chance(rand, 0.5) ? '—' : '.\n');
  }
  return words.join(' ');
}

const PERIOD_FACTORS: Readonly<Record<SalaryPeriod, number>> = { hour: 2080, day: 260, week: 52, month: 12, year: 1 };

function salary(rand: Rand): { salary: Salary | null; annualMin: number | null; annualMax: number | null } {
  if (chance(rand, 0.4)) return { salary: null, annualMin: null, annualMax: null };
  const currency = pick(rand, ['USD', 'USD', 'USD', 'EUR', 'GBP', 'CAD', 'INR', null, 'XYZ'] as const);
  const period = pick(rand, ['year', 'year', 'year', 'year', 'hour', 'month', 'day'] as const);
  const yearly = currency === 'INR' ? 1_000_000 + Math.floor(rand() * 4_000_000) : 40_000 + Math.floor(rand() * 200_000);
  const min = Math.round(yearly / PERIOD_FACTORS[period]);
  const max = chance(rand, 0.7) ? Math.round(min * (1.1 + rand() * 0.4)) : null;
  return {
    salary: { min, max, currency, period },
    annualMin: min * PERIOD_FACTORS[period],
    annualMax: max === null ? null : max * PERIOD_FACTORS[period],
  };
}

/** `n` normalized postings around `now`, published up to 20 days before it (so max_age fails some). */
export function generatePostings(n: number, now: Date, seed = 2): Posting[] {
  const rand = prng(seed);
  const postings: Posting[] = [];
  for (let i = 0; i < n; i++) {
    const [levelWord, level] = pick(rand, TITLE_LEVELS);
    const role = titleRole(rand);
    const [location, arrangement, remoteRegions] = pick(rand, LOCATIONS);
    const company = chance(rand, 0.9) ? pick(rand, COMPANIES) : null;
    let title = `${levelWord} ${role}`.trim();
    const shape = rand();
    if (shape < 0.1) title = `${company ?? 'Acme'} | ${title} | ${location ?? 'Remote (US)'} | $150k-$190k`;
    else if (shape < 0.2) title += `, ${pick(rand, ['Payments', 'Growth', 'Platform', 'Crypto Team', 'Search', 'Ads'])}`;
    else if (shape < 0.25) title += ` (${pick(rand, ['Berlin', 'Remote', 'Junior/Mid', 'NYC', 'London'])})`;
    else if (shape < 0.28) title += ' - Berlin';
    else if (shape < 0.3) title = `  ${title}   II `;
    postings.push({
      feed: `feed-${i % 50}`,
      sourceId: `id-${i}`,
      url: `https://jobs.example.com/${i}`,
      canonicalUrl: `https://jobs.example.com/${i}`,
      title,
      company,
      location,
      description: description(rand, 1500 + Math.floor(rand() * 3000)),
      published: chance(rand, 0.05) ? null : new Date(now.getTime() - Math.floor(rand() * 20 * 86_400_000)),
      ...salary(rand),
      arrangement,
      remoteRegions,
      seniority: level,
      role: null,
      tags: [],
    });
  }
  return postings;
}
