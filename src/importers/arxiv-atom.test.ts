import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { PaperRecord } from '../papers/paper.ts';
import { parseArxivAtom } from './arxiv-atom.ts';
import { FormatError, type ParseEvent } from './types.ts';

const DIR = 'test/fixtures/arxiv_api_atom';
const LEGACY = `${DIR}/2019-08_search_all-science_legacy_format.xml`;
const ONE = `${DIR}/2025-11_idlist_2206.06921.xml`;
const SEARCH = `${DIR}/2025-11_search_all-electron_AND_all-proton.xml`;
const read = (file: string) => readFileSync(file, 'utf8');
const parseFile = (file: string) => parseArxivAtom(read(file), file);

function records(events: ParseEvent[]): PaperRecord[] {
  return events.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
}

describe('parseArxivAtom, 2025 format', () => {
  it('reads every field of a single-paper response', () => {
    const page = parseFile(ONE);
    assert.deepEqual([page.totalResults, page.startIndex, page.itemsPerPage], [1, 0, 10]);
    assert.equal(page.events.length, 1);
    assert.equal(page.events[0].location, `${ONE}:entry 1 (line 10)`);
    const [r] = records(page.events);
    assert.equal(r.source, 'arxiv-atom');
    assert.equal(r.arxivId, '2206.06921');
    assert.equal(r.version, 3);
    assert.equal(r.title, 'Attainable forms of Assouad spectra');
    assert.deepEqual(r.authors, ['Alex Rutar']);
    assert.deepEqual(r.categories, ['math.CA', 'math.DS', 'math.MG']);
    assert.equal(r.primaryCategory, 'math.CA');
    assert.equal(r.publishedAt, '2022-06-14T15:35:46Z');
    assert.equal(r.updatedAt, '2025-01-30T01:23:42Z');
    // Submitted Tuesday 11:35 EDT, before the 14:00 cut-off: announced that evening, listed Wednesday.
    assert.equal(r.announcedOn, '2022-06-15');
    assert.equal(r.doi, '10.1512/iumj.2024.73.9928');
    assert.equal(r.journalRef, 'Indiana Univ. Math. J. 73 (2024), 1331-1356');
    assert.match(r.comment ?? '', /^25 pages, 5 figures\. v3:/);
    // Entities decoded, LaTeX untouched.
    assert.match(r.abstract ?? '', /for every \$0<λ<θ<1\$/);
    assert.deepEqual(r.links, { abs: 'https://arxiv.org/abs/2206.06921', pdf: 'https://arxiv.org/pdf/2206.06921' });
  });

  it('marks a version whose comment withdraws the paper', () => {
    // Derived from the real single-paper answer: its comment replaced by a withdrawal's.
    const xml = readFileSync(ONE, 'utf8').replace(/<arxiv:comment>[\s\S]*?<\/arxiv:comment>/, '<arxiv:comment>Withdrawn: the main theorem is false</arxiv:comment>');
    const [r] = records(parseArxivAtom(xml, 'withdrawn.xml').events);
    assert.deepEqual([r.version, r.withdrawn, r.comment], [3, true, 'Withdrawn: the main theorem is false']);
    assert.equal(records(parseFile(ONE).events)[0].withdrawn, undefined);
  });

  it('keeps authors in order and reads old-style ids', () => {
    const page = parseFile(SEARCH);
    assert.equal(page.totalResults, 7432);
    const all = records(page.events);
    assert.equal(all.length, 10);
    const first = all[0];
    assert.equal(first.arxivId, 'nucl-ex/0408020');
    assert.equal(first.version, 1);
    assert.equal(first.authors?.[0], 'J. Arrington');
    assert.equal(first.authors?.at(-1), 'H. de Vries');
    assert.equal(first.authors?.length, 9);
    assert.deepEqual(first.categories, ['nucl-ex', 'hep-ph']);
    assert.equal(first.primaryCategory, 'nucl-ex');
    assert.equal(first.links?.pdf, 'https://arxiv.org/pdf/nucl-ex/0408020');
    assert.equal(all[1].arxivId, '1309.4668');
  });

  it('returns no events and no error for an empty result', () => {
    const page = parseFile(`${DIR}/2025-11_idlist_1201.56789_empty.xml`);
    assert.deepEqual(page.events, []);
    assert.equal(page.totalResults, 0);
  });

  it('reads the one paper found out of four requested', () => {
    const [r] = records(parseFile(`${DIR}/2025-11_idlist_4ids_only1found.xml`).events);
    assert.equal(r.arxivId, '2201.13452');
    assert.deepEqual(r.authors, ['Hong-Ming Yin', 'Jun Zou']);
    assert.equal(r.comment, '34 pages');
  });
});

describe('parseArxivAtom, legacy 2019 format', () => {
  const page = parseFile(LEGACY);
  const all = records(page.events);

  it('reads paging numbers declared with per-element namespaces', () => {
    assert.deepEqual([page.totalResults, page.startIndex, page.itemsPerPage], [120839, 0, 10]);
    assert.equal(all.length, 10);
    assert.equal(all[0].arxivId, '1501.05039');
    assert.equal(all[0].primaryCategory, 'cs.DB');
    assert.deepEqual(all[0].categories, ['cs.DB', 'cs.CY']);
  });

  it('unwraps hard-wrapped titles, abstracts and comments', () => {
    const r = all[1];
    assert.equal(r.arxivId, '1503.01162');
    assert.equal(
      r.title,
      "Report on a Boston University Conference December 7-8, 2012 on 'How Can the History and Philosophy of Science Contribute to Contemporary U.S. Science Teaching?'",
    );
    assert.ok(r.abstract?.startsWith('This is an editorial report on the outcomes of an international conference sponsored'));
    assert.ok(!/\n/.test(r.abstract ?? ''));
    assert.equal(r.doi, '10.1007/s11191-014-9716-8');
    assert.equal(r.journalRef, 'Science & Education, September 2014, 23(9): 1853-1873');
    assert.equal(r.primaryCategory, 'physics.ed-ph');
    assert.equal(all[2].comment, '6 pages, invited contribution to QCMC 2002, a considerably abbreviated version of quant-ph/0208078');
  });

  it('keeps locations pointing at the line of each <entry>', () => {
    const lines = read(LEGACY).split('\n');
    for (const [i, e] of page.events.entries()) {
      const line = Number(/\(line (\d+)\)$/.exec(e.location)?.[1]);
      assert.match(lines[line - 1], /<entry>/, `entry ${i + 1}`);
    }
  });
});

describe('parseArxivAtom, bad input', () => {
  it('skips an entry without id or title and says where it is', () => {
    // Derived from the real file: the second entry's <id> and the third entry's <title> removed.
    const xml = read(LEGACY)
      .replace('<id>http://arxiv.org/abs/1503.01162v1</id>', '')
      .replace('<title>Quantum information science and complex quantum systems</title>', '');
    const page = parseArxivAtom(xml, 'cut.xml');
    assert.deepEqual(page.events[1], { kind: 'skip', location: 'cut.xml:entry 2 (line 33)', reason: 'entry has no <id>' });
    assert.deepEqual(page.events[2], {
      kind: 'skip',
      location: 'cut.xml:entry 3 (line 80)',
      reason: 'entry quant-ph/0210005 has no <title>',
    });
    assert.equal(records(page.events).length, 8);
  });

  it('skips an entry with an empty title', () => {
    const xml = read(ONE).replace('<title>Attainable forms of Assouad spectra</title>', '<title> </title>');
    const [event] = parseArxivAtom(xml, 'x.xml').events;
    assert.equal(event.kind, 'skip');
    assert.equal(event.kind === 'skip' && event.reason, 'entry 2206.06921 has no <title>');
  });

  it("throws the API's own message for its error entry", () => {
    // The shape arXiv documents for a malformed query, built on the real 2025 feed header.
    const xml = read(ONE).replace(
      /<entry>[\s\S]*<\/entry>/,
      `<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id><title>Error</title>
       <summary>incorrect id format for 1234.12345</summary><author><name>arXiv api core</name></author></entry>`,
    );
    assert.throws(
      () => parseArxivAtom(xml, 'q.xml'),
      (err) => err instanceof FormatError && err.message === 'q.xml: arXiv API error: incorrect id format for 1234.12345',
    );
  });

  it('throws FormatError naming the file for truncated XML', () => {
    const xml = read(SEARCH);
    const truncated = xml.slice(0, Math.floor(xml.length / 2));
    assert.throws(() => parseArxivAtom(truncated, 'half.xml'), (err) => {
      assert.ok(err instanceof FormatError);
      assert.equal(err.file, 'half.xml');
      assert.match(err.message, /^half\.xml: truncated XML: the file ends at line \d+ inside </);
      return true;
    });
    // Cut exactly after an entry: well-formed up to there, but the feed never closes.
    const afterEntry = xml.slice(0, xml.indexOf('</entry>') + '</entry>'.length);
    assert.throws(() => parseArxivAtom(afterEntry, 'cut.xml'), FormatError);
  });

  it('throws FormatError for JSON, plain text and other XML documents', () => {
    assert.throws(() => parseArxivAtom('[{"paper":{"id":"2410.17243"}}]', 'daily.json'), {
      message: /^daily\.json: not XML/,
    });
    assert.throws(() => parseArxivAtom('', 'empty.xml'), FormatError);
    const oai = 'test/fixtures/arxiv_oai_pmh/2018-01_GetRecord_arXiv_1401.2122.xml';
    assert.throws(() => parseArxivAtom(read(oai), oai), {
      message: `${oai}: not an Atom feed (root element <OAI-PMH>)`,
    });
  });
});
