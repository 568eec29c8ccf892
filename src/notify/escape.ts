/**
 * Escaping for the two markups alerts are written in: Slack mrkdwn and HTML.
 * Every value that comes from a posting is hostile until it has been through one of these.
 */

// C0/C1 controls (terminal escapes, CR/LF header injection) and bidi overrides that can
// make a title read differently from what it is.
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control characters and bidi overrides with spaces and collapses runs of whitespace to one space. */
export function cleanText(text: string): string {
  return text.replace(CONTROL_RE, ' ').replace(/\s+/g, ' ').trim();
}

/** cleanText on each line: keeps the line breaks of a multi-line message and nothing else a terminal or mailer could act on. */
export function cleanLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(cleanText)
    .join('\n');
}

/** Shortens text to at most `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  let cut = max - 1;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/**
 * Escapes text for Slack mrkdwn: the three control characters become entities (this is what
 * turns `<!channel>`, `<@U123>` and `<http://evil|click>` into literal text), and bare
 * `@here` / `@channel` / `@everyone` get a zero-width joiner so Slack does not treat them as mentions.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)/gi, '@\u200d$1');
}

// Slack mrkdwn has no escape character, so the styling characters are swapped for look-alikes:
// inside `*<url|title>*` a stray `*` or `_` would end the bold or italicize the rest of the line.
const STYLE_LOOKALIKES: Record<string, string> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02cd', // ˍ modifier letter low macron
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
};

/** escapeMrkdwn plus neutralized styling characters (`*`, `_`, `~`, backtick): for titles, company names and other inline values. */
export function escapeMrkdwnInline(text: string): string {
  return escapeMrkdwn(text).replace(/[*_~`]/g, (c) => STYLE_LOOKALIKES[c] ?? c);
}

/**
 * Shortens already-escaped mrkdwn to at most `max` characters without cutting through an
 * entity (`&amp;`) or a `<...>` link, so truncation can never produce broken or live markup.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp !== -1) {
    const semi = text.indexOf(';', amp);
    if (semi === -1 || semi >= cut) cut = amp;
  }
  const open = text.lastIndexOf('<', cut - 1);
  if (open !== -1 && text.lastIndexOf('>', cut - 1) < open) cut = open;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Returns the URL normalized when it is an absolute http(s) URL, else null: a `javascript:`,
 * `data:` or relative link from a posting must never become clickable.
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username || parsed.password) return null; // user:pass@ links are a phishing trick
  return parsed.href;
}

/**
 * Formats a safe URL for the URL half of a Slack `<url|label>` link: `|`, `<` and `>` are
 * percent-encoded (they would end the URL or the link) and `&` becomes `&amp;`, the form
 * Slack itself uses for links in message text.
 */
export function slackLinkUrl(safeUrl: string): string {
  return safeUrl
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/&/g, '&amp;');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Replaces every occurrence of each secret (and its URL-decoded form) in a message with "[redacted]". */
export function redactSecrets(message: string, secrets: Array<string | null | undefined>): string {
  let out = message;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue; // too short to redact without mangling the message
    const forms = new Set([secret, safeDecode(secret), encodeURIComponent(secret)]);
    for (const form of forms) if (form) out = out.split(form).join('[redacted]');
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
