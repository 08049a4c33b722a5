import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { countAll, findPaperId, getPapers } from '../papers/papers.repo.ts';
import { detectFormat, importFile } from './import.service.ts';
import { parseMapping } from './jsonl.ts';
import { FormatError } from './types.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
const fixture = (p: string) => path.join(FIXTURES, p);

/** Every real sample file we ship, with the format it must be detected as. */
const SAMPLES: [string, string][] = [
  ['jsonl/arxiv_cs_daily_sample.jsonl.gz', 'jsonl'],
  ['arxiv_api_atom/2025-11_search_all-electron_AND_all-proton.xml', 'arxiv-atom'],
  ['arxiv_api_atom/2019-08_search_all-science_legacy_format.xml', 'arxiv-atom'],
  ['arxiv_api_atom/2025-11_idlist_2206.06921.xml', 'arxiv-atom'],
  ['arxiv_oai_pmh/2024-01_ListRecords_oai_dc_set-cs_with_resumptionToken.xml', 'oai-pmh'],
  ['arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-th.xml', 'oai-pmh'],
  ['arxiv_oai_pmh/2018-01_GetRecord_arXiv_1401.2122.xml', 'oai-pmh'],
  ['hf_daily_papers/2024-10-25_daily_papers_3items.json', 'hf-daily'],
  ['hf_pages/000_search_sample.txt', 'hf-page'],
  ['hf_pages/003_daily_sample.txt', 'hf-page'],
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-import-'));
const write = (name: string, data: string | Buffer) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, data);
  return file;
};

/** Cuts a file at 60% of its length: the classic interrupted download. */
function truncatedCopy(rel: string): string {
  const data = fs.readFileSync(fixture(rel));
  const name = `truncated-${path.basename(rel)}`;
  return write(name, data.subarray(0, Math.floor(data.length * 0.6)));
}

test('formats are detected from name and content', () => {
  for (const [rel, format] of SAMPLES) assert.equal(detectFormat(fixture(rel)), format, rel);
});

describeEachDatabase('importing files', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
  });
  after(async () => db?.close());

  test('every fixture imports, and importing it again changes nothing', async () => {
    for (const [rel] of SAMPLES) {
      const first = await importFile(db, fixture(rel));
      assert.ok(first.added + first.updated > 0, `${rel} added something`);
      const before = await countAll(db.kysely);
      const again = await importFile(db, fixture(rel));
      assert.equal(again.added, 0, `${rel}: re-import adds nothing`);
      assert.equal(again.updated, 0, `${rel}: re-import updates nothing`);
      assert.deepEqual(await countAll(db.kysely), before);
    }
  });

  test('the same paper from the Atom API and OAI-PMH is one paper', async () => {
    const id = await findPaperId(db.kysely, { arxivId: '1401.2122' });
    assert.ok(id);
    const [p] = await getPapers(db.kysely, [id]);
    assert.ok(p.title.length > 10);
  });

  test('a corrupted copy of each fixture is refused whole and leaves the store as it was', async () => {
    const before = await countAll(db.kysely);
    for (const [rel] of SAMPLES) {
      if (rel.startsWith('hf_pages/')) continue; // plain text has no structure to truncate; see the skip test below
      const file = truncatedCopy(rel);
      await assert.rejects(importFile(db, file), (err: unknown) => err instanceof FormatError && err.message.includes(path.basename(file)), rel);
    }
    assert.deepEqual(await countAll(db.kysely), before);
  });

  test('a wrong-format file gives one clear error', async () => {
    const xml = write('not-jsonl.jsonl', '<html><body>404 Not Found</body></html>\n<p>\n<p>\n');
    await assert.rejects(importFile(db, xml), /not JSON Lines/);
    // (An RSS feed is a format of its own now, `feed`.)
    const json = write('garbage.xml', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>');
    await assert.rejects(importFile(db, json), /neither an arXiv Atom feed, an OAI-PMH response nor an RSS feed/);
    await assert.rejects(importFile(db, path.join(tmp, 'missing.jsonl')), /no such file/);
  });

  test('malformed records are skipped with their line and reason while the rest imports', async () => {
    const lines = [
      JSON.stringify({ title: 'Good One', arxivId: '2501.00001', abstract: 'fine' }),
      '{"title": "broken json",',
      JSON.stringify({ abstract: 'no title here' }),
      JSON.stringify({ title: 'Bad authors', authors: 'Ada' }),
      JSON.stringify({ title: 'Good Two', doi: '10.5555/two' }),
    ];
    const report = await importFile(db, write('mixed.jsonl', `${lines.join('\n')}\n`));
    assert.equal(report.added, 2);
    assert.deepEqual(
      report.skipped.map((s) => [path.basename(s.location), s.reason.split(':')[0]]),
      [['mixed.jsonl:2', 'invalid JSON'], ['mixed.jsonl:3', 'title'], ['mixed.jsonl:4', 'authors']],
    );
  });

  test('a truncated last line or gzip stream rolls the whole file back', async () => {
    const before = await countAll(db.kysely);
    const good = JSON.stringify({ title: 'Would Be Imported', arxivId: '2502.00001' });
    await assert.rejects(importFile(db, write('cut.jsonl', `${good}\n{"title": "cut off`)), /truncated: line 2/);
    const gz = gzipSync(Buffer.from(`${good}\n${good.replace('2502.00001', '2502.00002')}\n`));
    await assert.rejects(importFile(db, write('cut.jsonl.gz', gz.subarray(0, gz.length - 8))), /truncated gzip/);
    assert.deepEqual(await countAll(db.kysely), before);
  });

  test('any JSONL imports through a field mapping', async () => {
    const rows = [{ paper: { ref: '2503.09999', name: 'Mapped Paper' }, text: 'An abstract.', people: [{ name: 'Grace Hopper' }], when: '2025-03-20T10:00:00Z', tags: 'cs.SE cs.PL' }];
    const file = write('custom.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'));
    const mapping = parseMapping('id=paper.ref,title=paper.name,abstract=text,authors=people,date=when,categories=tags');
    const report = await importFile(db, file, { mapping });
    assert.equal(report.added, 1);
    const [p] = await getPapers(db.kysely, [(await findPaperId(db.kysely, { arxivId: '2503.09999' }))!]);
    assert.deepEqual([p.title, p.announcedOn, p.authors[0].name, p.primaryCategory], ['Mapped Paper', '2025-03-20', 'Grace Hopper', 'cs.SE']);
    assert.throws(() => parseMapping('name=title'), /FIELD=PATH/);
  });
});
