/** The compound forms both keyword indexes hold; a module without Kysely, for the import's parser thread. */
import { compounds } from './terms/analyze.ts';

/**
 * A field's text as both full-text indexes hold it: the text, then its hyphenated and slashed compounds run
 * together (`self-supervised` → `selfsupervised`), placed after the last word so no phrase spans them —
 * the same terms the in-process term index holds (terms/analyze.ts), so a query that writes a compound
 * joined matches the same papers everywhere.
 */
export function withCompounds(text: string): string {
  const joined = compounds(text);
  return joined.length ? `${text} ${joined.join(' ')}` : text;
}
