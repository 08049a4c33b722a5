import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { keywordIndexFor, type KeywordIndex } from '../search/keyword-index.ts';
import { emptyState, mergeRecord, normalizeRecord, sameContent, type PaperState, type SourceSeen } from './merge.ts';
import { prepareRecord, type PreparedRecord } from './prepare.ts';
import type { PaperRecord } from './paper.ts';
import * as repo from './merge.repo.ts';
import { restoreLocalVotesInHotness } from '../trending/trending.repo.ts';

/** How records of one upsert changed the store. */
export interface UpsertCounts {
  added: number;
  updated: number;
  unchanged: number;
}

// Lives in prepare.ts, which a parser thread loads without the store's modules (much faster to start).
export { prepareRecord, type PreparedRecord } from './prepare.ts';

interface Group {
  existingId?: number;
  sources?: Partial<Record<string, SourceSeen>>;
  steps: PreparedRecord[];
}

/** Finds, among stored candidates and this batch's earlier papers, the one a record describes. */
class Matcher {
  private byArxiv = new Map<string, Group>();
  private byDoi = new Map<string, Group>();
  private byTitle = new Map<string, { group: Group; arxivId: string | null }[]>();

  add(group: Group, keys: { arxivId: string | null; doi: string | null; titleNorm: string }): void {
    if (keys.arxivId) this.byArxiv.set(keys.arxivId, group);
    if (keys.doi) this.byDoi.set(keys.doi, group);
    const list = this.byTitle.get(keys.titleNorm) ?? [];
    list.push({ group, arxivId: keys.arxivId });
    this.byTitle.set(keys.titleNorm, list);
  }

  /** arXiv id first, then DOI, then title; a title or DOI match never joins two different arXiv ids. */
  match(r: PaperRecord, titleNorm: string): Group | undefined {
    if (r.arxivId) {
      const g = this.byArxiv.get(r.arxivId);
      if (g) return g;
    }
    if (r.doi) {
      const g = this.byDoi.get(r.doi);
      if (g && (!r.arxivId || ![...this.byArxiv.entries()].some(([id, og]) => og === g && id !== r.arxivId))) return g;
    }
    const compatible = (this.byTitle.get(titleNorm) ?? []).find((t) => !r.arxivId || !t.arxivId || t.arxivId === r.arxivId);
    return compatible?.group;
  }
}

/**
 * Merges records into the store: each record joins the paper it describes (by arXiv id, DOI or
 * normalized title) or creates one. Run inside a transaction; the keyword index is updated in it.
 */
export async function upsertRecords(
  db: Kysely<Database>,
  keyword: KeywordIndex,
  input: PaperRecord[],
  now = new Date().toISOString(),
): Promise<UpsertCounts> {
  return upsertPrepared(db, keyword, input.map((r) => prepareRecord(r)), now);
}

/** upsertRecords for records prepared ahead (prepareRecord), in the same order and with the same result. */
export async function upsertPrepared(
  db: Kysely<Database>,
  keyword: KeywordIndex,
  prepared: PreparedRecord[],
  now = new Date().toISOString(),
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { added: 0, updated: 0, unchanged: 0 };
  // The record is hashed as the source gave it, so unchanged re-imports skip normalization entirely.
  // Only match keys here: a record itself is read only when it has to be merged.
  const records = prepared.map((p) => ({ source: p.source, arxivId: p.arxivId, doi: p.doi }) as PaperRecord);
  const titleNorms = prepared.map((p) => p.titleNorm);
  const candidates = await repo.findCandidates(db, {
    arxivIds: [...new Set(records.flatMap((r) => (r.arxivId ? [r.arxivId] : [])))],
    dois: [...new Set(records.flatMap((r) => (r.doi ? [r.doi] : [])))],
    titles: [...new Set(titleNorms)],
  });
  const matcher = new Matcher();
  for (const c of candidates) matcher.add({ existingId: c.id, sources: JSON.parse(c.sources), steps: [] }, { arxivId: c.arxiv_id, doi: c.doi, titleNorm: c.title_norm });

  const groups = new Set<Group>();
  records.forEach((record, i) => {
    let group = matcher.match(record, titleNorms[i]);
    if (!group) group = { steps: [] };
    group.steps.push(prepared[i]);
    groups.add(group);
    matcher.add(group, { arxivId: record.arxivId ?? null, doi: record.doi ?? null, titleNorm: titleNorms[i] });
  });

  // Fast path for re-imports: every record of the group is exactly what its source said last time.
  const toMerge: Group[] = [];
  for (const g of groups) {
    if (g.existingId !== undefined && g.steps.every((s) => g.sources?.[s.source]?.hash === s.hash)) counts.unchanged += g.steps.length;
    else toMerge.push(g);
  }
  const stored = await repo.loadStates(db, toMerge.flatMap((g) => (g.existingId !== undefined ? [g.existingId] : [])));

  const created: PaperState[] = [];
  const changed: { id: number; state: PaperState }[] = [];
  for (const g of toMerge) {
    const before = g.existingId !== undefined ? stored.get(g.existingId) : undefined;
    let state = before ?? emptyState(g.steps[0].record.title);
    g.steps.forEach((step, i) => {
      const next = mergeRecord(state, step.normalized ?? normalizeRecord(step.record), step.hash);
      if (!before && i === 0) counts.added++;
      else if (sameContent(state, next)) counts.unchanged++;
      else counts.updated++;
      state = next;
    });
    if (!before) created.push(state);
    else if (!sameContent(before, state)) changed.push({ id: before.id!, state });
    else await repo.updateSources(db, before.id!, state);
  }
  if (created.length === 0 && changed.length === 0) return counts;

  const all = [...created, ...changed.map((c) => c.state)];
  const orgIds = await repo.ensureOrganizations(db, all.flatMap((s) => (s.organization ? [s.organization] : [])));
  const orgOf = (s: PaperState) => (s.organization ? orgIds.get(s.organization.slug) ?? null : null);
  const authorIds = await repo.ensureAuthors(db, all.flatMap((s) => s.authors));
  const newIds = await repo.insertPapers(db, created, created.map(orgOf), now);
  for (const c of changed) await repo.updatePaper(db, c.id, c.state, orgOf(c.state), now);
  // A record carries imported upvotes only; papers voted on here get their local votes back in the score.
  await restoreLocalVotesInHotness(db, changed.map((c) => c.id));
  const written = [...created.map((state, i) => ({ id: newIds[i], state })), ...changed];
  const fresh = new Set(newIds);
  await repo.replaceAuthorsAndCategories(db, written, authorIds, fresh);
  // Texts whose keyword-index form the parser computed ahead; a merged paper's text is usually one of them.
  const ahead = new Map<string, string>();
  for (const g of toMerge) for (const st of g.steps) if (st.compounded && st.normalized) {
    ahead.set(st.normalized.title, st.compounded.title);
    ahead.set(st.normalized.abstract ?? '', st.compounded.abstract);
  }
  await keyword.replace(
    db,
    written.map(({ id, state }) => {
      const title = ahead.get(state.title);
      const abstract = ahead.get(state.abstract);
      const compounded = title !== undefined && abstract !== undefined ? { title, abstract } : undefined;
      return { paperId: id, title: state.title, abstract: state.abstract, authors: state.authors.join(', '), compounded, fresh: fresh.has(id) };
    }),
  );
  return counts;
}

/** Upserts records in one transaction on an open database (convenience for tests and small imports). */
export async function addRecords(db: Db, records: PaperRecord[]): Promise<UpsertCounts> {
  return db.kysely.transaction().execute((trx) => upsertRecords(trx, keywordIndexFor(db.dialect), records));
}
