import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { addTestUser } from '../../test/accounts-fixtures.ts';
import { startArxivStandIn, type ArxivStandIn } from '../../test/arxiv-stand-in.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { addFixturePapers } from '../../test/mail-fixtures.ts';
import { ownedBy, type Owned, type User } from '../accounts/user.ts';
import type { Db } from '../db/database.ts';
import { PoliteHttpClient } from '../fetch/http.ts';
import { addRecords } from '../papers/papers.service.ts';
import * as collections from './collections.service.ts';
import { type ImportDeps, importReferences } from './import.service.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/references/${name}`, import.meta.url), 'utf8');

describeEachDatabase('importing BibTeX, RIS and CSL-JSON into a collection', (open) => {
  let db: Db;
  let arxiv: ArxivStandIn;
  let deps: ImportDeps;
  let ada: User;

  before(async () => {
    db = await open();
    arxiv = await startArxivStandIn();
    await addFixturePapers(db);
    // A journal paper without arXiv id, known by its DOI only.
    await addRecords(db, [{ source: 'feed', title: 'Sparse Graphs at Scale', doi: '10.5555/sparse.2026.42', authors: ['Grace Hopper'], abstract: 'Graphs.' }]);
    deps = { db, arxiv: { baseUrl: arxiv.apiUrl, client: new PoliteHttpClient({ minDelayMs: 0, retries: 0 }) } };
    ada = await addTestUser(db, 'ada@example.org');
  });
  after(async () => {
    await arxiv.close();
    await db.close();
  });

  const newCollection = async (name: string): Promise<Owned<collections.CollectionRow>> => {
    const made = await collections.createCollection(db, ada, { name });
    assert.ok(made !== 'too-many');
    return ownedBy(ada, made)!;
  };
  const idOf = async (where: { arxiv?: string; title?: string }) => {
    const q = db.kysely.selectFrom('papers').select('id');
    const row = await (where.arxiv ? q.where('arxiv_id', '=', where.arxiv) : q.where('title', '=', where.title!)).executeTakeFirst();
    return row?.id;
  };

  test('BibTeX: matched by arXiv id, then DOI, then title; an unknown arXiv id is fetched; the rest is listed', async () => {
    const mine = await newCollection('From BibTeX');
    const requests = arxiv.requests.length;
    const result = await importReferences(deps, mine, fixture('reading-group.bib'), 'reading-group.bib');
    assert.equal(result.format, 'bibtex');
    assert.deepEqual(
      result.added.map((a) => [a.entry.n, a.matchedBy]),
      [
        [1, 'arxiv'],
        [2, 'doi'],
        [3, 'title'],
        [4, 'fetched'],
      ],
    );
    assert.deepEqual(result.unmatched.map((u) => [u.entry.n, u.entry.label, u.reason]), [[5, 'A Book Nobody Here Has Read', 'not-found']]);
    assert.equal(arxiv.requests.length - requests, 1, 'one request for the one unknown id');
    assert.equal(arxiv.requests.at(-1)!.url.searchParams.get('id_list'), '2206.06921');
    const fetched = await idOf({ arxiv: '2206.06921' });
    assert.ok(fetched, 'the fetched paper is in the store now');
    const inCollection = (await collections.collectionPapers(db, mine, 1)).entries.map((e) => e.paper.id).sort((a, b) => a - b);
    const expected = [await idOf({ arxiv: '2607.00001' }), await idOf({ title: 'Sparse Graphs at Scale' }), await idOf({ title: 'Diffusion models for protein design 3' }), fetched];
    assert.deepEqual(inCollection, expected.sort((a, b) => a! - b!));
  });

  test('importing the same file again adds nothing and fetches nothing', async () => {
    const mine = await newCollection('Twice');
    await importReferences(deps, mine, fixture('reading-group.bib'), 'a.bib');
    const requests = arxiv.requests.length;
    const again = await importReferences(deps, mine, fixture('reading-group.bib'), 'a.bib');
    assert.equal(again.added.length, 0);
    assert.equal(again.already.length, 4);
    assert.equal(arxiv.requests.length, requests, 'the paper fetched the first time is in the store');
  });

  test('RIS and CSL-JSON: the same rules (a DOI in another spelling, a title wrapped over two lines, an arXiv DOI)', async () => {
    const ris = await importReferences(deps, await newCollection('From RIS'), fixture('reading-group.ris'), 'x.ris');
    assert.deepEqual(ris.added.map((a) => a.matchedBy), ['arxiv', 'doi', 'title']);
    assert.deepEqual(ris.unmatched.map((u) => u.entry.n), [4]);
    const csl = await importReferences(deps, await newCollection('From CSL'), fixture('reading-group.json'), 'x.json');
    assert.deepEqual(csl.added.map((a) => a.matchedBy), ['arxiv', 'doi', 'title', 'arxiv']);
    assert.deepEqual(csl.unmatched.map((u) => [u.entry.label, u.reason]), [['empty', 'no-keys']]);
  });

  test('ids arXiv does not have are listed as such; a paper that appears twice in a file is added once', async () => {
    const bib = ['2201.13455', '2201.13452', '2201.13453', '2201.13454', '2201.13452v1'].map((id, i) => `@misc{k${i}, title={Unknown ${i}}, eprint={${id}}, archivePrefix={arXiv}}`).join('\n');
    const result = await importReferences(deps, await newCollection('Four ids'), bib, 'four.bib');
    assert.deepEqual(result.added.map((a) => [a.entry.n, a.matchedBy]), [[2, 'fetched']]);
    assert.deepEqual(result.already.map((a) => a.entry.n), [5], 'the second mention of one paper');
    assert.deepEqual(result.unmatched.map((u) => [u.entry.n, u.reason]), [
      [1, 'not-on-arxiv'],
      [3, 'not-on-arxiv'],
      [4, 'not-on-arxiv'],
    ]);
  });

  test('arXiv unreachable: its entries are listed as such, the rest is imported', async () => {
    const down: ImportDeps = { db, arxiv: { baseUrl: 'http://127.0.0.1:9/api/query', client: new PoliteHttpClient({ minDelayMs: 0, retries: 0, timeoutMs: 2000 }) } };
    const bib = '@misc{a, eprint={1201.56789}, archivePrefix={arXiv}}\n@misc{b, title={Paper 2 on graph learning}}';
    const result = await importReferences(down, await newCollection('Offline'), bib, 'x.bib');
    assert.deepEqual(result.added.map((a) => a.entry.n), [2]);
    assert.deepEqual(result.unmatched.map((u) => u.reason), ['arxiv-unavailable']);
  });

  test('a collection at its limit takes what fits and lists the rest', async () => {
    const mine = await newCollection('Small');
    const result = await importReferences({ ...deps, limits: { ...collections.COLLECTION_LIMITS, papers: 2 } }, mine, fixture('reading-group.bib'), 'x.bib');
    assert.equal(result.added.length, 2);
    assert.deepEqual(result.overLimit.map((o) => o.entry.n), [3, 4]);
  });
});
