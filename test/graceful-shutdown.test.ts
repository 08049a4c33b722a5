/**
 * SIGTERM during traffic and a mail batch, with real processes: `paperboy serve` on a shared store (a SQLite
 * file, or one PostgreSQL database), a slow real SMTP server, clients that behave like a load balancer (they
 * stop sending to an instance once it answers `Connection: close`), and one request whose body is still
 * arriving when the signal comes. The instance must answer every request it took, exit 0 within its grace
 * period, record every message it sent and release the ones it had claimed but not sent — so a second
 * instance sends those at once (the lease is 60 s) and every subscriber gets exactly one digest.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { prepareDigests } from '../src/digest/prepare.ts';
import { TEST_PG_URL } from './databases.ts';
import { addFixturePapers, addSubscribers, createSharedStore, DAY2, mailTestConfig, type SharedStore } from './mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SUBSCRIBERS = 40;
const GRACE_SECONDS = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Serving {
  proc: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function serve(env: Record<string, string>): Promise<Serving> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/paperboy.js'), 'serve'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  for (const end = Date.now() + 90_000; Date.now() < end; await sleep(50)) {
    const m = /Paperboy is serving .* at (http:\/\/\S+)/.exec(out);
    if (m) return { proc, url: m[1], exited, output: () => out };
    if (proc.exitCode !== null) break;
  }
  proc.kill('SIGKILL');
  throw new Error(`serve did not start:\n${out}`);
}

/** One request on `agent`; resolves with the status and whether the server asked to close the connection. */
function get(url: string, agent: http.Agent): Promise<{ status: number; closing: boolean }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode!, closing: res.headers.connection === 'close' }));
        res.once('error', reject);
      })
      .once('error', reject);
  });
}

/** A form post whose body arrives in two parts, `gapMs` apart: in flight for that long. */
function slowPost(url: string, gapMs: number): { sentHead: Promise<void>; answer: Promise<number> } {
  const body = 'email=slow%40example.org&size=5';
  let headSent!: () => void;
  const sentHead = new Promise<void>((r) => (headSent = r));
  const answer = new Promise<number>((resolve, reject) => {
    const req = http.request(`${url}/subscribe`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode!));
    });
    req.once('error', reject);
    req.write(body.slice(0, 6), () => headSent());
    setTimeout(() => req.end(body.slice(6)), gapMs);
  });
  return { sentHead, answer };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && !TEST_PG_URL ? 'PostgreSQL half skipped: set PAPERBOY_TEST_PG_URL=postgres://... to run it' : false;
  describe(`SIGTERM drains requests and mail [${kind}]`, { skip }, () => {
    let store: SharedStore;
    let sink: SmtpSink;
    let env: Record<string, string>;

    before(async () => {
      store = await createSharedStore(kind);
      sink = await startSmtpSink();
      // A slow mail server: a pass over 40 digests takes seconds, so the signal comes in the middle of it.
      sink.setBeforeAccept(async () => (await sleep(300), 'accept' as const));
      await addFixturePapers(store.db);
      await addSubscribers(store.db, SUBSCRIBERS);
      await prepareDigests(store.db, mailTestConfig().digest, DAY2, { sendNow: true, leaseSeconds: 60 });
      env = {
        ...store.env,
        PORT: '0',
        HOST: '127.0.0.1',
        SMTP_URL: sink.url,
        SECRET_KEY: 'shutdown-test-secret-key-0123456789abcdef',
        MAIL_LEASE_SECONDS: '60',
        DEMO_CORPUS: 'off',
        LOG_LEVEL: 'info',
        SHUTDOWN_DELAY_SECONDS: '1',
        SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
      };
    });
    after(async () => {
      await sink.close();
      await store.cleanup();
    });

    test('no request dropped, every message sent once, claimed ones released', { timeout: 180_000 }, async () => {
      const first = await serve(env);
      try {
        await sink.waitFor(2, 60_000); // the batch is under way
        const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
        const paths = ['/', '/trending', '/search?q=graph', '/papers/2607.00103', '/api/papers', '/day/2026-07-03', '/healthz'];
        let draining = false;
        const answered: number[] = [];
        const failures: string[] = [];
        // Six clients, like a balancer's connections: each sends until the instance says it is closing.
        const clients = Array.from({ length: 6 }, async (_, i) => {
          for (let n = i; !draining; n++) {
            try {
              const r = await get(`${first.url}${paths[n % paths.length]}`, agent);
              answered.push(r.status);
              if (r.closing) draining = true;
            } catch (err) {
              failures.push(`${paths[n % paths.length]}: ${(err as Error).message}`);
              break;
            }
          }
        });
        const slow = slowPost(first.url, 2500);
        await slow.sentHead;
        await sleep(500);
        const signalled = Date.now();
        first.proc.kill('SIGTERM');
        await Promise.all(clients);
        const code = await first.exited;
        const took = (Date.now() - signalled) / 1000;
        agent.destroy();

        assert.deepEqual(failures, [], 'no request failed');
        assert.ok(answered.length >= 5, `traffic ran (${answered.length} answers)`);
        assert.ok(answered.every((s) => s < 500), `no server error: ${answered.filter((s) => s >= 500)}`);
        assert.equal(typeof (await slow.answer), 'number', 'the request still arriving was answered');
        assert.equal(code, 0, first.output());
        assert.ok(took < 1 + GRACE_SECONDS, `exited ${took.toFixed(1)} s after SIGTERM`);
        assert.match(first.output(), /SIGTERM: stopping/);

        const rows = await store.db.kysely.selectFrom('mail_outbox').select(['status', 'lease_token', 'attempts']).where('kind', '=', 'digest').execute();
        const sent = rows.filter((r) => r.status === 'sent').length;
        const pending = rows.filter((r) => r.status === 'pending');
        assert.equal(sink.received.length, sent, 'every message received is recorded as sent, and only those');
        assert.ok(pending.length > 0, `the signal came mid-batch (${sent} sent before it)`);
        assert.ok(pending.every((r) => r.lease_token === null && r.attempts === 0), 'claimed messages were released, their attempt taken back');
      } finally {
        first.proc.kill('SIGKILL');
      }

      // Another instance sends the rest now, not after the 60 s lease.
      const second = await serve(env);
      try {
        await sink.waitFor(SUBSCRIBERS, 45_000);
        const perAddress = new Map<string, number>();
        for (const m of sink.received) perAddress.set(m.to, (perAddress.get(m.to) ?? 0) + 1);
        assert.equal(perAddress.size, SUBSCRIBERS);
        assert.ok([...perAddress.values()].every((n) => n === 1), 'no digest sent twice');
        second.proc.kill('SIGTERM');
        assert.equal(await second.exited, 0, second.output());
      } finally {
        second.proc.kill('SIGKILL');
      }
    });
  });
}
