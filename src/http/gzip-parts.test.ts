import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, gunzipSync } from 'node:zlib';
import { combineGzipParts, gzipPart, joinGzipParts, storedPart } from './gzip-parts.ts';

test('parts compressed on their own join into one gzip body that any gunzip reads, CRC and length included', async () => {
  const texts = ['<!doctype html><header>', 'Ada Lovelace ✓', '</header>' + '<li>paper</li>'.repeat(5000), '', 'é'.repeat(70_000)].map((t) => Buffer.from(t));
  const whole = Buffer.concat(texts);
  const joined = joinGzipParts(await Promise.all(texts.map((t, i) => gzipPart(t, i % 2 ? 1 : 6))));
  assert.deepEqual(gunzipSync(joined), whole); // gunzip checks the trailer's CRC-32 and size
  assert.equal(joined.readUInt32LE(joined.length - 8), crc32(whole));
  assert.ok(joined.length < whole.length / 10, 'still compressed');
  assert.deepEqual(gunzipSync(joinGzipParts([])), Buffer.alloc(0));
});

test('stored parts (no compressor) mix with compressed ones, empty and longer than one stored block too', async () => {
  const texts = ['<p>shared</p>'.repeat(100), 'Grace', '', 'x'.repeat(150_000), '<p>end</p>'].map((t) => Buffer.from(t));
  const joined = joinGzipParts(await Promise.all(texts.map((t, i) => (i % 2 ? storedPart(t) : gzipPart(t)))));
  assert.deepEqual(gunzipSync(joined), Buffer.concat(texts));
});

test('a run of parts combined into one part joins exactly as the parts would, among others', async () => {
  const texts = ['<header>', 'menu', '<li>a</li>'.repeat(300), '', '<li>b</li>'.repeat(200), '</html>'].map((t) => Buffer.from(t));
  const parts = await Promise.all(texts.map((t, i) => (i === 1 ? storedPart(t) : gzipPart(t))));
  const run = combineGzipParts(parts.slice(2));
  assert.equal(run.length, Buffer.concat(texts.slice(2)).length);
  assert.deepEqual(joinGzipParts([...parts.slice(0, 2), run]), joinGzipParts(parts));
  assert.deepEqual(gunzipSync(joinGzipParts([run, ...parts])), Buffer.concat([...texts.slice(2), ...texts]));
  assert.deepEqual(gunzipSync(joinGzipParts([combineGzipParts([])])), Buffer.alloc(0));
});
