import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { repairMojibake } from '../src/normalize/mojibake.js';
import { decodeEntities, htmlToPlainText } from '../src/normalize/html-text.js';
import { extractCompany } from '../src/sources/company.js';

// The seed posting, mojibake included, as carried in the fixture feed built from
// ../shared/examples/seed-posting.txt (a copy, so the test does not depend on the shared tree).
function seedPosting(): string {
  const feed = readFileSync(new URL('./fixtures/feeds/seed-mojibake.rss', import.meta.url), 'utf8');
  const start = feed.indexOf('<![CDATA[') + '<![CDATA['.length;
  return feed.slice(start, feed.indexOf(']]>', start));
}

describe('repairMojibake()', () => {
  it('repairs the seed posting: no "â€" or "ðŸ" left, curly apostrophes and emoji back', () => {
    const seed = seedPosting();
    assert.match(seed, /Nomadâ€™s/);

    const repaired = repairMojibake(seed);

    assert.doesNotMatch(repaired, /â€|ðŸ|Ã|Â/);
    assert.ok(repaired.includes('Nomad’s extensive historical data'));
    assert.ok(repaired.includes('Master’s Degree'));
    assert.ok(repaired.includes('Don’t meet every single requirement?'));
    assert.ok(repaired.includes('`💰 $135,000 to $180,000` `🌎 Remote`'));
    assert.equal(repairMojibake(repaired), repaired);
  });

  it('leaves correct text unchanged', () => {
    const correct = [
      'café',
      'naïve',
      'Ångström',
      '£70k',
      '€80.000',
      'Düsseldorf',
      'Привет, мир: инженер по машинному обучению',
      '机器学习工程师 · 東京 · 서울',
      'Remote 🌎 · 💰 $135k · 🚀',
      'São Paulo, Ça va, Øresund, Ñandú, Łódź, Αθήνα, עברית, العربية',
      'résumé — “quoted” ‘single’ … • ™ © ® ° ± ½',
      // Accidental byte patterns that would decode: French no-break space before », German guillemets.
      'C’est l’été\u00a0»',
      '»Fuß« und »Maß«',
      'CAFÉ\u00a0!',
      '« À\u00a0bientôt\u00a0»',
      'PÅ\u00a0MANDAG',
      '2\u00a0×\u00a03',
      'Senior Engineer — Düsseldorf (€80.000–€95.000)',
      '',
    ];
    for (const text of correct) assert.equal(repairMojibake(text), text, JSON.stringify(text));
  });

  it('repairs UTF-8 read as Windows-1252 or Latin-1', () => {
    const cases: Array<[string, string]> = [
      ['Nomadâ€™s', 'Nomad’s'],
      ['Ã©tÃ© Ã  Paris', 'été à Paris'],
      ['ðŸ’° $135k', '💰 $135k'],
      ['$135,000Â\u00a0to $180,000', '$135,000\u00a0to $180,000'],
      ['â€œQuotedâ€\u009d and â€“ dashed', '“Quoted” and – dashed'], // 0x9D is undefined in Windows-1252
      ['Nomadâ\u0080\u0099s', 'Nomad’s'], // the Latin-1 reading keeps C1 controls
      ['â‚¬80k Â£70k', '€80k £70k'],
      ['Acmeâ„¢', 'Acme™'],
      ['ÐŸÑ€Ð¸Ð²ÐµÑ‚', 'Привет'],
      ['Å‚Ä…ka', 'łąka'],
      ['à¤¹à¤¿à¤‚à¤¦à¥€', 'हिंदी'],
      ['ï»¿Senior Engineer', 'Senior Engineer'],
      ['cafÃ© and Nomadâ€™s', 'café and Nomad’s'],
      ['café and Nomadâ€™s', 'café and Nomad’s'],
      ['eÌ\u0081cole', 'e\u0301cole'],
    ];
    for (const [broken, fixed] of cases) assert.equal(repairMojibake(broken), fixed, JSON.stringify(broken));
  });

  it('repairs double mojibake', () => {
    assert.equal(repairMojibake('MasterÃ¢â‚¬â„¢s'), 'Master’s');
    assert.equal(repairMojibake('Ãƒ©tÃƒ©'), 'été');
  });

  it('maps Windows-1252 bytes read as Latin-1 C1 controls back to their characters', () => {
    assert.equal(repairMojibake('\u0093Wir freuen uns\u0094 \u0096 \u0080 80.000'), '“Wir freuen uns” – € 80.000');
    // "ß" + en dash is also the bytes of an NKo letter: not taken for UTF-8.
    assert.equal(repairMojibake('Grüße\u0096Tschüß\u0096bis bald'), 'Grüße–Tschüß–bis bald');
  });

  it('repairs "Â" + space (a UTF-8 no-break space whose second byte became a space) only after a non-capital', () => {
    assert.equal(repairMojibake('$135kÂ - $180k'), '$135k\u00a0- $180k');
    assert.equal(repairMojibake('VOILÂ CA'), 'VOILÂ CA');
  });

  it('runs in linear time on adversarial input', () => {
    const hostile = 'Ã'.repeat(100_000) + 'â€'.repeat(100_000) + 'Ð¿ '.repeat(50_000);
    const started = performance.now();

    repairMojibake(hostile);

    assert.ok(performance.now() - started < 500);
  });
});

describe('decodeEntities()', () => {
  it('decodes named, decimal and hex entities', () => {
    assert.equal(decodeEntities('Nomad&rsquo;s &amp; Co'), 'Nomad’s & Co');
    assert.equal(decodeEntities('a&nbsp;b'), 'a\u00a0b');
    assert.equal(decodeEntities('&#8217; &#x2019; &#X2019;'), '’ ’ ’');
    assert.equal(decodeEntities('&Eacute;cole &eacute;t&eacute; &euro;80k &pound;70k &hellip; &mdash;'), 'École été €80k £70k … —');
    assert.equal(decodeEntities('&lt;b&gt; &quot;x&quot; &apos;y&apos; &#39;z&#39;'), '<b> "x" \'y\' \'z\'');
    assert.equal(decodeEntities('&#x1F4B0; $135k'), '💰 $135k');
  });

  it('decodes numeric references 128-159 as Windows-1252, as browsers do', () => {
    assert.equal(decodeEntities('Nomad&#146;s &#150; &#128;'), 'Nomad’s – €');
  });

  it('decodes one extra level of double encoding, once only', () => {
    assert.equal(decodeEntities('AT&amp;amp;T'), 'AT&T');
    assert.equal(decodeEntities('Nomad&amp;rsquo;s'), 'Nomad’s');
    assert.equal(decodeEntities('&amp;#8217;'), '’');
    assert.equal(decodeEntities('&amp;amp;amp;'), '&amp;');
  });

  it('leaves text that is not an entity alone', () => {
    assert.equal(decodeEntities('R&D, AT&T, a & b, &bogus;, &;, &#;'), 'R&D, AT&T, a & b, &bogus;, &;, &#;');
    assert.equal(decodeEntities('&amp;bogus;'), '&bogus;');
    assert.equal(decodeEntities('&#0; &#xD800; &#x110000;'), '\ufffd \ufffd \ufffd');
  });

  it('knows every HTML5 name, not only the common ones', () => {
    assert.equal(decodeEntities('&check; &rightarrow; &NotEqualTilde; &half; &bigstar;'), '✓ → \u2242\u0338 ½ ★');
  });

  it('decodes a legacy name without its semicolon only where no letter, digit or "=" follows, as in an HTML attribute', () => {
    assert.equal(decodeEntities('Tom&amp Jerry, a&nbsp b, &copy 2025'), 'Tom& Jerry, a\u00a0 b, © 2025');
    // Pasted URLs and words stay as written: "&region=us" is not "®ion=us".
    assert.equal(decodeEntities('https://x.test/?a=1&region=us&currency=USD, &copy2020, &notice'), 'https://x.test/?a=1&region=us&currency=USD, &copy2020, &notice');
  });
});

describe('htmlToPlainText()', () => {
  it('keeps paragraphs, lists as "- ", link text without URLs, and drops images and scripts', () => {
    const html =
      '<div><h2>About Nomad</h2><p>We&rsquo;re hiring&nbsp;engineers.</p>' +
      '<img src="https://cdn.example/logo.png" alt="logo">' +
      '<ul><li>Python &amp; SQL</li><li>Read <a href="https://example.com/stack">our stack</a></li></ul>' +
      '<script>track()</script><style>p { color: red }</style><p>Apply   now.</p></div>';

    const text = htmlToPlainText(html);

    assert.equal(text, 'About Nomad\n\nWe’re hiring engineers.\n\n- Python & SQL\n- Read our stack\n\nApply now.');
  });

  it('decodes HTML that a feed escaped twice', () => {
    assert.equal(htmlToPlainText('&lt;p&gt;One &amp;amp; two&lt;/p&gt;&lt;ul&gt;&lt;li&gt;three&lt;/li&gt;&lt;/ul&gt;'), 'One & two\n\n- three');
    assert.equal(htmlToPlainText('<p>Nomad&amp;rsquo;s data</p>'), 'Nomad’s data');
  });

  it('keeps the lines of plain text and collapses runs of spaces and blank lines', () => {
    assert.equal(htmlToPlainText('Line one  \nLine   two\n\n\n\nLine three &amp; four'), 'Line one\nLine two\n\nLine three & four');
    assert.equal(htmlToPlainText('Salary < $100k and > $80k'), 'Salary < $100k and > $80k');
    assert.equal(htmlToPlainText('   '), '');
  });

  it('converts nested lists with indentation', () => {
    assert.equal(htmlToPlainText('<ul><li>Competency<ul><li>Python</li></ul></li></ul>'), '- Competency\n  - Python');
  });

  it('keeps the case of every heading level, each on its own line', () => {
    const html = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => `<${h}>Senior ML Engineer at Nomad Health (${h})</${h}>`).join('');

    assert.equal(
      htmlToPlainText(html),
      ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => `Senior ML Engineer at Nomad Health (${h})`).join('\n\n'),
    );
  });

  it('keeps the title and company of a posting header as written, on separate lines', () => {
    const html =
      '<h1><a href="https://www.remotewlb.com/apply/1">Senior Machine Learning Engineer</a></h1><h3>Nomad Health</h3>' +
      '<h4><code>💰 $135,000 to $180,000</code> <code>🌎 Remote</code></h4><h3>Position Summary</h3><p>As a Senior MLE, you will…</p>';

    assert.equal(
      htmlToPlainText(html),
      'Senior Machine Learning Engineer\n\nNomad Health\n\n💰 $135,000 to $180,000 🌎 Remote\n\nPosition Summary\n\nAs a Senior MLE, you will…',
    );
  });

  it('keeps the case of table header cells', () => {
    assert.match(htmlToPlainText('<table><tr><th>Base Salary</th></tr><tr><td>$150k</td></tr></table>'), /^Base Salary\n/);
  });
});

describe('extractCompany()', () => {
  const fromTitle: Array<[string, string | null, string]> = [
    ['Nomad Health: Senior Machine Learning Engineer', 'Nomad Health', 'Senior Machine Learning Engineer'],
    ['New Relic: Staff Software Engineer, Observability', 'New Relic', 'Staff Software Engineer, Observability'],
    ['Smith & Wesson Digital: Staff Backend Engineer (Go)', 'Smith & Wesson Digital', 'Staff Backend Engineer (Go)'],
    ['Acme: Engineer: Payments', 'Acme', 'Engineer: Payments'],
    ['Senior ML Engineer at Nomad Health', 'Nomad Health', 'Senior ML Engineer'],
    ['Product Designer at Figma (Remote, US)', 'Figma', 'Product Designer (Remote, US)'],
    ['Backend Developer @ Acme, Inc. - EMEA', 'Acme, Inc.', 'Backend Developer - EMEA'],
    ['Head of Data at The Trade Desk', 'The Trade Desk', 'Head of Data'],
    ['Senior Engineer, Platform at eBay', 'eBay', 'Senior Engineer, Platform'],
    // Negative cases: the part before ":" or after "at" is not a company.
    ['Senior Engineer: Payments', null, 'Senior Engineer: Payments'],
    ['Remote: Senior Backend Engineer', null, 'Remote: Senior Backend Engineer'],
    ['Remote (US): Staff Engineer', null, 'Remote (US): Staff Engineer'],
    ['Urgent: Data Analyst needed', null, 'Urgent: Data Analyst needed'],
    ['Hiring: Frontend Engineer (React)', null, 'Hiring: Frontend Engineer (React)'],
    ['Principal: Payments Risk', null, 'Principal: Payments Risk'],
    ['Re: Senior Developer', null, 'Re: Senior Developer'],
    ['2024: Backend Engineer', null, '2024: Backend Engineer'],
    ['Customer Support Representative - Work at home', null, 'Customer Support Representative - Work at home'],
    ['Senior Engineer at a fast-growing fintech', null, 'Senior Engineer at a fast-growing fintech'],
    ['Software Engineer at Large Scale', null, 'Software Engineer at Large Scale'],
    ['Standup at 9:30: all hands', null, 'Standup at 9:30: all hands'],
  ];
  for (const [title, company, rest] of fromTitle) {
    it(`reads ${JSON.stringify(title)} as company ${JSON.stringify(company)}`, () => {
      assert.deepEqual(extractCompany({ title, author: null, description: '' }), { company, title: rest });
    });
  }

  it('takes the author when it looks like a company, never an email or a site role', () => {
    const company = (author: string) => extractCompany({ title: 'Data Scientist', author, description: '' }).company;

    assert.equal(company('Zalando SE'), 'Zalando SE');
    assert.equal(company('jobs@acme.com (Acme Corp)'), 'Acme Corp');
    assert.equal(company('Acme Corp <jobs@acme.com>'), 'Acme Corp');
    assert.equal(company('jobs@acme.com'), null);
    assert.equal(company('admin'), null);
    assert.equal(company('Staff'), null);
    assert.equal(company('Editor'), null);
    assert.equal(company('Recruiting Team'), null);
    assert.equal(company('https://acme.com'), null);
  });

  it('prefers a company in the title over the author, and strips it from the title', () => {
    assert.deepEqual(extractCompany({ title: 'Nomad Health: Data Scientist', author: 'Jane Recruiter', description: '' }), {
      company: 'Nomad Health',
      title: 'Data Scientist',
    });
  });

  it('finds a company line in the description', () => {
    const company = (description: string) => extractCompany({ title: 'Data Scientist', author: null, description }).company;

    assert.equal(company('Company: Nomad Health\nLocation: Remote'), 'Nomad Health');
    assert.equal(company('**Company**: Lunar Bank'), 'Lunar Bank');
    assert.equal(company('**Company:** Lunar Bank'), 'Lunar Bank');
    assert.equal(company('Company Name - Vercel'), 'Vercel');
    assert.equal(company('- Employer: Acme GmbH'), 'Acme GmbH');
    assert.equal(company('Company: Confidential'), null);
    assert.equal(company('The Company has reviewed this job description.'), null);
  });

  it('finds the seed posting\'s "### Nomad Health" line right after the title line', () => {
    const description = repairMojibake(seedPosting());

    const found = extractCompany({ title: 'Senior Machine Learning Engineer', author: null, description });

    assert.deepEqual(found, { company: 'Nomad Health', title: 'Senior Machine Learning Engineer' });
  });

  it('finds the company line under the title line of an HTML posting turned into text', () => {
    const html =
      '<h1><a href="https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253">Senior Machine Learning Engineer</a></h1>' +
      '<h3>Nomad Health</h3><h4><code>💰 $135,000 to $180,000</code> <code>🌎 Remote</code></h4><h3>Position Summary</h3>' +
      '<p>As a Senior Machine Learning Engineer, you will own the delivery of high-impact machine learning projects.</p>';

    const found = extractCompany({ title: 'Senior Machine Learning Engineer', author: null, description: htmlToPlainText(html) });

    assert.deepEqual(found, { company: 'Nomad Health', title: 'Senior Machine Learning Engineer' });
  });

  it('reads a plain line under the title as the company only when it is a bare name', () => {
    const company = (second: string, title = 'Senior Data Engineer') =>
      extractCompany({ title, author: null, description: `Senior Data Engineer\n\n${second}\n\nWe build data tools.` }).company;

    assert.equal(company('Lunar Bank'), 'Lunar Bank');
    assert.equal(company('Acme, Inc.'), 'Acme, Inc.');
    assert.equal(company('eBay'), 'eBay');
    // The feed title may carry a suffix the first line does not.
    assert.equal(company('Lunar Bank', 'Senior Data Engineer (Remote)'), 'Lunar Bank');
    // Places, job details, section headings and sentences are not a company.
    assert.equal(company('Berlin, Germany'), null);
    assert.equal(company('Full-time'), null);
    assert.equal(company('Remote (US)'), null);
    assert.equal(company('💰 $150,000 – $180,000'), null);
    assert.equal(company('Posted 3 days ago'), null);
    assert.equal(company('Position Summary'), null);
    assert.equal(company('Who You Are'), null);
    assert.equal(company('Join Our Team'), null);
    assert.equal(company('We are hiring!'), null);
    // The first line must be this posting's title.
    assert.equal(company('Lunar Bank', 'Product Designer'), null);
  });

  it('strips HTML tags from a company, whether it comes from the author or the title', () => {
    const company = (author: string | null, title = 'Data Scientist') => extractCompany({ title, author, description: '' }).company;

    assert.equal(company('<b>Bold Corp</b>'), 'Bold Corp');
    assert.equal(company('<span class="co">Acme <em>Labs</em></span>'), 'Acme Labs');
    assert.equal(company('<b>Acme Corp</b> <jobs@acme.com>'), 'Acme Corp');
    assert.equal(company(null, '<strong>Nomad Health</strong>: Data Scientist'), 'Nomad Health');
    assert.equal(company('<b></b>'), null);
  });

  it('does not take a section heading or a heading under another title', () => {
    const company = (description: string) => extractCompany({ title: 'Data Scientist', author: null, description }).company;

    assert.equal(company('# Data Scientist\n### Position Summary\nText'), null);
    assert.equal(company('# Data Scientist\n### Responsibilities'), null);
    assert.equal(company('# Other Job\n### Acme Labs'), null);
    assert.equal(company('# [Data Scientist](https://x.example/1)\n### Acme Labs'), 'Acme Labs');
  });
});
