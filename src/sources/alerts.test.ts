/**
 * Failures visible: a source that has failed for a day mails ADMIN_EMAIL once (through the configured mailer,
 * here the .eml outbox), not at every failed run; after it succeeds again, a new failing day mails again.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { addSource, sourcesOverview } from './sources.service.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

describeEachDatabase('the admin is mailed when a source has failed for a day', (open) => {
  let db: Db;
  let replay: OaiReplay;
  let down = true;
  before(async () => {
    db = await open();
    replay = await startOaiReplay({ records: newPapers(['2025-09-29', '2025-09-30', '2025-10-01', '2025-10-02'], 1), intercept: () => (down ? { status: 500, body: 'Internal Server Error' } : undefined) });
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });

  test('one mail per failing spell, none before a day has passed', async () => {
    const config = replayConfig(replay, { ADMIN_EMAIL: 'ops@lab.example', PUBLIC_BASE_URL: 'https://papers.lab.example' });
    const clients = quickClients(config);
    const mails = () => (fs.existsSync(config.mail.outboxDir) ? fs.readdirSync(config.mail.outboxDir).filter((f) => f.endsWith('.eml')) : []);
    const clock = new Clock(new Date('2025-09-29T12:00:00Z'));
    await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: '2025-09-29' }, 'env', clock.at);
    // Failing every tick for 30 hours: runs back off, and the mail goes out once the day is up.
    const mailedAt: string[] = [];
    for (let i = 0; i < 60; i++, clock.advance(30)) {
      const before = mails().length;
      await tick(db, config, clients, clock);
      if (mails().length > before) mailedAt.push(clock.at.toISOString());
    }
    assert.deepEqual(mailedAt.length, 1);
    assert.ok(mailedAt[0] >= '2025-09-30T12:00:00.000Z', `not before a day had passed (${mailedAt[0]})`);
    const eml = fs.readFileSync(`${config.mail.outboxDir}/${mails()[0]}`, 'utf8');
    assert.match(eml, /^To: ops@lab\.example/m);
    assert.match(eml, /^Subject: Paperboy: arXiv hep-ex is failing/m);
    assert.match(eml, /has never been fetched/);
    assert.match(eml, /https:\/\/papers\.lab\.example\/admin\/sources/);
    const [status] = (await sourcesOverview(db, config, clock.at)).sources;
    assert.equal(status.health, 'failing');
    assert.match(status.warning ?? '', /^failing \(never succeeded\): OAI-PMH: GET .* failed after 3 attempts: HTTP 500.*; the API: GET .* HTTP 500/);

    down = false;
    clock.advance(240);
    const [ok] = await tick(db, config, clients, clock);
    assert.equal(ok.status, 'success');
    down = true;
    for (let i = 0; i < 60; i++, clock.advance(30)) await tick(db, config, clients, clock);
    assert.equal(mails().length, 2, 'a new failing day, a new mail');
  });
});
