/** What the paper pages and their JSON twins read: thin compositions of the papers repo, no HTTP. */
import type { Db } from '../db/database.ts';
import type { Paper } from '../papers/paper.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { countAll, findPaperId, getPapers } from '../papers/papers.repo.ts';
import { PAGE_SIZE, type PaperRef } from './urls.ts';

/** Store-wide counts shown in the page header. */
export type StoreCounts = Awaited<ReturnType<typeof countAll>>;

/** One page of the newest-papers list. */
export interface NewestPage {
  papers: Paper[];
  page: number;
  pageCount: number;
  counts: StoreCounts;
}

/** The given page (1-based) of papers, newest listing first. */
export async function newestPage(db: Db, page: number): Promise<NewestPage> {
  const counts = await countAll(db.kysely);
  const ids = await filteredPaperIds(db, {}, 'newest', PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const papers = await getPapers(db.kysely, ids);
  return { papers, page, pageCount: Math.max(1, Math.ceil(counts.papers / PAGE_SIZE)), counts };
}

/** The paper a URL reference names, or undefined when there is none. */
export async function findPaper(db: Db, ref: PaperRef): Promise<Paper | undefined> {
  const id = await findPaperId(db.kysely, 'id' in ref ? { id: ref.id } : { arxivId: ref.arxivId });
  if (id === undefined) return undefined;
  const [paper] = await getPapers(db.kysely, [id]);
  return paper;
}
