/**
 * OPML subscription lists (what feed readers export): every <outline> with an xmlUrl, at any depth,
 * with the titles of the outlines it sits in (its categories). Parsed with htmlparser2 in XML mode,
 * leniently (exports are often sloppy), after the same refusal of entity declarations as feeds.
 */
import { Parser } from 'htmlparser2';
import { ParseError } from '../core/errors.js';
import { skipProlog } from './detect-format.js';
import { refuseEntityDeclarations } from './parse-feed.js';

/** One subscription of an OPML file. */
export interface OpmlFeed {
  /** The outline's title, else its text; null when it has neither. */
  title: string | null;
  /** The xmlUrl as written (trimmed). */
  xmlUrl: string;
  /** Titles of the enclosing outlines, outermost first. */
  categories: string[];
}

/** The subscriptions of an OPML document, in document order; throws ParseError when the text is not OPML. */
export function parseOpml(text: string): OpmlFeed[] {
  const start = skipProlog(text);
  if (start < 0) throw new ParseError(text.trim() === '' ? 'the file is empty' : 'not an OPML file (no XML root element)');
  if (text[start] !== '<') throw new ParseError(`not an OPML file (it starts with ${JSON.stringify(text.slice(start, start + 20))}, not an XML element)`);
  refuseEntityDeclarations(text);

  const feeds: OpmlFeed[] = [];
  // One entry per open <outline>: its title when it is a category (no xmlUrl), else null.
  const stack: Array<string | null> = [];
  let root: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (root === null) {
          root = name;
          if (name.toLowerCase() !== 'opml') throw new ParseError(notOpml(name));
        }
        if (name.toLowerCase() !== 'outline') return;
        const title = clean(attrs.title) ?? clean(attrs.text);
        const xmlUrl = clean(attrs.xmlUrl ?? attrs.xmlurl);
        if (xmlUrl) feeds.push({ title, xmlUrl, categories: stack.filter((c): c is string => c !== null) });
        stack.push(xmlUrl ? null : title);
      },
      onclosetag(name) {
        if (name.toLowerCase() === 'outline') stack.pop();
      },
    },
    // XML mode: attribute names keep their case (xmlUrl), only XML's own entities are decoded.
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(text);
  parser.end();
  if (root === null) throw new ParseError('not an OPML file (no XML root element)');
  return feeds;
}

function notOpml(root: string): string {
  const lower = root.toLowerCase();
  if (lower === 'rss' || lower === 'feed' || lower === 'rdf:rdf') {
    return `not an OPML file: this is a feed (root element <${root}>); add its URL to the config as a feed instead`;
  }
  return `not an OPML file (the root element is <${root}>, expected <opml>)`;
}

function clean(value: string | undefined): string | null {
  const text = value?.replace(/\s+/g, ' ').trim();
  return text ? text : null;
}
