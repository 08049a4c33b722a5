/**
 * CSL-JSON reader (Zotero's and citeproc's exchange format): an array of items, each checked by a zod schema
 * with limits. arXiv preprints carry their id in `URL`, `number` ("arXiv:2401.01234") or an arXiv DOI.
 */
import { z } from 'zod';
import { referenceEntry, type ReferenceEntry } from './entry.ts';

const text = (max: number) => z.union([z.string().max(max), z.number()]).transform(String).optional();

/** The fields of an item the importer reads; anything else an item holds is ignored. */
const CslItem = z.looseObject({
  id: text(500),
  type: z.string().max(100).optional(),
  title: z.string().max(5_000).optional(),
  abstract: z.string().max(50_000).optional(),
  DOI: z.string().max(500).optional(),
  URL: z.string().max(2_000).optional(),
  number: text(500),
  note: z.string().max(20_000).optional(),
  'container-title': z.string().max(2_000).optional(),
  archive_location: text(500),
  'citation-key': z.string().max(500).optional(),
});

/** An item of a file that is not one. */
export class CslItemError extends Error {}

/** The references of a CSL-JSON document (already parsed from JSON): an array of items, or a single item. */
export function readCslJson(doc: unknown): { entries: ReferenceEntry[]; problems: string[] } {
  const items = Array.isArray(doc) ? doc : [doc];
  const entries = items.map((raw, i) => {
    const parsed = CslItem.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CslItemError(`item ${i + 1}: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    const item = parsed.data;
    return referenceEntry({
      n: i + 1,
      title: item.title,
      abstract: item.abstract,
      doi: item.DOI,
      mentions: [item.URL, item.number, item.note, item.archive_location, item['container-title']],
      fallbackLabel: item['citation-key'] ?? item.id ?? '',
    });
  });
  return { entries, problems: [] };
}
