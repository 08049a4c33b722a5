/**
 * All SQL of sources: the sources and their progress, their runs, and the host leases that make each
 * harvest happen once across instances (the digest's lease pattern: claim with a conditional UPDATE, renew
 * while working, a holder that dies simply lets its lease run out).
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { RunStatus, SourceKind, SourceRunsTable, SourcesTable } from '../db/schema.sources.ts';

/** A source row as stored. */
export type SourceRow = Selectable<SourcesTable>;
/** A run row as stored. */
export type RunRow = Selectable<SourceRunsTable>;
/** Columns of a source that a run or an admin changes. */
export type SourcePatch = Updateable<SourcesTable>;

/** Adds a source; undefined when one with the same kind and target exists already. */
export async function insertSource(db: Kysely<Database>, row: Insertable<SourcesTable>): Promise<number | undefined> {
  const inserted = await db.insertInto('sources').values(row).onConflict((oc) => oc.columns(['kind', 'target']).doNothing()).returning('id').executeTakeFirst();
  return inserted?.id;
}

/** Every source, in the order they were added. */
export function listSources(db: Kysely<Database>): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll().orderBy('id').execute();
}

/** One source by id. */
export function getSource(db: Kysely<Database>, id: number): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One source by what it follows. */
export function findSource(db: Kysely<Database>, kind: SourceKind, target: string): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('kind', '=', kind).where('target', '=', target).executeTakeFirst();
}

/** Changes a source's columns; false when there is no such source. */
export async function updateSource(db: Kysely<Database>, id: number, patch: SourcePatch): Promise<boolean> {
  const r = await db.updateTable('sources').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Removes a source and its runs (its papers stay); false when there was none. */
export async function deleteSource(db: Kysely<Database>, id: number): Promise<boolean> {
  const r = await db.deleteFrom('sources').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

const until = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/** Takes the named lease if nobody holds it; returns its token, or undefined when another process does. */
export async function claimLease(db: Kysely<Database>, name: string, seconds: number, now: Date): Promise<string | undefined> {
  await db.insertInto('fetch_leases').values({ name, lease_token: null, lease_until: null }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const token = randomUUID();
  const r = await db
    .updateTable('fetch_leases')
    .set({ lease_token: token, lease_until: until(now, seconds) })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? token : undefined;
}

/** Extends a lease we hold; false when it ran out and someone else took it (stop working then). */
export async function renewLease(db: Kysely<Database>, name: string, token: string, seconds: number, now: Date): Promise<boolean> {
  const r = await db.updateTable('fetch_leases').set({ lease_until: until(now, seconds) }).where('name', '=', name).where('lease_token', '=', token).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Lets go of a lease we hold. */
export async function releaseLease(db: Kysely<Database>, name: string, token: string): Promise<void> {
  await db.updateTable('fetch_leases').set({ lease_token: null, lease_until: null }).where('name', '=', name).where('lease_token', '=', token).execute();
}

/**
 * Marks as interrupted the runs of these sources still `running` under another lease: whoever holds the
 * host's lease now runs them, so such a run's process stopped (killed, or its lease ran out).
 */
export async function interruptOrphanedRuns(db: Kysely<Database>, sourceIds: number[], token: string, now: Date): Promise<number> {
  if (sourceIds.length === 0) return 0;
  const r = await db
    .updateTable('source_runs')
    .set({ status: 'interrupted', finished_at: now.toISOString(), message: 'the process running it stopped before it finished; the next run went on from its last committed page' })
    .where('source_id', 'in', sourceIds)
    .where('status', '=', 'running')
    .where((eb) => eb.or([eb('lease_token', 'is', null), eb('lease_token', '!=', token)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Records the start of a run; returns its id. */
export async function startRun(db: Kysely<Database>, run: Pick<Insertable<SourceRunsTable>, 'source_id' | 'window_from' | 'window_until' | 'via' | 'lease_token'>, now: Date): Promise<number> {
  const row = await db
    .insertInto('source_runs')
    .values({ ...run, started_at: now.toISOString(), status: 'running' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A run's counts so far, written after each committed page. */
export interface RunCounts {
  requests: number;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  skips: { location: string; reason: string }[];
}

/** Writes a run's counts (and, when given, its end) — run inside the transaction that also moves the source on. */
export async function writeRun(db: Kysely<Database>, id: number, counts: RunCounts, end?: { status: Exclude<RunStatus, 'running'>; message?: string; via?: string; now: Date }): Promise<void> {
  await db
    .updateTable('source_runs')
    .set({
      requests: counts.requests,
      added: counts.added,
      updated: counts.updated,
      unchanged: counts.unchanged,
      skipped: counts.skipped,
      skips: JSON.stringify(counts.skips),
      ...(end ? { status: end.status, message: end.message ?? null, finished_at: end.now.toISOString(), ...(end.via ? { via: end.via } : {}) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The newest runs, of one source or of all, newest first. */
export function recentRuns(db: Kysely<Database>, limit: number, sourceId?: number): Promise<RunRow[]> {
  let q = db.selectFrom('source_runs').selectAll().orderBy('id', 'desc').limit(limit);
  if (sourceId !== undefined) q = q.where('source_id', '=', sourceId);
  return q.execute();
}

/** Each source's newest run. */
export async function latestRunBySource(db: Kysely<Database>): Promise<Map<number, RunRow>> {
  const newest = db.selectFrom('source_runs').select((eb) => eb.fn.max('id').as('id')).groupBy('source_id');
  const rows = await db.selectFrom('source_runs').selectAll().where('id', 'in', newest).execute();
  return new Map(rows.map((r) => [r.source_id, r]));
}

/**
 * Claims the right to mail the admin about a source failing since `since`: true once per failing spell
 * (until the source succeeds again), whichever process asks first.
 */
export async function claimFailureAlert(db: Kysely<Database>, id: number, since: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('sources')
    .set({ alerted_at: now.toISOString() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('alerted_at', 'is', null), eb('alerted_at', '<', since)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
