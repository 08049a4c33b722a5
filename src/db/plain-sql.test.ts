import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import { quickReads, type Db } from './database.ts';
import { placeholders, plainSelect } from './plain-sql.ts';

describeEachDatabase('SQL written out: one text with ? placeholders for both databases', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
    await db.kysely.insertInto('users').values([{ email: 'a@example.org', created_at: '2026-01-01T00:00:00Z' }, { email: 'b@example.org', created_at: '2026-01-02T00:00:00Z' }]).execute();
  });
  after(() => db.close());

  test('parameters bind in order, IN lists of any length included, through the store and its quick reads', async () => {
    const text = (n: number) => `SELECT email FROM users WHERE created_at > ? AND email IN (${placeholders(n)}) ORDER BY email`;
    for (const reads of [db.kysely, quickReads(db)]) {
      const rows = await plainSelect<{ email: string }>(reads, text(3), ['2025-12-31', 'a@example.org', 'b@example.org', 'c@example.org']);
      assert.deepEqual(rows.map((r) => r.email), ['a@example.org', 'b@example.org']);
      const one = await plainSelect<{ email: string }>(reads, text(1), ['2026-01-01T12:00:00Z', 'a@example.org']);
      assert.deepEqual(one, []);
    }
    assert.equal(placeholders(0), '');
    assert.equal(placeholders(2), '?, ?');
  });
});
