/**
 * What /readyz tells a load balancer: this process should get requests when its database answers, the
 * schema is migrated to what this release expects, and the search indexes are loaded (a first search
 * would otherwise wait for them); and none once it is stopping (SIGTERM), so traffic moves to the other
 * instances before this one closes its port.
 */
import type { Db } from '../db/database.ts';
import { migrationNames } from '../db/database.ts';
import { appliedMigrations, ping } from './ops.repo.ts';

/** The parts of a process's state that are not in the database; `paperboy serve` keeps them. */
export interface ProcessState {
  /** Set once the search indexes have been loaded (or failed to: search then asks the database). */
  searchReady: boolean;
  /** Set when a shutdown began: /readyz answers 503 and responses ask clients to close their connection. */
  stopping: boolean;
}

/** A new process state: not ready for search, not stopping. */
export function newProcessState(): ProcessState {
  return { searchReady: false, stopping: false };
}

/** Each check's result: "ok", or what is wrong. */
export interface Readiness {
  ready: boolean;
  checks: { database: string; migrations: string; search: string; shutdown: string };
}

/** How long the database may take to answer before the instance counts as not ready. */
const PING_TIMEOUT_MS = 2000;

const migrated = new WeakSet<Db>();

/** Runs the checks; `state` is undefined for an app without a serving process (tests): search counts as loaded. */
export async function checkReadiness(db: Db, state: ProcessState | undefined): Promise<Readiness> {
  const database = await withTimeout(ping(db.kysely), PING_TIMEOUT_MS).then(
    () => 'ok',
    (err: Error) => `unreachable: ${err.message.slice(0, 200)}`,
  );
  let migrations = 'unknown (no database)';
  if (database === 'ok') {
    if (migrated.has(db)) migrations = 'ok';
    else {
      const applied = await appliedMigrations(db.kysely).catch(() => new Set<string>());
      const missing = migrationNames(db.dialect).filter((n) => !applied.has(n));
      migrations = missing.length ? `pending: ${missing.join(', ')}` : 'ok';
      // Once applied, a migration stays applied: later checks skip the query.
      if (!missing.length) migrated.add(db);
    }
  }
  const search = !state || state.searchReady ? 'ok' : 'loading';
  const shutdown = state?.stopping ? 'stopping' : 'ok';
  const checks = { database, migrations, search, shutdown };
  return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
