/**
 * The in-process vector index over `paper_vectors`, the same on SQLite and PostgreSQL (no pgvector):
 * vectors are loaded lazily into one Float32Array — from the snapshot kept beside the store when there is
 * one (vector-snapshot.ts), else from the database — kept up to date by polling for rows written since the
 * last look, and searched exactly (dot products of unit vectors) while small. From `hnswThreshold` vectors
 * on, an HNSW graph (usearch) is built in a worker thread, saved with the matrix it was built from, and
 * memory-mapped: it never changes once built. Vectors added or replaced since are the `delta`, compared
 * exactly alongside the graph's candidates; when the delta grows large a new graph is built. Every
 * candidate is re-scored exactly from the matrix.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { buildGraph, GRAPH_SUFFIX, type HnswGraph, loadUsearch, openGraph } from './hnsw.ts';

export { GRAPH_SUFFIX } from './hnsw.ts';
import { normalized, VectorMatrix, type VectorHit } from './vector-matrix.ts';
import { readVectorSnapshot, readVectorSnapshotHeader } from './vector-snapshot.ts';
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
  /** Where the matrix and graph are kept across restarts (the graph at `<file>` + GRAPH_SUFFIX); none: rebuilt each start. */
  snapshotFile?: string;
}

const DEFAULTS: Required<VectorIndexOptions> = {
  hnswThreshold: 20_000,
  refreshIntervalMs: 2_000,
  recountIntervalMs: 60_000,
  connectivity: 16,
  expansionSearch: 160,
  snapshotFile: '',
};

/** A new graph is built once this share of the vectors (and at least DELTA_MIN) changed since the last. */
const DELTA_SHARE = 0.05;
const DELTA_MIN = 2000;

/** Vectors of one embedder, searchable by cosine similarity. */
export class VectorIndex {
  private readonly options: Required<VectorIndexOptions>;
  private matrix: VectorMatrix;
  private graph: HnswGraph | undefined;
  private building: Promise<void> | undefined;
  /** Rows added or replaced since the graph was built: searched exactly next to it. */
  private delta = new Set<number>();
  private generation = 0;
  private mark: { at: string; paperId: number } | undefined;
  /** When (this clock) the last read of the database began: what was visible then has been seen. */
  private lookedAt = 0;
  /** When each paper's indexed vector was written, so a look-back read does not apply it twice. */
  private readonly appliedAt = new Map<number, string>();
  private checkedAt = 0;
  private countedAt = 0;
  private syncing: Promise<void> | undefined;
  /** When the snapshot this index holds (restored or built here) was saved. */
  private savedAt: string | undefined;
  /** Set when a graph build was due but another process held the store's build lock. */
  private othersBuilding = false;
  /** The last query `similarity` was asked about, and its unit vector. */
  private lastQuery: { raw: Float32Array; unit: Float32Array } | undefined;
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
    // Another process built the graph this one would have: take its snapshot over rather than build again.
    if (this.othersBuilding && this.mark !== undefined) {
      const header = await readVectorSnapshotHeader(this.options.snapshotFile);
      if (header && header.savedAt !== this.savedAt && header.embedder === this.embedder && header.dimensions === this.dimensions) this.reset();
    }
    if (this.mark === undefined && (await this.restore())) this.countedAt = 0;
    const lookStart = Date.now();
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
      // committed late can write a vector stamped before it. Only so far, though: a vector stamped more than
      // LOOKBACK before the previous read began was visible to that read. Once writing stops the window
      // closes and a look reads nothing; what was applied already is skipped.
      const markAt = Date.parse(this.mark.at);
      const since = Math.min(markAt, this.lookedAt - LOOKBACK_SECONDS * 1000);
      let from = since === markAt ? this.mark : { at: since > 0 ? new Date(since).toISOString() : '', paperId: 0 };
      for (;;) {
        const page = await vectorsWrittenAfter(db, this.embedder, from, 5000);
        for (const v of page) if (this.appliedAt.get(v.paperId) !== v.createdAt) this.apply(v);
        if (page.length < 5000) break;
        from = { at: page[page.length - 1].createdAt, paperId: page[page.length - 1].paperId };
      }
    }
    this.lookedAt = lookStart;
    this.startGraphBuild();
  }

  /** Forgets everything; the next load starts from scratch. */
  private reset(): void {
    this.generation++;
    this.matrix = new VectorMatrix(this.dimensions);
    this.graph = undefined;
    this.building = undefined;
    this.delta.clear();
    this.mark = undefined;
    this.lookedAt = 0;
    this.othersBuilding = false;
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
    if (!stored?.changed) return; // made under other settings (ignored), or the vector held already
    this.version++;
    // The graph (or the one being built) holds the old vector or none: compare this row exactly from now on.
    if (this.graph || this.building) this.delta.add(stored.row);
  }

  /** Loads the matrix (and its graph) from the snapshot, when there is one of this embedder; false otherwise. */
  private async restore(): Promise<boolean> {
    const file = this.options.snapshotFile;
    const saved = file ? await readVectorSnapshot(file, VectorMatrix.spareRows) : undefined;
    if (!saved || saved.header.embedder !== this.embedder || saved.header.dimensions !== this.dimensions) return false;
    this.matrix = VectorMatrix.from(this.dimensions, saved.ids, saved.vectors, saved.header.rows);
    this.mark = saved.header.mark;
    // The matrix is what the index held when its graph build began, read from the database just before.
    this.lookedAt = Date.parse(saved.header.savedAt) || 0;
    this.savedAt = saved.header.savedAt;
    this.version++;
    const graph = openGraph(`${file}${GRAPH_SUFFIX}`, saved.header.rows, this.graphSettings);
    if (graph) this.graph = graph;
    return true;
  }

  /**
   * Builds the HNSW graph in a worker thread once there are enough vectors (75k vectors take tens of
   * seconds, which must not stall requests), and again when the delta has grown; searches meanwhile use
   * the graph there is (or compare exactly). The worker saves the graph, and with a snapshot file the
   * matrix it was built from; the graph is then memory-mapped here.
   */
  private startGraphBuild(): void {
    const n = this.matrix.size;
    if (this.building || n < this.options.hnswThreshold) return;
    if (this.graph && this.delta.size < Math.max(DELTA_MIN, n * DELTA_SHARE)) return;
    const generation = this.generation;
    const matrix = this.matrix;
    const file = this.options.snapshotFile;
    const header = { embedder: this.embedder, dimensions: this.dimensions, rows: n, mark: this.mark ?? { at: '', paperId: 0 }, savedAt: new Date().toISOString() };
    const changedBefore = new Set(this.delta);
    const built = buildGraph({ settings: this.graphSettings, ...matrix.snapshot(n), snapshot: file ? { file, header } : undefined });
    // Another process holds the store's build lock: its snapshot is taken over when saved (see load).
    this.othersBuilding = !built && loadUsearch() !== null;
    if (!built) return;
    this.building = built
      .then((graph) => {
        if (generation !== this.generation) return;
        this.graph = graph;
        if (file) this.savedAt = header.savedAt;
        // What changed while the worker built stays in the delta; what it built from is in the graph now.
        for (const row of changedBefore) this.delta.delete(row);
        for (let row = n; row < matrix.size; row++) this.delta.add(row);
      })
      .catch((err) => {
        console.error(`search: HNSW build failed, vector search stays exact: ${(err as Error).message}`);
        this.options.hnswThreshold = Infinity;
      })
      .finally(() => (this.building = undefined));
  }

  private get graphSettings() {
    return { dimensions: this.dimensions, connectivity: this.options.connectivity, expansionSearch: this.options.expansionSearch };
  }

  /** Cosine similarity of the query and a paper's vector; undefined when the paper has none. */
  similarity(query: Float32Array, paperId: number): number | undefined {
    const row = this.matrix.row(paperId);
    if (row === undefined) return undefined;
    // Called for every keyword hit of one query: normalize that query once.
    if (this.lastQuery?.raw !== query) this.lastQuery = { raw: query, unit: normalized(query) };
    return this.matrix.dot(row, this.lastQuery.unit);
  }


  /** The k papers most similar to the query vector, best first. */
  async search(query: Float32Array, k: number): Promise<VectorHit[]> {
    const n = this.matrix.size;
    if (k <= 0 || n === 0 || query.length !== this.dimensions) return [];
    const q = normalized(query);
    if (!this.graph) return this.matrix.nearest(q, k);
    // Twice the candidates, re-scored exactly: the 8-bit graph's own order is approximate (recall@100 0.92 → 0.955).
    const found = this.graph.search(q, Math.min(2 * k, Number(this.graph.size())), 1);
    const scored = new Map<number, number>();
    for (const key of found.keys) {
      const row = this.matrix.row(Number(key));
      if (row !== undefined) scored.set(Number(key), this.matrix.dot(row, q));
    }
    // Vectors the graph does not know (new) or knows an old version of: compared exactly.
    for (const row of this.delta) scored.set(this.matrix.paperAt(row), this.matrix.dot(row, q));
    return [...scored]
      .map(([id, score]) => ({ id, score }))
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, k);
  }

  /** The k papers among `paperIds` most similar to the query, by comparing with each (a filtered search). */
  async searchAmong(query: Float32Array, paperIds: Iterable<number>, k: number): Promise<VectorHit[]> {
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
    const candidates = await this.search(query, Math.min(this.matrix.size, Math.max(k * 10, 200)));
    const passing = await filter.passing(candidates.map((h) => h.id));
    const hits = candidates.filter((h) => passing.has(h.id));
    if (hits.length >= k || candidates.length >= this.matrix.size) return hits.slice(0, k);
    return this.searchAmong(query, await filter.all(), k);
  }
}

/** How far before its mark an index looks for vectors written since its last look (clock skew between instances). */
const LOOKBACK_SECONDS = 120;

const registry = new WeakMap<Db, Map<string, VectorIndex>>();

/** The one vector index of a database and embedder (created empty; `sync` loads it, from its snapshot when there is one). */
export function vectorIndexFor(db: Db, embedder: { id: string; dimensions: number }, options?: VectorIndexOptions): VectorIndex {
  let byEmbedder = registry.get(db);
  if (!byEmbedder) registry.set(db, (byEmbedder = new Map()));
  const key = `${embedder.id}#${embedder.dimensions}`;
  let index = byEmbedder.get(key);
  if (!index) {
    // Kept beside the store, one per embedder (an id like `static:arxiv:v1`, made safe for a file name).
    const snapshotFile = db.derivedFile(`vectors-${embedder.id.replace(/[^A-Za-z0-9.-]+/g, '_')}-${embedder.dimensions}`);
    byEmbedder.set(key, (index = new VectorIndex(embedder.id, embedder.dimensions, { snapshotFile, ...options })));
  }
  return index;
}
