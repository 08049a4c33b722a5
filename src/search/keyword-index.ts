/**
 * Keyword search: plans a parsed query for the database's full-text engine (fulltext.ts) or, for long
 * queries, the in-process term index (term-index.ts), under the paper filter (src/filter/). The one place
 * SQLite (FTS5, BM25) and PostgreSQL (tsvector, ts_rank) rank differently; both pass the same test suite.
 */
import { type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { mergeFilters, type PaperFilter, type TextClause } from '../filter/paper-filter.ts';
import { paperFilterSql } from '../filter/paper-filter.repo.ts';
import { engineFor, type Engine, type KeywordDoc, type RankedHit } from './fulltext.ts';
import { parseQuery, type ParsedQuery } from './query.ts';
import { rankAllWords, rankAnyWord } from './term-ranking.ts';
import type { TermIndex } from './terms/term-index.ts';
import { words } from './tokenize.ts';

export type { KeywordDoc } from './fulltext.ts';

/** A ranked hit: paper id and a score where larger is better. */
export interface KeywordHit extends RankedHit {
  /** Set when the paper has only some of a short query's words (shown because none has all). */
  partial?: boolean;
}

/** A page of keyword hits, and how many papers have every word when that came out exactly. */
export interface KeywordResult {
  hits: KeywordHit[];
  total?: number;
}

/** Where a page of keyword hits starts, and what applies on top of the query. */
export interface KeywordSearchOptions {
  offset?: number;
  /** Papers must also pass this filter (merged with the operators written in the query). */
  filter?: PaperFilter;
  /** The in-process term index, when built: it answers plain-word queries (undefined: the database does). */
  termIndex?: TermIndex;
  /**
   * When no paper has every word of a short query, answer with the papers that have some of them, marked
   * `partial` (default true, for people searching; alerts and feeds select through the paper filter instead,
   * which never falls back).
   */
  partialFallback?: boolean;
}

/** Full-text search over titles, abstracts and authors, and the index it reads. */
export interface KeywordIndex {
  /** Replaces the indexed text of these papers; call inside the transaction that wrote them. */
  replace(db: Kysely<Database>, docs: KeywordDoc[]): Promise<void>;
  /** Papers matching the query (a string in the syntax of query.ts, or already parsed), best first. */
  search(db: Kysely<Database>, query: string | ParsedQuery, limit: number, options?: KeywordSearchOptions): Promise<KeywordResult>;
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
/**
 * PostgreSQL ranks each kept clause with its own ts_rank call on every matching paper, so its cost is the
 * matches times the clauses: a pasted abstract (40 clauses, most of a 75k store matching) took 4–7 s, which
 * is what "similar papers" asks for before the term index is built. Bounded here, rarest clauses first.
 */
export const OR_RANK_BUDGET = 200_000;

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

  async frequency(db: Kysely<Database>, engine: Engine, clause: TextClause): Promise<number> {
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
 * Plans and runs a query: short queries need every clause; long ones need any, drop clauses most papers
 * contain, and stay within OR_POSTINGS_BUDGET. A short query that no paper fully matches falls back to
 * papers matching some of its clauses, marked `partial` — on every page alike, so paging never runs into
 * a missing page 2.
 */
async function runSearch(dialect: Dialect, db: Kysely<Database>, query: string | ParsedQuery, limit: number, options: KeywordSearchOptions): Promise<KeywordResult> {
  const engine = engineFor(dialect);
  const parsed = typeof query === 'string' ? parseQuery(query) : query;
  if (parsed.clauses.length === 0 || limit <= 0) return { hits: [] };
  const filter = mergeFilters(parsed.filters, options.filter);
  const index = options.termIndex;
  const short = parsed.clauses.length <= MAX_AND_CLAUSES;
  // A short query of plain words: the term index has its matches, counted, without the database ranking them.
  if (index && short) {
    const page = await rankAllWords(index, { kysely: db, dialect }, parsed, filter, limit, options.offset ?? 0);
    if (page && (page.hits.length > 0 || page.total !== 0 || options.partialFallback === false || parsed.clauses.length <= 1)) return page;
  }
  const where = (id: RawBuilder<unknown>) => paperFilterSql(filter, dialect, id);
  const offset = options.offset ?? 0;
  const stats = statsFor(db);
  const n = await stats.paperCount(db);
  const required = parsed.clauses.filter((c) => c.quoted);
  const optional = parsed.clauses.filter((c) => !c.quoted);
  const withIdf = async (clauses: TextClause[]) => {
    const dfs = await Promise.all(clauses.map((c) => stats.frequency(db, engine, c)));
    return clauses.map((c, i) => ({ clause: c, df: dfs[i], idf: idf(n, dfs[i]) }));
  };

  if (parsed.clauses.length <= MAX_AND_CLAUSES) {
    const idfs = engine.needsIdf ? (await withIdf(parsed.clauses)).map((c) => c.idf) : parsed.clauses.map(() => 1);
    const all = { clauses: parsed.clauses, idf: idfs, expression: engine.expression(parsed.clauses, 'and', parsed.excluded) };
    const hits = await engine.run(db, all, where, limit, offset);
    if (hits.length > 0 || options.partialFallback === false || optional.length <= 1) return { hits };
    // Past the end of the full matches, or no paper has every word? Only the second falls back.
    if (offset > 0 && (await engine.run(db, all, where, 1, 0)).length > 0) return { hits };
    const some = await engine.run(db, { ...all, expression: orExpression(engine, required, optional, parsed.excluded) }, where, limit, offset);
    return { hits: some.map((h) => ({ ...h, partial: true })) };
  }

  // Long query: the in-process BM25 index when it is built and the query has no phrase to check.
  // The term index knows neither word order nor fields: phrases and field queries go to the database.
  if (index && !parsed.clauses.some((c) => c.quoted || c.field)) {
    const hits = await rankAnyWord(index, { kysely: db, dialect }, parsed, filter, limit + offset);
    if (hits) return { hits: hits.slice(offset) };
  }

  // Otherwise the database: rarest clauses first; those in more than half the papers weigh nothing in BM25.
  const kept = orClausesToRank(await withIdf(optional), n, engine.needsIdf);
  const req = await withIdf(required);
  const clauses = [...req, ...kept];
  if (clauses.length === 0) return { hits: [] };
  const expression = orExpression(engine, required, kept.map((c) => c.clause), parsed.excluded);
  return { hits: await engine.run(db, { expression, clauses: clauses.map((c) => c.clause), idf: clauses.map((c) => c.idf) }, where, limit, offset) };
}

/**
 * The clauses of a long OR query worth ranking in the database: rarest first, at least MIN_OR_CLAUSES, then
 * until a clause is in more than half of the `n` papers or a budget is spent — the postings, and where each
 * clause is ranked by a call of its own (`ranksEach`, PostgreSQL), the matches times the clauses.
 */
export function orClausesToRank<C extends { df: number }>(clauses: C[], n: number, ranksEach: boolean): C[] {
  const kept: C[] = [];
  let postings = 0;
  for (const c of [...clauses].sort((a, b) => a.df - b.df)) {
    if (c.df === 0) continue;
    postings += c.df;
    const rankCalls = ranksEach ? postings * (kept.length + 1) : 0;
    if (kept.length >= MIN_OR_CLAUSES && (c.df > n / 2 || postings > OR_POSTINGS_BUDGET || rankCalls > OR_RANK_BUDGET)) break;
    kept.push(c);
  }
  return kept;
}

/** Required clauses AND (any optional clause), minus the excluded ones. */
function orExpression(engine: Engine, required: TextClause[], optional: TextClause[], excluded: TextClause[]): string {
  if (required.length === 0) return engine.expression(optional, 'or', excluded);
  if (optional.length === 0) return engine.expression(required, 'and', excluded);
  return engine.expression([...required, { words: [], quoted: false, raw: engine.expression(optional, 'or', []) }], 'and', excluded);
}

const indexes: Record<Dialect, KeywordIndex> = {
  sqlite: { replace: (db, docs) => engineFor('sqlite').replace(db, docs), search: (db, q, limit, o = {}) => runSearch('sqlite', db, q, limit, o) },
  postgres: { replace: (db, docs) => engineFor('postgres').replace(db, docs), search: (db, q, limit, o = {}) => runSearch('postgres', db, q, limit, o) },
};

/** The keyword index implementation for a database engine. */
export function keywordIndexFor(dialect: Dialect): KeywordIndex {
  return indexes[dialect];
}

/**
 * Re-indexes every paper's text in pages (a derived-data step, see src/db/derived.ts). Version 2: PostgreSQL
 * documents made before migration 0006 were built with the stock `english` configuration, which drops
 * stopwords. Version 3: both indexes hold compounds run together too (fulltext.ts#withCompounds).
 */
export const keywordIndexStep = {
  name: 'keyword-index',
  version: 3,
  dialects: ['postgres', 'sqlite'] as Dialect[],
  async rebuild(db: { kysely: Kysely<Database>; dialect: Dialect }, log: (line: string) => void): Promise<void> {
    const index = keywordIndexFor(db.dialect);
    let after = 0;
    let done = 0;
    for (;;) {
      const papers = await db.kysely.selectFrom('papers').select(['id', 'title', 'abstract']).where('id', '>', after).orderBy('id').limit(500).execute();
      if (papers.length === 0) break;
      const authors = await db.kysely
        .selectFrom('paper_authors')
        .innerJoin('authors', 'authors.id', 'paper_authors.author_id')
        .select(['paper_authors.paper_id', 'authors.name'])
        .where('paper_authors.paper_id', 'in', papers.map((p) => p.id))
        .orderBy('paper_authors.paper_id')
        .orderBy('paper_authors.position')
        .execute();
      const byPaper = new Map<number, string[]>();
      for (const a of authors) (byPaper.get(a.paper_id) ?? byPaper.set(a.paper_id, []).get(a.paper_id)!).push(a.name);
      await db.kysely.transaction().execute((trx) =>
        index.replace(trx, papers.map((p) => ({ paperId: p.id, title: p.title, abstract: p.abstract, authors: (byPaper.get(p.id) ?? []).join(', ') }))),
      );
      after = papers[papers.length - 1].id;
      done += papers.length;
      if (done % 10_000 < 500) log(`  keyword index: ${done} papers`);
    }
  },
};
