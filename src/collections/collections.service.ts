/**
 * The rules of collections: who may read one (its owner; anyone for a public or unlisted one), what only
 * its owner may change (functions that take `Owned<CollectionRow>`, which only the ownership check makes),
 * and the limits that keep one account from filling the store. No HTTP here.
 */
import { randomBytes } from 'node:crypto';
import { type Owned, type User, userLabel } from '../accounts/user.ts';
import { type Db, quickReads } from '../db/database.ts';
import type { CollectionVisibility } from '../db/schema.collections.ts';
import type { Paper } from '../papers/paper.ts';
import { getPapers } from '../papers/papers.repo.ts';
import * as references from './references.repo.ts';
import * as repo from './collections.repo.ts';

export type { CollectionRow } from './collections.repo.ts';
type CollectionRow = repo.CollectionRow;

/** How much one account may keep. */
export const COLLECTION_LIMITS = {
  /** Collections per account. */
  perUser: 100,
  /** Papers per collection. */
  papers: 2_000,
  /** References kept by their text per collection (an uploaded library's entries not in the store). */
  references: 2_000,
  name: 100,
  description: 2_000,
  note: 1_000,
};

/** Papers per page of a collection (HTML and JSON). */
export const COLLECTION_PAGE = 50;

/** A collection in a list: what its card shows. */
export interface CollectionSummary {
  publicId: string;
  name: string;
  description: string;
  visibility: CollectionVisibility;
  paperCount: number;
  ownerName: string;
  createdAt: string;
  updatedAt: string;
}

function summary(row: repo.CollectionListRow): CollectionSummary {
  return {
    publicId: row.public_id,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    paperCount: row.paper_count,
    ownerName: userLabel({ displayName: row.owner_display_name, email: row.owner_email }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A new collection's public id: 96 random bits, URL-safe. */
function newPublicId(): string {
  return randomBytes(12).toString('base64url');
}

/** Makes a collection for `user`; 'too-many' past the per-account limit. */
export async function createCollection(
  db: Db,
  user: Pick<User, 'id'>,
  input: { name: string; description?: string; visibility?: CollectionVisibility },
  limits = COLLECTION_LIMITS,
  now = new Date(),
): Promise<CollectionRow | 'too-many'> {
  if ((await repo.countCollections(db.kysely, user.id)) >= limits.perUser) return 'too-many';
  return repo.insertCollection(db.kysely, {
    publicId: newPublicId(),
    userId: user.id,
    name: input.name,
    description: input.description ?? '',
    visibility: input.visibility ?? 'private',
    now: now.toISOString(),
  });
}

/** The collection with this public id, whoever owns it; callers decide with `readableBy` or `ownedOr404`. */
export function findCollection(db: Db, publicId: string): Promise<CollectionRow | undefined> {
  return repo.getCollection(db.kysely, publicId);
}

/** Whether `viewer` may see a collection: its owner always, anyone a public or unlisted one (unlisted: by its link). */
export function readableBy(viewer: Pick<User, 'id'> | undefined, row: CollectionRow | undefined): row is CollectionRow {
  if (!row) return false;
  return row.visibility !== 'private' || (viewer !== undefined && viewer.id === row.user_id);
}

/** The account's collections, most recently changed first. */
export async function myCollections(db: Db, user: Pick<User, 'id'>): Promise<CollectionSummary[]> {
  return (await repo.collectionsOf(db.kysely, user.id)).map(summary);
}

/** Whether the account has any collection: asked by every signed-in page of cards, so on the quick connection. */
export async function hasCollections(db: Db, user: Pick<User, 'id'>): Promise<boolean> {
  return repo.hasCollections(quickReads(db), user.id);
}

/** A collection as lists show it (its owner's name, its paper count); the caller has checked it may be read. */
export async function summarize(db: Db, c: CollectionRow): Promise<CollectionSummary> {
  const row = await repo.collectionListRow(db.kysely, c.id);
  if (!row) throw new Error(`collection ${c.public_id} vanished`);
  return summary(row);
}

/** Public collections with papers, most recently changed first, a page of `perPage`. */
export async function publicCollections(db: Db, page: number, perPage = COLLECTION_PAGE): Promise<{ collections: CollectionSummary[]; total: number; pageCount: number }> {
  const { rows, total } = await repo.publicCollections(db.kysely, perPage, (page - 1) * perPage);
  return { collections: rows.map(summary), total, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** Changes the owner's collection. */
export async function updateCollection(db: Db, c: Owned<CollectionRow>, patch: { name?: string; description?: string; visibility?: CollectionVisibility }, now = new Date()): Promise<void> {
  await repo.updateCollection(db.kysely, { id: c.id, userId: c.user_id }, { ...patch, updated_at: now.toISOString() });
}

/** Deletes the owner's collection and its notes. */
export async function deleteCollection(db: Db, c: Owned<CollectionRow>): Promise<void> {
  await db.kysely.transaction().execute((trx) => repo.deleteCollection(trx, { id: c.id, userId: c.user_id }));
}

/**
 * Adds a paper to the owner's collection, or replaces the note of one already in it (when a note is given): 'added', 'updated', or
 * 'full' when the collection holds its limit (a paper already in it can still get a note).
 */
export async function addPaper(db: Db, c: Owned<CollectionRow>, paperId: number, note?: string, limits = COLLECTION_LIMITS, now = new Date()): Promise<'added' | 'updated' | 'full'> {
  if (await repo.hasPaper(db.kysely, c.id, paperId)) {
    // Saved again without a note: the note written before stays.
    if (note !== undefined) await repo.upsertPapers(db.kysely, c.id, [{ paperId, note }], now.toISOString());
    return 'updated';
  }
  if ((await repo.countPapers(db.kysely, c.id)) >= limits.papers) return 'full';
  await repo.upsertPapers(db.kysely, c.id, [{ paperId, note: note ?? '' }], now.toISOString());
  return 'added';
}

/**
 * Adds many papers at once (an import), keeping the notes of those already in: returns which ids were new,
 * and which did not fit under the limit.
 */
export async function addPapers(db: Db, c: Owned<CollectionRow>, paperIds: number[], limits = COLLECTION_LIMITS, now = new Date()): Promise<{ added: number[]; already: number[]; overLimit: number[] }> {
  return db.kysely.transaction().execute(async (trx) => {
    const inThis = new Set(await repo.papersIn(trx, c.id, paperIds));
    const room = Math.max(0, limits.papers - (await repo.countPapers(trx, c.id)));
    const fresh = [...new Set(paperIds.filter((id) => !inThis.has(id)))];
    const added = fresh.slice(0, room);
    await repo.upsertPapers(trx, c.id, added.map((paperId) => ({ paperId })), now.toISOString());
    return { added, already: [...inThis], overLimit: fresh.slice(room) };
  });
}

/** Removes a paper from the owner's collection; whether it was in it. */
export function removePaper(db: Db, c: Owned<CollectionRow>, paperId: number, now = new Date()): Promise<boolean> {
  return repo.deletePaper(db.kysely, c.id, paperId, now.toISOString());
}

/** A paper of a collection with the owner's note. */
export interface CollectionEntry {
  paper: Paper;
  note: string;
  addedAt: string;
}

/** One page of a collection's papers; the caller has checked it may be read (`readableBy`). */
export async function collectionPapers(db: Db, c: CollectionRow, page: number, perPage = COLLECTION_PAGE): Promise<{ entries: CollectionEntry[]; total: number; pageCount: number }> {
  const total = await repo.countPapers(db.kysely, c.id);
  const rows = await repo.paperEntries(db.kysely, c.id, perPage, (page - 1) * perPage);
  const papers = new Map((await getPapers(db.kysely, rows.map((r) => r.paper_id))).map((p) => [p.id, p]));
  const entries = rows.flatMap((r) => {
    const paper = papers.get(r.paper_id);
    return paper ? [{ paper, note: r.note, addedAt: r.added_at }] : [];
  });
  return { entries, total, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** Every paper of a collection (exports: BibTeX, feeds), most recently added first, up to the per-collection limit. */
export async function allCollectionPapers(db: Db, c: CollectionRow): Promise<CollectionEntry[]> {
  return (await collectionPapers(db, c, 1, COLLECTION_LIMITS.papers)).entries;
}

/** For each of these papers, the public ids of `user`'s collections holding it (what a card's "Save" menu shows). */
export async function membershipsOf(db: Db, user: Pick<User, 'id'>, paperIds: number[]): Promise<Map<number, string[]>> {
  const held = new Map<number, string[]>();
  for (const m of await repo.memberships(quickReads(db), user.id, paperIds)) (held.get(m.paper_id) ?? held.set(m.paper_id, []).get(m.paper_id)!).push(m.public_id);
  return held;
}

/** The references the owner's collection keeps by their text (an uploaded library's entries not in the store): the first `limit` titles and the count. */
export async function keptReferences(db: Db, c: Owned<CollectionRow>, limit = COLLECTION_PAGE): Promise<{ total: number; titles: string[] }> {
  const [total, rows] = await Promise.all([references.countReferences(db.kysely, c.id), references.referencesOf(db.kysely, c.id, limit)]);
  return { total, titles: rows.map((r) => r.title) };
}
