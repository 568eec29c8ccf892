/**
 * The header some boards put at the top of a description, before any prose (remotewlb):
 *
 *     Nomad Health
 *     💰 $135,000 to $180,000
 *     🌎 Hybrid - NYC
 *
 * A first line that is only a company name, then fields each led by an emoji. The place field
 * says the arrangement and the place: "🌎 Remote", "🌎 Remote (US)", "🌎 Hybrid - NYC" (the place
 * after the arrangement word is the location). Pay lines are left in the text for the salary parser.
 */
import type { Arrangement } from '../core/types.js';
import { firstLines, plainCompanyName } from './company.js';
import { arrangementWord } from './item-fields.js';

/** What the header lines of a description say; null where they say nothing. */
export interface LeadingLines {
  company: string | null;
  /** The company line is followed by field lines: a header for sure, stronger than an item author. */
  companyInHeader: boolean;
  location: string | null;
  arrangement: Arrangement | null;
}

// Lines looked at: a title line, a company line and a few field lines.
const HEADER_LINES = 6;
const MAX_PLACE_LENGTH = 80;
// A header line is short; longer lines are cut before any pattern runs on them.
const MAX_LINE_LENGTH = 300;
const PICTOGRAPH_RE = /\p{Extended_Pictographic}/u;
// Globe (🌍🌎🌏), pin (📍) and map (🗺) lead a place field.
const PLACE_MARKERS: ReadonlySet<number> = new Set([0x1f30d, 0x1f30e, 0x1f30f, 0x1f4cd, 0x1f5fa]);

/** Reads company, place and arrangement from the header lines of a description (title given to skip its line). */
export function readLeadingLines(description: string, title: string): LeadingLines {
  const lines = firstLines(description, HEADER_LINES + 1)
    .map((l) => plainLine(l.slice(0, MAX_LINE_LENGTH)))
    .filter((l) => l !== '');
  let i = 0;
  if (lines[0] !== undefined && sameText(lines[0], title)) i = 1;
  let company: string | null = null;
  let companyInHeader = false;
  const first = lines[i];
  if (first !== undefined && !isFieldLine(first)) {
    const name = plainCompanyName(first);
    const next = lines[i + 1];
    // A bare name is taken as the company only when the header goes on with fields, or the body
    // names it again ("... other roles at Nomad Health"): a lone short first line may be anything.
    companyInHeader = name !== null && next !== undefined && isFieldLine(next);
    if (name !== null && (companyInHeader || namedAgain(description, name))) company = name;
    if (name !== null || sameText(first, title)) i += 1;
  }
  let location: string | null = null;
  let arrangement: Arrangement | null = null;
  for (const line of lines.slice(i, i + HEADER_LINES)) {
    if (!isFieldLine(line)) break;
    for (const field of fieldsOf(line)) {
      if (!PLACE_MARKERS.has(field.marker) || location !== null) continue;
      const place = readPlace(field.text);
      location = place.location;
      arrangement = place.arrangement;
    }
  }
  return { company, companyInHeader, location, arrangement };
}

// "Remote" -> remote, "Remote"; "Hybrid - NYC" -> hybrid, "NYC"; "Berlin, Germany" -> place only.
function readPlace(text: string): { location: string | null; arrangement: Arrangement | null } {
  const value = text.trim();
  if (value === '' || value.length > MAX_PLACE_LENGTH) return { location: null, arrangement: null };
  const arrangement = arrangementWord(value);
  if (arrangement === null || arrangement === 'remote') return { location: value, arrangement };
  const rest = value
    .replace(/^\S+(?:\s+(?:office|person|site))?/i, '')
    .replace(/^[\s\-–—:,(]+|[\s)]+$/g, '')
    .trim();
  return { location: rest === '' ? null : rest, arrangement };
}


// Markdown heading marks, emphasis and code spans off; links to their text.
function plainLine(line: string): string {
  if (!/[#[*_`]|\s\s/.test(line)) return line;
  return line
    .replace(/^#{1,6}\s+/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function isFieldLine(line: string): boolean {
  const cp = line.codePointAt(0);
  return cp !== undefined && PICTOGRAPH_RE.test(String.fromCodePoint(cp));
}

// "💰 $135,000 to $180,000 🌎 Remote" -> two fields, each from its emoji to the next one.
function fieldsOf(line: string): Array<{ marker: number; text: string }> {
  const fields: Array<{ marker: number; text: string }> = [];
  let current: { marker: number; text: string } | null = null;
  for (const ch of line) {
    const cp = ch.codePointAt(0)!;
    if (PICTOGRAPH_RE.test(ch)) {
      if (current) fields.push(current);
      current = { marker: cp, text: '' };
    } else if (cp === 0xfe0f || cp === 0x200d) {
      // variation selector / joiner of the emoji just read
    } else if (current) {
      current.text += ch;
    }
  }
  if (current) fields.push(current);
  return fields.map((f) => ({ marker: f.marker, text: f.text.replace(/\s*[|·•]\s*$/, '').trim() }));
}

// The title line: the title itself, the title without a "Company:" prefix, or with a suffix ("(Remote)").
function sameText(line: string, title: string): boolean {
  const a = normalize(line);
  const b = normalize(title);
  if (a === '' || b === '') return false;
  return a === b || (b.endsWith(` ${a}`) && a.includes(' ')) || a.startsWith(`${b} `);
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

// The name again as whole words anywhere after the header.
function namedAgain(description: string, name: string): boolean {
  const firstAt = description.indexOf(name);
  if (firstAt < 0) return false;
  let at = description.indexOf(name, firstAt + name.length);
  while (at >= 0) {
    const before = description[at - 1];
    const after = description[at + name.length];
    if ((before === undefined || !/[\p{L}\p{N}]/u.test(before)) && (after === undefined || !/[\p{L}\p{N}]/u.test(after))) return true;
    at = description.indexOf(name, at + name.length);
  }
  return false;
}
