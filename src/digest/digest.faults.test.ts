/**
 * Exactly once under faults, with real processes: `paperboy digest run` (and a crashing preparer) as child
 * processes against one store (a SQLite file, or one PostgreSQL database) and a real SMTP server.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TEST_PG_URL } from '../../test/databases.ts';
import { addFixturePapers, addSubscribers, createSharedStore, DAY1, DAY2, type SharedStore } from '../../test/mail-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../test/smtp-sink.ts';
import { findSubscriberByEmail } from '../subscriptions/subscriptions.repo.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SUBSCRIBERS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a child process; `done` resolves with its exit code (or the signal that ended it). */
function child(args: string[], env: Record<string, string>): { proc: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, out })));
  return { proc, done };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' && !TEST_PG_URL ? 'PostgreSQL half skipped: set PAPERBOY_TEST_PG_URL=postgres://... to run it' : false;
  describe(`digest under faults [${kind}]`, { skip }, () => {
    let store: SharedStore;
    let sink: SmtpSink;
    let env: Record<string, string>;
    const digestRun = (day: string) => child(['bin/paperboy.js', 'digest', 'run', '--date', day, '--now'], env);
    const perSubscriber = (subject: RegExp) => {
      const counts = new Map<string, number>();
      for (const m of sink.received.filter((m) => subject.test(m.subject))) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
      return counts;
    };
    const sentCount = async () => Number((await store.db.kysely.selectFrom('mail_outbox').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'sent').executeTakeFirstOrThrow()).n);

    before(async () => {
      store = await createSharedStore(kind);
      sink = await startSmtpSink();
      await addFixturePapers(store.db);
      await addSubscribers(store.db, SUBSCRIBERS);
      env = {
        ...store.env,
        SMTP_URL: sink.url,
        SECRET_KEY: 'fault-test-secret-key-0123456789abcdef0123',
        MAIL_LEASE_SECONDS: '2',
        MAIL_RETRY_SECONDS: '1',
        MAIL_BOUNCE_LIMIT: '1',
        DEMO_CORPUS: 'off',
        LOG_LEVEL: 'error',
      };
    });
    after(async () => {
      await sink.close();
      await store.cleanup();
    });

    test('a preparer killed midway, then a full run: every subscriber gets the digest exactly once', async () => {
      const crashed = await child(['--import', 'tsx', 'test/digest-crash.ts', DAY1], { ...env, CRASH_AFTER: '15' }).done;
      assert.equal(crashed.signal, 'SIGKILL', crashed.out);
      const run = await store.db.kysely.selectFrom('digest_runs').selectAll().where('day', '=', DAY1).executeTakeFirstOrThrow();
      assert.ok(run.cursor > 0 && run.messages >= 15 && run.messages < SUBSCRIBERS, `killed midway (${run.messages} prepared)`);
      await sleep(2100); // the dead preparer's lease runs out
      const r = await digestRun(DAY1).done;
      assert.equal(r.code, 0, r.out);
      const counts = perSubscriber(/July 2, 2026/);
      assert.equal(counts.size, SUBSCRIBERS);
      assert.ok([...counts.values()].every((n) => n === 1));
    });

    test('a sender killed midway through sending, then run again: still exactly once', async () => {
      let frozen = false;
      const start = sink.received.length;
      const first = digestRun(DAY2);
      sink.setBeforeAccept(async (index) => {
        if (frozen) return 'drop';
        if (index !== start + 12) return 'accept';
        // Kill while this message awaits its 250, once every message already answered 250 is recorded as sent.
        frozen = true;
        const until = Date.now() + 10_000;
        while ((await sentCount()) < sink.received.length && Date.now() < until) await sleep(5);
        first.proc.kill('SIGKILL');
        return 'drop';
      });
      const killed = await first.done;
      assert.equal(killed.signal, 'SIGKILL', killed.out);
      const before = perSubscriber(/July 3, 2026/);
      assert.ok(before.size >= 10 && before.size < SUBSCRIBERS, `killed midway (${before.size} sent)`);
      sink.setBeforeAccept(undefined);
      await sleep(2100); // the dead sender's leases run out
      const second = await digestRun(DAY2).done;
      assert.equal(second.code, 0, second.out);
      const counts = perSubscriber(/July 3, 2026/);
      assert.equal(counts.size, SUBSCRIBERS);
      assert.ok([...counts.values()].every((n) => n === 1), JSON.stringify([...counts]));
    });

    test('two processes running the same day at once send each digest once', async () => {
      await addSubscribers(store.db, 0);
      await store.db.kysely.deleteFrom('digest_runs').execute();
      await store.db.kysely.deleteFrom('mail_outbox').execute();
      await store.db.kysely.deleteFrom('digest_received').execute();
      const received = sink.received.length;
      const [a, b] = await Promise.all([digestRun(DAY1).done, digestRun(DAY1).done]);
      assert.equal(a.code, 0, a.out);
      assert.equal(b.code, 0, b.out);
      const mails = sink.received.slice(received);
      assert.equal(mails.length, SUBSCRIBERS, `${a.out}\n${b.out}`);
      assert.equal(new Set(mails.map((m) => m.to)).size, SUBSCRIBERS);
    });

    test('4xx is retried on a later run; 5xx stops mail to the address', async () => {
      await store.db.kysely.deleteFrom('digest_runs').execute();
      await store.db.kysely.deleteFrom('mail_outbox').execute();
      await store.db.kysely.deleteFrom('digest_received').execute();
      const received = sink.received.length;
      let greylisted = false;
      sink.setRule((address) => {
        if (address === 'sub2@example.org') return { code: 550, message: 'no such user' };
        if (address !== 'sub1@example.org' || greylisted) return 'accept';
        greylisted = true;
        return { code: 451, message: 'greylisted, try again later' };
      });
      const first = await digestRun(DAY1).done;
      assert.equal(first.code, 0, first.out);
      assert.match(first.out, new RegExp(`${SUBSCRIBERS - 2} sent, 1 to retry, 1 failed, 0 cancelled, 1 addresses stopped`));
      assert.equal((await findSubscriberByEmail(store.db.kysely, 'sub2@example.org'))!.status, 'bounced');
      await sleep(1100); // MAIL_RETRY_SECONDS=1
      const second = await digestRun(DAY1).done;
      assert.match(second.out, /1 sent, 0 to retry/);
      const third = await digestRun(DAY2).done;
      assert.match(third.out, new RegExp(`prepared ${SUBSCRIBERS - 1} digests`), 'the bounced address gets no digest');
      const mails = sink.received.slice(received);
      assert.equal(mails.filter((m) => m.to === 'sub1@example.org').length, 2, 'one per day');
      assert.equal(mails.filter((m) => m.to === 'sub2@example.org').length, 0);
      sink.setRule(() => 'accept');
    });
  });
}
