/**
 * Everything Paperboy holds about one reader, as JSON: `paperboy export --user EMAIL` and the account
 * page's download. Which tables hold it is read from the schema, not listed: the account row, every table
 * with a `user_id` (votes, reading states, follows, submissions, collections, comments, sessions, tokens,
 * settings, recommendation state …) or `actor_user_id` (the audit log of their own actions), the joined
 * email subscription and every table with its `subscriber_id`, and the rows that belong to those rows by
 * name (`collection_papers` by `collection_id`). Secrets are left out — password, token and link hashes,
 * salts, nonces, lease tokens: the export is something to keep or hand to another service, and must not
 * open the account to whoever reads it.
 */
import type { Db } from '../db/database.ts';
import { paperLabels, rowsOwnedBy, storeColumns } from './user-export.repo.ts';

/** Columns never exported: they would let the file's reader act as the account. */
const SECRET = /(^|_)(hash|salt|nonce|token|secret)$/;
/** Tables that are bookkeeping, not anyone's data. */
const NOT_PERSONAL = new Set(['schema_migrations', 'schema_migrations_lock', 'derived_state', 'rate_limits']);

/** A reader's data: the export format (version 1). */
export interface UserExport {
  format: 'paperboy-user-export';
  version: 1;
  exportedAt: string;
  account: Record<string, unknown>;
  /** Table name → the reader's rows, secrets removed. */
  tables: Record<string, Record<string, unknown>[]>;
  /** The papers those rows mention, by id. */
  papers: Record<string, { arxivId: string | null; title: string }>;
}

const singular = (table: string) => table.replace(/ies$/, 'y').replace(/s$/, '');

function withoutSecrets(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!SECRET.test(k)) out[k] = Buffer.isBuffer(v) ? `(${v.length} bytes)` : v;
  return out;
}

/** The export of the account with this email, or undefined when there is none. */
export async function exportUserData(db: Db, email: string, now = new Date()): Promise<UserExport | undefined> {
  const user = await db.kysely.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!user) return undefined;
  const columns = await storeColumns(db.kysely, db.dialect);
  const tables: Record<string, Record<string, unknown>[]> = {};
  const owners: [string, number[]][] = [
    ['user_id', [user.id]],
    ['actor_user_id', [user.id]],
    ['subscriber_id', user.subscriber_id === null ? [] : [user.subscriber_id]],
  ];
  const ids = new Map<string, number[]>();
  for (const [table, cols] of columns) {
    if (NOT_PERSONAL.has(table) || table === 'users') continue;
    for (const [column, values] of owners) {
      if (!cols.includes(column) || values.length === 0) continue;
      const rows = await rowsOwnedBy(db.kysely, table, column, values);
      if (rows.length) tables[table] = [...(tables[table] ?? []), ...rows];
    }
  }
  if (user.subscriber_id !== null) tables.subscribers = await rowsOwnedBy(db.kysely, 'subscribers', 'id', [user.subscriber_id]);
  // Rows that belong to the reader's rows: collection_papers by collection_id, and so on.
  for (const [owned, rows] of Object.entries(tables)) if (rows.length && 'id' in rows[0]) ids.set(`${singular(owned)}_id`, rows.map((r) => Number(r.id)));
  for (const [table, cols] of columns) {
    if (tables[table] || NOT_PERSONAL.has(table)) continue;
    for (const [column, values] of ids) {
      if (!cols.includes(column)) continue;
      const rows = await rowsOwnedBy(db.kysely, table, column, values);
      if (rows.length) tables[table] = [...(tables[table] ?? []), ...rows];
    }
  }
  const paperIds = [...new Set(Object.values(tables).flatMap((rows) => rows.flatMap((r) => (typeof r.paper_id === 'number' ? [r.paper_id] : []))))];
  const papers = Object.fromEntries((await paperLabels(db.kysely, paperIds)).map((p) => [String(p.id), { arxivId: p.arxiv_id, title: p.title }]));
  const { password_hash, ...account } = user;
  return {
    format: 'paperboy-user-export',
    version: 1,
    exportedAt: now.toISOString(),
    account: { ...withoutSecrets(account), hasPassword: password_hash !== null },
    tables: Object.fromEntries(Object.entries(tables).sort(([a], [b]) => a.localeCompare(b)).map(([t, rows]) => [t, rows.map(withoutSecrets)])),
    papers,
  };
}
