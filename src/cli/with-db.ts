import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { openConfiguredDb } from '../db/open.ts';

/** Runs a command body with the configured, migrated database and closes it afterwards. */
export async function withDb<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openConfiguredDb(config);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
