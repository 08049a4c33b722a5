/**
 * `npm run bench:import-live`: what a running server feels while `paperboy import` loads the 74,728-paper
 * corpus into the same SQLite file. Starts `paperboy serve` (jobs on, no demo corpus) on a fresh DATA_DIR,
 * runs the CLI import against it, and meanwhile times POST /subscribe (a write: rate-limit counters and a
 * subscriber, its confirmation mail) and an uncached GET / (a read), also for 10 s before the import as a baseline, printing p50 / p99 / max and errors for each, the import's
 * papers/s and write-transaction times, and any "database is locked" the server logged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const CORPUS = process.env.PAPERBOY_CORPUS ?? path.resolve(ROOT, '../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');
if (!fs.existsSync(CORPUS)) throw new Error(`bench: corpus not found at ${CORPUS} (set PAPERBOY_CORPUS)`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-live-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', DEMO_CORPUS: 'off', JOBS: 'on', LOG_LEVEL: 'info', TRUST_PROXY: 'on', SECRET_KEY: 's'.repeat(40), ADMIN_TOKEN: 'a'.repeat(20) };

function paperboy(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), ...args], { cwd: ROOT, env });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

const server = paperboy(['serve']);
const base = await new Promise<string>((resolve, reject) => {
  const timer = setInterval(() => {
    const m = /serving .* at (http:\/\/\S+)/.exec(server.output());
    if (m) resolve((clearInterval(timer), m[1]));
  }, 50);
  server.child.once('exit', () => reject(new Error(`serve exited:\n${server.output()}`)));
});

interface Timings { ms: number[]; errors: string[]; statuses: Map<number, number> }
const timings = (): Timings => ({ ms: [], errors: [], statuses: new Map() });
let writes = timings();
let reads = timings();

async function timed(t: Timings, request: () => Promise<Response>): Promise<Response | undefined> {
  const started = performance.now();
  try {
    const res = await request();
    await res.arrayBuffer();
    t.ms.push(performance.now() - started);
    t.statuses.set(res.status, (t.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) t.errors.push(`HTTP ${res.status}`);
    return res;
  } catch (err) {
    t.errors.push((err as Error).message);
    return undefined;
  }
}

/** One subscription through the real form: GET /subscribe for the CSRF cookie and field, then the timed POST. */
async function subscribe(i: number): Promise<void> {
  const page = await fetch(`${base}/subscribe`);
  const html = await page.text();
  const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const body = new URLSearchParams({ _csrf: token, email: `bench${i}@example.org`, time_zone: 'UTC', digest: 'on', digest_size: '10', alert_query: '' });
  await timed(writes, () =>
    fetch(`${base}/subscribe`, {
      method: 'POST',
      body,
      // As if behind a proxy, each subscription from its own address, so the per-address limit never answers
      // instead of the full path (rate-limit counters, the subscriber, its confirmation mail in the outbox).
      headers: { cookie, origin: base, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.1` },
      redirect: 'manual',
    }),
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let importing = true;
let subscribed = 0;
async function writeLoop() {
  for (let i = subscribed; importing; i = ++subscribed) {
    await subscribe(i);
    await sleep(250);
  }
}
async function readLoop() {
  // A cookie keeps the request out of the 10 s response cache, so every GET / reads the store.
  while (importing) {
    await timed(reads, () => fetch(`${base}/`, { headers: { cookie: 'bench=1' } }));
    await sleep(50);
  }
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`corpus ${CORPUS}\nnode ${process.version}, ${os.cpus().length} cores, load average ${load()} before`);
// The same requests for 10 s with no import running: what the machine's load alone costs them.
const baselineReads = reads;
const baselineWrites = writes;
await Promise.all([writeLoop(), readLoop(), sleep(10_000).then(() => (importing = false))]);
const baseline = { reads: { ...baselineReads }, writes: { ...baselineWrites } };
reads = timings();
writes = timings();
importing = true;
const started = performance.now();
const importer = paperboy(['import', CORPUS]);
const exited = new Promise<number>((resolve) => importer.child.once('exit', (code) => resolve(code ?? 1)));
const loops = Promise.all([writeLoop(), readLoop()]);
const code = await exited;
const seconds = (performance.now() - started) / 1000;
importing = false;
await loops;

const pct = (ms: number[], q: number) => {
  const s = [...ms].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const line = (label: string, t: Timings) =>
  `${label.padEnd(16)} ${String(t.ms.length).padStart(5)} requests  p50 ${pct(t.ms, 0.5).toFixed(1).padStart(6)} ms  p99 ${pct(t.ms, 0.99).toFixed(1).padStart(7)} ms  max ${Math.max(...t.ms).toFixed(1).padStart(7)} ms  errors ${t.errors.length}  statuses ${JSON.stringify(Object.fromEntries(t.statuses))}`;
const summary = importer.output().split('\n').filter((l) => /added|write transactions/.test(l));
const papers = Number(/(\d+) records in/.exec(importer.output())?.[1] ?? NaN);
console.log(`import exit ${code} in ${seconds.toFixed(1)} s: ${Math.round(papers / seconds)} papers/s\n  ${summary.join('\n  ')}`);
console.log(line('POST /subscribe', writes));
console.log(line('GET / (uncached)', reads));
console.log(`without an import (10 s before it):\n${line('POST /subscribe', baseline.writes)}\n${line('GET / (uncached)', baseline.reads)}`);
const locked = server.output().split('\n').filter((l) => /locked|SQLITE_BUSY/i.test(l));
console.log(`server log lines with "locked"/SQLITE_BUSY: ${locked.length}${locked.length ? `\n  ${locked.slice(0, 5).join('\n  ')}` : ''}`);
console.log(`load average ${load()} after`);
server.child.kill('SIGTERM');
await new Promise((resolve) => server.child.once('exit', resolve));
fs.rmSync(dataDir, { recursive: true, force: true });
