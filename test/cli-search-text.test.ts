/** `paperboy search` prints titles as a terminal can show them: TeX as Unicode text, the JSON keeps the source. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-cli-text-'));
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const paperboy = (args: string[]) => run(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, cwd: ROOT });

test('search results print TeX titles as Unicode text; --json keeps the title as stored', async () => {
  const file = path.join(dataDir, 'papers.jsonl');
  const record = { id: '2611.00001', title: 'GSBAK$^K$: $top$-$K$ Geometric Attack', summary: 'A geometric attack.', authors: ['Ada Lovelace'], categories: ['cs.LG'], first_seen: '2026-11-20' };
  fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
  await paperboy(['import', file]);
  const { stdout } = await paperboy(['search', 'geometric', '--mode', 'keyword']);
  assert.match(stdout, /^ 1\. GSBAKᴷ: top-K Geometric Attack$/m);
  const json = JSON.parse((await paperboy(['search', 'geometric', '--mode', 'keyword', '--json'])).stdout);
  assert.equal(json.results[0].title, record.title);
});
