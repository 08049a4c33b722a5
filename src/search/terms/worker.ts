/**
 * The term index build, run in a worker thread (startTsWorker): reads every paper's text through its own
 * connection to the store, builds the snapshot and writes it to `file` (under a temporary name, then
 * renamed, so a reader never sees half a file).
 */
import fs from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { type Db, type DbTarget, openDb } from '../../db/database.ts';
import { type Bm25fParams } from './snapshot.ts';
import { SnapshotBuilder, type TermDoc } from './build.ts';

/** What the worker is given. */
export interface BuildRequest {
  target: DbTarget;
  file: string;
  fingerprint: string;
  params?: Bm25fParams;
}

const PAGE = 2000;

/** The worker's entry point. */
export async function run(request: BuildRequest, port: MessagePort): Promise<void> {
  const target = 'sqliteFile' in request.target ? { ...request.target, readers: 0 } : request.target;
  const db = openDb(target);
  try {
    // One read of the papers: the builder keeps their words (as numbers) to find the compounds spelled apart at the end.
    const builder = new SnapshotBuilder(request.params);
    await eachPage(db, (p) => builder.add(p));
    const snapshot = builder.finish(request.fingerprint);
    const partial = `${request.file}.${process.pid}.partial`;
    fs.writeFileSync(partial, snapshot);
    fs.renameSync(partial, request.file);
    port.postMessage({ done: true, bytes: snapshot.length });
  } finally {
    await db.close();
  }
}

/** Every paper's text as the term index reads it, in id order, a page at a time. */
export async function eachPage(db: Db, each: (doc: TermDoc) => void): Promise<void> {
  let after = 0;
  for (;;) {
    const papers = await db.kysely.selectFrom('papers').select(['id', 'title', 'abstract']).where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (papers.length === 0) break;
    const authors = await db.kysely
      .selectFrom('paper_authors')
      .innerJoin('authors', 'authors.id', 'paper_authors.author_id')
      .select(['paper_authors.paper_id', 'authors.name'])
      .where('paper_authors.paper_id', '>=', papers[0].id)
      .where('paper_authors.paper_id', '<=', papers[papers.length - 1].id)
      .orderBy('paper_authors.paper_id')
      .orderBy('paper_authors.position')
      .execute();
    const names = new Map<number, string[]>();
    for (const a of authors) (names.get(a.paper_id) ?? names.set(a.paper_id, []).get(a.paper_id)!).push(a.name);
    for (const p of papers) each({ id: p.id, title: p.title, abstract: p.abstract, authors: (names.get(p.id) ?? []).join(', ') });
    after = papers[papers.length - 1].id;
  }
}
