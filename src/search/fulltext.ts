/**
 * The full-text engines of the two databases: SQLite FTS5 (contentless, porter + unicode61) and PostgreSQL
 * tsvector (the `paperboy_english` configuration of migration 0006: english stemming, stopwords kept, so
 * both engines see the same words). Each writes query clauses in its own syntax, tests whether a paper
 * matches, counts matches and ranks. Clauses hold only folded words of letters and digits (tokenize.ts), so
 * no user text can inject an operator into either query language.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import { inSqliteTransaction } from '../db/sqlite-dialect.ts';
import type { Database } from '../db/schema.ts';
import type { TextClause, TextTerms } from '../filter/paper-filter.ts';
import { withCompounds } from './compounds.ts';
import { indexText } from './tokenize.ts';

export { withCompounds } from './compounds.ts';

/** The PostgreSQL text search configuration documents and queries use. */
export const TS_CONFIG = 'paperboy_english';

/** What the keyword index holds for one paper. */
export interface KeywordDoc {
  paperId: number;
  title: string;
  abstract: string;
  authors: string;
  /** withCompounds of exactly this title and abstract, when computed ahead (a bulk import's parser thread). */
  compounded?: { title: string; abstract: string };
  /** The paper was inserted in this transaction, so the index holds nothing of it yet (no delete needed). */
  fresh?: boolean;
}

const titleText = (d: KeywordDoc) => d.compounded?.title ?? withCompounds(d.title);
const abstractText = (d: KeywordDoc) => d.compounded?.abstract ?? withCompounds(d.abstract);

/** A ranked hit: paper id and a score where larger is better. */
export interface RankedHit {
  id: number;
  score: number;
}

/** One database's way of writing clauses as a full-text query, matching, counting, ranking and indexing. */
export interface Engine {
  /** Whether ranking needs each clause's idf (PostgreSQL's ts_rank has none of its own). */
  needsIdf: boolean;
  /** The match expression for clauses joined with AND or OR, minus the excluded ones. */
  expression(clauses: TextClause[], join: 'and' | 'or', excluded: TextClause[]): string;
  /** How many papers contain the clause. */
  count(db: Kysely<Database>, clause: TextClause): Promise<number>;
  /** The ids of the papers matching the expression, as a subquery. */
  ids(expression: string): RawBuilder<number>;
  /** The best `limit` papers matching the expression (skipping `offset`), where `where(id)` also holds. */
  run(
    db: Kysely<Database>,
    q: { expression: string; clauses: TextClause[]; idf: number[] },
    where: (id: RawBuilder<unknown>) => RawBuilder<boolean>,
    limit: number,
    offset: number,
  ): Promise<RankedHit[]>;
  /** Replaces the indexed text of these papers; call inside the transaction that wrote them. */
  replace(db: Kysely<Database>, docs: KeywordDoc[]): Promise<void>;
}

/**
 * Other spellings an unquoted clause matches: `self-supervised` (words self, supervised) also as
 * `selfsupervised`, `GPT-4` also as `gpt4`, and `gpt4` or `vit-b16` also split where letters meet digits.
 */
function alternateSpellings(c: TextClause): string[][] {
  if (c.quoted || c.words.length === 0) return [];
  const out: string[][] = [];
  if (c.words.length > 1) out.push([c.words.join('')]);
  const parts = c.words.flatMap((w) => w.match(/\p{L}+|\p{N}+/gu) ?? []);
  if (parts.length > c.words.length) out.push(parts);
  return out;
}

// ---- SQLite: FTS5 ------------------------------------------------------------------------------------

/** An FTS5 phrase of safe words (letters and digits only, so no quote can appear inside). */
function ftsClause(c: TextClause): string {
  if (c.words.length === 0) return `(${c.raw})`; // a nested expression built by the planner
  const spellings = [c.words, ...alternateSpellings(c)].map((w) => `"${w.join(' ')}"`);
  const any = spellings.length > 1 ? `(${spellings.join(' OR ')})` : spellings[0];
  // An FTS5 column filter: `title : (…)` looks in that column only.
  return c.field ? `${c.field} : ${spellings.length > 1 ? any : `(${any})`}` : any;
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
  ids: (expression) => sql<number>`SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${expression}`,
  async run(db, q, where, limit, offset) {
    // Title 2, abstract 1, authors 0.5: a word in the title says more about the paper than one in the abstract.
    // `+rowid` keeps SQLite from handing the filter's IN list to FTS5 as a rowid lookup, which made it
    // re-run the MATCH per candidate (9 s instead of 22 ms for `diffusion model cat:cs.CV since:2026-01-01`).
    const { rows } = await sql<{ id: number; rank: number }>`
      SELECT rowid AS id, bm25(papers_fts, 2.0, 1.0, 0.5) AS rank FROM papers_fts
      WHERE papers_fts MATCH ${q.expression} AND ${where(sql.raw('+papers_fts.rowid'))}
      ORDER BY rank LIMIT ${limit} OFFSET ${offset}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: -r.rank }));
  },
  async replace(db, docs) {
    if (docs.length === 0) return;
    const stale = docs.filter((d) => !d.fresh).map((d) => d.paperId);
    // Inside a transaction: one prepared statement per row on the connection itself (a bulk import's hot path).
    const raw = await inSqliteTransaction(db, (sqlite) => {
      const remove = sqlite.prepare('DELETE FROM papers_fts WHERE rowid = ?');
      for (const id of stale) remove.run(id);
      const insert = sqlite.prepare('INSERT INTO papers_fts (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
      for (const d of docs) insert.run(d.paperId, titleText(d), abstractText(d), d.authors);
      return true;
    });
    if (raw) return;
    if (stale.length) await sql`DELETE FROM papers_fts WHERE rowid IN (${sql.join(stale)})`.execute(db);
    for (let i = 0; i < docs.length; i += 200) {
      const rows = docs.slice(i, i + 200).map((d) => sql`(${d.paperId}, ${titleText(d)}, ${abstractText(d)}, ${d.authors})`);
      await sql`INSERT INTO papers_fts (rowid, title, abstract, authors) VALUES ${sql.join(rows)}`.execute(db);
    }
  },
};

// ---- PostgreSQL: tsvector ----------------------------------------------------------------------------

/** A tsquery clause of safe words; `<->` is "followed by". */
function tsClause(c: TextClause): string {
  if (c.words.length === 0) return `(${c.raw})`;
  // Titles are weight A and abstracts B (replace, below): a field query restricts every lexeme to its weight.
  const weight = c.field === 'title' ? ':A' : c.field === 'abstract' ? ':B' : '';
  const spellings = [c.words, ...alternateSpellings(c)].map((w) => (w.length === 1 ? `${w[0]}${weight}` : `(${w.map((x) => x + weight).join(' <-> ')})`));
  return spellings.length > 1 ? `(${spellings.join(' | ')})` : spellings[0];
}

const tsquery = (expression: string) => sql`to_tsquery(${sql.lit(TS_CONFIG)}, ${expression})`;
const tsvector = (text: string) => sql`to_tsvector(${sql.lit(TS_CONFIG)}, ${indexText(text)})`;

const postgresEngine: Engine = {
  needsIdf: true,
  expression(clauses, join, excluded) {
    const positive = clauses.map(tsClause).join(join === 'and' ? ' & ' : ' | ');
    if (excluded.length === 0) return positive;
    return `(${positive}) & !(${excluded.map(tsClause).join(' | ')})`;
  },
  async count(db, clause) {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE document @@ ${tsquery(tsClause(clause))}`.execute(db);
    return Number(rows[0]?.n ?? 0);
  },
  ids: (expression) => sql<number>`SELECT paper_id FROM papers_fts WHERE document @@ ${tsquery(expression)}`,
  async run(db, q, where, limit, offset) {
    // ts_rank knows no document frequencies, so each clause's rank is weighted by its BM25 idf; the title
    // (weight A) counts 2.5 times the abstract (B) and 5 times the authors (C).
    const score = sql.join(
      q.clauses.map((c, i) => sql`${q.idf[i]}::float8 * ts_rank(document, ${tsquery(tsClause(c))}, 1)`),
      sql` + `,
    );
    const { rows } = await sql<{ id: number; score: number }>`
      SELECT paper_id AS id, ${score} AS score FROM papers_fts
      WHERE document @@ ${tsquery(q.expression)} AND ${where(sql.raw('papers_fts.paper_id'))}
      ORDER BY score DESC, paper_id LIMIT ${limit} OFFSET ${offset}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  },
  async replace(db, docs) {
    for (let i = 0; i < docs.length; i += 500) {
      // Folded and split in JS (tokenize.ts#indexText) so PostgreSQL's parser makes the same words as FTS5.
      const rows = docs
        .slice(i, i + 500)
        .map((d) => sql`(${d.paperId}, setweight(${tsvector(titleText(d))}, 'A') || setweight(${tsvector(abstractText(d))}, 'B') || setweight(${tsvector(d.authors)}, 'C'))`);
      await sql`INSERT INTO papers_fts (paper_id, document) VALUES ${sql.join(rows)}
        ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document`.execute(db);
    }
  },
};

/** The full-text engine of a database. */
export function engineFor(dialect: Dialect): Engine {
  return dialect === 'postgres' ? postgresEngine : sqliteEngine;
}

/**
 * The text part of the paper filter as id sets: `matching` holds the papers whose text has every clause
 * (`all`) or any of them (`any`) and none of the excluded ones; when there are only exclusions, `excluded`
 * holds the papers to leave out instead.
 */
export function textSets(dialect: Dialect, terms: TextTerms): { matching?: RawBuilder<number>; excluded?: RawBuilder<number> } {
  const engine = engineFor(dialect);
  if (terms.clauses.length === 0) return { excluded: engine.ids(engine.expression(terms.excluded, 'or', [])) };
  return { matching: engine.ids(engine.expression(terms.clauses, terms.match === 'all' ? 'and' : 'or', terms.excluded)) };
}
