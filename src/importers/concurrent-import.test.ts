/**
 * An import while another connection writes to the same SQLite file (what `paperboy serve` does while
 * `paperboy import` runs): the import sees the server's presence and writes in short transactions, so the
 * other writer's statements go through during the import instead of failing with SQLITE_BUSY; alone it
 * writes in large batches; and a file that turns out truncated still writes nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { syntheticJsonl } from '../../test/synthetic-papers.ts';
import { migrate, openDb } from '../db/database.ts';
import { announcePresence } from '../db/presence.ts';
import { countAll } from '../papers/papers.repo.ts';
import { hitRateLimit } from '../subscriptions/rate-limits.ts';
import { importFile } from './import.service.ts';
import { FormatError } from './types.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-concurrent-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('another connection keeps writing to the SQLite file while an import runs', async () => {
  const file = path.join(tmp, 'store.sqlite');
  const importer = openDb({ sqliteFile: file });
  await migrate(importer);
  const server = openDb({ sqliteFile: file });
  // As `paperboy serve` does: an import that sees it writes in short transactions.
  const leave = announcePresence(file);
  const jsonl = path.join(tmp, 'many.jsonl');
  fs.writeFileSync(jsonl, syntheticJsonl(3000));

  let importDone = false;
  const importing = importFile(importer, jsonl).finally(() => (importDone = true));
  let duringImport = 0;
  const failures: string[] = [];
  while (!importDone) {
    try {
      // The same statement POST /subscribe runs first: an upsert of a rate-limit counter.
      await hitRateLimit(server.kysely, `test:${duringImport}`, { max: 10, windowSeconds: 60 });
      if (!importDone) duringImport++;
    } catch (err) {
      failures.push((err as Error).message);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const report = await importing;
  assert.deepEqual(failures, []);
  assert.equal(report.added, 3000);
  assert.ok(report.transactions.count > 10, `the import wrote in short transactions (${report.transactions.count})`);
  assert.ok(duringImport >= 5, `the other connection wrote ${duringImport} times during the import`);
  leave();
  await server.close();
  await importer.close();
});

test('alone on the store, an import writes in large batches', async () => {
  const db = openDb({ sqliteFile: path.join(tmp, 'alone.sqlite') });
  await migrate(db);
  const jsonl = path.join(tmp, 'alone.jsonl');
  fs.writeFileSync(jsonl, syntheticJsonl(3000));
  const report = await importFile(db, jsonl);
  assert.equal(report.added, 3000);
  // Up to 4,000 records per transaction alone (write.ts ALONE_BATCH); 50 or fewer at first while sharing.
  assert.equal(report.transactions.count, 1);
  await db.close();
});

test('a file truncated after many records writes nothing, though it is written in batches', async () => {
  const db = openDb({ sqliteFile: path.join(tmp, 'truncated.sqlite') });
  await migrate(db);
  const text = syntheticJsonl(2000);
  const file = path.join(tmp, 'cut.jsonl');
  fs.writeFileSync(file, text.slice(0, text.length - 40));
  await assert.rejects(importFile(db, file), (err: unknown) => err instanceof FormatError && /truncated: line 2000/.test(err.message));
  assert.equal((await countAll(db.kysely)).papers, 0);
  await db.close();
});
