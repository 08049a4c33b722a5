/**
 * The term index of one store: loaded from its snapshot file at start (a restart rebuilds nothing when
 * the papers did not change), rebuilt in a worker thread when they did, checked at most every
 * `checkIntervalMs`. `current()` never waits: it answers with the index it has (which may trail the
 * store by one rebuild, seconds after an import), or undefined before the first one is there.
 */
import fs from 'node:fs/promises';
import type { Db } from '../../db/database.ts';
import { tryFileLock } from '../../db/file-lock.ts';
import { highestPaperId } from '../../papers/papers.repo.ts';
import { startTsWorker } from '../../workers/ts-worker.ts';
import { DEFAULT_PARAMS } from './build.ts';
import { readSnapshotHeader } from './snapshot.ts';
import { TermIndex } from './term-index.ts';
import type { BuildRequest } from './worker.ts';

/** The snapshot file's name beside the store (Db#derivedFile). */
const SNAPSHOT = 'terms';

/** What else a saved index was built under: the ranking parameters, and how text became terms (analyze.ts). */
const PARAMS_KEY = JSON.stringify({ ...DEFAULT_PARAMS, analyzer: 3 });

/** One store's term index. */
export class TermIndexHandle {
  private index: TermIndex | undefined;
  private building: Promise<void> | undefined;
  private checkedAt = 0;
  /** Set when the last check found another process building the snapshot. */
  private othersBuilding = false;

  constructor(
    private readonly db: Db,
    private readonly checkIntervalMs = 10_000,
  ) {}

  /** The index as it is now; starts a freshness check (and a rebuild) when due. */
  current(): TermIndex | undefined {
    if (!this.building && Date.now() - this.checkedAt >= this.checkIntervalMs) {
      this.checkedAt = Date.now();
      this.building = this.refresh()
        // A store closed while a build ran (a finished CLI command, a test) has nothing left to say.
        .catch((err) => {
          if (!this.db.closed) console.error(`search: term index: ${(err as Error).message}`);
        })
        .finally(() => (this.building = undefined));
    }
    return this.index;
  }

  /**
   * The index, if it holds every paper there is: undefined when papers were added since it was built (the
   * caller then asks the database, which is always current) — and then a rebuild starts at once.
   */
  async fresh(): Promise<TermIndex | undefined> {
    const index = this.current();
    if (!index) return undefined;
    if ((await highestPaperId(this.db.kysely)) <= index.maxId) return index;
    this.checkedAt = 0;
    this.current();
    return undefined;
  }

  /** Resolves once the index reflects the papers as they are now (start-up, tests, benchmarks). */
  async ready(): Promise<TermIndex> {
    for (;;) {
      this.checkedAt = 0;
      this.current();
      while (this.building) await this.building;
      if (!this.othersBuilding) break;
      await new Promise((resolve) => setTimeout(resolve, 250)); // another process's build: its file, soon
    }
    if (!this.index) throw new Error('search: the term index could not be built (see the log)');
    return this.index;
  }

  private async refresh(): Promise<void> {
    this.othersBuilding = false;
    const fingerprint = await this.fingerprint();
    if (this.index?.fingerprint === fingerprint) return;
    const file = this.db.derivedFile(SNAPSHOT);
    // The header first: reading a whole stale file (100 MB at 75k papers) only to compare would be waste.
    if ((await readSnapshotHeader(file))?.fingerprint === fingerprint) {
      const saved = await this.load(file);
      if (saved?.fingerprint === fingerprint) {
        this.index = saved;
        return;
      }
    }
    // One build per store however many processes serve it: the others load its file at a later check.
    const release = tryFileLock(`${file}.lock`);
    if (!release) {
      this.othersBuilding = true;
      return;
    }
    try {
      await build({ target: this.db.target, file, fingerprint });
    } finally {
      release();
    }
    this.index = (await this.load(file)) ?? this.index;
  }

  private async load(file: string): Promise<TermIndex | undefined> {
    try {
      return TermIndex.fromBuffer(await fs.readFile(file));
    } catch {
      return undefined; // none yet, or of another format version: rebuilt
    }
  }

  /**
   * Paper count, highest id and the sum of text revisions: an added paper moves the highest id, a
   * deleted one the count, and an edited title or abstract the sum (a revision only grows). All three
   * come from one pass over the small `papers_text_revision` index, not the wide paper rows; the latest
   * `modified_at` would also move on upvotes, rebuilding the index for nothing. The ranking parameters and
   * the analyzer's version are part of it too: a release that changes them rebuilds a saved index once.
   */
  private async fingerprint(): Promise<string> {
    const row = await this.db.kysely
      .selectFrom('papers')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('maxId'), eb.fn.sum<number>('text_revision').as('revisions')])
      .executeTakeFirstOrThrow();
    return `${row.n}/${row.maxId}/${row.revisions ?? 0}/${PARAMS_KEY}`;
  }
}

/** Builds a snapshot in a worker thread. */
function build(request: BuildRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./worker.ts', import.meta.url), request);
    worker.unref(); // a process that is done (a CLI search, a server stopping) does not wait for a build
    worker.once('message', (m: { done?: true; error?: string }) => (m.done ? resolve() : reject(new Error(m.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`term index worker exited with code ${code}`))));
  });
}

const handles = new WeakMap<Db, TermIndexHandle>();

/** The term index handle of a store. */
export function termIndexFor(db: Db): TermIndexHandle {
  let handle = handles.get(db);
  if (!handle) handles.set(db, (handle = new TermIndexHandle(db)));
  return handle;
}
