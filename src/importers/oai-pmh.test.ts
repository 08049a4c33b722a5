import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { PaperRecord } from '../papers/paper.ts';
import { parseOaiPmh } from './oai-pmh.ts';
import { FormatError, type ParseEvent } from './types.ts';

const DIR = 'test/fixtures/arxiv_oai_pmh';
const DC = `${DIR}/2024-01_ListRecords_oai_dc_set-cs_with_resumptionToken.xml`;
const HEP_EX = `${DIR}/2017-12_ListRecords_arXiv_set-physics-hep-ex.xml`;
const HEP_TH = `${DIR}/2017-12_ListRecords_arXiv_set-physics-hep-th.xml`;
const SINGLE = `${DIR}/2018-01_GetRecord_arXiv_1401.2122.xml`;
const read = (file: string) => readFileSync(file, 'utf8');
const parseFile = (file: string) => parseOaiPmh(read(file), file);

function records(events: ParseEvent[]): PaperRecord[] {
  return events.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
}

/** An OAI-PMH envelope around `body`, as arXiv sends it, for the cases no fixture covers. */
function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-27T17:53:42Z</responseDate>
<request verb="ListRecords">http://export.arxiv.org/oai2</request>${body}</OAI-PMH>`;
}

describe('parseOaiPmh, oai_dc', () => {
  const page = parseFile(DC);
  const all = records(page.events);

  it('reads the resumption token and list size', () => {
    assert.equal(page.resumptionToken, '6960524|1001');
    assert.equal(page.completeListSize, 1162);
    assert.equal(all.length, 5);
    assert.equal(page.events[1].location, `${DC}:record 2 (line 27)`);
  });

  it('turns "Last, First" into "First Last" and subjects into category codes', () => {
    const r = all[1];
    assert.equal(r.source, 'arxiv-oai');
    assert.equal(r.arxivId, '2401.14034');
    assert.equal(r.authors?.[0], 'Chuankun Li');
    assert.equal(r.authors?.at(-1), 'Wanqing Li');
    assert.deepEqual(r.categories, ['cs.CV']);
    assert.equal(r.announcedOn, '2024-01-26');
    assert.equal(r.publishedAt, '2024-01-25');
  });

  it('takes the first description as abstract and the "Comment:" one as comment', () => {
    const r = all[0];
    assert.equal(r.arxivId, '1303.2033');
    assert.deepEqual(r.authors, ['Vilnis Liepins']);
    assert.deepEqual(r.categories, ['cs.DS', 'cs.IT', 'math.NA']);
    assert.ok(r.abstract?.startsWith('This summary of the doctoral thesis'));
    assert.equal(r.comment, '32 pages, 9 figures');
    assert.equal(r.publishedAt, '2013-03-08');
    assert.equal(r.updatedAt, '2024-01-23');
    assert.equal(all[4].comment, 'Accepted to the Findings of EACL 2024');
  });
});

describe('parseOaiPmh, arXiv format', () => {
  it('reads a GetRecord with journal ref and doi', () => {
    const page = parseFile(SINGLE);
    assert.equal(page.resumptionToken, undefined);
    const [r] = records(page.events);
    assert.equal(r.arxivId, '1401.2122');
    assert.deepEqual(r.authors, ['A. Sergyeyev']);
    assert.deepEqual(r.categories, ['math.AP', 'hep-th', 'math-ph', 'math.DG', 'math.MP', 'nlin.SI']);
    assert.equal(r.primaryCategory, 'math.AP');
    assert.equal(r.doi, '10.1007/s11005-017-1013-4');
    assert.equal(r.journalRef, 'Lett. Math. Phys. 108 (2018), no. 2, 359-376');
    assert.equal(r.publishedAt, '2014-01-09');
    assert.equal(r.updatedAt, '2017-10-23');
    // A revision (v5): the datestamp (2018-01-25) is the day it changed; the paper was listed after its first version.
    assert.equal(r.announcedOn, '2014-01-10');
    assert.match(r.comment ?? '', /in this version \(v5\) the typos were fixed/);
    assert.ok(r.abstract?.startsWith('We introduce a novel systematic construction for integrable (3+1)-dimensional dispersionless'));
  });

  it('reads a ListRecords page, unwrapping titles and keeping author order', () => {
    const all = records(parseFile(HEP_EX).events);
    assert.deepEqual(all.map((r) => r.arxivId), ['1706.05371', '1706.09418', '1707.00874']);
    assert.equal(all[0].title, 'Evaluation of Silicon Photomultipliers for use as Photosensors in Liquid Xenon Detectors');
    assert.equal(all[0].authors?.[0], 'Tyler Anderson');
    assert.equal(all[0].authors?.at(-1), 'Mani Tripathi');
    assert.equal(all[0].authors?.length, 13);
    assert.deepEqual(all[0].categories, ['physics.ins-det', 'hep-ex']);
    assert.equal(all[1].doi, '10.1140/epjc/s10052-017-5414-4');
    assert.equal(all[1].journalRef, 'Eur. Phys. J. C (2017) 77:856');
    const th = records(parseFile(HEP_TH).events);
    assert.deepEqual(th.map((r) => r.primaryCategory), ['quant-ph', 'hep-th', 'hep-th']);
    assert.equal(th[2].doi, '10.1002/andp.201700188');
  });

  it('reads arXivRaw: authors from one string, version and dates from the version list', () => {
    // Built from the arXivRaw schema (arxiv.org/OAI/arXivRaw.xsd); no captured file was available.
    const xml = envelope(`<GetRecord><record><header><identifier>oai:arXiv.org:0704.0001</identifier>
      <datestamp>2008-11-13</datestamp></header><metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
      <id>0704.0001</id><version version="v1"><date>Mon, 2 Apr 2007 19:18:42 GMT</date></version>
      <version version="v2"><date>Tue, 24 Jul 2007 20:10:27 GMT</date></version>
      <title>Calculation of prompt diphoton production cross sections</title>
      <authors>C. Bal\\'azs, E. L. Berger, P. M. Nadolsky and C.-P. Yuan</authors>
      <categories>hep-ph</categories><abstract>A fully differential calculation.</abstract></arXivRaw></metadata></record></GetRecord>`);
    const [r] = records(parseOaiPmh(xml, 'raw.xml').events);
    assert.equal(r.arxivId, '0704.0001');
    assert.equal(r.version, 2);
    assert.deepEqual(r.authors, ["C. Bal\\'azs", 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan']);
    assert.equal(r.publishedAt, '2007-04-02T19:18:42Z');
    assert.equal(r.updatedAt, '2007-07-24T20:10:27Z');
    // A revision: dated by its first version (Monday 2 April 2007, 15:18 EDT, after the cut-off: Tuesday's
    // announcement, Wednesday's listing), not by its datestamp (the day the record last changed).
    assert.equal(r.announcedOn, '2007-04-04');
    assert.equal(r.withdrawn, undefined);
  });

  it('reads arXivRaw names without their affiliations, and a withdrawal (a version without source)', () => {
    const xml = envelope(`<GetRecord><record><header><identifier>oai:arXiv.org:2401.00001</identifier>
      <datestamp>2024-03-05</datestamp></header><metadata><arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">
      <id>2401.00001</id><version version="v1"><date>Mon, 1 Jan 2024 10:00:00 GMT</date><size>812kb</size></version>
      <version version="v2"><date>Mon, 4 Mar 2024 12:00:00 GMT</date><size>0kb</size></version>
      <title>A result</title><authors>A. Author (MIT, CSAIL), B. Author ((1) ETH (2) EPFL) and C. Author</authors>
      <categories>cs.LG</categories><comments>This paper has been withdrawn by the authors due to an error in Lemma 2</comments>
      <abstract>Lemma 2 shows everything.</abstract></arXivRaw></metadata></record></GetRecord>`);
    const [r] = records(parseOaiPmh(xml, 'withdrawn.xml').events);
    assert.deepEqual(r.authors, ['A. Author', 'B. Author', 'C. Author']);
    assert.deepEqual([r.version, r.withdrawn], [2, true]);
    const kept = xml.replace('<size>0kb</size>', '<size>812kb</size>').replace(/<comments>[^<]*<\/comments>/, '<comments>v2: section 4 on withdrawn sessions rewritten</comments>');
    assert.equal(records(parseOaiPmh(kept, 'kept.xml').events)[0].withdrawn, undefined, 'a comment that mentions the word is no withdrawal');
  });

  it('dates a first version by its datestamp and a revision by its first version, in the arXiv format too', () => {
    const [revised] = records(parseFile(HEP_EX).events);
    // 1706.05371 was created on 16 June 2017 and revised on 12 December; the record is dated 14 December.
    assert.deepEqual([revised.publishedAt, revised.updatedAt, revised.announcedOn], ['2017-06-16', '2017-12-12', '2017-06-19']);
    const first = read(HEP_EX).replace(/<updated>[^<]*<\/updated>/, '');
    assert.equal(records(parseOaiPmh(first, 'new.xml').events)[0].announcedOn, '2017-12-14');
  });
});

describe('parseOaiPmh, lists and errors', () => {
  it('skips a deleted record with its identifier', () => {
    // Derived from the real file: the first record's header marked deleted and its metadata removed.
    const xml = read(HEP_EX).replace(/<header>([\s\S]*?)<\/header>\s*<metadata>[\s\S]*?<\/metadata>/, '<header status="deleted">$1</header>');
    const page = parseOaiPmh(xml, 'd.xml');
    assert.deepEqual(page.events[0], { kind: 'skip', location: 'd.xml:record 1 (line 6)', reason: 'deleted record oai:arXiv.org:1706.05371' });
    assert.equal(records(page.events).length, 2);
  });

  it('treats an empty resumptionToken as the end of the list', () => {
    const xml = read(DC).replace(/<resumptionToken[^>]*>[^<]*<\/resumptionToken>/, '<resumptionToken cursor="1000" completeListSize="1162"/>');
    const page = parseOaiPmh(xml, 'last.xml');
    assert.equal(page.resumptionToken, undefined);
    assert.equal(page.completeListSize, 1162);
  });

  it('returns no events for noRecordsMatch', () => {
    const xml = envelope('<error code="noRecordsMatch">No records match</error>');
    assert.deepEqual(parseOaiPmh(xml, 'none.xml'), { events: [] });
  });

  it('throws other OAI errors with their code and text', () => {
    const xml = envelope('<error code="badResumptionToken">Invalid or expired resumptionToken</error>');
    assert.throws(
      () => parseOaiPmh(xml, 'bad.xml'),
      (err) => err instanceof FormatError && err.message === 'bad.xml: OAI-PMH error badResumptionToken: Invalid or expired resumptionToken',
    );
  });

  it('throws FormatError naming the file for truncated, JSON and Atom input', () => {
    const xml = read(HEP_TH);
    assert.throws(() => parseOaiPmh(xml.slice(0, 3000), 'cut.xml'), { message: /^cut\.xml: truncated XML: the file ends at line \d+ inside </ });
    assert.throws(() => parseOaiPmh('{"records":[]}', 'r.json'), (err) => err instanceof FormatError && err.file === 'r.json');
    const atom = 'test/fixtures/arxiv_api_atom/2025-11_idlist_2206.06921.xml';
    assert.throws(() => parseOaiPmh(read(atom), atom), { message: `${atom}: not an OAI-PMH response (root element <feed>)` });
  });
});
