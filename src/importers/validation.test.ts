/**
 * Bad input gets a clear error and harms nothing: every case a user or an attacker was seen sending,
 * through the real parsers and into a real store (both databases). Each bad record is skipped with its
 * location and reason while the rest of its file imports.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeEachDatabase } from '../../test/databases.ts';
import type { Db } from '../db/database.ts';
import { countAll } from '../papers/papers.repo.ts';
import { parseArxivAtom } from './arxiv-atom.ts';
import { parseHfDaily } from './hf-daily.ts';
import { importFile, type ImportReport } from './import.service.ts';
import { readJsonl } from './jsonl.ts';
import { parseOaiPmh } from './oai-pmh.ts';
import { FormatError, type ParseEvent } from './types.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-validation-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, data: string | Buffer) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, data);
  return file;
};
const jsonl = (rows: unknown[]) => `${rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`;
const skips = (events: ParseEvent[]) => events.flatMap((e) => (e.kind === 'skip' ? [[e.location, e.reason]] : []));
const kept = (events: ParseEvent[]) => events.flatMap((e) => (e.kind === 'record' ? [e.record.title] : []));

async function readAll(file: string): Promise<ParseEvent[]> {
  const events: ParseEvent[] = [];
  for await (const e of readJsonl(file)) events.push(e);
  return events;
}

/** Listing days seen in the wild that once imported and then broke every list page (or became "the newest day"). */
const BAD_DAYS = ['<script>', '2026-13-45', '2026-11-30T25:99:00Z', '20260101', '9999-12-31'];

describe('dates must be real calendar days in a sane range', () => {
  test('our JSONL schema: each bad listing day is skipped with its line; the good record imports', async () => {
    const rows = [{ title: 'Good day', announcedOn: '2025-03-20' }, ...BAD_DAYS.map((d, i) => ({ title: `Bad day ${i}`, announcedOn: d }))];
    const events = await readAll(write('days.jsonl', jsonl(rows)));
    assert.deepEqual(kept(events), ['Good day']);
    const found = skips(events);
    assert.deepEqual(found.map(([where]) => path.basename(where)), ['days.jsonl:2', 'days.jsonl:3', 'days.jsonl:4', 'days.jsonl:5', 'days.jsonl:6']);
    for (const [, reason] of found) assert.match(reason, /^announcedOn: /);
  });

  test('the arXiv corpus schema and a --map mapping refuse the same days (a timestamp is not cut to its first 10 characters)', async () => {
    const corpus = BAD_DAYS.map((d, i) => ({ id: `2503.0000${i}`, title: `Corpus ${i}`, summary: 's', authors: [], categories: ['cs.LG'], first_seen: d }));
    const events = await readAll(write('corpus.jsonl', jsonl([{ ...corpus[0], first_seen: '2025-03-18', title: 'Fine' }, ...corpus])));
    assert.deepEqual(kept(events), ['Fine']);
    assert.equal(skips(events).length, BAD_DAYS.length);
    for (const [, reason] of skips(events)) assert.match(reason, /first_seen|announcedOn/);
  });

  test('publishedAt and updatedAt must be valid timestamps, not in the far future', async () => {
    const rows = [
      { title: 'Fine', publishedAt: '2025-03-20T10:00:00Z', updatedAt: '2025-03-21' },
      { title: 'Hour 25', publishedAt: '2026-11-30T25:99:00Z' },
      { title: 'Year 9999', updatedAt: '9999-12-31T00:00:00Z' },
      { title: 'Words', publishedAt: 'yesterday' },
    ];
    const events = await readAll(write('stamps.jsonl', jsonl(rows)));
    assert.deepEqual(kept(events), ['Fine']);
    assert.deepEqual(skips(events).map(([, r]) => r.split(':')[0]), ['publishedAt', 'updatedAt', 'publishedAt']);
  });

  test('an OAI-PMH record whose datestamp is not a date is skipped with its record number and line', () => {
    const xml = fs.readFileSync(path.join(FIXTURES, 'arxiv_oai_pmh/2018-01_GetRecord_arXiv_1401.2122.xml'), 'utf8')
      .replace('<datestamp>2018-01-25</datestamp>', '<datestamp>not-a-date</datestamp>');
    const page = parseOaiPmh(xml, 'oai.xml');
    assert.equal(kept(page.events).length, 0);
    const [[where, reason]] = skips(page.events);
    assert.match(where, /^oai\.xml:record 1 \(line \d+\)$/);
    assert.match(reason, /announcedOn: "not-a-date"/);
  });

  test('an Atom entry published on 2026-13-45 is skipped with its entry number', () => {
    const xml = fs.readFileSync(path.join(FIXTURES, 'arxiv_api_atom/2025-11_idlist_2206.06921.xml'), 'utf8')
      .replace(/<published>[^<]*<\/published>/, '<published>2026-13-45</published>');
    const page = parseArxivAtom(xml, 'atom.xml');
    assert.deepEqual(kept(page.events), []);
    assert.match(skips(page.events)[0][0], /^atom\.xml:entry 1 \(line \d+\)$/);
    assert.match(skips(page.events)[0][1], /publishedAt: "2026-13-45"/);
  });

  test('a Hugging Face item listed on +275760-09-13 is skipped by its index', () => {
    const items = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'hf_daily_papers/2024-10-25_daily_papers_3items.json'), 'utf8'));
    items[1].paper.submittedOnDailyAt = '+275760-09-13';
    items[2].publishedAt = '+275760-09-13';
    items[2].paper.publishedAt = '+275760-09-13';
    const events = parseHfDaily(JSON.stringify(items), 'hf.json');
    assert.equal(kept(events).length, 1);
    assert.deepEqual(skips(events).map(([w]) => w), ['hf.json:#1', 'hf.json:#2']);
    for (const [, reason] of skips(events)) assert.match(reason, /\+275760-09-13/);
  });
});

describe('our JSONL schema: wrong types skip one record with its line, never the file', () => {
  test('wrong types, out-of-range upvotes and bad identifiers', async () => {
    const rows = [
      { title: 'First good' },
      { title: 'Numeric abstract', abstract: 123 },
      { title: 'Object comment', comment: {} },
      { title: 'String organization', organization: 'x' },
      { title: 'Numeric arXiv id', arxivId: 123 },
      { title: 'Numeric link', links: { abs: 5 } },
      { title: 'Huge upvotes', upvotes: 1e308 },
      { title: 'Half an upvote', upvotes: 0.5 },
      { title: 'Negative upvotes', upvotes: -3 },
      { title: 'Not an arXiv id', arxivId: '2401.0123456789' },
      { title: 'Unknown source', source: 'mallory' },
      { title: 42 },
      { title: 'Last good', upvotes: 7 },
    ];
    const events = await readAll(write('types.jsonl', jsonl(rows)));
    assert.deepEqual(kept(events), ['First good', 'Last good']);
    const found = skips(events);
    assert.deepEqual(found.map(([w]) => Number(w.split(':').at(-1))), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(found.map(([, r]) => r.split(':')[0]), [
      'abstract', 'comment', 'organization', 'arxivId', 'links.abs', 'upvotes', 'upvotes', 'upvotes', 'arxivId', 'source', 'title',
    ]);
  });

  test('a line nested 200,000 levels deep is skipped (or its unknown field dropped), without overflowing the stack', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const file = write('deep.jsonl', jsonl([`{"title":"Deep abstract","abstract":${deep}}`, `{"title":"Deep extra","extra":${deep}}`, { title: 'After' }]));
    const events = await readAll(file);
    assert.deepEqual(kept(events), ['Deep extra', 'After']);
    assert.match(skips(events)[0][0], /deep\.jsonl:1$/);
  });

  test('a UTF-8 byte-order mark does not spoil the first record', async () => {
    const events = await readAll(write('bom.jsonl', `\uFEFF${jsonl([{ title: 'First' }, { title: 'Second' }])}`));
    assert.deepEqual(kept(events), ['First', 'Second']);
  });

  test('Latin-1 bytes are refused with their line, not turned into U+FFFD', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"title":"Fine"}\n{"title":"Caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"title":"Also fine"}\n')]);
    const events = await readAll(write('latin1.jsonl', latin1));
    assert.deepEqual(kept(events), ['Fine', 'Also fine']);
    const [[where, reason]] = skips(events);
    assert.match(where, /latin1\.jsonl:2$/);
    assert.match(reason, /not valid UTF-8.*0xE9/i);
  });
});

describe('text and links that reach pages, mail and terminals', () => {
  test('control characters are stripped from titles, abstracts, names and comments', async () => {
    const row = {
      title: 'Bell\u0007 and \u001b[31mred\u001b[0m',
      abstract: 'Null\u0000 byte and \u202eoverride',
      authors: ['Ada\u0008 Lovelace'],
      comment: 'tab\tand\u0085next',
    };
    const [event] = await readAll(write('ctrl.jsonl', jsonl([row])));
    assert.equal(event.kind, 'record');
    const r = event.kind === 'record' ? event.record : undefined;
    const all = JSON.stringify([r?.title, r?.abstract, r?.authors, r?.comment]);
    assert.doesNotMatch(all, /\\u00(0[0-8bcef]|1[0-9a-f]|7f|8[0-9a-f]|9[0-9a-f])|\\u202e/i);
    assert.equal(r?.title, 'Bell and [31mred[0m');
    assert.deepEqual(r?.authors, ['Ada Lovelace']);
  });

  test('only http(s) links are kept; javascript: and data: links are dropped with a note', async () => {
    const row = { title: 'Links', links: { abs: 'https://arxiv.org/abs/2401.00001', code: 'javascript:alert(1)', project: 'data:text/html,<script>alert(1)</script>' } };
    const [event] = await readAll(write('links.jsonl', jsonl([row])));
    assert.equal(event.kind, 'record');
    if (event.kind !== 'record') return;
    assert.deepEqual(event.record.links, { abs: 'https://arxiv.org/abs/2401.00001' });
    assert.equal(event.notes?.length, 2);
    for (const note of event.notes ?? []) assert.match(note, /^links\.(code|project): not an http\(s\) URL, dropped/);
  });

  test('strings have limits: title, author count and names, categories, DOI', async () => {
    const rows = [
      { title: 'x'.repeat(5000) },
      { title: 'Too many authors', authors: Array.from({ length: 20_000 }, (_, i) => `Author ${i}`) },
      { title: 'Long name', authors: ['n'.repeat(5000)] },
      { title: 'Categories', categories: ['cs.LG', '<script>', 'hep-th', 'q-bio.NC', 'cs.CV, cs.MM', '68T07'] },
      { title: 'Bad DOI', doi: 'not a doi' },
    ];
    const events = await readAll(write('limits.jsonl', jsonl(rows)));
    assert.deepEqual(skips(events).map(([w, r]) => [Number(w.split(':').at(-1)), r.split(':')[0]]), [[1, 'title'], [2, 'authors'], [3, 'authors.0']]);
    const records = events.flatMap((e) => (e.kind === 'record' ? [e] : []));
    assert.deepEqual(records[0].record.categories, ['cs.LG', 'hep-th', 'q-bio.NC', 'cs.CV', 'cs.MM']);
    assert.ok(records[0].notes?.some((n) => /<script>/.test(n)));
    assert.equal(records[1].record.doi, undefined);
    assert.match(records[1].notes?.[0] ?? '', /^doi: /);
  });
});

describe('reading is linear, and a record over the size limit is skipped', () => {
  test('a 20 MB line is skipped with a clear reason and the lines around it import', async () => {
    const huge = JSON.stringify({ title: 'Huge', abstract: 'a'.repeat(20 * 2 ** 20) });
    const events = await readAll(write('huge.jsonl', `${JSON.stringify({ title: 'Before' })}\n${huge}\n${JSON.stringify({ title: 'After' })}\n`));
    assert.deepEqual(kept(events), ['Before', 'After']);
    const [[where, reason]] = skips(events);
    assert.match(where, /huge\.jsonl:2$/);
    assert.match(reason, /longer than the 1 MiB limit/);
  });
});

describe('XML errors name the file and the line where it really ends', () => {
  test('a truncated OAI-PMH file is reported at its last line, with the element left open', () => {
    const xml = fs.readFileSync(path.join(FIXTURES, 'arxiv_oai_pmh/2017-12_ListRecords_arXiv_set-physics-hep-th.xml'), 'utf8');
    const cut = xml.slice(0, Math.floor(xml.length * 0.6));
    const lastLine = cut.split('\n').length;
    assert.throws(() => parseOaiPmh(cut, 'cut.xml'), (err: unknown) => {
      assert.ok(err instanceof FormatError);
      assert.match(err.message, new RegExp(`^cut\\.xml: truncated XML: the file ends at line ${lastLine} inside <\\w+>`));
      return true;
    });
  });

  test('parser errors past validation (nesting, external entities) name the file too', () => {
    const deep = `<OAI-PMH>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</OAI-PMH>`;
    assert.throws(() => parseOaiPmh(deep, 'deep.xml'), (err: unknown) => err instanceof FormatError && /^deep\.xml: /.test(err.message));
    const external = '<!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><OAI-PMH>&a;</OAI-PMH>';
    assert.throws(() => parseOaiPmh(external, 'ext.xml'), (err: unknown) => err instanceof FormatError && /^ext\.xml: /.test(err.message));
  });
});

describeEachDatabase('whole documents in other encodings', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
  });
  after(async () => db?.close());

  test('an XML file that declares ISO-8859-1 is read in it; an undeclared Latin-1 document is refused at its line', async () => {
    const xml = fs.readFileSync(path.join(FIXTURES, 'arxiv_api_atom/2025-11_idlist_2206.06921.xml'), 'utf8')
      .replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="ISO-8859-1"?>')
      .replace('Attainable forms of Assouad spectra', 'Attainable forms of Assouad spectra, caf\u00e9');
    const report = await importFile(db, write('latin1-atom.xml', Buffer.from(xml, 'latin1')));
    assert.equal(report.added, 1);
    const [row] = await db.kysely.selectFrom('papers').select('title').where('arxiv_id', '=', '2206.06921').execute();
    assert.equal(row.title, 'Attainable forms of Assouad spectra, caf\u00e9');
    const json = Buffer.concat([Buffer.from('[\n{"paper": {"id": "2410.00001", "title": "Caf'), Buffer.from([0xe9]), Buffer.from('"}}\n]\n')]);
    await assert.rejects(importFile(db, write('latin1.json', json)), (err: unknown) => err instanceof FormatError && /latin1\.json: not valid UTF-8 at line 2 \(byte 0xE9\)/.test(err.message));
    await assert.rejects(importFile(db, tmp), (err: unknown) => err instanceof FormatError && err.message.includes(tmp) && /directory/.test(err.message));
  });
});

describeEachDatabase('bad records never reach the store', (open) => {
  let db: Db;
  let report: ImportReport;
  before(async () => {
    db = await open();
    const rows = [
      { title: 'Kept one', arxivId: '2501.00001', announcedOn: '2025-01-02', links: { code: 'javascript:alert(1)' } },
      ...BAD_DAYS.map((d, i) => ({ title: `Bad ${i}`, announcedOn: d })),
      { title: 'Wrong type', abstract: 123 },
      { title: 'Nul\u0000 byte in a title', abstract: 'PostgreSQL refuses NUL in text; it must never get there.' },
      { title: 'Huge upvotes', upvotes: 1e308 },
      { title: 'Kept three', upvotes: 3 },
    ];
    report = await importFile(db, write('mixed-bad.jsonl', jsonl(rows)));
  });
  after(async () => db?.close());

  test('the good records import, each bad one is skipped with file:line, and nothing bad is stored', async () => {
    assert.equal(report.added, 3);
    assert.deepEqual(report.skipped.map((s) => path.basename(s.location)), ['mixed-bad.jsonl:2', 'mixed-bad.jsonl:3', 'mixed-bad.jsonl:4', 'mixed-bad.jsonl:5', 'mixed-bad.jsonl:6', 'mixed-bad.jsonl:7', 'mixed-bad.jsonl:9']);
    assert.equal(report.notes.length, 1);
    assert.match(report.notes[0].location, /mixed-bad\.jsonl:1$/);
    const rows = await db.kysely.selectFrom('papers').select(['title', 'announced_on', 'code_url', 'upvotes']).orderBy('id').execute();
    assert.deepEqual(rows, [
      { title: 'Kept one', announced_on: '2025-01-02', code_url: null, upvotes: 0 },
      { title: 'Nul byte in a title', announced_on: null, code_url: null, upvotes: 0 },
      { title: 'Kept three', announced_on: null, code_url: null, upvotes: 3 },
    ]);
    assert.equal((await countAll(db.kysely)).papers, 3);
  });
});
