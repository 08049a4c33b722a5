/** Shared fixtures of the subscription, digest and feed tests: configuration, papers over several days, subscribers. */
import { loadConfig, type Config } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import type { PaperRecord } from '../src/papers/paper.ts';
import { addRecords } from '../src/papers/papers.service.ts';
import { addSubscriberDirectly } from '../src/subscriptions/subscriptions.service.ts';

/** A test configuration: fixed secret key and public URL, mail to `smtpUrl` (or .eml files in `dataDir`). */
export function mailTestConfig(over: { smtpUrl?: string; dataDir?: string; bounceLimit?: number; retrySeconds?: number; hour?: number; leaseSeconds?: number } = {}): Config {
  const base = loadConfig({ DATA_DIR: over.dataDir ?? '/tmp/paperboy-test-unused' });
  return {
    ...base,
    logLevel: 'silent',
    publicBaseUrl: 'https://papers.example.org',
    secretKey: 'test-secret-key-0123456789abcdef0123456789abcdef',
    mail: { ...base.mail, from: 'Paperboy <paperboy@papers.example.org>', smtpUrl: over.smtpUrl, bounceLimit: over.bounceLimit ?? 3, retrySeconds: over.retrySeconds ?? 60, leaseSeconds: over.leaseSeconds ?? 60 },
    digest: { ...base.digest, hour: over.hour ?? 7, windowDays: 3, skipWeekends: true },
  };
}

/** The listing days the fixture papers are on: Thursday 2026-07-02 and Friday 2026-07-03 (then a weekend). */
export const DAY1 = '2026-07-02';
/** The second listing day, a Friday. */
export const DAY2 = '2026-07-03';

/** Twelve papers a day with known upvotes, categories, organizations and authors. */
export function fixturePapers(): PaperRecord[] {
  const out: PaperRecord[] = [];
  for (const [d, day] of [DAY1, DAY2].entries()) {
    for (let i = 1; i <= 12; i++) {
      const n = d * 100 + i;
      out.push({
        source: 'arxiv-atom',
        arxivId: `2607.${String(n).padStart(5, '0')}v1`,
        title: i === 3 ? `Diffusion models for protein design ${n}` : i === 5 ? `Sparse attention <script>alert(1)</script> & friends ${n}` : `Paper ${n} on graph learning`,
        abstract: i === 3 ? 'We train diffusion models that design proteins.' : `Abstract of paper ${n}, about graphs.`,
        authors: i === 7 ? ['Ada Lovelace', 'Alan Turing'] : [`Author ${n}`, 'Grace Hopper'],
        categories: i % 2 === 0 ? ['cs.LG'] : ['cs.CL', 'cs.AI'],
        primaryCategory: i % 2 === 0 ? 'cs.LG' : 'cs.CL',
        organization: i === 9 ? { name: 'Example Lab', slug: 'example-lab' } : undefined,
        announcedOn: day,
        publishedAt: `${day}T00:00:00Z`,
        upvotes: 100 - i * 5 + d,
      });
    }
  }
  return out;
}

/** Adds the fixture papers and pins their hotness to their upvotes, so the ranking is known. */
export async function addFixturePapers(db: Db): Promise<void> {
  await addRecords(db, fixturePapers());
  await db.kysely.updateTable('papers').set((eb) => ({ hotness: eb.ref('upvotes') })).execute();
}

/** Adds `n` confirmed subscribers sub0@example.org … with the given time zone and no alerts. */
export async function addSubscribers(db: Db, n: number, opts: { timeZone?: string; size?: number } = {}): Promise<void> {
  for (let i = 0; i < n; i++) {
    await addSubscriberDirectly(db.kysely, { email: `sub${i}@example.org`, confirmed: true, timeZone: opts.timeZone ?? 'UTC', digestSize: opts.size ?? 5, alerts: [] });
  }
}

/** A store the tests and child processes share: a SQLite file under a temp DATA_DIR, or a fresh PostgreSQL database. */
export interface SharedStore {
  db: Db;
  /** Environment that points a `paperboy` process at the same store. */
  env: Record<string, string>;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** Creates a migrated shared store of the given kind. */
export async function createSharedStore(kind: 'sqlite' | 'postgres'): Promise<SharedStore> {
  const { default: fs } = await import('node:fs');
  const { default: os } = await import('node:os');
  const { default: path } = await import('node:path');
  const { migrate, openDb } = await import('../src/db/database.ts');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-mail-'));
  if (kind === 'sqlite') {
    const db = openDb({ sqliteFile: path.join(dataDir, 'paperboy.sqlite') });
    await migrate(db);
    return { db, dataDir, env: { DATA_DIR: dataDir, DATABASE_URL: '' }, cleanup: async () => { await db.close(); fs.rmSync(dataDir, { recursive: true, force: true }); } };
  }
  const { default: pg } = await import('pg');
  const { TEST_PG_URL } = await import('./databases.ts');
  const name = `paperboy_mail_${Date.now()}_${Math.random().toString(16).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL!);
  url.pathname = `/${name}`;
  const db = openDb({ postgresUrl: url.toString() });
  await migrate(db);
  return {
    db,
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    async cleanup() {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
