import { fileURLToPath } from 'node:url';
import type { Db } from '../db/database.ts';
import { importFile, type ImportReport } from '../importers/import.service.ts';
import { countAll } from '../papers/papers.repo.ts';

/** The bundled demo corpus: recent arXiv listings and the papers of five saved Hugging Face pages (src/demo/README.md). */
export const DEMO_CORPUS_FILE = fileURLToPath(new URL('./demo-corpus.jsonl.gz', import.meta.url));

/** Fills an empty store with the demo corpus; leaves a store that has papers alone. */
export async function loadDemoIfEmpty(db: Db): Promise<ImportReport | undefined> {
  if ((await countAll(db.kysely)).papers > 0) return undefined;
  return importFile(db, DEMO_CORPUS_FILE);
}
