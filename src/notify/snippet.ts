/**
 * The description snippet of an alert: the first couple of sentences about the job itself, so a
 * reader can decide without clicking. Pure; works on the bounded prefix the outbox loads.
 *
 * One general rule instead of a list of boilerplate phrases: the snippet starts at the first
 * sentence or heading that is about the job — it names a word of the title ("Data" for a Data
 * Engineer) or speaks of the role ("you", "this role", "position", "hiring", "looking for"), and
 * does not start with the company's name — or at the first list, whichever comes first. The prose
 * before it (the company introduction, an "About us" section) is skipped; when there is nothing
 * else, the snippet is that prose. Lines the card already shows or that
 * say nothing (the title or company again, "Salary: ...", "Location: ..." labels, an "A | B | C"
 * header) never count, and headings only mark where the job starts.
 */
import { cleanText } from './escape.js';

/** The longest snippet, in characters: two lines of an email card on a desktop. */
export const SNIPPET_MAX = 220;

// A bullet item, as html-to-text and Markdown write them.
const BULLET_RE = /^\s*(?:[-*•·–◦▪]|\d{1,2}[.)])\s+/u;
// "Salary: $150k", "Location: Remote (UK)", "Job Type: Full-time": a label and its value.
const LABEL_RE = /^[\p{L}][\p{L}\p{N} ()/&'’-]{0,30}:\s*\S/u;
// Words that say a sentence is about the job rather than the company.
const ROLE_RE = /\b(?:you|your|you['’](?:ll|re|ve|d)|this role|the role|role is|position|hiring|looking for|seeking|join us|opportunity)\b/iu;
// Title words that say nothing on their own.
const TITLE_FILLER: ReadonlySet<string> = new Set([
  'senior', 'sr', 'junior', 'jr', 'staff', 'principal', 'lead', 'mid', 'level', 'intern', 'head', 'of', 'and', 'or', 'the', 'a', 'an', 'in',
  'for', 'at', 'to', 'with', 'remote', 'hybrid', 'onsite', 'contract', 'full', 'time', 'part', 'ii', 'iii', 'iv', 'm', 'w', 'd', 'f', 'x',
]);

interface Piece {
  text: string;
  kind: 'sentence' | 'bullet' | 'heading';
}

/** The snippet of a description: about SNIPPET_MAX characters of plain text about the job, cut at a word with "…"; null when there is nothing to show. */
export function descriptionSnippet(description: string, job: { title: string; company?: string | null }, max = SNIPPET_MAX): string | null {
  if (!description) return null;
  const pieces = piecesOf(description, job);
  const content = pieces.filter((p) => p.kind !== 'heading');
  if (content.length === 0) return null;
  const words = titleWords(job.title, job.company);
  const company = job.company ? fold(job.company) : '';
  const about = (p: Piece): boolean =>
    // "Acme builds inventory software" is about Acme, whatever words it shares with the title.
    !(company && `${fold(p.text)} `.startsWith(`${company} `)) &&
    (ROLE_RE.test(p.text) || wordsOf(p.text).some((w) => words.has(w) || words.has(w.replace(/s$/, ''))));
  // A list (what you will do, what you bring) is never skipped: only the prose before it can be an introduction.
  const start = pieces.findIndex((p) => p.kind === 'bullet' || about(p));
  const from = start === -1 ? content : pieces.slice(start).filter((p) => p.kind !== 'heading');
  return joinPieces(from.length > 0 ? from : content, max);
}

/** The description as sentences, bullets and headings, without the lines that say nothing new. */
function piecesOf(description: string, job: { title: string; company?: string | null }): Piece[] {
  const same = new Set([fold(job.title), job.company ? fold(job.company) : ''].filter(Boolean));
  const pieces: Piece[] = [];
  for (const paragraph of description.split(/\n\s*\n/)) {
    const lines = paragraph.split('\n').map(plainLine).filter((l) => l.length > 0);
    for (const line of lines) {
      if (!/\p{L}/u.test(line) || same.has(fold(line)) || LABEL_RE.test(line) || (line.match(/ \| /g)?.length ?? 0) >= 2) continue;
      if (BULLET_RE.test(line)) {
        const text = line.replace(BULLET_RE, '').trim();
        if (text) pieces.push({ text, kind: 'bullet' });
      } else if (line.length < 80 && !/[.!?…]["'”’)]?$/u.test(line)) {
        // A short line that does not end a sentence: a heading, or a detail line ("Festanstellung, Vollzeit").
        pieces.push({ text: line, kind: 'heading' });
      } else {
        for (const sentence of sentences(line)) pieces.push({ text: sentence, kind: 'sentence' });
      }
    }
  }
  return pieces;
}

/** A line without Markdown decoration ("### ", "**", "`", "[text](url)"), control characters and extra spaces. */
function plainLine(line: string): string {
  return cleanText(
    line
      .replace(/!?\[([^\]]*)\]\([^)\s]*\)/g, '$1')
      .replace(/^\s*#{1,6}\s+/, '')
      .replace(/\*\*|__|`/g, ''),
  );
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"“(])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function joinPieces(pieces: readonly Piece[], max: number): string | null {
  let out = '';
  let previous: Piece | null = null;
  for (const piece of pieces) {
    if (out.length > max) break;
    // Bullets read as a list on one line; sentences as prose.
    const sep = previous === null ? '' : piece.kind === 'bullet' || previous.kind === 'bullet' ? ' · ' : ' ';
    out += sep + piece.text;
    previous = piece;
  }
  return out ? cutAtWord(out, max) : null;
}

/** Shortens text to at most `max` characters at a word boundary, ending with "…" (never splitting a surrogate pair). */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.lastIndexOf(' ', max - 1);
  // One very long word: cut inside it rather than show almost nothing.
  if (cut < max * 0.6) cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).replace(/[\s,;:·–—\-/(&]+$/u, '')}…`;
}

// The words of the title that name the job: not levels, not the company, not numbers.
function titleWords(title: string, company: string | null | undefined): Set<string> {
  const theirs = new Set(company ? wordsOf(company) : []);
  return new Set(wordsOf(title).filter((w) => w.length > 1 && /^\p{L}+$/u.test(w) && !TITLE_FILLER.has(w) && !theirs.has(w)));
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function fold(text: string): string {
  return wordsOf(text).join(' ');
}
