/**
 * The SQL of operating a store: what /readyz asks (the database answers, every migration is applied) and
 * what /metrics reports about it (outbox depth and age, each source's last success, papers, vectors). Each
 * query is one indexed lookup or aggregate, so a scrape every 15 s costs nothing a request would notice.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Round trip to the database (SQLite: a reader thread; PostgreSQL: a pooled connection). */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** The names of the migrations the store has applied. */
export async function appliedMigrations(db: Kysely<Database>): Promise<Set<string>> {
  const rows = await sql<{ name: string }>`select name from schema_migrations`.execute(db);
  return new Set(rows.rows.map((r) => r.name));
}

/** Messages waiting to be sent now, and the due time of the oldest of them. */
export async function outboxBacklog(db: Kysely<Database>, now = new Date()): Promise<{ due: number; oldestDueAt: string | null; byStatus: Record<string, number> }> {
  const due = await db
    .selectFrom('mail_outbox')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('due_at').as('oldest')])
    .where('status', '=', 'pending')
    .where('due_at', '<=', now.toISOString())
    .executeTakeFirstOrThrow();
  const rows = await db.selectFrom('mail_outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return { due: Number(due.n), oldestDueAt: (due.oldest as string | null) ?? null, byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
}

/** Each enabled source and when it last fetched successfully. */
export async function sourceSuccesses(db: Kysely<Database>): Promise<{ label: string; lastSuccessAt: string | null }[]> {
  const rows = await db.selectFrom('sources').select(['kind', 'target', 'last_success_at']).where('enabled', '=', 1).execute();
  return rows.map((r) => ({ label: r.target ? `${r.kind}:${r.target}` : r.kind, lastSuccessAt: r.last_success_at }));
}

/** How many papers there are, the highest id, the newest listing day, and how many stored vectors. */
export async function storeSizes(db: Kysely<Database>): Promise<{ papers: number; maxId: number; newestDay: string | null; vectors: number }> {
  // One aggregate per query: SQLite answers a lone max() from an index, but not two at once.
  const [papers, maxId, newest, vectors] = await Promise.all([
    db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('v')).executeTakeFirstOrThrow(),
    db.selectFrom('papers').select((eb) => eb.fn.max('id').as('v')).executeTakeFirstOrThrow(),
    db.selectFrom('papers').select((eb) => eb.fn.max('announced_on').as('v')).executeTakeFirstOrThrow(),
    db.selectFrom('paper_vectors').select((eb) => eb.fn.countAll<number>().as('v')).executeTakeFirstOrThrow(),
  ]);
  return { papers: Number(papers.v), maxId: Number(maxId.v ?? 0), newestDay: (newest.v as string | null) ?? null, vectors: Number(vectors.v) };
}
