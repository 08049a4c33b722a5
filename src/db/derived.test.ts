import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../test/databases.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { keywordIndexStep } from '../search/keyword-index.ts';
import { queryFilter } from '../search/query.ts';
import { ensureDerivedData } from './derived.ts';

describeEachDatabase('derived data', (open) => {
  test('an empty store is marked current without a rebuild; a later version rebuilds once', async () => {
    const db = await open();
    try {
      const rebuilt: string[] = [];
      const step = { name: 'probe', version: 1, dialects: [db.dialect], rebuild: async () => void rebuilt.push('v1') };
      assert.deepEqual(await ensureDerivedData(db, [step], () => {}), []);
      await addRecords(db, [{ source: 'jsonl', title: 'A paper' }]);
      assert.deepEqual(await ensureDerivedData(db, [step], () => {}), [], 'marked current while empty');
      assert.deepEqual(await ensureDerivedData(db, [{ ...step, version: 2 }], () => {}), ['probe']);
      assert.deepEqual(await ensureDerivedData(db, [{ ...step, version: 2 }], () => {}), [], 'once');
    } finally {
      await db.close();
    }
  });

  test('the keyword index of a store made before stopwords were kept is rebuilt, and finds stopword phrases', async (t) => {
    const db = await open();
    try {
      if (db.dialect !== 'postgres') return t.skip('FTS5 always kept stopwords');
      await addRecords(db, [{ source: 'jsonl', title: 'To be or not to be: a study', abstract: 'Hamlet.' }]);
      // As migration 0005 stores left it: documents built with the stock configuration, which drops stopwords.
      await sql`UPDATE papers_fts SET document = to_tsvector('english', 'To be or not to be: a study Hamlet')`.execute(db.kysely);
      const find = async () => (await filteredPaperIds(db, queryFilter('"to be or not to be"'), 'newest', 5)).length;
      assert.equal(await find(), 0, 'the old document has no stopwords');
      assert.deepEqual(await ensureDerivedData(db, [keywordIndexStep], () => {}), ['keyword-index']);
      assert.equal(await find(), 1);
    } finally {
      await db.close();
    }
  });
});
