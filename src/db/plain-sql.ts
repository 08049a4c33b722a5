/**
 * SQL written out once and run as it is, without Kysely's builder and compiler: for the few small indexed
 * reads every signed-in request makes (its session, its marks on a page of cards), where building and
 * compiling the query cost more than running it (bench:signed-in: ~0.05 ms a query). The text is the same
 * for both databases — `?` placeholders, which PostgreSQL gets as `$1…$n` — so keep it to plain SQL both
 * read alike, with no `?` other than the placeholders. Anything that varies belongs in a Kysely query.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Kysely, PostgresAdapter } from 'kysely';
import type { Database } from './schema.ts';

const numbered = new Map<string, string>();
const direct = new WeakMap<Kysely<Database>, { sqlite: BetterSqlite3.Database; statements: Map<string, BetterSqlite3.Statement> }>();

/**
 * Lets `plainSelect` on `db` run its statements on `sqlite` itself, synchronously, past Kysely's executor and
 * connection hand-over: only for `Db.quick`, a read-only connection on this thread that never holds a
 * transaction.
 */
export function runPlainSelectsOn(db: Kysely<Database>, sqlite: BetterSqlite3.Database): void {
  direct.set(db, { sqlite, statements: new Map() });
}

/** The rows of a SELECT written with `?` placeholders, one per parameter in order. */
export async function plainSelect<Row>(db: Kysely<Database>, text: string, parameters: readonly unknown[]): Promise<Row[]> {
  const own = direct.get(db);
  if (own) {
    try {
      let statement = own.statements.get(text);
      if (!statement) {
        statement = own.sqlite.prepare(text);
        if (own.statements.size >= 500) own.statements.clear();
        own.statements.set(text, statement);
      }
      return statement.all(parameters) as Row[];
    } catch (err) {
      // A read in WAL mode is rarely told to wait (a checkpoint resetting the log): Kysely's way waits for it.
      if (!(err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw err;
    }
  }
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const query = CompiledQuery.raw(postgres ? dollarPlaceholders(text) : text, [...parameters]);
  return (await db.executeQuery<Row>(query)).rows;
}

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return n === 0 ? '' : '?' + ', ?'.repeat(n - 1);
}

function dollarPlaceholders(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    // IN lists make one text per length: a few dozen at most, but never grow without bound.
    if (numbered.size >= 500) numbered.clear();
    numbered.set(text, out);
  }
  return out;
}
