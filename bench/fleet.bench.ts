/**
 * `npm run bench:fleet`: three `paperboy serve` processes on one PostgreSQL database, mixed traffic on loopback
 * for --seconds (default 60; the issue's run is --seconds 300): anonymous pages, signed-in pages, votes and
 * comments (API tokens), keyword search, feeds; in the middle an ingestion run (`paperboy import` of papers the
 * store has not seen) and a digest run (two `paperboy digest run --now` processes at once, against a loopback
 * SMTP sink). At 40% one instance is SIGKILLed (and started again 5 s later, as a supervisor would); at 65%
 * another is SIGTERMed (taken out of the client's rotation first, as a load balancer does on /readyz) and started
 * again. Reports requests and errors, p50/p99 per route, RSS per instance sampled every 2 s, how long a vote on one
 * instance took to show on the others (the response cache lives 10 s), and digests per recipient.
 *
 *   --seconds N      traffic duration (default 60)
 *   --papers N       papers imported before the run (default: the whole corpus less the 2,000 of the ingestion run)
 *   --concurrency N  requests in flight (default 8)
 * Needs PAPERBOY_BENCH_PG_URL or PAPERBOY_TEST_PG_URL (a server where it may create a database; dropped after).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/database.ts';
import { startSmtpSink } from '../test/smtp-sink.ts';
import { addTestUser, bearerFor, sessionCookieFor } from '../test/accounts-fixtures.ts';
import { BENCH_PG_URL, createBenchDatabase } from './bench-pg.ts';
import { benchEnv, startServe, type ServeProcess } from './serve-process.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = process.env.PAPERBOY_CORPUS ?? path.join(root, '../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');
const flag = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const SECONDS = flag('--seconds', 60);
const CONCURRENCY = flag('--concurrency', 8);
const INGEST = 2000;
const USERS = 40;
const SUBSCRIBERS = 300;
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

if (!BENCH_PG_URL) throw new Error('bench:fleet needs PAPERBOY_BENCH_PG_URL or PAPERBOY_TEST_PG_URL');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-fleet-'));
const pg = await createBenchDatabase(BENCH_PG_URL, 'fleet');
const sink = await startSmtpSink({ parse: false });
const children: ChildProcess[] = [];
// However the bench ends, no instance outlives it.
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

// ---- the store: the corpus less the last INGEST lines, which the ingestion run brings in the middle -------------
const lines = gunzipSync(fs.readFileSync(CORPUS)).toString('utf8').split('\n').filter(Boolean);
const papers = Math.min(flag('--papers', lines.length - INGEST), lines.length - INGEST);
const before = path.join(work, 'before.jsonl.gz');
const ingest = path.join(work, 'ingest.jsonl.gz');
fs.writeFileSync(before, gzipSync(lines.slice(0, papers).join('\n') + '\n'));
fs.writeFileSync(ingest, gzipSync(lines.slice(lines.length - INGEST).join('\n') + '\n'));
const sample = lines.slice(0, papers).filter((_, i) => i % 97 === 0).map((l) => JSON.parse(l) as { id: string; first_seen: string; title: string });

const env = (name: string): NodeJS.ProcessEnv => ({
  ...benchEnv(fs.mkdirSync(path.join(work, name), { recursive: true }) ?? path.join(work, name)),
  DATABASE_URL: pg.url,
  SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
  SECRET_KEY: 'fleet-bench-secret-key-0123456789abcdef',
  ADMIN_TOKEN: 'fleet-bench-admin-token',
  MAIL_FROM: 'paperboy@example.org',
});
const cli = (name: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/paperboy.js'), ...args], { env: env(name), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`paperboy ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  return r.stdout;
};
const cliAsync = (name: string, ...args: string[]) =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/paperboy.js'), ...args], { env: env(name), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`paperboy ${args.join(' ')}: ${code} ${err.slice(-1500)}`))));
  });

log(`importing ${papers} papers into PostgreSQL (load ${load()})`);
const t0 = performance.now();
cli('setup', 'import', before);
log(`imported in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
const day = sample.map((s) => s.first_seen).sort().at(-1)!;

// ---- accounts and subscribers ----------------------------------------------------------------------------------
const db = openDb({ postgresUrl: pg.url });
const config = loadConfig(env('setup'));
const users: { cookie: string; bearer: string }[] = [];
for (let i = 0; i < USERS; i++) {
  const user = await addTestUser(db, `reader${i}@example.org`);
  users.push({ cookie: await sessionCookieFor(db, config, user), bearer: await bearerFor(db, user) });
}
const now = new Date().toISOString();
await db.kysely
  .insertInto('subscribers')
  .values(Array.from({ length: SUBSCRIBERS }, (_, i) => ({ email: `sub${i}@example.org`, status: 'active' as const, time_zone: 'UTC', digest_enabled: 1, digest_size: 10, created_at: now, confirmed_at: now })))
  .execute();
await db.close();

// ---- three instances ---------------------------------------------------------------------------------------------
interface Instance { name: string; serve: ServeProcess; up: boolean; rss: number[]; earlier: number[][] }
const instances: Instance[] = [];
for (const name of ['a', 'b', 'c']) {
  const serve = await startServe(env(name));
  children.push(serve.process);
  instances.push({ name, serve, up: true, rss: [], earlier: [] });
  log(`instance ${name} at ${serve.url}, listening after ${(serve.listeningAfterMs / 1000).toFixed(1)} s`);
}
const rssOf = (pid: number | undefined) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return NaN;
  }
};
const sampler = setInterval(() => {
  for (const i of instances) if (i.up) i.rss.push(rssOf(i.serve.process.pid));
}, 2000);

// ---- traffic ------------------------------------------------------------------------------------------------------
const WORDS = ['diffusion', 'language model', 'reinforcement learning', 'segmentation', 'transformer', 'graph', 'robot', 'speech', 'retrieval', 'quantization'];
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
type Request = { route: string; path: string; init?: RequestInit; ok?: (status: number) => boolean };
const MIX: [number, () => Request][] = [
  [20, () => ({ route: 'GET / (anonymous)', path: '/' })],
  [15, () => ({ route: 'GET /papers/:id', path: `/papers/${pick(sample).id}` })],
  [10, () => ({ route: 'GET /day/:date', path: `/day/${pick(sample).first_seen}` })],
  [12, () => ({ route: 'GET /search (keyword)', path: `/search?q=${encodeURIComponent(pick(WORDS))}` })],
  [6, () => ({ route: 'GET /api/search', path: `/api/search?q=${encodeURIComponent(pick(WORDS))}&limit=10` })],
  [5, () => ({ route: 'GET /feeds/daily.xml', path: '/feeds/daily.xml' })],
  [10, () => ({ route: 'GET / (signed in)', path: '/', init: { headers: { cookie: pick(users).cookie } } })],
  [4, () => ({ route: 'GET /account (signed in)', path: '/account', init: { headers: { cookie: pick(users).cookie } } })],
  [10, () => ({ route: 'POST vote', path: `/api/papers/${pick(sample).id}/vote`, init: { method: Math.random() < 0.7 ? 'POST' : 'DELETE', headers: { authorization: pick(users).bearer } } })],
  [3, () => ({ route: 'POST comment', path: `/api/papers/${pick(sample).id}/comments`, init: { method: 'POST', headers: { authorization: pick(users).bearer, 'content-type': 'application/json' }, body: JSON.stringify({ body: `A note from the fleet bench, ${Math.random().toString(36).slice(2)}.` }) } })],
];
const totalWeight = MIX.reduce((a, [w]) => a + w, 0);
const nextRequest = () => {
  let r = Math.random() * totalWeight;
  for (const [w, make] of MIX) if ((r -= w) < 0) return make();
  return MIX[0][1]();
};

const latencies = new Map<string, number[]>();
const errors: string[] = [];
let lostInKill = 0;
let requests = 0;
let rotation = 0;
let killedAt: Instance | undefined;
const inFlight = new Map<Instance, number>();
const started = performance.now();
const deadline = started + SECONDS * 1000;

async function worker() {
  while (performance.now() < deadline) {
    const up = instances.filter((i) => i.up);
    const target = up[rotation++ % up.length];
    const req = nextRequest();
    inFlight.set(target, (inFlight.get(target) ?? 0) + 1);
    const t = performance.now();
    try {
      const res = await fetch(target.serve.url + req.path, { ...req.init, redirect: 'manual' });
      await res.arrayBuffer();
      requests++;
      if (res.status >= 400 && !(req.route === 'POST comment' && res.status === 429)) errors.push(`${req.route} ${req.path} on ${target.name}: HTTP ${res.status}`);
      const list = latencies.get(req.route) ?? [];
      list.push(performance.now() - t);
      latencies.set(req.route, list);
    } catch (err) {
      requests++;
      if (target === killedAt) lostInKill++;
      else errors.push(`${req.route} ${req.path} on ${target.name}: ${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ''}`);
    } finally {
      inFlight.set(target, inFlight.get(target)! - 1);
    }
  }
}

async function restart(i: Instance) {
  const serve = await startServe(env(i.name));
  children.push(serve.process);
  i.serve = serve;
  i.earlier.push(i.rss);
  i.rss = [];
  i.up = true;
  log(`instance ${i.name} back at ${serve.url} after ${(serve.listeningAfterMs / 1000).toFixed(1)} s`);
}

/** Casts a vote on one instance and polls the paper on the others until the count shows there. */
async function voteVisibility(): Promise<number[]> {
  const [a, ...others] = instances.filter((i) => i.up);
  const paper = sample[3].id;
  const before = async (i: Instance) => ((await (await fetch(`${i.serve.url}/api/papers/${paper}`)).json()) as { localVotes?: number }).localVotes ?? 0;
  const base = await Promise.all(others.map(before));
  const voter = users[USERS - 1];
  const res = await fetch(`${a.serve.url}/api/papers/${paper}/vote`, { method: 'POST', headers: { authorization: voter.bearer } });
  const votedAt = performance.now();
  if (!res.ok) throw new Error(`vote: HTTP ${res.status}`);
  return Promise.all(
    others.map(async (i, k) => {
      while (performance.now() - votedAt < 30_000) {
        if ((await before(i)) > base[k]) return performance.now() - votedAt;
        await new Promise((r) => setTimeout(r, 200));
      }
      return Infinity;
    }),
  );
}

const events: Promise<unknown>[] = [];
const at = (share: number, what: () => Promise<unknown>) => events.push(new Promise((r) => setTimeout(r, share * SECONDS * 1000)).then(what));
let ingestReport = '';
let digestReports: string[] = [];
let visibleMs: number[] = [];
at(0.15, async () => (visibleMs = await voteVisibility()));
at(0.25, async () => {
  log('ingestion run starts');
  ingestReport = (await cliAsync('ingest', 'import', ingest)).split('\n')[0];
  log(`ingestion: ${ingestReport}`);
});
at(0.3, async () => {
  log('digest run starts (two processes at once)');
  digestReports = await Promise.all([cliAsync('digest1', 'digest', 'run', '--date', day, '--now'), cliAsync('digest2', 'digest', 'run', '--date', day, '--now')]);
  log(`digest: ${digestReports.map((r) => r.trim().split('\n').at(-1)).join(' | ')}`);
});
at(0.4, async () => {
  const victim = instances[2];
  killedAt = victim;
  log(`SIGKILL instance ${victim.name} (${inFlight.get(victim) ?? 0} requests in flight)`);
  victim.serve.process.kill('SIGKILL');
  victim.up = false;
  await new Promise((r) => setTimeout(r, 5000));
  await restart(victim);
});
at(0.65, async () => {
  const victim = instances[1];
  victim.up = false; // out of rotation first, as a load balancer does when /readyz fails
  log(`SIGTERM instance ${victim.name} (${inFlight.get(victim) ?? 0} requests in flight)`);
  const exited = new Promise<number | null>((r) => victim.serve.process.once('exit', (code) => r(code)));
  victim.serve.process.kill('SIGTERM');
  log(`instance ${victim.name} exited with ${await exited}`);
  await restart(victim);
});

log(`traffic for ${SECONDS} s, ${CONCURRENCY} in flight (load ${load()})`);
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
await Promise.allSettled(events).then((rs) => rs.forEach((r) => r.status === 'rejected' && errors.push(`event: ${(r.reason as Error).message}`)));
clearInterval(sampler);
const elapsed = (performance.now() - started) / 1000;

// ---- report ---------------------------------------------------------------------------------------------------------
const q = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
console.log(`\n${requests} requests in ${SECONDS} s of traffic (${(requests / SECONDS).toFixed(1)}/s; all events done after ${elapsed.toFixed(0)} s), ${errors.length} errors, ${lostInKill} lost in flight at the SIGKILL; load ${load()}`);
for (const e of errors.slice(0, 10)) console.log(`  error: ${e}`);
console.log('route                       n      p50 ms   p99 ms');
for (const [route, xs] of [...latencies].sort()) console.log(`${route.padEnd(26)} ${String(xs.length).padStart(6)} ${q(xs, 0.5).toFixed(1).padStart(8)} ${q(xs, 0.99).toFixed(1).padStart(8)}`);
for (const i of instances) {
  const xs = i.rss.filter(Number.isFinite);
  const third = Math.max(1, Math.floor(xs.length / 3));
  const mean = (ys: number[]) => ys.reduce((a, b) => a + b, 0) / Math.max(1, ys.length);
  for (const [k, old] of i.earlier.entries()) console.log(`RSS ${i.name} (process ${k + 1}, until it was stopped): ${old.length} samples, first ${old[0]?.toFixed(0)} MB, last ${old.at(-1)?.toFixed(0)} MB`);
  console.log(`RSS ${i.name}${i.earlier.length ? ' (restarted)' : ''}: ${xs.length} samples, first ${xs[0]?.toFixed(0)} MB, max ${Math.max(...xs).toFixed(0)} MB, last ${xs.at(-1)?.toFixed(0)} MB, mean of first third ${mean(xs.slice(0, third)).toFixed(0)} → last third ${mean(xs.slice(-third)).toFixed(0)} MB`);
}
console.log(`vote on one instance visible on the others after ${visibleMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (cache lifetime 10 s)`);
const perRecipient = new Map<string, number>();
for (const m of sink.received) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
const twice = [...perRecipient].filter(([, n]) => n > 1);
console.log(`digests: ${sink.received.length} messages to ${perRecipient.size} recipients, ${twice.length} recipients got more than one`);

for (const i of instances) await i.serve.stop();
for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
await sink.close();
await pg.drop();
fs.rmSync(work, { recursive: true, force: true });
process.exit(errors.length || twice.length ? 1 : 0);
