/**
 * Importing a reference file into a collection. Each reference is matched to a stored paper the way the
 * importer matches records (papers.service.ts): by arXiv id, then DOI, then normalized title — and a DOI or
 * title never joins a reference to a paper with a different arXiv id. A reference with an arXiv id the store
 * does not have is fetched from arXiv's API (all such ids in one request per 50) and added to the store
 * first. Whatever is left is listed with the reason, for the result page; of it, entries with a title are
 * kept by their text (references.repo.ts), so that recommendations learn from them too.
 */
import type { Owned } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { fetchArxivPapers } from '../fetch/arxiv-ids.ts';
import type { PoliteHttpClient } from '../fetch/http.ts';
import { findCandidates, type Candidate } from '../papers/merge.repo.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { addPapers, COLLECTION_LIMITS, type CollectionRow } from './collections.service.ts';
import { parseReferences, type ReferenceEntry, type ReferenceFormat } from './import/references.ts';
import * as references from './references.repo.ts';

export { IMPORT_LIMITS, ReferenceFileError } from './import/references.ts';

/** Unknown arXiv ids fetched per import at most (two requests to arXiv). */
export const MAX_FETCHED = 100;

/** What an import needs: the store, and arXiv's API (undefined: nothing is fetched). */
export interface ImportDeps {
  db: Db;
  arxiv?: { baseUrl: string; client: PoliteHttpClient };
  limits?: typeof COLLECTION_LIMITS;
}

/** How a reference found its paper. */
export type MatchedBy = 'arxiv' | 'doi' | 'title' | 'fetched';

/** Why a reference found none. */
export type UnmatchedReason = 'no-keys' | 'not-found' | 'not-on-arxiv' | 'arxiv-unavailable' | 'fetch-limit';

/** A reference and the paper it is. */
export interface ImportedEntry {
  entry: ReferenceEntry;
  paper: Pick<Paper, 'id' | 'arxivId' | 'title'>;
  matchedBy: MatchedBy;
}

/** What an import did, entry by entry. */
export interface ImportResult {
  format: ReferenceFormat;
  /** Put in the collection now. */
  added: ImportedEntry[];
  /** In the collection already (or named twice in the file). */
  already: ImportedEntry[];
  /** Matched, but the collection is full. */
  overLimit: ImportedEntry[];
  unmatched: { entry: ReferenceEntry; reason: UnmatchedReason }[];
  /** Parts of the file that could not be read. */
  problems: string[];
  /** Papers fetched from arXiv into the store. */
  fetched: number;
  /** Unmatched entries with a title, kept by their text for recommendations (new or kept already). */
  asText: number;
  /** Unmatched entries with a title not kept: the collection keeps COLLECTION_LIMITS.references at most. */
  asTextOverLimit: number;
}

/** The stored paper a reference names, by arXiv id, then DOI, then title. */
function matchStored(entry: ReferenceEntry, found: Candidate[]): { id: number; by: MatchedBy } | undefined {
  if (entry.arxivId) {
    const hit = found.find((c) => c.arxiv_id === entry.arxivId);
    if (hit) return { id: hit.id, by: 'arxiv' };
  }
  // A DOI or a title never joins a reference to another preprint than the one it names.
  const compatible = (c: Candidate) => !entry.arxivId || !c.arxiv_id || c.arxiv_id === entry.arxivId;
  if (entry.doi) {
    const hit = found.find((c) => c.doi === entry.doi && compatible(c));
    if (hit) return { id: hit.id, by: 'doi' };
  }
  for (const key of entry.titleKeys) {
    const hit = found.filter((c) => c.title_norm === key && compatible(c)).sort((a, b) => a.id - b.id)[0];
    if (hit) return { id: hit.id, by: 'title' };
  }
  return undefined;
}

/** Finds the stored papers of entries; the rest are returned unmatched. */
async function matchAll(db: Db, entries: ReferenceEntry[]) {
  const found = await findCandidates(db.kysely, {
    arxivIds: [...new Set(entries.flatMap((e) => e.arxivId ?? []))],
    dois: [...new Set(entries.flatMap((e) => e.doi ?? []))],
    titles: [...new Set(entries.flatMap((e) => e.titleKeys))],
  });
  const matched = new Map<ReferenceEntry, { id: number; by: MatchedBy }>();
  for (const e of entries) {
    const m = matchStored(e, found);
    if (m) matched.set(e, m);
  }
  return matched;
}

/** Fetches the entries' unknown arXiv ids into the store; returns which ids came back and which failed how. */
async function fetchUnknown(deps: ImportDeps, ids: string[]): Promise<{ fetched: Set<string>; failed: Map<string, UnmatchedReason> }> {
  const failed = new Map<string, UnmatchedReason>();
  const fetched = new Set<string>();
  const asked = ids.slice(0, MAX_FETCHED);
  for (const id of ids.slice(MAX_FETCHED)) failed.set(id, 'fetch-limit');
  if (asked.length === 0) return { fetched, failed };
  if (!deps.arxiv) {
    for (const id of asked) failed.set(id, 'arxiv-unavailable');
    return { fetched, failed };
  }
  try {
    const got = await fetchArxivPapers(asked, { baseUrl: deps.arxiv.baseUrl, client: deps.arxiv.client });
    if (got.records.length) await addRecords(deps.db, got.records);
    for (const id of got.missing) failed.set(id, 'not-on-arxiv');
    for (const id of asked) if (!failed.has(id)) fetched.add(id);
  } catch {
    // arXiv down or refusing: those entries are listed, everything else is still imported.
    for (const id of asked) failed.set(id, 'arxiv-unavailable');
  }
  return { fetched, failed };
}

/** Reads a reference file and adds what it names to the owner's collection; throws ReferenceFileError for a file that cannot be read. */
export async function importReferences(deps: ImportDeps, c: Owned<CollectionRow>, text: string, name: string, now = new Date()): Promise<ImportResult> {
  const parsed = parseReferences(text, name);
  const matched = await matchAll(deps.db, parsed.entries);
  const unknown = parsed.entries.filter((e) => !matched.has(e) && e.arxivId);
  const { fetched, failed } = await fetchUnknown(deps, [...new Set(unknown.map((e) => e.arxivId!))]);
  if (fetched.size) {
    const late = await matchAll(deps.db, unknown.filter((e) => fetched.has(e.arxivId!)));
    for (const [e, m] of late) matched.set(e, { id: m.id, by: 'fetched' });
  }

  const result: ImportResult = { format: parsed.format, added: [], already: [], overLimit: [], unmatched: [], problems: parsed.problems, fetched: fetched.size, asText: 0, asTextOverLimit: 0 };
  const order: number[] = [];
  const firstOf = new Map<number, ReferenceEntry>();
  for (const e of parsed.entries) {
    const m = matched.get(e);
    if (!m) {
      const reason = e.arxivId ? (failed.get(e.arxivId) ?? 'not-on-arxiv') : e.doi || e.titleKeys.length ? 'not-found' : 'no-keys';
      result.unmatched.push({ entry: e, reason });
    } else if (!firstOf.has(m.id)) {
      firstOf.set(m.id, e);
      order.push(m.id);
    }
  }
  const outcome = await addPapers(deps.db, c, order, deps.limits ?? COLLECTION_LIMITS, now);
  const papers = new Map((await getPapers(deps.db.kysely, order)).map((p) => [p.id, { id: p.id, arxivId: p.arxivId, title: p.title }]));
  const added = new Set(outcome.added);
  const over = new Set(outcome.overLimit);
  for (const e of parsed.entries) {
    const m = matched.get(e);
    const paper = m && papers.get(m.id);
    if (!m || !paper) continue;
    const item = { entry: e, paper, matchedBy: m.by };
    if (firstOf.get(m.id) !== e) result.already.push(item);
    else if (added.has(m.id)) result.added.push(item);
    else if (over.has(m.id)) result.overLimit.push(item);
    else result.already.push(item);
  }
  Object.assign(result, await keepAsText(deps, c, result.unmatched.map((u) => u.entry), now));
  return result;
}

/**
 * Keeps unmatched entries that have a title by their text (title and abstract), one per normalized title,
 * up to the collection's limit: the reader's library counts for recommendations beyond what the store holds.
 */
async function keepAsText(deps: ImportDeps, c: Owned<CollectionRow>, entries: ReferenceEntry[], now: Date): Promise<{ asText: number; asTextOverLimit: number }> {
  const byTitle = new Map<string, { title: string; abstract: string; titleNorm: string }>();
  for (const e of entries) if (e.text && !byTitle.has(e.titleKeys[0])) byTitle.set(e.titleKeys[0], { ...e.text, titleNorm: e.titleKeys[0] });
  if (byTitle.size === 0) return { asText: 0, asTextOverLimit: 0 };
  const limit = (deps.limits ?? COLLECTION_LIMITS).references;
  return deps.db.kysely.transaction().execute(async (trx) => {
    const kept = new Set(await references.titlesIn(trx, c.id, [...byTitle.keys()]));
    const fresh = [...byTitle.values()].filter((r) => !kept.has(r.titleNorm));
    const room = Math.max(0, limit - (await references.countReferences(trx, c.id)));
    await references.insertReferences(trx, c.id, fresh.slice(0, room), now.toISOString());
    return { asText: kept.size + Math.min(room, fresh.length), asTextOverLimit: Math.max(0, fresh.length - room) };
  });
}
