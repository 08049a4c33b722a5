/**
 * `npm run bench:import`: imports the 74,728-paper arXiv corpus into a fresh store (keyword index
 * included), then imports it again (all unchanged), printing papers/s and peak memory for each.
 * SQLite always; PostgreSQL too when PAPERBOY_BENCH_PG_URL points at a server we may create databases on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPostgres } from '../test/databases.ts';
import { migrate, openDb, type Db } from '../src/db/database.ts';
import { importFile } from '../src/importers/import.service.ts';

const CORPUS = process.env.PAPERBOY_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function run(label: string, db: Db) {
  for (const pass of ['fresh import', 're-import (unchanged)']) {
    global.gc?.();
    peakRss = process.memoryUsage().rss;
    const r = await importFile(db, CORPUS);
    const n = r.added + r.updated + r.unchanged + r.skipped.length;
    console.log(
      `${label.padEnd(10)} ${pass.padEnd(22)} ${String(n).padStart(6)} papers  ${r.seconds.toFixed(2).padStart(6)} s  ${String(Math.round(n / r.seconds)).padStart(6)} papers/s  peak RSS ${Math.round(peakRss / 2 ** 20)} MB  (added ${r.added}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped.length})`,
    );
  }
}

if (!fs.existsSync(CORPUS)) throw new Error(`bench: corpus not found at ${CORPUS} (set PAPERBOY_CORPUS)`);
console.log(`corpus ${CORPUS}\nnode ${process.version}, ${os.cpus().length} cores`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-'));
const sqlite = openDb({ sqliteFile: path.join(dir, 'bench.sqlite') });
await migrate(sqlite);
await run('sqlite', sqlite);
await sqlite.close();
fs.rmSync(dir, { recursive: true, force: true });

const pgUrl = process.env.PAPERBOY_BENCH_PG_URL;
if (pgUrl) {
  const db = await freshPostgres(pgUrl);
  await run('postgres', db);
  await db.close();
} else {
  console.log('postgres: skipped (set PAPERBOY_BENCH_PG_URL=postgres://... to include it)');
}
clearInterval(sampler);
