/**
 * `npm run bench:digest`: imports the 74,728-paper corpus into a fresh store, generates 100,000 confirmed
 * subscribers (varied alerts and time zones), queues the newest listing day's digests, then delivers a
 * sample to an SMTP sink on loopback (smtp-server, in its own process) and prints messages/s, twice: delivery
 * composes each digest as it sends it (ranking, alert matches, received papers), and the first sample also
 * matches every distinct alert it meets, which later passes reuse.
 * SQLite always; PostgreSQL too when PAPERBOY_BENCH_PG_URL points at a server we may create databases on.
 * Env: PAPERBOY_CORPUS, BENCH_SUBSCRIBERS (100000), BENCH_DELIVER (5000), BENCH_SQLITE=off (PostgreSQL only).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { freshPostgres } from '../test/databases.ts';
import { migrate, openDb, type Db } from '../src/db/database.ts';
import { prepareDigests } from '../src/digest/prepare.ts';
import { importFile } from '../src/importers/import.service.ts';
import { deliverDue } from '../src/mail/delivery.ts';
import { createMailer } from '../src/mail/mailer.ts';

const CORPUS = process.env.PAPERBOY_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/data/arxiv_cs_daily/arxiv_cs_daily_2025-03_2026-07.jsonl.gz');
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const DELIVER = Number(process.env.BENCH_DELIVER ?? 5000);

const TOPICS = ['diffusion models', 'large language models', 'reinforcement learning', 'graph neural networks', 'vision transformer', 'federated learning', 'retrieval augmented generation', 'gaussian splatting', 'speech recognition', 'code generation', 'robot manipulation', 'autonomous driving', 'medical image segmentation', 'time series forecasting', 'knowledge distillation', 'contrastive learning', 'mixture of experts', 'multi agent', 'quantization', 'adversarial attacks', 'prompt injection', 'hallucination', 'chain of thought', 'video generation', 'text to image', 'point cloud', 'object detection', 'recommendation', 'causal inference', 'differential privacy', 'neural architecture search', 'program synthesis', 'theorem proving', 'protein', 'molecule generation', 'world model', 'embodied agents', 'tool use', 'instruction tuning', 'preference optimization'];
const MODIFIERS = ['', 'efficient', 'benchmark', 'robust', 'survey', 'scalable', 'evaluation', 'sparse', 'multimodal', 'theory', 'uncertainty', 'long context'];
const ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Europe/Moscow', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Kolkata', 'Asia/Shanghai', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Singapore', 'Australia/Sydney', 'Pacific/Auckland', 'Africa/Nairobi', 'Asia/Dubai', 'America/Toronto'];

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];

async function generateSubscribers(db: Db): Promise<void> {
  seed = 42; // the same subscribers for every store
  const categories = (await db.kysely.selectFrom('paper_categories').select(['category', (eb) => eb.fn.countAll().as('n')]).groupBy('category').orderBy('n', 'desc').limit(40).execute()).map((r) => r.category);
  const authors = (
    await db.kysely.selectFrom('paper_authors').innerJoin('authors', 'authors.id', 'paper_authors.author_id').select(['authors.name', (eb) => eb.fn.countAll().as('n')]).groupBy('authors.name').orderBy('n', 'desc').limit(300).execute()
  ).map((r) => r.name);
  const now = new Date().toISOString();
  for (let start = 0; start < SUBSCRIBERS; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, SUBSCRIBERS - start) }, (_, i) => ({
      email: `bench${start + i}@example.org`,
      status: 'active' as const,
      time_zone: pick(ZONES),
      digest_enabled: random() < 0.9 ? 1 : 0,
      digest_size: pick([5, 10, 10, 10, 20]),
      created_at: now,
      confirmed_at: now,
    }));
    const ids = await db.kysely.insertInto('subscribers').values(rows).returning('id').execute();
    const alerts = ids.flatMap(({ id }) =>
      Array.from({ length: pick([0, 0, 1, 1, 2, 3]) }, () => {
        const kind = random();
        const query = kind < 0.6 ? `${pick(TOPICS)} ${pick(MODIFIERS)}`.trim() : kind < 0.75 ? pick(TOPICS) : null;
        const category = kind >= 0.6 && kind < 0.9 ? pick(categories) : null;
        const author = kind >= 0.9 ? pick(authors) : null;
        return { subscriber_id: id, query, category, organization: null, author, created_at: now };
      }),
    );
    for (let i = 0; i < alerts.length; i += 1000) await db.kysely.insertInto('subscriber_alerts').values(alerts.slice(i, i + 1000)).execute();
  }
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

async function startSink(): Promise<{ port: number; stop(): Promise<number> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'smtp-sink.process.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise<number>((resolve) => child.stdout!.on('data', (d) => { out += d; const m = /PORT (\d+)/.exec(out); if (m) resolve(Number(m[1])); }));
  return {
    port,
    stop: () => new Promise((resolve) => { child.on('exit', () => resolve(Number(/RECEIVED (\d+)/.exec(out)?.[1] ?? -1))); child.kill('SIGTERM'); }),
  };
}

async function run(label: string, db: Db, dataDir: string) {
  let t = performance.now();
  const imported = await importFile(db, CORPUS);
  console.log(`${label}: imported ${imported.added} papers in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await generateSubscribers(db);
  const alertCount = Number((await db.kysely.selectFrom('subscriber_alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  console.log(`${label}: generated ${SUBSCRIBERS} subscribers with ${alertCount} alerts in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const day = (await db.kysely.selectFrom('papers').select((eb) => eb.fn.max('announced_on').as('d')).executeTakeFirstOrThrow()).d as string;
  const config = { ...loadConfig({ DATA_DIR: dataDir }), secretKey: 'bench-secret-key-0123456789abcdef0123456789' };
  let cpu = process.cpuUsage();
  const prep = await prepareDigests(db, config.digest, day, { sendNow: true });
  const prepCpu = cpuSeconds(process.cpuUsage(cpu));
  console.log(
    `${label}: PREPARE day ${day}: ${prep.subscribers} subscribers, ${prep.messages} digests queued in ${prep.seconds.toFixed(1)} s (${Math.round(prep.subscribers / prep.seconds)} subscribers/s; ${prepCpu.toFixed(1)} s CPU in this process)`,
  );
  const sink = await startSink();
  const mailer = createMailer({ ...config.mail, smtpUrl: `smtp://127.0.0.1:${sink.port}` });
  // The first sample matches every distinct alert it meets (cold); the second reuses those matches, as the
  // passes at later time zones' hours do while the window's papers are unchanged (warm).
  const samples: { delivery: Awaited<ReturnType<typeof deliverDue>>; cpu: number }[] = [];
  for (let i = 0; i < 2; i++) {
    cpu = process.cpuUsage();
    const delivery = await deliverDue(db, config, mailer, { limit: DELIVER });
    samples.push({ delivery, cpu: cpuSeconds(process.cpuUsage(cpu)) });
  }
  mailer.close();
  const received = await sink.stop();
  for (const [i, { delivery, cpu: deliverCpu }] of samples.entries()) {
    console.log(
      `${label}: DELIVER (${i === 0 ? 'cold' : 'warm'}) ${delivery.sent} messages (${delivery.composed} digests composed, ${delivery.empty} with nothing new) in ${delivery.seconds.toFixed(1)} s = ${Math.round(delivery.sent / delivery.seconds)} messages/s (${((deliverCpu * 1000) / delivery.sent).toFixed(2)} ms CPU per message in the sender = ${Math.round(delivery.sent / deliverCpu)} messages per CPU-second)`,
    );
  }
  console.log(`${label}: the sink received ${received} messages`);
}

if (!fs.existsSync(CORPUS)) throw new Error(`bench: corpus not found at ${CORPUS} (set PAPERBOY_CORPUS)`);
console.log(`corpus ${CORPUS}\nnode ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-digest-bench-'));
if (process.env.BENCH_SQLITE !== 'off') {
  const sqlite = openDb({ sqliteFile: path.join(dir, 'bench.sqlite') });
  await migrate(sqlite);
  await run('sqlite', sqlite, dir);
  await sqlite.close();
}

const pgUrl = process.env.PAPERBOY_BENCH_PG_URL;
if (pgUrl) {
  const db = await freshPostgres(pgUrl);
  await run('postgres', db, dir);
  await db.close();
} else {
  console.log('postgres: skipped (set PAPERBOY_BENCH_PG_URL=postgres://... to include it)');
}
fs.rmSync(dir, { recursive: true, force: true });
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
