/**
 * NUL characters out of a posting's text. No reader can show one, and PostgreSQL text cannot hold
 * one (SQLite can): dropped here, where every posting passes on its way to either store, both
 * stores keep the same text, so the dedupe keys and content hash of a posting are the same in both.
 */

/** The text without its NUL characters; the same string when it has none. */
export function stripNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

/** stripNul of a value that may be absent. */
export function stripNulOrNull(text: string | null): string | null {
  return text === null ? null : stripNul(text);
}
