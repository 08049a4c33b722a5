import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

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
}

/**
 * Full-text search over titles, abstracts and authors. The one place SQLite (FTS5, BM25) and
 * PostgreSQL (tsvector, ts_rank_cd) differ; both implementations pass the same test suite.
 */
export interface KeywordIndex {
  /** Replaces the indexed text of these papers; call inside the transaction that wrote them. */
  replace(db: Kysely<Database>, docs: KeywordDoc[]): Promise<void>;
  /** Papers matching the query, best first. */
  search(db: Kysely<Database>, query: string, limit: number): Promise<KeywordHit[]>;
}

/** Splits a query into plain word tokens (letters and digits only), which both engines accept safely. */
export function queryTerms(query: string): string[] {
  return [...new Set(query.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/** Short queries require every word; longer ones (sentences, pasted abstracts) rank by any word. */
function requireAll(terms: string[]): boolean {
  return terms.length <= 4;
}

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
  async search(db, query, limit) {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const match = terms.map((t) => `"${t}"`).join(requireAll(terms) ? ' ' : ' OR ');
    const { rows } = await sql<{ id: number; rank: number }>`
      SELECT rowid AS id, bm25(papers_fts, 2.0, 1.0, 0.5) AS rank FROM papers_fts
      WHERE papers_fts MATCH ${match} ORDER BY rank LIMIT ${limit}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: -r.rank }));
  },
};

const postgresIndex: KeywordIndex = {
  async replace(db, docs) {
    if (docs.length === 0) return;
    for (let i = 0; i < docs.length; i += 500) {
      const rows = docs.slice(i, i + 500).map(
        (d) => sql`(${d.paperId}, setweight(to_tsvector('english', ${d.title}), 'A') || setweight(to_tsvector('english', ${d.abstract}), 'B') || setweight(to_tsvector('english', ${d.authors}), 'C'))`,
      );
      await sql`INSERT INTO papers_fts (paper_id, document) VALUES ${sql.join(rows)}
        ON CONFLICT (paper_id) DO UPDATE SET document = EXCLUDED.document`.execute(db);
    }
  },
  async search(db, query, limit) {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    const tsquery = terms.join(requireAll(terms) ? ' & ' : ' | ');
    const { rows } = await sql<{ id: number; score: number }>`
      SELECT paper_id AS id, ts_rank_cd(document, q, 1) AS score
      FROM papers_fts, to_tsquery('english', ${tsquery}) q
      WHERE document @@ q ORDER BY score DESC, paper_id LIMIT ${limit}`.execute(db);
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  },
};

/** The keyword index implementation for a database engine. */
export function keywordIndexFor(dialect: Dialect): KeywordIndex {
  return dialect === 'postgres' ? postgresIndex : sqliteIndex;
}
