import type { Kysely } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { keywordIndexFor, type KeywordIndex } from '../search/keyword-index.ts';
import { emptyState, mergeRecord, normalizeRecord, sameContent, type PaperState, type SourceSeen } from './merge.ts';
import { prepareRecord, type KnownLine, type PreparedRecord } from './prepare.ts';
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
export { prepareRecord, type KnownLine, type PreparedRecord } from './prepare.ts';

interface Group {
  existingId?: number;
  sources?: Partial<Record<string, SourceSeen>>;
  steps: (PreparedRecord | KnownLine)[];
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

/** Whether a paper's stored sources were read from `line` (SourceSeen.line). */
const readFrom = (sources: Partial<Record<string, SourceSeen>> | undefined, line: string) =>
  !!sources && Object.values(sources).some((s) => s?.line === line);

/**
 * upsertRecords for records prepared ahead (prepareRecord), in the same order and with the same result.
 * Lines a bulk import recognised (KnownLine) count as unchanged while their paper's source is still the
 * one read from them, checked in the store and against the batch's earlier records; otherwise they are parsed.
 */
export async function upsertPrepared(
  db: Kysely<Database>,
  keyword: KeywordIndex,
  input: (PreparedRecord | KnownLine)[],
  now = new Date().toISOString(),
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { added: 0, updated: 0, unchanged: 0 };
  const knownIds = [...new Set(input.flatMap((p) => ('known' in p ? [p.paperId] : [])))];
  const knownSources = await repo.loadSources(db, knownIds);
  // A line whose paper no longer says what it said (or is gone) is a record like any other.
  const prepared = input.map((p) => ('known' in p && !readFrom(knownSources.get(p.paperId), p.line) ? p.parse() : p));
  const parsed = prepared.filter((p): p is PreparedRecord => !('known' in p));
  // The record is hashed as the source gave it, so unchanged re-imports skip normalization entirely.
  // Only match keys here: a record itself is read only when it has to be merged.
  const candidates = await repo.findCandidates(db, {
    arxivIds: [...new Set(parsed.flatMap((p) => (p.arxivId ? [p.arxivId] : [])))],
    dois: [...new Set(parsed.flatMap((p) => (p.doi ? [p.doi] : [])))],
    titles: [...new Set(parsed.map((p) => p.titleNorm))],
  });
  const matcher = new Matcher();
  const byId = new Map<number, Group>();
  for (const c of candidates) {
    const group: Group = { existingId: c.id, sources: JSON.parse(c.sources), steps: [] };
    byId.set(c.id, group);
    matcher.add(group, { arxivId: c.arxiv_id, doi: c.doi, titleNorm: c.title_norm });
  }

  const groups = new Set<Group>();
  for (const step of prepared) {
    let group: Group | undefined;
    if ('known' in step) {
      group = byId.get(step.paperId);
      if (!group) byId.set(step.paperId, (group = { existingId: step.paperId, sources: knownSources.get(step.paperId), steps: [] }));
    } else {
      const keys = { source: step.source, arxivId: step.arxivId, doi: step.doi } as PaperRecord;
      group = matcher.match(keys, step.titleNorm) ?? { steps: [] };
      matcher.add(group, { arxivId: step.arxivId ?? null, doi: step.doi ?? null, titleNorm: step.titleNorm });
    }
    group.steps.push(step);
    groups.add(group);
  }

  // Fast path for re-imports: every record of the group is exactly what its source said last time.
  const toMerge: Group[] = [];
  for (const g of groups) {
    const same = (s: PreparedRecord | KnownLine) => ('known' in s ? readFrom(g.sources, s.line) : g.sources?.[s.source]?.hash === s.hash);
    if (g.existingId === undefined || !g.steps.every(same)) {
      toMerge.push(g);
      continue;
    }
    counts.unchanged += g.steps.length;
    // The same records, read from lines the store has not noted yet (a store from before line hashes, or another
    // file's line): only the bookkeeping changes, so the lines are written without merging anything.
    const unnoted = g.steps.filter((s): s is PreparedRecord => !('known' in s) && !!s.line && g.sources?.[s.source]?.line !== s.line);
    if (unnoted.length) {
      const sources = { ...g.sources };
      for (const s of unnoted) sources[s.source] = { ...sources[s.source]!, line: s.line };
      await repo.updateSources(db, g.existingId, { sources });
    }
  }
  const stored = await repo.loadStates(db, toMerge.flatMap((g) => (g.existingId !== undefined ? [g.existingId] : [])));

  const created: PaperState[] = [];
  const changed: { id: number; state: PaperState }[] = [];
  for (const g of toMerge) {
    const before = g.existingId !== undefined ? stored.get(g.existingId) : undefined;
    const first = g.steps[0];
    let state = before ?? emptyState('known' in first ? '' : first.record.title);
    g.steps.forEach((given, i) => {
      // A known line an earlier record of this batch replaced is read after all (in file order).
      if ('known' in given && readFrom(state.sources, given.line)) return void counts.unchanged++;
      const step = 'known' in given ? given.parse() : given;
      const next = mergeRecord(state, step.normalized ?? normalizeRecord(step.record), step.hash, step.line);
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
  for (const g of toMerge) for (const st of g.steps) if (!('known' in st) && st.compounded && st.normalized) {
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
