/**
 * Test fixtures of the paper filter: a dozen papers whose categories, organizations, authors, days and
 * words exercise every rule of paper-filter.ts, loaded through the real import path.
 */
import type { Db } from '../db/database.ts';
import type { PaperRecord } from '../papers/paper.ts';
import { addRecords } from '../papers/papers.service.ts';

const paper = (arxivId: string, title: string, extra: Partial<PaperRecord>): PaperRecord => ({
  source: 'arxiv-atom',
  arxivId,
  title,
  abstract: `${title}.`,
  authors: ['Some Author'],
  categories: ['cs.LG'],
  announcedOn: '2026-11-02',
  ...extra,
});

/** The papers, by the names tests use. */
export const FILTER_CORPUS = {
  lg: paper('2611.00001', 'Protein folding with transformers', { categories: ['cs.LG', 'q-bio.BM'], authors: ['Yann LeCun', 'Ada Lovelace'], organization: { name: 'Meta AI', slug: 'meta' } }),
  cv: paper('2611.00002', 'Adversarial robustness of vision models', { categories: ['cs.CV'], authors: ['Luc Van Gool'], announcedOn: '2026-11-03' }),
  cl: paper('2611.00003', 'Robustness of language models', { categories: ['cs.CL', 'cs.LG'], authors: ['Grace Hopper'], organization: { name: 'OpenAI', slug: 'openai' }, announcedOn: '2026-11-03' }),
  hep: paper('2611.00004', 'Folding strings in protein-like lattices', { categories: ['hep-th'], authors: ['Edward Witten'], announcedOn: '2026-11-04' }),
  optics: paper('2611.00005', 'Protein imaging with folding optics', { categories: ['physics.optics'], authors: ['José García'], announcedOn: '2026-11-04' }),
  math: paper('2611.00006', 'To be or not to be: a classical analysis', { categories: ['math.CA'], authors: ['Émile Borel'], announcedOn: '2026-11-05' }),
  stat: paper('2611.00007', 'Folding statistics for adversarial samples', { categories: ['stat.ML', 'cs.LG'], authors: ['Lecun Smith'], organization: { name: 'Meta AI', slug: 'meta' }, announcedOn: '2026-11-05' }),
  old: paper('2401.00008', 'Protein folding, the early years', { categories: ['q-bio.BM'], authors: ['Yann LeCun'], announcedOn: '2024-01-10' }),
};

/** A key of FILTER_CORPUS. */
export type FilterCorpusKey = keyof typeof FILTER_CORPUS;

/** Loads the corpus; returns the paper id of each name, and the name of each id. */
export async function loadFilterCorpus(db: Db): Promise<{ ids: Record<FilterCorpusKey, number>; nameOf: (id: number) => FilterCorpusKey }> {
  await addRecords(db, Object.values(FILTER_CORPUS));
  const rows = await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute();
  const ids = {} as Record<FilterCorpusKey, number>;
  const names = new Map<number, FilterCorpusKey>();
  for (const [name, record] of Object.entries(FILTER_CORPUS) as [FilterCorpusKey, PaperRecord][]) {
    const id = rows.find((r) => r.arxiv_id === record.arxivId)!.id;
    ids[name] = id;
    names.set(id, name);
  }
  return { ids, nameOf: (id) => names.get(id)! };
}
