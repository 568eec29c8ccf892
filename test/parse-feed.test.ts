import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../src/core/errors.js';
import type { RawPosting } from '../src/core/types.js';
import { parseFeed, type ParsedFeed } from '../src/sources/parse-feed.js';
import { detectFormat } from '../src/sources/detect-format.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/feeds/${name}`, import.meta.url), 'utf8');
}

function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/feeds/${name}`, import.meta.url));
}

function posting(feed: ParsedFeed, sourceId: string): RawPosting {
  const found = feed.postings.find((p) => p.sourceId === sourceId);
  assert.ok(found, `no posting ${sourceId}; have ${feed.postings.map((p) => p.sourceId).join(', ')}`);
  return found;
}

// Clean text: no tags, no entities left, no mojibake.
function assertCleanText(text: string): void {
  assert.doesNotMatch(text, /<\/?[a-z][^>]*>/i, 'HTML tag left');
  assert.doesNotMatch(text, /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i, 'entity left');
  assert.doesNotMatch(text, /â€|ðŸ|Ã|Â/, 'mojibake left');
}

async function parseError(promise: Promise<unknown>): Promise<ParseError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ParseError, `expected a ParseError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ParseError');
}

const WWR_URL = 'https://weworkremotely.com/categories/remote-programming-jobs.rss';

describe('parseFeed() on a WeWorkRemotely-style RSS 2.0 feed', () => {
  it('maps title, company, url, sourceId, published, location, tags and clean description', async () => {
    const feed = await parseFeed(fixture('wwr-programming.rss'), { type: 'auto', baseUrl: WWR_URL });

    assert.equal(feed.format, 'rss');
    assert.equal(feed.title, 'We Work Remotely: Remote Programming Jobs');
    const job = posting(feed, 'https://weworkremotely.com/remote-jobs/nomad-health-senior-machine-learning-engineer');
    assert.equal(job.url, 'https://weworkremotely.com/remote-jobs/nomad-health-senior-machine-learning-engineer');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.equal(job.location, 'USA Only');
    assert.deepEqual(job.published, new Date('2024-11-19T15:05:33Z'));
    // <type> is the employment type, kept with the categories.
    assert.deepEqual(job.tags, ['Machine Learning', 'Full-Time']);
    assert.equal(job.salary, undefined);
    assert.equal(job.arrangement, undefined);
    assertCleanText(job.description);
    assert.ok(job.description.includes('you’ll own the delivery of high‑impact ML projects & models.'));
    assert.ok(job.description.includes('- Python (OOP)\n- SQL/BigQuery'));
    assert.ok(job.description.includes('Pay: $135,000 – $180,000'));
    assert.ok(!job.description.includes('imgix'), 'the logo image is dropped');
  });

  it('resolves a relative link against the feed URL and decodes a double-encoded title', async () => {
    const feed = await parseFeed(fixture('wwr-programming.rss'), { type: 'auto', baseUrl: WWR_URL });

    const job = posting(feed, 'https://weworkremotely.com/remote-jobs/smith-wesson-digital-staff-backend-engineer-go');
    assert.equal(job.url, 'https://weworkremotely.com/remote-jobs/smith-wesson-digital-staff-backend-engineer-go');
    assert.equal(job.company, 'Smith & Wesson Digital');
    assert.equal(job.title, 'Staff Backend Engineer (Go)');
    assert.deepEqual(job.tags, ['Back-End Programming', 'Go', 'Contract']);
  });

  it('skips an item without a title and keeps the others', async () => {
    const feed = await parseFeed(fixture('wwr-programming.rss'), { type: 'auto', baseUrl: WWR_URL });

    assert.equal(feed.postings.length, 3);
    assert.deepEqual(feed.skipped, [{ index: 2, reason: 'no title' }]);
  });

  it('gives an invalid date as null, and takes the company from a "Company:" line when the title has none', async () => {
    const feed = await parseFeed(fixture('wwr-programming.rss'), { type: 'auto', baseUrl: WWR_URL });

    const job = posting(feed, 'https://weworkremotely.com/remote-jobs/lunar-senior-engineer-payments');
    assert.equal(job.published, null);
    assert.equal(job.title, 'Senior Engineer: Payments Platform');
    assert.equal(job.company, 'Lunar Bank');
  });
});

describe('parseFeed() on a Remotive-style RSS 2.0 feed with content:encoded', () => {
  const baseUrl = 'https://remotive.com/remote-jobs/feed/software-dev';

  it('prefers content:encoded, a structured <company> and <location>, a non-permalink guid as sourceId', async () => {
    const feed = await parseFeed(fixture('remotive.rss'), { type: 'auto', baseUrl });

    const job = posting(feed, 'remotive-1934212');
    assert.equal(job.url, 'https://remotive.com/remote-jobs/software-dev/senior-ml-engineer-1934212?utm_source=rss&utm_medium=feed');
    assert.equal(job.title, 'Senior ML Engineer (Remote)');
    assert.equal(job.company, 'Nomad Health');
    assert.equal(job.location, 'USA');
    assert.deepEqual(job.published, new Date('2024-11-20T08:12:45Z'));
    assert.deepEqual(job.tags, ['Software Development', 'machine learning']);
    assertCleanText(job.description);
    assert.equal(
      job.description,
      'About Nomad Health\n\nNomad’s marketplace connects clinicians with hospitals.\n\nWhat you will do\n\n- Design & ship ML models\n- Own our stack end‑to‑end',
    );
  });

  it('reads "Title @ Company - Region" titles and keeps a bare ampersand in CDATA', async () => {
    const feed = await parseFeed(fixture('remotive.rss'), { type: 'auto', baseUrl });

    const job = posting(feed, 'remotive-1934300');
    assert.equal(job.company, 'Kraken Labs');
    assert.equal(job.title, 'Frontend Developer - LATAM');
    assert.equal(job.location, 'Latin America');
    assert.equal(job.description, 'React, TypeScript. R&D team of 6.');
  });

  it('skips an item whose link is not http(s)', async () => {
    const feed = await parseFeed(fixture('remotive.rss'), { type: 'auto', baseUrl });

    assert.equal(feed.postings.length, 2);
    assert.equal(feed.skipped.length, 1);
    assert.equal(feed.skipped[0]!.index, 2);
    assert.match(feed.skipped[0]!.reason, /not an http\(s\) URL/);
  });
});

describe('parseFeed() on an RSS 1.0 (RDF) feed', () => {
  it('maps dc:creator, dc:date, dc:subject and rdf:about', async () => {
    const feed = await parseFeed(fixture('jobs-rdf.xml'), { type: 'auto', baseUrl: 'https://jobs.example.org/rss' });

    assert.equal(feed.format, 'rdf');
    assert.equal(feed.title, 'Example Jobs (RSS 1.0)');
    const job = posting(feed, 'https://jobs.example.org/job/771');
    assert.equal(job.url, 'https://jobs.example.org/job/771');
    assert.equal(job.title, 'Data Scientist – Forecasting');
    assert.equal(job.company, 'Zalando SE');
    assert.deepEqual(job.published, new Date('2024-11-15T08:30:00Z'));
    assert.deepEqual(job.tags, ['Data Science']);
    assert.equal(job.description, 'Join our forecasting team in Berlin.\nHybrid, 2 days in office.');
  });

  it('resolves a relative link, ignores an "admin" creator and an invalid dc:date', async () => {
    const feed = await parseFeed(fixture('jobs-rdf.xml'), { type: 'rdf', baseUrl: 'https://jobs.example.org/rss' });

    const job = posting(feed, 'https://jobs.example.org/job/772');
    assert.equal(job.url, 'https://jobs.example.org/job/772');
    assert.equal(job.company, null);
    assert.equal(job.published, null);
  });
});

describe('parseFeed() on an Atom feed', () => {
  const baseUrl = 'https://jobs.github.example/positions.atom';

  it('maps id, alternate link, author name, published, categories and HTML content', async () => {
    const feed = await parseFeed(fixture('github-jobs.atom'), { type: 'auto', baseUrl });

    assert.equal(feed.format, 'atom');
    assert.equal(feed.title, 'GitHub Jobs: remote positions');
    const job = posting(feed, 'tag:jobs.github.example,2008:Position/8a3c1f');
    assert.equal(job.url, 'https://jobs.github.example/positions/8a3c1f');
    assert.equal(job.title, 'Senior Software Engineer, Machine Learning & Search');
    assert.equal(job.company, 'Shopify');
    assert.deepEqual(job.published, new Date('2024-11-19T16:45:00Z'));
    assert.deepEqual(job.tags, ['Remote', 'ml']);
    assertCleanText(job.description);
    assert.ok(job.description.includes('Location: Remote (Canada)'));
    assert.ok(job.description.includes('Salary €90.000–€110.000'));
  });

  it('falls back to <updated> for a bad <published>, resolves a relative href, refuses an email as company', async () => {
    const feed = await parseFeed(fixture('github-jobs.atom'), { type: 'atom', baseUrl });

    const job = posting(feed, 'tag:jobs.github.example,2008:Position/77b210');
    assert.deepEqual(job.published, new Date('2024-11-18T10:00:00Z'));
    assert.equal(job.url, 'https://jobs.github.example/positions/77b210');
    assert.equal(job.company, null);
    assert.equal(job.description, 'On-call rotation, Terraform, Nomad.');
  });

  it('reads a <link> without attributes and keeps xhtml content in order', async () => {
    const feed = await parseFeed(fixture('github-jobs.atom'), { type: 'auto', baseUrl });

    const job = posting(feed, 'tag:jobs.github.example,2008:Position/0000ff');
    assert.equal(job.url, 'https://jobs.github.example/positions/0000ff');
    assert.equal(job.title, 'Engineering Manager');
    assert.equal(job.company, 'Stripe');
    assert.equal(job.description, 'Lead a team of eight.');
  });
});

describe('parseFeed() on a JSON Feed 1.1', () => {
  const baseUrl = 'https://mljobs.example.com/feed.json';

  it('maps id, url, title, content_html, date_published, tags and takes the company from the title', async () => {
    const feed = await parseFeed(fixture('jobs.json'), { type: 'auto', baseUrl });

    assert.equal(feed.format, 'jsonfeed');
    assert.equal(feed.title, 'Remote ML Jobs');
    const job = posting(feed, 'mlj-5521');
    assert.equal(job.url, 'https://mljobs.example.com/jobs/5521');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.deepEqual(job.published, new Date('2024-11-19T15:05:33Z'));
    assert.deepEqual(job.tags, ['machine-learning', 'python']);
    assert.equal(job.description, 'Own ML projects end‑to‑end at Nomad’s marketplace.\n\n- Python\n- GCP');
  });

  it('reads a numeric id, a relative external_url, authors[] and content_text as plain text', async () => {
    const feed = await parseFeed(fixture('jobs.json'), { type: 'jsonfeed', baseUrl });

    const job = posting(feed, '5522');
    assert.equal(job.url, 'https://mljobs.example.com/jobs/5522');
    assert.equal(job.company, 'Databricks');
    assert.deepEqual(job.published, new Date('2024-11-18T11:00:00Z'));
    assert.equal(job.description, 'Spark & Airflow.\n\nBuild <pipelines> that scale.');
  });

  it('reads a JSON Feed 1.0 author and a summary; an invalid date is null', async () => {
    const feed = await parseFeed(fixture('jobs.json'), { type: 'auto', baseUrl });

    const job = posting(feed, 'mlj-5523');
    assert.equal(job.company, 'Anthropic');
    assert.equal(job.description, 'LLM evaluation research.');
    assert.equal(job.published, null);
  });

  it('skips an item that is not an object and an item without a title', async () => {
    const feed = await parseFeed(fixture('jobs.json'), { type: 'auto', baseUrl });

    assert.equal(feed.postings.length, 3);
    assert.deepEqual(feed.skipped, [
      { index: 3, reason: 'item is not an object' },
      { index: 4, reason: 'no title' },
    ]);
  });
});

describe('parseFeed() text repair', () => {
  it('reads a windows-1252 feed decoded by TextDecoder, C1 controls and all', async () => {
    const text = new TextDecoder('windows-1252').decode(fixtureBytes('windows-1252.rss'));

    const feed = await parseFeed(text, { type: 'rss', baseUrl: 'https://jobs.example.de/feed' });

    assert.equal(feed.title, 'Jobbörse Düsseldorf – IT');
    const [job] = feed.postings;
    assert.ok(job);
    assert.equal(job.company, 'Café Müller GmbH');
    assert.equal(job.title, 'Senior Entwickler (m/w/d) – Düsseldorf');
    assert.equal(job.location, 'Düsseldorf');
    assert.equal(job.description, 'Gehalt: €80.000 – €95.000 · „Wir freuen uns“ · naïve Bayes · Ångström · £70k');
  });

  it('turns the seed posting\'s mojibake into clean text and finds its company', async () => {
    const feed = await parseFeed(fixture('seed-mojibake.rss'), { type: 'auto', baseUrl: 'https://www.remotewlb.com/feed' });

    const job = posting(feed, 'remotewlb-136253');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.doesNotMatch(job.description, /â€|ðŸ|Ã|Â/);
    assert.ok(job.description.includes('Nomad’s extensive historical data'));
    assert.ok(job.description.includes('💰 $135,000 to $180,000'));
    assert.ok(job.description.includes('🌎 Remote'));
    assert.ok(job.description.includes('Don’t meet every single requirement?'));
  });

  it('repairs mojibake in titles and HTML descriptions, double mojibake included', async () => {
    const feed = await parseFeed(fixture('seed-mojibake.rss'), { type: 'auto', baseUrl: 'https://www.remotewlb.com/feed' });

    const job = posting(feed, 'remotewlb-136254');
    assert.equal(job.company, 'Nomad Health');
    assert.equal(job.title, 'Senior Data Scientist – Marketplace');
    assertCleanText(job.description);
    assert.ok(job.description.includes('Nomad’s extensive historical data'));
    assert.ok(job.description.includes('- Master’s Degree or equivalent'));
    assert.ok(job.description.includes('- Pay: $135k – $180k'));
  });

  it('accepts HTML entities and bare ampersands that strict XML would reject', async () => {
    const body =
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs &amp; more</title>' +
      '<item><title>AT&T: Caf&eacute; Engineer&nbsp;II</title><link>https://x.example/1?a=1&b=2</link></item>' +
      '<item><title>Nomad&#146;s ML Engineer &#99999999;</title><link>https://x.example/2</link></item>' +
      '</channel></rss>';

    const feed = await parseFeed(body, { type: 'auto', baseUrl: 'https://x.example/feed' });

    assert.equal(feed.title, 'Jobs & more');
    assert.equal(feed.postings[0]!.title, 'Café Engineer II');
    assert.equal(feed.postings[0]!.company, 'AT&T');
    assert.equal(feed.postings[0]!.url, 'https://x.example/1?a=1&b=2');
    assert.equal(feed.postings[1]!.title, 'Nomad’s ML Engineer \ufffd');
  });

  it('accepts a DOCTYPE without entity declarations (RSS 0.91)', async () => {
    const body =
      '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n' +
      '<rss version="0.91"><channel><title>Old</title><item><title>Engineer</title><link>https://x.example/j/1</link></item></channel></rss>';

    const feed = await parseFeed(body, { type: 'rss', baseUrl: 'https://x.example/feed' });

    assert.equal(feed.postings[0]!.url, 'https://x.example/j/1');
  });
});

// The seed posting (test/fixtures/seed-posting.clean.txt, markdown) rendered to HTML the way a board's
// markdown renderer does: headings, nested lists, paragraphs, links, bold and inline code.
function seedAsHtml(): string {
  const markdown = readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8');
  const inline = (text: string): string =>
    text
      .trim()
      .replace(/\\-/g, '-')
      .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '<a href="$2">$1</a>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/`([^`]+)`/g, '<code>$1</code>');
  const out: string[] = [];
  let depth = 0;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(inline).join(' ')}</p>`);
    paragraph = [];
  };
  const closeLists = (to: number): void => {
    for (; depth > to; depth--) out.push('</li></ul>');
  };
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^( *)\*\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      closeLists(0);
      out.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (item) {
      flush();
      const level = Math.floor(item[1]!.length / 2);
      if (level > depth) for (; depth < level; depth++) out.push('<ul><li>');
      else {
        closeLists(level);
        out.push('</li><li>');
      }
      out.push(inline(item[2]!));
    } else if (line.trim() === '') {
      flush();
    } else {
      closeLists(0);
      paragraph.push(line);
    }
  }
  flush();
  closeLists(0);
  return out.join('');
}

function rssWithItem(item: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>' +
    `<title>remotewlb</title><link>https://www.remotewlb.com/</link>${item}</channel></rss>`
  );
}

describe('parseFeed() on a posting carried as HTML', () => {
  const baseUrl = 'https://www.remotewlb.com/feed';
  const link = 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253';

  it('renders the seed posting to HTML with its header as the board writes it', () => {
    assert.ok(
      seedAsHtml().startsWith(
        `<h1><a href="${link}">Senior Machine Learning Engineer</a></h1><h3>Nomad Health</h3>` +
          '<h4><code>💰 $135,000 to $180,000</code> <code>🌎 Remote</code></h4><h3>Position Summary</h3><p>As a Senior',
      ),
    );
  });

  for (const [how, description] of [
    ['in CDATA', `<![CDATA[${seedAsHtml()}]]>`],
    ['entity-escaped', seedAsHtml().replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')],
  ] as const) {
    it(`finds the company under the title of the seed posting as HTML (${how}), with no company in the item title`, async () => {
      const body = rssWithItem(
        `<item><title>Senior Machine Learning Engineer</title><link>${link}</link><guid isPermaLink="false">remotewlb-136253</guid>` +
          `<pubDate>Sun, 01 Jun 2025 12:00:00 GMT</pubDate><description>${description}</description></item>`,
      );

      const feed = await parseFeed(body, { type: 'auto', baseUrl });

      const job = posting(feed, 'remotewlb-136253');
      assert.equal(job.title, 'Senior Machine Learning Engineer');
      assert.equal(job.company, 'Nomad Health');
      assertCleanText(job.description);
      // Headings keep their case, each on its own line.
      assert.ok(
        job.description.startsWith(
          'Senior Machine Learning Engineer\n\nNomad Health\n\n💰 $135,000 to $180,000 🌎 Remote\n\nPosition Summary\n\nAs a Senior Machine Learning Engineer,',
        ),
        job.description.slice(0, 200),
      );
      assert.ok(job.description.includes('\n\nResponsibilities/What You Will Do\n\n'));
      assert.ok(job.description.includes('\n\nQualifications/ Skills - What You Will Need\n\n'));
      assert.ok(job.description.includes('- Competency\n  - Python (OOP)\n  - SQL/BigQuery'));
      assert.doesNotMatch(job.description, /SENIOR MACHINE LEARNING|NOMAD HEALTH|POSITION SUMMARY/);
    });
  }

  it('strips tags from a dc:creator company, whether written in CDATA, escaped or as elements', async () => {
    const item = (creator: string, id: string) =>
      `<item><title>Data Scientist</title><link>https://x.example/jobs/${id}</link><guid>${id}</guid><dc:creator>${creator}</dc:creator></item>`;
    const body = rssWithItem(
      item('<![CDATA[<b>Bold Corp</b>]]>', 'cdata') + item('&lt;b&gt;Bold Corp&lt;/b&gt;', 'escaped') + item('<b>Bold Corp</b>', 'element'),
    );

    const feed = await parseFeed(body, { type: 'auto', baseUrl: 'https://x.example/feed' });

    assert.deepEqual(
      feed.postings.map((p) => [p.sourceId, p.company, p.title]),
      [
        ['cdata', 'Bold Corp', 'Data Scientist'],
        ['escaped', 'Bold Corp', 'Data Scientist'],
        ['element', 'Bold Corp', 'Data Scientist'],
      ],
    );
  });
});

describe('parseFeed() refusals', () => {
  it('refuses a billion-laughs document', async () => {
    const err = await parseError(parseFeed(fixture('billion-laughs.rss'), { type: 'auto', baseUrl: 'https://x.example/' }));

    assert.equal(err.message, 'XML entity declarations are not allowed');
  });

  it('refuses an external entity (XXE), whatever the requested type', async () => {
    const err = await parseError(parseFeed(fixture('xxe.rss'), { type: 'rss', baseUrl: 'https://x.example/' }));

    assert.equal(err.message, 'XML entity declarations are not allowed');
  });

  it('refuses an HTML page', async () => {
    const err = await parseError(parseFeed(fixture('login-page.html'), { type: 'auto', baseUrl: 'https://x.example/' }));

    assert.equal(err.message, 'not a feed (looks like HTML)');
  });

  it('refuses truncated XML with a short reason', async () => {
    const err = await parseError(parseFeed(fixture('truncated.rss'), { type: 'auto', baseUrl: 'https://x.example/' }));

    assert.match(err.message, /^invalid XML: .+ \(line \d+, column \d+\)$/);
    assert.ok(!err.message.includes('\n') && err.message.length < 200);
  });

  it('refuses JSON that is not a JSON Feed, and invalid JSON', async () => {
    const notFeed = await parseError(parseFeed('{"jobs": []}', { type: 'auto', baseUrl: 'https://x.example/' }));
    const array = await parseError(parseFeed('[{"title": "x"}]', { type: 'auto', baseUrl: 'https://x.example/' }));
    const broken = await parseError(parseFeed('{"version": ', { type: 'jsonfeed', baseUrl: 'https://x.example/' }));

    assert.match(notFeed.message, /^not a JSON Feed/);
    assert.match(array.message, /^not a feed/);
    assert.match(broken.message, /^invalid JSON/);
  });

  it('refuses an explicit type that does not match the body, saying what was found', async () => {
    const atomAsRss = await parseError(parseFeed(fixture('github-jobs.atom'), { type: 'rss', baseUrl: 'https://x.example/' }));
    const jsonAsAtom = await parseError(parseFeed(fixture('jobs.json'), { type: 'atom', baseUrl: 'https://x.example/' }));

    assert.equal(atomAsRss.message, 'expected RSS 2.0 but the body is Atom');
    assert.equal(jsonAsAtom.message, 'expected Atom but the body is JSON Feed');
  });

  it('refuses an empty body, plain text, unknown XML and an RSS without a channel', async () => {
    const opts = { type: 'auto', baseUrl: 'https://x.example/' } as const;

    assert.equal((await parseError(parseFeed('  \n', opts))).message, 'empty body');
    assert.match((await parseError(parseFeed('Service Unavailable', opts))).message, /^not a feed/);
    assert.equal((await parseError(parseFeed('<sitemap/>', opts))).message, 'not a feed (XML with root element <sitemap>)');
    assert.match((await parseError(parseFeed('<rss version="2.0"></rss>', opts))).message, /^invalid RSS 2\.0 feed/);
  });
});

describe('detectFormat()', () => {
  it('detects each format from the body', () => {
    assert.equal(detectFormat(fixture('wwr-programming.rss')), 'rss');
    assert.equal(detectFormat(fixture('jobs-rdf.xml')), 'rdf');
    assert.equal(detectFormat(fixture('github-jobs.atom')), 'atom');
    assert.equal(detectFormat(fixture('jobs.json')), 'jsonfeed');
  });

  it('looks past a BOM, whitespace, the XML declaration, comments, processing instructions and a DOCTYPE', () => {
    const body =
      '\ufeff  \n<?xml version="1.0"?>\n<!-- generated -->\n<?xml-stylesheet href="s.xsl"?>\n' +
      '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n' +
      '<rss version="0.91"><channel/></rss>';

    assert.equal(detectFormat(body), 'rss');
    assert.equal(detectFormat('\ufeff{"version": "https://jsonfeed.org/version/1", "items": []}'), 'jsonfeed');
  });

  it('returns null for HTML, non-feed JSON, non-Atom <feed> and garbage', () => {
    assert.equal(detectFormat(fixture('login-page.html')), null);
    assert.equal(detectFormat('{"version": "1.1", "items": []}'), null);
    assert.equal(detectFormat('<feed><entry/></feed>'), null);
    assert.equal(detectFormat('<!-- unterminated'), null);
    assert.equal(detectFormat(''), null);
  });
});

describe('parseFeed() speed', () => {
  it('parses a feed in time linear in its items (1,000 items about 4 times 250, not 16)', async () => {
    const wwr = fixture('wwr-programming.rss');
    const item = wwr.slice(wwr.indexOf('<item>'), wwr.indexOf('</item>') + '</item>'.length);
    const feedOf = (n: number) =>
      `${wwr.slice(0, wwr.indexOf('<item>'))}${Array.from({ length: n }, (_, i) => item.replaceAll('machine-learning-engineer<', `machine-learning-engineer-${i}<`)).join('\n')}</channel></rss>`;
    // The fastest of three runs of each size, compared with each other rather than with a clock: a
    // busy machine (CI neighbours, a parallel build) slows every run, while a quadratic path makes
    // the big feed 16 times slower than the small one instead of 4.
    const fastest = async (n: number): Promise<number> => {
      const body = feedOf(n);
      const times: number[] = [];
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        const feed = await parseFeed(body, { type: 'auto', baseUrl: WWR_URL });
        times.push(performance.now() - started);
        assert.equal(feed.postings.length, n);
        assert.equal(new Set(feed.postings.map((p) => p.sourceId)).size, n);
      }
      return Math.min(...times);
    };
    const small = await fastest(250);
    const big = await fastest(1000);
    assert.ok(big < 8 * small, `1,000 items took ${Math.round(big)} ms, 250 took ${Math.round(small)} ms`);
  });
});
