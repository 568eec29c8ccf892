import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectArrangement } from '../src/normalize/arrangement.js';
import { canonicalizeUrl } from '../src/normalize/canonical-url.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { boundedSourceId, FIELD_LIMITS } from '../src/normalize/field-limits.js';
import { detectRole } from '../src/normalize/role.js';
import { detectSeniority } from '../src/normalize/seniority.js';
import type { Arrangement, RawPosting, Seniority } from '../src/core/types.js';

// --- arrangement -------------------------------------------------------------------------------

interface ArrangementCase {
  name: string;
  title?: string;
  location?: string | null;
  description?: string;
  tags?: string[];
  arrangement: Arrangement;
  regions?: string[];
}

const ARRANGEMENTS: readonly ArrangementCase[] = [
  { name: 'location "Remote"', location: 'Remote', arrangement: 'remote', regions: [] },
  { name: '"(Remote)" in the title', title: 'Senior ML Engineer (Remote)', location: 'New York, NY', arrangement: 'remote', regions: [] },
  { name: '"Remote - US"', location: 'Remote - US', arrangement: 'remote', regions: ['US'] },
  { name: '"Remote (EMEA)"', location: 'Remote (EMEA)', arrangement: 'remote', regions: ['EMEA'] },
  { name: '"US Remote"', location: 'US Remote', arrangement: 'remote', regions: ['US'] },
  { name: '"Remote (US only)"', location: 'Remote (US only)', arrangement: 'remote', regions: ['US'] },
  { name: '"United States" as US', location: 'Remote, United States', arrangement: 'remote', regions: ['US'] },
  { name: '"Remote - Europe"', location: 'Remote - Europe', arrangement: 'remote', regions: ['Europe'] },
  { name: '"Anywhere" as unrestricted', location: 'Anywhere', arrangement: 'remote', regions: [] },
  { name: '"Worldwide" as unrestricted', location: 'Worldwide', arrangement: 'remote', regions: [] },
  { name: 'a country name', location: 'Remote - Germany', arrangement: 'remote', regions: ['Germany'] },
  { name: 'tags', tags: ['Remote', 'Full-time'], arrangement: 'remote', regions: [] },
  { name: '"work from home" in the body', location: null, description: 'This is a work from home position. Remote (US only).', arrangement: 'remote', regions: ['US'] },
  { name: '"fully remote" in the body', location: 'Toronto, ON', description: 'The position is fully remote within Canada.', arrangement: 'remote', regions: ['Canada'] },
  { name: 'a board header "🌎 Remote" in the body', location: null, description: '#### `💰 $135,000 to $180,000` `🌎 Remote`', arrangement: 'remote', regions: [] },
  { name: '"remote-first" in the body', description: 'We are a remote-first company.', arrangement: 'remote', regions: [] },
  { name: '"remote or hybrid" as remote', location: 'Remote or Hybrid - NYC', arrangement: 'remote', regions: [] },
  { name: 'hybrid in the location', location: 'New York, NY (Hybrid)', arrangement: 'hybrid' },
  { name: '"3 days in office"', location: 'London', description: 'You will be 3 days in office.', arrangement: 'hybrid' },
  { name: '"2 days a week in the office"', location: 'Berlin', description: 'We meet 2 days a week in the office.', arrangement: 'hybrid' },
  { name: '"in office 5 days" as onsite', location: 'London', description: 'Expect to be in office 5 days a week.', arrangement: 'onsite' },
  { name: '"on-site" in the location', location: 'On-site - Chicago, IL', arrangement: 'onsite' },
  { name: '"must be located in ... and work from our office"', location: 'Austin, TX', description: 'You must be located in Austin and work from our office.', arrangement: 'onsite' },
  { name: '"this is not a remote position"', location: 'San Francisco, CA', description: 'Please note: this is not a remote position.', arrangement: 'onsite' },
  { name: 'remote only as a body word', location: 'San Francisco, CA', description: 'Comfortable with remote collaboration tools like Zoom and Slack.', arrangement: 'unknown' },
  { name: '"hybrid cloud" is a technology', location: 'Berlin', description: 'You will build our hybrid cloud platform.', arrangement: 'unknown' },
  { name: '"Remote Sensing" in a title', title: 'Remote Sensing Scientist', location: 'Boulder, CO', arrangement: 'unknown' },
  { name: 'location over the body', location: 'Remote', description: 'Optional: join us 2 days a week in the office.', arrangement: 'remote' },
  { name: 'nothing stated', location: 'San Francisco, CA', description: 'Join our team.', arrangement: 'unknown' },
];

// Descriptions as postings write them: what they say about THIS job wins over what they say about the
// company, a negated "remote work" is not remote, and a stated office schedule outweighs a remote mention.
const BODY_ARRANGEMENTS: readonly ArrangementCase[] = [
  {
    name: 'an on-site role that also says "we do not offer remote work"',
    location: 'San Francisco, CA',
    description:
      'Location: San Francisco, CA (on-site). This role is on-site, 5 days a week in our San Francisco office. We do not offer remote work for this position.',
    arrangement: 'onsite',
  },
  {
    name: '"we do not offer remote work for this position" alone',
    location: 'San Francisco, CA',
    description: 'Location: San Francisco, CA. We do not offer remote work for this position.',
    arrangement: 'onsite',
  },
  { name: '"5 days a week in our San Francisco office"', location: null, description: 'This role is 5 days a week in our San Francisco office.', arrangement: 'onsite' },
  { name: 'an on-site position that is "unable to offer remote work"', description: 'This is an on-site position. We are unable to offer remote work.', arrangement: 'onsite' },
  { name: '"unable to offer remote work" alone', description: 'We are unable to offer remote work.', arrangement: 'onsite' },
  {
    name: '"Hybrid: 3 days a week in our New York City office" over "Remote work on Fridays"',
    location: 'New York, NY',
    description: 'Hybrid: 3 days a week in our New York City office. Remote work on Fridays.',
    arrangement: 'hybrid',
  },
  { name: '"Remote work on Fridays" alone as hybrid (remote on some days only)', location: 'New York, NY', description: 'Remote work on Fridays.', arrangement: 'hybrid' },
  {
    name: 'this role over the company: "we support remote work for most roles, but this role is on-site"',
    description: 'We support remote work for most roles, but this role is on-site.',
    arrangement: 'onsite',
  },
  { name: 'a company-wide "we support remote work for most roles" alone', description: 'We support remote work for most roles.', arrangement: 'remote' },
  {
    name: 'a remote-first company hiring for an office role',
    location: 'Austin, TX',
    description: "We're a remote-first company, but this position is based in our Austin office five days a week.",
    arrangement: 'onsite',
  },
  {
    name: 'a fully remote role at a company whose teams meet in the office',
    location: 'London',
    description: 'Most of our teams work 3 days a week in our London office; this role is fully remote within the UK.',
    arrangement: 'remote',
    regions: ['UK'],
  },
  { name: '"no remote"', location: 'Chicago, IL', description: 'Please note: no remote. You will join the platform team at our Chicago HQ.', arrangement: 'onsite' },
  { name: '"not open to remote candidates"', location: 'Denver, CO', description: 'This role is not open to remote candidates.', arrangement: 'onsite' },
  { name: '"remote work is not available"', location: 'Boston, MA', description: 'Remote work is not available for this role.', arrangement: 'onsite' },
  { name: '"remote candidates will not be considered"', location: 'Boston, MA', description: 'Remote candidates will not be considered.', arrangement: 'onsite' },
  { name: '"no option to work remotely"', location: 'Calgary, AB', description: 'There is no option to work remotely.', arrangement: 'onsite' },
  { name: '"4 days a week from our NYC HQ"', location: null, description: 'You will work 4 days a week from our NYC HQ.', arrangement: 'hybrid' },
  {
    name: 'an on-site role that mentions remote-first vendors and remote access',
    location: 'Nashville, TN',
    description:
      'This is an on-site role in our Nashville office, five days a week.\n\nYou will work with our remote-first vendor teams and maintain our remote access VPN.',
    arrangement: 'onsite',
  },
  { name: '"Workplace type: Hybrid"', location: 'Toronto, ON', description: 'Employment type: Full-time\nWorkplace type: Hybrid', arrangement: 'hybrid' },
  { name: '"Hybrid, 3 days in our King’s Cross office"', location: 'London', description: 'Hybrid, 3 days in our King’s Cross office.', arrangement: 'hybrid' },
  {
    name: 'office days named as weekdays ("Tuesday through Thursday")',
    location: 'Austin, TX',
    description: 'We work hybrid from our East Austin office (Tuesday through Thursday in the office).',
    arrangement: 'hybrid',
  },
  {
    name: 'three named weekdays in the office, no "hybrid" word',
    location: 'New York, NY',
    description: 'Our New York team works from the Flatiron office on Tuesdays, Wednesdays and Thursdays.',
    arrangement: 'hybrid',
  },
  { name: '"Location: Bengaluru (Work from office)"', location: 'Bengaluru', description: 'Experience: 6-10 years\nLocation: Bengaluru (Work from office)', arrangement: 'onsite' },
  { name: '"Work Location: In person"', location: 'Dayton, OH 45402', description: 'Job Type: Full-time\n\nWork Location: In person', arrangement: 'onsite' },
  { name: 'a header line "Full Time · Hybrid · Senior"', location: 'Singapore', description: 'SGD 8,000 - 11,000 per month\nFull Time · Hybrid · Senior', arrangement: 'hybrid' },
  { name: 'a negation that does not reach across a comma', description: 'No relocation needed, fully remote within the US.', arrangement: 'remote', regions: ['US'] },
  { name: '"no prior remote experience" says nothing', location: 'Austin, TX', description: 'No prior remote experience required.', arrangement: 'unknown' },
  { name: 'an office closed on Fridays says nothing', location: 'Austin, TX', description: 'Our office is closed on Fridays.', arrangement: 'unknown' },
  { name: '"(onsite 4 days)" in a title as hybrid', title: 'Yarrow | ML Engineer (Senior) | SF Bay Area (onsite 4 days) | $190-240k', arrangement: 'hybrid' },
  {
    name: '"(hybrid) or Remote (Canada)" in a location as remote',
    location: 'Vancouver, BC (hybrid) or Remote (Canada)',
    arrangement: 'remote',
    regions: ['Canada'],
  },
];

// Location fields that name only where a remote worker may live (remote-only boards write nothing else),
// and the places that are not such fields.
const REGION_LOCATIONS: readonly ArrangementCase[] = [
  { name: 'a "USA Only" board location', title: 'Senior Platform Engineer', location: 'USA Only', description: 'We build billing software for dentists.', arrangement: 'remote', regions: ['US'] },
  { name: '"Anywhere in the World" as unrestricted', location: 'Anywhere in the World', description: 'Help us ship our mobile app.', arrangement: 'remote', regions: [] },
  { name: '"Americas" alone', location: 'Americas', arrangement: 'remote', regions: ['Americas'] },
  { name: '"North America Only"', location: 'North America Only', arrangement: 'remote', regions: ['North America'] },
  { name: '"LATAM" alone', location: 'LATAM', description: 'Contract, paid in USD.', arrangement: 'remote', regions: ['LATAM'] },
  { name: '"EMEA" alone', location: 'EMEA', arrangement: 'remote', regions: ['EMEA'] },
  { name: '"UK Only"', location: 'UK Only', arrangement: 'remote', regions: ['UK'] },
  { name: 'a continent with a time zone, "Europe (CET ± 3h)"', location: 'Europe (CET ± 3h)', arrangement: 'remote', regions: ['Europe'] },
  { name: '"US residents only"', location: 'US residents only', arrangement: 'remote', regions: ['US'] },
  { name: 'a bare country with a silent description', location: 'United States', description: 'We help 3,000 clinics bill insurers.', arrangement: 'remote', regions: ['US'] },
  { name: 'two bare countries', location: 'Canada, United States', arrangement: 'remote', regions: ['Canada', 'US'] },
  {
    name: 'a bare country whose description states hybrid work',
    location: 'Germany',
    description: 'Hybrid, 3 days a week in our Munich office.',
    arrangement: 'hybrid',
  },
  {
    name: 'a bare country whose description places the job in an office (nothing known)',
    location: 'United States',
    description: 'This position is based in our Chicago office.',
    arrangement: 'unknown',
  },
  {
    name: 'a region location outweighed only by a statement about this job',
    location: 'Europe',
    description: 'This role is hybrid, with 2 days a week in our Lisbon office.',
    arrangement: 'hybrid',
  },
  {
    name: 'a region location not outweighed by an on-site get-together',
    location: 'USA Only',
    description: 'We get together on-site at our HQ twice a year.',
    arrangement: 'remote',
    regions: ['US'],
  },
  { name: 'a city-state is an office address', location: 'Singapore', arrangement: 'unknown' },
  { name: 'a city and its country', location: 'Berlin, Germany', arrangement: 'unknown' },
  { name: 'a US state named like a country ("New Mexico")', location: 'New Mexico', arrangement: 'unknown' },
  { name: '"Remote in Europe." in the body', location: null, description: 'Fjordline builds ferry booking software. Remote in Europe.', arrangement: 'remote', regions: ['Europe'] },
  { name: '"remote in" before something that is not a place', location: 'Austin, TX', description: 'Experience working remote in Agile teams.', arrangement: 'unknown' },
  { name: '"We\'re a remote company"', location: null, description: "We're a remote company of 40 people.", arrangement: 'remote', regions: [] },
  // Held-out corpus findings (test/fixtures/postings-holdout).
  { name: '"3 days WFO" (office days written as WFO)', location: 'Gurugram', description: 'Flexible working: 3 days WFO at our Cyber City campus.', arrangement: 'hybrid' },
  { name: '"4 days work from office"', location: 'Chennai', description: 'Shift: general. We follow 4 days work from office.', arrangement: 'hybrid' },
  { name: '"Work From Office" capitalised, alone', location: 'Noida', description: 'Work From Office (Sector 62), Monday to Friday.', arrangement: 'onsite' },
  { name: 'Job Bank\'s "Work setting" label', location: 'Halifax, NS', description: 'Terms of employment: Permanent\nWork setting: On site\nLanguages: English', arrangement: 'onsite' },
  { name: 'a contractor "at the client site 5 days a week"', location: 'Leeds', description: 'Rate: £450/day. You will be at the client site 5 days a week.', arrangement: 'onsite' },
  { name: 'a contractor "on client site 2 days a week"', location: 'Birmingham', description: 'Inside IR35. On client site 2 days a week, the rest from home.', arrangement: 'hybrid' },
  {
    name: 'an office city whose remote option names another region ("or remote within the EU")',
    location: 'Porto, Portugal',
    description: 'Work from Porto or remote within the EU.',
    arrangement: 'remote',
    regions: ['Europe'],
  },
  { name: '"remote for Canada-based candidates only"', location: 'Ottawa', description: 'This role is fully remote for Canada-based candidates only.', arrangement: 'remote', regions: ['Canada'] },
  { name: '"Remote possible within Austria"', location: 'Wien', description: 'Remote possible within Austria, or hybrid from Vienna.', arrangement: 'remote', regions: ['Austria'] },
];

// French and German postings (StepStone, Welcome to the Jungle, jobs.ch).
const FR_DE_ARRANGEMENTS: readonly ArrangementCase[] = [
  { name: '"Bis zu 2 Tage Homeoffice pro Woche"', location: 'München', description: 'Unbefristet, Vollzeit\nBis zu 2 Tage Homeoffice pro Woche', arrangement: 'hybrid' },
  { name: '"Mobiles Arbeiten an 3 Tagen pro Woche"', location: 'Stuttgart', description: 'Mobiles Arbeiten an 3 Tagen pro Woche.', arrangement: 'hybrid' },
  { name: '"hybrides Arbeiten"', location: 'Leipzig', description: 'Wir bieten hybrides Arbeiten und flexible Arbeitszeiten.', arrangement: 'hybrid' },
  { name: '"Homeoffice-Möglichkeit" among benefits', location: 'Bremen', description: '30 Tage Urlaub, Homeoffice-Möglichkeit und Jobrad.', arrangement: 'hybrid' },
  { name: '"komplett remote"', location: 'Dresden', description: 'Die Stelle ist komplett remote.', arrangement: 'remote', regions: [] },
  {
    name: '"Vollständig remote innerhalb Deutschlands" with its region',
    location: 'Köln',
    description: 'Vollständig remote innerhalb Deutschlands möglich.',
    arrangement: 'remote',
    regions: ['Germany'],
  },
  { name: '"in Präsenz" at a site', location: 'Stuttgart', description: 'Die Tätigkeit erfolgt in Präsenz an unserem Standort Stuttgart.', arrangement: 'onsite' },
  { name: '"vor Ort in ..."', location: 'Nürnberg', description: 'Arbeit vor Ort in Nürnberg, Gleitzeit.', arrangement: 'onsite' },
  { name: '"Homeoffice ist leider nicht möglich"', location: 'Hannover', description: 'Homeoffice ist leider nicht möglich.', arrangement: 'onsite' },
  { name: '"3 Tage Urlaub" is leave, not home office', location: 'Berlin', description: 'Homeoffice, 3 Tage Urlaub extra.', arrangement: 'unknown' },
  { name: '"Hybrid-Cloud" is a technology', location: 'Berlin', description: 'Du betreibst unsere Hybrid-Cloud.', arrangement: 'unknown' },
  { name: '"Télétravail : 2 jours par semaine"', location: 'Bordeaux', description: 'CDI\nTélétravail : 2 jours par semaine', arrangement: 'hybrid' },
  { name: '"Télétravail partiel possible"', location: 'Nantes', description: 'Télétravail partiel possible.', arrangement: 'hybrid' },
  { name: '"3 jours au bureau, 2 jours de télétravail"', location: 'Lille', description: 'Rythme : 3 jours au bureau, 2 jours de télétravail.', arrangement: 'hybrid' },
  { name: '"100% télétravail"', location: 'Toulouse', description: 'Poste en 100% télétravail.', arrangement: 'remote', regions: [] },
  { name: '"Full remote depuis toute la France" with its region', location: null, description: 'Full remote depuis toute la France.', arrangement: 'remote', regions: ['France'] },
  { name: '"sur site"', location: 'Nantes', description: 'Poste basé sur site à Nantes.', arrangement: 'onsite' },
  { name: '"Pas de télétravail"', location: 'Rennes', description: 'Pas de télétravail pour ce poste.', arrangement: 'onsite' },
  { name: '"25 jours de congés" says nothing', location: 'Lyon', description: '25 jours de congés et RTT.', arrangement: 'unknown' },
  { name: '"Télétravail : total" as a label', location: 'Paris', description: 'Contrat : CDI\nTélétravail : total', arrangement: 'remote', regions: [] },
];

for (const c of [...ARRANGEMENTS, ...BODY_ARRANGEMENTS, ...REGION_LOCATIONS, ...FR_DE_ARRANGEMENTS]) {
  test(`detectArrangement() reads ${c.name}`, () => {
    const found = detectArrangement({ title: c.title ?? 'Engineer', location: c.location ?? null, description: c.description ?? '', tags: c.tags });
    assert.equal(found.arrangement, c.arrangement);
    assert.deepEqual(found.regions, c.regions ?? []);
  });
}

// --- seniority ---------------------------------------------------------------------------------

const SENIORITIES: ReadonlyArray<readonly [string, Seniority | null]> = [
  ['Software Engineering Intern (Summer 2025)', 'intern'],
  ['Co-op Student, Software', 'intern'],
  ['Junior Developer', 'junior'],
  ['Jr. Data Analyst', 'junior'],
  ['Entry Level Software Engineer', 'junior'],
  ['Associate Engineer', 'junior'],
  ['New Grad Software Engineer', 'junior'],
  ['Software Engineer I', 'junior'],
  ['Software Engineer II', 'mid'],
  ['Mid-level Backend Developer', 'mid'],
  ['Intermediate Developer', 'mid'],
  ['Senior Machine Learning Engineer', 'senior'],
  ['Sr. ML Engineer', 'senior'],
  ['Snr Data Scientist', 'senior'],
  ['Software Engineer III', 'senior'],
  ['Staff Engineer', 'staff'],
  ['Senior Staff Engineer', 'staff'],
  ['Engineer IV', 'staff'],
  ['Principal Engineer', 'principal'],
  ['Software Engineer V', 'principal'],
  ['Distinguished Engineer', 'principal'],
  ['Tech Lead', 'lead'],
  ['Team Lead, Platform', 'lead'],
  ['Senior Tech Lead', 'lead'],
  ['Lead ML Engineer', 'lead'],
  // A tech/team lead second role: the title is at the level of the rest of it.
  ['Senior ML Engineer & Tech Lead', 'senior'],
  ['Senior Machine Learning Engineer / Tech Lead', 'senior'],
  ['Senior Software Engineer, Team Lead', 'senior'],
  ['Staff Engineer (Tech Lead)', 'staff'],
  ['Backend Engineer / Tech Lead', 'lead'],
  ['Engineering Manager', 'manager'],
  ['Senior Manager', 'manager'],
  ['Head of Data', 'director'],
  ['Director of Data Science', 'director'],
  ['VP of Engineering', 'director'],
  ['Associate Director, Analytics', 'director'],
  ['Senior Product Manager', 'senior'],
  ['Product Manager', null],
  ['Software Engineer', null],
  ['Machine Learning Engineer', null],
  ['Lead Generation Specialist', null],
  ['Mid-Market Account Executive', null],
  // "Member of Technical Staff" is a title, not the staff level.
  ['Member of Technical Staff', null],
  ['Member of Technical Staff, Inference', null],
  ['Senior Member of Technical Staff', 'senior'],
  // Job names that contain "manager" without managing people; people managers stay managers.
  ['Product Marketing Manager', null],
  ['Senior Product Marketing Manager', 'senior'],
  ['Partner Manager, EMEA', null],
  ['Community Manager', null],
  ['Account Manager', null],
  ['Office Manager', null],
  ['Manager, Data Science', 'manager'],
  ['Senior Engineering Manager', 'manager'],
  ['Design Manager', 'manager'],
  // Issue 7: a manager LEVEL manages people ("Manager" first or alone, or after a team of people);
  // "<domain> Manager" where the domain is a thing managed is a job name.
  ['Care Manager', null],
  ['Portfolio Manager - Freelance', null],
  ['Compliance Manager', null],
  ['Business Compliance Manager - Payments', null],
  ['Growth Manager, West Africa', null],
  ['Operations Manager - Johannesburg', null],
  ['Senior Operations Manager, Equities', 'senior'],
  ['Senior Treasury Manager', 'senior'],
  ['Business Development Manager, Media', null],
  ['Partnership & Business Development Manager', null],
  ['Junior Publisher Development Manager', 'junior'],
  ['Junior Publisher Development Manager (Africa & Middle East)', 'junior'],
  ['Assistant Pricing Manager', null],
  ['QA Manager - Logistics', 'manager'],
  ['Analytics Manager', 'manager'],
  ['Data Analytics Manager (Risk/Fraud)', 'manager'],
  ['Internal Audit Manager - Japan', 'manager'],
  ['Sales Manager', 'manager'],
  ['Software Development Manager', 'manager'],
  ['Technical Architect Manager', 'manager'],
  ['General Manager', 'manager'],
  ['Associate Manager, Finance Operations', 'manager'],
  ['Manager Revenue Accounting', 'manager'],
  ['Senior Manager, Change Enablement', 'manager'],
  ['Platform Engineering Managers', 'manager'],
  ['Financial Accountant/ Manager (12 months contract)', null],
  ['Product Marketing Manager/Senior Manager', null],
  // C-level titles are director; a C-level's office is not.
  ['CFO', 'director'],
  ['RVP of Sales', 'director'],
  ['Accelerator Program - CEO Office (Monitorship)', null],
  // Several levels listed: the first.
  ['Backend Developer (Junior/Mid)', 'junior'],
  ['Mid/Senior Data Engineer', 'mid'],
  ['Senior or Staff Backend Engineer', 'senior'],
  ['Junior to Mid-level QA Engineer', 'junior'],
  ['Northwind | Senior Data Engineer, Staff Data Engineer | Remote (US)', 'senior'],
  ['Staff/Senior Security Software Engineer or SRE - Infrastructure', 'staff'],
  // A header's company field states no level.
  ['Lead Bank | Platform Engineer | Kansas City, MO', null],
  // French and German titles.
  ['Stage - Data Analyst (6 mois)', 'intern'],
  ['Stage de fin d’études – Ingénieur DevOps', 'intern'],
  ['Stagiaire Marketing Digital', 'intern'],
  ['Alternance - Développeur Web', 'intern'],
  ['Praktikum Softwareentwicklung (m/w/d)', 'intern'],
  ['Pflichtpraktikum im Bereich Data', 'intern'],
  ['Werkstudentin Backend-Entwicklung', 'intern'],
  ['Berufseinsteiger Java-Entwickler (m/w/d)', 'junior'],
  ['Développeur Sénior React', 'senior'],
  ['Teamleiter Softwareentwicklung (m/w/d)', 'lead'],
  ['Leiter IT-Infrastruktur (m/w/d)', 'director'],
  ['Founding Engineer (Early Stage)', null],
  ['Early Careers - Cape Town', 'junior'],
];

for (const [title, expected] of SENIORITIES) {
  test(`detectSeniority() reads "${title}" as ${expected ?? 'unknown'}`, () => {
    assert.equal(detectSeniority(title), expected);
  });
}

// --- role --------------------------------------------------------------------------------------

const ROLES: ReadonlyArray<readonly [string, string | null]> = [
  ['Senior Machine Learning Engineer', 'ml engineer'],
  ['Sr. ML Engineer', 'ml engineer'],
  ['MLE II', 'ml engineer'],
  ['Engineer, Machine Learning', 'ml engineer'],
  ['AI/ML Engineer', 'ml engineer'],
  ['Machine Learning Platform Engineer', 'ml engineer'],
  ['Machine Learning Scientist', 'research scientist'],
  ['Research Scientist', 'research scientist'],
  ['Data Scientist, Machine Learning', 'data scientist'],
  ['Senior Data Engineer (Remote)', 'data engineer'],
  ['Data Analyst', 'data analyst'],
  ['Senior Software Engineer', 'software engineer'],
  ['SWE', 'software engineer'],
  ['Software Engineer, Backend', 'backend engineer'],
  ['Frontend Developer (React)', 'frontend engineer'],
  ['Full-Stack Engineer', 'full-stack engineer'],
  ['iOS Engineer', 'mobile engineer'],
  ['Site Reliability Engineer', 'devops engineer'],
  ['Platform Engineer', 'devops engineer'],
  ['Application Security Engineer', 'security engineer'],
  ['Software Engineer in Test', 'qa engineer'],
  ['Senior Product Manager, Growth', 'product manager'],
  ['Product Designer', 'designer'],
  ['Engineering Manager', 'engineering manager'],
  ['Manager, Software Engineering', 'engineering manager'],
  ['Frontend Engineer, AI Products', 'frontend engineer'],
  ['Head of Data', null],
  ['Account Executive', null],
  ['Developer Advocate', null],
  // Research is not design.
  ['UX Researcher', null],
  ['Senior UX Researcher', null],
  ['UX/UI Designer', 'designer'],
  // German and French titles.
  ['Softwareentwickler C# (m/w/d)', 'software engineer'],
  ['Software-Entwicklerin Java', 'software engineer'],
  ['Backend-Entwickler Kotlin (m/w/d)', 'backend engineer'],
  ['Geschäftsentwickler B2B', null],
  ['Développeur Python', 'software engineer'],
  ['Développeuse Front-End', 'frontend engineer'],
  ['Ingénieur logiciel embarqué', 'software engineer'],
  ['Développeur commercial', null],
  // Game and graphics engineers write software.
  ['Senior Gameplay Programmer', 'software engineer'],
  ['Graphics Engineer', 'software engineer'],
  ['Member of Technical Staff, Machine Learning', 'ml engineer'],
  // Headers and lists: the first job named; a shared plural noun over different roles names none.
  ['Northwind | Data Engineer, Analytics Engineer | Remote', 'data engineer'],
  ['Northwind | ML Engineer / Data Scientist | Remote (US)', 'ml engineer'],
  ['Frontend Guild | Backend Engineer | Remote', 'backend engineer'],
  ['Backend, Frontend and Mobile Engineers', null],
  ['iOS and Android Developers', 'mobile engineer'],
  ['Senior Data Engineers', 'data engineer'],
  // A Business or Publisher Development Manager sells; it is not an engineering manager.
  ['Business Development Manager, Commerce Media', null],
  ['Publisher Development Manager', null],
  ['Manager, Card Business Development & Operations', null],
  ['Software Development Manager', 'engineering manager'],
  ['Manager, Software Engineering', 'engineering manager'],
  ['Senior Large Language Model Algorithm Engineer', 'ml engineer'],
  ['Senior Sales Engineer, Data & AI Security', null],
];

for (const [title, expected] of ROLES) {
  test(`detectRole() reads "${title}" as ${expected ?? 'unknown'}`, () => {
    assert.equal(detectRole(title), expected);
  });
}

test('detectRole() ignores ML in the body: it only sees the title', () => {
  const raw = rawPosting({ title: 'Senior Software Engineer', description: 'You will build machine learning models as an ML engineer.' });
  assert.equal(normalizePosting(raw, 'feed').role, 'software engineer');
});

// --- canonicalizeUrl ---------------------------------------------------------------------------

const URLS: ReadonlyArray<readonly [string, string, string]> = [
  ['lower-cases scheme and host, keeps path case', 'HTTPS://Jobs.Example.COM/Jobs/ABC123', 'https://jobs.example.com/Jobs/ABC123'],
  ['drops the default port', 'https://example.com:443/jobs/1', 'https://example.com/jobs/1'],
  ['keeps a non-default port', 'http://example.com:8080/jobs/1', 'http://example.com:8080/jobs/1'],
  ['drops the fragment', 'https://example.com/jobs/1#apply', 'https://example.com/jobs/1'],
  ['removes utm_* parameters', 'https://example.com/jobs/1?utm_source=x&utm_medium=rss&utm_campaign=y', 'https://example.com/jobs/1'],
  [
    'removes ref, source, gh_src, lever and click ids',
    'https://example.com/j?ref=hn&source=feed&gh_src=abc&lever-source=x&lever-origin=y&fbclid=1&gclid=2&trk=3&trackingId=4',
    'https://example.com/j',
  ],
  ['keeps gh_jid, which names a Greenhouse job', 'https://boards.greenhouse.io/acme?gh_jid=4012345&gh_src=rss', 'https://boards.greenhouse.io/acme?gh_jid=4012345'],
  ['sorts the remaining parameters', 'https://example.com/search?b=2&a=1&utm_source=x&c=3', 'https://example.com/search?a=1&b=2&c=3'],
  ['drops a trailing slash on a non-root path', 'https://example.com/jobs/123/', 'https://example.com/jobs/123'],
  ['keeps the root slash', 'https://example.com/', 'https://example.com/'],
  ['keeps the encoding of kept parameters', 'https://example.com/j?q=a%20b&id=X%2FY', 'https://example.com/j?id=X%2FY&q=a%20b'],
  ['returns an invalid URL trimmed as is', '  not a url  ', 'not a url'],
];

for (const [name, input, expected] of URLS) {
  test(`canonicalizeUrl() ${name}`, () => {
    assert.equal(canonicalizeUrl(input), expected);
  });
}

test('canonicalizeUrl() gives the same URL for two tracking variants of one posting', () => {
  const a = canonicalizeUrl('https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253?utm_source=rss#top');
  const b = canonicalizeUrl('https://WWW.remotewlb.com/apply/senior-machine-learning-engineer-136253/?ref=twitter');
  assert.equal(a, b);
});

// --- normalizePosting --------------------------------------------------------------------------

function rawPosting(overrides: Partial<RawPosting> = {}): RawPosting {
  return {
    sourceId: 'id-1',
    url: 'https://example.com/jobs/1',
    title: 'Engineer',
    company: 'Acme',
    location: null,
    description: '',
    published: null,
    ...overrides,
  };
}

test('normalizePosting() normalizes the seed posting', () => {
  const description = readFileSync(new URL('./fixtures/seed-posting.txt', import.meta.url), 'utf8');
  const published = new Date('2025-06-01T12:00:00Z');
  const raw = rawPosting({
    sourceId: 'remotewlb-136253',
    url: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253?utm_source=rss',
    title: '  Senior Machine Learning Engineer ',
    company: 'Nomad Health',
    location: 'Remote',
    description,
    published,
  });

  const posting = normalizePosting(raw, 'remotewlb');

  assert.equal(posting.feed, 'remotewlb');
  assert.equal(posting.sourceId, 'remotewlb-136253');
  assert.equal(posting.canonicalUrl, 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253');
  assert.equal(posting.title, 'Senior Machine Learning Engineer');
  assert.equal(posting.company, 'Nomad Health');
  assert.equal(posting.location, 'Remote');
  assert.equal(posting.published, published);
  assert.equal(posting.arrangement, 'remote');
  assert.deepEqual(posting.remoteRegions, []);
  assert.deepEqual(posting.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
  assert.equal(posting.annualMin, 135000);
  assert.equal(posting.annualMax, 180000);
  assert.equal(posting.seniority, 'senior');
  assert.equal(posting.role, 'ml engineer');
  assert.deepEqual(posting.tags, []);
});

test('normalizePosting() collapses whitespace in title, company and location; empty becomes null', () => {
  const posting = normalizePosting(rawPosting({ title: 'Senior\n  Data\tEngineer', company: '  ', location: ' New   York,\nNY ' }), 'f');
  assert.equal(posting.title, 'Senior Data Engineer');
  assert.equal(posting.company, null);
  assert.equal(posting.location, 'New York, NY');
});

test('normalizePosting() strips NUL characters from every stored text, as both stores then keep it', () => {
  const nul = normalizePosting(
    rawPosting({
      sourceId: 'id\u0000-1',
      url: 'https://example.com/jobs/1\u0000?utm_source=x',
      title: 'Senior\u0000 Data Engineer\u0000',
      company: '\u0000',
      location: 'Berlin\u0000',
      description: 'Pay: \u0000$120,000 - $150,000 per year.\u0000',
      tags: ['py\u0000thon'],
    }),
    'f',
  );
  assert.ok(!JSON.stringify(nul).includes('\\u0000'), JSON.stringify(nul));
  assert.deepEqual(
    [nul.sourceId, nul.url, nul.canonicalUrl, nul.title, nul.company, nul.location, nul.description, nul.tags],
    ['id-1', 'https://example.com/jobs/1?utm_source=x', 'https://example.com/jobs/1', 'Senior Data Engineer', null, 'Berlin', 'Pay: $120,000 - $150,000 per year.', ['python']],
  );
  assert.equal(nul.annualMax, 150_000, 'the text is read without its NULs');
  // A poll lists its items' ids with boundedSourceId: the same ids normalize stores.
  assert.equal(boundedSourceId('id\u0000-1'), nul.sourceId);
  const long = `${'x'.repeat(FIELD_LIMITS.sourceId)}\u0000`;
  assert.equal(boundedSourceId(long), 'x'.repeat(FIELD_LIMITS.sourceId), 'within the limit once its NUL is gone');
});

test('normalizePosting() lets a structured salary win over the text', () => {
  const structured = { min: 140000, max: 200000, currency: 'USD', period: 'year' } as const;
  const posting = normalizePosting(rawPosting({ description: 'Salary: $90k-$100k.', salary: structured }), 'f');
  assert.deepEqual(posting.salary, structured);
  assert.equal(posting.annualMin, 140000);
  assert.equal(posting.annualMax, 200000);
});

test('normalizePosting() annualizes an hourly salary found in the text', () => {
  const posting = normalizePosting(rawPosting({ description: 'Pay: $60-$75/hr.', salary: null }), 'f');
  assert.deepEqual(posting.salary, { min: 60, max: 75, currency: 'USD', period: 'hour' });
  assert.equal(posting.annualMin, 124800);
  assert.equal(posting.annualMax, 156000);
});

test('normalizePosting() leaves salary and annual bounds null when none is stated', () => {
  const posting = normalizePosting(rawPosting({ description: 'Competitive salary.' }), 'f');
  assert.equal(posting.salary, null);
  assert.equal(posting.annualMin, null);
  assert.equal(posting.annualMax, null);
});

test('normalizePosting() lets a structured arrangement win, still finding regions in the text', () => {
  const posting = normalizePosting(rawPosting({ location: 'United States', description: 'Join our office.', arrangement: 'remote' }), 'f');
  assert.equal(posting.arrangement, 'remote');
  assert.deepEqual(posting.remoteRegions, ['US']);
});

test('normalizePosting() ignores a structured "unknown" arrangement and reads the text', () => {
  const posting = normalizePosting(rawPosting({ location: 'Remote - Canada', arrangement: 'unknown' }), 'f');
  assert.equal(posting.arrangement, 'remote');
  assert.deepEqual(posting.remoteRegions, ['Canada']);
});

test('normalizePosting() keeps feed tags', () => {
  const posting = normalizePosting(rawPosting({ tags: ['python', 'remote'] }), 'f');
  assert.deepEqual(posting.tags, ['python', 'remote']);
  assert.equal(posting.arrangement, 'remote');
});

test('normalizePosting() repairs mojibake in title, company, location and description', () => {
  const posting = normalizePosting(
    rawPosting({ title: 'Nomadâ€™s ML Engineer', company: 'CafÃ© Labs', location: 'ZÃ¼rich', description: 'ðŸ’° Donâ€™t miss it' }),
    'f',
  );
  assert.equal(posting.title, 'Nomad’s ML Engineer');
  assert.equal(posting.company, 'Café Labs');
  assert.equal(posting.location, 'Zürich');
  assert.equal(posting.description, '💰 Don’t miss it');
});

test('normalizePosting() reads an on-site posting that says it does not offer remote work as onsite', () => {
  const posting = normalizePosting(
    rawPosting({
      title: 'Senior ML Engineer & Tech Lead',
      location: 'San Francisco, CA',
      description:
        'We support remote work for most roles, but this role is on-site, 5 days a week in our San Francisco office. ' +
        'We do not offer remote work for this position.',
    }),
    'f',
  );
  assert.equal(posting.arrangement, 'onsite');
  assert.deepEqual(posting.remoteRegions, []);
  assert.equal(posting.seniority, 'senior');
});

test('normalizePosting() decodes entities a scraper left in, then repairs mojibake spelled as entities', () => {
  const p = normalizePosting(
    {
      sourceId: 'x1',
      url: 'https://jobs.example.test/x1',
      title: 'Senior Data Engineer &ndash; R&amp;D',
      company: 'Smith &amp; Wesson Digital',
      location: 'Remote &#8211; US',
      description: 'We&rsquo;re hiring. Nomad&acirc;&euro;&trade;s data team. Salary: $150,000 &ndash; $180,000 per year.',
      published: null,
    },
    'board',
  );
  assert.equal(p.title, 'Senior Data Engineer – R&D');
  assert.equal(p.company, 'Smith & Wesson Digital');
  assert.match(p.description, /We’re hiring\. Nomad’s data team/);
  assert.deepEqual(p.salary, { min: 150000, max: 180000, currency: 'USD', period: 'year' });
});

test('normalizePosting() takes the location from a labelled line in the body when the source gives none', () => {
  const base = { sourceId: 'l1', url: 'https://jobs.example.test/l1', title: 'Data Scientist', company: 'Orbital', published: null };
  const cases: Array<[string, string | null]> = [
    ['We build maps.\nLocation: Berlin, Germany\nApply below.', 'Berlin, Germany'],
    ['**Location:** New York, NY\nSalary: $120,000 - $140,000', 'New York, NY'],
    ['Job Location - Brooklyn, NY', 'Brooklyn, NY'],
    ['Standort: München', 'München'],
    ['Relocation: we cover moving costs.', null],
    ['Our location strategy: we hire wherever we can pay people well and they can overlap with our core hours.', null],
  ];
  for (const [description, expected] of cases) {
    assert.equal(normalizePosting({ ...base, location: null, description }, 'f').location, expected, description);
  }
  assert.equal(normalizePosting({ ...base, location: 'Toronto, ON', description: 'Location: Berlin' }, 'f').location, 'Toronto, ON', 'the source field wins');
});

test('detectArrangement() reads a sentence that opens with "On-site in <place>" as onsite', () => {
  for (const description of ['On-site in Austin.', 'Great team, real problems. Onsite in Bengaluru.', 'In-office in London, Monday to Friday.']) {
    assert.equal(detectArrangement({ title: 'Backend Engineer', location: null, description }).arrangement, 'onsite', description);
  }
  assert.equal(detectArrangement({ title: 'Backend Engineer', location: null, description: 'Not on-site in Austin; fully remote.' }).arrangement, 'remote');
});

// ---------------------------------------------------------------------------------------------
// Where the work happens (issue 7): office options, perks, header markers

test('detectArrangement() reads an office offered beside remote work as remote, with the office as an option', () => {
  const denver = { title: 'Senior Engineer', location: 'Denver, CO', description: 'About the role\nWork from our Denver office or remotely anywhere in the US.\nYou will build things.' };
  assert.deepEqual(detectArrangement(denver), { arrangement: 'remote', regions: ['US'] });
  assert.deepEqual(detectArrangement({ title: 'Engineer', location: 'Denver, CO or Remote (US)', description: 'Build things.' }), { arrangement: 'remote', regions: ['US'] });
  assert.equal(detectArrangement({ title: 'Engineer', location: 'Austin, TX', description: 'You can work remotely or from one of our hubs.' }).arrangement, 'remote');
  // An office alone is still onsite.
  assert.equal(detectArrangement({ title: 'Engineer', location: 'Denver, CO', description: 'You will work from our Denver office.' }).arrangement, 'onsite');
});

test('normalizePosting() writes the office option into the location, so a city rule for it matches', () => {
  const posting = normalizePosting(
    rawPosting({ location: 'Denver, CO', description: 'Work from our Denver office or remotely anywhere in the US.' }),
    'f',
  );
  assert.equal(posting.arrangement, 'remote');
  assert.deepEqual(posting.remoteRegions, ['US']);
  assert.equal(posting.location, 'Denver, CO or Remote (US)');
  // A remote job whose location is its HQ keeps it as written.
  assert.equal(normalizePosting(rawPosting({ location: 'New York, NY', description: 'This is a fully remote role.' }), 'f').location, 'New York, NY');
});

test('detectArrangement() keeps an explicit hybrid model over a "Remote working:" perk under benefits', () => {
  const description =
    'We operate a hybrid working model, with two days a week in our London office.\n\nBenefits\nRemote working: work from anywhere for up to 4 weeks a year.\nPension';
  assert.equal(detectArrangement({ title: 'Engineer', location: 'London, UK', description }).arrangement, 'hybrid');
  assert.equal(detectArrangement({ title: 'Engineer', location: 'London, UK', description: 'Remote working: 100% remote.' }).arrangement, 'remote');
});

test('detectArrangement() lets a header marker (ONSITE, HYBRID, REMOTE) win over the country or region named', () => {
  const header = (place: string, marker: string): Arrangement =>
    detectArrangement({ title: 'Backend Engineer', location: place, description: `Acme | Backend Engineer | ${place} | ${marker}\nWe build.` }).arrangement;
  assert.equal(header('Europe', 'ONSITE'), 'onsite');
  assert.equal(header('EMEA', 'HYBRID'), 'hybrid');
  assert.equal(header('Germany', 'HYBRID'), 'hybrid');
  assert.equal(header('USA', 'ONSITE'), 'onsite');
  assert.equal(header('USA', 'REMOTE'), 'remote');
  assert.equal(detectArrangement({ title: 'Acme | Backend Engineer | Germany | ONSITE', location: null, description: 'We build.' }).arrangement, 'onsite');
});

// ---------------------------------------------------------------------------------------------
// Real-data classes (issue 7): what the posting states about this role, read as a careful reader does

const arrangementOf = (description: string, location: string | null = 'Cape Town', title = 'Engineer'): Arrangement =>
  detectArrangement({ title, location, description }).arrangement;

test('detectArrangement() reads LinkedIn workplace tags a recruiter appends (#LI-Hybrid) as the role’s arrangement', () => {
  const body = 'About us\nWe build partnership software.\n\nBenefits\n- Flexible PTO\n- A stipend for your home office\n\n';
  assert.equal(arrangementOf(`${body}#LI-Hybrid`), 'hybrid');
  assert.equal(arrangementOf(`${body}#LI_Hybrid\n#LI-BS2`), 'hybrid');
  assert.equal(arrangementOf(`${body}#Li-Hybrid_CapeTown`), 'hybrid');
  assert.equal(arrangementOf(`${body}#LI-NewYork,NewYork_Hybrid\n#LI-Santa_Barbara`, 'New York'), 'hybrid');
  assert.equal(arrangementOf(`${body}#LI-Onsite`), 'onsite');
  assert.equal(arrangementOf(`${body}#LI_Remote_US`, 'New York'), 'remote');
  // Recruiter initials and place tags say nothing.
  assert.equal(arrangementOf(`${body}#LI-AG1 #LI_NewYork_NewYork`, 'New York'), 'unknown');
  // A tag is an explicit mention, no more: a stated office schedule is not outweighed by it.
  assert.equal(arrangementOf(`This role is 3 days a week in our Cape Town office.\n${body}#LI-Remote`), 'hybrid');
});

test('detectArrangement() reads a flexibility policy between home and the office as hybrid', () => {
  const perk = 'Life at Orbit\n- Remote but reachable work policy gives you the freedom to choose between working from home or the office.\n- Learning budget';
  assert.equal(arrangementOf(perk, 'Jakarta'), 'hybrid');
  assert.equal(arrangementOf(perk, 'South Africa'), 'hybrid');
  assert.equal(arrangementOf('We offer flexibility to work from home or from one of our global office hubs.', 'Dublin'), 'hybrid');
  // An office offered beside a remote hire elsewhere stays remote.
  assert.equal(arrangementOf('Work from our Denver office or remotely anywhere in the US.', 'Denver, CO'), 'remote');
  // Working from home on its own, and a home-office-based role, are remote.
  assert.equal(arrangementOf('This is a home-office-based role with travel (50%) within the territory.', null), 'remote');
});

test('detectArrangement() reads a commuting-distance requirement for this role as hybrid', () => {
  const whatnot =
    'As a remote co-located team, we are anchored in hubs across the US and Europe.\n' +
    'Team members in this role must live within commuting distance of our Dublin hub.\n- Work From Home Support\n  - Home office setup allowance';
  assert.equal(arrangementOf(whatnot, 'Dublin'), 'hybrid');
});

test('detectArrangement() keeps an explicit hybrid working model under a "Remote working:" benefits heading', () => {
  const perks = (model: string): string =>
    `Life with us\n- No doors: we are not fans of stuffy offices.\n- Remote working: Love water cooler chats and working from home? ${model}\n- Staff discount`;
  assert.equal(arrangementOf(perks('Shopmax offers a hybrid working model for the best of both worlds.')), 'hybrid');
  assert.equal(arrangementOf(perks('Shopmax offers a remote and hybrid working model for the best of both worlds.')), 'remote');
  assert.equal(arrangementOf(perks('Shopmax offers a remote or hybrid working model.')), 'remote');
  assert.equal(arrangementOf(perks('Shopmax provides a fully remote setup with the choice to visit the office.')), 'remote');
  // A label whose value is a field still decides.
  assert.equal(arrangementOf('Remote working: 100% remote.'), 'remote');
  assert.equal(arrangementOf('Enjoy remote working options, flexible hours, and hybrid arrangements that fit your lifestyle.'), 'hybrid');
});

test('detectArrangement() reads remote as an exception, occasional visits and perks as saying nothing', () => {
  assert.equal(arrangementOf('Location: Chicago, Nashville, or Boston preferred. Open to remote for the right candidate.', 'Chicago'), 'unknown');
  assert.equal(detectArrangement({ title: 'Engineer', location: 'SF or Shenzhen, remote possible for exceptional candidates', description: '' }).arrangement, 'unknown');
  assert.equal(detectArrangement({ title: 'Engineer', location: 'SF, remote possible', description: '' }).arrangement, 'remote');
  assert.equal(arrangementOf('This role may require you to be on site at times - please check with the employer first.', null), 'unknown');
  assert.equal(arrangementOf('This role is on-site in our Austin office.', null), 'onsite');
  assert.equal(arrangementOf('You may occasionally work on-site in Austin.', null), 'unknown');
  // Only what qualifies the phrase itself: an annual bonus or quarterly travel elsewhere in the clause does not.
  assert.equal(arrangementOf('This is an on-site role with annual bonus.', null), 'onsite');
  assert.equal(arrangementOf('This role is on-site, quarterly travel.', null), 'onsite');
  assert.equal(arrangementOf('This role is 5 days a week in the office, occasionally at client sites.', null), 'onsite');
  assert.equal(arrangementOf('Benefits\n- Work From Home Support\n- Gym', 'Austin, TX'), 'unknown');
  assert.equal(
    arrangementOf('Field-based in northwest Kansas.\nWe offer a benefits package including a flexible approach to work with remote, hybrid, field or office schedules.', 'USA'),
    'onsite',
  );
});

test('detectArrangement() reads prose postings: plural role statements, a region after remote, an in-person team', () => {
  assert.equal(arrangementOf('We are hiring across all teams. These roles are hybrid/in-person in NYC.', null), 'hybrid');
  assert.equal(arrangementOf('See all open roles here. All currently open roles are on-site San Francisco.', null), 'onsite');
  assert.equal(arrangementOf('Acme Health is a series C startup, spread out remotely across the USA.', null), 'remote');
  assert.equal(arrangementOf('We’re hiring for 3 roles Remote (UK/EU preferred):\n1) Senior Product Designer', null), 'remote');
  assert.equal(arrangementOf('Join us:\nReact Native Developer (Worldwide): https://careers.example.test/o/rn', null), 'remote');
  assert.equal(arrangementOf('Series B, onsite in Boston (all levels) and Seattle (Senior+).', null), 'onsite');
  assert.equal(arrangementOf('telli (YC F24) looking for ambitious people to join our small, in-person team in Berlin', null), 'onsite');
  const listed = `Open roles:\n1. Infrastructure Engineer (Full-time, ONSITE): $150K–$220K https://app.example.test/apply/${'x'.repeat(90)}`;
  assert.equal(arrangementOf(listed, null), 'onsite');
  assert.equal(detectArrangement({ title: 'Engineer', location: 'NYC (4x / wk in office)', description: '' }).arrangement, 'hybrid');
  // "Hybrid setups" are deployments, not a way of working.
  assert.equal(arrangementOf('Experiment with deployments across cloud, on-premise infrastructure, and hybrid setups.', null), 'unknown');
});

test('normalizePosting() lets a remote-only board’s "remote" yield to what the posting states about the role', () => {
  const board = (location: string | null, description: string): Arrangement =>
    normalizePosting(rawPosting({ location, description, arrangement: 'remote', arrangementFrom: 'board' }), 'remoteok').arrangement;
  assert.equal(board('Dublin', 'Team members in this role must live within commuting distance of our Dublin hub.'), 'hybrid');
  assert.equal(board('Pine Bluff', 'This position is on-site at our Pine Bluff plant.'), 'onsite');
  assert.equal(board('USA', 'Location\nField-based in northwest Kansas.'), 'onsite');
  // Remote stated as weightily stays remote; a mention in passing does not undo the board.
  assert.equal(
    board('USA', 'This position is open to remote candidates within the United States. Candidates near Atlanta will work from a local office 2-3 days per week.'),
    'remote',
  );
  assert.equal(board('USA', 'Our teams meet on-site once a quarter.'), 'remote');
  // A location of regions only is outweighed only by a statement about this job.
  assert.equal(board('USA Only', 'Our teams work hybrid from the Austin office.'), 'remote');
  assert.equal(board('USA Only', 'You will work hybrid from our Austin office.'), 'hybrid');
  assert.equal(board(null, 'Build things.'), 'remote');
  // A posting's own structured arrangement is not a board's: it wins over the text as before.
  assert.equal(normalizePosting(rawPosting({ location: 'Dublin', description: 'Must live within commuting distance of our Dublin hub.', arrangement: 'remote' }), 'f').arrangement, 'remote');
});

test('detectArrangement() stays linear on long lines of items, tags, links and home-or-office phrases', () => {
  for (const description of [
    `Acme | Engineer\n${'| remote | https://x.test/ '.repeat(20_000)}`,
    `x\n${'a, remote, https://x.test/ '.repeat(20_000)}`,
    '#LI-a_b_c_d_e_f_g_h_i_j_k_l '.repeat(20_000),
    'freedom to choose between working from home or the '.repeat(10_000),
    'remote for the right candidate, on site at times, '.repeat(10_000),
    'join our a, b, c, '.repeat(20_000),
  ]) {
    const started = performance.now();
    detectArrangement({ title: 'Engineer', location: null, description });
    assert.ok(performance.now() - started < 3000, `${description.slice(0, 20)}... took too long`);
  }
});
