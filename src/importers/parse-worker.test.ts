/**
 * The parallel JSON Lines import (parse-worker.ts, jsonl-worker.ts) is the same import on a second core:
 * every record still goes through the zod schema, bad lines are skipped with the same location and reason,
 * a truncated file still writes nothing, and the store ends up exactly as the one-thread import leaves it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { migrate, openDb } from '../db/database.ts';
import { countAll } from '../papers/papers.repo.ts';
import { importFile, type ImportReport } from './import.service.ts';
import { FormatError } from './types.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-parse-worker-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Corpus-shaped lines (the arXiv mapping), with bad ones among them; a duplicate id later in the file. */
function corpusLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `2501.${String(10000 + i)}`;
    lines.push(JSON.stringify({ id, title: `Self-supervised paper ${i}`, authors: [`Ann Author${i % 97}`, 'Bob Common'], categories: ['cs.LG', 'I.2.7'], comment: null, summary: `An abstract\nwrapped ${i}, see https://github.com/x/y${i}`, first_seen: '2025-03-18' }));
    if (i === 7) lines.push('{"id": "2501.99999", "title": "broken');
    if (i === 11) lines.push(JSON.stringify({ id: '2501.99998', title: 'Bad day', summary: 'x', first_seen: '2026-13-45' }));
    if (i === 13) lines.push(JSON.stringify({ id: '2501.99997', title: '', summary: 'no title', first_seen: '2025-03-18' }));
  }
  lines.push(JSON.stringify({ id: '2501.10003', title: 'Self-supervised paper 3, revised', authors: ['Ann Author3'], categories: ['cs.LG'], summary: 'A newer abstract', first_seen: '2025-03-19' }));
  return lines;
}

const comparable = (r: ImportReport) => ({ added: r.added, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped, notes: r.notes });

async function importBoth(file: string, thenFile?: string) {
  const out: Record<string, { first: ImportReport; again: ImportReport; counts: unknown }> = {};
  for (const inWorker of [false, true]) {
    const db = openDb({ sqliteFile: path.join(tmp, `${path.basename(file)}-${inWorker}.sqlite`) });
    await migrate(db);
    try {
      const first = await importFile(db, file, { parseInWorker: inWorker });
      const again = await importFile(db, thenFile ?? file, { parseInWorker: inWorker });
      // The keyword index holds the compounds the worker computed ahead (`self-supervised` → `selfsupervised`).
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH 'selfsupervised'`.execute(db.kysely);
      out[String(inWorker)] = { first, again, counts: { ...(await countAll(db.kysely)), compoundHits: rows[0].n } };
    } finally {
      await db.close();
    }
  }
  return out;
}

test('the worker import skips, notes, counts and stores exactly what the one-thread import does', async () => {
  const file = path.join(tmp, 'corpus.jsonl.gz');
  fs.writeFileSync(file, gzipSync(`${corpusLines(1200).join('\n')}\n`));
  const { false: alone, true: worker } = await importBoth(file);
  assert.deepEqual(comparable(worker.first), comparable(alone.first));
  assert.deepEqual(comparable(worker.again), comparable(alone.again));
  assert.deepEqual(worker.counts, alone.counts);
  assert.equal((worker.counts as { compoundHits: number }).compoundHits, 1200);
  assert.equal(worker.first.skipped.length, 3);
  assert.match(worker.first.skipped[0].location, /corpus\.jsonl\.gz:9$/);
  assert.equal(worker.again.unchanged, 1201);
});

test('records changed among unchanged ones are merged when the worker has stopped normalizing', async () => {
  const lines = corpusLines(3000);
  const first = path.join(tmp, 'v1.jsonl.gz');
  const second = path.join(tmp, 'v2.jsonl.gz');
  fs.writeFileSync(first, gzipSync(`${lines.join('\n')}\n`));
  // Every 500th record gets a new abstract: they arrive while the parser sends unchanged records as text.
  const changed = lines.map((l, i) => (i % 500 === 499 && l.includes('"summary"') ? l.replace('An abstract', 'A revised abstract') : l));
  fs.writeFileSync(second, gzipSync(`${changed.join('\n')}\n`));
  const { false: alone, true: worker } = await importBoth(first, second);
  assert.deepEqual(comparable(worker.again), comparable(alone.again));
  assert.deepEqual(worker.counts, alone.counts);
  assert.ok(worker.again.updated >= 5, `updated ${worker.again.updated}`);
});

test('a truncated file is refused by the worker import before anything is written', async () => {
  const whole = gzipSync(`${corpusLines(3000).join('\n')}\n`);
  const file = path.join(tmp, 'truncated.jsonl.gz');
  fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.7)));
  const db = openDb({ sqliteFile: path.join(tmp, 'truncated.sqlite') });
  await migrate(db);
  try {
    await assert.rejects(importFile(db, file, { parseInWorker: true }), (err) => err instanceof FormatError && /truncated gzip/.test(err.message));
    assert.equal((await countAll(db.kysely)).papers, 0);
  } finally {
    await db.close();
  }
});
