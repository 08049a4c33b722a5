/**
 * Temporary paper stores for evaluation: the arXiv corpus (built once, then reused from a cache
 * directory) and BEIR corpora (built fresh). Every store is an ordinary migrated SQLite database filled
 * through `importEvents`, so the keyword index and vectors are exactly what the product would have.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDb, type Db } from '../../db/database.ts';
import { importEvents } from '../../importers/import.service.ts';
import type { ParseEvent } from '../../importers/types.ts';
import type { PaperRecord } from '../../papers/paper.ts';

/** An evaluation store and the two-way map between store paper ids and corpus ids. */
export interface EvalStore {
  db: Db;
  corpusIdOf: Map<number, string>;
  storeIdOf: Map<string, number>;
  /** The SQLite file, and whether this run built it (false: reused from the cache). */
  file: string;
  built: boolean;
}

/** Where built stores are kept between runs: PAPERBOY_EVAL_CACHE, else a folder under the system temp dir. */
export function evalCacheDir(): string {
  return process.env.PAPERBOY_EVAL_CACHE ?? path.join(os.tmpdir(), 'paperboy-eval');
}

/** A short hash naming one cached store: changes whenever anything it was built from changes. */
export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

function* asEvents(records: Iterable<PaperRecord>, source: string): Generator<ParseEvent> {
  let n = 0;
  for (const record of records) yield { kind: 'record', record, location: `${source}:${++n}` };
}

/** Store id ↔ corpus id, where the corpus id is the paper's arXiv id (as `mapArxivId` turns it into one). */
async function idMaps(db: Db, toCorpusId: (arxivId: string) => string | undefined) {
  const rows = await db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute();
  const corpusIdOf = new Map<number, string>();
  const storeIdOf = new Map<string, number>();
  for (const r of rows) {
    const corpusId = r.arxiv_id ? toCorpusId(r.arxiv_id) : undefined;
    if (corpusId === undefined) continue;
    corpusIdOf.set(r.id, corpusId);
    storeIdOf.set(corpusId, r.id);
  }
  return { corpusIdOf, storeIdOf };
}

/**
 * Opens the cached store named `key` under `dir`, or builds it from `records` first. A store is built
 * under a temporary name and renamed when complete, so an interrupted build is never reused.
 */
export async function openCachedStore(
  dir: string,
  key: string,
  records: () => Iterable<PaperRecord>,
  onProgress?: (records: number) => void,
): Promise<EvalStore> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `store-${key}.sqlite`);
  let built = false;
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    const db = openDb({ sqliteFile: partial });
    await migrate(db);
    await importEvents(db, asEvents(records(), 'eval-corpus'), { source: 'eval-corpus', format: 'jsonl', onProgress: (_, n) => onProgress?.(n) });
    await db.close();
    fs.renameSync(partial, file);
    built = true;
  }
  const db = openDb({ sqliteFile: file });
  await migrate(db);
  return { db, file, built, ...(await idMaps(db, (id) => id)) };
}

/**
 * A fresh store in a new temporary directory (removed again by `close`), filled with `records`; their
 * arXiv ids are mapped back to corpus ids through `corpusIdOfArxivId`.
 */
export async function openTemporaryStore(records: Iterable<PaperRecord>, corpusIdOfArxivId: (arxivId: string) => string | undefined): Promise<EvalStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-eval-'));
  const file = path.join(dir, 'eval.sqlite');
  const db = openDb({ sqliteFile: file });
  const close = db.close;
  db.close = async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await migrate(db);
    await importEvents(db, asEvents(records, 'eval'), { source: 'eval', format: 'jsonl' });
    return { db, file, built: true, ...(await idMaps(db, corpusIdOfArxivId)) };
  } catch (err) {
    await db.close();
    throw err;
  }
}
