/**
 * `npm run bench:signed-in`: home-page throughput for an anonymous and a signed-in reader in the same run
 * (target: signed-in ≥ 40 % of anonymous), each 50 connections for 10 s through autocannon on loopback,
 * with and without gzip. Signed-in requests take turns among 500 readers' real session cookies: every one
 * resolves its session — from the store, or from memory when that session was resolved in the last 2 s
 * (src/accounts/session-cache.ts), as most are here: each reader comes back several times a second — looks
 * up its vote and reading states and collections for the page, and gets its account menu and the page's
 * forms (its CSRF token) filled into the shared cached page. The in-process phase also measures requests
 * that are each the first of their session, so every lookup reads the store. Then votes (target ≥ 500/s,
 * no errors): the same readers upvote and take back votes on
 * 200 papers through `POST|DELETE /api/papers/id/N/vote` with their API tokens, each a real write (the vote,
 * the stored hotness, the rate limit's counter) in one transaction.
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
import { createApiToken } from '../src/accounts/api-tokens.ts';
import { openSession } from '../src/accounts/sessions.ts';
import { loadConfig } from '../src/config.ts';
import { openConfiguredDb } from '../src/db/open.ts';
import { loadDemoIfEmpty } from '../src/demo/load-demo.ts';
import { sessionCookieName } from '../src/http/auth.ts';
import { createApp } from '../src/http/app.ts';
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

// 500 readers, each with their own session, as a real crowd's would (one session reused would measure a
// warm row, not the lookup).
const READERS = 500;
const db = await openConfiguredDb(config);
if (temporary) await loadDemoIfEmpty(db);
const cookies: string[] = [];
const bearers: string[] = [];
const readerIds: number[] = [];
for (let i = 0; i < READERS; i++) {
  const { user } = await createUser({ db: db.kysely, accounts: config.accounts }, { email: `bench-reader-${i}@example.org` });
  readerIds.push(user.id);
  const { token } = await openSession(db.kysely, user.id, { method: 'password', userAgent: 'bench' });
  // A browser that has seen a form keeps its CSRF visitor cookie too (every signed-in reader has: sign-in is a form).
  cookies.push(`${sessionCookieName(config)}=${token}; paperboy_csrf=${String(i).padStart(43, 'v')}`);
  bearers.push(`Bearer ${(await createApiToken(db.kysely, user, 'bench'))!.token}`);
}
// Sessions no request has used yet, for the in-process figure where every lookup reads the store: a
// resolved session is remembered for 2 s (src/accounts/session-cache.ts), and the 500 readers above come back
// far more often than that.
const unseenSessions: string[] = [];
for (let i = 0; i < 2 * 1200; i++) {
  const { token } = await openSession(db.kysely, readerIds[i % READERS], { method: 'password', userAgent: 'bench' });
  unseenSessions.push(`${sessionCookieName(config)}=${token}; paperboy_csrf=${String(i % READERS).padStart(43, 'v')}`);
}
const paperIds = (await db.kysely.selectFrom('papers').select('id').orderBy('id').limit(200).execute()).map((r) => r.id);

// CPU per request through the app in-process (the process's CPU time, reader threads included, over 1,000 requests,
// 10 at a time): what the machine's other work does not inflate the way it inflates req/s.
const app = createApp({ db, config });
async function cpuPerRequest(who: string[] | undefined, gzip: boolean, n: number): Promise<number> {
  let next = 0;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = next++; i < n; i = next++) {
        const headers: Record<string, string> = gzip ? { 'accept-encoding': 'gzip' } : {};
        if (who) headers.cookie = who[i % who.length];
        await (await app.fetch(new Request('http://localhost/', { headers }))).arrayBuffer();
      }
    }),
  );
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / n;
}
console.log(`\nin-process, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('\n| encoding | CPU per anonymous request | CPU per signed-in request | anonymous / signed in | signed in, first request of its session | anonymous / that |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const gzip of [true, false]) {
  const unseen = unseenSessions.splice(0, 1200);
  await cpuPerRequest(undefined, gzip, 200);
  await cpuPerRequest(cookies, gzip, 200);
  await cpuPerRequest(unseen.splice(0, 200), gzip, 200);
  const anonymous = await cpuPerRequest(undefined, gzip, 1000);
  const signedIn = await cpuPerRequest(cookies, gzip, 1000);
  const firstLookup = await cpuPerRequest(unseen, gzip, 1000);
  const share = (x: number) => `${Math.round((anonymous / x) * 100)} %`;
  console.log(`| ${gzip ? 'gzip' : 'identity'} | ${anonymous.toFixed(2)} ms | ${signedIn.toFixed(2)} ms | ${share(signedIn)} | ${firstLookup.toFixed(2)} ms | ${share(firstLookup)} |`);
}
await db.close();
let turn = 0;
const nextReader = (req: autocannon.Request): autocannon.Request => ({ ...req, headers: { ...req.headers, cookie: cookies[turn++ % READERS] } });
// Vote k: reader k mod 500 on paper ⌊k / 500⌋ mod 200; the first pass over all pairs upvotes, the next takes the votes back.
// Each reader casts one vote per 500 requests, far inside the limit of 60 a minute, so a 429 would be an error.
let vote = 0;
const nextVote = (req: autocannon.Request): autocannon.Request => {
  const k = vote++;
  const pass = Math.floor(k / (READERS * paperIds.length));
  const paper = paperIds[Math.floor(k / READERS) % paperIds.length];
  return { ...req, method: pass % 2 === 0 ? 'POST' : 'DELETE', path: `/api/papers/id/${paper}/vote`, headers: { ...req.headers, authorization: bearers[k % READERS] } };
};

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
  console.log(`\nload average before votes: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const votes = await autocannon({ url: `${url}/`, connections: 50, duration: 10, requests: [{ method: 'POST', setupRequest: nextVote }] });
  console.log('\n| votes (POST/DELETE /api/papers/id/N/vote, API tokens) | req/s | p50 | p99 | errors / non-2xx |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| SQLite, 50 connections | ${Math.round(votes.requests.average).toLocaleString('en')} | ${votes.latency.p50} ms | ${votes.latency.p99} ms | ${votes.errors} / ${votes.non2xx} |`);
  console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  child.kill();
  if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
}
