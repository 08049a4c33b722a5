import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { andAll, filterConditions, idsPassing } from './filters.repo.ts';
import { mergeFilters, parseQuery, type ParsedQuery, type QueryClause, type SearchFilters } from './query.ts';
import { indexTerms, type TermIndex, termIndexFor } from './term-index.ts';
import { indexText, words } from './tokenize.ts';

/** What the keyword index holds for one paper. */
export interface KeywordDoc {
  paperId: number;
  title: string;
  abstract: string;
  authors: string;
}

/** A ranked hit: paper id and a score where larger is better. */
export interface KeywordHit {
  id: number;
  score: number;
  /** Set when the paper has only some of a short query's words (shown because none has all). */
  partial?: boolean;
}

/** Where a page of keyword hits starts, and the filters that apply on top of those in the query. */
export interface KeywordSearchOptions {
  offset?: number;
  filters?: SearchFilters;
  /** Rank long queries with the in-process term index once built (default true; a one-shot CLI search skips it). */
  useTermIndex?: boolean;
}

/**
 * Full-text search over titles, abstracts and authors. The one place SQLite (FTS5, BM25) and
 * PostgreSQL (tsvector, ts_rank) differ; both implementations pass the same test suite.
 */
export interface KeywordIndex {
  /** Replaces the indexed text of these papers; call inside the transaction that wrote them. */
  replace(db: Kysely<Database>, docs: KeywordDoc[]): Promise<void>;
  /** Papers matching the query (a string in the syntax of query.ts, or already parsed), best first. */
  search(db: Kysely<Database>, query: string | ParsedQuery, limit: number, options?: KeywordSearchOptions): Promise<KeywordHit[]>;
  /** A condition that `id` names a paper containing any of the clauses (exclusions outside keyword search). */
  matchesAny(clauses: QueryClause[], id: RawBuilder<unknown>): RawBuilder<boolean>;
}

/** Splits a query into plain folded words (letters and digits only), which both engines accept safely. */
export function queryTerms(query: string): string[] {
  return [...new Set(words(query))];
}

/** Up to this many clauses a query needs all of them; longer ones (sentences, pasted abstracts) rank by any. */
export const MAX_AND_CLAUSES = 4;

/**
 * A long query leaves out its most common clauses once their matches add up past this many postings
 * (rarest clauses first, at least MIN_OR_CLAUSES kept): ranking every paper that shares one common
 * word is what makes a pasted abstract slow, and those words weigh least in BM25 anyway.
 */
export const OR_POSTINGS_BUDGET = 150_000;
const MIN_OR_CLAUSES = 6;

/** One dialect's way of writing clauses as a full-text query and running it. */
interface Engine {
  /** Whether ranking needs each clause's idf (PostgreSQL's ts_rank has none of its own). */
  needsIdf: boolean;
  /** The match expression for clauses joined with AND or OR, minus the excluded ones. */
  expression(clauses: QueryClause[], join: 'and' | 'or', excluded: QueryClause[]): string;
  /** How many papers contain the clause. */
  count(db: Kysely<Database>, clause: QueryClause): Promise<number>;
  /** A condition that `id` names a paper matching the expression. */
  matches(expression: string, id: RawBuilder<unknown>): RawBuilder<boolean>;
  run(
    db: Kysely<Database>,
    q: { expression: string; clauses: QueryClause[]; idf: number[] },
    conditions: (id: RawBuilder<unknown>) => RawBuilder<boolean>[],
    limit: number,
    offset: number,
  ): Promise<KeywordHit[]>;
}

/** Per-database statistics the query planner uses: paper count and clause document frequencies, cached. */
class Statistics {
  private papers = { n: 0, at: 0 };
  private frequencies = new Map<string, number>();
  private frequenciesFor = 0;

  async paperCount(db: Kysely<Database>): Promise<number> {
    if (Date.now() - this.papers.at > 60_000) {
      const row = await db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      this.papers = { n: Number(row.n), at: Date.now() };
      // Frequencies drift as papers arrive; start over once the corpus has grown or shrunk by a tenth.
      if (Math.abs(this.papers.n - this.frequenciesFor) > this.frequenciesFor / 10) {
        this.frequencies.clear();
        this.frequenciesFor = this.papers.n;
      }
    }
    return this.papers.n;
  }

  async frequency(db: Kysely<Database>, engine: Engine, clause: QueryClause): Promise<number> {
    const key = `${clause.quoted ? 'q' : 'w'}:${clause.words.join(' ')}`;
    let n = this.frequencies.get(key);
    if (n === undefined) {
      n = await engine.count(db, clause);
      if (this.frequencies.size > 50_000) this.frequencies.clear();
      this.frequencies.set(key, n);
    }
    return n;
  }
}

const statistics = new WeakMap<object, Statistics>();
function statsFor(db: Kysely<Database>): Statistics {
  let s = statistics.get(db);
  if (!s) statistics.set(db, (s = new Statistics()));
  return s;
}

/** Lucene's BM25 inverse document frequency (never negative). */
function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * Plans and runs a query on either engine: short queries need every clause; long ones need any, drop
 * clauses most papers contain, and stay within OR_POSTINGS_BUDGET. A short query that no paper fully
 * matches falls back to papers matching some of its clauses, marked `partial`.
 */
async function runSearch(engine: Engine, db: Kysely<Database>, query: string | ParsedQuery, limit: number, options: KeywordSearchOptions): Promise<KeywordHit[]> {
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  if (parsed.clauses.length === 0 || limit <= 0) return [];
  const filters = mergeFilters(parsed.filters, options.filters);
  const conditions = (id: RawBuilder<unknown>) => filterConditions(filters, id);
  const offset = options.offset ?? 0;
  const stats = statsFor(db);
  const n = await stats.paperCount(db);
  const required = parsed.clauses.filter((c) => c.quoted);
  const optional = parsed.clauses.filter((c) => !c.quoted);
  const withIdf = async (clauses: QueryClause[]) => {
    const dfs = await Promise.all(clauses.map((c) => stats.frequency(db, engine, c)));
    return clauses.map((c, i) => ({ clause: c, df: dfs[i], idf: idf(n, dfs[i]) }));
  };

  if (parsed.clauses.length <= MAX_AND_CLAUSES) {
    const idfs = engine.needsIdf ? (await withIdf(parsed.clauses)).map((c) => c.idf) : parsed.clauses.map(() => 1);
    const all = { clauses: parsed.clauses, idf: idfs };
    const hits = await engine.run(db, { ...all, expression: engine.expression(parsed.clauses, 'and', parsed.excluded) }, conditions, limit, offset);
    if (hits.length > 0 || offset > 0 || optional.length <= 1) return hits;
    // No paper has every word: rather than nothing, the papers with some of them, marked partial.
    const some = await engine.run(db, { ...all, expression: orExpression(engine, required, optional, parsed.excluded) }, conditions, limit, 0);
    return some.map((h) => ({ ...h, partial: true }));
  }

  // Long query: the in-process BM25 index when it is built and the query has no phrase to check.
  const terms = parsed.clauses.some((c) => c.quoted) || options.useTermIndex === false ? undefined : termIndexFor(db).current();
  if (terms) {
    const hits = await rankWithTermIndex(terms, engine, db, parsed, filters, limit + offset);
    if (hits) return hits.slice(offset);
  }

  // Otherwise the database: rarest clauses first; those in more than half the papers weigh nothing in BM25.
  const ranked = (await withIdf(optional)).sort((a, b) => a.df - b.df);
  const kept: typeof ranked = [];
  let postings = 0;
  for (const c of ranked) {
    if (c.df === 0) continue;
    postings += c.df;
    if (kept.length >= MIN_OR_CLAUSES && (c.df > n / 2 || postings > OR_POSTINGS_BUDGET)) break;
    kept.push(c);
  }
  const req = await withIdf(required);
  const clauses = [...req, ...kept];
  if (clauses.length === 0) return [];
  const expression = orExpression(engine, required, kept.map((c) => c.clause), parsed.excluded);
  return engine.run(db, { expression, clauses: clauses.map((c) => c.clause), idf: clauses.map((c) => c.idf) }, conditions, limit, offset);
}

/**
 * A long query ranked by the term index. Filters and exclusions are checked on an oversampled top
 * list; undefined when too few candidates pass (the database then ranks under the filter itself).
 */
async function rankWithTermIndex(
  terms: TermIndex,
  engine: Engine,
  db: Kysely<Database>,
  parsed: ParsedQuery,
  filters: SearchFilters,
  k: number,
): Promise<KeywordHit[] | undefined> {
  const queryTerms = parsed.clauses.flatMap((c) => indexTerms(c.words.join(' ')));
  const conditions = [
    ...filterConditions(filters, sql.raw('id')),
    ...(parsed.excluded.length ? [sql<boolean>`NOT (${engine.matches(engine.expression(parsed.excluded, 'or', []), sql.raw('id'))})`] : []),
  ];
  if (conditions.length === 0) return terms.search(queryTerms, k);
  const candidates = terms.search(queryTerms, Math.max(500, k * 10));
  const passing = await idsPassing(db, candidates.map((h) => h.id), conditions);
  const hits = candidates.filter((h) => passing.has(h.id));
  return hits.length >= k || candidates.length < Math.max(500, k * 10) ? hits.slice(0, k) : undefined;
}

/** Required clauses AND (any optional clause), minus the excluded ones. */
function orExpression(engine: Engine, required: QueryClause[], optional: QueryClause[], excluded: QueryClause[]): string {
  if (required.length === 0) return engine.expression(optional, 'or', excluded);
  if (optional.length === 0) return engine.expression(required, 'and', excluded);
  return engine.expression([...required, { words: [], quoted: false, raw: engine.expression(optional, 'or', []) }], 'and', excluded);
}

// ---- SQLite: FTS5 ------------------------------------------------------------------------------------

/**
 * Other spellings an unquoted clause matches: `self-supervised` (words self, supervised) also as
 * `selfsupervised`, `GPT-4` also as `gpt4`, and `gpt4` or `vit-b16` also split where letters meet digits.
 */
function alternateSpellings(c: QueryClause): string[][] {
  if (c.quoted || c.words.length === 0) return [];
  const out: string[][] = [];
  if (c.words.length > 1) out.push([c.words.join('')]);
  const parts = c.words.flatMap((w) => w.match(/\p{L}+|\p{N}+/gu) ?? []);
  if (parts.length > c.words.length) out.push(parts);
  return out;
}

/** An FTS5 phrase of safe words (letters and digits only, so no quote can appear inside). */
function ftsClause(c: QueryClause): string {
  if (c.words.length === 0) return `(${c.raw})`; // a nested expression built by orExpression
  const spellings = [c.words, ...alternateSpellings(c)].map((w) => `"${w.join(' ')}"`);
  return spellings.length > 1 ? `(${spellings.join(' OR ')})` : spellings[0];
}

const sqliteEngine: Engine = {
  needsIdf: false,
  expression(clauses, join, excluded) {
    const positive = clauses.map(ftsClause).join(join === 'and' ? ' AND ' : ' OR ');
    if (excluded.length === 0) return positive;
    return `(${positive}) NOT (${excluded.map(ftsClause).join(' OR ')})`;
  },
  async count(db, clause) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ${ftsClause(clause)}`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },
  matches: (expression, id) => sql<boolean>`${id} IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${expression})`,
  async run(db, q, conditions, limit, offset) {
    // Title 2, abstract 1, authors 0.5: a word in the title says more about the paper than one in the abstract.
    // `+rowid` keeps SQLite from handing the filter's IN list to FTS5 as a rowid lookup, which made it
    // re-run the MATCH per candidate (9 s instead of 22 ms for `diffusion model cat:cs.CV since:2026-01-01`).
    const { rows } = await sql<{ id: number; rank: number }>`
      SELECT rowid AS id, bm25(papers_fts, 2.0, 1.0, 0.5) AS rank FROM papers_fts
      WHERE papers_fts MATCH ${q.expression} ${andAll(conditions(sql.raw('+rowid')))}
      ORDER BY rank LIMIT ${limit} OFFSET ${offset}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: -r.rank }));
  },
};

const sqliteIndex: KeywordIndex = {
  async replace(db, docs) {
    if (docs.length === 0) return;
    const ids = docs.map((d) => d.paperId);
    await sql`DELETE FROM papers_fts WHERE rowid IN (${sql.join(ids)})`.execute(db);
    for (let i = 0; i < docs.length; i += 200) {
      const rows = docs.slice(i, i + 200).map((d) => sql`(${d.paperId}, ${d.title}, ${d.abstract}, ${d.authors})`);
      await sql`INSERT INTO papers_fts (rowid, title, abstract, authors) VALUES ${sql.join(rows)}`.execute(db);
    }
  },
  search: (db, query, limit, options = {}) => runSearch(sqliteEngine, db, query, limit, options),
  matchesAny: (clauses, id) => sqliteEngine.matches(sqliteEngine.expression(clauses, 'or', []), id),
};

// ---- PostgreSQL: tsvector ----------------------------------------------------------------------------

/** A tsquery clause of safe words; `<->` is "followed by". */
function tsClause(c: QueryClause): string {
  if (c.words.length === 0) return `(${c.raw})`;
  const spellings = [c.words, ...alternateSpellings(c)].map((w) => (w.length === 1 ? w[0] : `(${w.join(' <-> ')})`));
  return spellings.length > 1 ? `(${spellings.join(' | ')})` : spellings[0];
}

const postgresEngine: Engine = {
  needsIdf: true,
  expression(clauses, join, excluded) {
    const positive = clauses.map(tsClause).join(join === 'and' ? ' & ' : ' | ');
    if (excluded.length === 0) return positive;
    return `(${positive}) & !(${excluded.map(tsClause).join(' | ')})`;
  },
  async count(db, clause) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE document @@ to_tsquery('english', ${tsClause(clause)})`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },
  matches: (expression, id) => sql<boolean>`${id} IN (SELECT paper_id FROM papers_fts WHERE document @@ to_tsquery('english', ${expression}))`,
  async run(db, q, conditions, limit, offset) {
    // ts_rank knows no document frequencies, so each clause's rank is weighted by its BM25 idf; the title
    // (weight A) counts 2.5 times the abstract (B) and 5 times the authors (C).
    const score = sql.join(
      q.clauses.map((c, i) => sql`${q.idf[i]}::float8 * ts_rank(document, to_tsquery('english', ${tsClause(c)}), 1)`),
      sql` + `,
    );
    const { rows } = await sql<{ id: number; score: number }>`
      SELECT paper_id AS id, ${score} AS score FROM papers_fts
      WHERE document @@ to_tsquery('english', ${q.expression}) ${andAll(conditions(sql.raw('paper_id')))}
      ORDER BY score DESC, paper_id LIMIT ${limit} OFFSET ${offset}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  },
};

const postgresIndex: KeywordIndex = {
  async replace(db, docs) {
    if (docs.length === 0) return;
    for (let i = 0; i < docs.length; i += 500) {
      // Folded and split in JS (see tokenize.ts#indexText) so both engines see the same words.
      const rows = docs.slice(i, i + 500).map(
        (d) =>
          sql`(${d.paperId}, setweight(to_tsvector('english', ${indexText(d.title)}), 'A') || setweight(to_tsvector('english', ${indexText(d.abstract)}), 'B') || setweight(to_tsvector('english', ${indexText(d.authors)}), 'C'))`,
      );
      await sql`INSERT INTO papers_fts (paper_id, document) VALUES ${sql.join(rows)}
        ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document`.execute(db);
    }
  },
  search: (db, query, limit, options = {}) => runSearch(postgresEngine, db, query, limit, options),
  matchesAny: (clauses, id) => postgresEngine.matches(postgresEngine.expression(clauses, 'or', []), id),
};

/** The keyword index implementation for a database engine. */
export function keywordIndexFor(dialect: Dialect): KeywordIndex {
  return dialect === 'postgres' ? postgresIndex : sqliteIndex;
}
