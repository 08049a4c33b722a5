/**
 * Where mail code may reach: mails are rendered without the web layer (src/http/), and sending mail never
 * changes a subscriber (the bounce rule belongs to subscriptions/, which delivery calls).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const SRC = path.resolve(import.meta.dirname, '..');
const sources = (dir: string) =>
  fs
    .readdirSync(path.join(SRC, dir))
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.test.ts'))
    .map((name) => ({ file: `src/${dir}/${name}`, text: fs.readFileSync(path.join(SRC, dir, name), 'utf8') }));
const imports = (text: string) => [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1]);

test('digest and mail modules import nothing from src/http/', () => {
  const offenders = [...sources('digest'), ...sources('mail')].flatMap(({ file, text }) =>
    imports(text)
      .filter((spec) => path.resolve(path.dirname(path.join(SRC, '..', file)), spec).startsWith(path.join(SRC, 'http') + path.sep))
      .map((spec) => `${file} imports ${spec}`),
  );
  assert.deepEqual(offenders, []);
});

test('mail modules never write the subscribers table', () => {
  const offenders = sources('mail').filter(({ text }) => /(updateTable|insertInto|deleteFrom)\(\s*'subscribers'/.test(text)).map(({ file }) => file);
  assert.deepEqual(offenders, []);
});
