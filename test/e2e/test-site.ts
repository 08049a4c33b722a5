/** The store and server a browser suite starts from: a SQLite file in a temp folder, these papers, a free port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { type Db, migrate, openDb } from '../../src/db/database.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import type { PaperRecord } from '../../src/papers/paper.ts';
import { addRecords } from '../../src/papers/papers.service.ts';

/** A running test site; `close` stops the server, closes the store and removes its folder. */
export interface TestSite {
  db: Db;
  server: RunningServer;
  close(): Promise<void>;
}

/** Imports `records` into a fresh store named after the suite and serves it on 127.0.0.1. */
export async function startTestSite(name: string, records: PaperRecord[]): Promise<TestSite> {
  const dir = mkdtempSync(path.join(tmpdir(), `paperboy-e2e-${name}-`));
  const db = openDb({ sqliteFile: path.join(dir, 'paperboy.sqlite') });
  await migrate(db);
  await addRecords(db, records);
  const server = await startServer({ ...loadConfig({}), logLevel: 'silent', host: '127.0.0.1', port: 0 }, db);
  return {
    db,
    server,
    async close() {
      await server.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
