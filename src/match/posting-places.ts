/**
 * Where a posting can be worked, as the location condition reads it: the places of its location
 * field, or, when that names none (null, "Remote", "TBD"), the places written in its title (Hacker
 * News headers "Acme | Data Scientist | New York, NY (onsite) | $170k", "Backend Engineer (Berlin)");
 * and the regions a remote job is limited to. Places are resolved with the matcher's gazetteer in
 * src/places/places.ts (locatePlaces), so "Brooklyn, NY" is inside New York, the US, North America.
 *
 * Computed once per posting object (WeakMap), so checking many rules stays linear in the rules.
 */
import type { Posting } from '../core/types.js';
import { locatePlaces, type LocatedAlternative } from '../places/places.js';

export interface PostingPlaces {
  /** Where `alternatives` were read: the location field, the title, or nowhere (no place named). */
  source: 'location' | 'title' | null;
  /** The alternatives named ("Berlin or Remote (Europe)" -> two); each has known places or unknown words. */
  alternatives: readonly PlaceAlternative[];
  /** The title's place segments, when the places come from the title. */
  titleTexts: readonly string[];
  /** One entry per remote region of the posting ("US", "EMEA"). */
  regions: readonly LocatedAlternative[];
}

/** An alternative and the text it was read from (the location, or one place segment of the title). */
export interface PlaceAlternative extends LocatedAlternative {
  /** The whole text it came from; shown instead of the alternative when that text names only this one. */
  whole: string;
}

interface Cached {
  location: string | null;
  title: string;
  regions: string;
  value: PostingPlaces;
}

const cache = new WeakMap<Posting, Cached>();

/** The places of a posting; cached per posting object, recomputed if its fields changed. */
export function postingPlaces(posting: Posting): PostingPlaces {
  const regionsKey = posting.remoteRegions.join('\u0000');
  const hit = cache.get(posting);
  if (hit && hit.location === posting.location && hit.title === posting.title && hit.regions === regionsKey) return hit.value;
  const value = computePlaces(posting);
  cache.set(posting, { location: posting.location, title: posting.title, regions: regionsKey, value });
  return value;
}

function computePlaces(posting: Posting): PostingPlaces {
  const regions = posting.remoteRegions.flatMap((r) => locatePlaces(r));
  const fromLocation = alternativesOf(posting.location);
  if (fromLocation.length > 0) return { source: 'location', alternatives: fromLocation, titleTexts: [], regions };
  const titleTexts = titlePlaceTexts(posting.title, posting.company);
  const fromTitle = titleTexts.flatMap(alternativesOf);
  if (fromTitle.length > 0) return { source: 'title', alternatives: fromTitle, titleTexts, regions };
  return { source: null, alternatives: [], titleTexts: [], regions };
}

function alternativesOf(text: string | null): PlaceAlternative[] {
  const alternatives = locatePlaces(text);
  const whole = alternatives.filter((a) => a.places.length > 0).length === 1 ? text!.trim() : null;
  return alternatives.map((a) => ({ ...a, whole: whole ?? a.text }));
}

// " | " between header fields, " - " / " – " / " — " before a place ("Backend Engineer - Berlin").
const SEGMENT_SPLIT_RE = /\s*[|•·]\s*|\s+[-–—]\s+/;
// Pay is not a place: "CA$110,000" must not read as California.
const PAY_RE = /[$€£¥₹]|\d\s*[kK]\b/;
const BRACKETED_RE = /[([]([^()[\]]+)[)\]]/g;

/**
 * The parts of a title that name places and nothing else: a whole segment ("New York, NY (onsite)",
 * "Remote (US) or NYC"), a bracket ("Backend Engineer (Berlin)") or a comma tail ("Data Scientist,
 * London"). A segment that is the company's name is skipped.
 */
export function titlePlaceTexts(title: string, company: string | null): string[] {
  const out: string[] = [];
  const companyName = company ? fold(company) : '';
  for (const raw of title.split(SEGMENT_SPLIT_RE)) {
    const segment = raw.trim();
    if (segment === '' || PAY_RE.test(segment) || (companyName !== '' && fold(segment) === companyName)) continue;
    if (namesOnlyPlaces(segment)) {
      out.push(segment);
      continue;
    }
    for (const m of segment.matchAll(BRACKETED_RE)) if (namesOnlyPlaces(m[1]!)) out.push(m[1]!.trim());
    const parts = segment.replace(BRACKETED_RE, ' ').split(',');
    for (let k = 1; k < parts.length; k++) {
      const tail = parts.slice(k).join(',');
      if (namesOnlyPlaces(tail)) {
        out.push(tail.trim());
        break;
      }
    }
  }
  return out;
}

function namesOnlyPlaces(text: string): boolean {
  const alternatives = locatePlaces(text);
  return alternatives.length > 0 && alternatives.every((a) => a.places.length > 0 && a.unknownWords.length === 0);
}

function fold(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
