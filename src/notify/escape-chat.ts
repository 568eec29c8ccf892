/**
 * Escaping for the chat markups of the HTTP channels: Discord markdown and Telegram's HTML.
 * (Webhook bodies are JSON, ntfy messages plain text and Teams text sits in Adaptive Card
 * TextRuns, which render no markup at all: cleanText is all those need.) Every value that comes
 * from a posting goes through one of these before it is put in a message.
 */
import { truncateText } from './escape.js';

// Discord's parser drops a backslash before any ASCII punctuation. Escaped everywhere: what
// starts styling (* _ ~ ` |), links ([ ]) and mentions, timestamps and custom emoji (<); at the
// start of a line also what starts a heading, quote or list (# > - + "1."). Other punctuation
// ("-", ".", "(") is left bare: where Discord shows a field without parsing it, fewer
// backslashes show.
const DISCORD_SPECIAL_RE = /[\\*_~`|[\]<]/g;
const DISCORD_LINE_START_RE = /^(\s*)(?:([#>+-])|(\d+)\.)/gm;

/**
 * Escapes text for Discord markdown: every styling, link and mention character gets a
 * backslash, so `**x**`, `[click](https://evil)` and `<@123>` show as written. (Messages also
 * carry `allowed_mentions: {parse: []}`, so nothing in them can ping anyone; breakMentions keeps
 * `@everyone` from even looking like a ping.)
 */
export function escapeDiscord(text: string): string {
  return text
    .replace(DISCORD_SPECIAL_RE, (c) => `\\${c}`)
    .replace(DISCORD_LINE_START_RE, (_m, space: string, mark: string | undefined, digits: string | undefined) => (mark ? `${space}\\${mark}` : `${space}${digits}\\.`));
}

/** A safe http(s) URL for the `(url)` half of a Discord masked link: characters that would end it are percent-encoded. */
export function discordLinkUrl(safeUrl: string): string {
  return safeUrl.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Escapes text for Telegram's HTML parse mode, attribute values included: `&`, `<`, `>` and `"` become the entities Telegram supports. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Telegram makes `@name` a mention (which notifies that user in a group) and Discord shows
 * `@everyone` as a ping even when it cannot ping: a word joiner after "@" keeps the text as
 * written and makes it plain.
 */
export function breakMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_])/g, '@\u2060');
}

/**
 * The escaped form of `raw`, at most `max` characters: the RAW text is shortened (ending in "…")
 * until its escaped form fits, so a cut never splits an escape sequence or an entity.
 */
export function fitEscaped(raw: string, max: number, escape: (text: string) => string): string {
  let text = raw;
  let out = escape(text);
  while (out.length > max && text.length > 0) {
    text = truncateText(text, Math.max(0, text.length - (out.length - max)));
    out = escape(text);
  }
  return out.length > max ? '' : out;
}

/** Joins whole parts (escaped markup) while they fit in `max` (a part is never cut: it may hold a link or a tag); "…" when some were left out. */
export function joinWithin(parts: string[], sep: string, max: number): string {
  let out = '';
  for (const part of parts) {
    const next = out ? `${out}${sep}${part}` : part;
    if (next.length > max - 2) return out ? `${out} …` : '…';
    out = next;
  }
  return out;
}
