/**
 * The SQL of merging records into the store (papers.service.ts#upsertRecords): the stored papers a batch
 * may describe, their full merge states, and the writes — organizations and authors as needed, papers,
 * bylines and categories with the keys the paper filter matches on.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { archiveOf, categoryKey, lastWord } from '../filter/paper-filter.ts';
import { hotness } from '../trending/trending.service.ts';
import type { PaperState } from './merge.ts';
import { normalizeAuthorName } from './normalize.ts';
import { inSqliteTransaction } from '../db/sqlite-dialect.ts';
import { appendRows, deleteByPaper, ensureAuthorsSqlite, insertRows } from './merge.sqlite.ts';
import { bylines, paperRows } from './papers.repo.ts';

/** The columns needed to find which stored paper a record belongs to. */
export interface Candidate {
  id: number;
  arxiv_id: string | null;
  doi: string | null;
  title_norm: string;
  sources: string;
}

/** Stored papers that share an arXiv id, DOI or normalized title with the given keys. */
export async function findCandidates(
  db: Kysely<Database>,
  keys: { arxivIds: string[]; dois: string[]; titles: string[] },
): Promise<Candidate[]> {
  if (!keys.arxivIds.length && !keys.dois.length && !keys.titles.length) return [];
  return db
    .selectFrom('papers')
    .select(['id', 'arxiv_id', 'doi', 'title_norm', 'sources'])
    .where((eb) =>
      eb.or([
        ...(keys.arxivIds.length ? [eb('arxiv_id', 'in', keys.arxivIds)] : []),
        ...(keys.dois.length ? [eb('doi', 'in', keys.dois)] : []),
        ...(keys.titles.length ? [eb('title_norm', 'in', keys.titles)] : []),
      ]),
    )
    .execute();
}

/** The `sources` of stored papers (what each source last said, see SourceSeen), keyed by id. */
export async function loadSources(db: Kysely<Database>, ids: number[]): Promise<Map<number, PaperState['sources']>> {
  const out = new Map<number, PaperState['sources']>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('papers').select(['id', 'sources']).where('id', 'in', ids).execute();
  for (const row of rows) out.set(row.id, JSON.parse(row.sources));
  return out;
}

/**
 * Every JSON Lines line hash the store's papers were read from (SourceSeen.line), with the paper: what a bulk
 * import hands its parser so that lines seen before are counted rather than parsed.
 */
export async function knownLines(db: Kysely<Database>): Promise<[line: string, paperId: number][]> {
  const rows = await db.selectFrom('papers').select(['id', 'sources']).where('sources', 'like', '%"line":%').execute();
  const out: [string, number][] = [];
  for (const row of rows) {
    for (const seen of Object.values(JSON.parse(row.sources) as PaperState['sources'])) if (seen?.line) out.push([seen.line, row.id]);
  }
  return out;
}

/** Full merge states of stored papers, keyed by id. */
export async function loadStates(db: Kysely<Database>, ids: number[]): Promise<Map<number, PaperState>> {
  const states = new Map<number, PaperState>();
  if (ids.length === 0) return states;
  const rows = await paperRows(db, ids);
  const { authors, categories } = await bylines(db, ids);
  for (const row of rows) {
    states.set(row.id, {
      id: row.id,
      arxivId: row.arxiv_id,
      version: row.version,
      doi: row.doi,
      title: row.title,
      titleNorm: row.title_norm,
      abstract: row.abstract,
      comment: row.comment,
      journalRef: row.journal_ref,
      primaryCategory: row.primary_category,
      categories: [],
      publishedAt: row.published_at,
      updatedAt: row.updated_at,
      announcedOn: row.announced_on,
      authors: [],
      authorCount: row.author_count,
      organization: row.org_name && row.org_slug ? { name: row.org_name, slug: row.org_slug } : null,
      upvotes: row.upvotes,
      links: { abs: row.abs_url, pdf: row.pdf_url, code: row.code_url, project: row.project_url },
      provenance: JSON.parse(row.provenance),
      sources: JSON.parse(row.sources),
      withdrawn: row.withdrawn === 1,
    });
  }
  for (const a of authors) states.get(a.paper_id)?.authors.push(a.name);
  // Keep the stored category order: primary first, then as first seen (position is not stored, so alphabetical).
  for (const c of categories) states.get(c.paper_id)?.categories.push(c.category);
  return states;
}

function toRow(s: PaperState, orgId: number | null, now: string) {
  return {
    arxiv_id: s.arxivId,
    version: s.version,
    doi: s.doi,
    title: s.title,
    title_norm: s.titleNorm,
    abstract: s.abstract,
    comment: s.comment,
    journal_ref: s.journalRef,
    primary_category: s.primaryCategory,
    published_at: s.publishedAt,
    updated_at: s.updatedAt,
    announced_on: s.announcedOn,
    organization_id: orgId,
    author_count: s.authorCount,
    upvotes: s.upvotes,
    // Stored with the row so trending is a plain ORDER BY; recomputed here whenever upvotes or dates change.
    hotness: hotness({ upvotes: s.upvotes, announcedOn: s.announcedOn, publishedAt: s.publishedAt }),
    abs_url: s.links.abs,
    pdf_url: s.links.pdf,
    code_url: s.links.code,
    project_url: s.links.project,
    provenance: JSON.stringify(s.provenance),
    sources: JSON.stringify(s.sources),
    withdrawn: s.withdrawn ? 1 : 0,
    modified_at: now,
  };
}

/** Ids of organizations by slug, creating the missing ones. */
export async function ensureOrganizations(db: Kysely<Database>, orgs: { name: string; slug: string }[]): Promise<Map<string, number>> {
  const unique = [...new Map(orgs.map((o) => [o.slug, o])).values()];
  if (unique.length === 0) return new Map();
  await db.insertInto('organizations').values(unique).onConflict((oc) => oc.column('slug').doNothing()).execute();
  const rows = await db.selectFrom('organizations').select(['id', 'slug']).where('slug', 'in', unique.map((o) => o.slug)).execute();
  return new Map(rows.map((r) => [r.slug, r.id]));
}

/** Ids of authors by normalized name, creating the missing ones. */
export async function ensureAuthors(db: Kysely<Database>, names: string[]): Promise<Map<string, number>> {
  const byNorm = new Map<string, string>();
  for (const name of names) {
    const norm = normalizeAuthorName(name);
    if (norm && !byNorm.has(norm)) byNorm.set(norm, name);
  }
  const ids = new Map<string, number>();
  const norms = [...byNorm.keys()];
  const raw = await inSqliteTransaction(db, (sqlite) => ensureAuthorsSqlite(sqlite, norms.map((n) => ({ name: byNorm.get(n)!, name_norm: n, last_word: lastWord(n) }))));
  if (raw) return raw;
  for (let i = 0; i < norms.length; i += 2000) {
    const chunk = norms.slice(i, i + 2000);
    // Insert first, then look up only the names that were already there (DO NOTHING returns no row for
    // them): a bulk import meets mostly new names, and a lookup before the insert cost as much as the insert.
    for (let j = 0; j < chunk.length; j += 1000) {
      const inserted = await db
        .insertInto('authors')
        .values(chunk.slice(j, j + 1000).map((n) => ({ name: byNorm.get(n)!, name_norm: n, last_word: lastWord(n) })))
        .onConflict((oc) => oc.column('name_norm').doNothing())
        .returning(['id', 'name_norm'])
        .execute();
      for (const r of inserted) ids.set(r.name_norm, r.id);
    }
    const existing = chunk.filter((n) => !ids.has(n));
    if (existing.length) {
      const rows = await db.selectFrom('authors').select(['id', 'name_norm']).where('name_norm', 'in', existing).execute();
      for (const r of rows) ids.set(r.name_norm, r.id);
    }
  }
  return ids;
}

/** Inserts new papers and returns their ids in the same order. */
export async function insertPapers(db: Kysely<Database>, states: PaperState[], orgIds: (number | null)[], now: string): Promise<number[]> {
  const all = states.map((s, i) => ({ ...toRow(s, orgIds[i], now), created_at: now }));
  const raw = await inSqliteTransaction(db, (sqlite) => insertRows(sqlite, 'papers', all));
  if (raw) return raw;
  const ids: number[] = [];
  const chunk = 400; // 27 columns x 400 rows stays under both engines' parameter limits
  for (let i = 0; i < states.length; i += chunk) {
    const rows = all.slice(i, i + chunk);
    const inserted = await db.insertInto('papers').values(rows).returning(['id', 'arxiv_id', 'doi', 'title_norm']).execute();
    // RETURNING order is not promised by either engine, so match rows back on their dedup keys.
    const key = (r: { arxiv_id: string | null; doi: string | null; title_norm: string }) => r.arxiv_id ?? (r.doi ? `doi:${r.doi}` : `t:${r.title_norm}`);
    const byKey = new Map(inserted.map((r) => [key(r), r.id]));
    for (const row of rows) ids.push(byKey.get(key(row))!);
  }
  return ids;
}

/** Writes a changed paper's columns; a new title or abstract bumps `text_revision`, so vectors and the term index follow. */
export async function updatePaper(db: Kysely<Database>, id: number, state: PaperState, orgId: number | null, now: string): Promise<void> {
  await db
    .updateTable('papers')
    .set((eb) => ({
      ...toRow(state, orgId, now),
      // Compared with the stored row in this same UPDATE: the text cannot change without a new revision.
      text_revision: eb
        .case()
        .when(eb.and([eb('title', '=', state.title), eb('abstract', '=', state.abstract)]))
        .then(eb.ref('text_revision'))
        .else(eb('text_revision', '+', 1))
        .end(),
    }))
    .where('id', '=', id)
    .execute();
}

/** Stores only the per-source bookkeeping of a paper whose content did not change (provenance when given). */
export async function updateSources(db: Kysely<Database>, id: number, state: Pick<PaperState, 'sources'> & Partial<Pick<PaperState, 'provenance'>>): Promise<void> {
  const provenance = state.provenance ? { provenance: JSON.stringify(state.provenance) } : {};
  await db.updateTable('papers').set({ sources: JSON.stringify(state.sources), ...provenance }).where('id', '=', id).execute();
}

/** Replaces the author lists and categories of the given papers; `fresh` are ids inserted just now (nothing to delete). */
export async function replaceAuthorsAndCategories(
  db: Kysely<Database>,
  papers: { id: number; state: PaperState }[],
  authorIds: Map<string, number>,
  fresh: ReadonlySet<number> = new Set(),
): Promise<void> {
  if (papers.length === 0) return;
  const ids = papers.map((p) => p.id);
  const authorRows = papers.flatMap((p) => {
    const seen = new Set<number>();
    return p.state.authors.flatMap((name) => {
      const authorId = authorIds.get(normalizeAuthorName(name));
      if (authorId === undefined || seen.has(authorId)) return [];
      seen.add(authorId);
      return [{ paper_id: p.id, position: seen.size - 1, author_id: authorId }];
    });
  });
  const categoryRows = papers.flatMap((p) =>
    p.state.categories.map((category) => ({
      paper_id: p.id,
      category,
      is_primary: category === p.state.primaryCategory ? 1 : 0,
      category_key: categoryKey(category).key,
      archive: archiveOf(category),
    })),
  );
  const raw = await inSqliteTransaction(db, (sqlite) => {
    // A paper inserted in this transaction has no rows to delete yet.
    deleteByPaper(sqlite, 'paper_authors', ids.filter((id) => !fresh.has(id)));
    deleteByPaper(sqlite, 'paper_categories', ids.filter((id) => !fresh.has(id)));
    appendRows(sqlite, 'paper_authors', authorRows);
    appendRows(sqlite, 'paper_categories', categoryRows);
    return true;
  });
  if (raw) return;
  await db.deleteFrom('paper_authors').where('paper_id', 'in', ids).execute();
  await db.deleteFrom('paper_categories').where('paper_id', 'in', ids).execute();
  for (let i = 0; i < authorRows.length; i += 3000) await db.insertInto('paper_authors').values(authorRows.slice(i, i + 3000)).execute();
  for (let i = 0; i < categoryRows.length; i += 3000) await db.insertInto('paper_categories').values(categoryRows.slice(i, i + 3000)).execute();
}


