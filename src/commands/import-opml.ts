/** `jobalert import-opml FILE`: the `feeds:` YAML for the subscriptions of an OPML file. */
import fs from 'node:fs';
import { ParseError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { decodeBody } from '../http/charset.js';
import { FeedList } from '../sources/feed-yaml.js';
import { parseOpml } from '../sources/opml.js';
import { CommandError, EXIT_OK, EXIT_USAGE } from './exit.js';

// Feed-reader exports are kilobytes; anything this big is not a subscription list.
const MAX_OPML_BYTES = 20 * 1024 * 1024;

/**
 * Prints `feeds:` for every outline with an xmlUrl (ATS board addresses as their typed entry);
 * outlines that cannot be a feed are named on stderr. A file that is not OPML, or has no feed, is a usage error.
 */
export function importOpmlCommand(file: string, out: (s: string) => void = (s) => process.stdout.write(s), warn: (s: string) => void = (s) => process.stderr.write(s)): number {
  const feeds = parseOrExplain(file, readOpml(file));
  if (feeds.length === 0) throw new CommandError(`${file}: no feeds found (no <outline> with an xmlUrl)`, EXIT_USAGE);
  const list = new FeedList();
  for (const feed of feeds) {
    const url = httpUrlOf(feed.xmlUrl);
    const label = feed.title ? `"${feed.title}"` : 'an outline without a title';
    if (!url) {
      warn(`warning: skipped ${label}: xmlUrl ${JSON.stringify(redactUrl(feed.xmlUrl))} is not an http(s) URL\n`);
      continue;
    }
    const where = feed.categories.length > 0 ? ` in ${feed.categories.join(' / ')}` : '';
    if (!list.add({ title: feed.title, url, comment: `OPML: ${label}${where}: ${redactUrl(url)}` })) {
      warn(`note: ${label} (${redactUrl(url)}) repeats a feed already listed; listed once\n`);
    }
  }
  if (list.size === 0) throw new CommandError(`${file}: no outline has an http(s) xmlUrl`, EXIT_USAGE);
  out(list.toYaml());
  return EXIT_OK;
}

function readOpml(file: string): string {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > MAX_OPML_BYTES) throw new CommandError(`${file}: larger than ${MAX_OPML_BYTES / (1024 * 1024)} MB; not an OPML subscription list`, EXIT_USAGE);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new CommandError(`cannot read ${file}: ${why}`, EXIT_USAGE);
  }
  // The XML declaration's encoding="..." is honoured (the same decoding as a fetched feed).
  return decodeBody(bytes, null);
}

function parseOrExplain(file: string, text: string) {
  try {
    return parseOpml(text);
  } catch (err) {
    if (err instanceof ParseError) throw new CommandError(`${file}: ${err.message}`, EXIT_USAGE);
    throw err;
  }
}

/** The http(s) URL an xmlUrl stands for (feed:// and feed:https:// are the old feed-reader schemes), or null. */
function httpUrlOf(xmlUrl: string): string | null {
  const text = xmlUrl.replace(/^feed:\/\//i, 'http://').replace(/^feed:(?=https?:)/i, '');
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
