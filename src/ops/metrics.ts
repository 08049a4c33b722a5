/**
 * Prometheus metrics (prom-client). Two registries, because they live in different processes under
 * WEB_CONCURRENCY > 1: `webRegistry` (the global one) holds what a process answering requests measures —
 * latency per route pattern, errors, Node's own process metrics — and is summed over the workers by the
 * primary; `backgroundRegistry` holds what the process running the jobs knows — job durations and
 * outcomes, and gauges read from the store at scrape time (outbox depth and age, ingestion lag, search
 * index freshness). A single process reports both. Recording a request is one histogram observation
 * (a label lookup and a bucket increment), cheap enough for every request.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, register } from 'prom-client';
import type { Db } from '../db/database.ts';
import { readSnapshotHeader } from '../search/terms/snapshot.ts';
import { outboxBacklog, sourceSuccesses, storeSizes } from './ops.repo.ts';

/** What a web process measures (the global registry: prom-client's cluster aggregation reads it). */
export const webRegistry = register;
/** What the process running the background jobs measures, and the store's gauges. */
export const backgroundRegistry = new Registry();

const httpDuration = new Histogram({
  name: 'paperboy_http_request_duration_seconds',
  help: 'Time to answer a request, by route pattern (not the raw path), method and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [webRegistry],
});
const httpErrors = new Counter({
  name: 'paperboy_http_errors_total',
  help: 'Requests answered with a server error (5xx), by route pattern and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [webRegistry],
});
const jobDuration = new Histogram({
  name: 'paperboy_job_duration_seconds',
  help: 'Duration of background job runs, by job and outcome (ok, failed).',
  labelNames: ['job', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
  registers: [backgroundRegistry],
});
const jobRuns = new Counter({
  name: 'paperboy_job_runs_total',
  help: 'Background job runs, by job and outcome (ok, failed).',
  labelNames: ['job', 'outcome'] as const,
  registers: [backgroundRegistry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Records one answered request; `route` is the pattern that answered (`/papers/:ref`), never the raw path. */
export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  const labels = { method: METHODS.has(method) ? method : 'OTHER', route, status: String(status) };
  httpDuration.observe(labels, seconds);
  if (status >= 500) httpErrors.inc(labels);
}

/** Records one run of a background job. */
export function observeJob(job: string, outcome: 'ok' | 'failed', seconds: number): void {
  jobDuration.observe({ job, outcome }, seconds);
  jobRuns.inc({ job, outcome });
}

let defaultsOn = false;

/** Adds Node's process metrics (memory, CPU, event loop lag, GC) to the web registry; once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: webRegistry });
}

let watched: Db | undefined;

/**
 * Reports the gauges of this store at each scrape. Called by the process that runs the jobs (the
 * primary of a cluster, or the one process); the last store watched is the one reported.
 */
export function watchStore(db: Db): void {
  watched = db;
}

/** One read per scrape however many gauges use it: a result is reused for a second. */
const recent = new Map<string, { at: number; value: Promise<unknown> }>();
function shared<T>(key: string, read: () => Promise<T>): Promise<T> {
  const hit = recent.get(key);
  if (hit && Date.now() - hit.at < 1000) return hit.value as Promise<T>;
  const value = read();
  recent.set(key, { at: Date.now(), value });
  return value;
}
const backlogOf = (db: Db) => shared('outbox', () => outboxBacklog(db.kysely));
const sizesOf = (db: Db) => shared('sizes', () => storeSizes(db.kysely));
const termsOf = (db: Db) => shared('terms', () => readSnapshotHeader(db.derivedFile('terms')));

const seconds = (iso: string | null | undefined, now: number) => (iso ? Math.max(0, (now - Date.parse(iso)) / 1000) : undefined);

/** A gauge whose value is read at scrape time; a failed read leaves it out of that scrape. */
function storeGauge<L extends string>(name: string, help: string, labelNames: L[], read: (g: Gauge<L>, db: Db, now: number) => Promise<void>): void {
  new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [backgroundRegistry],
    async collect() {
      this.reset();
      if (!watched || watched.closed) return;
      try {
        await read(this, watched, Date.now());
      } catch {
        // A scrape during a restart or a lock wait reports what it could; the next one the rest.
      }
    },
  });
}

storeGauge('paperboy_outbox_due_messages', 'Mail messages due now and not yet sent.', [], async (g, db) => g.set((await backlogOf(db)).due));
storeGauge('paperboy_outbox_oldest_due_age_seconds', 'How long the oldest due, unsent message has waited (0 when none).', [], async (g, db, now) => g.set(seconds((await backlogOf(db)).oldestDueAt, now) ?? 0));
storeGauge('paperboy_outbox_messages', 'Mail messages in the outbox, by status.', ['status'], async (g, db) => {
  for (const [status, n] of Object.entries((await backlogOf(db)).byStatus)) g.set({ status }, n);
});
storeGauge('paperboy_source_last_success_age_seconds', 'Ingestion lag: seconds since each enabled source last fetched successfully.', ['source'], async (g, db, now) => {
  for (const s of await sourceSuccesses(db.kysely)) {
    const age = seconds(s.lastSuccessAt, now);
    if (age !== undefined) g.set({ source: s.label }, age);
  }
});
storeGauge('paperboy_newest_listing_age_seconds', 'Seconds since the start (00:00 UTC) of the newest listing day held.', [], async (g, db, now) => {
  const { newestDay } = await sizesOf(db);
  if (newestDay) g.set(seconds(`${newestDay}T00:00:00Z`, now)!);
});
storeGauge('paperboy_papers', 'Papers in the store.', [], async (g, db) => g.set((await sizesOf(db)).papers));
storeGauge('paperboy_search_index_papers', 'Papers each search index holds (terms: the saved term index; vectors: stored vectors).', ['index'], async (g, db) => {
  const sizes = await sizesOf(db);
  const terms = await termsOf(db);
  if (terms) g.set({ index: 'terms' }, terms.docs);
  g.set({ index: 'vectors' }, sizes.vectors);
});
storeGauge('paperboy_search_index_behind_papers', 'Search index freshness: papers in the store that an index does not hold yet.', ['index'], async (g, db) => {
  const sizes = await sizesOf(db);
  const terms = await termsOf(db);
  if (terms) g.set({ index: 'terms' }, Math.max(0, sizes.papers - terms.docs));
  g.set({ index: 'vectors' }, Math.max(0, sizes.papers - sizes.vectors));
});
storeGauge('paperboy_search_index_age_seconds', 'Seconds since the saved term index was built.', ['index'], async (g, db, now) => {
  const terms = await termsOf(db);
  const age = seconds(terms?.builtAt, now);
  if (age !== undefined) g.set({ index: 'terms' }, age);
});

/** The Prometheus text of the given registries (both of them by default: a single process). */
export async function metricsText(registries: Registry[] = [webRegistry, backgroundRegistry]): Promise<{ contentType: string; body: string }> {
  const merged = registries.length === 1 ? registries[0] : Registry.merge(registries);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
