/**
 * `npm run bench:signed-in`: home-page throughput for an anonymous and a signed-in reader in the same run
 * (target: signed-in ≥ 40 % of anonymous), each 50 connections for 10 s through autocannon on loopback,
 * with and without gzip. Signed-in requests take turns among 500 readers' real session cookies: every one
 * resolves its session in the database and gets its account menu filled into the shared cached page.
 *
 * Uses the configured store when DATA_DIR is set (e.g. the 74,728-paper corpus), else a temporary store with
 * the demo corpus. The server runs in its own process, so autocannon does not share its event loop.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createUser } from '../src/accounts/accounts.service.ts';
import { openSession } from '../src/accounts/sessions.ts';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDb } from '../src/db/open.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { sessionCookieName } from '../src/http/auth.ts';
import { startServer } from '../src/http/server.ts';

const temporary = !process.env.DATA_DIR;
const dataDir = process.env.BENCH_DATA_DIR ?? (temporary ? fs.mkdtempSync(path.join(tmpdir(), 'paperboy-bench-signed-in-')) : process.env.DATA_DIR!);
const config = { ...loadConfig({ ...process.env, DATA_DIR: dataDir, JOBS: 'off' }), logLevel: 'silent' as const, host: '127.0.0.1', port: 0 };

if (process.argv.includes('--serve')) {
  const db = await openConfiguredDb(config);
  const server = await startServer(config, db);
  console.log(`serving at ${server.url}`);
  await new Promise(() => {});
}

// 500 readers, each with their own session: every request resolves a different session in the database,
// as a real crowd's would (one session reused would measure a warm row, not the lookup).
const READERS = 500;
const db = await openConfiguredDb(config);
if (temporary) await loadDemoIfEmpty(db);
const cookies: string[] = [];
for (let i = 0; i < READERS; i++) {
  const { user } = await createUser({ db: db.kysely, accounts: config.accounts }, { email: `bench-reader-${i}@example.org` });
  const { token } = await openSession(db.kysely, user.id, { method: 'password', userAgent: 'bench' });
  // A browser that has seen a form keeps its CSRF visitor cookie too (every signed-in reader has: sign-in is a form).
  cookies.push(`${sessionCookieName(config)}=${token}; paperboy_csrf=${String(i).padStart(43, 'v')}`);
}
await db.close();
let turn = 0;
const nextReader = (req: autocannon.Request): autocannon.Request => ({ ...req, headers: { ...req.headers, cookie: cookies[turn++ % READERS] } });

const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_DATA_DIR: dataDir } });
try {
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const m = /at (http:\/\/\S+)/.exec(chunk.toString());
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  console.log(`store: ${temporary ? 'demo corpus (temporary)' : dataDir}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const check = await fetch(`${url}/`, { headers: { cookie: cookies[7] } });
  if (!(await check.text()).includes('bench-reader-7@example.org')) throw new Error('the signed-in request did not come back signed in');
  console.log('\n| encoding | reader | req/s | p50 | p99 | errors / non-2xx | signed-in / anonymous |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const [label, encoding] of [['gzip', { 'accept-encoding': 'gzip' }], ['identity', {}]] as const) {
    const results: Record<string, autocannon.Result> = {};
    results.anonymous = await autocannon({ url: `${url}/`, connections: 50, duration: 10, headers: encoding });
    results['signed in'] = await autocannon({ url: `${url}/`, connections: 50, duration: 10, headers: encoding, requests: [{ method: 'GET', setupRequest: nextReader }] });
    for (const [reader, r] of Object.entries(results)) {
      const share = reader === 'signed in' ? `${Math.round((r.requests.average / results.anonymous.requests.average) * 100)} %` : '';
      console.log(`| ${label} | ${reader} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.errors} / ${r.non2xx} | ${share} |`);
    }
  }
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  child.kill();
  if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
}
