import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { keywordIndexFor } from '../search/keyword-index.ts';
import type { PaperRecord } from './paper.ts';
import { countAll, findPaperId, getPapers } from './papers.repo.ts';
import { filteredPaperIds } from '../filter/paper-filter.repo.ts';
import { addRecords } from './papers.service.ts';

const atom: PaperRecord = {
  source: 'arxiv-atom',
  arxivId: '2401.01234v1',
  title: 'Sparse  Mixtures of\n  Experts',
  abstract: 'We study experts.\n  Code is available at https://github.com/acme/moe.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  categories: ['cs.LG', 'cs.AI'],
  publishedAt: '2024-01-02T18:00:00Z',
  updatedAt: '2024-01-02T18:00:00Z',
  announcedOn: '2024-01-03',
};

async function paperByArxiv(db: Db, arxivId: string) {
  const id = await findPaperId(db.kysely, { arxivId });
  assert.ok(id, `paper ${arxivId} exists`);
  return (await getPapers(db.kysely, [id]))[0];
}

describeEachDatabase('paper store', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
  });
  after(async () => db?.close());

  test('a record becomes a paper with authors in order, categories, links found in the abstract', async () => {
    const counts = await addRecords(db, [atom]);
    assert.deepEqual(counts, { added: 1, updated: 0, unchanged: 0 });
    const p = await paperByArxiv(db, '2401.01234');
    assert.equal(p.title, 'Sparse Mixtures of Experts');
    assert.equal(p.version, 1);
    assert.deepEqual(p.authors.map((a) => a.name), ['Ada Lovelace', 'Alan Turing']);
    assert.deepEqual(p.categories, ['cs.LG', 'cs.AI']);
    assert.equal(p.primaryCategory, 'cs.LG');
    assert.equal(p.links.code, 'https://github.com/acme/moe');
    assert.equal(p.links.abs, 'https://arxiv.org/abs/2401.01234');
    assert.equal(p.provenance.title.source, 'arxiv-atom');
  });

  test('re-adding the same record changes nothing', async () => {
    assert.deepEqual(await addRecords(db, [atom]), { added: 0, updated: 0, unchanged: 1 });
  });

  test('a new version of the same arXiv id updates the one paper', async () => {
    const v2 = { ...atom, arxivId: '2401.01234v2', title: 'Sparse Mixtures of Experts, Revisited', updatedAt: '2024-02-01T00:00:00Z' };
    assert.deepEqual(await addRecords(db, [v2]), { added: 0, updated: 1, unchanged: 0 });
    const p = await paperByArxiv(db, '2401.01234');
    assert.equal(p.version, 2);
    assert.equal(p.title, 'Sparse Mixtures of Experts, Revisited');
    assert.equal(p.announcedOn, '2024-01-03', 'first listing day is kept');
    // An older version arriving late does not roll the paper back.
    assert.deepEqual(await addRecords(db, [{ ...atom, source: 'arxiv-oai' }]), { added: 0, updated: 0, unchanged: 1 });
    assert.equal((await paperByArxiv(db, '2401.01234')).version, 2);
  });

  test('the same paper from another source merges, keeps provenance, and does not double count upvotes', async () => {
    const hf: PaperRecord = {
      source: 'hf-daily', arxivId: '2401.01234', title: 'Sparse Mixtures of Experts, Revisited', upvotes: 7,
      organization: { name: 'Acme Research', slug: 'acme' }, publishedAt: '2024-01-02T18:00:00Z',
    };
    await addRecords(db, [hf]);
    const page: PaperRecord = { source: 'hf-page', title: 'Sparse mixtures of experts, revisited', upvotes: 5 };
    await addRecords(db, [page]);
    assert.equal((await countAll(db.kysely)).papers, 1);
    const p = await paperByArxiv(db, '2401.01234');
    assert.equal(p.upvotes, 7, 'max over sources, not 7 + 5');
    assert.equal(p.organization?.slug, 'acme');
    assert.equal(p.provenance.organization.source, 'hf-daily');
    assert.equal(p.provenance.title.source, 'arxiv-atom', 'the newer arXiv title stays');
  });

  test('papers without arXiv id dedupe on DOI, then on normalized title', async () => {
    await addRecords(db, [
      { source: 'jsonl', title: 'A Paper With a DOI', doi: 'https://doi.org/10.1000/XYZ.1' },
      { source: 'jsonl', title: 'A paper with a DOI (journal version)', doi: '10.1000/xyz.1', abstract: 'Now with abstract.' },
      { source: 'hf-page', title: 'Título con acentos: ¡Sí!' },
      { source: 'jsonl', title: 'TITULO CON ACENTOS — SI', abstract: 'Same paper.' },
    ]);
    const s = await countAll(db.kysely);
    assert.equal(s.papers, 3);
  });

  test('two different arXiv ids with the same title stay two papers', async () => {
    await addRecords(db, [
      { source: 'jsonl', arxivId: '2301.00001', title: 'Attention Is All You Need' },
      { source: 'jsonl', arxivId: '2301.00002', title: 'Attention is all you need' },
    ]);
    assert.ok(await findPaperId(db.kysely, { arxivId: '2301.00001' }));
    assert.ok(await findPaperId(db.kysely, { arxivId: '2301.00002' }));
  });

  test('records for one paper inside one batch merge before writing', async () => {
    const counts = await addRecords(db, [
      { source: 'arxiv-jsonl', arxivId: '2402.00001v1', title: 'Batch Twins', authors: ['X Y'] },
      { source: 'hf-daily', arxivId: '2402.00001', title: 'Batch Twins', upvotes: 3 },
    ]);
    assert.equal(counts.added, 1);
    assert.equal(counts.updated, 1);
    const p = await paperByArxiv(db, '2402.00001');
    assert.equal(p.upvotes, 3);
    assert.deepEqual(p.authors.map((a) => a.name), ['X Y']);
  });

  test('keyword index follows writes and finds papers by title, abstract and author', async () => {
    const kw = keywordIndexFor(db.dialect);
    const id = await findPaperId(db.kysely, { arxivId: '2401.01234' });
    assert.equal((await kw.search(db.kysely, 'mixtures experts', 5)).hits[0]?.id, id);
    assert.equal((await kw.search(db.kysely, 'Lovelace', 5)).hits[0]?.id, id);
    assert.deepEqual((await kw.search(db.kysely, 'Revisited', 5)).hits.map((x) => x.id), [id]);
    assert.deepEqual((await kw.search(db.kysely, '"); DROP TABLE papers; --', 5)).hits, []);
  });

  test('newest papers come first by listing day', async () => {
    await addRecords(db, [{ source: 'jsonl', arxivId: '2605.00001', title: 'Newest', announcedOn: '2026-05-01' }]);
    const [first] = await getPapers(db.kysely, await filteredPaperIds(db, {}, 'newest', 1));
    assert.equal(first.title, 'Newest');
  });
});
