import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Alert, StoredJob } from '../src/core/types.js';
import { formatSalary } from '../src/match/format-salary.js';
import { escapeHtml, escapeMrkdwn, escapeMrkdwnInline, safeHttpUrl, slackLinkUrl, truncateMrkdwn } from '../src/notify/escape.js';
import { renderSlackGroup, renderSlackMessage, SLACK_GROUP_MAX } from '../src/notify/render-slack.js';
import { MAX_SUBJECT, renderEmail } from '../src/notify/render-email.js';
import { describeAge, describePlace, formatDate, renderAlertText, renderAlertsText, renderGroupText } from '../src/notify/render-text.js';
import { descriptionSnippet, SNIPPET_MAX } from '../src/notify/snippet.js';

const NOW = new Date('2025-03-10T12:00:00Z');
const HOUR = 3_600_000;

function makeAlert(job: Partial<StoredJob> = {}, alert: Partial<Omit<Alert, 'job'>> = {}): Alert {
  const base: StoredJob = {
    id: 1,
    feed: 'remotewlb',
    sourceId: 'wlb-123',
    url: 'https://jobs.example.com/senior-mle?id=123&src=wlb',
    canonicalUrl: 'https://jobs.example.com/senior-mle?id=123',
    title: 'Senior Machine Learning Engineer',
    company: 'Nomad Health',
    location: 'United States',
    description: 'Build ML systems.',
    published: new Date(NOW.getTime() - 3 * HOUR),
    salary: { min: 135_000, max: 180_000, currency: 'USD', period: 'year' },
    annualMin: 135_000,
    annualMax: 180_000,
    arrangement: 'remote',
    remoteRegions: ['US'],
    seniority: 'senior',
    role: 'ml engineer',
    tags: [],
    firstSeen: new Date(NOW.getTime() - 2 * HOUR),
    lastSeen: NOW,
    urls: ['https://jobs.example.com/senior-mle?id=123&src=wlb', 'https://mirror.example.org/j/9'],
    feeds: ['remotewlb', 'mirror'],
  };
  return {
    id: 1,
    rule: 'remote-senior-ml',
    channel: 'ml-slack',
    job: { ...base, ...job },
    reasons: ['remote', 'senior', 'ML engineer', '$180k ≥ $130k'],
    attempts: 0,
    createdAt: NOW,
    ...alert,
  };
}

type Block = { type: string; text?: { text: string }; elements?: Array<{ type: string; text?: unknown; url?: string }> };

/** Every piece of text Slack will parse as mrkdwn or show, from blocks and the fallback. */
function slackTexts(msg: { text: string; blocks: unknown[] }): string[] {
  const out = [msg.text];
  for (const b of msg.blocks as Block[]) {
    if (b.text) out.push(b.text.text);
    for (const e of b.elements ?? []) {
      if (typeof e.text === 'string') out.push(e.text);
      else if (e.text && typeof e.text === 'object') out.push((e.text as { text: string }).text);
    }
  }
  return out;
}

describe('renderSlackMessage', () => {
  it('renders the alert as DESIGN.md shows it, in blocks and in the text fallback', () => {
    const msg = renderSlackMessage(makeAlert(), { now: NOW });
    const blocks = msg.blocks as Block[];
    // No button: the title is the link (a button repeats it, and Slack warns when the app has no interactivity URL).
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['section', 'context'],
    );
    const section = blocks[0]!.text!.text;
    assert.equal(
      section,
      '*<https://jobs.example.com/senior-mle?id=123&amp;src=wlb|Senior Machine Learning Engineer>* · Nomad Health\n' +
        '🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago · 10 Mar 2025 on remotewlb\n' +
        'Build ML systems.',
    );
    assert.equal(formatSalary(makeAlert().job.salary!), '$135k–$180k / year');
    const context = blocks[1]!.elements!.map((e) => e.text);
    assert.deepEqual(context, ['✓ remote · ✓ senior · ✓ ML engineer · ✓ $180k ≥ $130k', 'rule: remote-senior-ml', 'also on: mirror']);
    assert.ok(!JSON.stringify(msg.blocks).includes('button'));

    assert.ok(msg.text.includes(section), 'fallback carries the section');
    assert.ok(msg.text.includes('✓ remote · ✓ senior'));
    assert.ok(msg.text.includes('rule: remote-senior-ml'));
    assert.ok(msg.text.includes('also on: mirror'));
  });

  it('omits "also on" for a job seen in one feed, and links feeds given in feedLinks', () => {
    const single = renderSlackMessage(makeAlert({ feeds: ['remotewlb'] }), { now: NOW });
    assert.equal((single.blocks as Block[])[1]!.elements!.length, 2);
    assert.ok(!single.text.includes('also on'));

    const linked = renderSlackMessage(makeAlert(), { now: NOW, feedLinks: { mirror: 'https://mirror.example.org/j/9' } });
    assert.ok(linked.text.includes('also on: <https://mirror.example.org/j/9|mirror>'));
  });

  it('neutralizes mentions, links and markup from a posting in blocks and text', () => {
    const msg = renderSlackMessage(
      makeAlert(
        {
          title: '<!channel> Urgent @here <http://evil.example|click me> *bold* _it_ ~x~ `code`',
          company: '<@U123> & @everyone <!subteam^S1>',
          location: '<!here> Berlin',
          arrangement: 'hybrid',
        },
        { reasons: ['title: <!channel> ~ senior', '@channel'] },
      ),
      { now: NOW },
    );
    for (const t of slackTexts(msg)) {
      assert.ok(!t.includes('<!channel>'), t);
      assert.ok(!t.includes('<!here>'), t);
      assert.ok(!t.includes('<@U123>'), t);
      assert.ok(!t.includes('<!subteam'), t);
      assert.ok(!t.includes('<http://evil'), t);
      assert.ok(!/@(here|channel|everyone)/.test(t), t);
    }
    const section = (msg.blocks as Block[])[0]!.text!.text;
    assert.ok(section.includes('&lt;!channel&gt; Urgent @\u200dhere &lt;http://evil.example|click me&gt;'), section);
    assert.ok(section.includes('&lt;@U123&gt; &amp; @\u200deveryone'));
    // The only link is ours, and the bold around it is intact: no raw styling characters inside.
    assert.equal(section.match(/</g)?.length, 1);
    const linkLabel = /^\*<[^|]+\|([^>]*)>\*/.exec(section)?.[1] ?? '';
    assert.ok(linkLabel.length > 0, section);
    assert.ok(!/[*_~`]/.test(linkLabel), linkLabel);
    assert.ok(msg.text.includes('&lt;!channel&gt;'));
  });

  it('links only http(s) URLs and percent-encodes the characters that end a Slack link', () => {
    const js = renderSlackMessage(makeAlert({ url: 'javascript:alert(1)' }), { now: NOW });
    const blocks = js.blocks as Block[];
    assert.ok(!blocks.some((b) => b.type === 'actions'), 'no actions block');
    assert.ok(!slackTexts(js).some((t) => t.includes('javascript')));
    assert.ok(blocks[0]!.text!.text.startsWith('*Senior Machine Learning Engineer* · Nomad Health'));

    const odd = renderSlackMessage(makeAlert({ url: 'https://jobs.example.com/a|b>c<d?q=1&r=2' }), { now: NOW });
    const section = (odd.blocks as Block[])[0]!.text!.text;
    assert.ok(section.startsWith('*<https://jobs.example.com/a%7Cb%3Ec%3Cd?q=1&amp;r=2|'), section);
  });

  it('stays within Block Kit limits for a huge posting and never cuts an entity', () => {
    const title = '&<>'.repeat(2000);
    const msg = renderSlackMessage(
      makeAlert({ title, company: 'C&'.repeat(2000), location: 'L'.repeat(5000) }, { reasons: Array.from({ length: 50 }, () => '&'.repeat(500)) }),
      { now: NOW },
    );
    for (const t of slackTexts(msg)) {
      assert.ok(t.length <= 3000, `text of ${t.length} chars`);
      assert.ok(!/&(?!amp;|lt;|gt;)/.test(t), 'no bare or cut entity');
    }
    assert.ok(!JSON.stringify(msg.blocks).includes('"button"'));
  });

  it('describes each work arrangement', () => {
    const place = (job: Partial<StoredJob>) => describePlace({ arrangement: 'unknown', remoteRegions: [], location: null, ...job });
    assert.equal(place({ arrangement: 'remote', remoteRegions: ['US', 'Canada'] }), 'Remote (US, Canada)');
    assert.equal(place({ arrangement: 'remote' }), 'Remote');
    assert.equal(place({ arrangement: 'hybrid', location: 'Berlin' }), 'Hybrid (Berlin)');
    assert.equal(place({ arrangement: 'onsite', location: 'Austin, TX' }), 'On-site (Austin, TX)');
    assert.equal(place({ arrangement: 'onsite' }), 'On-site');
    assert.equal(place({ location: 'London' }), 'London');
    assert.equal(place({}), null);

    const onsite = renderSlackMessage(makeAlert({ arrangement: 'onsite', location: 'Austin, TX', salary: null }), { now: NOW });
    assert.ok((onsite.blocks as Block[])[0]!.text!.text.endsWith('\n📍 On-site (Austin, TX) · posted 3 h ago · 10 Mar 2025 on remotewlb\nBuild ML systems.'));
  });

  it('says how long ago a job was posted, or when it was seen when the source has no date', () => {
    assert.equal(describeAge(new Date(NOW.getTime() - 20_000), NOW), 'just now');
    assert.equal(describeAge(new Date(NOW.getTime() + HOUR), NOW), 'just now');
    assert.equal(describeAge(new Date(NOW.getTime() - 25 * 60_000), NOW), '25 min ago');
    assert.equal(describeAge(new Date(NOW.getTime() - 3 * HOUR), NOW), '3 h ago');
    assert.equal(describeAge(new Date(NOW.getTime() - 50 * HOUR), NOW), '2 d ago');
    const msg = renderSlackMessage(makeAlert({ published: null }), { now: NOW });
    assert.ok(msg.text.includes('seen 2 h ago · 10 Mar 2025 on remotewlb'));
  });
});

describe('escape helpers', () => {
  it('escape mrkdwn, HTML and URLs', () => {
    assert.equal(escapeMrkdwn('a & <b> @here'), 'a &amp; &lt;b&gt; @\u200dhere');
    assert.equal(escapeMrkdwnInline('*a*_b_'), '\u2217a\u2217\u02cdb\u02cd');
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(safeHttpUrl('javascript:alert(1)'), null);
    assert.equal(safeHttpUrl('data:text/html,<script>'), null);
    assert.equal(safeHttpUrl('/relative'), null);
    assert.equal(safeHttpUrl(' https://Example.com/x '), 'https://example.com/x');
    assert.equal(slackLinkUrl('https://x.test/a|b?c=1&d=2'), 'https://x.test/a%7Cb?c=1&amp;d=2');
  });

  it('truncates mrkdwn without cutting an entity or a link', () => {
    const t = truncateMrkdwn(`${'a'.repeat(10)}&amp;bbbb`, 13);
    assert.equal(t, `${'a'.repeat(10)}…`);
    const l = truncateMrkdwn(`abc <https://x.test|label> tail`, 12);
    assert.equal(l, 'abc…');
    assert.equal(truncateMrkdwn('short', 10), 'short');
  });
});

describe('renderEmail', () => {
  const three = (): Alert[] => [
    makeAlert(),
    makeAlert({ id: 2, title: 'Staff ML Engineer', company: 'Acme AI', salary: { min: 200_000, max: 240_000, currency: 'USD', period: 'year' }, feeds: ['remotewlb'] }, { id: 2 }),
    makeAlert({ id: 3, title: 'ML Platform Engineer', company: 'Globex', arrangement: 'hybrid', location: 'Berlin', salary: null }, { id: 3 }),
  ];

  it('leads the subject with the first job, names the rule only when there is room, and keeps the prefix', () => {
    const ctx = { now: NOW, channel: 'me' };
    const subject = (alerts: Alert[], prefix?: string) => renderEmail(alerts, { ...ctx, ...(prefix ? { subjectPrefix: prefix } : {}) }).subject;
    const mixed = three();
    mixed[1] = { ...mixed[1]!, rule: 'rule-b' };
    const five = Array.from({ length: 5 }, (_, i) => makeAlert({ id: i + 1, title: i === 0 ? 'Senior ML Engineer' : `Job ${i}` }, { id: i + 1 }));
    const cases: Array<[string, string]> = [
      [subject(five), 'Senior ML Engineer at Nomad Health and 4 more — remote-senior-ml'],
      [subject(three()), 'Senior Machine Learning Engineer at Nomad Health and 2 more — remote-senior-ml'],
      [subject([makeAlert()]), 'Senior Machine Learning Engineer at Nomad Health — remote-senior-ml'],
      [subject(mixed), 'Senior Machine Learning Engineer at Nomad Health and 2 more'],
      [subject([makeAlert({ company: null })], '[jobs]'), '[jobs] Senior Machine Learning Engineer — remote-senior-ml'],
      [subject(three(), '[jobs]'), '[jobs] Senior Machine Learning Engineer at Nomad Health and 2 more'],
    ];
    for (const [actual, expected] of cases) assert.equal(actual, expected);
  });

  it('keeps the subject under MAX_SUBJECT for very long titles, companies, prefixes and non-ASCII text, cut at a word', () => {
    const long = 'Senior Staff Machine Learning Infrastructure Engineer, Large Language Model Training Platform and Evaluation (Remote, US or Canada)';
    const cases: Array<{ job: Partial<StoredJob>; n?: number; prefix?: string; starts: string }> = [
      { job: { title: long }, n: 5, starts: 'Senior Staff Machine Learning Infrastructure' },
      { job: { title: long, company: 'The Extremely Long Company Name Holdings International Incorporated' }, starts: 'Senior Staff Machine Learning' },
      { job: { title: long }, prefix: '[jobalert: remote ML roles]', starts: '[jobalert: remote ML roles] Senior Staff' },
      { job: { title: 'Ingénieur·e Machine Learning senior — équipe Données & IA (télétravail complet, Île-de-France) 🇫🇷🚀🚀🚀', company: 'Société Générale' }, n: 2, starts: 'Ingénieur·e Machine Learning' },
      { job: { title: '機械学習エンジニア（シニア）リモート可・フルタイム・年収1200万円以上・東京本社または完全在宅勤務・英語不要・ストックオプションあり・副業可・書籍購入補助・リモートワーク手当', company: '株式会社ノマド' }, starts: '機械学習エンジニア' },
      { job: { title: 'x'.repeat(300) }, starts: 'xxxxxxxx' },
    ];
    for (const c of cases) {
      const alerts = Array.from({ length: c.n ?? 1 }, (_, i) => makeAlert({ ...c.job, id: i + 1 }, { id: i + 1 }));
      const { subject } = renderEmail(alerts, { now: NOW, channel: 'me', ...(c.prefix ? { subjectPrefix: c.prefix } : {}) });
      assert.ok(subject.length <= MAX_SUBJECT, `${subject.length} chars: ${subject}`);
      assert.ok(subject.startsWith(c.starts), subject);
      assert.ok(subject.includes('…'), `cut: ${subject}`);
      if (c.n) assert.ok(subject.endsWith(` and ${c.n - 1} more`), subject);
      assert.doesNotMatch(subject, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone surrogate');
      // Cut at a word: what precedes the ellipsis is the start of the title, ending where a word ends.
      const title = c.job.title!;
      const cut = subject.slice(c.prefix ? c.prefix.length + 1 : 0, subject.indexOf('…'));
      assert.ok(title.startsWith(cut), subject);
      if (title.includes(' ')) assert.match(title.slice(cut.length), /^[\s,]/, subject);
    }
  });

  it('keeps CR/LF out of the subject (header injection) and leaves markup in it as text', () => {
    const { subject } = renderEmail([makeAlert({ title: 'Engineer\r\nBcc: victim@example.com', company: 'X\nY' })], { now: NOW, channel: 'me' });
    assert.ok(!/[\r\n]/.test(subject), subject);
    assert.equal(subject, 'Engineer Bcc: victim@example.com at X Y — remote-senior-ml');
    const hostile = renderEmail([makeAlert({ title: '<script>alert(1)</script> & "Senior" <b>ML</b>', company: '<img src=x onerror=alert(1)>' })], { now: NOW, channel: 'me' });
    // A subject is a header, not HTML: shown as written (the mail client never renders it), escaped in the <title>.
    assert.ok(hostile.subject.startsWith('<script>alert(1)</script> & "Senior"'), hostile.subject);
    assert.ok(hostile.subject.length <= MAX_SUBJECT);
    assert.ok(hostile.html.includes('<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Senior&quot;'));
    assert.ok(!hostile.html.includes('<script>'));
  });

  it('renders a complete, dark-mode-aware HTML document with a card per job and a footer', () => {
    const { html, text } = renderEmail(three(), { now: NOW, channel: 'me' });
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(html.includes('<meta name="color-scheme" content="light dark">'));
    assert.ok(html.includes('@media (prefers-color-scheme: dark)'));
    assert.ok(html.includes('max-width:600px'));
    assert.ok(!/<img\b/i.test(html), 'readable without images');
    for (const [title, company] of [
      ['Senior Machine Learning Engineer', 'Nomad Health'],
      ['Staff ML Engineer', 'Acme AI'],
      ['ML Platform Engineer', 'Globex'],
    ] as const) {
      assert.ok(html.includes(`>${title}</a>`), title);
      assert.ok(html.includes(company));
      assert.ok(text.includes(`${title} · ${company}`));
    }
    for (const salary of ['$135k–$180k / year', formatSalary({ min: 200_000, max: 240_000, currency: 'USD', period: 'year' })]) {
      assert.ok(html.includes(escapeHtml(salary)), salary);
      assert.ok(text.includes(salary), salary);
    }
    assert.ok(html.includes('href="https://jobs.example.com/senior-mle?id=123&amp;src=wlb"'));
    assert.ok(html.includes('✓&nbsp;ML engineer'));
    assert.ok(html.includes('🌎 Remote (US)'));
    assert.ok(html.includes('📍 Hybrid (Berlin)'));
    assert.ok(html.includes('posted 3 h ago · 10 Mar 2025 on remotewlb'));
    assert.ok(html.includes('>Build ML systems.</div>'), 'the snippet');
    assert.ok(html.includes('>3 new jobs</h1>'), 'the heading is about the jobs');
    assert.ok(html.includes('also on: mirror'));
    assert.ok(html.includes('rule remote-senior-ml'));
    assert.ok(html.includes('To change what you receive, edit the rule in your jobalert config.'));
    assert.equal(html.match(/class="ja-card"/g)?.length, 3);

    assert.ok(text.startsWith('3 new jobs\n'));
    assert.ok(text.includes('1. Senior Machine Learning Engineer · Nomad Health'));
    assert.ok(text.includes('   🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago · 10 Mar 2025 on remotewlb\n   Build ML systems.\n'));
    assert.ok(text.includes('   ✓ remote · ✓ senior · ✓ ML engineer · ✓ $180k ≥ $130k'));
    assert.ok(text.includes('   also on: mirror'));
    assert.ok(text.includes('   https://jobs.example.com/senior-mle?id=123&src=wlb'));
    assert.ok(text.includes('To change what you receive, edit the rule in your jobalert config.'));
  });

  it('escapes every posting value and links only http(s)', () => {
    const { html } = renderEmail(
      [
        makeAlert(
          { title: '<script>alert(1)</script> & "Senior"', company: "<b>Evil</b> O'Brien", location: '<img src=x onerror=alert(1)>', arrangement: 'onsite' },
          { reasons: ['<i>reason</i>'] },
        ),
        makeAlert({ id: 2, url: 'javascript:alert(document.cookie)', title: 'Second' }, { id: 2 }),
      ],
      { now: NOW, channel: 'me' },
    );
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Senior&quot;'));
    assert.ok(!html.includes('<b>Evil'));
    assert.ok(html.includes('&lt;b&gt;Evil&lt;/b&gt; O&#39;Brien'));
    assert.ok(!html.includes('<img'));
    assert.ok(!html.includes('<i>reason'));
    assert.ok(!html.includes('javascript:'));
    for (const href of html.matchAll(/href="([^"]*)"/g)) assert.match(href[1]!, /^https?:\/\//);
  });
});

describe('plain text', () => {
  it('renders one alert for the console, without control characters from the posting', () => {
    const out = renderAlertText(makeAlert({ title: 'Engineer\u001b[31m red\u0007' }), { now: NOW });
    assert.ok(out.startsWith('New job: Engineer [31m red · Nomad Health\n'), out);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(out));
    assert.ok(out.includes('  🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago · 10 Mar 2025 on remotewlb\n  Build ML systems.\n'));
    assert.ok(out.endsWith('https://jobs.example.com/senior-mle?id=123&src=wlb\n'));
  });

  it('names the channel and rules in the email text footer', () => {
    const text = renderAlertsText([makeAlert(), makeAlert({}, { rule: 'other' })], { now: NOW, channel: 'me' });
    assert.ok(text.includes('Sent by jobalert to channel "me" for rules remote-senior-ml, other.'));
  });
});

describe('description snippet', () => {
  const seed = fs.readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8');

  it('starts where the posting talks about the job: past labels, headings, the title again and the company introduction', () => {
    const cases: Array<[string, { title: string; company: string | null }, string]> = [
      // The founding posting: a Markdown title, the company, a salary line and a heading come first.
      [seed, { title: 'Senior Machine Learning Engineer', company: 'Nomad Health' }, 'As a Senior Machine Learning Engineer, you will own the delivery of high-impact machine learning projects end-to-end. Your goal will be to utilize Nomad’s extensive historical data and state-of-the-art machine learning…'],
      [
        'Tallgrass AI builds LLM-based claims review for crop insurers. We raised an $18M Series A in 2024.\n\nWe are hiring a Senior ML Engineer to ship and evaluate production ML systems.\n\nWhat you\'ll do\n\n- Build LLM pipelines',
        { title: 'Senior ML Engineer', company: 'Tallgrass AI' },
        'We are hiring a Senior ML Engineer to ship and evaluate production ML systems. · Build LLM pipelines',
      ],
      [
        'About us\n\nAcme is the leading platform for widgets, trusted by 4,000 teams worldwide since 2009.\n\nThe role\n\nYou will design and run our data pipelines.',
        { title: 'Data Engineer', company: 'Acme' },
        'You will design and run our data pipelines.',
      ],
      [
        'Rate: £500/day Inside IR35\nDuration: 6 months\nLocation: London (Hybrid, 2 days on site)\n\nOur client, a tier-1 investment bank, needs a Python developer to build trade reporting tooling.',
        { title: 'Contract Python Developer', company: 'Sterling Recruitment' },
        'Our client, a tier-1 investment bank, needs a Python developer to build trade reporting tooling.',
      ],
      [
        'Acme | Senior Backend Engineer | Remote (US) | $150k\n\nAcme builds inventory software for hardware stores. We are 25 people and hiring a senior backend engineer.',
        { title: 'Acme | Senior Backend Engineer | Remote (US) | $150k', company: 'Acme' },
        'We are 25 people and hiring a senior backend engineer.',
      ],
      // A list is never skipped, even when no sentence before it names the job.
      ['Saffron builds demand forecasting for 60 retail chains.\n\nKey responsibilities\n\n- Build forecasting models\n- Mentor analysts', { title: 'Data Scientist', company: 'Saffron' }, 'Build forecasting models · Mentor analysts'],
      // Nothing about the job at all: the text as it is.
      ['Great company. Great people.', { title: 'Engineer', company: null }, 'Great company. Great people.'],
    ];
    for (const [description, job, expected] of cases) assert.equal(descriptionSnippet(description, job), expected);
    assert.equal(descriptionSnippet('', { title: 'X', company: null }), null);
    assert.equal(descriptionSnippet('Salary: $100k\nLocation: Remote\n\n### Benefits', { title: 'X', company: null }), null);
  });

  it('is at most SNIPPET_MAX characters, cut at a word with an ellipsis, whatever the description', () => {
    const long = descriptionSnippet(`You will ${'build reliable data pipelines '.repeat(40)}`, { title: 'Data Engineer', company: null })!;
    assert.ok(long.length <= SNIPPET_MAX, `${long.length}`);
    assert.ok(long.endsWith('pipelines…') || long.endsWith('data…') || long.endsWith('reliable…') || long.endsWith('build…'), long);
    const word = descriptionSnippet(`You ${'x'.repeat(5000)}`, { title: 'X', company: null })!;
    assert.equal(word.length, SNIPPET_MAX);
    const emoji = descriptionSnippet(`You will ${'😀'.repeat(400)}`, { title: 'X', company: null })!;
    assert.ok(emoji.length <= SNIPPET_MAX);
    assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/, 'no lone surrogate');
    const controls = descriptionSnippet('You will \u001b[31mwork\u0007 \u202eevil\u202c here.', { title: 'X', company: null })!;
    assert.doesNotMatch(controls, /[\u0000-\u001f\u202a-\u202e]/);
  });

  it('is escaped for every markup it goes into', () => {
    const description = 'You will <script>alert(1)</script> & ping <!channel> @here <http://evil.example|click> *now*.';
    const alert = makeAlert({ description });
    const { html, text } = renderEmail([alert], { now: NOW, channel: 'me' });
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('You will &lt;script&gt;alert(1)&lt;/script&gt; &amp; ping &lt;!channel&gt;'), html);
    assert.ok(text.includes('You will <script>alert(1)</script> & ping <!channel>'), 'plain text as written');
    for (const msg of [renderSlackMessage(alert, { now: NOW }), renderSlackGroup([alert, makeAlert({ id: 2, description }, { id: 2 }), makeAlert({ id: 3 }, { id: 3 }), makeAlert({ id: 4 }, { id: 4 })], { now: NOW })]) {
      for (const t of slackTexts(msg)) {
        assert.ok(!t.includes('<!channel>'), t);
        assert.ok(!t.includes('<http://evil'), t);
        assert.ok(!/@(here|channel|everyone)/.test(t), t);
      }
      assert.ok(JSON.stringify(msg.blocks).includes('You will &lt;script&gt;alert(1)&lt;/script&gt; &amp; ping &lt;!channel&gt; @\u200dhere'));
    }
  });
});

describe('dates', () => {
  it('writes the absolute date next to the relative one, in the configured time zone (UTC by default)', () => {
    // 02:00 UTC on 10 March is still 9 March in California and already 10 March in Tokyo.
    const job = { published: new Date('2025-03-10T02:00:00Z') };
    assert.equal(formatDate(job.published), '10 Mar 2025');
    assert.equal(formatDate(job.published, 'America/Los_Angeles'), '9 Mar 2025');
    assert.equal(formatDate(job.published, 'Asia/Tokyo'), '10 Mar 2025');
    assert.equal(formatDate(job.published, 'Not/AZone'), '10 Mar 2025', 'an unknown zone falls back to UTC');
    const la = { now: NOW, timeZone: 'America/Los_Angeles' };
    assert.ok(renderAlertText(makeAlert(job), la).includes('posted 10 h ago · 9 Mar 2025 on remotewlb'));
    assert.ok(renderSlackMessage(makeAlert(job), la).text.includes('posted 10 h ago · 9 Mar 2025 on remotewlb'));
    const mail = renderEmail([makeAlert(job)], { ...la, channel: 'me' });
    assert.ok(mail.html.includes('posted 10 h ago · 9 Mar 2025 on remotewlb'));
    assert.ok(mail.text.includes('posted 10 h ago · 9 Mar 2025 on remotewlb'));
    assert.ok(renderAlertText(makeAlert(job), { now: NOW }).includes('posted 10 h ago · 10 Mar 2025 on remotewlb'));
  });
});

describe('reasons as shown', () => {
  it('drops a reason another one already says, whatever stored them', () => {
    const msg = renderSlackMessage(makeAlert({}, { reasons: ['senior', 'ML engineer', 'remote (US)', '$180k/yr ≥ $130k', 'remote (US) covers California', 'senior'] }), { now: NOW });
    assert.equal((msg.blocks as Block[])[1]!.elements![0]!.text, '✓ senior · ✓ ML engineer · ✓ remote (US) covers California · ✓ $180k/yr ≥ $130k');
  });
});

describe('renderSlackGroup', () => {
  const many = (n: number, job: Partial<StoredJob> = {}) => Array.from({ length: n }, (_, i) => makeAlert({ ...job, id: i + 1, title: job.title ?? `ML Engineer ${i + 1}`, url: job.url ?? `https://jobs.example.com/${i + 1}` }, { id: i + 1 }));

  it('lists each job as its own message would show it, under one header, the rule said once', () => {
    const msg = renderSlackGroup(many(4), { now: NOW });
    const blocks = msg.blocks as Block[];
    assert.deepEqual(blocks.map((b) => b.type), ['header', 'section', 'context', 'divider', 'section', 'context', 'divider', 'section', 'context', 'divider', 'section', 'context', 'divider', 'context']);
    assert.deepEqual(blocks[0]!.text, { type: 'plain_text', text: '4 new jobs', emoji: true } as unknown as { text: string });
    assert.equal(blocks[1]!.text!.text, '*<https://jobs.example.com/1|ML Engineer 1>* · Nomad Health\n🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago · 10 Mar 2025 on remotewlb\nBuild ML systems.');
    assert.deepEqual(blocks[2]!.elements!.map((e) => e.text), ['✓ remote · ✓ senior · ✓ ML engineer · ✓ $180k ≥ $130k', 'also on: mirror']);
    assert.deepEqual(blocks[13]!.elements!.map((e) => e.text), ['rule: remote-senior-ml']);
    assert.ok(!JSON.stringify(msg.blocks).includes('"button"'));
    // The fallback lists the jobs, one line each (ten whole cards would pass Slack's advised 4,000 characters).
    assert.equal(
      msg.text,
      '*4 new jobs*\n' + [1, 2, 3, 4].map((i) => `• *<https://jobs.example.com/${i}|ML Engineer ${i}>* · Nomad Health · Remote (US)`).join('\n') + '\nrule: remote-senior-ml',
    );
    // Several rules: each job names its own.
    const mixed = many(4);
    mixed[3] = { ...mixed[3]!, rule: 'other' };
    const contexts = (renderSlackGroup(mixed, { now: NOW }).blocks as Block[]).filter((b) => b.type === 'context').map((b) => b.elements!.map((e) => e.text));
    assert.deepEqual(contexts.map((c) => c.find((t) => String(t).startsWith('rule: '))), ['rule: remote-senior-ml', 'rule: remote-senior-ml', 'rule: remote-senior-ml', 'rule: other']);
  });

  it('stays within Block Kit limits (50 blocks, 3000 per text, 150 per header) for the most jobs with huge values', () => {
    const huge = many(SLACK_GROUP_MAX, { title: '&<>'.repeat(2000), company: 'C&'.repeat(2000), location: 'L'.repeat(5000), url: `https://jobs.example.com/${'a'.repeat(2500)}`, description: `You ${'&<> '.repeat(3000)}` });
    for (const a of huge) a.reasons = Array.from({ length: 50 }, (_, i) => `${i}${'&'.repeat(500)}`);
    const msg = renderSlackGroup(huge, { now: NOW });
    const blocks = msg.blocks as Block[];
    assert.ok(blocks.length <= 50, `${blocks.length} blocks`);
    assert.ok((blocks[0]!.text as unknown as { text: string }).text.length <= 150);
    for (const t of slackTexts(msg)) {
      assert.ok(t.length <= 3000, `text of ${t.length} chars`);
      assert.ok(!/&(?!amp;|lt;|gt;)/.test(t), 'no bare or cut entity');
    }
    assert.equal(blocks.filter((b) => b.type === 'section').length, SLACK_GROUP_MAX);
    // More than it can show are counted, never dropped silently.
    const over = renderSlackGroup(many(SLACK_GROUP_MAX + 2), { now: NOW });
    assert.ok(over.blocks.length <= 50);
    assert.ok(JSON.stringify(over.blocks).includes('…and 2 more'));
    assert.throws(() => renderSlackGroup([], { now: NOW }));
  });

  it('prints as plain text the same jobs in the same order (what the dry run shows)', () => {
    const text = renderGroupText(many(4), { now: NOW });
    assert.ok(text.startsWith('4 new jobs\n\n1. ML Engineer 1 · Nomad Health\n'));
    assert.ok(text.includes('\n\n4. ML Engineer 4 · Nomad Health\n'));
  });
});
