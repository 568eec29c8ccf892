import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert, StoredJob } from '../src/core/types.js';
import { formatSalary } from '../src/match/format-salary.js';
import { escapeHtml, escapeMrkdwn, escapeMrkdwnInline, safeHttpUrl, slackLinkUrl, truncateMrkdwn } from '../src/notify/escape.js';
import { renderSlackMessage } from '../src/notify/render-slack.js';
import { renderEmail } from '../src/notify/render-email.js';
import { describeAge, describePlace, renderAlertText, renderAlertsText } from '../src/notify/render-text.js';

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
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['section', 'context', 'actions', 'context'],
    );
    const section = blocks[0]!.text!.text;
    assert.equal(
      section,
      '*<https://jobs.example.com/senior-mle?id=123&amp;src=wlb|Senior Machine Learning Engineer>* · Nomad Health\n' +
        '🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago on remotewlb',
    );
    assert.equal(formatSalary(makeAlert().job.salary!), '$135k–$180k / year');
    const context = blocks[1]!.elements!.map((e) => e.text);
    assert.deepEqual(context, ['✓ remote · ✓ senior · ✓ ML engineer · ✓ $180k ≥ $130k', 'rule: remote-senior-ml']);
    const button = blocks[2]!.elements![0]!;
    assert.equal(button.type, 'button');
    assert.deepEqual(button.text, { type: 'plain_text', text: 'Open posting', emoji: true });
    assert.equal(button.url, 'https://jobs.example.com/senior-mle?id=123&src=wlb');
    assert.equal(blocks[3]!.elements![0]!.text, 'also on: mirror');

    assert.ok(msg.text.includes(section), 'fallback carries the section');
    assert.ok(msg.text.includes('✓ remote · ✓ senior'));
    assert.ok(msg.text.includes('rule: remote-senior-ml'));
    assert.ok(msg.text.includes('also on: mirror'));
  });

  it('omits "also on" for a job seen in one feed, and links feeds given in feedLinks', () => {
    const single = renderSlackMessage(makeAlert({ feeds: ['remotewlb'] }), { now: NOW });
    assert.equal((single.blocks as Block[]).length, 3);
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
    assert.ok(!blocks.some((b) => b.type === 'actions'), 'no button for a javascript: URL');
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
    const button = (msg.blocks as Block[]).find((b) => b.type === 'actions')!.elements![0]!;
    assert.ok(((button.text as { text: string }).text).length <= 75);
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
    assert.ok((onsite.blocks as Block[])[0]!.text!.text.endsWith('\n📍 On-site (Austin, TX) · posted 3 h ago on remotewlb'));
  });

  it('says how long ago a job was posted, or when it was seen when the source has no date', () => {
    assert.equal(describeAge(new Date(NOW.getTime() - 20_000), NOW), 'just now');
    assert.equal(describeAge(new Date(NOW.getTime() + HOUR), NOW), 'just now');
    assert.equal(describeAge(new Date(NOW.getTime() - 25 * 60_000), NOW), '25 min ago');
    assert.equal(describeAge(new Date(NOW.getTime() - 3 * HOUR), NOW), '3 h ago');
    assert.equal(describeAge(new Date(NOW.getTime() - 50 * HOUR), NOW), '2 d ago');
    const msg = renderSlackMessage(makeAlert({ published: null }), { now: NOW });
    assert.ok(msg.text.includes('seen 2 h ago on remotewlb'));
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

  it('writes the subject DESIGN.md shows, for one job, several jobs and several rules', () => {
    const ctx = { now: NOW, channel: 'me' };
    assert.equal(
      renderEmail(three(), ctx).subject,
      '3 new jobs for remote-senior-ml — Senior Machine Learning Engineer at Nomad Health and 2 more',
    );
    assert.equal(renderEmail([makeAlert()], ctx).subject, 'New job for remote-senior-ml — Senior Machine Learning Engineer at Nomad Health');
    const mixed = three();
    mixed[1] = { ...mixed[1]!, rule: 'rule-b' };
    mixed[2] = { ...mixed[2]!, rule: 'rule-b' };
    assert.equal(renderEmail(mixed, ctx).subject, '3 new jobs for remote-senior-ml, rule-b — Senior Machine Learning Engineer at Nomad Health and 2 more');
    assert.equal(renderEmail([makeAlert({ company: null })], { ...ctx, subjectPrefix: '[jobs]' }).subject, '[jobs] New job for remote-senior-ml — Senior Machine Learning Engineer');
  });

  it('keeps CR/LF out of the subject (header injection)', () => {
    const { subject } = renderEmail([makeAlert({ title: 'Engineer\r\nBcc: victim@example.com', company: 'X\nY' })], { now: NOW, channel: 'me' });
    assert.ok(!/[\r\n]/.test(subject), subject);
    assert.equal(subject, 'New job for remote-senior-ml — Engineer Bcc: victim@example.com at X Y');
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
    assert.ok(html.includes('✓ ML engineer'));
    assert.ok(html.includes('🌎 Remote (US)'));
    assert.ok(html.includes('📍 Hybrid (Berlin)'));
    assert.ok(html.includes('posted 3 h ago on remotewlb'));
    assert.ok(html.includes('also on: mirror'));
    assert.ok(html.includes('rule remote-senior-ml'));
    assert.ok(html.includes('To change what you receive, edit the rule in your jobalert config.'));
    assert.equal(html.match(/class="ja-card"/g)?.length, 3);

    assert.ok(text.startsWith('3 new jobs for remote-senior-ml\n'));
    assert.ok(text.includes('1. Senior Machine Learning Engineer · Nomad Health'));
    assert.ok(text.includes('   🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago on remotewlb'));
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
    assert.ok(out.startsWith('New job for remote-senior-ml: Engineer [31m red · Nomad Health\n'), out);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(out));
    assert.ok(out.includes('  🌎 Remote (US) · 💰 $135k–$180k / year · posted 3 h ago on remotewlb'));
    assert.ok(out.endsWith('https://jobs.example.com/senior-mle?id=123&src=wlb\n'));
  });

  it('names the channel and rules in the email text footer', () => {
    const text = renderAlertsText([makeAlert(), makeAlert({}, { rule: 'other' })], { now: NOW, channel: 'me' });
    assert.ok(text.includes('Sent by jobalert to channel "me" for rules remote-senior-ml, other.'));
  });
});
