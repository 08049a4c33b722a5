/**
 * Health, readiness, request ids, JSON logs and metrics, on both databases: /healthz and /readyz (search
 * loading, stopping), X-Request-Id kept or made, one JSON line per request with its id and every line
 * written during the request carrying it, /metrics behind the admin lock with latency under the route
 * pattern, job outcomes, outbox depth and age, ingestion lag and index freshness read from the store, and
 * the METRICS_PORT server.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createApp } from '../http/app.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { enqueueMessages } from '../mail/outbox.repo.ts';
import { addRecords } from '../papers/papers.service.ts';
import { startMetricsServer } from '../cli/metrics-server.ts';
import { describeEachDatabase } from '../../test/databases.ts';
import { fixturePapers } from '../../test/mail-fixtures.ts';
import { requestContext, useJsonLogs } from './logger.ts';
import { metricsText, watchStore } from './metrics.ts';
import { newProcessState } from './readiness.ts';

const TOKEN = 'observability-test-token-0123456789';
const config = { ...loadConfig({}), logLevel: 'info' as const, publicBaseUrl: 'http://localhost', adminToken: TOKEN };
const lines: Record<string, unknown>[] = [];

before(() => {
  // JSON logs into this array (the whole test process logs through pino from here on).
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).trim().split('\n').map((l) => JSON.parse(l))), done()) });
  useJsonLogs('info', sink);
});

test('every line written while a request is answered carries its id; lines outside carry none', () => {
  requestContext.run({ requestId: 'req-42' }, () => console.error('inside', new Error('boom')));
  console.log('outside');
  const inside = lines.find((l) => l.msg === 'inside')!;
  assert.equal(inside.reqId, 'req-42');
  assert.equal(inside.level, 50);
  assert.match(String((inside.err as { stack: string }).stack), /boom/);
  assert.equal(lines.find((l) => l.msg === 'outside')!.reqId, undefined);
});

describeEachDatabase('operating endpoints', (open) => {
  let db: Db;
  before(async () => {
    db = await open();
    await addRecords(db, fixturePapers());
    watchStore(db);
  });
  after(() => db.close());

  test('/healthz, and /readyz: ready, loading search, stopping (then responses close their connection)', async () => {
    const state = newProcessState();
    const app = createApp({ db, config, processState: state, cacheTtlMs: 0 });
    assert.equal(await (await app.request('/healthz')).text(), 'ok\n');
    const loading = await app.request('/readyz');
    assert.equal(loading.status, 503);
    assert.deepEqual((await loading.json()).checks, { database: 'ok', migrations: 'ok', search: 'loading', shutdown: 'ok' });
    state.searchReady = true;
    assert.equal((await app.request('/readyz')).status, 200);
    assert.equal((await app.request('/')).headers.get('Connection'), null);
    state.stopping = true;
    const stopping = await app.request('/readyz');
    assert.equal(stopping.status, 503);
    assert.equal((await stopping.json()).checks.shutdown, 'stopping');
    assert.equal((await app.request('/')).headers.get('Connection'), 'close', 'clients stop reusing the connection');
  });

  test('X-Request-Id is kept when it looks like one, made otherwise, and in the access line', async () => {
    const app = createApp({ db, config, cacheTtlMs: 0 });
    const kept = await app.request('/papers/2607.00003', { headers: { 'X-Request-Id': 'lb-7f3a.9' } });
    assert.equal(kept.headers.get('X-Request-Id'), 'lb-7f3a.9');
    const made = await app.request('/trending', { headers: { 'X-Request-Id': 'no spaces <allowed>' } });
    assert.match(made.headers.get('X-Request-Id')!, /^[0-9a-f-]{36}$/);
    const access = lines.find((l) => l.reqId === 'lb-7f3a.9' && l.msg === 'request')!;
    assert.deepEqual({ method: access.method, route: access.route, status: access.status }, { method: 'GET', route: '/papers/:ref{.+}', status: 200 });
    assert.equal(typeof access.ms, 'number');
  });

  test('/metrics: admin lock; latency by route pattern; jobs; outbox, ingestion lag and index freshness from the store', async () => {
    const app = createApp({ db, config, cacheTtlMs: 0 });
    for (const id of ['2607.00001', '2607.00002']) await app.request(`/papers/${id}`);
    await app.request('/no/such/page');
    // A job that fails and one that works, as the scheduler runs them.
    const scheduler = startScheduler(
      [
        { name: 'test-ok', intervalMs: 60_000, run: async () => {} },
        { name: 'test-failing', intervalMs: 60_000, run: async () => Promise.reject(new Error('no')) },
      ],
      { initialDelayMs: 0, log: () => {} },
    );
    await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    await enqueueMessages(db.kysely, [{ key: `obs:${db.dialect}`, kind: 'account-sign-in', toAddress: 'x@example.org', payload: {}, dueAt: new Date(Date.now() - 90_000) }]);
    await db.kysely.insertInto('sources').values({ kind: 'arxiv', target: 'cs.LG', schedule: 'listing', origin: 'cli', created_at: new Date().toISOString(), last_success_at: new Date(Date.now() - 3_600_000).toISOString() } as never).execute();
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second reuse of store reads

    assert.equal((await app.request('/metrics')).status, 401);
    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('Content-Type')!, /^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    assert.match(body, /paperboy_http_request_duration_seconds_count\{method="GET",route="\/papers\/:ref\{\.\+\}",status="200"\} ([2-9]|\d\d)/);
    assert.doesNotMatch(body, /route="\/papers\/2607/, 'never the raw path');
    assert.match(body, /route="unmatched",status="404"/);
    assert.match(body, /paperboy_job_runs_total\{job="test-ok",outcome="ok"\} \d+/);
    assert.match(body, /paperboy_job_runs_total\{job="test-failing",outcome="failed"\} \d+/);
    assert.match(body, /paperboy_outbox_due_messages 1\n/);
    const age = Number(/^paperboy_outbox_oldest_due_age_seconds (\S+)$/m.exec(body)![1]);
    assert.ok(age >= 90 && age < 200, `oldest due message waited ${age} s`);
    const lag = Number(/paperboy_source_last_success_age_seconds\{source="arxiv:cs.LG"\} (\S+)/.exec(body)![1]);
    assert.ok(lag >= 3600 && lag < 3700, `ingestion lag ${lag} s`);
    assert.match(body, /paperboy_papers 24\n/);
    assert.match(body, /paperboy_search_index_behind_papers\{index="vectors"\} 24\n/, 'no paper embedded yet');
  });
});

test('METRICS_PORT serves /metrics and nothing else', async () => {
  const server = await startMetricsServer({ metrics: { port: 0 as unknown as number, host: '127.0.0.1' } }, () => metricsText());
  try {
    const ok = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /# TYPE paperboy_http_request_duration_seconds histogram/);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/admin`)).status, 404);
  } finally {
    await server.close();
  }
});
