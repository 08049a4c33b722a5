/** The SQL moderation reads: the audit log with who acted (the log is written by accounts.repo.ts#recordAudit). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** An audit entry with the acting account's address (null: the admin token, the CLI, or a deleted account). */
export interface AuditRow {
  id: number;
  at: string;
  action: string;
  target_type: string;
  target_id: number | null;
  detail: string;
  actor_email: string | null;
}

/** One page of the audit log, newest first, and how many entries it has. */
export async function auditEntries(db: Kysely<Database>, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.action', 'audit_log.target_type', 'audit_log.target_id', 'audit_log.detail', 'users.email as actor_email'])
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}
