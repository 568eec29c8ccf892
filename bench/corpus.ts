/**
 * The benchmark corpus: realistic RSS 2.0 job feeds (HTML descriptions in CDATA, salaries, places,
 * entities, categories), generated from a seeded PRNG so every run and every machine serves the
 * same bytes. An item depends only on (seed, feed, item number), never on which window of the feed
 * is served, so a feed grown by ten new items keeps the other items byte for byte.
 */

/** A small, fast, seeded PRNG (mulberry32); returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How the corpus is shaped. */
export interface CorpusOptions {
  seed: number;
  /** Publication time of item 0 of every feed (ms); item n is published n * spacing earlier, new items later. */
  baseTime: number;
  /** Minutes between two items of a feed. */
  spacingMinutes?: number;
  /** Rough size of one item's HTML description in bytes (default 3,700: 100 items make a 400 KB feed). */
  descriptionBytes?: number;
}

const LEVELS = ['Senior', 'Staff', 'Principal', 'Lead', 'Junior', 'Mid-level', '', '', 'Senior', 'Head of'];
const ROLES = [
  'Backend Engineer',
  'Frontend Engineer',
  'Full Stack Developer',
  'Machine Learning Engineer',
  'Data Scientist',
  'Data Engineer',
  'DevOps Engineer',
  'Site Reliability Engineer',
  'Product Manager',
  'Product Designer',
  'iOS Developer',
  'Android Engineer',
  'Security Engineer',
  'QA Engineer',
  'Engineering Manager',
  'Technical Writer',
  'Solutions Architect',
  'Platform Engineer',
  'Customer Success Manager',
  'Sales Engineer',
];
const COMPANY_A = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Nakatomi', 'Oscorp', 'Aperture'];
const COMPANY_B = ['Labs', 'Systems', 'Analytics', 'Cloud', 'Health', 'Robotics', 'Payments', 'AI', 'Software', 'Networks', 'Energy', 'Logistics'];
const PLACES: Array<{ text: string; currency: string; symbol: string; remote: boolean }> = [
  { text: 'Remote (US)', currency: 'USD', symbol: '$', remote: true },
  { text: 'Remote - Europe', currency: 'EUR', symbol: '€', remote: true },
  { text: 'Berlin, Germany', currency: 'EUR', symbol: '€', remote: false },
  { text: 'London, UK (Hybrid)', currency: 'GBP', symbol: '£', remote: false },
  { text: 'New York, NY', currency: 'USD', symbol: '$', remote: false },
  { text: 'San Francisco, CA', currency: 'USD', symbol: '$', remote: false },
  { text: 'Toronto, Canada', currency: 'CAD', symbol: 'CA$', remote: false },
  { text: 'Amsterdam, Netherlands', currency: 'EUR', symbol: '€', remote: false },
  { text: 'Anywhere in the world', currency: 'USD', symbol: '$', remote: true },
  { text: 'Austin, TX (Remote OK)', currency: 'USD', symbol: '$', remote: true },
  { text: 'Paris, France', currency: 'EUR', symbol: '€', remote: false },
  { text: 'Remote — Canada or US', currency: 'USD', symbol: '$', remote: true },
];
const TEAMS = ['Payments', 'Search', 'Growth', 'Platform', 'Identity', 'Checkout', 'Ads', 'Maps', 'Billing', 'Messaging', 'Insights', 'Infra', 'Mobile', 'Trust', 'Risk'];
const SENTENCES = [
  'We are looking for an experienced engineer to join a small, senior team that ships every day.',
  'You will own services end to end, from design documents to on-call, and work closely with product &amp; design.',
  'Our stack is TypeScript, Go and Python on Kubernetes, with PostgreSQL, Kafka and a sprinkle of Rust.',
  'We care about clear writing, thoughtful code review and sustainable pace &mdash; no heroics required.',
  'The role reports to the Director of Engineering and partners with data science on experiments.',
  'You have shipped production systems at scale and can explain the trade-offs you made along the way.',
  'Experience with distributed systems, observability and incident response is a strong plus.',
  'We offer a generous learning budget, home-office stipend and 30 days of paid time off.',
  'Our customers include hospitals, banks and public agencies across North America and Europe.',
  'We value diversity and encourage people from under-represented groups to apply.',
  'Interviews are remote: a 30-minute intro, a take-home (paid) and a final conversation with the team.',
  'You will mentor engineers, raise the bar on quality and help us grow the team from 8 to 20 people.',
];
const BULLETS = [
  '5+ years of professional software development',
  'Strong knowledge of SQL and data modelling',
  'Experience with AWS or GCP',
  'Comfortable with CI/CD, Docker and Terraform',
  'Excellent written communication in English',
  'Familiarity with machine learning pipelines (PyTorch, scikit-learn)',
  'Experience building REST &amp; GraphQL APIs',
  'A product mindset: you talk to users',
  'Bonus: open-source contributions',
  'Fluent German is a plus',
];

/** A stable per-item PRNG: the item's content depends on nothing but these numbers. */
function itemRandom(seed: number, feed: number, item: number): () => number {
  return mulberry32((seed * 2654435761) ^ (feed * 40503) ^ (item * 2246822519));
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

/** A distinct, pronounceable code for a number ("Bcd"): numbers in titles read as requisition ids. */
function letters(n: number): string {
  const s = n.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function money(n: number): string {
  return n.toLocaleString('en-US');
}

/** One job item of `feed`: item numbers below 0 are the newer ones (added by an increment). */
export function itemXml(feed: number, item: number, opts: CorpusOptions): string {
  const rand = itemRandom(opts.seed, feed, item);
  const level = pick(rand, LEVELS);
  const role = pick(rand, ROLES);
  const team = `${pick(rand, TEAMS)} ${letters(feed * 100_000 + item + 50_000)}`;
  const company = `${pick(rand, COMPANY_A)} ${pick(rand, COMPANY_B)}`;
  const place = pick(rand, PLACES);
  const low = 60 + Math.floor(rand() * 120);
  const high = low + 10 + Math.floor(rand() * 60);
  const salary = `${place.symbol}${money(low * 1000)} &ndash; ${place.symbol}${money(high * 1000)} per year`;
  const title = `${level ? `${level} ` : ''}${role}, ${team}`;
  const published = new Date(opts.baseTime - item * (opts.spacingMinutes ?? 37) * 60_000).toUTCString();
  const id = `f${feed}-i${item}`;
  const target = opts.descriptionBytes ?? 3700;
  let body = `<p><strong>${company}</strong> is hiring a <em>${title}</em>.</p>\n<p>Location: ${place.text}. Salary: ${salary}.</p>\n`;
  while (body.length < target * 0.7) {
    body += `<p>${pick(rand, SENTENCES)} ${pick(rand, SENTENCES)} ${pick(rand, SENTENCES)}</p>\n`;
  }
  body += '<h3>What you bring</h3>\n<ul>\n';
  while (body.length < target) body += `  <li>${pick(rand, BULLETS)}</li>\n`;
  body += `</ul>\n<p>Apply at <a href="https://jobs.example.com/${feed}/${id}?utm_source=rss">our careers page</a>.&nbsp;Equal opportunity employer.</p>`;
  return (
    `<item>\n<title>${company}: ${title} (${place.text})</title>\n` +
    `<link>https://jobs.example.com/${feed}/${id}</link>\n` +
    `<guid isPermaLink="false">${id}</guid>\n` +
    `<pubDate>${published}</pubDate>\n` +
    `<dc:creator>${company}</dc:creator>\n` +
    `<category>${role}</category>\n<category>${place.remote ? 'Remote' : 'Onsite'}</category>\n` +
    `<description><![CDATA[${body}]]></description>\n</item>\n`
  );
}

/** A whole feed: items `first` (the newest) to `last`, inclusive, newest first. */
export function feedXml(feed: number, first: number, last: number, opts: CorpusOptions): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n',
    `<title>Bench board ${feed} &amp; friends</title>\n<link>https://jobs.example.com/${feed}/</link>\n`,
    `<description>Jobs on bench board ${feed}</description>\n<language>en-us</language>\n`,
  ];
  for (let item = first; item <= last; item++) parts.push(itemXml(feed, item, opts));
  parts.push('</channel>\n</rss>\n');
  return parts.join('');
}
