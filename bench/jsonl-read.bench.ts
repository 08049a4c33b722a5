/**
 * `npm run bench:jsonl`: reading JSON Lines that once took minutes — one 10 MB and one 50 MB line between two
 * small records, and a 1 MB gzip that inflates to a gigabyte of spaces — must now take about as long as
 * reading the bytes. Prints the time and what the reader made of each file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readJsonl } from '../src/importers/jsonl.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-jsonl-bench-'));
const small = (title: string) => JSON.stringify({ title });
const cases: [string, () => Buffer][] = [
  ['10 MB line', () => Buffer.from(`${small('before')}\n${JSON.stringify({ title: 'huge', abstract: 'a'.repeat(10 * 2 ** 20) })}\n${small('after')}\n`)],
  ['50 MB line', () => Buffer.from(`${small('before')}\n${JSON.stringify({ title: 'huge', abstract: 'a'.repeat(50 * 2 ** 20) })}\n${small('after')}\n`)],
  ['gzip of spaces', () => gzipSync(Buffer.alloc(2 ** 30, 0x20), { level: 9 })],
];
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [label, make] of cases) {
  const file = path.join(dir, `${label.replace(/\W+/g, '-')}.jsonl${label.startsWith('gzip') ? '.gz' : ''}`);
  fs.writeFileSync(file, make());
  const started = performance.now();
  const events: string[] = [];
  for await (const e of readJsonl(file)) events.push(e.kind === 'record' ? `record "${e.record.title}"` : `skip line ${e.location.split(':').pop()}: ${e.reason}`);
  const ms = performance.now() - started;
  console.log(`${label.padEnd(15)} ${(fs.statSync(file).size / 2 ** 20).toFixed(1).padStart(6)} MB on disk  ${ms.toFixed(0).padStart(6)} ms  ${events.join('; ')}`);
}
fs.rmSync(dir, { recursive: true, force: true });
