/**
 * "remote" among a rule's places (`location: [New York, remote]`, "in New York or remote"): the
 * places, or remote work open to them. Kept apart from the gazetteer: it names no place.
 */
export const REMOTE_PLACE = 'remote';

/** True when a rule's place entry is the "or remote" option rather than a place. */
export function isRemotePlace(text: string): boolean {
  return text.trim().toLowerCase() === REMOTE_PLACE;
}
