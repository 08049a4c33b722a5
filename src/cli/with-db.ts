import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { openConfiguredDb, type OpenOptions } from '../db/open.ts';

/** Runs a command body with the configured, migrated database and closes it afterwards. */
export async function withDb<T>(fn: (db: Db, config: Config) => Promise<T>, opts: OpenOptions = {}): Promise<T> {
  const config = loadConfig();
  const db = await openConfiguredDb(config, opts);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
