/**
 * The SQL that reads papers for display: rows with their organization, bylines and categories, loaded in
 * the order asked for and read through the same rules the importers validate with. The SQL that merges
 * records into the store is in merge.repo.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isDay, isListingDay } from '../listings/period.ts';
import { httpUrl } from './links.ts';
import type { Paper } from './paper.ts';
import { submissionMarks } from '../community/submission-marks.ts';

/** Paper rows with their organization's name and slug. */
export function paperRows(db: Kysely<Database>, ids: number[]) {
  return db
    .selectFrom('papers')
    .leftJoin('organizations', 'organizations.id', 'papers.organization_id')
    .selectAll('papers')
    .select(['organizations.name as org_name', 'organizations.slug as org_slug'])
    .where('papers.id', 'in', ids)
    .execute();
}

/** Authors in byline order and categories (primary first) of the given papers. */
export async function bylines(db: Kysely<Database>, ids: number[]) {
  const authorRows = db
    .selectFrom('paper_authors')
    .innerJoin('authors', 'authors.id', 'paper_authors.author_id')
    .select(['paper_authors.paper_id', 'authors.id', 'authors.name'])
    .where('paper_authors.paper_id', 'in', ids)
    .orderBy('paper_authors.paper_id')
    .orderBy('paper_authors.position')
    .execute();
  const categoryRows = db
    .selectFrom('paper_categories')
    .select(['paper_id', 'category'])
    .where('paper_id', 'in', ids)
    .orderBy('paper_id')
    .orderBy('is_primary', 'desc')
    .orderBy('category')
    .execute();
  const [authors, categories] = await Promise.all([authorRows, categoryRows]);
  return { authors, categories };
}

const storedUrl = (url: string | null) => (url ? httpUrl(url) ?? null : null);
const storedTimestamp = (t: string | null) => (t && /^\d{4}-\d{2}-\d{2}/.test(t) && isDay(t.slice(0, 10)) && !Number.isNaN(Date.parse(t)) ? t : null);
const parseStoredJson = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
};

/** Loads papers for display, in the order of the given ids (missing ids are dropped). */
export async function getPapers(db: Kysely<Database>, ids: number[]): Promise<Paper[]> {
  if (ids.length === 0) return [];
  // At once: on SQLite each goes to its own reader thread, on PostgreSQL to its own pooled connection.
  // Who submitted a paper here (issue 9) shows wherever the paper does.
  const [rows, { authors, categories }, marks] = await Promise.all([paperRows(db, ids), bylines(db, ids), submissionMarks(db, ids)]);
  const byId = new Map<number, Paper>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      arxivId: r.arxiv_id,
      version: r.version,
      doi: r.doi,
      title: r.title,
      abstract: r.abstract,
      authors: [],
      authorCount: r.author_count,
      categories: [],
      primaryCategory: r.primary_category,
      // Read through the same rules the importers validate with, so a bad value stored before they did
      // (or by hand) shows as unknown instead of taking a page down.
      publishedAt: storedTimestamp(r.published_at),
      updatedAt: storedTimestamp(r.updated_at),
      announcedOn: r.announced_on !== null && isListingDay(r.announced_on) ? r.announced_on : null,
      comment: r.comment,
      journalRef: r.journal_ref,
      organization: r.organization_id && r.org_name && r.org_slug ? { id: r.organization_id, name: r.org_name, slug: r.org_slug } : null,
      upvotes: r.upvotes,
      localVotes: r.local_votes,
      submission: marks.get(r.id) ?? null,
      hotness: r.hotness,
      links: { abs: storedUrl(r.abs_url), pdf: storedUrl(r.pdf_url), code: storedUrl(r.code_url), project: storedUrl(r.project_url) },
      provenance: parseStoredJson(r.provenance),
      withdrawn: r.withdrawn === 1,
    });
  }
  for (const a of authors) byId.get(a.paper_id)?.authors.push({ id: a.id, name: a.name });
  for (const c of categories) byId.get(c.paper_id)?.categories.push(c.category);
  return ids.map((id) => byId.get(id)).filter((p): p is Paper => p !== undefined);
}

/** Resolves a paper reference from a URL: an arXiv id (any spelling) or the numeric id. */
export async function findPaperId(db: Kysely<Database>, ref: { arxivId?: string; id?: number }): Promise<number | undefined> {
  if (ref.arxivId) {
    const row = await db.selectFrom('papers').select('id').where('arxiv_id', '=', ref.arxivId).executeTakeFirst();
    return row?.id;
  }
  if (ref.id !== undefined) {
    const row = await db.selectFrom('papers').select('id').where('id', '=', ref.id).executeTakeFirst();
    return row?.id;
  }
  return undefined;
}

/** The highest paper id (0 for an empty store): a cheap sign that papers were added, and where id windows end. */
export async function highestPaperId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('papers').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Counts shown by `paperboy stats` and the JSON list of all papers. */
export async function countAll(db: Kysely<Database>) {
  const count = async (table: 'papers' | 'authors' | 'organizations') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const withArxiv = await db.selectFrom('papers').select((eb) => eb.fn.count<number>('arxiv_id').as('n')).executeTakeFirstOrThrow();
  return {
    papers: await count('papers'),
    withArxivId: Number(withArxiv.n),
    authors: await count('authors'),
    organizations: await count('organizations'),
  };
}
