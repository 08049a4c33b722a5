import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { normalizeTitle } from '../papers/normalize.ts';
import type { PaperRecord } from '../papers/paper.ts';

const FILE = new URL('./demo-corpus.jsonl.gz', import.meta.url);
/** Every field a PaperRecord may have; the bundled file must hold nothing else. */
const RECORD_FIELDS = new Set([
  'source', 'arxivId', 'version', 'doi', 'title', 'abstract', 'authors', 'authorCount', 'categories', 'primaryCategory',
  'publishedAt', 'updatedAt', 'announcedOn', 'comment', 'journalRef', 'organization', 'upvotes', 'links',
]);

test('the bundled demo corpus: seed papers plus their arXiv corpus records, PaperRecord fields only', () => {
  const bytes = fs.readFileSync(FILE);
  // Bytes 4-7 of a gzip header are the mtime; zero keeps rebuilds byte-identical.
  assert.equal(bytes.readUInt32LE(4), 0);
  const records = gunzipSync(bytes).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as PaperRecord);
  const bySource = (s: string) => records.filter((r) => r.source === s);
  assert.equal(bySource('hf-page').length, 741);
  assert.equal(bySource('arxiv-jsonl').length, 26);
  assert.equal(records.length, 767);
  assert.equal(new Set(bySource('hf-page').map((r) => normalizeTitle(r.title))).size, 615);
  for (const r of records) {
    assert.ok(r.title.trim(), 'every record has a title');
    for (const key of Object.keys(r)) assert.ok(RECORD_FIELDS.has(key), `unexpected field ${key} in ${r.title}`);
  }
  // Each arXiv record sits right after the first seed record with the same title, so the two merge.
  const hess = records.findIndex((r) => r.source === 'arxiv-jsonl' && r.arxivId === '2603.25336');
  assert.equal(normalizeTitle(records[hess - 1].title), normalizeTitle(records[hess].title));
  // The page shows "Mar 26" without a year; arXiv listed it on 2026-03-27, which confirms year 2026.
  assert.equal(records[hess - 1].announcedOn, '2026-03-26');
  assert.equal(records[hess].announcedOn, '2026-03-27');
});
