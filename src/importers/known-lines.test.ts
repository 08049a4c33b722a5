/**
 * Lines a bulk re-import has seen before (SourceSeen.line) are counted, not parsed — and only while the
 * paper still says what that line said: a line an earlier record replaced is read again, in file order.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { knownLines } from '../papers/merge.repo.ts';
import { importFile } from './import.service.ts';
import { readJsonlLines } from './jsonl.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-known-lines-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const line = (i: number, summary = `Abstract ${i}`) =>
  JSON.stringify({ id: `2502.${10000 + i}`, title: `Paper ${i}`, authors: ['Ann Author'], categories: ['cs.LG'], comment: null, summary, first_seen: '2025-03-18' });
const write = (name: string, lines: string[]) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

describeEachDatabase('known lines', (open) => {
  test('a re-import passes every line after the first on unparsed and counts them unchanged', async () => {
    const db = await open();
    try {
      const file = write('same.jsonl', Array.from({ length: 50 }, (_, i) => line(i)));
      await importFile(db, file, { parseInWorker: true });
      const known = await knownLines(db.kysely);
      assert.equal(known.length, 50);
      let passedOn = 0;
      for await (const e of readJsonlLines(file, { known: new Map(known) })) if (e.kind === 'known') passedOn++;
      // The first line is parsed to choose the reader the hashes depend on.
      assert.equal(passedOn, 49);
      const again = await importFile(db, file, { parseInWorker: true });
      assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 50]);
    } finally {
      await db.close();
    }
  });

  test('a store imported without line hashes notes them on its first bulk re-import, every record unchanged', async () => {
    const db = await open();
    try {
      const file = write('old-store.jsonl', Array.from({ length: 30 }, (_, i) => line(i)));
      await importFile(db, file, { parseInWorker: false });
      assert.equal((await knownLines(db.kysely)).length, 0);
      const again = await importFile(db, file, { parseInWorker: true });
      assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 30]);
      assert.equal((await knownLines(db.kysely)).length, 30);
      const third = await importFile(db, file, { parseInWorker: true });
      assert.deepEqual([third.added, third.updated, third.unchanged], [0, 0, 30]);
    } finally {
      await db.close();
    }
  });

  for (const maxBatch of [1, 1000]) {
    test(`a known line after a record that replaced it is read again (batches of ${maxBatch})`, async () => {
      const db = await open();
      try {
        await importFile(db, write(`a-${maxBatch}.jsonl`, [line(0), line(1, 'First abstract')]), { parseInWorker: true });
        // The same paper's record with a new abstract, then the line it was first read from, again.
        const report = await importFile(db, write(`ba-${maxBatch}.jsonl`, [line(0), line(1, 'Second abstract'), line(1, 'First abstract')]), {
          parseInWorker: true,
          pacing: { maxBatch },
        });
        const rows = await db.kysely.selectFrom('papers').select('abstract').where('arxiv_id', '=', '2502.10001').execute();
        assert.equal(rows[0].abstract, 'First abstract');
        assert.deepEqual([report.added, report.updated, report.unchanged], [0, 2, 1]);
      } finally {
        await db.close();
      }
    });
  }
});
