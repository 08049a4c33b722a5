/**
 * The in-process vector index over `paper_vectors`, the same on SQLite and PostgreSQL (no pgvector):
 * vectors are loaded lazily from the database into one Float32Array, kept up to date by polling for
 * rows written since the last look, and searched exactly (dot products of unit vectors) while small.
 * From `hnswThreshold` vectors on, an HNSW graph (usearch) is built in a worker thread and answers
 * once complete; its candidates are re-scored exactly from the matrix.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { buildInWorker, type HnswGraph, loadUsearch } from './hnsw.ts';
import { normalized, VectorMatrix, type VectorHit } from './vector-matrix.ts';
import { countVectors, type StoredVector, vectorsAfter, vectorsWrittenAfter } from './vectors.repo.ts';

/** Hits are the matrix's (re-exported for the index's callers). */
export type { VectorHit } from './vector-matrix.ts';

/** Tuning of a vector index; the defaults suit a corpus of up to a few hundred thousand papers. */
export interface VectorIndexOptions {
  /** From this many vectors on, search through an HNSW graph instead of comparing with every vector. */
  hnswThreshold?: number;
  /** How often a search may ask the database for new vectors. */
  refreshIntervalMs?: number;
  /** How often the stored count is compared, to notice deleted vectors (then everything is reloaded). */
  recountIntervalMs?: number;
  /** HNSW graph degree and search breadth (usearch `connectivity`, `expansion_search`). */
  connectivity?: number;
  expansionSearch?: number;
}

const DEFAULTS: Required<VectorIndexOptions> = {
  hnswThreshold: 20_000,
  refreshIntervalMs: 2_000,
  recountIntervalMs: 60_000,
  connectivity: 16,
  expansionSearch: 160,
};

/** Vectors of one embedder, searchable by cosine similarity. */
export class VectorIndex {
  private readonly options: Required<VectorIndexOptions>;
  private matrix: VectorMatrix;
  private graph: HnswGraph | undefined;
  private building: Promise<void> | undefined;
  /** Rows changed in place while the graph was being built, re-added once it is done. */
  private changedDuringBuild = new Set<number>();
  private generation = 0;
  private mark: { at: string; paperId: number } | undefined;
  /** When each paper's indexed vector was written, so a look-back read does not apply it twice. */
  private readonly appliedAt = new Map<number, string>();
  private checkedAt = 0;
  private countedAt = 0;
  private syncing: Promise<void> | undefined;
  /** Grows whenever the indexed vectors change (caches of results built on them key on it). */
  version = 0;

  constructor(
    readonly embedder: string,
    readonly dimensions: number,
    options: VectorIndexOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.matrix = new VectorMatrix(dimensions);
  }

  /** How many vectors are indexed. */
  get size(): number {
    return this.matrix.size;
  }

  /** Whether searches go through the HNSW graph (rather than comparing with every vector). */
  get usesGraph(): boolean {
    return this.graph !== undefined;
  }

  /** Whether a paper has a vector here. */
  has(paperId: number): boolean {
    return this.matrix.row(paperId) !== undefined;
  }

  /** A paper's (unit) vector, if it has one. */
  vectorOf(paperId: number): Float32Array | undefined {
    const row = this.matrix.row(paperId);
    return row === undefined ? undefined : this.matrix.vector(row);
  }

  /**
   * Brings the index up to date with the database: the first call loads every vector; later calls
   * read what was written since, at most every `refreshIntervalMs` unless `force`d.
   */
  async sync(db: Kysely<Database>, { force = false } = {}): Promise<void> {
    if (this.syncing) return this.syncing;
    const now = Date.now();
    if (!force && this.mark !== undefined && now - this.checkedAt < this.options.refreshIntervalMs) return;
    this.syncing = this.load(db, now).finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Resolves once a graph build under way has finished (tests; benchmarks). */
  async ready(): Promise<void> {
    while (this.building) await this.building;
  }

  private async load(db: Kysely<Database>, now: number): Promise<void> {
    this.checkedAt = now;
    const recount = now - this.countedAt >= this.options.recountIntervalMs;
    if (this.mark !== undefined && recount) {
      this.countedAt = now;
      // Fewer (or more) stored vectors than indexed ones: some were deleted or slipped past the mark.
      if ((await countVectors(db, this.embedder)) !== this.matrix.size) this.reset();
    }
    if (this.mark === undefined) {
      this.countedAt = now;
      let after = 0;
      for (;;) {
        const page = await vectorsAfter(db, this.embedder, after, 5000);
        for (const v of page) this.apply(v);
        if (page.length < 5000) break;
        after = page[page.length - 1].paperId;
      }
      this.mark ??= { at: '', paperId: 0 };
    } else {
      // Look back a while, not just past the mark: another instance (another clock) or a transaction that
      // committed late can write a vector stamped before it. What was applied already is skipped.
      let from = { at: secondsBefore(this.mark.at, LOOKBACK_SECONDS), paperId: 0 };
      for (;;) {
        const page = await vectorsWrittenAfter(db, this.embedder, from, 5000);
        for (const v of page) if (this.appliedAt.get(v.paperId) !== v.createdAt) this.apply(v);
        if (page.length < 5000) break;
        from = { at: page[page.length - 1].createdAt, paperId: page[page.length - 1].paperId };
      }
    }
    this.startGraphBuild();
  }

  /** Forgets everything; the next load starts from scratch. */
  private reset(): void {
    this.generation++;
    this.matrix = new VectorMatrix(this.dimensions);
    this.graph = undefined;
    this.building = undefined;
    this.changedDuringBuild.clear();
    this.mark = undefined;
    this.appliedAt.clear();
    this.version++;
  }

  /** Stores one vector read from the database (new or replacing the paper's previous one). */
  private apply(v: StoredVector): void {
    this.appliedAt.set(v.paperId, v.createdAt);
    if (!this.mark || v.createdAt > this.mark.at || (v.createdAt === this.mark.at && v.paperId > this.mark.paperId)) {
      this.mark = { at: v.createdAt, paperId: v.paperId };
    }
    const stored = v.dimensions === this.dimensions ? this.matrix.put(v.paperId, v.vector) : undefined;
    if (!stored) return; // made under other settings: ignore
    this.version++;
    if (this.graph) {
      const key = BigInt(v.paperId);
      if (!stored.isNew) this.graph.remove(key);
      this.graph.add(key, this.matrix.vector(stored.row), 1);
    } else if (this.building && !stored.isNew) this.changedDuringBuild.add(stored.row);
  }

  /**
   * Builds the HNSW graph in a worker thread once there are enough vectors (75k vectors take tens of
   * seconds, which must not stall requests); searches stay exact meanwhile. The worker saves the graph
   * to a temporary file, loaded here, then vectors that arrived during the build are added.
   */
  private startGraphBuild(): void {
    if (this.graph || this.building || this.matrix.size < this.options.hnswThreshold) return;
    const lib = loadUsearch();
    if (!lib) return;
    const generation = this.generation;
    const matrix = this.matrix;
    const rows = matrix.size;
    const config = {
      dimensions: this.dimensions,
      metric: lib.MetricKind.IP,
      quantization: lib.ScalarKind.F32,
      connectivity: this.options.connectivity,
      expansion_add: 64,
      expansion_search: this.options.expansionSearch,
      multi: false,
    };
    this.building = (async () => {
      const file = path.join(os.tmpdir(), `paperboy-hnsw-${process.pid}-${randomBytes(4).toString('hex')}.usearch`);
      try {
        await buildInWorker({ config, ...matrix.snapshot(rows), file });
        if (generation !== this.generation) return;
        const graph = new lib.Index(config);
        graph.load(file);
        for (let row = rows; row < matrix.size; row++) this.changedDuringBuild.add(row);
        for (const row of this.changedDuringBuild) {
          const key = BigInt(matrix.paperAt(row));
          if (row < rows) graph.remove(key);
          graph.add(key, matrix.vector(row), 1);
        }
        this.changedDuringBuild.clear();
        this.graph = graph;
      } catch (err) {
        console.error(`search: HNSW build failed, vector search stays exact: ${(err as Error).message}`);
        this.options.hnswThreshold = Infinity;
      } finally {
        fs.rmSync(file, { force: true });
      }
    })().finally(() => (this.building = undefined));
  }

  /** Cosine similarity of the query and a paper's vector; undefined when the paper has none. */
  similarity(query: Float32Array, paperId: number): number | undefined {
    const row = this.matrix.row(paperId);
    return row === undefined ? undefined : this.matrix.dot(row, normalized(query));
  }

  /** The k papers most similar to the query vector, best first. */
  search(query: Float32Array, k: number): VectorHit[] {
    const n = this.matrix.size;
    if (k <= 0 || n === 0 || query.length !== this.dimensions) return [];
    const q = normalized(query);
    if (!this.graph) return this.matrix.nearest(q, k);
    const found = this.graph.search(q, Math.min(k, n), 1);
    const hits: VectorHit[] = [];
    for (const key of found.keys) {
      const row = this.matrix.row(Number(key));
      if (row !== undefined) hits.push({ id: Number(key), score: this.matrix.dot(row, q) });
    }
    return hits.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /** The k papers among `paperIds` most similar to the query, by comparing with each (a filtered search). */
  searchAmong(query: Float32Array, paperIds: Iterable<number>, k: number): VectorHit[] {
    if (k <= 0 || query.length !== this.dimensions) return [];
    return this.matrix.nearestAmong(normalized(query), paperIds, k);
  }

  /**
   * The k best papers that pass a filter: first the graph's (or exact) top candidates, oversampled and
   * checked in one query; when too few pass, every passing paper is compared exactly.
   */
  async searchFiltered(
    query: Float32Array,
    k: number,
    filter: { passing(ids: number[]): Promise<Set<number>>; all(): Promise<number[]> },
  ): Promise<VectorHit[]> {
    const candidates = this.search(query, Math.min(this.matrix.size, Math.max(k * 10, 200)));
    const passing = await filter.passing(candidates.map((h) => h.id));
    const hits = candidates.filter((h) => passing.has(h.id));
    if (hits.length >= k || candidates.length >= this.matrix.size) return hits.slice(0, k);
    return this.searchAmong(query, await filter.all(), k);
  }
}

/** How far before its mark an index looks for vectors written since its last look (clock skew between instances). */
const LOOKBACK_SECONDS = 120;

/** The ISO timestamp `seconds` before `at` ('' stays ''). */
function secondsBefore(at: string, seconds: number): string {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? '' : new Date(ms - seconds * 1000).toISOString();
}

const registry = new WeakMap<Db, Map<string, VectorIndex>>();

/** The one vector index of a database and embedder (created empty; `sync` loads it). */
export function vectorIndexFor(db: Db, embedder: { id: string; dimensions: number }, options?: VectorIndexOptions): VectorIndex {
  let byEmbedder = registry.get(db);
  if (!byEmbedder) registry.set(db, (byEmbedder = new Map()));
  const key = `${embedder.id}#${embedder.dimensions}`;
  let index = byEmbedder.get(key);
  if (!index) byEmbedder.set(key, (index = new VectorIndex(embedder.id, embedder.dimensions, options)));
  return index;
}
