/**
 * French and German statements of the work arrangement, for postings from European boards
 * (StepStone, Welcome to the Jungle, jobs.ch, ...). Used by arrangement.ts, which weighs them with
 * the English ones.
 *
 * Choices (documented for the README):
 * - Remote on some days ("3 Tage Homeoffice", "mobiles Arbeiten an 2 Tagen", "Télétravail 2 jours par
 *   semaine", "2 jours de télétravail") -> hybrid; five days or more -> remote.
 * - Office days ("3 jours au bureau", "2 Tage im Büro", "3 Präsenztage") -> hybrid; five or more -> onsite.
 * - "hybride" / "hybrides Arbeiten", "télétravail partiel / occasionnel / fréquent / régulier" -> hybrid.
 *   "mobiles Arbeiten", "Homeoffice möglich", "télétravail possible" alone are weak hints of hybrid
 *   (German and French postings use them for part-time home office); any firmer statement wins.
 * - "100% télétravail", "télétravail total / complet", "full remote", "komplett / vollständig / 100%
 *   remote", "100% Homeoffice", "Remote innerhalb Deutschlands" -> remote.
 * - "sur site", "en présentiel", "in Präsenz", "Präsenzpflicht", "vor Ort in ..." -> onsite; a bare
 *   "vor Ort" / "Präsenz" is a weak hint of onsite. "Pas de télétravail", "kein Homeoffice",
 *   "Homeoffice nicht möglich" -> onsite.
 * Words ending in an accented letter cannot use \b, so word edges are written as letter lookarounds.
 */
import type { Arrangement } from '../core/types.js';

/** Same scale as arrangement.ts: 1 general, 2 explicit. */
const GENERAL = 1;
const EXPLICIT = 2;

/** An arrangement statement found in a text. */
export interface ForeignStatement {
  arrangement: Arrangement;
  weight: number;
  start: number;
  end: number;
}

// Cheap test: most postings are English and skip every scan below.
const MAY_STATE_RE =
  /t[ée]l[ée]travail|pr[ée]sentiel|sur\s+site|hybrid(?:e|es|er|en)\b|home[- ]?office|mobile?s?\s+arbeit|\bvor\s+ort\b|pr[äa]senz|b[üu]ro|\bjours?\b|\btage?n?\b|full[- ]?remote|\b(?:komplett|vollst[äa]ndig|ausschlie[ßs]lich)\s+remote|remote\s+innerhalb|[àa]\s+distance/i;

const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const COUNT = `${B}(\\d|une?|deux|trois|quatre|cinq|eine[mnr]?|ein|zwei|drei|vier|f[üu]nf)`;
const NUMBERS: Readonly<Record<string, number>> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5,
  ein: 1, eine: 1, einen: 1, einem: 1, einer: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, funf: 5,
};
const JOURS = `\\s*(?:jours?|j)${E}`;
const TAGE = `\\s*(?:Tage?n?|Tag)${E}`;
const FR_WEEK = '(?:\\s*(?:par|\\/|la|chaque|dans\\s+la|en)\\s*semaine|\\s*hebdo\\w*)?';
const DE_WEEK = '(?:\\s*(?:pro|die|in\\s+der|je|\\/)\\s*Woche|\\s*w[öo]chentlich)?';
const TELE = 't[ée]l[ée]travail';
const HOME_DE = '(?:home[- ]?office|remote|mobil(?:es|e)?\\s+arbeit(?:en)?)';
const OFFICE_FR = '(?:bureaux?|site|pr[ée]sentiel|locaux|agence)';
const OFFICE_DE = '(?:b[üu]ro|office|ort|pr[äa]senz|standort)';
// Days that are leave or training, not attendance: "30 Tage Urlaub", "25 jours de congés".
const NOT_DAYS_FR = `(?!\\s*(?:de\\s+)?(?:cong[ée]s|rtt|formation|pr[ée]avis|vacances|pr[ée]sentiel|au\\s+bureau|sur\\s+site)${E})`;
const NOT_DAYS_DE = `(?!\\s*(?:Urlaub|Sonderurlaub|frei|Weiterbildung|Bildungsurlaub|K[üu]ndigung\\w*|im\\s+B[üu]ro|vor\\s+Ort|Pr[äa]senz)${E})`;

const rx = (source: string): RegExp => new RegExp(source, 'giu');

/** Office days required: hybrid below five, onsite from five. */
const OFFICE_DAYS_RES: readonly RegExp[] = [
  rx(`${COUNT}${JOURS}${FR_WEEK}\\s*(?:au|aux|sur|en|dans\\s+(?:nos|les|le|l['’]))\\s*${OFFICE_FR}${E}`),
  rx(`${B}(?:au\\s+bureau|sur\\s+site|en\\s+pr[ée]sentiel)${E}[^.;!?\\n]{0,30}?${COUNT}${JOURS}(?!\\s*(?:de\\s+)?(?:cong[ée]s|rtt|t[ée]l[ée]travail|remote))`),
  rx(`${COUNT}${TAGE}${DE_WEEK}\\s*(?:im|ins|am|vor|in\\s+(?:unserem|unseren|unserer|dem|der|einem))\\s*(?:[\\p{L}-]+\\s+){0,2}?${OFFICE_DE}${E}`),
  rx(`${COUNT}\\s*(?:Pr[äa]senz|B[üu]ro|Office)[- ]?tage?n?${E}`),
  rx(`${B}(?:im\\s+B[üu]ro|vor\\s+Ort|in\\s+Pr[äa]senz)${E}[^.;!?\\n]{0,30}?${COUNT}${TAGE}(?!\\s*(?:Urlaub|Home|mobil|remote))`),
];

/** Remote days: hybrid below five, remote from five. */
const REMOTE_DAYS_RES: readonly RegExp[] = [
  rx(`${COUNT}${JOURS}${FR_WEEK}\\s*(?:(?:de|en)\\s+)?(?:${TELE}|remote|[àa]\\s+distance|[àa]\\s+la\\s+maison)${E}`),
  rx(`${B}${TELE}${E}[^.;!?\\n]{0,30}?${COUNT}${JOURS}${NOT_DAYS_FR}`),
  rx(`${COUNT}${TAGE}${DE_WEEK}\\s*(?:(?:im|in|ins)\\s+)?${HOME_DE}${E}`),
  rx(`${B}${HOME_DE}${E}[^.;!?\\n]{0,30}?${COUNT}${TAGE}${NOT_DAYS_DE}`),
];

interface Phrase {
  re: RegExp;
  arrangement: Arrangement;
  weight: number;
}

const FULLY_DE = '(?:100\\s?%|komplett|vollst[äa]ndig|voll|ausschlie[ßs]lich|rein|zu\\s+100\\s?%)';

const PHRASES: readonly Phrase[] = [
  // Remote
  { re: rx(`${B}${FULLY_DE}\\s+(?:remote|home[- ]?office|mobil(?:es\\s+arbeiten)?)${E}`), arrangement: 'remote', weight: EXPLICIT },
  { re: rx(`${B}full[- ]?(?:remote|${TELE})${E}`), arrangement: 'remote', weight: EXPLICIT },
  {
    re: rx(
      `${B}${TELE}\\s+(?:total|complet|int[ée]gral|[àa]\\s+100\\s?%|100\\s?%|depuis\\s+(?:n['’]importe\\s+o[ùu]|partout))${E}|${B}100\\s?%\\s+(?:en\\s+)?${TELE}${E}|${B}(?:en|du)\\s+${TELE}\\s+(?:complet|total|int[ée]gral)${E}`,
    ),
    arrangement: 'remote',
    weight: EXPLICIT,
  },
  { re: rx(`${B}remote\\s+(?:innerhalb|aus\\s+ganz|von\\s+[üu]berall|partout|depuis)${E}`), arrangement: 'remote', weight: EXPLICIT },
  { re: rx(`${B}(?:poste|travail|100\\s?%)\\s+[àa]\\s+distance${E}`), arrangement: 'remote', weight: GENERAL },
  // Hybrid ("cloud hybride" and "Hybrid-Cloud" are technologies)
  {
    re: rx(`(?<!cloud[\\s-])${B}hybrid(?:e|es|er|en)${E}(?![\\s-]+(?:cloud|apps?|mobile|v[ée]hicules?|fahrzeug\\w*|antrieb\\w*|infrastruktur\\w*))`),
    arrangement: 'hybrid',
    weight: EXPLICIT,
  },
  { re: rx(`${B}${TELE}\\s+(?:partiel|occasionnel|fr[ée]quent|r[ée]gulier|hybride|ponctuel|partiellement)${E}`), arrangement: 'hybrid', weight: EXPLICIT },
  { re: rx(`${B}${TELE}\\s+(?:possible|autoris[ée]e?|flexible|ouvert)${E}`), arrangement: 'hybrid', weight: GENERAL },
  {
    re: rx(
      `(?<!${FULLY_DE}\\s+)${B}(?:mobile?s?\\s+arbeit(?:en)?|home[- ]?office[- ]?(?:m[öo]glichkeit\\w*|option\\w*|regelung\\w*|anteil\\w*)|home[- ]?office\\s+m[öo]glich|anteilig\\w*\\s+(?:home[- ]?office|mobil\\w*|remote))${E}`,
    ),
    arrangement: 'hybrid',
    weight: GENERAL,
  },
  // Onsite
  { re: rx(`${B}sur\\s+site${E}`), arrangement: 'onsite', weight: EXPLICIT },
  { re: rx(`${B}(?:100\\s?%\\s+)?(?:en\\s+)?pr[ée]sentiel(?:le)?${E}`), arrangement: 'onsite', weight: EXPLICIT },
  {
    re: rx(`${B}pas\\s+de\\s+${TELE}${E}|${B}${TELE}\\s*(?::\\s*)?(?:non|impossible|exclu|pas\\s+possible|n['’]est\\s+pas)${E}`),
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  {
    re: rx(
      `${B}keine?n?\\s+${HOME_DE}${E}|${B}${HOME_DE}\\s+(?:ist\\s+)?(?:leider\\s+)?nicht\\s+m[öo]glich${E}`,
    ),
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  {
    re: rx(`${B}pr[äa]senz(?:pflicht|t[äa]tigkeit|stelle|arbeit)\\w*|${B}(?:in|100\\s?%|volle[rn]?)\\s+pr[äa]senz${E}|${B}(?:100\\s?%\\s+)?vor\\s+Ort\\s+(?:in|am|an\\s+unserem|bei\\s+uns|im)${E}`),
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  { re: rx(`${B}vor\\s+Ort${E}|(?<![-\\p{L}\\p{N}])pr[äa]senz${E}`), arrangement: 'onsite', weight: GENERAL },
];

/** Every French or German arrangement statement in the text, with its span (negation is the caller's job). */
export function foreignStatements(text: string): ForeignStatement[] {
  if (!MAY_STATE_RE.test(text)) return [];
  const found: ForeignStatement[] = [];
  for (const rule of PHRASES) {
    for (const m of text.matchAll(rule.re)) found.push({ arrangement: rule.arrangement, weight: rule.weight, start: m.index, end: m.index + m[0].length });
  }
  const days = (res: readonly RegExp[], few: Arrangement, many: Arrangement): void => {
    for (const re of res) {
      for (const m of text.matchAll(re)) {
        const n = dayCount(m[1]!);
        if (n >= 1 && n <= 7) found.push({ arrangement: n >= 5 ? many : few, weight: EXPLICIT, start: m.index, end: m.index + m[0].length });
      }
    }
  };
  days(OFFICE_DAYS_RES, 'hybrid', 'onsite');
  days(REMOTE_DAYS_RES, 'hybrid', 'remote');
  return found;
}

function dayCount(word: string): number {
  const w = word.toLowerCase();
  return NUMBERS[w] ?? Number(w);
}

/** What a French or German label says: "Télétravail : 2 jours/semaine", "Homeoffice: 3 Tage", "Télétravail : total". */
export const TELEWORK_LABEL_RE = /^(?:t[ée]l[ée]travail|home[- ]?office|mobiles\s+arbeiten)$/i;
