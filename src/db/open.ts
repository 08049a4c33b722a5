import path from 'node:path';
import type { Config } from '../config.ts';
import { migrate, openDb, type Db } from './database.ts';

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR) and migrates it. */
export async function openConfiguredDb(config: Config): Promise<Db> {
  const db = config.databaseUrl
    ? openDb({ postgresUrl: config.databaseUrl })
    : openDb({ sqliteFile: path.join(config.dataDir, 'paperboy.sqlite') });
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw new Error(`database ${db.location}: ${(err as Error).message}`);
  }
  return db;
}
