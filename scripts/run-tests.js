#!/usr/bin/env node
// `npm test`: runs every *.test.ts under src/ and test/ with Node's test runner (Node 20 has no test globs).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(full).isDirectory()) find(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = ['src', 'test'].flatMap((d) => find(d)).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (!process.env.PAPERBOY_TEST_PG_URL) {
  console.log('note: PostgreSQL tests are skipped; set PAPERBOY_TEST_PG_URL=postgres://user:pass@host/db to run them.');
}
// The usual report, then a line saying how many suites were skipped and why (scripts/skip-summary.js).
const reporters = ['--test-reporter', process.stdout.isTTY ? 'spec' : 'tap', '--test-reporter-destination', 'stdout', '--test-reporter', './scripts/skip-summary.js', '--test-reporter-destination', 'stdout'];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...reporters, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
