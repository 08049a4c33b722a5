/**
 * Versions followed: a new arXiv version, harvested on schedule, replaces the paper's text (title, abstract,
 * comment) in the same row, keeps its history (first version's date and listing day, latest version and its
 * date), is re-embedded, and its page says "Updated to v2 on …"; a withdrawal marks it. The paper's id never
 * changes — neither when it is updated nor when another source's record of it is merged in — so anything a
 * reader attaches to the id stays attached.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { ownedBy } from '../accounts/user.ts';
import { addPaper, createCollection } from '../collections/collections.service.ts';
import { postComment } from '../comments/comments.service.ts';
import { setVote } from '../community/votes.service.ts';
import type { Db } from '../db/database.ts';
import { createHashingEmbedder } from '../embed/hashing-embedder.ts';
import { runEmbeddingJob } from '../embed/embed.service.ts';
import { newPapers, startOaiReplay, type OaiReplay } from '../fetch/oai-replay.ts';
import { createApp } from '../http/app.ts';
import { addRecords } from '../papers/papers.service.ts';
import { addSource } from './sources.service.ts';
import { Clock, quickClients, replayConfig, tick } from './testing.ts';

describeEachDatabase('a new arXiv version', (open) => {
  let db: Db;
  let replay: OaiReplay;
  before(async () => {
    db = await open();
    replay = await startOaiReplay({ records: newPapers(['2025-09-15', '2025-09-16'], 2) });
  });
  after(async () => {
    await replay?.close();
    await db?.close();
  });

  const row = (arxivId: string) =>
    db.kysely.selectFrom('papers').select(['id', 'title', 'abstract', 'comment', 'version', 'published_at', 'updated_at', 'announced_on', 'text_revision', 'withdrawn']).where('arxiv_id', '=', arxivId).executeTakeFirstOrThrow();
  const vectorRevision = async (paperId: number) =>
    (await db.kysely.selectFrom('paper_vectors').select('text_revision').where('paper_id', '=', paperId).executeTakeFirstOrThrow()).text_revision;

  test('replaces the text in the same row, keeps the history, is re-embedded, and the page says so; a withdrawal marks it', async () => {
    const clock = new Clock(new Date('2025-09-16T12:00:00Z'));
    const config = replayConfig(replay);
    const clients = quickClients(config);
    await addSource(db, { kind: 'arxiv', target: 'hep-ex', backfillFrom: '2025-09-15' }, 'admin', clock.at);
    await tick(db, config, clients, clock);
    const target = replay.records[0];
    const v1 = await row(target.id);
    assert.deepEqual([v1.version, v1.announced_on, v1.withdrawn], [1, '2025-09-15', 0]);
    const embedder = createHashingEmbedder(16);
    assert.equal((await runEmbeddingJob(db, embedder)).embedded, 4);
    assert.equal(await vectorRevision(v1.id), v1.text_revision);
    // A reader's vote, collection entry and comment on version 1: none may be lost by what follows.
    const reader = await addTestUser(db, 'reader@lab.example');
    assert.equal((await setVote(db, reader, v1.id, true, clock.at)).status, 'ok');
    const shelf = await createCollection(db, reader, { name: 'Photodetectors' }, undefined, clock.at);
    assert.notEqual(shelf, 'too-many');
    assert.equal(await addPaper(db, ownedBy(reader, shelf as Exclude<typeof shelf, 'too-many'>)!, v1.id, 'compare with v2', undefined, clock.at), 'added');
    assert.equal(typeof (await postComment(db, reader, { paperId: v1.id, body: 'Which bias voltage?' }, clock.at)), 'object');
    const readerData = async (paperId: number) => ({
      votes: (await db.kysely.selectFrom('paper_votes').select('user_id').where('paper_id', '=', paperId).execute()).map((r) => r.user_id),
      local: (await db.kysely.selectFrom('papers').select('local_votes').where('id', '=', paperId).executeTakeFirstOrThrow()).local_votes,
      shelved: (await db.kysely.selectFrom('collection_papers').select('note').where('paper_id', '=', paperId).execute()).map((r) => r.note),
      comments: (await db.kysely.selectFrom('comments').select('body').where('paper_id', '=', paperId).execute()).map((r) => r.body),
    });
    const kept = { votes: [reader.id], local: 1, shelved: ['compare with v2'], comments: ['Which bias voltage?'] };
    assert.deepEqual(await readerData(v1.id), kept);

    // Announced on Wednesday 17 September: version 2 with a new title, abstract and comment. Its datestamp is
    // the revision's day; the paper stays listed on its first version's day.
    Object.assign(target, {
      datestamp: '2025-09-17',
      versions: [...target.versions, { submitted: '2025-09-16T13:30:00Z' }],
      title: 'Evaluation of Silicon Photomultipliers in Liquid Xenon, revised',
      abstract: 'We report revised measurements of SensL SiPMs in liquid xenon.',
      comments: '12 pages, 10 figures; v2: new dark-count data',
    });
    replay.records.push(...newPapers(['2025-09-17'], 1));
    clock.at = new Date('2025-09-17T06:00:00Z');
    const [run] = await tick(db, config, clients, clock);
    assert.deepEqual([run.status, run.added, run.updated], ['success', 1, 1]);
    const v2 = await row(target.id);
    assert.equal(v2.id, v1.id, 'the same paper row: its id is stable');
    assert.deepEqual([v2.title, v2.abstract, v2.comment], [target.title, target.abstract, target.comments]);
    assert.deepEqual([v2.version, v2.published_at, v2.updated_at, v2.announced_on], [2, v1.published_at, '2025-09-16T13:30:00Z', '2025-09-15']);
    assert.equal(v2.text_revision, v1.text_revision + 1);
    const again = await runEmbeddingJob(db, embedder);
    assert.equal(again.embedded, 2, 'the revised paper and the new one');
    assert.equal(await vectorRevision(v2.id), v2.text_revision, 'its vector follows the new text');

    const app = createApp({ db, config, cacheTtlMs: 0, now: clock.now });
    const text = async (url: string) => (await (await app.request(url)).text()).replace(/<[^>]+>/g, '');
    const page = await text(`/papers/${target.id}`);
    assert.match(page, /Updated to v2 on Sep 16, 2025/);
    assert.match(page, /Listed Sep 15, 2025/);

    // A withdrawal is version 3: no source (0kb), and the reason in the comment.
    Object.assign(target, {
      datestamp: '2025-09-18',
      versions: [...target.versions, { submitted: '2025-09-17T14:10:00Z', size: '0kb' }],
      comments: 'This paper has been withdrawn by the authors due to a calibration error',
    });
    clock.at = new Date('2025-09-18T06:00:00Z');
    await tick(db, config, clients, clock);
    const v3 = await row(target.id);
    assert.deepEqual([v3.id, v3.version, v3.withdrawn], [v1.id, 3, 1]);
    assert.match(await text(`/papers/${target.id}`), /Withdrawn in v3 on Sep 17, 2025/);
    const json = (await (await app.request(`/api/papers/${target.id}`)).json()) as { withdrawn: boolean; version: number };
    assert.deepEqual([json.withdrawn, json.version], [true, 3]);

    // Another source's record of the same paper is merged into that row, not a new one.
    await addRecords(db, [{ source: 'hf-daily', arxivId: target.id, title: target.title!, upvotes: 12, announcedOn: '2025-09-16' }]);
    const merged = await row(target.id);
    assert.deepEqual([merged.id, merged.announced_on], [v1.id, '2025-09-15']);
    const count = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).where('arxiv_id', '=', target.id).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    assert.deepEqual(await readerData(v1.id), kept, 'updated twice and merged: the reader\'s vote, collection entry and comment are all there');
    const votes = (await (await app.request(`/api/papers/${target.id}`)).json()) as { upvotes: number; localVotes?: number };
    assert.equal(votes.upvotes + (votes.localVotes ?? 0), 13, "Hugging Face's 12 upvotes and the reader's vote");
  });
});
